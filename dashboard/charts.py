"""Altair charts: small functions that take DataFrames, Dutch number format, norm lines.

Streamlit ignores Altair's embed locale, so the Dutch format goes into the Vega-Lite spec
itself (config.locale; docs/valkuilen.md §10). Colours: a colour-blind-safe scheme, and status is
never shown by colour alone (a text label goes with it).
"""

from __future__ import annotations

import altair as alt
import polars as pl

from dashboard.format import decimalen, getal
from dashboard.labels import GEDRAG, GEVOLGEN, MAANDEN, MIJLPAAL_STATUS, OVERIGE_AARDEN

# The data of a chart goes into its spec (charts.spec): without Altair's limit of 5 000 rows,
# which st.altair_chart did not have either (a complaints map of a large region has more
# squares). Global, but nothing in the app switches Altair's data transformer (components.teken).
alt.data_transformers.disable_max_rows()

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


# Chart text dark enough for 4,5:1 on white (WCAG 2.1 AA; Streamlit's chart theme draws axis
# labels in a light grey).
TEKST = "#31333f"
GRIJS = "#b0b0b0"  # the series that are context, not the subject (more than PALETTE can hold)
TOTAAL_NAAM = "Alle deelnemers"


def spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as the Vega-Lite spec the page draws (components.teken). Without Altair's
    JSON-schema check, which was two thirds of the conversion (15 of 21 ms a chart, and
    st.altair_chart's own conversion took 37 ms): every builder here is checked against the
    schema in tests/dashboard/test_charts.py instead (docs/dashboard.md, "Snelheid"). The data
    stays in the spec's datasets; Streamlit sends them to the browser as Arrow. Altair's
    default theme's view size goes, as st.altair_chart drops it: the page sets the width."""
    result = chart.to_dict(validate=False)
    view = result.get("config", {}).get("view", {})
    for key in ("continuousWidth", "continuousHeight"):
        if view.get(key) == 300:
            del view[key]
    if "view" in result.get("config", {}) and not view:
        del result["config"]["view"]
    return result


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(locale=DUTCH_LOCALE)
        .configure_range(category=PALETTE)
        .configure_axis(labelColor=TEKST, titleColor=TEKST)
        .configure_legend(labelColor=TEKST, titleColor=TEKST, labelLimit=260)
        .configure_title(color=TEKST, subtitleColor="#4a4a4a")
    )


def kleuren(reeksen: list[str], nadruk: str | None = None) -> alt.Scale:
    """A colour per series that stays readable for 15 deelnemers: 'Alle deelnemers' always
    black; up to seven others each their own colour-blind-safe colour; with more, the
    highlighted one (`nadruk`) in blue and the rest grey, so the subject stands out instead of
    colours repeating (legend and tooltip still name every line)."""
    andere = [r for r in reeksen if r != TOTAAL_NAAM]
    if len(andere) <= len(PALETTE) - 1:
        kleur = dict(zip(andere, [c for c in PALETTE if c != "#000000"], strict=False))
    else:
        kleur = {r: (PALETTE[0] if r == nadruk else GRIJS) for r in andere}
    kleur[TOTAAL_NAAM] = "#000000"
    return alt.Scale(domain=list(reeksen), range=[kleur[r] for r in reeksen])


def trend(
    frame: pl.DataFrame,
    *,
    x: str = "periode",
    y: str = "waarde",
    colour: str | None = "deelnemer",
    title: str = "",
    y_title: str = "",
    number_format: str = ",.1f",
    nadruk: str | None = None,
) -> alt.TopLevelMixin:
    """A line per series over the periods, with the norm as a dashed line where there is one.
    Colours per series by `kleuren` (`nadruk` is the series to highlight among many)."""
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
        reeksen = sorted(set(frame[colour].drop_nulls().cast(pl.String).to_list()))
        encoding["color"] = alt.Color(
            f"{colour}:N", title=None, scale=kleuren(reeksen, nadruk), sort=reeksen
        )
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
    subtitle = "norm: stippellijn" if has_norm else "geen norm vastgesteld"
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


def uren_verloop(lang: pl.DataFrame, jaar: int) -> alt.TopLevelMixin:
    """The hours of a year per month: realised and budgeted (cumulative) and the year-end
    projection, the year's budget as the norm line (data.deelnemer.uren_verloop_lang)."""
    return trend(
        lang,
        y="uren",
        colour="reeks",
        title=f"Uren {jaar}: realisatie, begroting en prognose",
        y_title="uren",
        number_format=",.0f",
    )


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
    # every category keeps its label: Vega hides overlapping ones, which skipped every second
    # bar; long names are cut at 260 px with the full name in the tooltip
    labels = alt.Axis(labelOverlap=False, labelLimit=260)
    category = alt.X(f"{x}:N", title=None, sort="-y", axis=labels) if not horizontal else None
    value = alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=number_format))
    if horizontal:
        category = alt.Y(f"{x}:N", title=None, sort="-x", axis=labels)
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
    shaded by its number of controles and labelled with that number, so the count is read from
    the text, not from the shade alone (the cell's code is in the tooltip and the axes). No
    colour legend and short axis titles: it stays readable on a phone (390 px). The number is
    white on the dark cells, black on the light ones (contrast)."""
    grens = 0.55 * max(int(cellen["aantal_controles"].max() or 0), 1)
    frame = cellen.with_columns(
        pl.col("lhso_gevolgen").replace_strict(GEVOLGEN).alias("gevolgen"),
        pl.col("aantal_controles").map_elements(getal, return_dtype=pl.String).alias("label"),
        (pl.col("aantal_controles") >= grens).alias("donker"),
    )
    basis = alt.Chart(frame).encode(
        x=alt.X(
            "lhso_gedrag:O",
            title="gedrag (1 goedwillend … 4 bewust)",
            sort=list(GEDRAG),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y(
            "gevolgen:O",
            title=None,
            sort=list(GEVOLGEN.values()),
            axis=alt.Axis(labelLimit=120),
        ),
        tooltip=[
            alt.Tooltip("lhso_code:N", title="LHSO-cel"),
            alt.Tooltip("gevolgen:N", title="gevolgen"),
            alt.Tooltip("aantal_controles:Q", title="controles", format=",.0f"),
        ],
    )
    vlakken = basis.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("aantal_controles:Q", legend=None, scale=alt.Scale(scheme="oranges"))
    )
    teksten = basis.mark_text(fontSize=13).encode(
        text=alt.Text("label:N"),
        color=alt.condition("datum.donker", alt.value("#ffffff"), alt.value("#000000")),
    )
    return dutch(alt.layer(vlakken, teksten).properties(title=title, height=260))


def raster_kaart(frame: pl.DataFrame, cel: float, title: str) -> alt.TopLevelMixin:
    """Counts per square of an RD New grid (x, y = lower-left corner, `cel` metres wide), drawn
    to scale: equal metres on both axes, so the spread is not distorted."""
    marge = cel
    x_min, x_max = frame["x"].min() - marge, frame["x"].max() + cel + marge
    y_min, y_max = frame["y"].min() - marge, frame["y"].max() + cel + marge
    half = max(x_max - x_min, y_max - y_min) / 2
    x_mid, y_mid = (x_min + x_max) / 2, (y_min + y_max) / 2
    # Four 32-bit columns per square; the far corner is computed in the browser: a third of the
    # bytes of six 64-bit ones (the map was most of Klachten's 335 kB at scale 10).
    vakken = frame.select(
        pl.col("x", "y", "klachten", "gegrond").cast(pl.Int32),
    )
    chart = (
        alt.Chart(vakken)
        .transform_calculate(x2=f"datum.x + {float(cel)}", y2=f"datum.y + {float(cel)}")
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


# --- the trend pages (Naleving, Klachten) ----------------------------------------------------
def formaat(eenheid: str | None) -> str:
    """The d3 number format of a unit: as many decimals as format.EENHEDEN shows."""
    return f",.{decimalen(eenheid)}f"


def lhso_trend(reeks: pl.DataFrame) -> alt.TopLevelMixin:
    """The most severe LHSO cell per period and deelnemer: the score (1 = D1 ... 16 = A4) on the
    axis, labelled with its code, and the code written at each point."""
    codes = [""] + [f"{g}{b}" for g in "DCBA" for b in "1234"]
    label = f"{codes}[datum.value]".replace(" ", "")
    reeks = reeks.filter(pl.col("waarde").is_not_null())
    x = alt.X("periode:O", title=None, sort="ascending")
    y = alt.Y(
        "waarde:Q",
        title="Zwaarste LHSO-cel",
        scale=alt.Scale(domain=[1, 16]),
        axis=alt.Axis(
            values=list(range(1, 17)), labelExpr=label, labelOverlap=False, labelFlush=False
        ),
    )
    colour = alt.Color("deelnemer:N", title=None)
    tooltip = [
        alt.Tooltip("deelnemer:N", title="Deelnemer"),
        alt.Tooltip("periode:O", title="Periode"),
        alt.Tooltip("waarde_tekst:N", title="LHSO-cel"),
    ]
    base = alt.Chart(reeks)
    lijn = base.mark_line(point=True).encode(x=x, y=y, color=colour, tooltip=tooltip)
    code = base.mark_text(dy=-9, fontSize=10).encode(x=x, y=y, color=colour, text="waarde_tekst:N")
    return dutch(alt.layer(lijn, code).properties(height=280))


def naleving_per_branche(branches: pl.DataFrame) -> alt.TopLevelMixin:
    """Naleefpercentage per branche (rows) and year (columns) as shaded cells with the value
    written in each, so it is read from the text, not from the shade alone."""
    midden = (branches["naleefpercentage"].min() + branches["naleefpercentage"].max()) / 2
    basis = alt.Chart(branches).encode(
        x=alt.X("jaar:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("branche:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=260)),
    )
    vlakken = basis.mark_rect().encode(
        color=alt.Color("naleefpercentage:Q", title="Naleef-%", scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("branche:N", title="Branche"),
            alt.Tooltip("jaar:O", title="Jaar"),
            alt.Tooltip("naleefpercentage:Q", title="Naleefpercentage", format=",.1f"),
            alt.Tooltip("periodieke_controles:Q", title="Periodieke controles", format=",.0f"),
            alt.Tooltip("zonder_overtredingen:Q", title="Zonder overtredingen", format=",.0f"),
        ],
    )
    waarden = basis.mark_text(fontSize=11).encode(
        text=alt.Text("naleefpercentage:Q", format=",.1f"),
        color=alt.condition(
            alt.datum.naleefpercentage > midden, alt.value("white"), alt.value("black")
        ),
    )
    hoogte = 28 * branches["branche"].n_unique()
    return dutch(alt.layer(vlakken, waarden).properties(height=hoogte))


def bedragen(lang: pl.DataFrame) -> alt.TopLevelMixin:
    """Amounts in euro per period, a bar per soort side by side (forfeited and collected penalty
    payments: data.naleving.bedragen_lang)."""
    soorten = lang["soort"].unique(maintain_order=True).to_list()
    staven = (
        alt.Chart(lang)
        .mark_bar()
        .encode(
            x=alt.X("periode:O", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("soort:N", sort=soorten),
            y=alt.Y("bedrag:Q", title="EUR", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("soort:N", title=None, sort=soorten),
            tooltip=[
                alt.Tooltip("periode:O", title="Periode"),
                alt.Tooltip("soort:N", title="Soort"),
                alt.Tooltip("bedrag:Q", title="Bedrag", format="$,.2f"),
            ],
        )
        .properties(height=280)
    )
    return dutch(staven)


def liggende_staven(
    frame: pl.DataFrame, *, x: str, y: str, y_title: str, rij: int = 24
) -> alt.TopLevelMixin:
    """Horizontal bars (bars), `rij` pixels per bar so that every label is shown."""
    return (
        bars(frame, x=x, y=y, horizontal=True, y_title=y_title)
        .properties(height=rij * frame.height + 20)
        .configure_axisY(labelOverlap=False)
    )


def aard_per_jaar(verloop: pl.DataFrame) -> alt.TopLevelMixin:
    """Complaints per year stacked by aard_groep (data.klachten.groepeer_aarden), 'overige
    aarden' last."""
    volgorde = sorted(
        verloop["aard_groep"].unique().to_list(), key=lambda a: (a == OVERIGE_AARDEN, a)
    )
    chart = (
        alt.Chart(verloop)
        .mark_bar()
        .encode(
            x=alt.X("periode:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(aantal):Q", title="Klachten", axis=alt.Axis(format=",.0f")),
            color=alt.Color("aard_groep:N", title="Aard", sort=volgorde),
            tooltip=[
                alt.Tooltip("periode:O", title="Jaar"),
                alt.Tooltip("aard_groep:N", title="Aard"),
                alt.Tooltip("sum(aantal):Q", title="Klachten", format=",.0f"),
            ],
        )
        .properties(height=280)
    )
    return dutch(chart)


MAAND_LABEL = f"{['', *MAANDEN]}[datum.value]".replace(" ", "")  # month 1 -> 'jan'


def seizoen(frame: pl.DataFrame) -> alt.TopLevelMixin:
    """Complaints per calendar month (1-12), a line per year (data.klachten.seizoen)."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("maand:O", title=None, axis=alt.Axis(labelExpr=MAAND_LABEL, labelAngle=0)),
            y=alt.Y("klachten:Q", title="Klachten", axis=alt.Axis(format=",.0f")),
            color=alt.Color("jaar:N", title="Jaar"),
            tooltip=[
                alt.Tooltip("jaar:N", title="Jaar"),
                alt.Tooltip("maand:O", title="Maand"),
                alt.Tooltip("klachten:Q", title="Klachten", format=",.0f"),
            ],
        )
        .properties(height=280, title="Seizoenspatroon: elk jaar over de maanden")
    )
    return dutch(chart)


def aard_per_kalendermaand(patroon: pl.DataFrame) -> alt.TopLevelMixin:
    """Complaints per aard (rows) and calendar month (columns), every year together, as shaded
    cells (data.klachten.per_kalendermaand)."""
    chart = (
        alt.Chart(patroon)
        .mark_rect()
        .encode(
            x=alt.X("maand:O", title=None, axis=alt.Axis(labelExpr=MAAND_LABEL, labelAngle=0)),
            y=alt.Y("aard:N", title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color("aantal:Q", title="Klachten", scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("aard:N", title="Aard"),
                alt.Tooltip("maand:O", title="Maand"),
                alt.Tooltip("aantal:Q", title="Klachten (alle jaren)", format=",.0f"),
            ],
        )
        .properties(height=300, title="Per aard en kalendermaand, alle jaren samen")
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
