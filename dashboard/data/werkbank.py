"""Data access for the SQL workbench (analysts) and its audit log (beheerder).

The schema browser reads DuckDB's own catalogue of the published warehouse: the descriptions
there are the comment blocks of sql/<laag>/<naam>.sql, the same text `tests/sql/test_docs.py`
requires. An analyst's query runs uncached through the workbench service (sandbox + audit log),
in a worker process of its own: every run is a new, logged execution. Saved queries and history
live in the app-state database, outside the lake.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.data import query
from dashboard.viewer import ScopeError, Viewer
from vthmonitor.settings import Settings
from vthmonitor.werkbank import service
from vthmonitor.werkbank.app_state import AppState
from vthmonitor.werkbank.sandbox import PUBLIC_SCHEMAS, Limits, Result
from vthmonitor.werkbank.worker import Workers

_SCHEMAS = list(PUBLIC_SCHEMAS)


@st.cache_resource
def state() -> AppState:
    return AppState(Settings.from_env().app_state_file)


@st.cache_resource(on_release=lambda workers: workers.close())
def workers() -> Workers:
    """The app's worker processes for workbench queries, with a warm spare: one per process."""
    return Workers(Settings.from_env(), spares=1)


def limits() -> Limits:
    return service.limits(Settings.from_env())


def _require_analist(viewer: Viewer) -> None:
    if not viewer.runs_sql:
        raise ScopeError("De SQL-werkbank is alleen beschikbaar voor analisten.")


# --- schema browser ---------------------------------------------------------------------------
def relaties() -> pl.DataFrame:
    """Every table and view an analyst may query: schema, naam, soort, beschrijving."""
    return query(
        "select schema_name as schema, table_name as naam, 'tabel' as soort, "
        "comment as beschrijving from duckdb_tables() "
        "where schema_name in (select unnest(?::varchar[])) "
        "union all "
        "select schema_name, view_name, 'view', comment from duckdb_views() "
        "where schema_name in (select unnest(?::varchar[])) and not internal "
        "order by schema, naam",
        [_SCHEMAS, _SCHEMAS],
    )


def kolommen() -> pl.DataFrame:
    """Every column of those relations: schema, relatie, kolom, type, beschrijving, positie."""
    return query(
        "select schema_name as schema, table_name as relatie, column_name as kolom, "
        "data_type as type, comment as beschrijving, column_index as positie "
        "from duckdb_columns() where schema_name in (select unnest(?::varchar[])) "
        "order by schema, relatie, positie",
        [_SCHEMAS],
    )


def kpi_definities() -> pl.DataFrame:
    return query(
        "select kpi_id, naam, groep, definitie, eenheid, richting, bron from kpi.catalogus "
        "order by groep, kpi_id"
    )


def voorbeelden() -> list[service.Example]:
    return service.examples()


# --- running, saving, history -----------------------------------------------------------------
def uitvoeren(viewer: Viewer, sql: str) -> Result:
    """Run the analyst's query in the sandbox and log it (raises Refused/QueryFailed)."""
    _require_analist(viewer)
    return service.run_logged(
        workers(),
        state(),
        sql,
        limits(),
        gebruiker=viewer.gebruiker,
        rol=viewer.role,
        kanaal="app",
    )


def opgeslagen(viewer: Viewer) -> pl.DataFrame:
    """The team's saved queries (every analyst sees them all, with author), newest first."""
    _require_analist(viewer)
    return state().saved()


def opslaan(viewer: Viewer, naam: str, sql: str) -> int:
    _require_analist(viewer)
    return state().save(naam, sql, viewer.gebruiker)


def verwijderen(viewer: Viewer, query_id: int) -> bool:
    _require_analist(viewer)
    return state().delete(query_id, viewer.gebruiker)


def geschiedenis(viewer: Viewer, limit: int = 30) -> pl.DataFrame:
    _require_analist(viewer)
    return state().geschiedenis(viewer.gebruiker, limit=limit)


# How a run's status reads on a page. A row still 'bezig' belongs to a query that is running now
# or to a process that was killed before it could complete the row.
STATUS_TEKST = {"bezig": "onderbroken of nog bezig"}


def status_tekst(status: str) -> str:
    return STATUS_TEKST.get(status, status)


def auditlog(viewer: Viewer, limit: int = 500) -> pl.DataFrame:
    """Who ran which ad-hoc query, when, how long, how many rows, refused or not. The query
    text is its stored start (SQL_TEXT_MAX characters) with the whole text's length and hash."""
    if not viewer.sees_audit_log:
        raise ScopeError("Het auditlog van de SQL-werkbank is alleen voor de beheerder.")
    return state().auditlog(limit=limit)
