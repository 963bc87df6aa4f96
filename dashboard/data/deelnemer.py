"""Data for the Deelnemer page: one deelnemer's figures for the monthly accountoverleg.

Every function takes the Viewer and the requested deelnemer code and passes it through
allowed() (an accounthouder asking for another deelnemer gets a ScopeError); the checked code
goes into the query as a bound parameter. Period ranges are bound as dates.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.data import TOTAAL, allowed, breakdown_code, query, waarden_bron
from dashboard.data.overzicht import maandnummer, periode_uit
from dashboard.viewer import Viewer


def _code(viewer: Viewer, code: str) -> str:
    """The one deelnemer code to query, checked against the viewer's scope (ScopeError
    otherwise; TOTAAL only for viewers who see every deelnemer, see breakdown_code). Bound as
    `= ?`: on the large staging tables an equality filter is about twice as fast as a list
    lookup."""
    return breakdown_code(viewer, code)


def reeksen(viewer: Viewer, code: str, series: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    """Several trend series in one query: for each (kpi_id, periode_type, tot_periode, aantal)
    the last `aantal` periods of that type up to and including tot_periode, for the deelnemer
    and TOTAAL: kpi_id, periode_type, deelnemer_code, periode, waarde, waarde_tekst, norm,
    status, onderdrukt (TOTAAL withheld from this viewer, see data.waarden_bron), dekking and
    gedekt_tot (docs/kpis.md, "Dekking"), and
    cumulatief: the running sum of waarde from the first period of the same calendar year in
    the series (for hours against the budget over the months of a year; NULL where waarde is
    NULL, and from a withheld period on, which a running sum would otherwise reveal). Periods
    of one type sort as text ('2024-Q4' < '2025-Q1'), so a range is `between`."""
    van = [
        periode_uit(t, maandnummer(t, tot) - {"jaar": 12, "kwartaal": 3, "maand": 1}[t] * (n - 1))
        for _, t, tot, n in series
    ]
    bron, bron_params = waarden_bron(viewer)
    return query(
        f"""
        with {bron},

        gevraagd as (
            select
                unnest(?::varchar[]) as kpi_id,
                unnest(?::varchar[]) as periode_type,
                unnest(?::varchar[]) as van,
                unnest(?::varchar[]) as tot
        )

        select
            w.kpi_id, w.periode_type, w.deelnemer_code, w.periode, w.waarde, w.waarde_tekst,
            w.norm, w.status, w.onderdrukt, w.dekking, w.gedekt_vanaf, w.gedekt_tot,
            case
                when w.waarde is not null and not bool_or(w.onderdrukt) over jaar
                    then sum(w.waarde) over jaar
            end as cumulatief
        from zichtbaar as w
        join gevraagd as g
            on w.kpi_id = g.kpi_id
            and w.periode_type = g.periode_type
            and w.periode between g.van and g.tot
        where list_contains(?::varchar[], w.deelnemer_code)
            and list_contains(?::varchar[], w.kpi_id)
        window jaar as (
            partition by w.kpi_id, w.periode_type, w.deelnemer_code, left(w.periode, 4)
            order by w.periode
        )
        order by w.kpi_id, w.periode_type, w.deelnemer_code, w.periode
        """,
        [
            *bron_params,
            [k for k, _, _, _ in series],
            [t for _, t, _, _ in series],
            van,
            [tot for _, _, tot, _ in series],
            allowed(viewer, [code, TOTAAL]),
            sorted({k for k, _, _, _ in series}),
        ],
    )


def producten_per_product(viewer: Viewer, code: str, jaar: int, tot: dt.date) -> pl.DataFrame:
    """Products in the uitvoeringsprogramma of the year against closed zaken decided from
    1 January up to and including `tot` (same matching as programma_realisatie_pct: by
    product name). Products closed but not in the programme are listed with gepland NULL."""
    checked = _code(viewer, code)
    return query(
        """
        with plan as (
            select
                product,
                sum(gepland_aantal)::bigint as gepland,
                sum(geplande_uren) as geplande_uren
            from staging.programma
            where jaar = ? and deelnemer = ?
            group by product
        ),

        gerealiseerd as (
            select product, count(*) as gerealiseerd
            from staging.zaken
            where bevoegd_gezag = ?
                and status = 'afgesloten'
                and datum_besluit >= ? and datum_besluit < ?
            group by product
        )

        select
            coalesce(plan.product, gerealiseerd.product) as product,
            plan.gepland,
            coalesce(gerealiseerd.gerealiseerd, 0) as gerealiseerd,
            case when plan.gepland > 0
                then 100.0 * coalesce(gerealiseerd.gerealiseerd, 0) / plan.gepland end
                as realisatie_pct,
            plan.geplande_uren
        from plan
        full join gerealiseerd on plan.product = gerealiseerd.product
        order by plan.gepland desc nulls last, product
        """,
        [jaar, checked, checked, dt.date(jaar, 1, 1), tot + dt.timedelta(days=1)],
    )


def uren_per_product(viewer: Viewer, code: str, jaar: int) -> pl.DataFrame:
    """Hours written per product and taakpakket in the year (kpi.uren_per_product), with the
    hours planned for that product in the uitvoeringsprogramma."""
    checked = _code(viewer, code)
    return query(
        """
        with geschreven as (
            select product, taakpakket, sum(uren) as uren
            from kpi.uren_per_product
            where jaar = ? and deelnemer_code = ?
            group by product, taakpakket
        ),

        gepland as (
            select product, sum(geplande_uren) as geplande_uren
            from staging.programma
            where jaar = ? and deelnemer = ?
            group by product
        )

        select
            coalesce(geschreven.product, gepland.product) as product,
            geschreven.taakpakket,
            gepland.geplande_uren,
            coalesce(geschreven.uren, 0) as uren
        from geschreven
        full join gepland on geschreven.product = gepland.product
        order by uren desc, product
        """,
        [jaar, checked, jaar, checked],
    )


def lhso_matrix(viewer: Viewer, code: str, jaar: int) -> pl.DataFrame:
    """The 16 LHSO cells of the year for the deelnemer: gevolgen, gedrag, code, score and the
    number of controles whose most severe finding is in that cell."""
    return query(
        "select lhso_gevolgen, lhso_gedrag, lhso_code, lhso_score, aantal_controles "
        "from kpi.lhso_matrix where jaar = ? "
        "and deelnemer_code = ? "
        "order by lhso_gevolgen, lhso_gedrag",
        [jaar, _code(viewer, code)],
    )


def klachten_per_aard(viewer: Viewer, code: str, perioden: list[str]) -> pl.DataFrame:
    """Complaints per aard for these periods (kpi.klachten_per_aard; a label names its type:
    2025, 2025-Q3, 2025-07): periode_type, periode, aard, aantal, gegrond, aandeel_pct."""
    return query(
        "select periode_type, periode, aard, aantal, gegrond, aandeel_pct "
        "from kpi.klachten_per_aard "
        "where list_contains(?::varchar[], periode) "
        "and deelnemer_code = ? "
        "order by periode, aantal desc, aard",
        [perioden, _code(viewer, code)],
    )


def klachten_locaties(viewer: Viewer, code: str, begin: dt.date, eind: dt.date) -> pl.DataFrame:
    """Each complaint reported from `begin` to `eind` (inclusive) with a known location, as an
    RD New point (kpi.klachten_locaties: the place of the nuisance, no reporter data)."""
    return query(
        "select klacht_id, datum, aard, gegrond, x, y from kpi.klachten_locaties "
        "where deelnemer_code = ? "
        "and datum between ? and ? and x is not null and y is not null "
        "order by datum, klacht_id",
        [_code(viewer, code), begin, eind],
    )


def handhaving_instrumenten(
    viewer: Viewer, code: str, begin: dt.date, eind: dt.date
) -> pl.DataFrame:
    """Enforcement decisions of the deelnemer from `begin` to `eind` (inclusive) per
    instrument: number of besluiten and the dwangsom amounts imposed, forfeited (verbeurd) and
    collected (ingevorderd), in EUR. There is no kpi view per instrument, so this reads
    staging.handhaving (current version of each besluit)."""
    return query(
        "select instrument, count(*) as besluiten, "
        "sum(dwangsom_bedrag) as dwangsom_opgelegd, sum(verbeurd_bedrag) as verbeurd, "
        # a forfeited dwangsom with nothing collected is 0 collected, not unknown
        "case when count(verbeurd_bedrag) > 0 then coalesce(sum(ingevorderd_bedrag), 0) end "
        "as ingevorderd "
        "from staging.handhaving "
        "where bevoegd_gezag = ? "
        "and datum_besluit >= ? and datum_besluit < ? "
        "group by instrument order by besluiten desc, instrument",
        [_code(viewer, code), begin, eind + dt.timedelta(days=1)],
    )
