"""Tombstones: the keys that `vthmonitor erase` deleted, as recorded in the commit records of
included loads (docs/verwijderen.md). Used by the build (delete from raw) and by the load (a
deleted key delivered again is quarantined), and written by pipelines/erasure.py."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipelines.contract import SOURCES, Source
from vthmonitor.lake import is_included

_POLARS_TYPES = {
    "int": pl.Int64,
    "decimal": pl.Float64,
    "date": pl.Date,
    "datetime": pl.Datetime("us"),
    "bool": pl.Boolean,
}


def key_schema(source: Source) -> dict[str, pl.DataType]:
    """The key columns of a source with the polars types raw stores them in."""
    return {k: _POLARS_TYPES.get(source.column(k).type, pl.String) for k in source.key}


def tombstones(records: Iterable[dict], source: str) -> pl.DataFrame:
    """The keys of `source` that included loads deleted: one row per key, typed like raw, with
    the load id of the deletion (`_verwijderd_in`)."""
    schema = key_schema(SOURCES[source])
    rows = [
        {**v["sleutel"], "_verwijderd_in": m["load_id"]}
        for m in records
        if is_included(m)
        for v in m.get("verwijderingen", [])
        if v["bron"] == source
    ]
    text = pl.DataFrame(
        rows, schema=dict.fromkeys(schema, pl.String) | {"_verwijderd_in": pl.String}
    )
    return text.with_columns(_from_json(name, kind) for name, kind in schema.items())


def _from_json(name: str, kind: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if kind == pl.Date:
        return column.str.to_date("%Y-%m-%d")
    if kind == pl.Datetime("us"):
        return column.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us")
    if kind == pl.Boolean:
        return column == "true"
    return column.cast(kind)
