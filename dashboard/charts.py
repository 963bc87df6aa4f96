"""Altair charts: small functions that take DataFrames, Dutch number format, norm lines.

Streamlit ignores Altair's embed locale, so the Dutch format goes into the Vega-Lite spec
itself (config.locale; docs/valkuilen.md §10). Colours: a colour-blind-safe scheme, and status is
never shown by colour alone (a text label goes with it).
"""

from __future__ import annotations

import altair as alt
import polars as pl

from dashboard.format import getal
from dashboard.labels import GEDRAG, GEVOLGEN, MIJLPAAL_STATUS

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


def lhso_matrix(cellen: pl.DataFrame, title: str) -> alt.TopLevelMixin:
    """The LHSO matrix: gevolgen (A worst, top) against gedrag (4 worst, right), each cell
    shaded by its number of controles and labelled with its code and number, so the count is
    read from the text, not from the shade alone."""
    frame = cellen.with_columns(
        pl.col("lhso_gevolgen").replace_strict(GEVOLGEN).alias("gevolgen"),
        (
            pl.col("lhso_code")
            + ": "
            + pl.col("aantal_controles").map_elements(getal, return_dtype=pl.String)
        ).alias("label"),
    )
    basis = alt.Chart(frame).encode(
        x=alt.X(
            "lhso_gedrag:O",
            title="gedrag: 1 goedwillend · 2 onverschillig · 3 calculerend · 4 bewust",
            sort=list(GEDRAG),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y("gevolgen:O", title="gevolgen", sort=list(GEVOLGEN.values())),
    )
    vlakken = basis.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("aantal_controles:Q", title="controles", scale=alt.Scale(scheme="oranges")),
        tooltip=[
            alt.Tooltip("lhso_code:N", title="LHSO-cel"),
            alt.Tooltip("aantal_controles:Q", title="controles", format=",.0f"),
        ],
    )
    teksten = basis.mark_text(fontSize=14, color="#000000").encode(text=alt.Text("label:N"))
    return dutch(alt.layer(vlakken, teksten).properties(title=title, height=280))


def raster_kaart(frame: pl.DataFrame, cel: float, title: str) -> alt.TopLevelMixin:
    """Counts per square of an RD New grid (x, y = lower-left corner, `cel` metres wide), drawn
    to scale: equal metres on both axes, so the spread is not distorted."""
    marge = cel
    x_min, x_max = frame["x"].min() - marge, frame["x"].max() + cel + marge
    y_min, y_max = frame["y"].min() - marge, frame["y"].max() + cel + marge
    half = max(x_max - x_min, y_max - y_min) / 2
    x_mid, y_mid = (x_min + x_max) / 2, (y_min + y_max) / 2
    chart = (
        alt.Chart(
            frame.with_columns((pl.col("x") + cel).alias("x2"), (pl.col("y") + cel).alias("y2"))
        )
        .mark_rect(stroke="#555555", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "x:Q",
                title="RD x (m)",
                scale=alt.Scale(domain=[x_mid - half, x_mid + half], nice=False),
                axis=alt.Axis(format=",.0f"),
            ),
            x2="x2:Q",
            y=alt.Y(
                "y:Q",
                title="RD y (m)",
                scale=alt.Scale(domain=[y_mid - half, y_mid + half], nice=False),
                axis=alt.Axis(format=",.0f"),
            ),
            y2="y2:Q",
            color=alt.Color("klachten:Q", title="klachten", scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("x:Q", title="RD x", format=",.0f"),
                alt.Tooltip("y:Q", title="RD y", format=",.0f"),
                alt.Tooltip("klachten:Q", title="klachten", format=",.0f"),
                alt.Tooltip("gegrond:Q", title="waarvan gegrond", format=",.0f"),
            ],
        )
        .properties(title=title, width=420, height=420)
    )
    return dutch(chart)


# --- charts of HR & Financiën and the Verbeterplan (docs/dashboard.md, "Opbouw van de code") ---
def reeksen(frame: pl.DataFrame, *, y_title: str, number_format: str = ",.1f") -> alt.TopLevelMixin:
    """A line per KPI (naam) over the periods, with the norm as a dashed line where one of
    them has a norm (`trend` draws one series per deelnemer; this draws several KPIs)."""
    rijen = frame.select("periode", "naam", "waarde", "norm")
    x = alt.X("periode:O", title=None, sort="ascending")
    tooltip = [
        alt.Tooltip("naam:N", title="KPI"),
        alt.Tooltip("periode:O", title="Periode"),
        alt.Tooltip("waarde:Q", title=y_title or "Waarde", format=number_format),
    ]
    y = alt.Y("waarde:Q", title=y_title, axis=alt.Axis(format=number_format))
    kleur = alt.Color("naam:N", title=None, legend=alt.Legend(orient="bottom"))
    basis = alt.Chart(rijen)
    # solid lines (dashed is the norm), told apart by colour and by the shape of the points
    layers = [
        basis.mark_line().encode(x=x, y=y, color=kleur, tooltip=tooltip),
        basis.mark_point(filled=True, size=60).encode(
            x=x, y=y, color=kleur, shape=alt.Shape("naam:N", title=None), tooltip=tooltip
        ),
    ]
    normen = rijen.filter(pl.col("norm").is_not_null()).unique(["periode", "norm"])
    if normen.height:
        layers.append(
            alt.Chart(normen)
            .mark_line(strokeDash=[6, 4], color="#000000")
            .encode(
                x=x,
                y=alt.Y("norm:Q"),
                tooltip=[
                    alt.Tooltip("periode:O", title="Periode"),
                    alt.Tooltip("norm:Q", title="Norm", format=number_format),
                ],
            )
        )
    return dutch(alt.layer(*layers).properties(height=280))


def staven_per_periode(frame: pl.DataFrame, *, y_title: str) -> alt.TopLevelMixin:
    """Bars per period, one per KPI (naam) side by side: in- and outflow."""
    chart = (
        alt.Chart(frame.select("periode", "naam", "waarde"))
        .mark_bar()
        .encode(
            x=alt.X("periode:O", title=None, sort="ascending"),
            xOffset=alt.XOffset("naam:N"),
            y=alt.Y("waarde:Q", title=y_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color("naam:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("naam:N", title="KPI"),
                alt.Tooltip("periode:O", title="Periode"),
                alt.Tooltip("waarde:Q", title=y_title, format=",.0f"),
            ],
        )
    )
    return dutch(chart.properties(height=280))


def gestapeld(
    frame: pl.DataFrame,
    *,
    colour: str,
    volgorde: list[str],
    y: str,
    y_title: str,
    extra: dict[str, str] | None = None,
) -> alt.TopLevelMixin:
    """Stacked bars per period, the parts of each bar in `volgorde` (bottom first) and the
    legend in that order too; `extra` adds counts to the tooltip (column: title)."""
    rang = {waarde: index for index, waarde in enumerate(volgorde)}
    rijen = frame.select("periode", colour, y, *(extra or {})).with_columns(
        pl.col(colour).replace_strict(rang, default=len(rang), return_dtype=pl.Int32).alias("_rang")
    )
    chart = (
        alt.Chart(rijen)
        .mark_bar()
        .encode(
            x=alt.X("periode:O", title=None, sort="ascending"),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                f"{colour}:N",
                title=None,
                sort=volgorde,
                scale=alt.Scale(domain=volgorde),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("_rang:Q"),
            tooltip=[
                alt.Tooltip("periode:O", title="Periode"),
                alt.Tooltip(f"{colour}:N", title=colour.capitalize()),
                alt.Tooltip(f"{y}:Q", title=y.capitalize(), format=",.1f"),
                *(alt.Tooltip(f"{k}:Q", title=t, format=",.0f") for k, t in (extra or {}).items()),
            ],
        )
    )
    return dutch(chart.properties(height=280))


# Milestone status as colour AND shape (Okabe-Ito colours); the label carries a symbol too
# (labels.MIJLPAAL_STATUS), so the status can be read without colour.
MIJLPAAL_STIJL = {
    "gereed": ("#009E73", "circle"),
    "op_schema": ("#0072B2", "square"),
    "risico": ("#E69F00", "triangle-up"),
    "vertraagd": ("#D55E00", "cross"),
    "verstreken": ("#A50026", "diamond"),
}


def tijdlijn(rijen: pl.DataFrame, peildatum) -> alt.TopLevelMixin:
    """Milestones on a time axis, one row each (`regel`, in the frame's order): the planned
    period as a grey bar (gepland_van .. gepland_eind), the deadline as a symbol with the status
    as colour, shape and text (status_label), and the peildatum as a dashed rule. Dutch month
    names come from the locale (`dutch`)."""
    statussen = [s for s in MIJLPAAL_STIJL if s in set(rijen["status"])] + [
        s for s in rijen["status"].unique().sort().to_list() if s not in MIJLPAAL_STIJL
    ]
    stijl = [MIJLPAAL_STIJL.get(s, ("#999999", "diamond")) for s in statussen]
    domein = [MIJLPAAL_STATUS.get(s, s) for s in statussen]
    as_datum = alt.Axis(format="%b %Y", labelAngle=0)
    y = alt.Y("regel:N", title=None, sort=rijen["regel"].to_list(), axis=alt.Axis(labelLimit=420))
    tooltip = [
        alt.Tooltip("aanbeveling:N", title="Aanbeveling"),
        alt.Tooltip("titel:N", title="Omschrijving"),
        alt.Tooltip("gepland_label:N", title="Gepland"),
        alt.Tooltip("deadline_label:N", title="Deadline"),
        alt.Tooltip("status_label:N", title="Status"),
        alt.Tooltip("update_label:N", title="Laatste update"),
    ]
    basis = alt.Chart(rijen.drop("bepaald_op", strict=False))
    gepland = basis.mark_bar(color="#BBBBBB", opacity=0.6, size=14).encode(
        x=alt.X("gepland_van:T", title=None, axis=as_datum),
        x2="gepland_eind:T",
        y=y,
        tooltip=tooltip,
    )
    deadline = basis.mark_point(size=160, filled=True, opacity=1).encode(
        x=alt.X("deadline:T", title=None, axis=as_datum),
        y=y,
        color=alt.Color(
            "status_label:N",
            title="Status",
            scale=alt.Scale(domain=domein, range=[kleur for kleur, _ in stijl]),
        ),
        shape=alt.Shape(
            "status_label:N",
            title="Status",
            scale=alt.Scale(domain=domein, range=[vorm for _, vorm in stijl]),
        ),
        tooltip=tooltip,
    )
    tekst = basis.mark_text(align="left", dx=12, fontSize=11).encode(
        x=alt.X("deadline:T", title=None, axis=as_datum), y=y, text="status_label:N"
    )
    peil = (
        alt.Chart(pl.DataFrame({"peildatum": [peildatum]}))
        .mark_rule(strokeDash=[4, 4], color="#000000")
        .encode(
            x=alt.X("peildatum:T", title=None, axis=as_datum),
            tooltip=[alt.Tooltip("peildatum:T", title="Peildatum", format="%d-%m-%Y")],
        )
    )
    hoogte = 36 * rijen.height + 40
    return dutch(alt.layer(gepland, peil, deadline, tekst).properties(height=hoogte))
