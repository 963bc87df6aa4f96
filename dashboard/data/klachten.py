"""Klachten (complaints) for the MT and analysts: KPI trends per deelnemer and the complaints
analysis by aard, time and place, and the internal TOP-X list of establishments.

Every function takes the Viewer and passes the requested deelnemer codes through `allowed()`
into bound parameters. The place views (klachten_locaties, klachten_per_postcode) have no
TOTAAL rows: "TOTAAL" there means every deelnemer in the viewer's scope, never more. The TOP-X
list is internal (Zelfevaluatie OD Twente 2024; docs/domein.md, TOP-X): its function refuses
viewers without `sees_internal` itself, so no page can show it by mistake."""

from __future__ import annotations

import polars as pl

from dashboard.data import TOTAAL, allowed, breakdown_code, kpi_waarden, names, query
from dashboard.viewer import ScopeError, Viewer

KPIS = (
    "klachten_aantal",
    "klachten_per_1000_inwoners",
    "klachten_gegrond_pct",
    "klachten_afhandelduur_mediaan_dagen",
    "klachten_herhaalmelders_pct",
)


def reeksen(
    viewer: Viewer,
    kpi_ids: tuple[str, ...] | list[str],
    deelnemer_codes: list[str],
    periode_type: str,
) -> pl.DataFrame:
    """kpi.waarden rows of these KPIs for these deelnemers (scoped), with the deelnemer's name
    in `deelnemer`."""
    frame = kpi_waarden(viewer, list(kpi_ids), deelnemer_codes, periode_type)
    naam = names()
    return frame.with_columns(
        pl.col("deelnemer_code").replace_strict(naam, default=None).alias("deelnemer")
    )


def _plaats_codes(viewer: Viewer, deelnemer_code: str) -> list[str]:
    """Deelnemer codes for a view without TOTAAL rows: TOTAAL = all deelnemers in scope."""
    if deelnemer_code == TOTAAL:
        return allowed(viewer, totaal=False)
    return allowed(viewer, [deelnemer_code], totaal=False)


def per_aard(
    viewer: Viewer, deelnemer_code: str, periode_types: tuple[str, ...] = ("jaar",)
) -> pl.DataFrame:
    """Complaints per aard and period (kpi.klachten_per_aard) for one deelnemer or TOTAAL:
    aantal, gegrond and the share of the aard in the period, for these period types (one
    query for e.g. years and months). Only combinations with complaints have rows."""
    code = breakdown_code(viewer, deelnemer_code)
    return query(
        "select deelnemer_code, periode_type, periode, aard, aantal, gegrond, aandeel_pct "
        "from kpi.klachten_per_aard where deelnemer_code = ? "
        "and periode_type in (select unnest(?::varchar[])) "
        "order by periode_type, periode, aantal desc, aard",
        [code, list(periode_types)],
    )


def locaties(viewer: Viewer, deelnemer_code: str, jaar: int) -> pl.DataFrame:
    """Complaints of one year as points in RD New (kpi.klachten_locaties, metres): the place of
    the nuisance, no personal data. Points without coordinates are left out. Only the columns
    the scatter needs (tens of thousands of rows at scale 10)."""
    codes = _plaats_codes(viewer, deelnemer_code)
    return query(
        "select deelnemer_code, datum, aard, gegrond, x, y "
        "from kpi.klachten_locaties where jaar = ? "
        "and deelnemer_code in (select unnest(?::varchar[])) "
        "and x is not null and y is not null",
        [jaar, codes],
    )


def gemeente_middelpunten(viewer: Viewer) -> pl.DataFrame:
    """A labelled point per municipality in scope to find one's way on the complaints scatter:
    the mean RD position of its establishments (staging.inrichtingen). There is no municipality
    geometry in the lake; the province has no point of its own."""
    codes = allowed(viewer, totaal=False)
    return query(
        "with midden as (select bevoegd_gezag, avg(x) as x, avg(y) as y "
        "from staging.inrichtingen where bevoegd_gezag in (select unnest(?::varchar[])) "
        "and x is not null and y is not null group by bevoegd_gezag) "
        "select d.code as deelnemer_code, d.naam, midden.x, midden.y from midden "
        "join staging.deelnemers as d on d.code = midden.bevoegd_gezag "
        "where d.soort = 'gemeente' order by d.naam",
        [codes],
    )


def per_postcode(viewer: Viewer, deelnemer_code: str, jaar: int) -> pl.DataFrame:
    """Complaints per 4-digit postcode area of the reporter and aard for one year
    (kpi.klachten_per_postcode; areas with < 3 complaints are already merged into 'overig')."""
    codes = _plaats_codes(viewer, deelnemer_code)
    return query(
        "select postcode4, aard, sum(aantal) as aantal from kpi.klachten_per_postcode "
        "where jaar = ? and deelnemer_code in (select unnest(?::varchar[])) "
        "group by all order by postcode4, aard",
        [jaar, codes],
    )


def top_inrichtingen(viewer: Viewer, deelnemer_code: str, top: int) -> pl.DataFrame:
    """The TOP-X establishments with most complaints in the last 12 months
    (kpi.klachten_top_inrichtingen), rang <= top (equal counts share a rank, so there can be
    more rows than `top`). INTERNAL: only for MT and analysts; anyone else gets ScopeError."""
    if not viewer.sees_internal:
        raise ScopeError("De TOP-X-lijst van inrichtingen is intern: alleen voor MT en analisten.")
    code = breakdown_code(viewer, deelnemer_code)
    return query(
        "select rang, inrichting_id, naam, branche, aantal_klachten, aantal_gegrond, "
        "meest_gemelde_aard, laatste_melding, periode_van, periode_tot "
        "from kpi.klachten_top_inrichtingen where deelnemer_code = ? and rang <= ? "
        "order by rang, naam, inrichting_id",
        [code, top],
    )
