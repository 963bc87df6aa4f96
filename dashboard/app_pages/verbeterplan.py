"""Verbeterplan: the recommendations of the 2024 visitation (Verbeterplan opvolging
aanbevelingen visitatie OD Twente, 2024) with their planned quarter, deadline, status and last
update, as a timeline and as a table.

Organisation-level reference data (kpi.mijlpalen, plan verbeterplan): the same for every
viewer. Shaping: dashboard/data/robuustheid.py; the timeline: charts.tijdlijn."""

from __future__ import annotations

import datetime as dt
from functools import partial

import polars as pl
import streamlit as st

from dashboard import charts, components
from dashboard.data import robuustheid as rob
from dashboard.format import datum

PLAN = "verbeterplan"

viewer = components.viewer()
st.title("Verbeterplan")
st.caption(
    "De aanbevelingen uit de visitatie 2024 en de opvolging ervan volgens het Verbeterplan "
    "opvolging aanbevelingen visitatie OD Twente (2024): geplande realisatie, deadline, status "
    "en de laatste statusupdate (referentiedata mijlpalen)."
)

aanbevelingen = rob.mijlpalen(PLAN)
if aanbevelingen.height == 0:
    st.info("Er staan geen aanbevelingen van het verbeterplan in de referentiedata.")
    st.stop()

peildatum: dt.date = aanbevelingen["bepaald_op"][0]

# --- summary --------------------------------------------------------------------------------
telling = rob.status_telling(aanbevelingen)
for kolom, (tekst, aantal) in zip(st.columns(len(telling)), telling, strict=True):
    components.kerncijfer(tekst, {"waarde": aantal}, "aantal", plek=kolom)
verstreken = aanbevelingen.filter(pl.col("deadline_verstreken"))
if verstreken.height:
    st.warning(
        f"⚠ {verstreken.height} aanbeveling(en) met een verstreken deadline die niet gereed "
        f"zijn (peildatum {datum(peildatum)}): "
        + ", ".join(verstreken["aanbeveling"].to_list())
        + "."
    )

stand = rob.voortgang_stand(rob.mijlpalen_gereed_per_jaar(viewer, PLAN), peildatum)
if stand:
    components.kerncijfer(
        stand["label"],
        stand,
        "aantal",
        vorige=stand["vorige"],
        richting="hoger_is_beter",
        help="Som van de jaarwaarden van de aanbevelingen in kpi.waarden (rob_mijlpaal_<id>: "
        "1 = gereed, 0 = niet gereed).",
    )

# --- timeline -------------------------------------------------------------------------------
st.header("Tijdlijn")
st.caption(
    "Grijze balk: gepland kwartaal; symbool: deadline, met de status als kleur, vorm en tekst; "
    f"gestippelde lijn: peildatum {datum(peildatum)}."
)
components.teken(partial(charts.tijdlijn, rob.tijdlijn_rijen(aanbevelingen), peildatum))

# --- table ----------------------------------------------------------------------------------
st.header("Aanbevelingen")
components.tabel_met_download(
    rob.mijlpalen_tabel(aanbevelingen, "Aanbeveling"), "verbeterplan", key="verbeterplan"
)
with st.expander("Over deze gegevens"):
    st.markdown(
        "De aanbevelingen, planning en status komen uit de referentiedata *mijlpalen* "
        "(`kpi.mijlpalen`, plan `verbeterplan`). Per aanbeveling staat in `kpi.waarden` een "
        "jaarwaarde onder `rob_mijlpaal_<id>`: 1 als de aanbeveling gereed is, anders 0. "
        "*Deadline verstreken* betekent: de deadline ligt vóór de peildatum "
        f"({datum(peildatum)}, de bouwdatum van de gegevens) en de aanbeveling is niet gereed."
    )
