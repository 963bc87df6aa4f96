"""The analysts' SQL workbench as one service, shared by the dashboard page and `vthmonitor sql`:
run a query in the sandbox (sandbox.py), in a worker process of its own
(worker.py), on the published lake and write every run, refused ones included, to
the audit log in the app-state database (app_state.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from vthmonitor import export
from vthmonitor.settings import SQL_DIR, Settings
from vthmonitor.werkbank.app_state import AppState
from vthmonitor.werkbank.sandbox import (
    Exported,
    Limits,
    QueryFailed,
    Refused,
    Result,
    to_polars,
    unique_names,
)
from vthmonitor.werkbank.worker import Workers

EXAMPLES_DIR = SQL_DIR / "voorbeelden"
INTERRUPTED = "Afgebroken door de gebruiker (Ctrl-C); de query is gestopt."
NOT_DELIVERED = (
    "De query is uitgevoerd, maar het resultaat kon niet worden weggeschreven. Controleer waar "
    "de uitvoer heen gaat (schijf vol, een afgesloten pijp) en probeer het opnieuw."
)


def limits(settings: Settings) -> Limits:
    return Limits(
        time_limit_s=settings.sql_time_limit_s,
        max_rows=settings.sql_max_rows,
        memory_bytes=settings.sql_worker_memory_bytes,
        # a download of the whole result never holds fewer rows than the page shows
        export_max_rows=max(settings.sql_export_max_rows, settings.sql_max_rows),
    )


def run_logged(
    workers: Workers,
    state: AppState,
    sql: str,
    limits: Limits,
    *,
    gebruiker: str,
    rol: str,
    kanaal: str,
    deliver: Callable[[Result], None] | None = None,
) -> Result:
    """Run one query in a worker process, logged: the audit row is written as 'bezig' before
    the query runs and completed afterwards with the outcome and the real duration (time-outs
    included), so a run whose process is killed still leaves its row. Re-raises Refused,
    QueryFailed and KeyboardInterrupt (status 'afgebroken') after completing the row.

    `deliver` writes the result where it goes (`vthmonitor sql`: stdout) before the row is
    completed: a run is 'ok' only when its output was written; a failure while writing is
    'fout' and a Dutch QueryFailed.

    The build id is read by the worker on the connection the query runs on, so the log names
    the build the rows came from even when a load publishes a new one meanwhile."""

    def run() -> Result:
        result = workers.run(sql, limits)
        if deliver is not None:
            _deliver(deliver, result)
        return result

    return _logged(state, sql, run, gebruiker=gebruiker, rol=rol, kanaal=kanaal)


def export_logged(
    workers: Workers,
    state: AppState,
    sql: str,
    limits: Limits,
    formaat: str,
    sink: BinaryIO,
    *,
    gebruiker: str,
    rol: str,
    kanaal: str,
) -> Exported:
    """Run one query again for a download of its whole result (up to limits.export_max_rows
    rows) and write it to `sink` as it arrives from the worker, batch by batch: Dutch CSV
    (`formaat` "csv", as every download, vthmonitor/export.py) or Parquet ("parquet", every type
    kept). Neither the worker nor this process ever holds the whole result; only the file does.
    Logged as `run_logged` (a failure while writing is 'fout' with NOT_DELIVERED), with the rows
    written and whether the export limit cut them (docs/sql-werkbank.md)."""
    bestand = ResultFile(formaat, sink)

    def run() -> Exported:
        exported = workers.export(sql, limits, lambda table: _deliver(bestand.write, table))
        _deliver(lambda _: bestand.close(), exported)
        return exported

    return _logged(state, sql, run, gebruiker=gebruiker, rol=rol, kanaal=kanaal)


def _logged(
    state: AppState,
    sql: str,
    run: Callable[[], Result | Exported],
    *,
    gebruiker: str,
    rol: str,
    kanaal: str,
) -> Result | Exported:
    run_id = state.begin(gebruiker, rol, kanaal, sql)
    started = time.perf_counter()

    def took(elapsed_s: float | None = None) -> float:
        seconds = time.perf_counter() - started if elapsed_s is None else elapsed_s
        return round(seconds * 1000, 1)

    try:
        result = run()
    except (Refused, QueryFailed) as exc:
        melding = " ".join(filter(None, [str(exc), getattr(exc, "detail", "")]))
        state.finish(
            run_id,
            exc.status,
            duur_ms=took(exc.elapsed_s),
            melding=melding,
            build_id=exc.build_id,
        )
        raise
    except KeyboardInterrupt:
        # Ctrl-C in `vthmonitor sql`: the worker has been killed (Workers.run)
        state.finish(run_id, "afgebroken", duur_ms=took(), melding=INTERRUPTED)
        raise
    except BaseException as exc:
        state.finish(run_id, "fout", duur_ms=took(), melding=f"{type(exc).__name__}: {exc}")
        raise
    state.finish(
        run_id,
        "ok",
        duur_ms=took(result.elapsed_s),
        rijen=result.rows,
        afgekapt=result.truncated,
        build_id=result.build_id,
    )
    return result


class ResultFile:
    """A result that arrives in batches (Arrow tables, the first one empty with the columns),
    written straight to a binary file. CSV is made per batch by vthmonitor/export.py, so it is
    byte for byte the CSV of the whole frame: BOM and header once, Dutch numbers, formulas
    neutralised. Parquet gets the Arrow batches as they are: every type kept."""

    def __init__(self, formaat: str, sink: BinaryIO):
        if formaat not in ("csv", "parquet"):
            raise ValueError(f"onbekend exportformaat: {formaat}")
        self.formaat, self.sink = formaat, sink
        self.header = True
        self.parquet: pq.ParquetWriter | None = None

    def write(self, table: pa.Table) -> None:
        table = table.rename_columns(unique_names(table.column_names))
        if self.formaat == "csv":
            self.sink.write(export.csv_bytes(to_polars(table), header=self.header))
            self.header = False
            return
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.sink, table.schema)
        if table.num_rows:
            self.parquet.write_table(table)

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        self.sink.flush()


def _deliver(deliver: Callable, result: Result | Exported | pa.Table) -> None:
    try:
        deliver(result)
    except BaseException as exc:  # noqa: BLE001 - polars' PanicException is a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        failed = QueryFailed(NOT_DELIVERED, f"{type(exc).__name__}: {exc}")
        failed.elapsed_s = getattr(result, "elapsed_s", None)
        failed.build_id = getattr(result, "build_id", None)
        raise failed from None


@dataclass(frozen=True)
class Example:
    name: str  # file name without .sql
    title: str  # first comment line
    description: str  # second comment line
    sql: str


def examples(folder: Path = EXAMPLES_DIR) -> list[Example]:
    """The example queries in sql/voorbeelden/: one file each, a title line and a description
    line as comments on top. Adding an example is adding a file."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        comments = [line[2:].strip() for line in lines[:2] if line.startswith("--")]
        title = comments[0] if comments else path.stem.replace("_", " ")
        description = comments[1] if len(comments) > 1 else ""
        found.append(Example(path.stem, title, description, text.strip()))
    return found


def kpi_query(kpi_id: str) -> str:
    """A starting query for one KPI from the catalogue, for the workbench editor."""
    if not kpi_id.replace("_", "").isalnum():
        raise ValueError(f"onverwacht KPI-id {kpi_id!r}")  # ids are from the catalogue
    return (
        "select deelnemer_code, periode, waarde, teller, noemer, norm, status\n"
        "from kpi.waarden\n"
        f"where kpi_id = '{kpi_id}'\n"
        "  and periode_type = 'jaar'\n"
        "order by deelnemer_code, periode"
    )
