"""Overzicht (MT): all deelnemers side by side for one period: the headline KPIs with their
status, the change against the previous period and against the same period last year, and
TOTAAL. The table sorts by any column; selecting a row opens that deelnemer's page (the code is
handed over in session_state, never in the URL)."""

from __future__ import annotations

import streamlit as st

from dashboard import components, data, perioden
from dashboard.data import TOTAAL
from dashboard.data import overzicht as ov
from dashboard.data import robuustheid as rob

DEELNEMER_PAGE = "app_pages/deelnemer.py"
OPEN_KEY = "open_deelnemer"  # read (and removed) by the Deelnemer page


def open_deelnemer(code: str) -> None:
    st.session_state[OPEN_KEY] = code
    st.switch_page(DEELNEMER_PAGE)


viewer = components.viewer()
st.title("Overzicht")
st.caption(
    "Alle deelnemers naast elkaar voor één periode: de belangrijkste kengetallen, hun status "
    "ten opzichte van de norm en wat er veranderde. Klik op een kolomkop om te sorteren; kies "
    "een rij om naar de pagina van die deelnemer te gaan."
)

catalogus = data.kpi_info()

# A link (soort, periode in the URL) reopens this view (docs/toegang.md, "Links").
link = components.link_keuze(("soort", "periode"))
if link.get("soort") in perioden.PERIODE_TYPES:
    st.session_state["overzicht_periode_type"] = link["soort"]
links, rechts = st.columns([1, 1])
periode_type = links.radio(
    "Soort periode",
    list(perioden.PERIODE_TYPES),
    index=1,
    format_func=perioden.TYPE_LABELS.get,
    horizontal=True,
    key="overzicht_periode_type",
)
lijst = data.perioden(periode_type)
if not lijst:
    st.info("Er zijn nog geen kengetallen voor deze soort periode.")
    st.stop()
standaard = ov.standaard_periode(periode_type, ov.HEADLINE)
if link.get("periode") in lijst:
    st.session_state[f"overzicht_periode_{periode_type}"] = link["periode"]
periode = rechts.selectbox(
    "Periode",
    lijst,
    index=lijst.index(standaard) if standaard in lijst else 0,
    key=f"overzicht_periode_{periode_type}",
)
components.bekeken(periode_type=periode_type, periode=periode)
components.link_schrijven(soort=periode_type, periode=periode)
vorige = perioden.vorige_periode(periode_type, periode)
vorig_jaar = perioden.zelfde_periode_vorig_jaar(periode_type, periode)

opties = st.columns([1, 1])
toon_vorige = opties[0].checkbox(
    f"Toon verschil met de vorige periode ({vorige})", value=False, key="overzicht_toon_vorige"
)
# for years the previous period is the same period last year: that comparison is shown once
toon_vorig_jaar = periode_type != "jaar" and opties[1].checkbox(
    f"Toon verschil met dezelfde periode vorig jaar ({vorig_jaar})",
    value=False,
    key="overzicht_toon_vorig_jaar",
)

breed = ov.overzicht(viewer, periode_type, periode)
# Coverage: which headline KPIs this period is incomplete or uncovered for, and until when
# (docs/kpis.md, "Dekking"); their value columns say so in the header too.
onvolledig = {
    kpi_id: components.dekking_tekst(dekking, periode_type, periode)
    for kpi_id, dekking in ov.onvolledige_dekking(breed).items()
}
ongedekt = ov.ongedekt(ov.HEADLINE, periode_type, periode)
labels = components.status_labels()
tabel = ov.tabel(
    breed,
    catalogus,
    periode_type,
    periode,
    onvolledig=onvolledig,
    status_uitleg=" · ".join(labels[k] for k in ("groen", "oranje", "rood")),
    toon_vorige=toon_vorige,
    toon_vorig_jaar=toon_vorig_jaar,
)

# --- who is off track: above the table, in words (docs/kpis.md, "Overzicht") ---------------------
st.subheader(f"Wat loopt achter in {periode}?")
st.markdown(ov.achterstand(breed, catalogus, onvolledig, ongedekt))
stand = rob.stand(viewer)
if stand.height:
    st.markdown("**Robuustheid** (hele organisatie): " + components.robuustheid_samenvatting(stand))
voorbeelden = ov.voorbeeldnormen(ov.HEADLINE, periode_type, periode)
if voorbeelden:
    st.caption(
        "Signaalwaarde als voorbeeld, nog niet vastgesteld: "
        + "; ".join(f"{ov.KORT.get(k, k)} ({bron})" for k, bron in voorbeelden.items())
        + ". De beheerder zet ze in de referentiedata normen."
    )

st.subheader(f"Kengetallen per deelnemer, {periode}")
if waarschuwing := ov.dekking_waarschuwing(periode, catalogus, onvolledig, ongedekt):
    st.warning(waarschuwing, icon=":material/hourglass_bottom:")
event = st.dataframe(
    tabel.frame,
    hide_index=True,
    column_config=components.kolommen_config(tabel.kolommen),
    column_order=tabel.volgorde,
    key="overzicht_tabel",
    placeholder="–",
    height=35 * (tabel.frame.height + 1) + 3,
    on_select="rerun",
    selection_mode="single-row",
)
st.caption(ov.legenda(catalogus, ov.met_norm(breed), labels))
components.downloads(tabel.download(), "overzicht", key="overzicht", periode=periode)

gekozen = event.selection.rows if event is not None else []
if gekozen:
    code = tabel.frame["Code"][gekozen[0]]
    if code == TOTAAL:
        st.info("TOTAAL is de hele organisatie; kies een deelnemer voor een deelnemerpagina.")
    else:
        open_deelnemer(code)

st.subheader("Robuustheid: de stand nu")
st.caption(
    "De hele organisatie: de nieuwste waarde van elk robuustheidscriterium, beoordeeld tegen de "
    "norm die nu geldt (referentiedata normen), met de deadline. Details op de pagina Robuustheid."
)
components.stand_robuustheid(stand, key="overzicht-robuustheid", samenvatting=False)

st.subheader("Naar een deelnemer")
codes = [c for c in tabel.frame["Code"].to_list() if c != TOTAAL]
namen = data.names()
keuze_kolom, knop_kolom = st.columns([2, 1], vertical_alignment="bottom")
keuze = keuze_kolom.selectbox(
    "Deelnemer", codes, format_func=lambda c: namen.get(c, c), key="overzicht_naar"
)
if knop_kolom.button("Open de deelnemerpagina", key="overzicht_open") and keuze:
    open_deelnemer(keuze)

st.subheader("Definities")
definitie_kolommen = st.columns(2)
for index, kpi_id in enumerate(ov.HEADLINE):
    with definitie_kolommen[index % 2]:
        components.definities([kpi_id])
