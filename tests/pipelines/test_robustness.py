"""Inputs and situations found in review: old Mac line endings, a stray quote mid-file,
personal data in unknown columns, Excel typing and row numbers, and a publish while another
session still reads."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import xlsxwriter

from pipelines.load import GELADEN, GEWEIGERD
from tests.pipelines.shared_load import SharedLoad
from tests.pipelines.test_bad_input import (
    KLACHTEN_HEADER,
    TODAY,
    accepted,
    quarantine,
    query,
    run,
    write,
)
from vthmonitor.lake import PublishedLake

# Tests that offer one file and look only at what became of it share one load
# (tests/pipelines/shared_load.py), each under its own file name and keys.
SHARED = SharedLoad(TODAY)
shared = SHARED.fixture()


CR_ONLY = SHARED.add("klachten_cr.csv", f"{KLACHTEN_HEADER}\rK1;01-02-2024;GM0153;geur\r".encode())


def test_cr_only_line_endings_are_rejected_not_read_as_empty(shared):
    result = shared.file(CR_ONLY)
    assert result.status == GEWEIGERD
    assert "alleen op CR" in result.melding


STRAY_QUOTE = SHARED.add(
    "klachten_aanhalingsteken.csv",
    [
        KLACHTEN_HEADER,
        "K1;01-02-2024;GM0153;geur",
        'K2;02-02-2024;"GM0153;geluid',  # the quote is never closed
        "K3;03-02-2024;GM0164;geluid",
        "K4;04-02-2024;GM0164;geur",
    ],
)


def test_stray_quote_quarantines_only_its_own_line(shared):
    result = shared.file(STRAY_QUOTE)
    accepted(result, regels=4, geladen=3, quarantaine=1)
    assert quarantine(shared.settings, STRAY_QUOTE) == [
        (
            3,
            "(hele regel)",
            "de regel is afgebroken (een aanhalingsteken wordt niet gesloten); "
            "corrigeer of exporteer opnieuw",
        )
    ]
    assert query(
        shared.settings,
        "select klacht_id, regel from staging.klachten where bestand = ? order by 1",
        [STRAY_QUOTE],
    ) == [("K1", 2), ("K3", 4), ("K4", 5)]


def _extra_columns(settings) -> list[str]:
    return [
        r[0]
        for r in query(
            settings,
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'klachten' "
            "and column_name like 'extra_%' order by column_name",
        )
    ]


def test_unknown_columns_stay_in_landing_unless_the_mapping_admits_them(tmp_path, settings):
    header = f"{KLACHTEN_HEADER};Naam melder 2;Opmerking;wijk;Burgerservicenummer;GSM"
    path = write(
        tmp_path, "klachten_2024.csv", [header, "K1;01-02-2024;GM0153;geur;Jan;boos;Noord;1;06"]
    )
    result = run(settings, path).files[0]
    accepted(result, regels=1, geladen=1, quarantaine=0)
    assert result.niet_overgenomen == [
        "naam_melder_2",
        "opmerking",
        "wijk",
        "burgerservicenummer",
        "gsm",
    ]
    assert "onbekende kolommen niet overgenomen" in result.line()
    assert _extra_columns(settings) == []
    assert query(settings, "select niet_overgenomen from meta.loads") == [
        ("naam_melder_2, opmerking, wijk, burgerservicenummer, gsm",)
    ]

    mapping = tmp_path / "koppelingen.toml"
    mapping.write_text('[extra_kolommen]\nklachten = ["wijk"]\n', encoding="utf-8")
    admitted = replace(settings, mapping_file=mapping)
    second = write(
        tmp_path, "klachten_2025.csv", [header, "K2;01-02-2025;GM0153;geur;Piet;;Zuid;2;07"]
    )
    accepted(run(admitted, second).files[0], regels=1, geladen=1, quarantaine=0)
    assert _extra_columns(admitted) == ["extra_wijk"]
    assert query(admitted, "select klacht_id, extra_wijk from raw.klachten order by 1") == [
        ("K1", None),
        ("K2", "Zuid"),
    ]


def _xlsx(path, header, rows):
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, header)
        for i, row in enumerate(rows, start=1):
            if row is not None:
                sheet.write_row(i, 0, row)


def _excel_text_after_numbers(path) -> None:
    rows = [[f"O{i}", "M1", "2024-03-01", 100.0 + i, 8.0] for i in range(150)]
    rows.append(None)  # an empty row 152: not a data row, but it keeps its number
    rows.append(["O150", "M1", "2024-03-01", 100.0, "1,5"])  # text in a numeric column
    rows.append(["O151", "M1", "2024-03-01", "veel", 4.0])  # invalid: row 154
    _xlsx(path, ["regel_id", "medewerker_id", "datum", "kosten", "uren"], rows)


EXCEL_TEXT = SHARED.add("opleidingen_2024.xlsx", _excel_text_after_numbers)


def test_excel_text_after_many_numbers_is_kept_and_rows_keep_their_number(shared):
    result = shared.file(EXCEL_TEXT)
    assert result.status == GELADEN, result.melding
    accepted(result, regels=152, geladen=151, quarantaine=1)
    assert query(
        shared.settings, "select uren from staging.opleidingen where regel_id = 'O150'"
    ) == [(1.5,)]
    assert [r[:2] for r in quarantine(shared.settings, EXCEL_TEXT)] == [(154, "kosten")]


def test_publish_does_not_close_a_cursor_another_session_is_using(tmp_path, settings):
    first = write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"])
    run(settings, first)
    reader = PublishedLake(settings)
    session_a = reader.cursor()
    second = write(tmp_path, "klachten_2025.csv", [KLACHTEN_HEADER, "K2;01-02-2025;GM0153;geur"])
    run(settings, second)
    session_b = reader.cursor()  # sees the new build ...
    assert session_b.execute("select count(*) from staging.klachten").fetchone() == (2,)
    # ... while session A's cursor still answers, from the build it started on
    assert session_a.execute("select count(*) from staging.klachten").fetchone() == (1,)
    assert pl.DataFrame(session_a.execute("select 1 as x").fetchall()).height == 1
    reader.close()
