"""Hostile and broken exports (issue 9): each test offers a file as an attacker or a careless
exporter would, through the real load on a temporary lake, and checks what the user is told,
what reaches landing, raw and the warehouse, and that nothing else happens."""

from __future__ import annotations

import codecs
import os
import zipfile
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines import build, models
from pipelines.lake import LakePaths
from pipelines.load import GELADEN, GEWEIGERD, load
from pipelines.parse import FIELD_CONTROL, FIELD_TOO_LONG, normalise_name, shown_value
from pipelines.settings import ExportMapping, SettingsError
from tests.pipelines.test_bad_input import (
    KLACHTEN_HEADER,
    TODAY,
    UREN_HEADER,
    accepted,
    quarantine,
    query,
    run,
    write,
)

GOOD = "K1;01-02-2024;GM0153;geur"


def landing_files(settings) -> list[Path]:
    return sorted(p for p in LakePaths(settings.lake_dir).landing.rglob("*") if p.is_file())


# --- 1. names from an export never become SQL -------------------------------------------------


def test_a_column_name_with_sql_in_it_runs_nothing(tmp_path, settings):
    marker = tmp_path / "pwned.csv"
    evil = f"x\" varchar; copy (select 42) to '{marker}'; --"
    quoted = '"' + evil.replace('"', '""') + '"'  # a CSV header cell may hold ; and "
    path = write(tmp_path, "klachten_2024.csv", [f"{KLACHTEN_HEADER};{quoted}", f"{GOOD};1"])
    result = run(settings, path).files[0]
    accepted(result, regels=1, geladen=1, quarantaine=0)
    assert result.niet_overgenomen == [normalise_name(evil)]
    assert not marker.exists()
    assert query(settings, "select klacht_id from staging.klachten") == [("K1",)]


def test_an_admitted_column_name_must_be_safe(tmp_path):
    mapping = tmp_path / "koppelingen.toml"
    mapping.write_text('[extra_kolommen]\nklachten = ["wijk\\"; drop table x; --"]\n')
    with pytest.raises(SettingsError, match="alleen kleine letters, cijfers en _"):
        ExportMapping.from_files([mapping])
    mapping.write_text('[klachten]\n"Wijk" = "wijk\\" varchar); --"\n')
    with pytest.raises(SettingsError, match="kolomnaam bestaat uit kleine letters"):
        ExportMapping.from_files([mapping])


def test_raw_column_names_are_quoted_in_the_build(tmp_path, settings):
    """Defence in depth: even a raw Parquet file with a hostile column name (which no load
    writes any more) cannot run SQL in the build."""
    marker = tmp_path / "pwned.csv"
    run(settings, write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, GOOD]))
    paths = LakePaths(settings.lake_dir)
    raw_file = next((paths.raw / "klachten").glob("*.parquet"))
    evil = f"extra_x\" varchar; copy (select 42) to '{marker}'; --"
    con = duckdb.connect()
    con.execute(
        "copy (select *, 'v' as \"" + evil.replace('"', '""') + '" from read_parquet(?)) '
        "to '" + str(raw_file) + ".new' (format parquet)",
        [str(raw_file)],
    )
    con.close()
    os.replace(f"{raw_file}.new", raw_file)
    build.build_and_publish(settings, incremental=False)
    assert not marker.exists()
    assert query(
        settings,
        "select count(*) from information_schema.columns where table_schema = 'raw' "
        "and table_name = 'klachten' and column_name = ?",
        [evil],
    ) == [(1,)]


def test_the_build_cannot_reach_files_once_raw_is_read(tmp_path, settings, monkeypatch):
    sql_dir = tmp_path / "sql"
    for layer in models.LAYERS:
        (sql_dir / layer).mkdir(parents=True)
        for model in (models.SQL_DIR / layer).glob("*.sql"):
            (sql_dir / layer / model.name).write_text(model.read_text())
    (sql_dir / "staging" / "zz_lek.sql").write_text(
        "-- Leest een bestand.\nselect * from read_text('/etc/hostname')\n"
    )
    run(settings, write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, GOOD]))
    monkeypatch.setattr(models, "SQL_DIR", sql_dir)
    with pytest.raises(duckdb.PermissionException, match="disabled by configuration"):
        build.build_and_publish(settings, incremental=False)


# --- 4. glob characters in a file name ------------------------------------------------------


@pytest.mark.parametrize("name", ["klachten_[1].csv", "klachten_*.csv", "klachten_?.csv"])
def test_glob_characters_read_exactly_the_offered_file(tmp_path, settings, name):
    folder = tmp_path / "mail"
    folder.mkdir()
    write(folder, "klachten_1.csv", [KLACHTEN_HEADER, "ANDER;01-02-2024;GM0153;geur"])
    offered = write(folder, name, [KLACHTEN_HEADER, GOOD])
    result = run(settings, offered).files[0]
    accepted(result, regels=1, geladen=1, quarantaine=0)
    assert query(settings, "select klacht_id, bestand from staging.klachten") == [("K1", name)]


def test_a_lake_folder_with_glob_characters_builds_from_its_own_files(tmp_path):
    from pipelines.settings import Settings

    settings = Settings(lake_dir=tmp_path / "lake[1]", pseudonym_key_value="test")
    decoy = Settings(lake_dir=tmp_path / "lake1", pseudonym_key_value="test")
    run(decoy, write(tmp_path, "klachten_decoy.csv", [KLACHTEN_HEADER, "ANDER;01-02-2024;1;x"]))
    run(settings, write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, GOOD]))
    build.build_and_publish(settings, incremental=False)
    assert query(settings, "select klacht_id from staging.klachten") == [("K1",)]


# --- 6. only regular files; refused files stay out of landing -------------------------------


def test_a_symlink_in_a_folder_is_refused_and_not_followed(tmp_path, settings):
    folder = tmp_path / "aanlevering"
    folder.mkdir()
    secret = tmp_path / "geheim.csv"
    secret.write_text(f"{KLACHTEN_HEADER}\nGEHEIM;01-02-2024;GM0153;geur\n")
    (folder / "klachten_link.csv").symlink_to(secret)
    (folder / "map_link").symlink_to(tmp_path)
    write(folder, "klachten_2024.csv", [KLACHTEN_HEADER, GOOD])

    report = load(settings, [folder], today=TODAY)

    by_name = {f.bestand: f for f in report.files}
    assert set(by_name) == {"klachten_2024.csv", "klachten_link.csv", "map_link"}
    for name in ("klachten_link.csv", "map_link"):
        assert by_name[name].status == GEWEIGERD
        assert "snelkoppeling (symbolische link)" in by_name[name].melding
    assert query(settings, "select klacht_id from staging.klachten") == [("K1",)]
    assert len(landing_files(settings)) == 1


def test_proc_files_and_pipes_are_refused(tmp_path, settings):
    fifo = tmp_path / "klachten_pijp.csv"
    os.mkfifo(fifo)
    report = load(settings, [Path("/proc/self/environ"), fifo], kind="klachten", today=TODAY)
    environ, pipe = report.files
    assert environ.status == GEWEIGERD
    assert "veranderde tijdens het lezen" in environ.melding
    assert pipe.status == GEWEIGERD
    assert "geen gewoon bestand" in pipe.melding
    assert landing_files(settings) == []
    assert query(settings, "select count(*) from raw.klachten") == [(0,)]


def test_a_refused_file_is_not_kept_in_landing(tmp_path, settings):
    bad = tmp_path / "klachten_2024.csv"
    bad.write_bytes(b"klacht_id;naam_melder\nK1;Jan Jansen\n")
    good = write(tmp_path, "klachten_2025.csv", [KLACHTEN_HEADER, GOOD])
    report = run(settings, bad, good)
    assert [f.status for f in report.files] == [GEWEIGERD, GELADEN]
    assert [p.name for p in landing_files(settings)] == [f"{report.files[1].sha256}.csv"]
    assert list(LakePaths(settings.lake_dir).tmp.iterdir()) == []


# --- 5. rejected values that may be personal are not shown ----------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("31-02-2024", "31-02-2024"),
        ("Gemeente Hengeloo", "Gemeente Hengeloo"),
        ("acht", "acht"),
        ("ziek, zie mail van Jan", None),
        ("j.jansen@example.nl", None),
        ("06 1234 5678", None),
        ("123456782", None),
        ("x" * 33, None),
    ],
)
def test_shown_value_hides_what_may_be_personal(value, shown):
    expected = shown or (
        f"(niet getoond: {len(value)} tekens, mogelijk persoonsgegevens; zie het bestand)"
    )
    assert shown_value(value) == expected


def test_quarantine_does_not_show_free_text_typed_in_a_number_column(tmp_path, settings):
    path = write(
        tmp_path,
        "uren_2024.csv",
        [
            UREN_HEADER,
            "U1;M1;01-02-2024;GM0153;Controle;basistaak;ziek, belde met Jan de Vries;Ja",
            "U2;M1;01-02-2024;GM0153;Controle;basistaak;acht;Ja",
        ],
    )
    accepted(run(settings, path).files[0], regels=2, geladen=0, quarantaine=2)
    assert query(settings, "select regel, waarde from meta.quarantaine order by regel") == [
        (2, "(niet getoond: 28 tekens, mogelijk persoonsgegevens; zie het bestand)"),
        (3, "acht"),
    ]


# --- 7. numbers that pass the format check but do not convert -------------------------------


@pytest.mark.parametrize(
    ("aantal", "reason"),
    [
        ("１２", "geen geheel getal"),  # full-width digits
        ("١٢", "geen geheel getal"),  # Arabic-Indic digits
        ("99999999999999999999", "het getal is te groot (hooguit 18 cijfers)"),
    ],
    ids=["full_width", "arabic_indic", "beyond_64_bits"],
)
def test_an_integer_that_does_not_convert_is_quarantined_not_null(
    tmp_path, settings, aantal, reason
):
    header = (
        "controle_id;inrichting_id;bevoegd_gezag;datum_controle;soort;aantal_overtredingen;"
        "lhso_gevolgen;lhso_gedrag"
    )
    path = write(
        tmp_path,
        "controles_2024.csv",
        [
            header,
            "C1;I1;GM0153;01-02-2024;periodiek;0;;",
            f"C2;I1;GM0153;01-02-2024;periodiek;{aantal};;",
        ],
    )
    result = run(settings, path).files[0]
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(settings, "controles_2024.csv") == [(3, "aantal_overtredingen", reason)]
    assert query(
        settings, "select count(*) from staging.controles where aantal_overtredingen is null"
    ) == [(0,)]


@pytest.mark.parametrize("uren", ["٨", "８"])
def test_a_decimal_in_other_digits_is_quarantined(tmp_path, settings, uren):
    path = write(
        tmp_path,
        "uren_2024.csv",
        [UREN_HEADER, f"U1;M1;01-02-2024;GM0153;Controle;basistaak;{uren};Ja"],
    )
    accepted(run(settings, path).files[0], regels=1, geladen=0, quarantaine=1)
    assert quarantine(settings, "uren_2024.csv") == [
        (2, "uren", "geen getal (verwacht bijvoorbeeld 1.234,5 met een komma als decimaalteken)")
    ]


def test_an_infinite_excel_amount_is_quarantined(tmp_path, settings):
    path = tmp_path / "begroting_2025.xlsx"
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["jaar", "maand", "deelnemer", "taakpakket", "post", "bedrag"])
        sheet.write_row(1, 0, [2025, 1, "GM0153", "basistaken", "bijdrage", 1000.0])
        sheet.write_row(2, 0, [2025, 1, "GM0153", "plustaken", "bijdrage", "1e400"])
        sheet.write_row(3, 0, [2025, 1, "GM0153", "facultatief", "bijdrage", "1" * 400])
    result = run(settings, path).files[0]
    accepted(result, regels=3, geladen=1, quarantaine=2)
    assert [r[1:] for r in quarantine(settings, "begroting_2025.xlsx")] == [
        ("bedrag", "het getal is te groot om te verwerken"),
        ("bedrag", "het getal is te groot om te verwerken"),
    ]
    assert query(settings, "select bedrag from staging.begroting") == [(1000.0,)]


# --- 13. mixed encodings ----------------------------------------------------------------------


def test_windows_1252_with_utf8_rows_is_refused_with_the_line(tmp_path, settings):
    path = tmp_path / "inrichtingen_2024.csv"
    path.write_bytes(
        b"inrichting_id;naam;bevoegd_gezag\r\n"
        + "I1;Caf\u00e9 Centraal;GM0153\r\n".encode("cp1252")
        + "I2;Caf\u00e9 De Hoek;GM0153\r\n".encode("utf-8")
    )
    result = run(settings, path).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith("gemengde tekencodering: regel 3 bevat tekst in UTF-8")
    assert "'é'" in result.melding and "'Ã©'" in result.melding
    assert "CSV UTF-8" in result.melding


def test_real_windows_1252_text_is_not_taken_for_mixed(tmp_path, settings):
    path = tmp_path / "inrichtingen_2024.csv"
    path.write_bytes(
        "inrichting_id;naam;bevoegd_gezag\r\nI1;CAFÉ’S “DE ÉÉN” – Ökonomie ß°;GM0153\r\n".encode(
            "cp1252"
        )
    )
    result = run(settings, path).files[0]
    accepted(result, regels=1, geladen=1, quarantaine=0)
    assert result.codering == "cp1252"


# --- 16. long fields and control characters say what really happened ------------------------


@pytest.mark.parametrize("reader", ["fast", "exact"])
def test_a_two_megabyte_field_is_reported_as_too_long(tmp_path, settings, reader):
    lines = [
        f"{KLACHTEN_HEADER};inrichting_id",
        GOOD + ";I1",
        "K2;01-02-2024;GM0153;geur;" + "I" * 2_000_000,
    ]
    if reader == "exact":
        lines.append("K3;01-02")  # a broken line sends the file to Python's reader
    path = write(tmp_path, "klachten_2024.csv", lines)
    result = run(settings, path).files[0]
    accepted(result, regels=len(lines) - 1, geladen=1, quarantaine=len(lines) - 2)
    rows = quarantine(settings, "klachten_2024.csv")
    assert rows[0] == (3, "inrichting_id", FIELD_TOO_LONG)
    assert query(settings, "select length(waarde) < 100 from meta.quarantaine where regel = 3") == [
        (True,)
    ]


@pytest.mark.parametrize("offset", [100, 20_000], ids=["in_first_8_kb", "after_8_kb"])
def test_a_nul_byte_quarantines_its_row_wherever_it_is(tmp_path, settings, offset):
    filler = [f"F{i};01-02-2024;GM0153;geur" for i in range(offset // 25)]
    lines = [KLACHTEN_HEADER, *filler, "K\x002;01-02-2024;GM0153;geur", GOOD]
    path = write(tmp_path, "klachten_2024.csv", lines)
    result = run(settings, path).files[0]
    accepted(result, regels=len(lines) - 1, geladen=len(lines) - 2, quarantaine=1)
    assert quarantine(settings, "klachten_2024.csv") == [
        (len(filler) + 2, "klacht_id", FIELD_CONTROL)
    ]


def test_a_file_full_of_control_bytes_is_still_refused_as_binary(tmp_path, settings):
    path = tmp_path / "klachten_2024.csv"
    path.write_bytes(KLACHTEN_HEADER.encode() + b"\n" + b"K\x00\x01\x02;\x00\x00" * 50)
    result = run(settings, path).files[0]
    assert result.status == GEWEIGERD
    assert "binaire gegevens" in result.melding


# --- 2. sizes are checked before anything is committed --------------------------------------


def test_a_csv_with_ten_thousand_columns_is_refused(tmp_path, settings):
    header = KLACHTEN_HEADER + "".join(f";k{i}" for i in range(10_000))
    path = write(tmp_path, "klachten_2024.csv", [header, GOOD + ";" * 10_000])
    result = run(settings, path).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith(
        "de kopregel heeft 10.004 kolommen; een export heeft er hooguit 500."
    )
    assert landing_files(settings) == []


def _bomb(path: Path, unpacked: int) -> None:
    """An xlsx whose one shared string unpacks to `unpacked` bytes (compresses to ~1/1000)."""
    good = tmp = path.with_suffix(".tmp.xlsx")
    with xlsxwriter.Workbook(good) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["regel_id", "medewerker_id", "datum", "kosten"])
        sheet.write_row(1, 0, ["O1", "M1", "2024-03-01", "BOMB"])
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                head, tail = data.split(b"BOMB")
                with dst.open(item.filename, "w", force_zip64=True) as out:
                    out.write(head)
                    block = b"x" * (1 << 20)
                    for _ in range(unpacked >> 20):
                        out.write(block)
                    out.write(tail)
            else:
                dst.writestr(item, data)
    tmp.unlink()


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused(tmp_path, settings):
    path = tmp_path / "opleidingen_2024.xlsx"
    _bomb(path, 300 << 20)
    assert path.stat().st_size < 2 << 20
    result = run(settings, path).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith("het Excel-bestand pakt uit tot meer dan 256 MB")
    assert landing_files(settings) == []


def test_an_xlsx_with_one_far_away_cell_is_refused(tmp_path, settings):
    path = tmp_path / "opleidingen_2024.xlsx"
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["regel_id", "medewerker_id", "datum", "kosten"])
        sheet.write_row(1, 0, ["O1", "M1", "2024-03-01", 10])
        sheet.write(1_048_575, 16_383, "x")
    result = run(settings, path).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith("het blad gebruikt 16.384 kolommen")


# --- 10. Excel: hidden sheets, several sheets, unnamed header cells -------------------------

OPLEIDING_HEADER = ["regel_id", "medewerker_id", "datum", "kosten"]


def _workbook(path: Path, sheets: list[tuple[str, list[list], bool]]) -> None:
    with xlsxwriter.Workbook(path) as book:
        for name, rows, hidden in sheets:
            sheet = book.add_worksheet(name)
            for i, row in enumerate(rows):
                sheet.write_row(i, 0, row)
            if hidden:
                sheet.hide()
        # a hidden sheet cannot be the active one
        next(s for s in book.worksheets() if not s.hidden).activate()


def test_a_hidden_first_sheet_is_never_read(tmp_path, settings):
    path = tmp_path / "opleidingen_2024.xlsx"
    _workbook(
        path,
        [
            ("Oud", [OPLEIDING_HEADER, ["VERBORGEN", "M1", "2024-03-01", 1]], True),
            ("Opleidingen", [OPLEIDING_HEADER, ["O1", "M1", "2024-03-01", 250]], False),
        ],
    )
    accepted(run(settings, path).files[0], regels=1, geladen=1, quarantaine=0)
    assert query(settings, "select regel_id, kosten from staging.opleidingen") == [("O1", 250.0)]


def test_several_visible_sheets_are_refused_unless_the_mapping_names_one(tmp_path, settings):
    from dataclasses import replace

    path = tmp_path / "opleidingen_2024.xlsx"
    _workbook(
        path,
        [
            ("Toelichting", [["Dit blad is uitleg"]], False),
            ("Opleidingen", [OPLEIDING_HEADER, ["O1", "M1", "2024-03-01", 250]], False),
        ],
    )
    result = run(settings, path).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith(
        "het Excel-bestand heeft 2 zichtbare bladen ('Toelichting', 'Opleidingen')"
    )
    mapping = tmp_path / "koppelingen.toml"
    mapping.write_text('[bladen]\nopleidingen = "Opleidingen"\n')
    accepted(run(replace(settings, mapping_file=mapping), path).files[0], 1, 1, 0)


def test_a_merged_header_cell_is_refused_and_empty_unnamed_columns_are_ignored(tmp_path, settings):
    merged = tmp_path / "opleidingen_2024.xlsx"
    with xlsxwriter.Workbook(merged) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["regel_id", "medewerker_id"])
        sheet.merge_range(0, 2, 0, 3, "datum")
        sheet.write_row(0, 4, ["kosten"])
        sheet.write_row(1, 0, ["O1", "M1", "2024-03-01", "2024-03-02", 250])
    result = run(settings, merged).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith("kolom 4 van de kopregel heeft geen naam")
    assert "samengevoegde cellen" in result.melding

    trailing = tmp_path / "opleidingen_2025.xlsx"
    with xlsxwriter.Workbook(trailing) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, [*OPLEIDING_HEADER, None, ""])
        sheet.write_row(1, 0, ["O2", "M1", "2025-03-01", 10])
        sheet.write(1, 5, "")
    accepted(run(settings, trailing).files[0], regels=1, geladen=1, quarantaine=0)


def test_utf8_bom_file_is_still_fine(tmp_path, settings):
    path = tmp_path / "klachten_2024.csv"
    path.write_bytes(codecs.BOM_UTF8 + f"{KLACHTEN_HEADER}\n{GOOD}\n".encode())
    accepted(run(settings, path).files[0], regels=1, geladen=1, quarantaine=0)
