"""Klachten (complaints) for the MT and analysts: KPI trends per deelnemer and the complaints
analysis by aard, time and place, and the internal TOP-X list of establishments.

Every function takes the Viewer and passes the requested deelnemer codes through `allowed()`
into bound parameters. The place views (klachten_locaties, klachten_per_postcode) have no
TOTAAL rows: "TOTAAL" there means every deelnemer in the viewer's scope, never more. The TOP-X
list is internal (Zelfevaluatie OD Twente 2024; docs/domein.md, TOP-X): its function refuses
viewers without `sees_internal` itself, so no page can show it by mistake."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.data import TOTAAL, allowed, breakdown_code, query
from dashboard.data.deelnemer import klachten_raster
from dashboard.data.trends import reeksen as reeksen  # the one version, for both trend pages
from dashboard.labels import MAANDEN, OVERIGE_AARDEN
from dashboard.viewer import ScopeError, Viewer

KPIS = (
    "klachten_aantal",
    "klachten_per_1000_inwoners",
    "klachten_gegrond_pct",
    "klachten_afhandelduur_mediaan_dagen",
    "klachten_herhaalmelders_pct",
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


def raster(
    viewer: Viewer, deelnemer_code: str, jaar: int, aarden: list[str] | None = None
) -> pl.DataFrame:
    """Complaints of one year with a known place, counted per 1 km square on the server as on
    the Deelnemer page (deelnemer.klachten_raster): the browser never gets a complaint's
    coordinates (docs/dashboard.md, "Klachtenkaart"). `aarden`: only these (None: all)."""
    codes = _plaats_codes(viewer, deelnemer_code)
    return klachten_raster(viewer, codes, dt.date(jaar, 1, 1), dt.date(jaar, 12, 31), aarden)


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


def per_maand(viewer: Viewer, deelnemer_code: str) -> pl.DataFrame:
    """klachten_aantal of one deelnemer (or TOTAAL) for every month with a value."""
    reeks = reeksen(viewer, ["klachten_aantal"], [deelnemer_code], "maand")
    return reeks.filter(pl.col("waarde").is_not_null())


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


# --- tables and series for the page (pure functions of the frames above) ----------------------
def groepeer_aarden(per_aard_frame: pl.DataFrame, kleuren: int) -> pl.DataFrame:
    """Rows of per_aard() with `aard_groep`: the aarden with the most complaints by name, the
    rest as 'overige aarden', so that a chart needs at most `kleuren` colours and each one is
    distinguishable (the colour-blind-safe palette has 8)."""
    telling = per_aard_frame.group_by("aard").agg(pl.col("aantal").sum())
    top = telling.sort(["aantal", "aard"], descending=[True, False])["aard"].to_list()
    if len(top) > kleuren:
        top = top[: kleuren - 1]
    return per_aard_frame.with_columns(
        pl.when(pl.col("aard").is_in(top))
        .then(pl.col("aard"))
        .otherwise(pl.lit(OVERIGE_AARDEN))
        .alias("aard_groep")
    )


def per_soort(
    per_aard_frame: pl.DataFrame, periode_type: str, periode: str | None = None
) -> pl.DataFrame:
    """The rows of per_aard() of one period type (and one period)."""
    rows = per_aard_frame.filter(pl.col("periode_type") == periode_type)
    return rows if periode is None else rows.filter(pl.col("periode") == periode)


def aard_tabel(per_jaar: pl.DataFrame) -> pl.DataFrame:
    """Complaints per aard and year as the table under the charts per aard."""
    return per_jaar.select(
        pl.col("periode").alias("Jaar"),
        pl.col("aard").alias("Aard"),
        pl.col("aantal").alias("Klachten"),
        pl.col("gegrond").alias("Gegrond"),
        pl.col("aandeel_pct").round(1).alias("Aandeel (%)"),
    )


def maand_tabel(maanden: pl.DataFrame) -> pl.DataFrame:
    """per_maand() as the table under the charts over time."""
    return maanden.select(pl.col("periode").alias("Maand"), pl.col("waarde").alias("Klachten"))


def seizoen(maanden: pl.DataFrame) -> pl.DataFrame:
    """klachten_aantal per month (reeksen per maand) as jaar, maand (1-12), klachten: every year
    as a line over the calendar months."""
    return maanden.select(
        pl.col("periode").str.slice(0, 4).alias("jaar"),
        pl.col("periode").str.slice(5, 2).cast(pl.Int32).alias("maand"),
        pl.col("waarde").alias("klachten"),
    )


def per_kalendermaand(per_maand: pl.DataFrame) -> pl.DataFrame:
    """Complaints per aard and calendar month (1-12), every year together: maand, aard, aantal
    (from the month rows of per_aard)."""
    return (
        per_maand.group_by(pl.col("periode").str.slice(5, 2).cast(pl.Int32).alias("maand"), "aard")
        .agg(pl.col("aantal").sum())
        .sort("aard", "maand")
    )


def kalendermaand_tabel(patroon: pl.DataFrame) -> pl.DataFrame:
    """per_kalendermaand as a table: an aard per row, a column per month (jan ... dec) that has
    complaints, 0 where an aard had none in that month."""
    breed = patroon.pivot(on="maand", index="aard", values="aantal", sort_columns=True)
    namen = {str(nummer): naam for nummer, naam in enumerate(MAANDEN, start=1)}
    return breed.fill_null(0).rename(namen, strict=False).sort("aard").rename({"aard": "Aard"})


def per_gebied(postcodes: pl.DataFrame) -> pl.DataFrame:
    """per_postcode() summed over the aarden: postcode4, aantal, most complaints first."""
    return (
        postcodes.group_by("postcode4")
        .agg(pl.col("aantal").sum())
        .sort(["aantal", "postcode4"], descending=[True, False])
    )


def postcode_tabel(postcodes: pl.DataFrame) -> pl.DataFrame:
    """per_postcode() as a table: a postcode area per row, a column per aard and the total (the
    bars of the chart), most complaints first."""
    return (
        postcodes.pivot(on="aard", index="postcode4", values="aantal", sort_columns=True)
        .fill_null(0)
        .join(per_gebied(postcodes).rename({"aantal": "Totaal"}), on="postcode4")
        .sort(["Totaal", "postcode4"], descending=[True, False])
        .rename({"postcode4": "Postcode"})
    )


def top_tabel(top: pl.DataFrame) -> pl.DataFrame:
    """top_inrichtingen() as the internal table."""
    return top.select(
        pl.col("rang").alias("Rang"),
        pl.col("naam").alias("Inrichting"),
        pl.col("inrichting_id").alias("Inrichting-id"),
        pl.col("branche").alias("Branche"),
        pl.col("aantal_klachten").alias("Klachten"),
        pl.col("aantal_gegrond").alias("Gegrond"),
        pl.col("meest_gemelde_aard").alias("Meest gemelde aard"),
        pl.col("laatste_melding").alias("Laatste melding"),
    )
