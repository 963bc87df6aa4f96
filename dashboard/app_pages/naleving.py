"""Naleving (MT, analisten): naleefgedrag per deelnemer over de tijd, naar branche, de
LHSO-matrix, strafrecht en dwangsommen, en energiebesparing (Zelfevaluatie OD Twente 2024,
outcomegerichte sturing).
A short script of building blocks (docs/dashboard.md, "Opbouw van de code"): the queries and
tables are in dashboard/data/naleving.py, the charts in dashboard/charts.py."""

from __future__ import annotations

from functools import partial

import polars as pl
import streamlit as st

from dashboard import charts, components, data
from dashboard.data import TOTAAL, naleving, trends
from dashboard.format import getal, met_eenheid

viewer = components.viewer()
namen = data.names()

# --- selection and headline -----------------------------------------------------------------
st.title("Naleving")
st.caption(
    "Naleefgedrag van bedrijven per deelnemer: het naleefpercentage bij periodieke controles, "
    "her- en handhavingscontroles, overtredingen en hun zwaarte (LHSO), strafrechtelijke "
    "handhaving, de invordering van verbeurde dwangsommen en de gevonden energiebesparing."
)
gekozen, periode_type = components.deelnemers_en_periode(viewer, "naleving", ["jaar", "kwartaal"])
reeks = naleving.reeksen(viewer, naleving.ALLE_KPIS, gekozen, periode_type)
components.kpi_kop(reeks, naleving.TREND_KPIS, gekozen[0])

# --- trends per deelnemer -------------------------------------------------------------------
st.header("Trends per deelnemer")
components.trend_blokken(
    reeks,
    naleving.TREND_KPIS,
    "Tabel: naleving per deelnemer en periode",
    "naleving_trends",
    "naleving-trends",
)

# --- one deelnemer in detail ----------------------------------------------------------------
st.header("Uitsplitsing")
links, rechts = st.columns(2)
detail = components.detail_keuze(gekozen, "naleving", links)
wie = namen.get(detail, detail)
jaren = trends.jaren(reeks, "naleefpercentage", detail)
if jaren:
    jaar = components.jaar_keuze(jaren, "naleving", "Jaar (LHSO-matrix)", rechts)

    st.subheader(f"Naleefpercentage per branche: {wie}")
    oplopend = sorted(jaren)
    van, tot = st.select_slider(
        "Jaren",
        options=oplopend,
        value=(oplopend[max(0, len(oplopend) - 2)], oplopend[-1]),  # this year and the last
        key="naleving_branche_jaren",
    )
    branches = naleving.naleving_per_branche(viewer, detail, van, tot)
    if branches.height == 0:
        st.info("Geen periodieke controles in deze jaren.")
    else:
        components.teken(partial(charts.naleving_per_branche, branches))
        if samen := naleving.branches_samen(branches, tot):
            st.caption(
                f"Alle branches samen in {tot}: {getal(samen['zonder_overtredingen'])} van "
                f"{getal(samen['periodieke_controles'])} periodieke controles zonder "
                f"overtredingen ({met_eenheid(samen['naleefpercentage'], 'procent')}), gelijk "
                "aan de KPI naleefpercentage van dat jaar. Branche = die van de inrichting nu; "
                "'onbekend' = inrichting niet gevonden."
            )
        components.definities(["naleefpercentage"])
        with st.expander("Tabel: naleefpercentage per branche en jaar"):
            components.tabel_met_download(
                naleving.branche_tabel(branches), "naleving_per_branche", key="naleving-branche"
            )

    st.subheader(f"LHSO-matrix {jaar}: {wie}")
    matrix = naleving.lhso_matrix(viewer, detail, jaar)
    if matrix.height == 0 or matrix["aantal_controles"].sum() == 0:
        st.info("Geen controles met overtredingen in dit jaar.")
    else:
        components.teken(
            partial(charts.lhso_matrix, matrix, f"Zwaarste bevinding per controle, {jaar}")
        )
        st.caption(
            "Aantal controles per LHSO-cel van de zwaarste bevinding (gevolgen A zwaarst, gedrag 4 "
            "zwaarst); alleen controles met overtredingen hebben een cel."
        )
        components.definities(["lhso_zwaarste"])
        with st.expander("Tabel: LHSO-matrix"):
            components.tabel_met_download(
                naleving.lhso_tabel(matrix), f"lhso_matrix_{jaar}", key="naleving-lhso"
            )
else:
    st.info("Geen periodieke controles voor deze deelnemer.")

# --- criminal enforcement and penalty payments ----------------------------------------------
st.header("Strafrecht en dwangsommen")
links, rechts = st.columns(2)
with links:
    components.trend_blok(reeks, "strafrecht_per_inrichting_pct")
with rechts:
    handhaving = reeks
    if TOTAAL not in gekozen:  # the per-boa-fte KPI exists for the whole organisation only
        boa = naleving.reeksen(viewer, ["strafrecht_per_boa_fte"], [TOTAAL], periode_type)
        handhaving = pl.concat([reeks, boa])
    components.trend_blok(handhaving, "strafrecht_per_boa_fte")
    st.caption("Alleen voor de hele organisatie (Alle deelnemers): boa's werken voor iedereen.")

components.trend_blok(reeks, "dwangsom_invordering_pct")
st.markdown(f"**Verbeurde en ingevorderde dwangsommen: {wie}**")
st.caption(
    "Het invorderen van verbeurde dwangsommen blijft vaak achterwege: het verschil tussen "
    "verbeurd en ingevorderd is geld dat niet is ingevorderd."
)
dwangsommen = naleving.bedragen(reeks.filter(pl.col("deelnemer_code") == detail))
rij = naleving.laatste_bedragen(dwangsommen)
if rij is None:
    st.info("Geen handhavingsbesluiten met dwangsommen voor deze selectie.")
else:
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Verbeurd ({rij['periode']})", met_eenheid(rij["verbeurd_eur"], "EUR"))
    m2.metric(f"Ingevorderd ({rij['periode']})", met_eenheid(rij["ingevorderd_eur"], "EUR"))
    ingevorderd = rij["invordering_pct"]
    m3.metric(
        f"Niet ingevorderd ({rij['periode']})",
        met_eenheid(rij["niet_ingevorderd_eur"], "EUR"),
        delta=None if ingevorderd is None else f"{met_eenheid(ingevorderd, 'procent')} ingevorderd",
        delta_color="off",
        delta_arrow="off",
    )
    components.teken(partial(charts.bedragen, naleving.bedragen_lang(dwangsommen)))
    with st.expander("Tabel: dwangsommen per periode"):
        components.tabel_met_download(
            naleving.bedragen_tabel(dwangsommen), "dwangsommen", key="naleving-dwangsommen"
        )
components.trend_tabel(
    handhaving,
    naleving.HANDHAVING_KPIS,
    "Tabel: strafrecht en dwangsommen per deelnemer en periode",
    "strafrecht_dwangsommen",
    "naleving-handhaving",
)

# --- energy savings -------------------------------------------------------------------------
st.header("Energiebesparing")
st.caption(
    "Potentiële besparing van de maatregelen die bij controles (energiecontroles) zijn gevonden."
)
components.trend_blokken(
    reeks,
    naleving.ENERGIE_KPIS,
    "Tabel: energiebesparing per deelnemer en periode",
    "energiebesparing",
    "naleving-energie",
)
