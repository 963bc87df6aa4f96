"""Naleving (compliance) for the MT and analysts: KPI trends per deelnemer, the compliance rate
per branche, the LHSO matrix, criminal enforcement, penalty payments and energy savings.

Every function takes the Viewer and passes the requested deelnemer codes through `allowed()`
into bound parameters, like the core in dashboard/data/__init__.py."""

from __future__ import annotations

import polars as pl

from dashboard.data import TOTAAL, breakdown_code, kpi_waarden, names, query
from dashboard.viewer import Viewer

TREND_KPIS = ("naleefpercentage", "hercontrole_ratio", "overtredingen_aantal", "lhso_zwaarste")
HANDHAVING_KPIS = (
    "strafrecht_per_inrichting_pct",
    "strafrecht_per_boa_fte",
    "dwangsom_invordering_pct",
)
ENERGIE_KPIS = ("energiebesparing_kwh", "energiebesparing_m3_gas")
ALLE_KPIS = TREND_KPIS + HANDHAVING_KPIS + ENERGIE_KPIS

# LHSO axes (docs/domein.md, begrippen): gevolgen A worst ... D, gedrag 4 worst ... 1.
GEVOLGEN = {
    "A": "A aanzienlijk/onomkeerbaar",
    "B": "B van belang",
    "C": "C beperkt",
    "D": "D vrijwel nihil",
}
GEDRAG = {
    "1": "1 goedwillend",
    "2": "2 onverschillig",
    "3": "3 calculerend",
    "4": "4 bewust en structureel",
}


def reeksen(
    viewer: Viewer,
    kpi_ids: tuple[str, ...] | list[str],
    deelnemer_codes: list[str],
    periode_type: str,
) -> pl.DataFrame:
    """kpi.waarden rows of these KPIs for these deelnemers (scoped), with the deelnemer's name
    in `deelnemer`: the series the trend charts and tables show."""
    frame = kpi_waarden(viewer, list(kpi_ids), deelnemer_codes, periode_type)
    naam = names()
    return frame.with_columns(
        pl.col("deelnemer_code").replace_strict(naam, default=None).alias("deelnemer")
    )


def naleving_per_branche(
    viewer: Viewer, deelnemer_code: str, jaar_van: int, jaar_tot: int
) -> pl.DataFrame:
    """Naleefpercentage per branche and year: a derived view of the `naleefpercentage`
    definition (kpi.catalogus), split by the branche of the inspected establishment.

    Per calendar year of datum_controle (the inspection's own date) and branche: periodieke
    controles (soort = 'periodiek') of the deelnemer (bevoegd_gezag of the controle, as in the
    KPI; TOTAAL = all deelnemers), those with aantal_overtredingen = 0, and
    naleefpercentage = zonder_overtredingen / periodieke_controles x 100. The branche is that of
    the current version of the inrichting in staging.inrichtingen; a controle whose inrichting is
    unknown counts under 'onbekend', so the sums over all branches equal the KPI's teller and
    noemer in kpi.waarden for the same deelnemer and year. Years jaar_van..jaar_tot inclusive
    (bounded, because this reads the controles themselves rather than a KPI table)."""
    code = breakdown_code(viewer, deelnemer_code)
    sql = (
        "select year(c.datum_controle) as jaar, coalesce(i.branche, 'onbekend') as branche, "
        "count(*) as periodieke_controles, "
        "count(*) filter (where c.aantal_overtredingen = 0) as zonder_overtredingen "
        "from staging.controles as c "
        "left join staging.inrichtingen as i on i.inrichting_id = c.inrichting_id "
        "where c.soort = 'periodiek' "
        "and c.datum_controle >= make_date(?::integer, 1, 1) "
        "and c.datum_controle < make_date(?::integer + 1, 1, 1)"
    )
    params: list = [jaar_van, jaar_tot]
    if code != TOTAAL:
        sql += " and c.bevoegd_gezag = ?"
        params.append(code)
    frame = query(sql + " group by all order by jaar, branche", params)
    return frame.select(
        pl.lit(code).alias("deelnemer_code"),
        "jaar",
        "branche",
        "periodieke_controles",
        "zonder_overtredingen",
        (pl.col("zonder_overtredingen") / pl.col("periodieke_controles") * 100).alias(
            "naleefpercentage"
        ),
    )


def lhso_matrix(viewer: Viewer, deelnemer_code: str, jaar: int) -> pl.DataFrame:
    """The 16 LHSO cells (kpi.lhso_matrix) with the number of controles whose most severe
    finding falls in each, for one deelnemer (or TOTAAL) and year."""
    code = breakdown_code(viewer, deelnemer_code)
    return query(
        "select deelnemer_code, jaar, lhso_gevolgen, lhso_gedrag, lhso_code, lhso_score, "
        "aantal_controles from kpi.lhso_matrix where deelnemer_code = ? and jaar = ? "
        "order by lhso_score desc",
        [code, jaar],
    )


def dwangsommen(viewer: Viewer, deelnemer_codes: list[str], periode_type: str) -> pl.DataFrame:
    """Forfeited vs collected penalty payments (EUR) per deelnemer and period: the teller
    (sum ingevorderd_bedrag) and noemer (sum verbeurd_bedrag) of dwangsom_invordering_pct."""
    return bedragen(reeksen(viewer, ["dwangsom_invordering_pct"], deelnemer_codes, periode_type))


def bedragen(reeks: pl.DataFrame) -> pl.DataFrame:
    """The dwangsom amounts from rows that reeksen() returned (already scoped): for a page that
    has fetched them with other KPIs, so it need not query again."""
    return (
        reeks.filter(pl.col("kpi_id") == "dwangsom_invordering_pct")
        .sort("deelnemer_code", "periode")
        .select(
            "deelnemer_code",
            "deelnemer",
            "periode",
            pl.col("noemer").alias("verbeurd_eur"),
            pl.col("teller").alias("ingevorderd_eur"),
            (pl.col("noemer") - pl.col("teller")).alias("niet_ingevorderd_eur"),
            pl.col("waarde").alias("invordering_pct"),
        )
    )
