"""HR & Financiën: formatie vs bezetting, vast/tijdelijk/inhuur, kwaliteitscriteria, boa
capacity, in- and outflow, training and innovation budget against their norms, budget size.

Organisation-level figures (TOTAAL), for MT, analysts and beheerders. Data and its shaping:
dashboard/data/hr.py; charts: dashboard/charts.py (docs/dashboard.md, "Opbouw van de code")."""

from __future__ import annotations

from functools import partial

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


def kerncijfer(kolom, frame: pl.DataFrame, kpi_id: str) -> None:
    rij = hr.laatste(frame, kpi_id)
    if rij is None:
        components.kerncijfer(data.catalogus_naam(kpi_id), None, plek=kolom)
    else:
        label = f"{rij['naam']} ({rij['periode']})"
        components.kerncijfer(label, rij, rij["eenheid"], plek=kolom)


def grafiek(chart, reeks: pl.DataFrame, onderwerp: str) -> None:
    """A chart of KPI values with the same values as a table behind it ("Als tabel")."""
    tabel = components.kpi_tabel(reeks, "KPI", "Periode")
    components.grafiek(chart, tabel, onderwerp, key=f"hr-{onderwerp}")


def trend(frame: pl.DataFrame, kpi_id: str, title: str = "", **kwargs) -> None:
    reeks = hr.reeks(frame, kpi_id)
    grafiek(partial(charts.trend, reeks, colour=None, title=title, **kwargs), reeks, kpi_id)


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
hr_waarden = hr.waarden(viewer, hr.HR_KPIS, periode_type)
jaar_waarden = hr.waarden(viewer, hr.JAAR_KPIS, "jaar")

# --- headline figures -------------------------------------------------------------------------
st.header("Kerncijfers")
kerncijfers = [
    (hr_waarden, "hr_formatie_fte"),
    (hr_waarden, "hr_bezetting_fte"),
    (hr_waarden, "hr_bezettingsgraad_pct"),
    (hr_waarden, "hr_inhuur_pct"),
    (jaar_waarden, "rob_vaste_dienst"),
    (jaar_waarden, "rob_kwaliteitscriteria"),
    (hr_waarden, "hr_boa_fte"),
    (jaar_waarden, "rob_omvang_begroting"),
]
for kolom, (frame, kpi_id) in zip(st.columns(4) + st.columns(4), kerncijfers, strict=True):
    kerncijfer(kolom, frame, kpi_id)

# --- formatie vs bezetting ----------------------------------------------------------------------
st.header("Formatie en bezetting")
links, rechts = st.columns(2)
with links:
    formatie = hr.reeks(hr_waarden, "hr_formatie_fte", "hr_bezetting_fte")
    grafiek(partial(charts.reeksen, formatie, y_title="fte"), formatie, "formatie_bezetting")
with rechts:
    trend(hr_waarden, "hr_bezettingsgraad_pct", "Bezettingsgraad", y_title="%")
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
    per_dienstverband = hr.per_dienstverband(teams)
    links, rechts = st.columns(2)
    with links:
        st.caption(
            f"Stand op {datum(peildatum)}, alle dienstverbanden (ook stagiairs, die niet in de "
            "bezetting meetellen)."
        )
        components.tabel_met_download(
            hr.dienstverband_tabel(per_dienstverband),
            "fte_per_dienstverband",
            key="fte_dienstverband",
            periode=str(peildatum),
        )
    with rechts:  # its numbers are the table beside it
        components.teken(
            partial(
                charts.bars,
                per_dienstverband,
                x="dienstverband",
                y="fte",
                y_title="fte",
                horizontal=True,
                number_format=",.1f",
            )
        )
    with st.expander("Fte per team en dienstverband"):
        components.tabel_met_download(
            hr.per_team(teams), "fte_per_team", key="fte_team", periode=str(peildatum)
        )
verloop = hr.fte_per_dienstverband(periode_type)
if verloop.height:
    st.markdown("**Fte per dienstverband door de tijd** (laatste peildatum van de periode)")
    components.grafiek(
        partial(
            charts.gestapeld,
            verloop,
            colour="dienstverband",
            volgorde=hr.volgorde(verloop["dienstverband"]),
            y="fte",
            y_title="fte",
            extra={"medewerkers": "Medewerkers"},
        ),
        hr.verloop_tabel(verloop),
        "fte_per_dienstverband_verloop",
        key="hr-verloop",
        periode=periode_type,
    )
links, rechts = st.columns(2)
with links:
    trend(jaar_waarden, "rob_vaste_dienst", "Capaciteit in vaste dienst (per jaar)", y_title="%")
with rechts:
    trend(hr_waarden, "hr_inhuur_pct", "Aandeel inhuur", y_title="%")
definities("rob_vaste_dienst", "hr_inhuur_pct")

# --- kwaliteitscriteria and boa capacity -------------------------------------------------------
links, rechts = st.columns(2)
with links:
    st.header("Kwaliteitscriteria")
    trend(jaar_waarden, "rob_kwaliteitscriteria", "Medewerkers die voldoen (per jaar)", y_title="%")
    definities("rob_kwaliteitscriteria")
with rechts:
    st.header("Boa-capaciteit")
    trend(hr_waarden, "hr_boa_fte", "Boa's", y_title="fte")
    definities("hr_boa_fte")

# --- in- and outflow ---------------------------------------------------------------------------
st.header("In- en uitstroom")
stroom = hr.reeks(hr_waarden, "hr_instroom", "hr_uitstroom")
grafiek(partial(charts.staven_per_periode, stroom, y_title="medewerkers"), stroom, "in_uitstroom")
definities("hr_instroom", "hr_uitstroom")

# --- training and innovation budget ------------------------------------------------------------
st.header("Opleiding en innovatie")
st.caption(
    "Per jaar, in procenten; de gestippelde lijn is de norm die aan het eind van het jaar gold."
)
links, rechts = st.columns(2)
with links:
    opleiding = hr.reeks(jaar_waarden, "rob_opleidingsbudget", "rob_opleiding_realisatie")
    st.markdown("**Opleidingsbudget en -uitgaven (% van de loonsom)**")
    grafiek(partial(charts.reeksen, opleiding, y_title="% van de loonsom"), opleiding, "opleiding")
with rechts:
    st.markdown("**Innovatiebudget (% van de begroting)**")
    trend(jaar_waarden, "rob_innovatiebudget", y_title="% van de begroting", number_format=",.2f")
definities("rob_opleidingsbudget", "rob_opleiding_realisatie", "rob_innovatiebudget")

# --- budget size -------------------------------------------------------------------------------
st.header("Omvang begroting")
rij = hr.laatste(jaar_waarden, "rob_omvang_begroting")
if rij:
    components.kerncijfer(f"Begroting basis- en plustaken {rij['periode']}", rij, "EUR")
    if rij["norm"] is not None:
        st.markdown(
            f"Norm: {met_eenheid(rij['norm'], 'EUR')} · "
            f"{components.status_labels().get(rij['status'], rij['status'])}"
        )
begroting = hr.reeks(jaar_waarden, "rob_omvang_begroting")
grafiek(
    partial(charts.trend, hr.in_miljoenen(begroting), colour=None, y_title="EUR mln"),
    begroting,
    "omvang_begroting",
)
definities("rob_omvang_begroting")

# --- all figures -------------------------------------------------------------------------------
st.header("Alle cijfers")
alles_tabel = components.kpi_tabel(pl.concat([hr_waarden, jaar_waarden]), "KPI", "Periode")
components.tabel_met_download(alles_tabel, "hr_financien", key="hr_alles", periode=periode_type)
