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
import functools
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines import incremental as increment
from pipelines import models
from pipelines.contract import DUCKDB_TYPES, REFERENCE, SOURCES, Source
from pipelines.mapping import export_mapping
from pipelines.parse import (
    PII_MASK,
    ParseContext,
    ReferenceError_,
    allowed_spellings,
    deelnemer_lookup,
    parse_rows,
    shown_value,
)
from pipelines.readers import FileRejected, duckdb_path, read_csv
from pipelines.tombstones import tombstones
from vthmonitor import tijd, voortgang
from vthmonitor.lake import (
    LakePaths,
    carries_data,
    committed_loads,
    connect_reader,
    data_loads,
    fsync_path,
    is_included,
    publish,
    published_warehouse,
)
from vthmonitor.settings import SQL_DIR, Settings

log = logging.getLogger(__name__)

RAW_META_COLUMNS = {
    "_regel": "BIGINT",
    "_load_id": "VARCHAR",
    "_bestand_seq": "INTEGER",
    "_bestand": "VARCHAR",
}


class BuildError(Exception):
    """The warehouse cannot be built (e.g. invalid reference data); the message is Dutch."""


def _last_load_id(loads: list[dict]) -> str:
    return loads[-1]["load_id"] if loads else "L000000"


def published_state(settings: Settings, paths: LakePaths) -> PublishedState | None:
    """What the published warehouse was built from, or None when there is none (or it is of a
    layout that does not say)."""
    current = published_warehouse(paths)
    if current is None or not current.exists():
        return None
    try:
        con = connect_reader(current, settings.reader_memory_limit)  # the one reader config
        try:
            held, definition = con.execute("select laadids, definitie from meta.build").fetchone()
            try:
                parts = con.execute("select definitie_delen from meta.build").fetchone()[0]
            except duckdb.BinderException:  # a build from before the parts were kept
                parts = None
        finally:
            con.close()
    except duckdb.Error:
        return None
    return PublishedState(list(held), definition, json.loads(parts) if parts else None)


@dataclass(frozen=True)
class PublishedState:
    load_ids: list[str]
    definition: str
    parts: dict[str, str] | None  # definition_parts() at build time


def rebuild_reasons(settings: Settings, paths: LakePaths) -> list[str]:
    """Why the published warehouse is not what the lake now holds, in Dutch; empty when it is.
    A load with data it lacks (also after a kill), a load excluded or removed since, or a
    changed file of the definition: reference data, SQL, build code or the admitted extra
    columns (docs/architectuur.md). A load whose files were all refused needs no new build."""
    state = published_state(settings, paths)
    if state is None:
        return ["er is nog geen gepubliceerd warehouse"]
    reasons = []
    wanted = [m["load_id"] for m in data_loads(paths)]
    if new := [i for i in wanted if i not in state.load_ids]:
        reasons.append(f"nieuwe gegevens (lading {', '.join(new)})")
    if gone := [i for i in state.load_ids if i not in wanted]:
        reasons.append(f"lading {', '.join(gone)} telt niet meer mee (uitgesloten of verwijderd)")
    parts = definition_parts(settings)
    if _hash_of(parts) != state.definition:
        if state.parts is None:
            reasons.append("de definitie is gewijzigd (referentiedata, SQL of bouwcode)")
        else:
            for label, names in (
                (
                    "gewijzigd",
                    [n for n in parts if n in state.parts and parts[n] != state.parts[n]],
                ),
                ("nieuw", [n for n in parts if n not in state.parts]),
                ("verwijderd", [n for n in state.parts if n not in parts]),
            ):
                if names:
                    reasons.append(f"{label}: {', '.join(names)}")
    return reasons


def unpublished_loads(settings: Settings, paths: LakePaths) -> list[str]:
    """Included loads with data that the published warehouse does not hold yet."""
    state = published_state(settings, paths)
    held = set(state.load_ids) if state else set()
    return [m["load_id"] for m in data_loads(paths) if m["load_id"] not in held]


def read_reference(settings: Settings, name: str, lookup: dict[str, str]) -> pl.DataFrame:
    """The parsed rows of one reference file. A parse is a pure function of the file's bytes
    and the deelnemer lookup, so it is kept per process by that key: a load reads every
    reference file twice (lookup, then tables) and the next load the same bytes again, ~0.1 s
    each time; an edited file has other bytes, so it is always read afresh."""
    path = settings.reference_dir / f"{name}.csv"
    key = tuple(sorted(lookup.items()))
    try:
        digest = _sha256(path.read_bytes())
    except OSError:  # not cached: the reader says what is wrong with the file, in Dutch
        return _parse_reference.__wrapped__(name, str(path), None, key)
    return _parse_reference(name, str(path), digest, key).clone()


@functools.lru_cache(maxsize=64)
def _parse_reference(
    name: str, location: str, digest: str | None, lookup: tuple[tuple[str, str], ...]
) -> pl.DataFrame:
    source = REFERENCE[name]
    path = Path(location)
    try:
        raw = read_csv(path, source, {})
    except FileRejected as exc:
        raise BuildError(f"Referentiebestand {path.name}: {str(exc).rstrip('.')}") from exc
    ctx = ParseContext(deelnemers=dict(lookup), pseudonymise=_no_pii, today=dt.date.max)
    parsed = parse_rows(raw.table, source, ctx)
    errors = pl.concat([raw.structure_errors, parsed.errors])
    if errors.height:
        first = errors.row(0, named=True)
        value = f" (waarde '{first['waarde']}')" if first["waarde"] is not None else ""
        raise BuildError(
            f"Referentiebestand {path.name}, regel {first['regel']}, kolom {first['kolom']}: "
            f"{first['reden']}{value}; corrigeer het bestand"
        )
    if source.single_row and parsed.rows.height != 1:
        raise BuildError(
            f"Referentiebestand {path.name} moet precies één regel met waarden hebben (het "
            f"heeft er {parsed.rows.height}); corrigeer het bestand"
        )
    return parsed.rows


def _no_pii(column: str, values: pl.Series) -> pl.Series:  # reference data holds no PII
    raise BuildError(f"referentiedata hoort geen persoonsgegevens te bevatten ({column})")


def deelnemer_lookup_from_reference(settings: Settings) -> dict[str, str]:
    # deelnemers.csv itself has no deelnemer-typed column, so it needs no lookup to be parsed.
    rows = read_reference(settings, "deelnemers", {})
    try:
        return deelnemer_lookup(rows.iter_rows(named=True))
    except ReferenceError_ as exc:
        raise BuildError(f"Referentiebestand deelnemers.csv: {exc}") from exc


def identifier(name: str) -> str:
    """A column name as a quoted SQL identifier. Names reaching SQL come from the contract or
    the mapping file (checked against mapping.SAFE_COLUMN_NAME), never from an export; the
    quoting is correct anyway, so no name can end the identifier."""
    return '"' + name.replace('"', '""') + '"'


def empty_raw_ddl(source: Source, table: str) -> str:
    cols = [f"{identifier(c.name)} {DUCKDB_TYPES[c.type]}" for c in source.stored_columns]
    cols += [f"{identifier(name)} {kind}" for name, kind in RAW_META_COLUMNS.items()]
    return f"create table {table} ({', '.join(cols)})"


def build_and_publish(settings: Settings, incremental: bool = True) -> Path:
    paths = LakePaths(settings.lake_dir)
    paths.ensure()
    built = build_warehouse(settings, paths, incremental=incremental)
    publish(paths, built)
    return built


# The build code: a change to how raw becomes tables is a change of definition.
# models.py and incremental.py decide what an incremental build recomputes: a new version of
# them starts from a full build.
_BUILD_CODE = tuple(
    Path(__file__).with_name(name)
    for name in (
        "build.py",
        "contract.py",
        "models.py",
        "incremental.py",
        # the build masks old quarantine values (parse.shown_value), applies deletions and
        # admits extra columns through these
        "parse.py",
        "tombstones.py",
        "mapping.py",
    )
)


def definition_parts(settings: Settings) -> dict[str, str]:
    """What, besides raw, the warehouse is a function of, as name -> SHA-256: every reference
    file, every SQL file, the build code, and which unknown columns the mapping file admits
    (docs/invoer.md). Kept in meta.build, so a load can say which of them changed."""
    parts = {
        f"reference/{p.name}": _sha256(p.read_bytes())
        for p in sorted(settings.reference_dir.glob("*.csv"))
    }
    parts |= {
        f"sql/{p.relative_to(SQL_DIR).as_posix()}": _sha256(p.read_bytes())
        for p in sorted(SQL_DIR.rglob("*.sql"))
    }
    parts["bouwcode"] = _sha256(b"\0".join(p.read_bytes() for p in _BUILD_CODE))
    admitted = export_mapping(settings).extra_columns
    parts["koppelbestand (extra kolommen)"] = _sha256(
        json.dumps({k: sorted(v) for k, v in sorted(admitted.items())}).encode()
    )
    return parts


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_of(parts: dict[str, str]) -> str:
    return _sha256(json.dumps(parts, sort_keys=True).encode())


def _raw_files(paths: LakePaths, loads: list[dict], source: str) -> list[Path]:
    return [
        paths.root / f["raw"]
        for m in loads
        for f in m["bestanden"]
        if f["status"] == "geladen" and f["bron"] == source
    ]


def _incremental_base(settings: Settings, paths: LakePaths, loads: list[dict], definition: str):
    """(published warehouse, load ids it holds) when the next build may start from a copy of it:
    same definitions, and the loads it holds are still the first of the loads to build from.
    Else None (full build), also after a load was excluded or removed."""
    state = published_state(settings, paths)
    if state is None:
        return None  # nothing published, or an older layout: build from scratch
    held, held_definition = state.load_ids, state.definition
    committed = [m["load_id"] for m in loads]
    if held_definition != definition or committed[: len(held)] != held:
        return None
    return published_warehouse(paths), held


def build_warehouse(
    settings: Settings,
    paths: LakePaths,
    incremental: bool = True,
    excluded: dict[str, dict] | None = None,
) -> Path:
    """A new warehouse file in warehouse/, not yet published.

    After an ordinary load only the new raw files are appended to a copy of the published
    warehouse and the staging tables of the sources they touch are recomputed (one monthly
    export: ~1 s instead of a full rebuild); the result is identical to a full build, which
    runs when there is no usable base (first load, changed SQL or reference data, `rebuild`).

    `excluded` (load id -> {reden, op}) builds as if those loads were excluded, before their
    commit records say so (pipelines/publishing.py tries a build first, then records it).
    """
    stamp = tijd.nu().strftime("%Y%m%dT%H%M%S%f")
    records = [
        m | {"uitgesloten": excluded[m["load_id"]]} if m["load_id"] in (excluded or {}) else m
        for m in committed_loads(paths)
    ]
    loads = [m for m in records if is_included(m) and carries_data(m)]
    name = f"W{_last_load_id(loads)}-{stamp}.duckdb"
    tmp = paths.tmp / name
    parts = definition_parts(settings)
    definition = _hash_of(parts)
    base = _incremental_base(settings, paths, loads, definition) if incremental else None
    if base is not None:
        voortgang.meld("het gepubliceerde warehouse kopiëren")
        try:
            shutil.copyfile(base[0], tmp)
        except BaseException:
            tmp.unlink(missing_ok=True)  # a half copy (full disk) is not left behind
            raise
        held = set(base[1])
        new_loads = [m for m in loads if m["load_id"] not in held]
    else:
        new_loads = loads

    con = duckdb.connect(
        str(tmp),
        config={"memory_limit": settings.memory_limit, "threads": os.cpu_count() or 2},
    )
    try:
        if base is None:
            con.execute("create schema raw")
            for source in SOURCES.values():
                con.execute(empty_raw_ddl(source, f"raw.{source.name}"))
        else:
            increment.snapshot(con)  # before a new row is in: what the calendar was
        appended = set()
        admitted = export_mapping(settings).extra_columns
        voortgang.meld("raw-gegevens in het warehouse zetten")
        for source in SOURCES.values():
            files = _raw_files(paths, new_loads, source.name)
            table = f"raw.{source.name}"
            if _append_raw(con, files, table, source, admitted.get(source.name, ())):
                appended.add(source.name)
        erased = apply_tombstones(con, records)
        lookup = deelnemer_lookup_from_reference(settings)
        _build_load_log(
            con, paths, records, lookup, None if base is None else {m["load_id"] for m in new_loads}
        )
        # Every file the build reads is read by now. From here on the connection cannot reach
        # the file system at all, whatever a model or a value does (docs/invoer.md).
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        # The base holds the same reference data: its files are part of the definition, and a
        # changed definition never builds on a base (_incremental_base).
        for ref in REFERENCE if base is None else ():
            frame = read_reference(settings, ref, lookup)
            con.register("_ref", frame.drop("_regel").to_arrow())
            con.execute(f"create or replace table raw.{ref} as select * from _ref")
            con.unregister("_ref")
        con.execute(
            "create or replace table raw.build as select ? as build_id, ? as gebouwd_op, "
            "? as laatste_load, ?::varchar[] as laadids, ? as definitie, ? as definitie_delen",
            [
                name.removesuffix(".duckdb"),
                tijd.nu(),
                _last_load_id(loads),
                [m["load_id"] for m in loads],
                definition,
                json.dumps(parts, sort_keys=True),
            ],
        )
        plan = None
        if base is not None:
            # only what the new rows can change (pipelines/incremental.py)
            plan = increment.Plan(
                appended=appended - erased,
                recomputed=erased,
                new_loads=[m["load_id"] for m in new_loads],
            )
        models.apply_layers(con, plan)
        if plan is not None:
            log.info("incrementeel gebouwd: %s", "; ".join(f"{r}: {d}" for r, d in plan.done))
        con.execute("checkpoint")
    except BaseException as exc:
        con.close()
        # a failed build leaves nothing behind (it may be retried at once, pipelines/publishing.py)
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        if base is not None and isinstance(exc, Exception):
            # What fails only on the incremental path (a model of an unforeseen form) must not
            # be blamed on the new load: build in full; a real data error fails there too.
            log.warning("incrementeel bouwen mislukte (%s); volledig bouwen", exc)
            voortgang.meld("incrementeel bouwen lukte niet; volledig bouwen")
            return build_warehouse(settings, paths, incremental=False, excluded=excluded)
        raise
    con.close()
    fsync_path(tmp)
    target = paths.warehouse / name
    os.replace(tmp, target)
    return target


def _append_raw(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    table: str,
    source: Source,
    admitted: Collection[str],
) -> bool:
    """Insert the rows of `files` (in order) into `table`; True when there were any files.

    Only the contract's columns and the extra columns the mapping file admits are taken: raw
    files of an older version may hold unknown columns that are no longer admitted (personal
    data, perhaps); those stay out of every warehouse (docs/invoer.md, "Kolommen")."""
    if not files:
        return False
    # file names are bound parameters (glob characters escaped), never SQL text
    listing = [duckdb_path(p) for p in files]
    scan = "read_parquet(?::varchar[], union_by_name=true)"
    wanted = [c.name for c in source.stored_columns] + list(RAW_META_COLUMNS)
    wanted += [f"extra_{c}" for c in sorted(admitted)]
    present = [r[0] for r in con.execute(f"select * from {scan} limit 0", [listing]).description]
    taken = [c for c in present if c in wanted]
    # Admitted extra columns are added as text first. The contract's columns are typed the same
    # in every file, so the insert casts nothing else.
    have = {r[0] for r in con.execute(f"select * from {table} limit 0").description}
    for column in taken:
        if column not in have:
            con.execute(f"alter table {table} add column {identifier(column)} varchar")
    columns = ", ".join(identifier(c) for c in taken)
    con.execute(f"insert into {table} by name select {columns} from {scan}", [listing])
    return True


UITGESLOTEN, VERWIJDERD = "uitgesloten", "verwijderd"


def _exclusion(record: dict, file: dict) -> dict:
    """How a file of an excluded or removed load shows in meta.loads: its rows are not in this
    warehouse, and the message says why and what to do."""
    if file["status"] != "geladen" or is_included(record):
        return {}
    if record.get("verwijderd"):
        removed = record["verwijderd"]
        return {
            "status": VERWIJDERD,
            "melding": f"lading verwijderd door {removed['door']} op {removed['op']}: "
            f"{removed['reden']}",
            "quarantaine_pad": None,
        }
    return {
        "status": UITGESLOTEN,
        "melding": "niet gepubliceerd: het warehouse kon met deze lading niet worden gebouwd "
        f"({record['uitgesloten']['reden']}). Verwijder de lading met 'vthmonitor unload "
        f'{record["load_id"]} --reden "..."\', of laad het bestand opnieuw na herstel.',
        "quarantaine_pad": None,
    }


def apply_tombstones(con: duckdb.DuckDBPyConnection, records: list[dict]) -> set[str]:
    """Delete every raw row whose key `vthmonitor erase` deleted (all versions, every load) and
    keep the deletions themselves in raw.verwijderingen; the sources that lost rows.

    Also a raw file the erase command could not rewrite (killed halfway, docs/verwijderen.md)
    never reaches staging this way: the warehouse built from raw honours every tombstone."""
    rows = [
        {"load_id": m["load_id"], "bron": v["bron"], "sleutel": json.dumps(v["sleutel"])}
        | {k: v.get(k) for k in ("reden", "door", "op", "rijen_in_raw")}
        for m in records
        if is_included(m)
        for v in m.get("verwijderingen", [])
    ]
    schema = {
        "load_id": pl.String,
        "bron": pl.String,
        "sleutel": pl.String,
        "reden": pl.String,
        "door": pl.String,
        "op": pl.String,
        "rijen_in_raw": pl.Int64,
    }
    frame = pl.DataFrame(rows, schema=schema).with_columns(
        pl.col("op").str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S")
    )
    con.register("_verwijderingen", frame.to_arrow())
    con.execute("create or replace table raw.verwijderingen as select * from _verwijderingen")
    con.unregister("_verwijderingen")
    emptied = set()
    for source in SOURCES.values():
        dead = tombstones(records, source.name).drop("_verwijderd_in")
        if dead.height == 0:
            continue
        con.register("_dood", dead.to_arrow())
        match = " and ".join(
            f"r.{identifier(k)} is not distinct from d.{identifier(k)}" for k in source.key
        )
        deleted = con.execute(
            f"delete from raw.{source.name} as r using _dood as d where {match}"
        ).fetchone()[0]
        con.unregister("_dood")
        if deleted:
            emptied.add(source.name)
    return emptied


# A column in the quarantine files of this version: their values already passed shown_value.
MASKED = "_getoond"


def _mask_old_quarantine(frame: pl.DataFrame, lookup: dict[str, str]) -> pl.DataFrame:
    ctx = ParseContext(deelnemers=lookup, pseudonymise=_no_pii, today=dt.date.max)
    masked = []
    for (bron, kolom), part in frame.group_by(["bron", "kolom"], maintain_order=True):
        try:
            col = SOURCES[bron].column(kolom)
            kind, allowed = col.type, allowed_spellings(col, ctx)
            hidden = col.pii is not None or col.type == "postcode4"
        except KeyError:
            kind, allowed, hidden = "text", (), False
        values = {
            v: (PII_MASK if hidden else shown_value(v, kind, allowed))
            for v in part["waarde"].drop_nulls().unique().to_list()
        }
        masked.append(
            part.with_columns(
                pl.col("waarde").replace_strict(values, default=None, return_dtype=pl.String)
            )
        )
    return pl.concat(masked) if masked else frame


def _build_load_log(
    con: duckdb.DuckDBPyConnection,
    paths: LakePaths,
    loads: list[dict],
    lookup: dict[str, str],
    new: set[str] | None = None,
) -> None:
    """raw.loads from every commit record, and raw.quarantaine from the quarantine files: all of
    them, or with `new` (an incremental build) only those of the new loads, added to the base's
    (reading every earlier load's quarantine again would make each load slower than the last)."""
    rows = [
        {"load_id": m["load_id"], "gestart": m["gestart"], "klaar": m["klaar"], **f}
        | _exclusion(m, f)
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
        "niet_overgenomen": pl.List(pl.String),
        "stand_per": pl.String,
        "stand_per_herkomst": pl.String,
        "voor_deelnemer": pl.String,
    }
    frame = pl.DataFrame(rows, schema=schema).with_columns(
        pl.col("gestart", "klaar").str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S"),
        # a load recorded before snapshot dates existed: the day it was loaded
        # (docs/invoer.md, "Stand per")
        pl.coalesce(
            pl.col("stand_per").str.to_date(), pl.col("klaar").str.slice(0, 10).str.to_date()
        ).alias("stand_per"),
        pl.col("stand_per_herkomst").fill_null("laaddatum"),
    )
    con.register("_loads", frame.to_arrow())
    con.execute("create or replace table raw.loads as select * from _loads")
    con.unregister("_loads")
    q_files = [
        paths.root / f["quarantaine_pad"]
        for f in rows
        if f.get("quarantaine_pad") and (new is None or f["load_id"] in new)
    ]
    if new is None:
        con.execute(
            "create or replace table raw.quarantaine (load_id varchar, bron varchar, "
            "bestand varchar, sha256 varchar, regel bigint, kolom varchar, reden varchar, "
            "waarde varchar)"
        )
    for q_file in q_files:
        quarantined = pl.read_parquet(q_file, glob=False)
        if MASKED in quarantined.columns:
            quarantined = quarantined.drop(MASKED)
        else:
            # Written by an older version, which showed rejected free text in clear: its values
            # pass parse.shown_value now (docs/invoer.md, "Quarantaine").
            quarantined = _mask_old_quarantine(quarantined, lookup)
        con.register("_quarantaine", quarantined.to_arrow())
        con.execute("insert into raw.quarantaine by name select * from _quarantaine")
        con.unregister("_quarantaine")
