"""Downloads of a table as CSV, Excel or Parquet: pure functions from a polars frame to bytes.

This module imports no Streamlit: `vthmonitor sql --format csv` writes its CSV with csv_text()
below, so every CSV a user gets (dashboard tables, TOP-X, workbench, CLI) is made by the same
code. Design and the reasons behind it: docs/exports.md.

CSV uses ';', a decimal comma and UTF-8 with BOM, so Dutch Excel opens it with the columns
split, numbers as numbers (75,3, not the date or text that 75.3 becomes there) and accents
intact. The xlsx has numeric cells with a number format (Excel shows it in the reader's own
locale: 1.234,5 in Dutch Excel), dates as dates shown dd-mm-jjjj, and a readable sheet name.
Excel cannot hold every type a query can return: nested values (lists, structs) become
text, and time zones are converted to Dutch local time without zone, as Excel has none.
Parquet keeps every type exactly.

Formula injection: a spreadsheet evaluates a cell that starts with = + - @ TAB or CR as a
formula (OWASP "CSV injection"). CSV has no cell types, so such a text cell gets a leading
apostrophe, which Excel reads as "this is text" (neutralise()); numeric columns stay numbers.
The xlsx writer never turns text into a formula, a number or a hyperlink, and marks every text
cell with Excel's own "quote prefix", so the exact text is kept and editing it cannot start a
formula either.
"""

from __future__ import annotations

import io
import re
import unicodedata

import polars as pl
import xlsxwriter

EXCEL_MAX_ROWS = 1_048_575  # one row of the sheet is the header

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}

# A text cell a spreadsheet may evaluate: its first character starts a formula (=, + , -, @) or
# is a TAB or CR, which Excel skips before it looks for one (OWASP).
FORMULA_START = r"^[=+\-@\t\r]"
# ... unless the whole text is a plain number: Excel reads "-12" or "-3,5" as that number, never
# as a formula, and an apostrophe would make it text that no longer sums. Only a leading minus:
# a leading plus is how phone numbers are written (+31612345678), which must stay text, and
# anything else (spaces, exponents, "-2+3") is neutralised. See docs/exports.md.
PLAIN_NUMBER = r"^-?[0-9]+([.,][0-9]+)?$"
_FORMULA_START = re.compile(FORMULA_START)
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)

# What xlsxwriter would otherwise do with a text cell: "=..." a formula, "http://..." a live
# hyperlink, "12" a number. Text stays text. NaN and inf become Excel's #NUM! (as polars does).
_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "default_date_format": "yyyy-mm-dd;@",  # as polars sets it for a workbook of its own
}


class TooLargeForExcel(ValueError):
    pass


def csv_text(
    frame: pl.DataFrame, separator: str = ";", decimal_comma: bool = True, header: bool = True
) -> str:
    """The frame as CSV text, ready for a spreadsheet: Excel-writable types and every text cell
    (and column name) that could start a formula neutralised. Dutch by default (';' and a
    decimal comma); the CLI writes ',' with a decimal point for scripts. Without `header` for
    the next part of a file written in parts (the workbench's download of a whole result)."""
    return neutralise(_excel_safe(frame)).write_csv(
        separator=separator, decimal_comma=decimal_comma, include_header=header
    )


def csv_bytes(frame: pl.DataFrame, header: bool = True) -> bytes:
    """Dutch CSV as Excel opens it: UTF-8 with a BOM in front of the header."""
    return csv_text(frame, header=header).encode("utf-8-sig" if header else "utf-8")


# Number formats are stored locale-free ("#,##0.0") and shown in the reader's locale, so Dutch
# Excel shows 1.234,5. Whole-number columns get no decimals; others up to two (a rate of 0,25
# stays 0,25; the cell keeps its full value).
_WHOLE = "#,##0"
_DECIMAL = "#,##0.0#"
_DATE = "dd-mm-yyyy"
_DATETIME = "dd-mm-yyyy hh:mm"


def sheet_name(text: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/ or a
    backslash, and not starting or ending with an apostrophe."""
    name = re.sub(r"[\[\]:*?/\\\s]+", " ", text).strip().strip("'").strip()
    return name[:31].strip() or "gegevens"


def excel_bytes(frame: pl.DataFrame, sheet: str = "gegevens") -> bytes:
    if frame.height > EXCEL_MAX_ROWS:
        raise TooLargeForExcel(
            f"{frame.height} rijen passen niet in één Excel-blad; kies CSV of Parquet."
        )
    safe = _excel_safe(frame)
    formats: dict[str, object] = {}
    for name, dtype in safe.schema.items():
        if dtype == pl.String:
            formats[name] = {"quote_prefix": True}
        elif dtype.is_integer():
            formats[name] = _WHOLE
        elif dtype.is_float():
            values = safe[name].drop_nulls().drop_nans()
            whole = values.len() == 0 or bool((values.round(0) == values).all())
            formats[name] = _WHOLE if whole else _DECIMAL
        elif dtype == pl.Date:
            formats[name] = _DATE
        elif isinstance(dtype, pl.Datetime):
            formats[name] = _DATETIME
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, _WORKBOOK_OPTIONS) as workbook:
        safe.write_excel(
            workbook,
            worksheet=sheet_name(sheet),
            column_formats=formats,
            autofit=True,
            freeze_panes=(1, 0),
        )
    return buffer.getvalue()


def file_stem(*parts: object) -> str:
    """A download's file name without extension that says what and for whom, safe on every
    file system: file_stem("Hengelo", "naleving", "2025-Q4") == "hengelo_naleving_2025-Q4".
    Accents are dropped (Almelo's 'ë' → 'e'), anything but letters, digits and '-' becomes '_';
    words are lower case, a period keeps its 'Q'. Empty parts are left out."""
    words = []
    for part in parts:
        if part is None:
            continue
        text = unicodedata.normalize("NFKD", str(part)).encode("ascii", "ignore").decode()
        text = re.sub(r"[^A-Za-z0-9-]+", "_", text).strip("_-")
        if not any(c.isdigit() for c in text):
            text = text.lower()
        if text:
            words.append(text)
    return "_".join(words)[:120] or "gegevens"


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text cell and column name that a spreadsheet could evaluate as a formula, with an
    apostrophe in front (OWASP); other cells, and columns of any other type, unchanged."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.String:
            risky = column.str.contains(FORMULA_START) & ~column.str.contains(PLAIN_NUMBER)
            column = pl.when(risky).then(pl.lit("'") + column).otherwise(column)
        columns.append(column.alias(neutral_text(name)))
    return frame.select(columns)


def neutral_text(text: str) -> str:
    """One text as neutralise() writes it: with an apostrophe in front if a spreadsheet could
    evaluate it as a formula."""
    if _FORMULA_START.match(text) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


# Types CSV and Excel write as themselves; anything else (lists, structs, durations, 128-bit
# integers, decimals, ...) is written as its text.
_PLAIN = (
    pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64,
    pl.Float32, pl.Float64, pl.String, pl.Boolean, pl.Date, pl.Null,
)  # fmt: skip


def _excel_safe(frame: pl.DataFrame) -> pl.DataFrame:
    columns = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            column = pl.col(name)
            if dtype.time_zone is not None:
                column = column.dt.convert_time_zone("Europe/Amsterdam").dt.replace_time_zone(None)
            columns.append(column)
        elif dtype in _PLAIN:
            columns.append(pl.col(name))
        elif isinstance(dtype, pl.Decimal):
            columns.append(pl.col(name).cast(pl.Float64))  # a number in Excel, not text
        else:
            columns.append(pl.col(name).map_elements(_text, return_dtype=pl.String))
    return frame.select(columns)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, pl.Series):  # a list cell arrives as a Series
        value = value.to_list()
    return str(value)
