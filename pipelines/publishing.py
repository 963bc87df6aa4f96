"""Publishing what the lake holds, and what happens when a build fails (docs/invoer.md).

A load is committed before the warehouse is built from it. If that build fails because of the
new data (a file whose rows loaded but that DuckDB cannot build from), the lake must not stay
stuck: every later load and rebuild would fail the same way. So when a build fails, it is tried
once more without the loads the published warehouse does not hold yet. If that works, those
loads are the cause: they are *excluded* (their commit record says why), the warehouse without
them is published, meta.loads shows them as 'uitgesloten', and `vthmonitor unload` removes
them. If it fails as well, the cause is elsewhere (reference data, SQL, a full disk): nothing is
excluded and the error is reported as it is.
"""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import build, models
from vthmonitor import tijd
from vthmonitor.lake import LakePaths, committed_loads, exclusive_lock, write_atomic
from vthmonitor.lake import publish as lake_publish
from vthmonitor.settings import Settings


class BuildFailed(Exception):
    """The warehouse could not be built; `str()` is a Dutch sentence that says what to do.
    The previously published warehouse is still the one readers see."""


@dataclass
class Published:
    warehouse: Path | None = None  # the new warehouse, or None when nothing needed building
    excluded: list[str] = field(default_factory=list)  # loads excluded because of this failure
    reason: str | None = None  # why they were excluded (Dutch)
    rebuilt_because: list[str] = field(default_factory=list)  # why it was built (Dutch)


def describe_failure(exc: BaseException, during: str = " bij het bouwen") -> str:
    """What went wrong (in a build, by default), in Dutch, with what to do about it."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if _disk_full(exc):
        return (
            "de schijf is vol (of de bestandsgrootte is begrensd). Maak ruimte vrij op de "
            "schijf van de datalake en laad opnieuw"
        )
    if isinstance(exc, MemoryError | duckdb.OutOfMemoryException) or "Out of Memory" in text:
        return (
            "er was niet genoeg geheugen om het warehouse te bouwen. Verhoog "
            "VTHMONITOR_MEMORY_LIMIT (of het geheugen van de server) en laad opnieuw"
        )
    if isinstance(exc, build.BuildError):
        return text
    if isinstance(exc, models.ModelError):
        return f"een SQL-model kon niet worden toegepast ({text}); meld dit aan de ontwikkelaars"
    if isinstance(exc, duckdb.Error):
        return f"DuckDB kon het warehouse niet bouwen ({text})"
    return f"onverwachte fout{during} ({type(exc).__name__}: {text})"


def _disk_full(exc: BaseException) -> bool:
    """Out of disk space, quota, or the file-size limit of the process (EFBIG)."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    return any(text in str(exc) for text in ("No space left on device", "File too large"))


def _environmental(exc: BaseException) -> bool:
    """Failures that say nothing about the data, so excluding a load would be wrong: a full
    disk, no permission, and running out of memory (the limits of docs/invoer.md keep a single
    file from needing much; a lake that outgrew VTHMONITOR_MEMORY_LIMIT needs a higher limit,
    not fewer loads)."""
    return (
        _disk_full(exc)
        or isinstance(exc, MemoryError | duckdb.OutOfMemoryException)
        or "Out of Memory" in str(exc)
        or (isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS))
    )


def publish_lake(
    settings: Settings, paths: LakePaths, *, full: bool = False, force: bool = False
) -> Published:
    """Build and publish when the published warehouse is not what the lake holds; always when
    `force` (the load log changed) or `full` (`vthmonitor rebuild`: from scratch). Raises
    BuildFailed when it cannot be built at all.

    Exclusions are tried in memory and written to the commit records only once a build without
    those loads has succeeded: a kill halfway leaves no innocent load excluded."""
    because = ["volledige herbouw gevraagd"] if full else build.rebuild_reasons(settings, paths)
    if not (full or force or because):
        return Published()
    incremental = not full
    try:
        built = build.build_warehouse(settings, paths, incremental)
        lake_publish(paths, built)
        return Published(built, rebuilt_because=because)
    except Exception as exc:  # noqa: BLE001 - every failure is judged and reported in Dutch
        first = exc
    suspects = build.unpublished_loads(settings, paths)
    if _environmental(first) or not suspects:
        raise BuildFailed(describe_failure(first) + _pending(suspects)) from first
    reason = describe_failure(first)
    exclusion = {"reden": reason, "op": _now()}
    excluded = dict.fromkeys(suspects, exclusion)
    try:
        built = build.build_warehouse(settings, paths, incremental, excluded)
    except Exception as exc:  # noqa: BLE001
        # Not the new loads after all: report the first error, exclude nothing.
        raise BuildFailed(describe_failure(first) + _pending(suspects)) from exc
    # Several new loads (an earlier one was killed before it published): take back, one by one
    # and in order, those that build, so an innocent load is not kept out with a guilty one.
    if len(suspects) > 1:
        for load_id in suspects:
            trial = {k: v for k, v in excluded.items() if k != load_id}
            try:
                candidate = build.build_warehouse(settings, paths, incremental, trial)
            except Exception:  # noqa: BLE001 - this one is a cause: it stays excluded
                continue
            built.unlink(missing_ok=True)
            built, excluded = candidate, trial
    _mark(paths, list(excluded), "uitgesloten", exclusion)
    lake_publish(paths, built)
    return Published(built, list(excluded), reason, because)


def _pending(load_ids: list[str]) -> str:
    if not load_ids:
        return ""
    ids = ", ".join(load_ids)
    return (
        f". Lading {ids} is vastgelegd maar niet gepubliceerd; zij wordt gepubliceerd zodra het "
        f"bouwen lukt, of verwijder haar met 'vthmonitor unload {load_ids[-1]} --reden \"...\"'"
    )


def _mark(paths: LakePaths, load_ids: list[str], key: str, value: dict | None) -> None:
    for load_id in load_ids:
        path = paths.loads / f"{load_id}.json"
        record = json.loads(path.read_text())
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
        write_atomic(path, json.dumps(record, indent=1, ensure_ascii=False).encode())


def _now() -> str:
    return tijd.nu().isoformat(timespec="seconds")


class UnknownLoad(ValueError):
    """`vthmonitor unload` was given a load id the lake does not have (Dutch message)."""


@dataclass
class Unloaded:
    load_id: str
    files: list[str]
    rows: int
    published: Published


def unload(settings: Settings, load_id: str, reden: str, door: str) -> Unloaded:
    """Remove a load: its rows leave raw and the warehouse, its commit record stays as the
    audit trail (who, when, why). The landing copies stay: they are the archive of what was
    delivered (an erasure request is `vthmonitor erase`, docs/invoer.md)."""
    paths = LakePaths(settings.lake_dir)
    if not paths.loads.is_dir():
        raise UnknownLoad(f"in {settings.lake_dir} staat geen datalake (geen ladingen).")
    if not reden.strip():
        raise UnknownLoad(
            "geef met --reden op waarom de lading wordt verwijderd (voor het logboek)."
        )
    with exclusive_lock(paths):
        records = {m["load_id"]: m for m in committed_loads(paths)}
        record = records.get(load_id.strip().upper())
        if record is None:
            known = ", ".join(list(records)[-5:]) or "geen"
            raise UnknownLoad(
                f"er is geen lading '{load_id}'. De laatste ladingen: {known} (zie meta.loads "
                "of de pagina Datakwaliteit)."
            )
        if record.get("verwijderd"):
            raise UnknownLoad(f"lading {record['load_id']} is al verwijderd.")
        # The record is marked first: killed halfway, the load is already out of every build
        # and the next load's clean-up removes what is left of its files.
        record["verwijderd"] = {"op": _now(), "door": door, "reden": reden.strip()}
        _mark(paths, [record["load_id"]], "verwijderd", record["verwijderd"])
        remove_files_of_removed_loads(paths)
        loaded = [f for f in record["bestanden"] if f["status"] == "geladen"]
        published = publish_lake(settings, paths, force=True)  # meta.loads shows it
    return Unloaded(
        record["load_id"],
        [f["bestand"] for f in loaded],
        sum(f["geladen"] for f in loaded),
        published,
    )


def remove_files_of_removed_loads(paths: LakePaths) -> None:
    for record in committed_loads(paths):
        if not record.get("verwijderd"):
            continue
        for f in record["bestanden"]:
            for key in ("raw", "quarantaine_pad"):
                if f.get(key):
                    (paths.root / f[key]).unlink(missing_ok=True)
