"""Downloads of a table as CSV, Excel or Parquet: pure functions from a polars frame to bytes.

This module imports no Streamlit: `vthmonitor sql --format csv` writes its CSV with csv_text()
below, so every CSV a user gets (dashboard tables, TOP-X, workbench, CLI) is made by the same
code. Design and the reasons behind it: docs/exports.md.

CSV uses ';' and UTF-8 with BOM, so Dutch Excel opens it with the columns split and accents
intact. Excel cannot hold every type a query can return: nested values (lists, structs) become
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


def csv_text(frame: pl.DataFrame, separator: str = ";") -> str:
    """The frame as CSV text, ready for a spreadsheet: Excel-writable types and every text cell
    (and column name) that could start a formula neutralised."""
    return neutralise(_excel_safe(frame)).write_csv(separator=separator)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return csv_text(frame).encode("utf-8-sig")


def excel_bytes(frame: pl.DataFrame, sheet: str = "gegevens") -> bytes:
    if frame.height > EXCEL_MAX_ROWS:
        raise TooLargeForExcel(
            f"{frame.height} rijen passen niet in één Excel-blad; kies CSV of Parquet."
        )
    safe = _excel_safe(frame)
    text_columns = [name for name, dtype in safe.schema.items() if dtype == pl.String]
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, _WORKBOOK_OPTIONS) as workbook:
        safe.write_excel(
            workbook,
            worksheet=sheet[:31],
            column_formats={name: {"quote_prefix": True} for name in text_columns},
        )
    return buffer.getvalue()


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
