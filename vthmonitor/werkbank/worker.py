"""Workbench queries in a process of their own, so the time and memory limits hold for every query.

Why (docs/sql-werkbank.md): DuckDB looks for an interrupt only between chunks of rows, and its
memory limit does not count every allocation. In the app's own process one huge function call
(`lpad` to 2 GB, `list_sort` of 10^8 values) therefore ran minutes past the time limit and took
gigabytes. Here every query runs in a worker process:

- the worker opens the published warehouse read-only through the one connection factory
  (vthmonitor/lake.py, READER_CONFIG), caps its own address space (RLIMIT_AS,
  VTHMONITOR_SQL_WERKER_GEHEUGEN) so that a huge allocation fails inside the worker with a memory
  error, runs the sandbox check and the query, cuts the result at the row cap and 256 MB
  (vthmonitor/werkbank/sandbox.py `collect`) and hands it back as Arrow IPC;
- the parent waits at most the time limit and then kills the worker with SIGKILL, whatever it is
  doing: parsing, opening the file, or inside a single function call;
- the worker also sets an alarm of limit + ALARM_GRACE_S on itself, so it ends even when its
  parent is gone (a `vthmonitor sql` killed with -9);
- for a download of the whole result (`Workers.export`) the worker streams it instead, batch
  by batch up to the export limit, and the parent hands each batch to a file as it arrives; the
  time limit then covers the whole stream (docs/sql-werkbank.md, "Downloads of the whole result");
- a worker serves one query and is killed afterwards: nothing of one query stays in the process
  that runs the next. A warm spare (imports done, warehouse opened) waits for the next query, so
  the start-up of about a second is not part of what the analyst waits for.

Workers are started with subprocess (fork + exec), never by forking the multi-threaded app, in
a session of their own: Ctrl-C in a terminal reaches only `vthmonitor sql`, which kills its
worker. Parent and worker talk over a socket pair: JSON messages and Arrow IPC, nothing is
unpickled. A worker that dies (killed by the kernel for lack of memory, a crash in DuckDB) is
reported as a Dutch QueryFailed; the app goes on serving.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc

from vthmonitor.settings import Settings
from vthmonitor.werkbank.sandbox import (
    MAX_RESULT_BYTES,
    MEMORY_MESSAGE,
    Exported,
    Limits,
    QueryFailed,
    Refused,
    Result,
    SandboxError,
    check_text,
    explain,
    timed_out,
    to_polars,
)

# A busy machine may take several seconds to start Python and import DuckDB and Arrow; the time
# limit starts only when the worker is ready and has the query.
STARTUP_TIMEOUT_S = 60.0
# The worker's own alarm, after the parent should have killed it: only matters without parent.
ALARM_GRACE_S = 5
# A spare that waited this long ends, so it does not keep an old build's file open for ever.
IDLE_TIMEOUT_S = 600.0
# Messages are JSON: a query of MAX_SQL_CHARS characters, escaped, fits many times over.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
# Arrow IPC adds metadata and padding to the at most MAX_RESULT_BYTES of data.
MAX_RESULT_MESSAGE_BYTES = 2 * MAX_RESULT_BYTES

NO_WORKER = (
    "De werkbank kon geen werkproces starten voor deze query. Probeer het zo opnieuw; meld het "
    "aan de beheerder als het blijft gebeuren."
)
CRASHED = (
    "De query is onverwacht afgebroken: het werkproces dat haar uitvoerde, is gestopt. Probeer "
    "een eenvoudiger query; meld het aan de beheerder als het blijft gebeuren."
)


# --- the parent's side ------------------------------------------------------------------------
class Workers:
    """Runs workbench queries in worker processes, one fresh process per query, with `spares`
    started ahead. Safe to share between threads (Streamlit sessions): each call gets its own
    worker."""

    def __init__(self, settings: Settings, spares: int = 1):
        self.lake_dir = Path(settings.lake_dir)
        self.reader_memory = settings.reader_memory_limit
        self.spares = spares
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._closed = False
        self._fill()

    def run(self, sql: str, limits: Limits) -> Result:
        """Check and run one query in a worker within `limits`. Raises Refused, TimedOut or
        QueryFailed (Dutch), with elapsed_s and build_id filled in where known. On any other
        interruption (Ctrl-C) the worker is killed before the exception goes on."""
        check_text(sql)  # empty or overlong: refused without starting anything
        worker = self._take()
        try:
            self._fill()
            return worker.run(sql, limits)
        finally:
            worker.kill()

    def export(self, sql: str, limits: Limits, write: Callable[[pa.Table], None]) -> Exported:
        """Run one query in a worker for a download of its whole result: `write` gets it batch
        by batch (first an empty table with the column names and types), up to
        limits.export_max_rows rows. The time limit holds for the whole run, writing included.
        Raises as `run`; whatever `write` raises goes on after the worker is killed."""
        check_text(sql)
        worker = self._take()
        try:
            self._fill()
            return worker.export(sql, limits, write)
        finally:
            worker.kill()

    def wait_ready(self, timeout_s: float = STARTUP_TIMEOUT_S) -> bool:
        """Wait until the spares have started (for measurements and tests: the app never
        waits for this, a query takes a spare whether it is ready or not)."""
        with self._lock:
            return all(worker.wait_ready(timeout_s) for worker in self._idle)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop(0)
                if worker.alive():
                    return worker
                worker.kill()  # ended while idle (IDLE_TIMEOUT_S): reap it
        try:
            return _Worker(self.lake_dir, self.reader_memory)
        except OSError as exc:  # no process could be started (limits of the machine)
            raise QueryFailed(NO_WORKER, str(exc)) from None

    def _fill(self) -> None:
        with self._lock:
            for worker in [w for w in self._idle if not w.alive()]:
                self._idle.remove(worker)
                worker.kill()
            while not self._closed and len(self._idle) < self.spares:
                try:
                    self._idle.append(_Worker(self.lake_dir, self.reader_memory))
                except OSError:
                    return  # no spare now; the next query starts its own worker


class _Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self, lake_dir: Path, reader_memory: str):
        ours, theirs = socket.socketpair()
        try:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "vthmonitor.werkbank.worker",
                    str(theirs.fileno()),
                    str(lake_dir),
                    reader_memory,
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                # its own messages travel over the socket; anything else is not for the user
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self.conn.close()

    def peak_memory(self) -> int | None:
        """The worker's peak resident memory so far (VmHWM), while it still runs."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return None

    def _receive(self, limit: int = MAX_MESSAGE_BYTES) -> dict:
        return json.loads(self.conn.recv_bytes(limit))

    def wait_ready(self, timeout_s: float) -> bool:
        """True once the worker has said it is ready for a query ("klaar")."""
        if not self.ready:
            try:
                if self.conn.poll(timeout_s):
                    self.ready = self._receive().get("soort") == "klaar"
            except (EOFError, OSError, ValueError):
                return False
        return self.ready

    def run(self, sql: str, limits: Limits) -> Result:
        if not self.wait_ready(STARTUP_TIMEOUT_S):
            raise QueryFailed(NO_WORKER, self._ended() if not self.alive() else "geen antwoord")

        request = self._request(sql, limits)
        started = time.perf_counter()
        try:
            self.conn.send_bytes(json.dumps(request).encode())
            # The time limit, for certain: the worker is killed whatever it is doing.
            answered = self.conn.poll(limits.time_limit_s)
            elapsed = time.perf_counter() - started
            if not answered:
                peak = self.peak_memory()
                self.kill()
                raise _with(timed_out(limits), time.perf_counter() - started, None, peak)
            answer = self._receive()
            if answer["soort"] == "ok":
                payload = self.conn.recv_bytes(MAX_RESULT_MESSAGE_BYTES)
        except (EOFError, OSError, ValueError, KeyError):
            elapsed = time.perf_counter() - started
            raise self._crashed(limits, elapsed) from None

        build_id, peak = answer.get("build_id"), answer.get("piek_geheugen")
        if answer["soort"] == "geweigerd":
            raise _with(Refused(answer["melding"]), elapsed, build_id, peak)
        if answer["soort"] != "ok":  # "fout", also when nothing has been published yet
            failed = QueryFailed(answer["melding"], answer.get("detail", ""))
            raise _with(failed, elapsed, build_id, peak)
        try:
            table = pa.ipc.open_stream(payload).read_all()
            frame = to_polars(table)
        except BaseException as exc:  # noqa: BLE001 - polars' PanicException is a BaseException
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise _with(explain(exc), elapsed, build_id, peak) from None
        return Result(
            frame=frame,
            cut=answer.get("afgekapt"),
            elapsed_s=time.perf_counter() - started,
            build_id=build_id,
            peak_memory_bytes=peak,
        )

    def export(self, sql: str, limits: Limits, write: Callable[[pa.Table], None]) -> Exported:
        """The worker streams the result: one Arrow IPC message per batch, an empty message at
        the end, then its answer (JSON). At most one batch is in this process at a time."""
        if not self.wait_ready(STARTUP_TIMEOUT_S):
            raise QueryFailed(NO_WORKER, self._ended() if not self.alive() else "geen antwoord")
        started = time.perf_counter()
        deadline = started + limits.time_limit_s
        with self._crash(limits, started):
            self.conn.send_bytes(json.dumps(self._request(sql, limits, export=True)).encode())
        while message := self._next(deadline, limits, started, MAX_RESULT_MESSAGE_BYTES):
            try:
                table = pa.ipc.open_stream(message).read_all()
            except pa.ArrowException as exc:
                raise _with(explain(exc), time.perf_counter() - started, None, None) from None
            write(table)  # the caller's file: what it raises goes on as it is
        with self._crash(limits, started):
            answer = json.loads(self._next(deadline, limits, started, MAX_MESSAGE_BYTES))
        elapsed = time.perf_counter() - started
        build_id, peak = answer.get("build_id"), answer.get("piek_geheugen")
        if answer["soort"] == "geweigerd":
            raise _with(Refused(answer["melding"]), elapsed, build_id, peak)
        if answer["soort"] != "ok":
            failed = QueryFailed(answer["melding"], answer.get("detail", ""))
            raise _with(failed, elapsed, build_id, peak)
        return Exported(answer["rijen"], answer.get("afgekapt"), elapsed, build_id, peak)

    def _request(self, sql: str, limits: Limits, export: bool = False) -> dict:
        return {
            "sql": sql,
            "max_rows": limits.max_rows,
            "export_max_rows": limits.export_max_rows,
            "export": export,
            "memory_bytes": limits.memory_bytes,
            "time_limit_s": limits.time_limit_s,
        }

    def _next(self, deadline: float, limits: Limits, started: float, limit: int) -> bytes:
        """The worker's next message (at most `limit` bytes). The worker is killed at the
        deadline whatever it is doing."""
        with self._crash(limits, started):
            if not self.conn.poll(max(deadline - time.perf_counter(), 0)):
                peak = self.peak_memory()
                self.kill()
                raise _with(timed_out(limits), time.perf_counter() - started, None, peak)
            return self.conn.recv_bytes(limit)

    @contextlib.contextmanager
    def _crash(self, limits: Limits, started: float) -> Iterator[None]:
        """A worker that dies, or answers what cannot be read, is a crash (`_crashed`)."""
        try:
            yield
        except (EOFError, OSError, ValueError):
            raise self._crashed(limits, time.perf_counter() - started) from None

    def _ended(self) -> str:
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "het werkproces antwoordt niet"
        if code < 0:
            return f"werkproces gestopt door signaal {signal.Signals(-code).name}"
        return f"werkproces gestopt met code {code}"

    def _crashed(self, limits: Limits, elapsed: float) -> SandboxError:
        """The worker died before it answered: by its own alarm (time), by the kernel (SIGKILL:
        out of memory), or by a crash."""
        detail = self._ended()
        code = self.proc.returncode
        if code == -signal.SIGALRM or elapsed >= limits.time_limit_s:
            return _with(timed_out(limits), elapsed, None, None)
        if code == -signal.SIGKILL:
            return _with(QueryFailed(MEMORY_MESSAGE, detail), elapsed, None, None)
        return _with(QueryFailed(CRASHED, detail), elapsed, None, None)


def _with(exc: SandboxError, elapsed: float, build_id: str | None, peak) -> SandboxError:
    exc.elapsed_s, exc.build_id, exc.peak_memory_bytes = elapsed, build_id, peak
    return exc


# --- the worker's side -----------------------------------------------------------------------
def _limit_address_space(limit_bytes: int) -> None:
    """Never above what the worker inherited: the app's own cap bounds its workers too."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    for inherited in (soft, hard):
        if inherited != resource.RLIM_INFINITY:
            limit_bytes = min(limit_bytes, inherited)
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, hard))


def serve(conn: Connection, lake_dir: Path, reader_memory: str) -> None:
    """One query: open the lake, say 'klaar', wait for the query, answer, return."""
    from vthmonitor.lake import NoLake, PublishedLake
    from vthmonitor.werkbank.sandbox import collect, stream

    lake = PublishedLake(Settings(lake_dir=lake_dir, reader_memory_limit=reader_memory))
    # Opened ahead, so the query does not wait for it. Only a head start: whatever fails here
    # (nothing published yet, a file being replaced) fails again below and is answered there.
    with contextlib.suppress(Exception):
        lake.cursor().close()
    conn.send_bytes(json.dumps({"soort": "klaar"}).encode())
    if not conn.poll(IDLE_TIMEOUT_S):
        return
    request = json.loads(conn.recv_bytes(MAX_MESSAGE_BYTES))
    signal.alarm(min(math.ceil(request["time_limit_s"]) + ALARM_GRACE_S, 2**31 - 1))
    limits = Limits(
        max_rows=request["max_rows"],
        memory_bytes=request["memory_bytes"],
        export_max_rows=request["export_max_rows"],
    )
    answer: dict = {"soort": "fout"}
    payload = None
    try:
        cursor = lake.cursor()
        answer["build_id"] = cursor.execute("select build_id from meta.build").fetchall()[0][0]
        # After opening: the cap is for the query, not for loading Python, DuckDB and Arrow.
        _limit_address_space(limits.memory_bytes)
        if request["export"]:  # the whole result, batch by batch (docs/sql-werkbank.md)
            rows, cut = stream(cursor, request["sql"], limits, lambda t: conn.send_bytes(_ipc(t)))
            answer.update(soort="ok", afgekapt=cut, rijen=rows)
        else:
            table, cut = collect(cursor, request["sql"], limits)
            payload = _ipc(table)
            answer.update(soort="ok", afgekapt=cut)
    except NoLake as exc:
        answer.update(melding=str(exc), detail="")
    except BaseException as exc:  # noqa: BLE001 - every failure becomes an answer
        explained = explain(exc)
        if isinstance(explained, Refused):
            answer.update(soort="geweigerd", melding=str(explained))
        else:
            answer.update(melding=explained.message, detail=explained.detail)
    answer["piek_geheugen"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if request["export"]:
        conn.send_bytes(b"")  # the end of the batches; the answer follows
    conn.send_bytes(json.dumps(answer).encode())
    if payload is not None:
        conn.send_bytes(payload)


def _ipc(table: pa.Table) -> memoryview:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return memoryview(sink.getvalue())


def main(argv: list[str]) -> None:
    # Ctrl-C is for `vthmonitor sql`, which then kills this process; the worker runs in a session
    # of its own anyway.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fd, lake_dir, reader_memory = int(argv[0]), Path(argv[1]), argv[2]
    conn = Connection(fd)
    try:
        serve(conn, lake_dir, reader_memory)
    except (EOFError, OSError):
        pass  # the parent went away
    finally:
        # No teardown: closing DuckDB and freeing a large result only costs time.
        os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
