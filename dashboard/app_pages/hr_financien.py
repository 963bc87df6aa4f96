"""HR & Financiën: formatie vs bezetting, vast/tijdelijk/inhuur, kwaliteitscriteria, boa
capacity, in- and outflow, training and innovation budget against their norms, budget size.

Organisation-level figures (TOTAAL), for MT, analysts and beheerders."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, components, data
from dashboard.data import hr
from dashboard.format import datum, met_eenheid

viewer = components.viewer()
st.title("HR & Financiën")
st.caption(
    "Personeel en financiën van de organisatie als geheel (alle deelnemers samen). "
    "1 fte = 36 uur per week; HR-standen zijn die van de laatste peildatum van de periode."
)

HR_KPIS = [
    "hr_formatie_fte",
    "hr_bezetting_fte",
    "hr_bezettingsgraad_pct",
    "hr_inhuur_pct",
    "hr_boa_fte",
    "hr_instroom",
    "hr_uitstroom",
]
# robustness KPIs that belong to HR and finance; they exist per year only
JAAR_KPIS = [
    "rob_vaste_dienst",
    "rob_kwaliteitscriteria",
    "rob_opleidingsbudget",
    "rob_opleiding_realisatie",
    "rob_innovatiebudget",
    "rob_omvang_begroting",
]
# the order of the dienstverbanden from permanent to external; unknown ones go last
DIENSTVERBANDEN = ["vast", "tijdelijk", "trainee", "detachering", "inhuur", "stagiair"]


def laatste(frame: pl.DataFrame, kpi_id: str) -> dict | None:
    """The newest complete period's row with a value (docs/kpis.md, "Dekking")."""
    rows = components.volledig(frame).filter(
        (pl.col("kpi_id") == kpi_id) & pl.col("waarde").is_not_null()
    )
    return rows.sort("periode").row(-1, named=True) if rows.height else None


def kerncijfer(kolom, frame: pl.DataFrame, kpi_id: str) -> None:
    rij = laatste(frame, kpi_id)
    if rij is None:
        kolom.metric(data.catalogus_naam(kpi_id), "–")
        return
    status = components.status_labels().get(rij["status"]) if rij["norm"] is not None else None
    kolom.metric(
        f"{rij['naam']} ({rij['periode']})",
        met_eenheid(rij["waarde"], rij["eenheid"]),
        help=f"Norm: {met_eenheid(rij['norm'], rij['eenheid'])} · {status}" if status else None,
    )


def lijnen(frame: pl.DataFrame, *, y_title: str, number_format: str = ",.1f") -> alt.TopLevelMixin:
    """A line per KPI (naam) over the periods, with the norm as a dashed line where one of
    them has a norm (charts.trend does one series; this is the same for several)."""
    data = frame.select("periode", "naam", "waarde", "norm")
    x = alt.X("periode:O", title=None, sort="ascending")
    tooltip = [
        alt.Tooltip("naam:N", title="KPI"),
        alt.Tooltip("periode:O", title="Periode"),
        alt.Tooltip("waarde:Q", title=y_title or "Waarde", format=number_format),
    ]
    y = alt.Y("waarde:Q", title=y_title, axis=alt.Axis(format=number_format))
    kleur = alt.Color("naam:N", title=None, legend=alt.Legend(orient="bottom"))
    basis = alt.Chart(data)
    # solid lines (dashed is the norm), told apart by colour and by the shape of the points
    layers = [
        basis.mark_line().encode(x=x, y=y, color=kleur, tooltip=tooltip),
        basis.mark_point(filled=True, size=60).encode(
            x=x, y=y, color=kleur, shape=alt.Shape("naam:N", title=None), tooltip=tooltip
        ),
    ]
    normen = data.filter(pl.col("norm").is_not_null()).unique(["periode", "norm"])
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
    return charts.dutch(alt.layer(*layers).properties(height=280))


def staven(frame: pl.DataFrame, *, y_title: str) -> alt.TopLevelMixin:
    """Bars per period, one per KPI side by side (in- and outflow)."""
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
    return charts.dutch(chart.properties(height=280))


def grafiek(chart: alt.TopLevelMixin) -> None:
    st.altair_chart(chart, width="stretch")


def definities(*kpi_ids: str) -> None:
    for kpi_id in kpi_ids:
        components.definities([kpi_id])


# A link (soort, peildatum in the URL) reopens this view (docs/toegang.md, "Links").
link = components.link_keuze(("soort", "peildatum"))
components.link_kiezen(link, "soort", ["jaar", "kwartaal"], "hr_periode_type")
indeling = st.segmented_control(
    "Periode-indeling (HR)",
    ["jaar", "kwartaal"],
    default="jaar",
    format_func=lambda p: {"jaar": "Per jaar", "kwartaal": "Per kwartaal"}[p],
    key="hr_periode_type",
    help="De budgetten en de robuustheidscriteria bestaan alleen per jaar.",
)
periode_type = indeling or "jaar"
components.bekeken(periode_type=periode_type)
components.link_schrijven(soort=periode_type)
hr_waarden = hr.waarden(viewer, HR_KPIS, periode_type)
jaar_waarden = hr.waarden(viewer, JAAR_KPIS, "jaar")


def reeks(frame: pl.DataFrame, *kpi_ids: str) -> pl.DataFrame:
    return frame.filter(pl.col("kpi_id").is_in(kpi_ids))


# --- headline figures -------------------------------------------------------------------------
st.header("Kerncijfers")
rij1 = st.columns(4)
for kolom, kpi_id in zip(
    rij1,
    ["hr_formatie_fte", "hr_bezetting_fte", "hr_bezettingsgraad_pct", "hr_inhuur_pct"],
    strict=True,
):
    kerncijfer(kolom, hr_waarden, kpi_id)
rij2 = st.columns(4)
kerncijfer(rij2[0], jaar_waarden, "rob_vaste_dienst")
kerncijfer(rij2[1], jaar_waarden, "rob_kwaliteitscriteria")
kerncijfer(rij2[2], hr_waarden, "hr_boa_fte")
kerncijfer(rij2[3], jaar_waarden, "rob_omvang_begroting")

# --- formatie vs bezetting ----------------------------------------------------------------------
st.header("Formatie en bezetting")
links, rechts = st.columns(2)
with links:
    grafiek(lijnen(reeks(hr_waarden, "hr_formatie_fte", "hr_bezetting_fte"), y_title="fte"))
with rechts:
    grafiek(
        charts.trend(
            reeks(hr_waarden, "hr_bezettingsgraad_pct"),
            colour=None,
            title="Bezettingsgraad",
            y_title="%",
        )
    )
definities("hr_formatie_fte", "hr_bezetting_fte", "hr_bezettingsgraad_pct")

# --- vast / tijdelijk / inhuur -----------------------------------------------------------------
st.header("Vast, tijdelijk en inhuur")
peildata = hr.peildata()
if peildata:
    components.link_kiezen(link, "peildatum", peildata, "hr_peildatum")
    peildatum = st.selectbox("Peildatum", peildata, index=0, format_func=datum, key="hr_peildatum")
    components.bekeken(peildatum=peildatum)
    components.link_schrijven(peildatum=peildatum)
    teams = hr.fte_per_team(peildatum)
    volgorde = DIENSTVERBANDEN + sorted(set(teams["dienstverband"]) - set(DIENSTVERBANDEN))
    per_dienstverband = (
        teams.group_by("dienstverband")
        .agg(pl.col("fte").sum(), pl.col("medewerkers").sum())
        .with_columns((pl.col("fte") / pl.col("fte").sum() * 100).alias("aandeel_pct"))
        .with_columns(
            pl.col("dienstverband")
            .replace_strict({d: i for i, d in enumerate(volgorde)}, return_dtype=pl.Int32)
            .alias("volgorde")
        )
        .sort("volgorde")
        .drop("volgorde")
    )
    links, rechts = st.columns(2)
    with links:
        st.caption(
            f"Stand op {datum(peildatum)}, alle dienstverbanden (ook stagiairs, die niet in de "
            "bezetting meetellen)."
        )
        components.tabel_met_download(
            per_dienstverband.select(
                pl.col("dienstverband").alias("Dienstverband"),
                pl.col("fte").round(1).alias("Fte"),
                pl.col("medewerkers").alias("Medewerkers"),
                pl.col("aandeel_pct").round(1).alias("Aandeel fte (%)"),
            ),
            "fte_per_dienstverband",
            key="fte_dienstverband",
            periode=str(peildatum),
        )
    with rechts:
        grafiek(
            charts.bars(
                per_dienstverband,
                x="dienstverband",
                y="fte",
                y_title="fte",
                horizontal=True,
                number_format=",.1f",
            )
        )
    with st.expander("Fte per team en dienstverband"):
        per_team = (
            teams.pivot(on="dienstverband", index="team", values="fte", aggregate_function="sum")
            .fill_null(0)
            .select("team", *[d for d in volgorde if d in set(teams["dienstverband"])])
            .rename({"team": "Team"})
        )
        components.tabel(
            per_team,
            column_config={d: st.column_config.NumberColumn(format="localized") for d in volgorde},
        )
        components.downloads(per_team, "fte_per_team", key="fte_team", periode=str(peildatum))
verloop = hr.fte_per_dienstverband(periode_type)
if verloop.height:
    soorten = [d for d in DIENSTVERBANDEN if d in set(verloop["dienstverband"])]
    soorten += sorted(set(verloop["dienstverband"]) - set(soorten))
    st.markdown("**Fte per dienstverband door de tijd** (laatste peildatum van de periode)")
    grafiek(
        charts.dutch(
            alt.Chart(
                verloop.drop("peildatum").with_columns(
                    pl.col("dienstverband")
                    .replace_strict({d: i for i, d in enumerate(soorten)}, return_dtype=pl.Int32)
                    .alias("volgorde")
                )
            )
            .mark_bar()
            .encode(
                x=alt.X("periode:O", title=None, sort="ascending"),
                y=alt.Y("fte:Q", title="fte", axis=alt.Axis(format=",.0f")),
                color=alt.Color(
                    "dienstverband:N",
                    title=None,
                    sort=soorten,
                    scale=alt.Scale(domain=soorten),
                    legend=alt.Legend(orient="bottom"),
                ),
                order=alt.Order("volgorde:Q"),
                tooltip=[
                    alt.Tooltip("periode:O", title="Periode"),
                    alt.Tooltip("dienstverband:N", title="Dienstverband"),
                    alt.Tooltip("fte:Q", title="Fte", format=",.1f"),
                    alt.Tooltip("medewerkers:Q", title="Medewerkers", format=",.0f"),
                ],
            )
            .properties(height=280)
        )
    )
links, rechts = st.columns(2)
with links:
    grafiek(
        charts.trend(
            reeks(jaar_waarden, "rob_vaste_dienst"),
            colour=None,
            title="Capaciteit in vaste dienst (per jaar)",
            y_title="%",
        )
    )
with rechts:
    grafiek(
        charts.trend(
            reeks(hr_waarden, "hr_inhuur_pct"), colour=None, title="Aandeel inhuur", y_title="%"
        )
    )
definities("rob_vaste_dienst", "hr_inhuur_pct")

# --- kwaliteitscriteria and boa capacity -------------------------------------------------------
links, rechts = st.columns(2)
with links:
    st.header("Kwaliteitscriteria")
    grafiek(
        charts.trend(
            reeks(jaar_waarden, "rob_kwaliteitscriteria"),
            colour=None,
            title="Medewerkers die voldoen (per jaar)",
            y_title="%",
        )
    )
    definities("rob_kwaliteitscriteria")
with rechts:
    st.header("Boa-capaciteit")
    grafiek(
        charts.trend(reeks(hr_waarden, "hr_boa_fte"), colour=None, title="Boa's", y_title="fte")
    )
    definities("hr_boa_fte")

# --- in- and outflow ---------------------------------------------------------------------------
st.header("In- en uitstroom")
grafiek(staven(reeks(hr_waarden, "hr_instroom", "hr_uitstroom"), y_title="medewerkers"))
definities("hr_instroom", "hr_uitstroom")

# --- training and innovation budget ------------------------------------------------------------
st.header("Opleiding en innovatie")
st.caption(
    "Per jaar, in procenten; de gestippelde lijn is de norm die aan het eind van het jaar gold."
)
links, rechts = st.columns(2)
with links:
    opleiding = reeks(jaar_waarden, "rob_opleidingsbudget", "rob_opleiding_realisatie")
    st.markdown("**Opleidingsbudget en -uitgaven (% van de loonsom)**")
    grafiek(lijnen(opleiding, y_title="% van de loonsom", number_format=",.1f"))
with rechts:
    st.markdown("**Innovatiebudget (% van de begroting)**")
    grafiek(
        charts.trend(
            reeks(jaar_waarden, "rob_innovatiebudget"),
            colour=None,
            y_title="% van de begroting",
            number_format=",.2f",
        )
    )
definities("rob_opleidingsbudget", "rob_opleiding_realisatie", "rob_innovatiebudget")

# --- budget size -------------------------------------------------------------------------------
st.header("Omvang begroting")
begroting = reeks(jaar_waarden, "rob_omvang_begroting")
rij = laatste(jaar_waarden, "rob_omvang_begroting")
if rij:
    st.metric(
        f"Begroting basis- en plustaken {rij['periode']}",
        met_eenheid(rij["waarde"], "EUR"),
        help=f"Norm: {met_eenheid(rij['norm'], 'EUR')}" if rij["norm"] is not None else None,
    )
    if rij["norm"] is not None:
        st.markdown(
            f"Norm: {met_eenheid(rij['norm'], 'EUR')} · "
            f"{components.status_labels().get(rij['status'], rij['status'])}"
        )
grafiek(
    charts.trend(
        begroting.select(
            "periode",
            (pl.col("waarde") / 1_000_000).alias("waarde"),
            (pl.col("norm") / 1_000_000).alias("norm"),
        ),
        colour=None,
        y_title="EUR mln",
    )
)
definities("rob_omvang_begroting")

# --- all figures -------------------------------------------------------------------------------
st.header("Alle cijfers")
alles = pl.concat([hr_waarden, jaar_waarden])
alles_tabel = components.kpi_tabel(alles, "KPI", "Periode")
components.tabel(alles_tabel)
components.downloads(alles_tabel, "hr_financien", key="hr_alles", periode=periode_type)
