"""HR and finance figures of the organisation: formatie, bezetting, dienstverbanden, boa
capacity, in/outflow, training and innovation budget, budget size.

These are organisation-level: the KPI values exist only for TOTAAL (which every viewer may see;
the scope and the TOTAAL rule still go through allowed() and data.waarden_bron()), and FTE per
team has no deelnemer at all.
"""

from __future__ import annotations

import datetime as dt

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
            waarden.teller, waarden.noemer, waarden.norm, waarden.status, waarden.dekking,
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
