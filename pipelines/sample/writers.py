"""Frames in the contract's text layout, written as the source systems write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter


def as_text(frame: pl.DataFrame, thousands: tuple[str, ...] = ()) -> pl.DataFrame:
    """Dutch text: dd-mm-jjjj dates, comma decimals, Ja/Nee booleans, empty for missing."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            col = col.dt.strftime("%d-%m-%Y")
        elif dtype == pl.Datetime:
            col = col.dt.strftime("%d-%m-%Y %H:%M")
        elif dtype == pl.Boolean:
            col = pl.when(col).then(pl.lit("Ja")).when(~col).then(pl.lit("Nee"))
        elif dtype.is_float():
            if name in thousands:
                col = col.map_elements(_thousands, return_dtype=pl.String)
            else:
                col = (
                    pl.when(col == col.round())
                    .then(col.cast(pl.Int64).cast(pl.String))
                    .otherwise(col.round(2).cast(pl.String).str.replace(".", ",", literal=True))
                )
        else:
            col = col.cast(pl.String)
        exprs.append(col.alias(name))
    return frame.select(exprs)


def _thousands(value: float) -> str:
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def write_csv(frame: pl.DataFrame, path: Path, encoding: str = "utf-8") -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    crlf = encoding == "cp1252"
    text = frame.write_csv(separator=";", line_terminator="\r\n" if crlf else "\n")
    data = text.encode("utf-8-sig" if encoding == "utf-8-sig" else encoding, errors="replace")
    path.write_bytes(data)
    return frame.height


def write_xlsx(frame: pl.DataFrame, path: Path, sheet: str) -> int:
    # A fixed creation time keeps the bytes identical per seed (xlsx stores it in docProps),
    # so loading a regenerated sample again is a no-op.
    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(path) as workbook:
        workbook.set_properties({"created": dt.datetime(2026, 1, 1)})
        frame.write_excel(workbook, worksheet=sheet)
    return frame.height


def inject_defects(
    frame: pl.DataFrame, rng: np.random.Generator, defects: list[tuple]
) -> pl.DataFrame:
    """Overwrite a few cells with invalid values: [(column, bad value, count)]."""
    if frame.height == 0:
        return frame
    frame = frame.with_row_index("_i")
    for column, bad, count in defects:
        rows = rng.choice(frame.height, size=min(count, frame.height), replace=False)
        frame = frame.with_columns(
            pl.when(pl.col("_i").is_in(rows.tolist()))
            .then(pl.lit(bad))
            .otherwise(pl.col(column))
            .alias(column)
        )
    return frame.drop("_i")


def with_defects(
    text: pl.DataFrame, rng: np.random.Generator, bad: list[tuple[str, str]]
) -> pl.DataFrame:
    """Each (column, bad value) in ~0.025% of the rows (at least one): ~0.1% defective in all."""
    count = max(1, text.height // 4000)
    return inject_defects(text, rng, [(column, value, count) for column, value in bad])
