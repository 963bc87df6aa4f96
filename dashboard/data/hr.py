"""HR and finance figures of the organisation: formatie, bezetting, dienstverbanden, boa
capacity, in/outflow, training and innovation budget, budget size.

These are organisation-level: the KPI values exist only for TOTAAL (which every viewer may see;
the scope and the TOTAAL rule still go through allowed() and data.waarden_bron()), and FTE per
team has no deelnemer at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from dashboard.data import TOTAAL, allowed, query, waarden_bron
from dashboard.viewer import Viewer


def waarden(viewer: Viewer, kpi_ids: list[str], periode_type: str) -> pl.DataFrame:
    """kpi.waarden (TOTAAL) for these KPIs and period type, with name, unit and direction
    from the catalogue, oldest period first."""
    codes = allowed(viewer, [TOTAAL])
    bron, bron_params = waarden_bron(viewer)
    return query(
        f"""
        with {bron}
        select waarden.kpi_id, catalogus.naam, catalogus.eenheid, catalogus.richting,
            waarden.deelnemer_code, waarden.periode_type, waarden.periode, waarden.waarde,
            waarden.teller, waarden.noemer, waarden.norm, waarden.operator, waarden.status,
            waarden.dekking,
            waarden.gedekt_vanaf, waarden.gedekt_tot
        from zichtbaar as waarden
        join kpi.catalogus as catalogus using (kpi_id)
        where waarden.kpi_id in (select unnest(?::varchar[]))
          and waarden.deelnemer_code in (select unnest(?::varchar[]))
          and waarden.periode_type = ?
        order by waarden.kpi_id, waarden.periode
        """,
        [*bron_params, kpi_ids, codes, periode_type],
    )


def peildata() -> list[dt.date]:
    """The HR snapshot dates that end a quarter (the stand of the quarter and year KPIs),
    newest first."""
    frame = query(
        "select distinct peildatum from kpi.fte_per_team where laatste_in_kwartaal "
        "order by peildatum desc"
    )
    return frame["peildatum"].to_list()


def fte_per_team(peildatum: dt.date) -> pl.DataFrame:
    """FTE and number of staff per team and dienstverband on one snapshot date (all
    dienstverbanden, stagiairs included; kpi.fte_per_team)."""
    return query(
        "select peildatum, team, dienstverband, fte, medewerkers from kpi.fte_per_team "
        "where peildatum = ? order by team, dienstverband",
        [peildatum],
    )


def fte_per_dienstverband(periode_type: str) -> pl.DataFrame:
    """FTE and staff per dienstverband at the last snapshot of every year or quarter (the stand
    the HR KPIs of that period use), oldest first."""
    if periode_type not in ("jaar", "kwartaal"):
        raise ValueError(f"onbekend periodetype: {periode_type}")
    return query(
        """
        select case when ? = 'jaar' then jaar::varchar else kwartaal end as periode,
            peildatum, dienstverband, sum(fte) as fte, sum(medewerkers) as medewerkers
        from kpi.fte_per_team
        where case when ? = 'jaar' then laatste_in_jaar else laatste_in_kwartaal end
        group by all
        order by peildatum, dienstverband
        """,
        [periode_type, periode_type],
    )


# --- for display: pure, no queries ------------------------------------------------------------
# The KPIs of the page: HR figures per year or quarter, and the robustness KPIs that belong to
# HR and finance, which exist per year only.
HR_KPIS = [
    "hr_formatie_fte",
    "hr_bezetting_fte",
    "hr_bezettingsgraad_pct",
    "hr_inhuur_pct",
    "hr_boa_fte",
    "hr_instroom",
    "hr_uitstroom",
]
JAAR_KPIS = [
    "rob_vaste_dienst",
    "rob_kwaliteitscriteria",
    "rob_opleidingsbudget",
    "rob_opleiding_realisatie",
    "rob_innovatiebudget",
    "rob_omvang_begroting",
]
# The order of the dienstverbanden from permanent to external; unknown ones go last.
DIENSTVERBANDEN = ["vast", "tijdelijk", "trainee", "detachering", "inhuur", "stagiair"]


def volgorde(dienstverbanden: Iterable[str]) -> list[str]:
    """The dienstverbanden present, from permanent to external (DIENSTVERBANDEN), then any
    unknown ones alphabetically."""
    aanwezig = set(dienstverbanden)
    return [d for d in DIENSTVERBANDEN if d in aanwezig] + sorted(aanwezig - set(DIENSTVERBANDEN))


def _op_volgorde(frame: pl.DataFrame) -> pl.DataFrame:
    rang = {d: i for i, d in enumerate(volgorde(frame["dienstverband"]))}
    return frame.sort(pl.col("dienstverband").replace_strict(rang, return_dtype=pl.Int32))


def per_dienstverband(teams: pl.DataFrame) -> pl.DataFrame:
    """FTE per team (fte_per_team()) summed per dienstverband, with its share of all FTE (%),
    in the order of `volgorde`."""
    return _op_volgorde(
        teams.group_by("dienstverband")
        .agg(pl.col("fte").sum(), pl.col("medewerkers").sum())
        .with_columns((pl.col("fte") / pl.col("fte").sum() * 100).alias("aandeel_pct"))
    )


def dienstverband_tabel(per: pl.DataFrame) -> pl.DataFrame:
    """per_dienstverband() as a Dutch table: numbers stay numbers (the unit is in the column
    name), rounded as shown, so the download sums in Excel (docs/exports.md)."""
    return per.select(
        pl.col("dienstverband").alias("Dienstverband"),
        pl.col("fte").round(1).alias("Fte"),
        pl.col("medewerkers").alias("Medewerkers"),
        pl.col("aandeel_pct").round(1).alias("Aandeel fte (%)"),
    )


def per_team(teams: pl.DataFrame) -> pl.DataFrame:
    """FTE with a column per dienstverband (in the order of `volgorde`) and a row per team."""
    return (
        teams.pivot(on="dienstverband", index="team", values="fte", aggregate_function="sum")
        .fill_null(0)
        .select("team", *volgorde(teams["dienstverband"]))
        .rename({"team": "Team"})
    )


def verloop_tabel(verloop: pl.DataFrame) -> pl.DataFrame:
    """fte_per_dienstverband() as a table (the numbers behind its chart): per period the
    dienstverbanden in the order of `volgorde`, with the date of the stand."""
    rang = {d: i for i, d in enumerate(volgorde(verloop["dienstverband"]))}
    return verloop.sort("periode", pl.col("dienstverband").replace_strict(rang)).select(
        pl.col("periode").alias("Periode"),
        pl.col("peildatum").alias("Peildatum"),
        pl.col("dienstverband").alias("Dienstverband"),
        pl.col("fte").round(1).alias("Fte"),
        pl.col("medewerkers").alias("Medewerkers"),
    )


def reeks(frame: pl.DataFrame, *kpi_ids: str) -> pl.DataFrame:
    return frame.filter(pl.col("kpi_id").is_in(kpi_ids))


def laatste(frame: pl.DataFrame, kpi_id: str) -> dict | None:
    """The row of the newest complete period with a value (docs/kpis.md, "Dekking")."""
    rows = frame.filter(
        (pl.col("kpi_id") == kpi_id)
        & (pl.col("dekking") == "volledig")
        & pl.col("waarde").is_not_null()
    )
    return rows.sort("periode").row(-1, named=True) if rows.height else None


def in_miljoenen(frame: pl.DataFrame) -> pl.DataFrame:
    """Amounts in euro as millions, for a chart axis in EUR mln."""
    return frame.select(
        "periode",
        (pl.col("waarde") / 1_000_000).alias("waarde"),
        (pl.col("norm") / 1_000_000).alias("norm"),
    )
