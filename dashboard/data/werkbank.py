"""Data access for the SQL workbench (analysts) and its audit log (beheerder).

The schema browser reads DuckDB's own catalogue of the published warehouse: the descriptions
there are the comment blocks of sql/<laag>/<naam>.sql, the same text `tests/sql/test_docs.py`
requires. An analyst's query runs uncached through the workbench service (sandbox + audit log),
in a worker process of its own: every run is a new, logged execution, and so is the download of
a result that was cut for the page (`exporteren`: the query runs again and streams to the file,
docs/sql-werkbank.md). Saved queries and history live in the app-state database, outside the
lake. The second half shapes what the page shows (search, labels, file names): pure functions.
"""

from __future__ import annotations

import datetime as dt
import tempfile

import polars as pl
import streamlit as st

from dashboard.data import query
from dashboard.format import getal, tijdstip
from dashboard.viewer import ScopeError, Viewer
from vthmonitor import export
from vthmonitor.settings import Settings
from vthmonitor.werkbank import service
from vthmonitor.werkbank.app_state import AppState
from vthmonitor.werkbank.sandbox import MAX_EXPORT_BYTES, PUBLIC_SCHEMAS, Limits, Result
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


def opgeslagen(viewer: Viewer, alleen_eigen: bool = False) -> pl.DataFrame:
    """The team's saved queries (every analyst sees them all, with author), newest first; only
    the viewer's own with `alleen_eigen`."""
    _require_analist(viewer)
    saved = state().saved()
    return saved.filter(pl.col("auteur") == viewer.gebruiker) if alleen_eigen else saved


def bestaat(viewer: Viewer, naam: str) -> bool:
    """Whether the viewer already saved a query under this name (saving again replaces it)."""
    eigen = opgeslagen(viewer, alleen_eigen=True)
    return naam.strip() in set(eigen["naam"].to_list())


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


def exporteren(viewer: Viewer, sql: str, formaat: str) -> tuple[bytes, int]:
    """The whole result of the analyst's query as a CSV or Parquet file, up to the export limit
    (Limits.export_max_rows): the query runs again in a worker, logged like every run, and its
    batches go straight into a temporary file, so the app holds the file once and never the
    rows as well. Returns the file's bytes and its number of rows. Raises Refused/QueryFailed."""
    return _exporteren(viewer, sql, formaat, workers(), state(), limits())


def _exporteren(
    viewer: Viewer, sql: str, formaat: str, pool: Workers, app_state: AppState, grenzen: Limits
) -> tuple[bytes, int]:
    _require_analist(viewer)
    with tempfile.TemporaryFile() as sink:
        exported = service.export_logged(
            pool,
            app_state,
            sql,
            grenzen,
            formaat,
            sink,
            gebruiker=viewer.gebruiker,
            rol=viewer.role,
            kanaal="app-export",
        )
        sink.seek(0)
        return sink.read(), exported.rows


class Bestand:
    """What one download button of the workbench hands out, made on the click: the rows shown,
    or, for a result that was cut for the page (and not for Excel, whose sheet is made whole in
    memory), the whole result again (`exporteren`). `rijen` is known once it is made. The
    workers and the app state are taken when the page is drawn: the click is handled outside
    the page's run."""

    def __init__(self, viewer: Viewer, sql: str, result: Result, formaat: str):
        self.viewer, self.sql, self.frame, self.formaat = viewer, sql, result.frame, formaat
        self.opnieuw = result.truncated and formaat != "xlsx"
        self.rijen = result.frame.height
        self._bronnen = (workers(), state(), limits()) if self.opnieuw else None

    def maak(self) -> bytes:
        if self._bronnen is not None:
            inhoud, self.rijen = _exporteren(self.viewer, self.sql, self.formaat, *self._bronnen)
            return inhoud
        if self.formaat == "csv":
            return export.csv_bytes(self.frame)
        if self.formaat == "parquet":
            return export.parquet_bytes(self.frame)
        return export.excel_bytes(self.frame, "query")


# --- what the page shows: pure, no queries ----------------------------------------------------
def zoek_relaties(relaties: pl.DataFrame, kolommen: pl.DataFrame, zoek: str) -> tuple[list, int]:
    """The relations (schema.naam) whose name or description holds `zoek`, then those with a
    column whose name or description holds it, each once; and the number of such columns.
    Case-insensitive; without `zoek` every relation and 0."""
    if not zoek:
        return (relaties["schema"] + "." + relaties["naam"]).to_list(), 0
    needle = zoek.lower()

    def bevat(kolom: str) -> pl.Expr:
        return pl.col(kolom).str.to_lowercase().str.contains(needle, literal=True)

    hits = kolommen.filter(bevat("kolom") | bevat("beschrijving") | bevat("relatie"))
    namen = relaties.filter(bevat("naam") | bevat("beschrijving"))
    opties = (namen["schema"] + "." + namen["naam"]).to_list()
    opties += (hits["schema"] + "." + hits["relatie"]).to_list()
    return list(dict.fromkeys(opties)), hits.height


def openen_sql(relatie: str, rijen: int = 100) -> str:
    """The query that opens a relation of the schema browser ("schema.naam"): its first rows.
    The names are quoted as identifiers, so a name is never read as SQL."""
    schema, _, naam = relatie.partition(".")

    def ident(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    return f"select * from {ident(schema)}.{ident(naam)} limit {int(rijen)}"


def relatie_info(relaties: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """schema.naam: (soort, beschrijving) of every relation."""
    return {
        f"{r['schema']}.{r['naam']}": (r["soort"], r["beschrijving"] or "")
        for r in relaties.iter_rows(named=True)
    }


def kolommen_van(kolommen: pl.DataFrame, relatie: str) -> pl.DataFrame:
    """The columns of one relation (schema.naam) as the browser's table: Kolom, Type,
    Beschrijving, in their order."""
    schema, naam = relatie.split(".", 1)
    return kolommen.filter((pl.col("schema") == schema) & (pl.col("relatie") == naam)).select(
        pl.col("kolom").alias("Kolom"),
        pl.col("type").alias("Type"),
        pl.col("beschrijving").alias("Beschrijving"),
    )


def zoek_kpis(definities: pl.DataFrame, zoek: str) -> pl.DataFrame:
    """The KPI definitions whose id, name or definition holds `zoek` (case-insensitive)."""
    if not zoek:
        return definities
    return definities.filter(
        pl.concat_str("kpi_id", "naam", "definitie", separator=" ")
        .str.to_lowercase()
        .str.contains(zoek.lower(), literal=True)
    )


def definitie_tabel(definities: pl.DataFrame) -> pl.DataFrame:
    return definities.select(
        pl.col("naam").alias("KPI"),
        pl.col("kpi_id").alias("Id"),
        pl.col("definitie").alias("Definitie"),
        pl.col("eenheid").alias("Eenheid"),
        pl.col("groep").alias("Groep"),
    )


def geschiedenis_labels(geschiedenis: pl.DataFrame) -> dict[int, str]:
    """Per row of the history: time, outcome and the start of the query on one line."""
    return {
        i: f"{tijdstip(r['tijdstip'])} · {status_tekst(r['status'])} · "
        f"{' '.join(r['sql'].split())[:70]}"
        for i, r in enumerate(geschiedenis.iter_rows(named=True))
    }


def samenvatting(result: Result) -> str:
    """'**1.234 rijen** · 0,12 s'"""
    return (
        f"**{getal(result.rows)} {'rij' if result.rows == 1 else 'rijen'}** · "
        f"{getal(result.elapsed_s, 2)} s"
    )


def download_uitleg(result: Result, limits: Limits) -> str | None:
    """What the downloads of a cut result hold (None for a whole one: they hold what is
    shown)."""
    if not result.truncated:
        return None
    grens = f"tot {getal(limits.export_max_rows)} rijen"
    if result.cut == "omvang":
        grens += f" en {getal(MAX_EXPORT_BYTES // 1024**2)} MB"
    return (
        f"De tabel toont de eerste {getal(result.rows)} rijen. De downloads CSV en Parquet "
        f"bevatten het hele resultaat, {grens}: de query draait daarvoor opnieuw (ook in het "
        "auditlog). Excel bevat de getoonde rijen."
    )


def download_naam(sql: str, opgeslagen: pl.DataFrame, naam: str | None, moment: dt.datetime) -> str:
    """A download's file name without extension: werkbank_<name>_<yyyy-mm-dd_HHMM>, the name
    being that of the saved query with exactly this SQL (the one in the name field if several
    are), else 'query'; `moment` in Amsterdam time (vthmonitor.tijd)."""
    namen = opgeslagen.filter(pl.col("sql") == sql)["naam"].to_list()
    gekozen = " ".join((naam or "").split())
    if gekozen.lower() not in {n.lower() for n in namen}:
        gekozen = namen[0] if namen else "query"
    return export.file_stem("werkbank", gekozen, moment.strftime("%Y-%m-%d_%H%M"))
