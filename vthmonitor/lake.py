"""The lake on disk, and the one place that opens the published warehouse.

    lake/landing/<bron>/<sha256><ext>        files exactly as received (audit; beheerder only)
    lake/raw/<bron>/<load_id>-<n>.parquet    typed, pseudonymised rows of one file (immutable)
    lake/raw/_quarantaine/<load_id>-<n>.parquet  rows that failed a check, with line and reason
    lake/raw/_loads/<load_id>.json           the commit record of a load (written last)
    lake/warehouse/<build_id>.duckdb         a complete warehouse, never written after publish
    lake/CURRENT                             name of the published warehouse (atomic rename)

Why this shape (docs/valkuilen.md §1, §2, §6): DuckDB allows one writer *or* many readers. Loads
therefore never write a file anyone reads: they add immutable Parquet files, build a *new*
warehouse file, and switch `CURRENT` with an atomic rename. A load killed at any point leaves
files without a commit record, which the next load ignores and removes; readers keep the
previous `CURRENT` until the switch.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from vthmonitor.settings import DEFAULT_READER_MEMORY, Settings

# Every connection to a published warehouse uses exactly this configuration: DuckDB refuses a
# second connection to the same file with another one in one process (docs/valkuilen.md §6).
# The reader is also the analysts' sandbox: no file or network access, no extension loading,
# no configuration changes (valkuil 3; `lock_configuration` must come last). The memory limit
# (valkuil 4) makes a huge ad-hoc query fail with OutOfMemoryException instead of taking the
# process down; no spilling to disk, so it cannot fill the disk either. Statement types and
# schemas are enforced per query in werkbank/sandbox.py; an analyst's query runs on its own
# connection in a worker process (werkbank/worker.py) that is killed at the time limit and
# has its own address-space cap, since neither the interrupt nor this memory limit bounds every
# single DuckDB call.
READER_CONFIG = {
    "access_mode": "READ_ONLY",
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "max_temp_directory_size": "0B",
    "lock_configuration": True,
}


@dataclass(frozen=True)
class LakePaths:
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def loads(self) -> Path:
        return self.raw / "_loads"

    @property
    def quarantine(self) -> Path:
        return self.raw / "_quarantaine"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def current(self) -> Path:
        return self.root / "CURRENT"

    @property
    def tmp(self) -> Path:
        return self.root / ".tmp"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    def ensure(self) -> None:
        for path in (self.landing, self.raw, self.loads, self.quarantine, self.warehouse, self.tmp):
            path.mkdir(parents=True, exist_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_path(path.parent)


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's entries') data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive_lock(paths: LakePaths) -> Iterator[None]:
    """One load at a time. flock is released by the kernel when a process dies, even on SIGKILL,
    so a killed load never leaves a stale lock behind."""
    paths.root.mkdir(parents=True, exist_ok=True)
    with open(paths.lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Er loopt al een andere lading; wachten tot die klaar is ...", file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def committed_loads(paths: LakePaths) -> list[dict]:
    """The commit records, oldest first. A load without one did not happen."""
    if not paths.loads.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(paths.loads.glob("L*.json"))]


def is_included(record: dict) -> bool:
    """A committed load counts unless it was excluded after its build failed, or removed with
    `vthmonitor unload` (docs/invoer.md, "Een lading die niet te bouwen is")."""
    return not record.get("uitgesloten") and not record.get("verwijderd")


def carries_data(record: dict) -> bool:
    """A load that adds rows or deletions; one whose files were all refused changes no table."""
    return bool(record.get("verwijderingen")) or any(
        f["status"] == "geladen" for f in record["bestanden"]
    )


def data_loads(paths: LakePaths) -> list[dict]:
    """The committed loads the warehouse is built from, oldest first."""
    return [m for m in committed_loads(paths) if is_included(m) and carries_data(m)]


def published_warehouse(paths: LakePaths) -> Path | None:
    try:
        name = paths.current.read_text().strip()
    except FileNotFoundError:
        return None
    return paths.warehouse / name if name else None


def previous_warehouse(paths: LakePaths) -> Path | None:
    """The build published before the current one, while `publish` keeps it (keep=2)."""
    current = published_warehouse(paths)
    builds = sorted(paths.warehouse.glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    older = [b for b in builds if current is None or b.name != current.name]
    return older[0] if older else None


def publish(paths: LakePaths, warehouse_file: Path, keep: int = 2) -> None:
    """Make `warehouse_file` the published warehouse and remove builds no longer needed.

    The previous build is kept (`keep`=2) so a reader that read CURRENT just before the switch
    can still open the file it was pointed at; a reader that has a file open keeps reading it
    even after removal (POSIX semantics)."""
    write_atomic(paths.current, warehouse_file.name.encode())
    builds = sorted(paths.warehouse.glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    for old in builds[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
        with contextlib.suppress(FileNotFoundError):
            old.with_name(old.name + ".wal").unlink()


def connect_reader(
    path: Path, memory_limit: str = DEFAULT_READER_MEMORY
) -> duckdb.DuckDBPyConnection:
    """The one connection factory for published warehouses (app, `vthmonitor sql`, tests)."""
    # dicts keep insertion order: the memory limit goes in before lock_configuration.
    config = {"memory_limit": memory_limit} | READER_CONFIG
    return duckdb.connect(str(path), read_only=True, config=config)


class NoLake(Exception):
    """Nothing has been published yet."""


class PublishedLake:
    """A reader that follows `CURRENT`: after a load publishes, the next query sees the new build.

    One database handle per process, a cursor per query (valkuil 1 in docs/valkuilen.md: one
    connection shared by Streamlit's session threads fails with "connection is busy"). The
    old handle is closed when the pointer moves, so no process keeps reading an old build
    (valkuil 2).
    """

    def __init__(self, settings: Settings):
        self.paths = LakePaths(settings.lake_dir)
        self.memory_limit = settings.reader_memory_limit
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._retired: list[tuple[float, duckdb.DuckDBPyConnection]] = []

    # Longer than any dashboard query runs (the workbench's statement limit is 10 s).
    RETIRE_AFTER_S = 120.0

    def _close_retired(self) -> None:
        now = time.monotonic()
        keep = []
        for since, con in self._retired:
            if now - since > self.RETIRE_AFTER_S:
                with contextlib.suppress(duckdb.Error):
                    con.close()
            else:
                keep.append((since, con))
        self._retired = keep

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            for _attempt in range(5):
                path = published_warehouse(self.paths)
                if path is None:
                    raise NoLake(
                        "Er is nog geen gepubliceerde datalake. Laad eerst gegevens met "
                        "'vthmonitor load' (of start de demo met 'make run')."
                    )
                if path == self._path and self._con is not None:
                    return self._con.cursor()
                try:
                    con = connect_reader(path, self.memory_limit)
                except duckdb.IOException:
                    continue  # removed between reading CURRENT and opening it: read CURRENT again
                if self._con is not None:
                    # Other sessions may still be running a query on a cursor of the old
                    # connection; closing it would close their cursors too. Retire it and
                    # close it only once no query can still be running on it.
                    self._retired.append((time.monotonic(), self._con))
                self._con, self._path = con, path
                self._close_retired()
                return con.cursor()
            raise NoLake("De gepubliceerde datalake kon niet worden geopend; probeer het opnieuw.")

    @property
    def path(self) -> Path | None:
        return self._path

    def close(self) -> None:
        with self._lock:
            for con in [c for _, c in self._retired] + ([self._con] if self._con else []):
                with contextlib.suppress(duckdb.Error):
                    con.close()
            self._con, self._path, self._retired = None, None, []
