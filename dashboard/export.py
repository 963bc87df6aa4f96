"""Downloads of a table as CSV, Excel or Parquet: pure functions from a polars frame to bytes.

CSV uses ';' and UTF-8 with BOM, so Dutch Excel opens it with the columns split and accents
intact. Excel cannot hold every type a query can return: nested values (lists, structs) become
text, and time zones are converted to Dutch local time without zone, as Excel has none.
Parquet keeps every type exactly.
"""

from __future__ import annotations

import io

import polars as pl

EXCEL_MAX_ROWS = 1_048_575  # one row of the sheet is the header

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


class TooLargeForExcel(ValueError):
    pass


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return _excel_safe(frame).write_csv(separator=";").encode("utf-8-sig")


def excel_bytes(frame: pl.DataFrame, sheet: str = "gegevens") -> bytes:
    if frame.height > EXCEL_MAX_ROWS:
        raise TooLargeForExcel(
            f"{frame.height} rijen passen niet in één Excel-blad; kies CSV of Parquet."
        )
    buffer = io.BytesIO()
    _excel_safe(frame).write_excel(buffer, worksheet=sheet[:31])
    return buffer.getvalue()


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


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
