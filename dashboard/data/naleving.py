"""Naleving (compliance) for the MT and analysts: KPI trends per deelnemer, the compliance rate
per branche, the LHSO matrix, criminal enforcement, penalty payments and energy savings.

Every function takes the Viewer and passes the requested deelnemer codes through `allowed()`
into bound parameters, like the core in dashboard/data/__init__.py."""

from __future__ import annotations

import polars as pl

from dashboard.data import TOTAAL, breakdown_code, query
from dashboard.data.trends import reeksen as reeksen  # the one version, for both trend pages
from dashboard.labels import GEDRAG, GEVOLGEN
from dashboard.viewer import Viewer

TREND_KPIS = ("naleefpercentage", "hercontrole_ratio", "overtredingen_aantal", "lhso_zwaarste")
HANDHAVING_KPIS = (
    "strafrecht_per_inrichting_pct",
    "strafrecht_per_boa_fte",
    "dwangsom_invordering_pct",
)
ENERGIE_KPIS = ("energiebesparing_kwh", "energiebesparing_m3_gas")
ALLE_KPIS = TREND_KPIS + HANDHAVING_KPIS + ENERGIE_KPIS


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


# --- tables and series for the page (pure functions of the frames above) ----------------------
def branche_tabel(branches: pl.DataFrame) -> pl.DataFrame:
    """naleving_per_branche as the table under its heatmap."""
    return branches.select(
        pl.col("branche").alias("Branche"),
        pl.col("jaar").alias("Jaar"),
        pl.col("periodieke_controles").alias("Periodieke controles"),
        pl.col("zonder_overtredingen").alias("Zonder overtredingen"),
        pl.col("naleefpercentage").round(1).alias("Naleefpercentage"),
    )


def branches_samen(branches: pl.DataFrame, jaar: int) -> dict | None:
    """Every branche of naleving_per_branche together in one year: periodieke_controles,
    zonder_overtredingen and their naleefpercentage, the KPI's own noemer, teller and value
    (None without periodieke controles that year)."""
    rij = branches.filter(pl.col("jaar") == jaar).select(
        pl.col("periodieke_controles").sum(), pl.col("zonder_overtredingen").sum()
    )
    periodiek, zonder = rij.row(0)
    if not periodiek:
        return None
    return {
        "periodieke_controles": periodiek,
        "zonder_overtredingen": zonder,
        "naleefpercentage": zonder / periodiek * 100,
    }


def lhso_tabel(matrix: pl.DataFrame) -> pl.DataFrame:
    """lhso_matrix as the table under the matrix: a row per cell with its Dutch labels."""
    return matrix.select(
        pl.col("lhso_code").alias("LHSO-cel"),
        pl.col("lhso_gevolgen").replace_strict(GEVOLGEN).alias("Gevolgen"),
        pl.col("lhso_gedrag").replace_strict(GEDRAG).alias("Gedrag"),
        pl.col("aantal_controles").alias("Controles"),
    )


def laatste_bedragen(dwangsommen: pl.DataFrame) -> dict | None:
    """The newest period of bedragen() with forfeited penalty payments (None: none at all)."""
    met = dwangsommen.filter(pl.col("verbeurd_eur").is_not_null()).sort("periode")
    return met.row(-1, named=True) if met.height else None


def bedragen_lang(dwangsommen: pl.DataFrame) -> pl.DataFrame:
    """bedragen() as chart rows (periode, soort Verbeurd or Ingevorderd, bedrag), for the
    periods with forfeited penalty payments."""
    return (
        dwangsommen.filter(pl.col("verbeurd_eur").is_not_null())
        .unpivot(
            index="periode",
            on=["verbeurd_eur", "ingevorderd_eur"],
            variable_name="soort",
            value_name="bedrag",
        )
        .with_columns(
            pl.col("soort").replace_strict(
                {"verbeurd_eur": "Verbeurd", "ingevorderd_eur": "Ingevorderd"}
            )
        )
    )


def bedragen_tabel(dwangsommen: pl.DataFrame) -> pl.DataFrame:
    """bedragen() as the table under its chart."""
    return dwangsommen.select(
        pl.col("deelnemer").alias("Deelnemer"),
        pl.col("periode").alias("Periode"),
        pl.col("verbeurd_eur").round(2).alias("Verbeurd (EUR)"),
        pl.col("ingevorderd_eur").round(2).alias("Ingevorderd (EUR)"),
        pl.col("niet_ingevorderd_eur").round(2).alias("Niet ingevorderd (EUR)"),
        pl.col("invordering_pct").round(1).alias("Ingevorderd (%)"),
    )
