"""Data access for the dashboard: the only layer that runs queries; pages call its functions.

This package is that layer: the core (scope, cache, KPIs, data quality) is here, and one
submodule per subject (dashboard/data/<onderwerp>.py) builds on `query` and `allowed`.

- Every function that returns deelnemer data takes the Viewer and restricts the query to the
  viewer's deelnemers *here*, with bound parameters (never string formatting): a page cannot
  forget it, and a URL parameter or widget cannot widen it. Asking for another deelnemer raises
  ScopeError.
- Queries go to the published warehouse through PublishedLake, which follows CURRENT, so the
  app shows a new load without a restart; one handle per process, a cursor per query (valkuil 1).
- Results are cached per (build, query, bound parameters): the scope is part of the parameters,
  so one viewer's rows are never served to another (valkuil 5), and a new build is a new key.
- TOTAAL is a comparison, not a back door: every query that reads values from kpi.waarden reads
  them through waarden_bron(), which withholds from an accounthouder the TOTAAL of a KPI and
  period to which fewer than 3 other deelnemers contribute (docs/vergelijking-totaal.md).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard.viewer import ScopeError, Viewer
from vthmonitor.lake import PublishedLake, connect_reader, published_warehouse
from vthmonitor.settings import Settings

TOTAAL = "TOTAAL"


@st.cache_resource
def lake() -> PublishedLake:
    return PublishedLake(Settings.from_env())


# The build of each warehouse file this process has read: a published file never changes, so
# its meta.build row is read once. Asked before every query, this was a DuckDB query each time:
# a fifth of a block's run on the server (docs/dashboard.md, "Snelheid").
_BUILDS: dict[str, dict] = {}


def build() -> dict:
    """The published build (id, time, last load): also the cache key of every query."""
    current = published_warehouse(lake().paths)
    known = _BUILDS.get(current.name) if current is not None else None
    if known is not None:
        return known
    cursor = lake().cursor()  # follows CURRENT (it may have moved since the line above)
    row = cursor.execute("select build_id, gebouwd_op, laatste_load from meta.build").fetchone()
    info = {"build_id": row[0], "gebouwd_op": row[1], "laatste_load": row[2]}
    if len(_BUILDS) > 16:  # a long-running server sees a new build per load
        _BUILDS.clear()
    _BUILDS[f"{row[0]}.duckdb"] = (
        info  # a warehouse file is named for its build (pipelines/build.py)
    )
    return info


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached(build_id: str, sql: str, params: tuple) -> pl.DataFrame:
    cursor = lake().cursor()
    return cursor.sql(sql, params=list(params) or None).pl()


# Within one script run the same query (the deelnemers, the catalogue) is asked by several
# blocks of a page: it is run once per run. The memo lives in the run's context, so it is never
# shared between sessions; components.start() gives every run a fresh one.
_RUN_MEMO: contextvars.ContextVar[dict | None] = contextvars.ContextVar("run_memo", default=None)


def new_run() -> None:
    _RUN_MEMO.set({})


def query(sql: str, params: list | tuple = ()) -> pl.DataFrame:
    memo = _RUN_MEMO.get()
    key = (sql, repr(params))
    if memo is not None and key in memo:
        return memo[key]
    frame = _cached(build()["build_id"], sql, tuple(params))
    if memo is not None:
        memo[key] = frame
    return frame


# --- scope ------------------------------------------------------------------------------------
def deelnemers() -> pl.DataFrame:
    """All deelnemers (code, naam, soort, inwoners): reference data, not scoped."""
    return query("select code, naam, soort, inwoners from staging.deelnemers order by naam")


def names() -> dict[str, str]:
    frame = deelnemers()
    return dict(zip(frame["code"], frame["naam"], strict=True)) | {TOTAAL: "Alle deelnemers"}


def allowed(viewer: Viewer, requested: list[str] | None = None, totaal: bool = True) -> list[str]:
    """The deelnemer codes a query may return for this viewer.

    MT, analysts and beheerders see every deelnemer; an accounthouder only their own
    deelnemer(s). Everyone may see TOTAAL (the whole organisation): it holds no other
    deelnemer's rows, and organisation-level KPIs (robustness, HR) exist only there.
    Requesting a code outside the scope raises."""
    own = deelnemers()["code"].to_list() if viewer.sees_all else list(viewer.deelnemers)
    scope = own + ([TOTAAL] if totaal else [])
    if requested is None:
        return scope
    outside = [c for c in requested if c not in scope]
    if outside:
        raise ScopeError(f"Geen toegang tot deelnemer(s) {', '.join(outside)}.")
    return list(requested)


def breakdown_code(viewer: Viewer, code: str) -> str:
    """The one deelnemer code of a breakdown (complaints per aard, the LHSO matrix, compliance
    per branche). TOTAAL there is every deelnemer's detail added up, not a comparison figure:
    only viewers who see every deelnemer may ask for it (docs/vergelijking-totaal.md)."""
    (allowed_code,) = allowed(viewer, [code])
    if allowed_code == TOTAAL and not viewer.sees_all:
        raise ScopeError(
            "Een uitsplitsing van alle deelnemers samen is er alleen voor het MT, analisten en "
            "de beheerder; kies uw eigen deelnemer."
        )
    return allowed_code


# --- KPIs -------------------------------------------------------------------------------------
def oranje_marge() -> float | None:
    """The status rule's oranje margin in % of the norm (staging.statusregel), or None."""
    frame = query("select oranje_marge_pct from staging.statusregel")
    return frame.item() if frame.height == 1 else None


def catalogus() -> pl.DataFrame:
    return query(
        "select kpi_id, naam, definitie, eenheid, richting, bron, groep from kpi.catalogus "
        "order by groep, kpi_id"
    )


def kpi_info() -> dict[str, dict]:
    """The catalogue as one row (naam, definitie, eenheid, richting, bron, groep) per kpi_id:
    the one lookup pages and components use."""
    return {row["kpi_id"]: row for row in catalogus().iter_rows(named=True)}


def catalogus_naam(kpi_id: str) -> str:
    """The Dutch name of a KPI (the id itself if the catalogue does not know it)."""
    return kpi_info().get(kpi_id, {}).get("naam", kpi_id)


# --- TOTAAL as a comparison (docs/vergelijking-totaal.md) --------------------------------------
# Where fewer than this many deelnemers other than the viewer's own contribute to a KPI in a
# period, TOTAAL minus the viewer's own figure (nearly) is another deelnemer's figure: an
# accounthouder then does not get the TOTAAL value. kpi.totaal_bijdragers says who contributes.
MIN_ANDERE_BIJDRAGERS = 3
ONDERDRUKT = f"niet getoond: minder dan {MIN_ANDERE_BIJDRAGERS} andere deelnemers hebben gegevens"

# The columns of kpi.waarden as a viewer may see them, plus `onderdrukt`: true on a TOTAAL row
# whose waarde, waarde_tekst, teller, noemer and status are withheld from this viewer. Named
# `zichtbaar`, for the `with` clause of a query; its parameters come first.
_ZICHTBAAR_ALLES = """
zichtbaar as (
    select
        kpi_id, deelnemer_code, periode_type, periode, waarde, waarde_tekst, teller, noemer,
        norm, operator, status, false as onderdrukt, dekking, gedekt_vanaf, gedekt_tot
    from kpi.waarden
    where list_contains(?::varchar[], deelnemer_code)
)"""

# For an accounthouder: the others are the contributors minus the viewer's own deelnemers. A
# TOTAAL row is shown only when that is known to be enough (or the KPI exists only for the
# organisation as a whole): a KPI and period missing from kpi.totaal_bijdragers is withheld.
_ZICHTBAAR_EIGEN = """
zichtbaar_regel as (
    select
        w.*,
        w.deelnemer_code = 'TOTAAL' and not coalesce(
            not b.per_deelnemer
            or b.bijdragers - len(list_intersect(b.deelnemers, ?::varchar[])) >= ?,
            false
        ) as onderdrukt
    from kpi.waarden as w
    left join kpi.totaal_bijdragers as b using (kpi_id, periode_type, periode)
    where list_contains(?::varchar[], w.deelnemer_code)
),

zichtbaar as (
    select
        kpi_id, deelnemer_code, periode_type, periode,
        case when not onderdrukt then waarde end as waarde,
        case when not onderdrukt then waarde_tekst end as waarde_tekst,
        case when not onderdrukt then teller end as teller,
        case when not onderdrukt then noemer end as noemer,
        norm,
        operator,
        case when not onderdrukt then status end as status,
        onderdrukt,
        dekking,
        gedekt_vanaf,
        gedekt_tot
    from zichtbaar_regel
)"""


def waarden_bron(viewer: Viewer) -> tuple[str, list]:
    """The `with` clause (without the word `with`) that defines `zichtbaar`: the rows of
    kpi.waarden within the viewer's scope, with TOTAAL withheld where the comparison would
    disclose other deelnemers (columns of kpi.waarden plus `onderdrukt`), and its parameters,
    which go before those of the rest of the query."""
    scope = allowed(viewer)
    if viewer.sees_all:
        return _ZICHTBAAR_ALLES, [scope]
    return _ZICHTBAAR_EIGEN, [list(viewer.deelnemers), MIN_ANDERE_BIJDRAGERS, scope]


def kpi_waarden(
    viewer: Viewer,
    kpi_ids: list[str],
    deelnemer_codes: list[str] | None = None,
    periode_type: str | None = None,
    periodes: list[str] | None = None,
) -> pl.DataFrame:
    """Rows of kpi.waarden for these KPIs, within the viewer's scope, with `onderdrukt` (see
    waarden_bron) and the coverage (`dekking`, `gedekt_tot`: docs/kpis.md, "Dekking")."""
    codes = allowed(viewer, deelnemer_codes)
    bron, params = waarden_bron(viewer)
    sql = (
        f"with {bron} "
        "select kpi_id, deelnemer_code, periode_type, periode, waarde, waarde_tekst, teller, "
        "noemer, norm, status, onderdrukt, dekking, gedekt_vanaf, gedekt_tot from zichtbaar "
        "where kpi_id in (select unnest(?::varchar[])) "
        "and deelnemer_code in (select unnest(?::varchar[]))"
    )
    params += [kpi_ids, codes]
    if periode_type is not None:
        sql += " and periode_type = ?"
        params.append(periode_type)
    if periodes is not None:
        sql += " and periode in (select unnest(?::varchar[]))"
        params.append(periodes)
    return query(sql + " order by kpi_id, deelnemer_code, periode", params)


def _statussen_sql(viewer: Viewer) -> tuple[str, list]:
    bron, params = waarden_bron(viewer)
    return (
        f"with {bron} select kpi_id, deelnemer_code, periode_type, periode, status, waarde, "
        "waarde_tekst, norm, operator, dekking from zichtbaar "
        "where status in ('groen', 'oranje', 'rood') "
        "order by deelnemer_code, kpi_id, periode_type, periode",
        params,
    )


def kpi_statussen(viewer: Viewer) -> pl.DataFrame:
    """Every KPI value with a status (groen, oranje, rood) within the viewer's scope: kpi_id,
    deelnemer_code, periode_type, periode, status, waarde, waarde_tekst, norm, operator, dekking.
    For the alerts after a load (docs/rapport.md, "Signalen"), which compare them with the
    statuses of the previous run; TOTAAL withheld as everywhere (waarden_bron)."""
    return query(*_statussen_sql(viewer))


def kpi_statussen_van(viewer: Viewer, warehouse: Path) -> pl.DataFrame:
    """kpi_statussen of another warehouse file than the published one: the previous build,
    which the alerts compare with when no earlier run remembered its statuses."""
    sql, params = _statussen_sql(viewer)
    con = connect_reader(warehouse, lake().memory_limit)
    try:
        return con.sql(sql, params=params).pl()
    finally:
        con.close()


def perioden(periode_type: str) -> list[str]:
    """Periods of this type in which some KPI has a value, newest first: a period no export
    covers is not offered (docs/kpis.md, "Dekking")."""
    frame = query(
        "select distinct periode from kpi.waarden where periode_type = ? and waarde is not null "
        "order by periode desc",
        [periode_type],
    )
    return frame["periode"].to_list()


def periode_soorten() -> dict[str, list[str]]:
    """Per KPI the period types it has values for (jaar, kwartaal, maand): a KPI that is not
    computed per month says so on a month view instead of showing another period's value."""
    frame = query(
        "select kpi_id, list(distinct periode_type order by periode_type) as soorten "
        "from kpi.waarden where waarde is not null or waarde_tekst is not null group by kpi_id"
    )
    return dict(zip(frame["kpi_id"], frame["soorten"].to_list(), strict=True))


def bron_dekking(viewer: Viewer, bron: str, code: str) -> tuple[str, dt.date, dt.date] | None:
    """(title, gedekt_vanaf, gedekt_tot) of a source for one deelnemer in the viewer's scope
    (meta.dekking, docs/kpis.md "Dekking"), or None when no export of it covers that deelnemer.
    """
    [code] = allowed(viewer, [code])
    frame = query(
        "select bronnen.titel, dekking.gedekt_vanaf, dekking.gedekt_tot "
        "from meta.dekking as dekking join staging.bronnen as bronnen using (bron) "
        "where dekking.bron = ? and dekking.deelnemer_code = ? and dekking.gedekt_tot is not null",
        [bron, code],
    )
    return frame.row(0) if frame.height else None


def bronnen_dekking(viewer: Viewer, code: str) -> pl.DataFrame:
    """Every source with how far its exports cover one deelnemer in the viewer's scope
    (meta.dekking): titel, gedekt_vanaf, gedekt_tot (NULL: no export covers it). For "stand
    per" on the report's cover (docs/rapport.md)."""
    [code] = allowed(viewer, [code], totaal=False)
    return query(
        "select bronnen.titel, dekking.gedekt_vanaf, dekking.gedekt_tot "
        "from staging.bronnen as bronnen "
        "left join meta.dekking as dekking on dekking.bron = bronnen.bron "
        "and dekking.deelnemer_code = ? "
        "order by bronnen.volgorde, bronnen.titel",
        [code],
    )


# --- data quality -----------------------------------------------------------------------------
def versheid() -> pl.DataFrame:
    """Per source: rows, the newest event date, until when its exports cover all deelnemers
    and when it was last loaded (not scoped: it says how current the numbers are, not what
    they are)."""
    return query(
        "select bron, titel, rijen, nieuwste_gebeurtenis, gedekt_tot, laatst_geladen "
        "from meta.versheid order by bron"
    )


def bronnen_per_deelnemer(viewer: Viewer) -> pl.DataFrame:
    """Per deelnemer and source: current rows and when the newest load with rows for it ended.
    Organisation-wide rows (no deelnemer) are shown to viewers who see everything."""
    codes = allowed(viewer, totaal=False)
    sql = (
        "select deelnemer_code, deelnemer, bron, rijen, laatste_lading "
        "from meta.bronnen_per_deelnemer where deelnemer_code in (select unnest(?::varchar[]))"
    )
    if viewer.sees_all:
        sql += " or deelnemer_code is null"
    return query(sql + " order by deelnemer_code nulls last, bron", [codes])


def ladingen(viewer: Viewer) -> pl.DataFrame:
    """Every offered file per load: status, rows, loaded, quarantined, message. File names and
    messages can name another deelnemer or quote a value from its rows ("klachten Enschede
    2025.csv", "regel 12: 'Gemeente Enschedee' onbekend"), so an accounthouder gets each file's
    counts without its name and message (docs/toegang.md, "Afscherming")."""
    frame = query(
        "select load_id, klaar, bestand, bron, status, regels, geladen, quarantaine, melding "
        "from meta.loads order by load_id desc, volgnummer"
    )
    if viewer.sees_all:
        return frame
    return frame.with_columns(
        pl.lit(None, dtype=pl.String).alias("bestand"),
        pl.lit(None, dtype=pl.String).alias("melding"),
    )


def verwijderingen(viewer: Viewer) -> pl.DataFrame:
    """Every key deleted with `vthmonitor erase`: who, when, why (docs/verwijderen.md). For the
    beheerder, who answers for the deletions; the keys name zaken and complaints."""
    if not viewer.sees_audit_log:
        raise ScopeError("De verwijderingen zijn alleen voor de beheerder.")
    return query(
        "select load_id, bron, sleutel, reden, door, op, rijen_in_raw from meta.verwijderingen "
        "order by load_id desc, bron, sleutel"
    )


def quarantaine_per_reden() -> pl.DataFrame:
    """Quarantined rows counted by source, column and reason: no values, so no one's data."""
    return query(
        "select bron, kolom, reden, count(distinct (load_id, bestand, regel)) as regels "
        "from meta.quarantaine group by all order by regels desc, bron, kolom"
    )


QUARANTAINE_MAX = 10_000  # rows read at once: the downloads hold this many filtered rows
# rows the table on the page shows: 10 000 rows sent 2,3 MB to the browser at scale 10 (issue 13:
# ~300 kB per page); the page says how many there are and the downloads hold them
QUARANTAINE_TONEN = 500


def quarantaine_regels(
    viewer: Viewer,
    bronnen: list[str] | None = None,
    bestanden: list[str] | None = None,
    redenen: list[str] | None = None,
) -> pl.DataFrame:
    """Quarantined lines (meta.quarantaine: file, line, column, reason and the value as
    delivered, already masked where it may be personal data), filtered, newest load first, at
    most QUARANTAINE_MAX + 1 rows (so the page can say there are more). File names can name
    another deelnemer, so this is for viewers who see every deelnemer (docs/toegang.md)."""
    if not viewer.sees_all:
        raise ScopeError("De quarantaineregels zijn er voor het MT, analisten en de beheerder.")
    return query(
        "select load_id, geladen_op, bron, bestand, regel, kolom, reden, waarde "
        "from meta.quarantaine "
        "where (?::varchar[] is null or list_contains(?::varchar[], bron)) "
        "and (?::varchar[] is null or list_contains(?::varchar[], bestand)) "
        "and (?::varchar[] is null or list_contains(?::varchar[], reden)) "
        "order by load_id desc, bestand, regel, kolom limit ?",
        [bronnen, bronnen, bestanden, bestanden, redenen, redenen, QUARANTAINE_MAX + 1],
    )


def quarantaine_keuzes(viewer: Viewer) -> pl.DataFrame:
    """The distinct (bron, bestand, reden) of the quarantine, for the filters."""
    if not viewer.sees_all:
        raise ScopeError("De quarantaineregels zijn er voor het MT, analisten en de beheerder.")
    return query(
        "select distinct bron, bestand, reden from meta.quarantaine order by bron, bestand, reden"
    )


def bestand_geschiedenis(viewer: Viewer, bestand: str) -> pl.DataFrame:
    """Every time a file (by name) was offered: load, when, status, lines, loaded,
    quarantined, stand per, message (meta.loads). For viewers who see every deelnemer."""
    if not viewer.sees_all:
        raise ScopeError(
            "De geschiedenis per bestand is er voor het MT, analisten en de beheerder."
        )
    return query(
        "select load_id, klaar, bron, status, regels, geladen, quarantaine, stand_per, melding "
        "from meta.loads where bestand = ? order by load_id desc",
        [bestand],
    )
