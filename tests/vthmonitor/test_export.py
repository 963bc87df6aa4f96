"""Downloads and formula injection (docs/exports.md): every CSV a user gets neutralises text a
spreadsheet would evaluate, numbers stay numbers, and the xlsx holds no formula and no live
hyperlink. Checked on the bytes of vthmonitor/export.py; the bytes the app's download buttons
hand out are checked in tests/dashboard/test_downloads.py."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

import polars as pl

from vthmonitor import export

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PLAIN = "{http://schemas.openxmlformats.org/package/2006/relationships}"

TEKSTEN = [
    "=1+1",
    "@SUM(A1)",
    "-2+3",
    "+31 6 12345678",
    "+31612345678",
    "\t=1+1",
    "\r=1+1",
    "-12",
    "-3,5",
    "https://example.org/?a=1",
    "gewoon",
    None,
]


def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "tekst": TEKSTEN,
            "getal": [-1, -2, 3, -4, 5, 6, 7, 8, 9, 10, -11, None],
            "bedrag": [-12.5] + [1.0] * 10 + [None],
        }
    )


def test_csv_neutralises_formula_text_and_keeps_numbers():
    # Only a text cell that is just a number with at most a leading minus is left as it is:
    # Excel reads it as that number. A leading + (a phone number) or anything else is text.
    expected = (
        "tekst;getal;bedrag\n"
        "'=1+1;-1;-12,5\n"
        "'@SUM(A1);-2;1,0\n"
        "'-2+3;3;1,0\n"
        "'+31 6 12345678;-4;1,0\n"
        "'+31612345678;5;1,0\n"
        "'\t=1+1;6;1,0\n"
        '"\'\r=1+1";7;1,0\n'
        "-12;8;1,0\n"
        "-3,5;9;1,0\n"
        "https://example.org/?a=1;10;1,0\n"
        "gewoon;-11;1,0\n"
        ";;\n"
    )
    assert export.csv_bytes(frame()) == b"\xef\xbb\xbf" + expected.encode("utf-8")
    # read back, the numeric columns are still numbers
    back = pl.read_csv(io.BytesIO(export.csv_bytes(frame())), separator=";", decimal_comma=True)
    assert back.schema["getal"] == pl.Int64 and back["bedrag"][0] == -12.5


def test_column_names_and_text_written_from_other_types_are_neutralised():
    data = pl.DataFrame(
        {
            "=kop": ["a"],
            "soort": pl.Series(["=1+1"], dtype=pl.Categorical),
            "duur": pl.Series([dt.timedelta(hours=-1)]),
            "lijst": [["=1+1", "b"]],
            "record": [{"x": "=1+1"}],
            "dag": [dt.date(2024, 7, 1)],
        }
    )
    assert export.csv_text(data) == (
        "'=kop;soort;duur;lijst;record;dag\n"
        "a;'=1+1;'-1 day, 23:00:00;['=1+1', 'b'];{'x': '=1+1'};2024-07-01\n"
    )


def cells(xlsx: bytes) -> dict[str, dict]:
    """Every cell of the first sheet: its text or number and whether it is a formula, a shared
    string and marked as text (quote prefix)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        strings = [
            # OOXML writes control characters as _xHHHH_ (a CR is _x000D_)
            re.sub(
                "_x([0-9A-F]{4})_",
                lambda m: chr(int(m.group(1), 16)),
                "".join(t.text or "" for t in si.iter(f"{MAIN}t")),
            )
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{MAIN}si")
        ]
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        prefixed = [
            xf.get("quotePrefix") == "1" for xf in styles.find(f"{MAIN}cellXfs").iter(f"{MAIN}xf")
        ]
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    found = {}
    for c in sheet.iter(f"{MAIN}c"):
        v = c.find(f"{MAIN}v")
        text = strings[int(v.text)] if c.get("t") == "s" and v is not None else None
        found[c.get("r")] = {
            "tekst": text,
            "getal": float(v.text) if c.get("t") is None and v is not None else None,
            "formule": c.find(f"{MAIN}f") is not None,
            "als_tekst": prefixed[int(c.get("s", 0))],
        }
    return found


def hyperlinks(xlsx: bytes) -> list[str]:
    """Hyperlink relationships and <hyperlink> elements anywhere in the package."""
    found = []
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        for name in z.namelist():
            if name.endswith(".rels"):
                for rel in ElementTree.fromstring(z.read(name)).iter(f"{PLAIN}Relationship"):
                    if rel.get("Type", "").endswith("/hyperlink"):
                        found.append(f"{name}: {rel.get('Target')}")
            elif name.startswith("xl/worksheets/") and b"<hyperlink" in z.read(name):
                found.append(name)
    return found


def formulas(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_excel_keeps_text_exact_without_formulas_or_hyperlinks():
    xlsx = export.excel_bytes(frame())
    assert formulas(xlsx) == []
    assert hyperlinks(xlsx) == []
    found = cells(xlsx)
    # column A is the text: exactly as it was, a text cell, marked as text (Excel's apostrophe)
    for row, tekst in enumerate(TEKSTEN[:-1], start=2):
        assert found[f"A{row}"]["tekst"] == tekst, row
        assert found[f"A{row}"]["als_tekst"] and not found[f"A{row}"]["formule"], row
    # numbers are numbers
    assert found["B2"]["getal"] == -1 and found["C2"]["getal"] == -12.5
    assert not found["B2"]["als_tekst"]
    back = pl.read_excel(io.BytesIO(xlsx))  # which leaves out the empty last row
    assert back.rows() == frame().head(-1).rows()


def test_importing_the_export_module_does_not_load_streamlit():
    # vthmonitor/cli.py writes its CSV with vthmonitor.export: the CLI must stay Streamlit-free
    code = "import sys, vthmonitor.cli; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_csv_has_a_decimal_comma_for_dutch_excel_and_the_cli_a_point():
    data = pl.DataFrame({"naam": ["a;b"], "pct": [75.3], "bedrag": [1234567.25], "n": [3]})
    assert export.csv_bytes(data).decode("utf-8-sig") == (
        'naam;pct;bedrag;n\n"a;b";75,3;1234567,25;3\n'
    )
    # scripts get the international form
    assert export.csv_text(data, separator=",", decimal_comma=False) == (
        "naam,pct,bedrag,n\na;b,75.3,1234567.25,3\n"
    )


def _cell_formats(xlsx: bytes) -> dict[str, str]:
    """Per cell of the first data row: the number format Excel shows it with."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    custom = {n.get("numFmtId"): n.get("formatCode") for n in styles.iter(f"{MAIN}numFmt")}
    xfs = list(styles.find(f"{MAIN}cellXfs"))
    formats = {}
    for cell in sheet.iter(f"{MAIN}c"):
        if cell.get("r", "").endswith("2") and len(cell.get("r")) == 2:
            xf = xfs[int(cell.get("s", "0"))]
            formats[cell.get("r")] = custom.get(xf.get("numFmtId"), xf.get("numFmtId"))
    return formats


def test_excel_cells_are_numbers_with_a_number_format_and_dates_dutch():
    data = pl.DataFrame(
        {
            "pct": [75.25, 80.0],
            "aantal": [1234, 5],
            "heel": [12.0, 13.0],
            "datum": [dt.date(2025, 12, 31), None],
        }
    )
    xlsx = export.excel_bytes(data, "Naleving Hengelo 2025-Q4")
    assert _cell_formats(xlsx) == {
        "A2": "#,##0.0#",
        "B2": "#,##0",
        "C2": "#,##0",
        "D2": "dd-mm-yyyy",
    }
    back = pl.read_excel(io.BytesIO(xlsx))
    assert back["pct"].to_list() == [75.25, 80.0]
    assert back["aantal"].to_list() == [1234, 5]
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        assert b'name="Naleving Hengelo 2025-Q4"' in z.read("xl/workbook.xml")


def test_sheet_names_excel_accepts():
    assert export.sheet_name("Klachten per aard: Hof van Twente 2025-Q4") == (
        "Klachten per aard Hof van Twent"
    )
    assert export.sheet_name("a/b[c]*?\\d") == "a b c d"
    assert export.sheet_name("''") == "gegevens"


def test_file_stem_says_what_and_for_whom_and_is_safe():
    assert export.file_stem("Hengelo", "naleving", "2025-Q4") == "hengelo_naleving_2025-Q4"
    assert export.file_stem("Hof van Twente", "klachten per aard", None, "2025-03") == (
        "hof_van_twente_klachten_per_aard_2025-03"
    )
    assert export.file_stem("Oost Gelre é", "x") == "oost_gelre_e_x"
    assert export.file_stem("../../etc/passwd", "\x00") == "etc_passwd"
    assert export.file_stem(None, "") == "gegevens"
