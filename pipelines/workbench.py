"""The analysts' SQL workbench as one service, shared by the dashboard page and `vthmonitor sql`:
run a query in the sandbox (pipelines/sandbox.py) on the published lake and write every run,
refused ones included, to the audit log in the app-state database (pipelines/app_state.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.app_state import AppState, Uitvoering
from pipelines.lake import PublishedLake
from pipelines.sandbox import Limits, QueryFailed, Refused, Result, run
from pipelines.settings import SQL_DIR, Settings

EXAMPLES_DIR = SQL_DIR / "voorbeelden"


def limits(settings: Settings) -> Limits:
    return Limits(time_limit_s=settings.sql_time_limit_s, max_rows=settings.sql_max_rows)


def run_logged(
    lake: PublishedLake,
    state: AppState,
    sql: str,
    limits: Limits,
    *,
    gebruiker: str,
    rol: str,
    kanaal: str,
) -> Result:
    """Run one query and log it; re-raises Refused/QueryFailed after logging them.

    The build id is read on the same cursor the query runs on, so the log names the build the
    rows came from even when a load publishes a new one meanwhile."""
    cursor = lake.cursor()
    build_id = None
    try:
        build_id = cursor.execute("select build_id from meta.build").fetchall()[0][0]
        result = run(cursor, sql, limits)
    except (Refused, QueryFailed) as exc:
        state.log(
            Uitvoering(
                gebruiker=gebruiker,
                rol=rol,
                kanaal=kanaal,
                sql=sql,
                status=exc.status,
                melding=" ".join(filter(None, [str(exc), getattr(exc, "detail", "")]))[:2000],
                build_id=build_id,
            )
        )
        raise
    except duckdb.Error:
        cursor.close()
        raise
    state.log(
        Uitvoering(
            gebruiker=gebruiker,
            rol=rol,
            kanaal=kanaal,
            sql=sql,
            status="ok",
            duur_ms=round(result.elapsed_s * 1000, 1),
            rijen=result.rows,
            afgekapt=result.truncated,
            build_id=build_id,
        )
    )
    return result


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
