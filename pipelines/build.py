"""Build a complete warehouse from the raw layer and the reference data, then publish it.

The warehouse is a pure function of (committed raw Parquet, reference files, sql/): deleting
every warehouse and rebuilding gives the same tables. Layers, in order:
- raw:      the rows of every committed file, all versions, with load id, file and line
            (Python, from Parquet); reference data; the load log and the quarantine.
- staging:  sql/staging/*.sql, one file per table: the current version of every source, typed.
- meta:     sql/meta/*.sql, one file per view: load log, quarantine and row counts for the app.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contract import DUCKDB_TYPES, REFERENCE, SOURCES, Source
from pipelines.lake import LakePaths, committed_loads, publish, published_warehouse
from pipelines.parse import ParseContext, deelnemer_lookup, parse_rows
from pipelines.readers import FileRejected, read_csv
from pipelines.settings import SQL_DIR, Settings

# Layer -> how each of its SQL files is materialised. Staging is a table: it is read by every
# KPI and page, and deduplicating 10 M hour lines once per build beats doing it per query.
LAYERS = {"staging": "table", "meta": "view"}

RAW_META_COLUMNS = {
    "_regel": "BIGINT",
    "_load_id": "VARCHAR",
    "_bestand_seq": "INTEGER",
    "_bestand": "VARCHAR",
}


class BuildError(Exception):
    """The warehouse cannot be built (e.g. invalid reference data); the message is Dutch."""


def _last_load_id(paths: LakePaths) -> str:
    loads = sorted(p.stem for p in paths.loads.glob("L*.json"))
    return loads[-1] if loads else "L000000"


def needs_build(paths: LakePaths) -> bool:
    """True when a committed load is not in the published warehouse (also after a kill)."""
    current = published_warehouse(paths)
    if current is None or not current.exists():
        return True
    return current.name.split("-", 1)[0] != "W" + _last_load_id(paths)


def read_reference(settings: Settings, name: str, lookup: dict[str, str]) -> pl.DataFrame:
    source = REFERENCE[name]
    path = settings.reference_dir / f"{name}.csv"
    try:
        raw = read_csv(path, source, {})
    except FileRejected as exc:
        raise BuildError(f"Referentiebestand {path.name}: {exc}") from exc
    ctx = ParseContext(deelnemers=lookup, pseudonymise=_no_pii, today=dt.date.max)
    parsed = parse_rows(raw.table, source, ctx)
    errors = pl.concat([raw.structure_errors, parsed.errors])
    if errors.height:
        first = errors.row(0, named=True)
        raise BuildError(
            f"Referentiebestand {path.name}, regel {first['regel']}, kolom {first['kolom']}: "
            f"{first['reden']} (waarde '{first['waarde']}'). Corrigeer het bestand."
        )
    return parsed.rows


def _no_pii(column: str, values: pl.Series) -> pl.Series:  # reference data holds no PII
    raise BuildError(f"referentiedata hoort geen persoonsgegevens te bevatten ({column})")


def deelnemer_lookup_from_reference(settings: Settings) -> dict[str, str]:
    # deelnemers.csv itself has no deelnemer-typed column, so it needs no lookup to be parsed.
    rows = read_reference(settings, "deelnemers", {})
    return deelnemer_lookup(rows.iter_rows(named=True))


def empty_raw_ddl(source: Source, table: str) -> str:
    cols = [f'"{c.name}" {DUCKDB_TYPES[c.type]}' for c in source.stored_columns]
    cols += [f'"{name}" {kind}' for name, kind in RAW_META_COLUMNS.items()]
    return f"create table {table} ({', '.join(cols)})"


def sql_files(layer: str) -> list[Path]:
    return sorted((SQL_DIR / layer).glob("*.sql"))


def description(sql: str) -> str:
    """The leading `--` comment block of a SQL file: the relation's description."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(t for t in lines if t)


def build_and_publish(settings: Settings) -> Path:
    paths = LakePaths(settings.lake_dir)
    paths.ensure()
    built = build_warehouse(settings, paths)
    publish(paths, built)
    return built


def build_warehouse(settings: Settings, paths: LakePaths) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    name = f"W{_last_load_id(paths)}-{stamp}.duckdb"
    tmp = paths.tmp / name
    loads = committed_loads(paths)
    lookup = deelnemer_lookup_from_reference(settings)

    con = duckdb.connect(
        str(tmp),
        config={"memory_limit": settings.memory_limit, "threads": os.cpu_count() or 2},
    )
    try:
        con.execute("create schema raw; create schema staging; create schema meta")
        _build_raw(con, paths, loads)
        for ref in REFERENCE:
            frame = read_reference(settings, ref, lookup)
            con.register("_ref", frame.drop("_regel").to_arrow())
            con.execute(f"create table raw.{ref} as select * from _ref")
            con.unregister("_ref")
        _build_load_log(con, paths, loads)
        for layer, kind in LAYERS.items():
            for path in sql_files(layer):
                sql = path.read_text()
                relation = f"{layer}.{path.stem}"
                con.execute(f"create {kind} {relation} as\n{sql}")
                text = description(sql).replace("'", "''")
                con.execute(
                    f"comment on {'view' if kind == 'view' else 'table'} {relation} is '{text}'"
                )
        con.execute(
            "create table meta.build as select ? as build_id, ? as gebouwd_op, ? as laatste_load",
            [name.removesuffix(".duckdb"), dt.datetime.now(), _last_load_id(paths)],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    target = paths.warehouse / name
    os.replace(tmp, target)
    return target


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _build_raw(con: duckdb.DuckDBPyConnection, paths: LakePaths, loads: list[dict]) -> None:
    for source in SOURCES.values():
        files = [
            paths.root / f["raw"]
            for m in loads
            for f in m["bestanden"]
            if f["status"] == "geladen" and f["bron"] == source.name
        ]
        table = f"raw.{source.name}"
        con.execute(empty_raw_ddl(source, table))
        if not files:
            continue
        listing = "[" + ", ".join(_quote(p) for p in files) + "]"
        # union_by_name: files may carry different extra columns; contract columns are typed
        # the same in every file, so the insert casts nothing but the extras.
        con.execute(
            f"create table raw._{source.name} as select * from read_parquet({listing}, "
            "union_by_name=true)"
        )
        extras = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_schema='raw' "
                "and table_name=? and column_name like 'extra\\_%' escape '\\' "
                "order by ordinal_position",
                [f"_{source.name}"],
            ).fetchall()
        ]
        for extra in extras:
            con.execute(f'alter table {table} add column "{extra}" varchar')
        con.execute(f"insert into {table} by name select * from raw._{source.name}")
        con.execute(f"drop table raw._{source.name}")


def _build_load_log(con: duckdb.DuckDBPyConnection, paths: LakePaths, loads: list[dict]) -> None:
    rows = [
        {"load_id": m["load_id"], "gestart": m["gestart"], "klaar": m["klaar"], **f}
        for m in loads
        for f in m["bestanden"]
    ]
    schema = {
        "load_id": pl.String,
        "gestart": pl.String,
        "klaar": pl.String,
        "volgnummer": pl.Int64,
        "bestand": pl.String,
        "pad": pl.String,
        "bron": pl.String,
        "sha256": pl.String,
        "grootte": pl.Int64,
        "status": pl.String,
        "melding": pl.String,
        "codering": pl.String,
        "regels": pl.Int64,
        "geladen": pl.Int64,
        "quarantaine": pl.Int64,
        "raw": pl.String,
        "quarantaine_pad": pl.String,
    }
    frame = pl.DataFrame(rows, schema=schema).with_columns(
        pl.col("gestart", "klaar").str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S")
    )
    con.register("_loads", frame.to_arrow())
    con.execute("create table raw.loads as select * from _loads")
    con.unregister("_loads")
    q_files = [paths.root / f["quarantaine_pad"] for f in rows if f.get("quarantaine_pad")]
    con.execute(
        "create table raw.quarantaine (load_id varchar, bron varchar, bestand varchar, "
        "sha256 varchar, regel bigint, kolom varchar, reden varchar, waarde varchar)"
    )
    if q_files:
        listing = "[" + ", ".join(_quote(p) for p in q_files) + "]"
        con.execute(f"insert into raw.quarantaine by name select * from read_parquet({listing})")
