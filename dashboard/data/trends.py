"""KPI series per deelnemer for the trend pages (Naleving, Klachten): the series with the
deelnemer's name, the newest values for a headline, the years a deelnemer has data and the
series as one display table. One version for both pages (docs/dashboard.md, "Opbouw van de
code"); everything but `reeksen` is a pure function of the series."""

from __future__ import annotations

import polars as pl

from dashboard.data import kpi_waarden, names
from dashboard.format import decimalen
from dashboard.viewer import Viewer


def reeksen(
    viewer: Viewer,
    kpi_ids: tuple[str, ...] | list[str],
    deelnemer_codes: list[str],
    periode_type: str,
) -> pl.DataFrame:
    """kpi.waarden rows of these KPIs for these deelnemers (scoped), with the deelnemer's name
    in `deelnemer`: the series the trend charts and tables show."""
    frame = kpi_waarden(viewer, list(kpi_ids), deelnemer_codes, periode_type)
    return frame.with_columns(
        pl.col("deelnemer_code").replace_strict(names(), default=None).alias("deelnemer")
    )


def laatste(reeks: pl.DataFrame, kpi_id: str, code: str) -> tuple[dict | None, dict | None]:
    """The newest row of a KPI with a value for one deelnemer, and the one before it (None
    where there is none). The caller picks the rows it trusts (complete periods for a
    headline, docs/kpis.md "Dekking")."""
    rijen = (
        reeks.filter(
            (pl.col("kpi_id") == kpi_id)
            & (pl.col("deelnemer_code") == code)
            & pl.col("waarde").is_not_null()
        )
        .sort("periode")
        .tail(2)
        .to_dicts()
    )
    if not rijen:
        return None, None
    return rijen[-1], (rijen[0] if len(rijen) == 2 else None)


def jaren(reeks: pl.DataFrame, kpi_id: str, code: str, minimum: float | None = None) -> list[int]:
    """The years (newest first) in which a deelnemer has a value of the KPI, above `minimum`
    when given (a year with 0 complaints has no complaints to split out). The KPI calendar can
    run on without any data, so the periods alone do not say this."""
    waarde = pl.col("waarde")
    met_data = waarde.is_not_null() if minimum is None else waarde > minimum
    perioden = reeks.filter(
        (pl.col("kpi_id") == kpi_id) & (pl.col("deelnemer_code") == code) & met_data
    )["periode"]
    return sorted({int(p[:4]) for p in perioden.to_list()}, reverse=True)


def tabel(
    reeks: pl.DataFrame,
    kpi_ids: tuple[str, ...] | list[str],
    catalogus: dict[str, dict],
    status_labels: dict[str, str],
) -> pl.DataFrame:
    """The series as one table, the numbers behind the trend charts: deelnemer x periode with a
    column per KPI (rounded as shown, format.EENHEDEN; a code such as the LHSO cell as text),
    and norm and status (as text, not colour) for a KPI that has a norm. `catalogus`: kpi_id ->
    catalogue row (naam, eenheid)."""
    tabel = reeks.select("deelnemer", "periode").unique().sort("deelnemer", "periode")
    for kpi_id in kpi_ids:
        rows = reeks.filter(pl.col("kpi_id") == kpi_id)
        if rows.height == 0:
            continue
        info = catalogus.get(kpi_id, {"naam": kpi_id, "eenheid": None})
        naam = info["naam"]
        if rows["waarde_tekst"].drop_nulls().len() > 0:
            waarde = pl.col("waarde_tekst")
        else:
            waarde = pl.col("waarde").round(decimalen(info["eenheid"]))
        kolommen = [waarde.alias(naam)]
        if rows["norm"].drop_nulls().len() > 0:
            kolommen += [
                pl.col("norm").alias(f"Norm {naam.lower()}"),
                pl.col("status")
                .replace_strict(status_labels, default=None)
                .alias(f"Status {naam.lower()}"),
            ]
        tabel = tabel.join(
            rows.select("deelnemer", "periode", *kolommen), on=["deelnemer", "periode"], how="left"
        )
    return tabel.rename({"deelnemer": "Deelnemer", "periode": "Periode"})
