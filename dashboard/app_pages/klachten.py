"""Klachten (MT, analisten): de klachtenanalyse naar aard, tijd en plaats, de KPI-trends per
deelnemer en de interne TOP-X-lijst van inrichtingen met de meeste klachten (Zelfevaluatie OD
Twente 2024).
A short script of building blocks (docs/dashboard.md, "Opbouw van de code"): the queries and
tables are in dashboard/data/klachten.py, the charts in dashboard/charts.py."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import charts, components, data
from dashboard.data import klachten, trends
from dashboard.format import datum

viewer = components.viewer()
namen = data.names()

# --- selection and headline -----------------------------------------------------------------
st.title("Klachten")
st.caption(
    "Klachtenanalyse: aantallen en afhandeling per deelnemer over de tijd, naar aard van de "
    "overlast (geur, geluid, stof ...), naar maand (seizoenspatroon) en naar plaats, en de "
    "inrichtingen met de meeste klachten."
)
gekozen, periode_type = components.deelnemers_en_periode(
    viewer, "klachten", ["jaar", "kwartaal", "maand"]
)
reeks = klachten.reeksen(viewer, klachten.KPIS, gekozen, periode_type)
components.kpi_kop(reeks, klachten.KPIS, gekozen[0])

# --- trends per deelnemer -------------------------------------------------------------------
st.header("Trends per deelnemer")
components.trend_blokken(
    reeks,
    klachten.KPIS,
    "Tabel: klachten per deelnemer en periode",
    "klachten_trends",
    "klachten-trends",
)

# --- one deelnemer in detail ----------------------------------------------------------------
st.header("Klachtenanalyse")
links, rechts = st.columns(2)
detail = components.detail_keuze(gekozen, "klachten", links)
jaren = trends.jaren(reeks, "klachten_aantal", detail, minimum=0)
if not jaren:
    st.info("Geen klachten voor deze deelnemer.")
    st.stop()
jaar = components.jaar_keuze(jaren, "klachten", "Jaar", rechts)
wie = namen.get(detail, detail)

st.subheader(f"Naar aard: {wie}, {jaar}")
per_aard = klachten.per_aard(viewer, detail, ("jaar", "maand"))
per_jaar = klachten.per_soort(per_aard, "jaar")
dit_jaar = klachten.per_soort(per_aard, "jaar", str(jaar))
if dit_jaar.height == 0:
    st.info("Geen klachten in dit jaar.")
else:
    links, rechts = st.columns(2)
    components.teken(
        partial(charts.liggende_staven, dit_jaar, x="aard", y="aantal", y_title="Klachten"), links
    )
    verloop = klachten.groepeer_aarden(per_jaar, len(charts.PALETTE))
    components.teken(partial(charts.aard_per_jaar, verloop), rechts)
    with st.expander("Tabel: klachten per aard en jaar"):
        components.tabel_met_download(
            klachten.aard_tabel(per_jaar), "klachten_per_aard", key="klachten-aard"
        )

st.subheader(f"In de tijd: {wie}")
maanden = klachten.per_maand(viewer, detail)
if maanden.height == 0:
    st.info("Geen klachten per maand.")
else:
    links, rechts = st.columns(2)
    components.teken(
        partial(
            charts.trend, maanden, colour=None, y_title="Klachten per maand", number_format=",.0f"
        ),
        links,
    )
    components.teken(partial(charts.seizoen, klachten.seizoen(maanden)), rechts)
    with st.expander("Tabel: klachten per maand"):
        components.tabel_met_download(
            klachten.maand_tabel(maanden), "klachten_per_maand", key="klachten-maand"
        )
    patroon = klachten.per_kalendermaand(klachten.per_soort(per_aard, "maand"))
    if patroon.height:
        components.grafiek(
            partial(charts.aard_per_kalendermaand, patroon),
            klachten.kalendermaand_tabel(patroon),
            "klachten_per_aard_en_kalendermaand",
            "klachten-kalendermaand",
        )

st.subheader(f"Naar plaats: {wie}, {jaar}")
aarden = sorted(dit_jaar["aard"].to_list())
if aarden:
    aarden = st.multiselect(
        "Aard", aarden, default=aarden, key="klachten_kaart_aard", placeholder="Alle aarden"
    )
raster = klachten.raster(viewer, detail, jaar, aarden or None)  # none chosen: all
if raster.height == 0:
    st.info("Geen klachten met een locatie in dit jaar.")
else:
    components.klachten_kaart(
        raster, f"Waar de overlast was, {jaar}", code=detail, periode=str(jaar)
    )

postcodes = klachten.per_postcode(viewer, detail, jaar)
if postcodes.height:
    st.markdown(f"**Naar postcodegebied van de melder: {wie}, {jaar}**")
    per_gebied = klachten.per_gebied(postcodes)
    components.teken(
        partial(
            charts.liggende_staven,
            per_gebied.head(20),
            x="postcode4",
            y="aantal",
            y_title="Klachten",
            rij=22,
        )
    )
    st.caption(
        "Alleen de 4 cijfers van de postcode (AVG); gebieden met minder dan 3 klachten in een "
        "jaar zijn samengevoegd tot 'overig'. De 20 gebieden met de meeste klachten."
    )
    with st.expander("Tabel: klachten per postcodegebied en aard"):
        components.tabel_met_download(
            klachten.postcode_tabel(postcodes),
            f"klachten_per_postcode_{jaar}",
            key="klachten-postcode",
        )

# --- the internal TOP-X list ----------------------------------------------------------------
if viewer.sees_internal:
    st.header("TOP-X inrichtingen met de meeste klachten")
    # a caution, not an error: nothing went wrong (docs/dashboard.md, "Status en
    # toegankelijkheid")
    st.warning(
        "**Intern: niet voor publicatie.** Deze lijst is alleen voor MT en analisten en wordt "
        "niet gedeeld met deelnemers of derden (Zelfevaluatie OD Twente, 2024).",
        icon=":material/lock:",
    )
    top_x = st.slider("Aantal inrichtingen (X)", 5, 50, 10, step=5, key="klachten_top_x")
    top = klachten.top_inrichtingen(viewer, detail, top_x)
    if top.height == 0:
        st.info("Geen klachten met een bekende inrichting in de laatste 12 maanden.")
    else:
        eerste = top.row(0, named=True)
        st.caption(
            f"{wie}: klachten van {datum(eerste['periode_van'])} t/m "
            f"{datum(eerste['periode_tot'])} (de laatste 12 maanden in de gegevens) met de "
            "inrichting als vermoedelijke bron. Gelijke aantallen delen een rang."
        )
        components.tabel_met_download(
            klachten.top_tabel(top), "INTERN_top_inrichtingen_klachten", key="klachten-top"
        )
