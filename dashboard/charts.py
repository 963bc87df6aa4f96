"""Altair charts: small functions that take DataFrames, Dutch number format, norm lines.

Streamlit ignores Altair's embed locale, so the Dutch format goes into the Vega-Lite spec
itself (config.locale; docs/valkuilen.md §10). Colours: a colour-blind-safe scheme, and status is
never shown by colour alone (a text label goes with it).
"""

from __future__ import annotations

import altair as alt
import polars as pl

from dashboard.format import getal

DUTCH_LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["€ ", ""],
    },
    "time": {
        "dateTime": "%A %e %B %Y %X",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        "shortMonths": [
            "jan",
            "feb",
            "mrt",
            "apr",
            "mei",
            "jun",
            "jul",
            "aug",
            "sep",
            "okt",
            "nov",
            "dec",
        ],
    },
}
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STATUS_COLOURS = {
    "groen": "#009E73",
    "oranje": "#E69F00",
    "rood": "#D55E00",
    "geen_norm": "#999999",
}


def status_labels(oranje_marge_pct: float | None) -> dict[str, str]:
    """Status as symbol + text, never colour alone. The oranje margin is the warehouse's own
    (staging.statusregel, the one place of the rule: docs/kpis.md), not a number written here."""
    bijna = "▲ bijna"
    if oranje_marge_pct is not None:
        decimals = 0 if float(oranje_marge_pct).is_integer() else 1
        bijna += f" (binnen {getal(oranje_marge_pct, decimals)}%)"
    return {
        "groen": "✔ norm gehaald",
        "oranje": bijna,
        "rood": "✖ norm niet gehaald",
        "geen_norm": "– geen norm",
    }


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=DUTCH_LOCALE).configure_range(category=PALETTE)


def trend(
    frame: pl.DataFrame,
    *,
    x: str = "periode",
    y: str = "waarde",
    colour: str | None = "deelnemer",
    title: str = "",
    y_title: str = "",
    number_format: str = ",.1f",
) -> alt.TopLevelMixin:
    """A line per series over the periods, with the norm as a dashed line where there is one."""
    base = alt.Chart(frame)
    encoding = {
        "x": alt.X(f"{x}:O", title=None, sort="ascending"),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=number_format)),
        "tooltip": [
            alt.Tooltip(f"{x}:O", title="Periode"),
            alt.Tooltip(f"{y}:Q", title=y_title or "Waarde", format=number_format),
        ],
    }
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", title=None)
        encoding["tooltip"].insert(0, alt.Tooltip(f"{colour}:N", title="Deelnemer"))
    # an incomplete period is not joined to the line (a running year would plunge it): its
    # point stands alone inside an open diamond, named in the subtitle and the tooltip: shape
    # and text, not colour alone (docs/kpis.md, "Dekking")
    incomplete = (
        frame.filter((pl.col("dekking") == "onvolledig") & pl.col(y).is_not_null())
        if "dekking" in frame.columns
        else frame.clear()
    )
    complete = (
        frame.filter(pl.col("dekking").ne_missing("onvolledig"))
        if "dekking" in frame.columns
        else frame
    )
    layers = [alt.Chart(complete).mark_line(point=True).encode(**encoding)]
    has_norm = "norm" in frame.columns and frame["norm"].drop_nulls().len() > 0
    if incomplete.height:
        layers.append(alt.Chart(incomplete).mark_point(filled=True).encode(**encoding))
        layers.append(
            alt.Chart(incomplete)
            .mark_point(shape="diamond", size=220, filled=False, color="#000000", strokeWidth=1.5)
            .encode(
                x=alt.X(f"{x}:O", sort="ascending"),
                y=alt.Y(f"{y}:Q"),
                tooltip=[
                    alt.Tooltip(f"{x}:O", title="Periode"),
                    alt.Tooltip("dekking:N", title="Dekking"),
                ],
            )
        )
    # say so when a KPI has no norm, so nobody looks for a line that is not there
    subtitle = "norm: stippellijn" if has_norm else "geen norm vastgesteld (referentiedata normen)"
    if incomplete.height:
        subtitle += " · ◇ = onvolledige periode"
    heading = alt.TitleParams(text=title, subtitle=subtitle, subtitleColor="#555555")
    if has_norm:
        layers.append(
            base.mark_line(strokeDash=[6, 4], color="#000000").encode(
                x=alt.X(f"{x}:O", sort="ascending"),
                y=alt.Y("norm:Q"),
                tooltip=[alt.Tooltip("norm:Q", title="Norm", format=number_format)],
            )
        )
    return dutch(alt.layer(*layers).properties(title=heading, height=280))


def bars(
    frame: pl.DataFrame,
    *,
    x: str,
    y: str,
    colour: str | None = None,
    title: str = "",
    y_title: str = "",
    horizontal: bool = False,
    number_format: str = ",.0f",
) -> alt.TopLevelMixin:
    category = alt.X(f"{x}:N", title=None, sort="-y") if not horizontal else None
    value = alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=number_format))
    if horizontal:
        category = alt.Y(f"{x}:N", title=None, sort="-x")
        value = alt.X(f"{y}:Q", title=y_title, axis=alt.Axis(format=number_format))
    encoding = {
        ("y" if horizontal else "x"): category,
        ("x" if horizontal else "y"): value,
        "tooltip": [alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{y}:Q", format=number_format)],
    }
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", title=None)
    chart = alt.Chart(frame).mark_bar().encode(**encoding)
    return dutch(chart.properties(title=title, height=280))
