"""Deleting rows: a zaak registered in error, a complaint under an AVG erasure request
(docs/verwijderen.md).

`vthmonitor erase BRON SLEUTEL... --reden TEKST` writes a *tombstone* through the normal load:
a load with its own id and commit record that holds, per key, the source, the key values (typed
and pseudonymised exactly as raw stores them), who, when and why. From then on:

- the build deletes every row with such a key from raw in the warehouse, so staging, marts, kpi
  and the workbench never see it (pipelines/build.py, `apply_tombstones`);
- the rows are removed from the raw Parquet files on disk, and the lines of the delivered CSV
  files in the landing zone are blanked (same line numbers for every other row), so the clear
  data does not linger either;
- a later export that delivers the key again does not bring it back: the row is quarantined
  with the tombstone's load id (pipelines/load.py).

The commit record is the audit trail; meta.verwijderingen shows it in the warehouse.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import build
from pipelines.contract import SOURCES, Column
from pipelines.parse import ParseContext, parse_column
from pipelines.pseudonym import Pseudonymiser
from pipelines.publishing import Published, publish_lake
from pipelines.tombstones import tombstones
from vthmonitor import tijd
from vthmonitor.lake import (
    LakePaths,
    committed_loads,
    exclusive_lock,
    fsync_path,
    write_atomic,
)
from vthmonitor.settings import Settings


class EraseError(ValueError):
    """The erase command was called wrongly; the message is Dutch and says how to call it."""


def _to_json(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_keys(settings: Settings, bron: str, values: list[str]) -> list[dict[str, str | None]]:
    """Each SLEUTEL of the command line as the key values raw stores (as JSON text).

    A one-column key is given as its value (`K-2024-0173`); a key of several columns as
    `kolom=waarde` pairs separated by commas (`peildatum=31-12-2024,medewerker_id=E123`). The
    values are parsed and pseudonymised by the same rules as a delivered file, so the given
    `31-12-2024` or a medewerker's own number finds the row raw holds."""
    if bron not in SOURCES:
        raise EraseError(f"onbekende bron '{bron}'; kies uit: {', '.join(sorted(SOURCES))}.")
    source = SOURCES[bron]
    if not values:
        raise EraseError("geef minstens één sleutel op.")
    ctx = ParseContext(
        deelnemers=build.deelnemer_lookup_from_reference(settings),
        pseudonymise=Pseudonymiser(settings.pseudonym_key()),
        today=dt.date.max,
    )
    keys = []
    for given in values:
        if len(source.key) == 1:
            parts = {source.key[0]: given}
        else:
            parts = {}
            for pair in given.split(","):
                name, sep, value = pair.partition("=")
                if not sep or name.strip() not in source.key:
                    raise EraseError(
                        f"de sleutel van {bron} bestaat uit {', '.join(source.key)}; schrijf "
                        f"bijvoorbeeld " + ",".join(f"{k}=..." for k in source.key) + "."
                    )
                parts[name.strip()] = value.strip()
            missing = [k for k in source.key if k not in parts]
            if missing:
                raise EraseError(f"in '{given}' ontbreekt {', '.join(missing)}.")
        keys.append({k: _parse_one(source.column(k), parts[k], ctx, given) for k in source.key})
    return keys


def _parse_one(column: Column, value: str, ctx: ParseContext, given: str) -> str | None:
    frame = pl.DataFrame({"v": [value]}, schema={"v": pl.String})
    typed, error = parse_column(column, pl.col("v"), ctx)
    result = frame.select(typed.alias("t"), error.alias("e")).row(0)
    if result[1] is not None and value.strip():
        raise EraseError(f"'{value}' in '{given}' is geen geldige {column.name}: {result[1]}.")
    if column.pii == "hash" and result[0] is not None:
        return ctx.pseudonymise(column.name, pl.Series([result[0]]))[0]
    return _to_json(result[0])


@dataclass
class Erased:
    load_id: str
    rows: int  # rows removed from raw (all versions)
    landing_lines: int  # lines blanked in delivered CSV files
    not_blanked: list[str] = field(default_factory=list)  # delivered files it could not blank
    published: Published | None = None


def erase(settings: Settings, bron: str, values: list[str], reden: str, door: str) -> Erased:
    if not reden.strip():
        raise EraseError(
            "geef met --reden op waarom (bijv. 'AVG-verzoek 2026-014'); dat komt in het logboek."
        )
    keys = parse_keys(settings, bron, values)
    paths = LakePaths(settings.lake_dir)
    paths.ensure()
    from pipelines.load import next_load_id, remove_uncommitted

    with exclusive_lock(paths):
        remove_uncommitted(paths)
        load_id = next_load_id(paths)
        records = committed_loads(paths)
        now = tijd.nu().isoformat(timespec="seconds")
        entries = [
            {"bron": bron, "sleutel": key, "reden": reden.strip(), "door": door, "op": now}
            for key in keys
        ]
        # The commit record first: from this moment every build deletes the keys, also if the
        # files below are not rewritten because the process is killed.
        record = {
            "load_id": load_id,
            "gestart": now,
            "klaar": now,
            "bestanden": [],
            "verwijderingen": entries,
        }
        write_atomic(
            paths.loads / f"{load_id}.json",
            json.dumps(record, indent=1, ensure_ascii=False).encode(),
        )
        dead = tombstones([record], bron).drop("_verwijderd_in")
        outcome = Erased(load_id, 0, 0)
        for m in records:
            for f in m["bestanden"]:
                if f["status"] != "geladen" or f["bron"] != bron or not f.get("raw"):
                    continue
                lines = _erase_from_raw(paths.root / f["raw"], dead, paths)
                if not lines:
                    continue
                outcome.rows += len(lines)
                landing = paths.landing / bron / f"{f['sha256']}{Path(f['bestand']).suffix.lower()}"
                if landing.suffix == ".xlsx":
                    outcome.not_blanked.append(f"{f['bestand']} ({landing.name})")
                elif landing.exists():
                    outcome.landing_lines += blank_csv_lines(landing, lines, f.get("codering"))
        for entry in entries:
            entry["rijen_in_raw"] = outcome.rows
        record["verwijderingen"] = entries
        record["klaar"] = tijd.nu().isoformat(timespec="seconds")
        record["landing"] = {
            "regels_gewist": outcome.landing_lines,
            "niet_gewist": outcome.not_blanked,
        }
        write_atomic(
            paths.loads / f"{load_id}.json",
            json.dumps(record, indent=1, ensure_ascii=False).encode(),
        )
        outcome.published = publish_lake(settings, paths, force=True)
    return outcome


def _erase_from_raw(path: Path, dead: pl.DataFrame, paths: LakePaths) -> list[int]:
    """Rewrite one raw Parquet file without the rows whose key is in `dead`; their line numbers
    in the delivered file."""
    if not path.exists():
        return []
    rows = pl.read_parquet(path)
    keys = list(dead.columns)
    hit = rows.join(dead, on=keys, how="semi", nulls_equal=True)
    if hit.height == 0:
        return []
    kept = rows.join(dead, on=keys, how="anti", nulls_equal=True)
    tmp = paths.tmp / f"erase-{path.name}"
    kept.write_parquet(tmp, compression="zstd", statistics=True)
    fsync_path(tmp)
    os.replace(tmp, path)
    return sorted(hit["_regel"].to_list())


def blank_csv_lines(path: Path, starts: list[int], encoding: str | None) -> int:
    """Blank the records that start on `starts` in a delivered CSV file in the landing zone.

    Every physical line of such a record (a quoted field may hold line breaks) becomes empty, so
    every other row keeps its line number, which raw and the quarantine refer to; an empty line
    is no row for the readers. The file keeps its name (the SHA-256 of what was delivered, as
    the load record says) and its encoding. Returns the number of lines blanked."""
    codec = {"utf-8-sig": "utf-8-sig", "cp1252": "cp1252"}.get(encoding or "", "utf-8")
    text = path.read_bytes().decode(codec)
    lines = [line for line in re.split(r"(?<=\n)", text) if line]
    blanked = 0
    for start in sorted(set(starts)):
        if not 1 < start <= len(lines):
            continue
        reader = csv.reader(io.StringIO("".join(lines[start - 1 :]), newline=""), delimiter=";")
        try:
            next(reader)
            span = reader.line_num
        except (csv.Error, StopIteration):
            span = 1
        for i in range(start - 1, min(start - 1 + span, len(lines))):
            ending = (
                "\r\n" if lines[i].endswith("\r\n") else "\n" if lines[i].endswith("\n") else ""
            )
            lines[i] = ending
            blanked += 1
    data = "".join(lines).encode(codec)
    tmp = path.with_name(f".{path.name}.wissen")
    tmp.write_bytes(data)
    fsync_path(tmp)
    os.replace(tmp, path)
    return blanked
