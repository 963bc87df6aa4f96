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
from pipelines.load import GELADEN, GEWEIGERD, load
from pipelines.mapping import ExportMapping
from pipelines.parse import FIELD_CONTROL, FIELD_TOO_LONG, normalise_name, shown_value
from tests.pipelines import xlsx_parts
from tests.pipelines.shared_load import SharedLoad
from tests.pipelines.test_bad_input import (
    KLACHTEN_HEADER,
    TODAY,
    UREN_HEADER,
    accepted,
    quarantine,
    query,
    run,
    vthmonitor,
    write,
)
from vthmonitor.lake import LakePaths
from vthmonitor.settings import SettingsError

GOOD = "K1;01-02-2024;GM0153;geur"

# Most tests below offer one file and look only at what became of it: they share one load
# (tests/pipelines/shared_load.py), each under its own file name and keys.
SHARED = SharedLoad(TODAY)
shared = SHARED.fixture()


def landing_files(settings) -> list[Path]:
    return sorted(p for p in LakePaths(settings.lake_dir).landing.rglob("*") if p.is_file())


# --- 1. names from an export never become SQL -------------------------------------------------


def _sql_in_header(path: Path) -> None:
    marker = path.parent / "pwned.csv"
    evil = f"x\" varchar; copy (select 42) to '{marker}'; --"
    quoted = '"' + evil.replace('"', '""') + '"'  # a CSV header cell may hold ; and "
    path.write_text(f"{KLACHTEN_HEADER};{quoted}\nKS1;01-02-2024;GM0153;geur;1\n")


SQL_IN_HEADER = SHARED.add("klachten_sql.csv", _sql_in_header)


def test_a_column_name_with_sql_in_it_runs_nothing(shared):
    marker = shared.folder / "pwned.csv"
    evil = f"x\" varchar; copy (select 42) to '{marker}'; --"
    result = shared.file(SQL_IN_HEADER)
    accepted(result, regels=1, geladen=1, quarantaine=0)
    assert result.niet_overgenomen == [normalise_name(evil)]
    assert not marker.exists()
    assert query(
        shared.settings, "select klacht_id from staging.klachten where bestand = ?", [SQL_IN_HEADER]
    ) == [("KS1",)]


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
    # and a column the mapping file did not admit does not reach the warehouse at all
    assert query(
        settings,
        "select count(*) from information_schema.columns where table_schema = 'raw' "
        "and table_name = 'klachten' and column_name = ?",
        [evil],
    ) == [(0,)]
    assert query(settings, "select klacht_id from staging.klachten") == [("K1",)]


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


GLOB_NAMES = {"klachten_[1].csv": "GH1", "klachten_*.csv": "GS1", "klachten_?.csv": "GV1"}


def _next_to_a_decoy(key: str):
    def make(path: Path) -> None:
        # a file the pattern in the name matches, in the same folder, that is not offered
        write(path.parent, "klachten_1.csv", [KLACHTEN_HEADER, "ANDER;01-02-2024;GM0153;geur"])
        write(path.parent, path.name, [KLACHTEN_HEADER, f"{key};01-02-2024;GM0153;geur"])

    return make


for _name, _key in GLOB_NAMES.items():
    SHARED.add(_name, _next_to_a_decoy(_key))


@pytest.mark.parametrize("name", list(GLOB_NAMES))
def test_glob_characters_read_exactly_the_offered_file(shared, name):
    result = shared.file(name)
    accepted(result, regels=1, geladen=1, quarantaine=0)
    assert query(
        shared.settings, "select klacht_id, bestand from staging.klachten where bestand = ?", [name]
    ) == [(GLOB_NAMES[name], name)]
    decoy = "select count(*) from raw.klachten where klacht_id = 'ANDER'"
    assert query(shared.settings, decoy) == [(0,)]


@pytest.mark.slow  # three builds in two lakes
def test_a_lake_folder_with_glob_characters_builds_from_its_own_files(tmp_path):
    from vthmonitor.settings import Settings

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
    ("value", "kind", "allowed", "shown"),
    [
        ("31-02-2024", "date", (), True),
        ("2024/02/01", "date", (), True),
        ("gisteren", "date", (), False),
        ("1985-03-12 Jansen", "date", (), False),
        ("-3", "decimal", (), True),
        ("24,5", "decimal", (), True),
        ("acht", "decimal", (), False),
        ("123.456.782", "int", (), False),  # a BSN written with dots
        ("06-1234-5678", "decimal", (), False),
        ("Gemeente Hengeloo", "deelnemer", ("gemeente_hengelo", "hengelo"), True),
        ("Jansen", "deelnemer", ("gemeente_hengelo", "hengelo"), False),
        ("periodiekk", "enum", ("periodiek", "hercontrole"), True),
        ("Kerkstraat 12", "enum", ("periodiek", "hercontrole"), False),
        ("jan(at)voorbeeld.nl", "deelnemer", ("enschede",), False),
        ("Z-2024-001", "text", (), True),
        ("0612345678", "text", (), False),
        ("7500AB12", "text", (), True),  # a code-like key is shown; ...
        ("j.jansen@example.nl", "text", (), False),
        ("x" * 33, "text", (), False),
    ],
)
def test_shown_value_shows_only_what_has_the_columns_shape(value, kind, allowed, shown):
    expected = (
        value
        if shown
        else (f"(niet getoond: {len(value)} tekens, mogelijk persoonsgegevens; zie het bestand)")
    )
    assert shown_value(value, kind, allowed) == expected
    assert shown_value(expected, kind, allowed) == expected  # applying it twice changes nothing


FREE_TEXT = SHARED.add(
    "uren_vrije_tekst.csv",
    [
        UREN_HEADER,
        "U1;M1;01-02-2024;GM0153;Controle;basistaak;ziek, belde met Jan de Vries;Ja",
        "U2;M1;01-02-2024;GM0153;Controle;basistaak;acht;Ja",
    ],
)


def test_quarantine_does_not_show_free_text_typed_in_a_number_column(shared):
    accepted(shared.file(FREE_TEXT), regels=2, geladen=0, quarantaine=2)
    assert query(
        shared.settings,
        "select regel, waarde from meta.quarantaine where bestand = ? order by regel",
        [FREE_TEXT],
    ) == [
        (2, "(niet getoond: 28 tekens, mogelijk persoonsgegevens; zie het bestand)"),
        (3, "(niet getoond: 4 tekens, mogelijk persoonsgegevens; zie het bestand)"),
    ]


# --- 7. numbers that pass the format check but do not convert -------------------------------


NOT_CONVERTING = {
    "full_width": ("１２", "geen geheel getal"),  # full-width digits
    "arabic_indic": ("١٢", "geen geheel getal"),  # Arabic-Indic digits
    "beyond_64_bits": ("99999999999999999999", "het getal is te groot (hooguit 18 cijfers)"),
}
for _case, (_aantal, _reason) in NOT_CONVERTING.items():
    SHARED.add(
        f"controles_{_case}.csv",
        [
            "controle_id;inrichting_id;bevoegd_gezag;datum_controle;soort;aantal_overtredingen;"
            "lhso_gevolgen;lhso_gedrag",
            f"{_case}-C1;I1;GM0153;01-02-2024;periodiek;0;;",
            f"{_case}-C2;I1;GM0153;01-02-2024;periodiek;{_aantal};;",
        ],
    )


@pytest.mark.parametrize("case", NOT_CONVERTING)
def test_an_integer_that_does_not_convert_is_quarantined_not_null(shared, case):
    name, (_aantal, reason) = f"controles_{case}.csv", NOT_CONVERTING[case]
    result = shared.file(name)
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(shared.settings, name) == [(3, "aantal_overtredingen", reason)]
    assert query(
        shared.settings,
        "select count(*) from staging.controles where bestand = ? and aantal_overtredingen is null",
        [name],
    ) == [(0,)]


OTHER_DIGITS = {"٨": "uren_arabisch.csv", "８": "uren_breed.csv"}
for _uren, _name in OTHER_DIGITS.items():
    SHARED.add(_name, [UREN_HEADER, f"U1;M1;01-02-2024;GM0153;Controle;basistaak;{_uren};Ja"])


@pytest.mark.parametrize("uren", OTHER_DIGITS)
def test_a_decimal_in_other_digits_is_quarantined(shared, uren):
    name = OTHER_DIGITS[uren]
    accepted(shared.file(name), regels=1, geladen=0, quarantaine=1)
    assert quarantine(shared.settings, name) == [
        (2, "uren", "geen getal (verwacht bijvoorbeeld 1.234,5 met een komma als decimaalteken)")
    ]


def _infinite_amounts(path: Path) -> None:
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["jaar", "maand", "deelnemer", "taakpakket", "post", "bedrag"])
        sheet.write_row(1, 0, [2025, 1, "GM0153", "basistaken", "bijdrage", 1000.0])
        sheet.write_row(2, 0, [2025, 1, "GM0153", "plustaken", "bijdrage", "1e400"])
        sheet.write_row(3, 0, [2025, 1, "GM0153", "facultatief", "bijdrage", "1" * 400])


INFINITE = SHARED.add("begroting_2025.xlsx", _infinite_amounts)


def test_an_infinite_excel_amount_is_quarantined(shared):
    result = shared.file(INFINITE)
    accepted(result, regels=3, geladen=1, quarantaine=2)
    assert [r[1:] for r in quarantine(shared.settings, INFINITE)] == [
        ("bedrag", "het getal is te groot om te verwerken"),
        ("bedrag", "het getal is te groot om te verwerken"),
    ]
    assert query(
        shared.settings, "select bedrag from staging.begroting where bestand = ?", [INFINITE]
    ) == [(1000.0,)]


# --- 13. mixed encodings ----------------------------------------------------------------------


MIXED = SHARED.add(
    "inrichtingen_gemengd.csv",
    b"inrichting_id;naam;bevoegd_gezag\r\n"
    + "I1;Caf\u00e9 Centraal;GM0153\r\n".encode("cp1252")
    + "I2;Caf\u00e9 De Hoek;GM0153\r\n".encode("utf-8"),
)


def test_windows_1252_with_utf8_rows_is_refused_with_the_line(shared):
    result = shared.file(MIXED)
    assert result.status == GEWEIGERD
    assert result.melding.startswith("gemengde tekencodering: regel 3 bevat tekst in UTF-8")
    assert "'é'" in result.melding and "'Ã©'" in result.melding
    assert "CSV UTF-8" in result.melding


REAL_CP1252 = SHARED.add(
    "inrichtingen_2024.csv",
    "inrichting_id;naam;plaats;bevoegd_gezag\r\n"
    "I1;Café ‘t Hoekje – € 12,50;Enschede;GM0153\r\n"
    "I2;Coöperatie “De Eendracht”;Hengelo;GM0164\r\n"
    "I3;Bäckerei Müller ß;Oldenzaal;Oldenzaal\r\n".encode("cp1252"),
)


def test_real_windows_1252_text_is_not_taken_for_mixed(shared):
    result = shared.file(REAL_CP1252)
    accepted(result, regels=3, geladen=3, quarantaine=0)
    assert result.codering == "cp1252"


# --- 16. long fields and control characters say what really happened ------------------------


def _two_megabytes(reader: str) -> list[str]:
    lines = [
        f"{KLACHTEN_HEADER};inrichting_id",
        f"{reader}-K1;01-02-2024;GM0153;geur;I1",
        f"{reader}-K2;01-02-2024;GM0153;geur;" + "I" * 2_000_000,
    ]
    if reader == "exact":
        lines.append(f"{reader}-K3;01-02")  # a broken line sends the file to Python's reader
    return lines


for _reader in ("fast", "exact"):
    SHARED.add(f"klachten_lang_{_reader}.csv", _two_megabytes(_reader))


@pytest.mark.parametrize("reader", ["fast", "exact"])
def test_a_two_megabyte_field_is_reported_as_too_long(shared, reader):
    name, lines = f"klachten_lang_{reader}.csv", _two_megabytes(reader)
    result = shared.file(name)
    accepted(result, regels=len(lines) - 1, geladen=1, quarantaine=len(lines) - 2)
    rows = quarantine(shared.settings, name)
    assert rows[0] == (3, "inrichting_id", FIELD_TOO_LONG)
    assert query(
        shared.settings,
        "select length(waarde) < 100 from meta.quarantaine where bestand = ? and regel = 3",
        [name],
    ) == [(True,)]


def _nul_byte(case: str, offset: int) -> list[str]:
    filler = [f"{case[0]}F{i};01-02-2024;GM0153;geur" for i in range(offset // 25)]
    return [KLACHTEN_HEADER, *filler, f"{case[0]}K\x002;01-02-2024;GM0153;geur", f"{case[0]}{GOOD}"]


NUL_OFFSETS = {"in_first_8_kb": 100, "after_8_kb": 20_000}
for _case, _offset in NUL_OFFSETS.items():
    SHARED.add(f"klachten_nul_{_case}.csv", _nul_byte(_case, _offset))


@pytest.mark.parametrize("case", NUL_OFFSETS)
def test_a_nul_byte_quarantines_its_row_wherever_it_is(shared, case):
    name, lines = f"klachten_nul_{case}.csv", _nul_byte(case, NUL_OFFSETS[case])
    result = shared.file(name)
    accepted(result, regels=len(lines) - 1, geladen=len(lines) - 2, quarantaine=1)
    assert quarantine(shared.settings, name) == [(len(lines) - 1, "klacht_id", FIELD_CONTROL)]


CONTROL_BYTES = SHARED.add(
    "klachten_stuurtekens.csv",
    KLACHTEN_HEADER.encode() + b"\n" + b"K\x00\x01\x02;\x00\x00" * 50,
)


def test_a_file_full_of_control_bytes_is_still_refused_as_binary(shared):
    result = shared.file(CONTROL_BYTES)
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


@pytest.mark.slow  # writes and inspects a 300 MB zip bomb
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
    assert result.melding.startswith("het blad gebruikt meer dan 500 kolommen")


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


BOM = SHARED.add(
    "klachten_bom.csv",
    codecs.BOM_UTF8 + f"{KLACHTEN_HEADER}\nKB1;01-02-2024;GM0153;geur\n".encode(),
)


def test_utf8_bom_file_is_still_fine(shared):
    accepted(shared.file(BOM), regels=1, geladen=1, quarantaine=0)


# --- review of the first fix: xlsx tricks that got past a regular expression ---------------

FORMATIE = ["jaar", "team", "functie", "formatie_fte"]
FORMATIE_ROW = ["2024", "Team A", "Toezichthouder", "1,0"]


FAR_AWAY = {
    "single_quotes": "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>",
    "other_prefix": f'<row r="1048576"><x-1:c xmlns:x-1="{xlsx_parts.MAIN}" r="XFD1048576" '
    't="inlineStr"><x-1:is><x-1:t>x</x-1:t></x-1:is></x-1:c></row>',
    "cells_without_reference": '<row r="1048576">'
    + '<c t="inlineStr"><is><t>x</t></is></c>' * 600
    + "</row>",
}


def _far_away(far: str):
    def make(path: Path) -> None:
        sheet = xlsx_parts.cells([(1, FORMATIE), (2, FORMATIE_ROW)], extra=far)
        xlsx_parts.workbook(path, [("formatie", "visible", sheet)])

    return make


for _case, _far in FAR_AWAY.items():
    SHARED.add(f"formatie_ver_{_case}.xlsx", _far_away(_far))


@pytest.mark.parametrize("case", FAR_AWAY)
def test_a_far_away_cell_is_refused_however_it_is_written(shared, case):
    result = shared.file(f"formatie_ver_{case}.xlsx")
    assert result.status == GEWEIGERD
    assert result.melding.startswith(("het blad gebruikt meer dan 500", "het blad beslaat"))
    assert list(LakePaths(shared.settings.lake_dir).tmp.iterdir()) == []


def _lying(declared: str):
    def make(path: Path) -> None:
        rows = [(1, FORMATIE), *((i, FORMATIE_ROW) for i in range(2, 200))]
        sheet = xlsx_parts.cells(rows)
        xlsx_parts.workbook(path, [("formatie", "visible", sheet)])
        size = len(sheet) // 2 if declared == "head" else 100
        xlsx_parts.lie_about_size(path, "xl/worksheets/sheet1.xml", size)

    return make


for _declared in ("head", "tiny"):
    SHARED.add(f"formatie_grootte_{_declared}.xlsx", _lying(_declared))


@pytest.mark.parametrize("declared", ["head", "tiny"])
def test_a_part_that_lies_about_its_size_is_refused(shared, declared):
    """Python's zipfile stops at the stated size (and the CRC of that prefix matches); a
    spreadsheet reader inflates everything: what it would read is what is checked."""
    result = shared.file(f"formatie_grootte_{declared}.xlsx")
    assert result.status == GEWEIGERD
    assert result.melding.startswith("het Excel-bestand is beschadigd of bewerkt")


def _same_names(path: Path) -> None:
    secret = xlsx_parts.cells([(1, FORMATIE), (2, ["2024", "GEHEIM", "x", "1"])])
    shown = xlsx_parts.cells([(1, FORMATIE), (2, FORMATIE_ROW)])
    xlsx_parts.workbook(path, [("formatie", "hidden", secret), ("Formatie", "visible", shown)])


SAME_NAMES = SHARED.add("formatie_verborgen.xlsx", _same_names)


def test_a_hidden_sheet_with_the_visible_sheets_name_is_refused(shared):
    result = shared.file(SAME_NAMES)
    assert result.status == GEWEIGERD
    assert "twee bladen met dezelfde naam" in result.melding


def _strict(path: Path) -> None:
    sheet = xlsx_parts.cells([(1, FORMATIE), (2, FORMATIE_ROW)])
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    xlsx_parts.workbook(path, [("formatie", "visible", sheet)], main_ns=strict)


STRICT = SHARED.add("formatie_strict.xlsx", _strict)


def test_strict_open_xml_gets_its_own_message(shared):
    result = shared.file(STRICT)
    assert result.status == GEWEIGERD
    assert "Strict Open XML" in result.melding


def _duplicated_header(path: Path) -> None:
    sheet = xlsx_parts.cells([(1, [*FORMATIE, "team"]), (2, [*FORMATIE_ROW, "Team B"])])
    xlsx_parts.workbook(path, [("formatie", "visible", sheet)])


DUPLICATED_HEADER = SHARED.add("formatie_dubbel.xlsx", _duplicated_header)


def test_a_duplicated_excel_header_is_refused_as_in_csv(shared):
    result = shared.file(DUPLICATED_HEADER)
    assert result.status == GEWEIGERD
    assert "de kolom 'team' komt twee keer voor in de kopregel (kolom 2 en 5)" in result.melding


def _lower_table(path: Path) -> None:
    sheet = xlsx_parts.cells(
        [(3, FORMATIE), (4, FORMATIE_ROW), (5, ["2024", "Team B", "Jurist", "veel"])]
    )
    xlsx_parts.workbook(path, [("formatie", "visible", sheet)])


LOWER_TABLE = SHARED.add("formatie_lager.xlsx", _lower_table)


def test_a_table_lower_in_the_sheet_keeps_the_sheets_row_numbers(shared):
    accepted(shared.file(LOWER_TABLE), regels=2, geladen=1, quarantaine=1)
    assert [r[:2] for r in quarantine(shared.settings, LOWER_TABLE)] == [(5, "formatie_fte")]


# --- review of the first fix: fields in columns that are never stored ----------------------

KLACHT_MET_TEKST = f"{KLACHTEN_HEADER};omschrijving;wijk"


NEVER_STORED = {
    "nul_in_dropped": (";geur;stank\x00;Noord", FIELD_CONTROL),
    "nul_in_ignored": (";geur;stank;No\x00ord", FIELD_CONTROL),
    "long_dropped": (";geur;" + "s" * 2_200_000 + ";Noord", FIELD_TOO_LONG),
    "long_ignored": (";geur;stank;" + "w" * 40_000, FIELD_TOO_LONG),
}
for _case, (_rest, _reason) in NEVER_STORED.items():
    SHARED.add(
        f"klachten_niet_bewaard_{_case}.csv",
        [
            KLACHT_MET_TEKST,
            f"{_case}-K1;01-02-2024;GM0153;geur;stank;Zuid",
            f"{_case}-K2;01-02-2024;GM0153{_rest}",
        ],
    )


@pytest.mark.parametrize("case", NEVER_STORED)
def test_fields_of_columns_never_stored_are_checked_too(shared, case):
    name, (_rest, reason) = f"klachten_niet_bewaard_{case}.csv", NEVER_STORED[case]
    result = shared.file(name)
    accepted(result, regels=2, geladen=1, quarantaine=1)
    ((regel, _, why),) = quarantine(shared.settings, name)
    assert (regel, why) == (3, reason)
    assert query(
        shared.settings, "select waarde from meta.quarantaine where bestand = ?", [name]
    ) == [("(persoonsgegeven, niet getoond)",)]


def test_an_unclosed_quote_that_swallows_rows_is_reported(tmp_path, settings):
    rows = [f"K{i};01-02-2024;GM0153;geur;gewoon;Noord" for i in range(3, 103)]
    lines = [
        KLACHT_MET_TEKST,
        '"K1";01-02-2024;GM0153;geur;"stank, zie bijlage;Noord',  # the quote is not closed ...
        *rows,
        'K103;01-02-2024;GM0153;geur;zie notitie";Noord',  # ... until here
        "K104;01-02-2024;GM0153;geur;gewoon;Noord",
    ]
    path = write(tmp_path, "klachten_2024.csv", lines)
    result = run(settings, path).files[0]
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(settings, "klachten_2024.csv") == [
        (
            2,
            "(hele regel)",
            "een veld loopt over 102 regels die zelf op hele rijen lijken: waarschijnlijk "
            "wordt een aanhalingsteken niet gesloten; corrigeer de export",
        )
    ]
    assert query(settings, "select klacht_id from staging.klachten") == [("K104",)]


INVISIBLE = {"\u200b": "zwsp", "\u0085": "nel", "\u202e": "rlo", "\ufeff": "bom", "\u2028": "ls"}
for _char, _case in INVISIBLE.items():
    SHARED.add(
        f"klachten_onzichtbaar_{_case}.csv",
        [
            KLACHTEN_HEADER,
            f"{_case}-K1;01-02-2024;GM0153;geur",
            f"{_case}-K1{_char};02-02-2024;GM0153;geur",
        ],
    )


@pytest.mark.parametrize("char", list(INVISIBLE))
def test_invisible_characters_quarantine_their_row(shared, char):
    name = f"klachten_onzichtbaar_{INVISIBLE[char]}.csv"
    accepted(shared.file(name), regels=2, geladen=1, quarantaine=1)
    assert quarantine(shared.settings, name) == [(3, "klacht_id", FIELD_CONTROL)]


LONE_CR = SHARED.add(
    "klachten_cr.csv",
    f"{KLACHTEN_HEADER}\r\nK1;01-02-2024;GM0153;geur\rK2;01-02-2024;GM0153;geur\r\n".encode(),
)


def test_lone_carriage_returns_are_refused(shared):
    result = shared.file(LONE_CR)
    assert result.status == GEWEIGERD
    assert result.melding.startswith("sommige regels eindigen alleen op CR")


def test_mixed_encoding_beyond_dutch_letters_and_the_line_of_each(tmp_path, settings):
    turkish = tmp_path / "klachten_2024.csv"
    turkish.write_bytes(
        (KLACHTEN_HEADER + ";naam_inrichting\n").encode()
        + "K1;01-02-2024;GM0153;geur;Caf\u00e9\n".encode("cp1252")
        + "K2;01-02-2024;GM0153;geur;Y\u0131lmaz \u015e.\n".encode("utf-8")
    )
    result = run(settings, turkish).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith("gemengde tekencodering: regel 3 bevat tekst in UTF-8")
    assert "maar regel 2 niet" in result.melding

    mostly_utf8 = tmp_path / "klachten_2025.csv"
    body = "".join(f"K{i};01-02-2025;GM0153;geur;Caf\u00e9\n" for i in range(400))
    mostly_utf8.write_bytes(
        (KLACHTEN_HEADER + ";naam_inrichting\n" + body).encode()
        + "K400;01-02-2025;GM0153;geur;Caf\u00e9\n".encode("cp1252")
    )
    result = run(settings, mostly_utf8).files[0]
    assert result.status == GEWEIGERD
    assert "regel 2 bevat tekst in UTF-8" in result.melding
    assert "maar regel 402 niet" in result.melding


AFTER_2100 = SHARED.add(
    "medewerkers_2024.csv",
    [
        "peildatum;medewerker_id;functie;team;fte;dienstverband",
        "31-12-2024;M1;jurist;J;1,0;vast",
        "31-12-9999;M2;jurist;J;1,0;vast",
    ],
)


def test_a_date_after_2100_is_impossible(shared):
    accepted(shared.file(AFTER_2100), regels=2, geladen=1, quarantaine=1)
    assert quarantine(shared.settings, AFTER_2100) == [
        (3, "peildatum", "onmogelijke datum (na 2100; laat een onbekende datum leeg)")
    ]


def test_a_file_name_that_is_not_utf8_loads_under_a_readable_name(tmp_path, settings):
    folder = tmp_path / "oud"
    folder.mkdir()
    name = os.fsdecode(b"klachten_caf\xe9.csv")
    (folder / name).write_text(f"{KLACHTEN_HEADER}\n{GOOD}\n", encoding="utf-8")
    result = load(settings, [folder], today=TODAY).files[0]
    accepted(result, regels=1, geladen=1, quarantaine=0)
    assert result.bestand == "klachten_caf\ufffd.csv"
    assert query(settings, "select bestand from meta.loads") == [("klachten_caf\ufffd.csv",)]


# --- review of the first fix: the mapping file ------------------------------------------------


def test_an_alias_cannot_bring_personal_data_in_under_another_name(tmp_path):
    mapping = tmp_path / "koppelingen.toml"
    mapping.write_text(
        '[zaken]\n"Naam aanvrager" = "kenmerk"\n[extra_kolommen]\nzaken = ["kenmerk"]\n'
    )
    with pytest.raises(SettingsError, match="'naam_aanvrager' lijkt persoonsgegevens te bevatten"):
        ExportMapping.from_files([mapping])


def test_a_mapping_file_that_is_not_utf8_gets_a_dutch_message(tmp_path):
    mapping = tmp_path / "koppelingen.toml"
    mapping.write_bytes('[zaken]\n"Zaak nr\u00e9" = "zaaknummer"\n'.encode("cp1252"))
    with pytest.raises(SettingsError, match="is geen UTF-8-tekst"):
        ExportMapping.from_files([mapping])


def test_memory_settings_are_checked_with_the_variables_name(monkeypatch):
    from vthmonitor.settings import Settings

    monkeypatch.setenv("VTHMONITOR_MEMORY_LIMIT", "abc")
    with pytest.raises(SettingsError, match="VTHMONITOR_MEMORY_LIMIT"):
        Settings.from_env()


@pytest.mark.parametrize("folder", ["la?ke", "la\\ke"])
def test_a_lake_folder_duckdb_cannot_open_is_refused_up_front(tmp_path, folder):
    export = write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, GOOD])
    cli = vthmonitor("load", str(export), lake=tmp_path / folder)
    assert cli.returncode == 2
    assert "bevat een ? of \\; kies een map zonder die tekens" in cli.stderr
    assert "Traceback" not in cli.stderr
