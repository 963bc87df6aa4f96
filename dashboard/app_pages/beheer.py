"""Beheer (beheerder): the users list (who may log in, with which role and deelnemers) and the
activity trail (logins, page views, downloads, ad-hoc queries) with filters and a download, so
"who downloaded Enschede's complaints last month?" is answered here (docs/toegang.md).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import components, data
from dashboard.data import toegang
from dashboard.format import getal, tijdstip
from dashboard.viewer import ROLES
from vthmonitor import tijd
from vthmonitor.toegang import ACTIES, Gebruiker, ToegangFout

viewer = components.viewer()
st.title("Beheer")
namen = data.names()
codes = data.deelnemers()["code"].to_list()

# --- users ------------------------------------------------------------------------------------
st.subheader("Gebruikers")
st.caption(
    "Wie mag inloggen, met welke rol. Een accounthouder ziet alleen de eigen deelnemer(s); MT, "
    "analisten en beheerders zien alle deelnemers. De identiteit is het e-mailadres waarmee "
    "iemand bij de organisatie inlogt. Een uitgeschakelde gebruiker wordt bij de volgende klik "
    "uitgelogd."
)
if toegang.settings().beheerder_bootstrap:
    st.caption(
        f"{toegang.settings().beheerder_bootstrap} is beheerder via de configuratie "
        "(VTHMONITOR_BEHEERDER) en heeft altijd toegang."
    )
lijst = toegang.gebruikers()
if lijst.height == 0:
    st.info("Er staan nog geen gebruikers in de lijst.")
else:
    components.tabel(
        lijst.select(
            pl.col("identiteit").alias("E-mail"),
            pl.col("naam").alias("Naam"),
            pl.col("rol").replace_strict(ROLES, default=pl.col("rol")).alias("Rol"),
            pl.col("deelnemers").alias("Deelnemers"),
            pl.when(pl.col("actief"))
            .then(pl.lit("actief"))
            .otherwise(pl.lit("uitgeschakeld"))
            .alias("Status"),
            pl.col("gewijzigd_door").alias("Gewijzigd door"),
        )
    )

with st.form("gebruiker_form", clear_on_submit=False):
    st.markdown("**Gebruiker toevoegen of wijzigen** (een bestaand e-mailadres wordt bijgewerkt)")
    links, rechts = st.columns(2)
    email = links.text_input("E-mail", key="beheer_email")
    naam = rechts.text_input("Naam", key="beheer_naam")
    rol = links.selectbox("Rol", list(ROLES), format_func=ROLES.get, key="beheer_rol")
    gekozen = rechts.multiselect(
        "Deelnemers (alleen voor een accounthouder)",
        codes,
        format_func=lambda c: namen.get(c, c),
        key="beheer_deelnemers",
    )
    actief = st.checkbox("Actief", value=True, key="beheer_actief")
    if st.form_submit_button("Opslaan", type="primary"):
        try:
            toegang.opslaan(Gebruiker(email, naam, rol, tuple(gekozen), actief), door=viewer)
        except ToegangFout as exc:
            st.error(f"Niet opgeslagen: {exc}")
        else:
            st.success(f"Gebruiker {email.strip().lower()} is opgeslagen.")
            st.rerun()

# --- activity trail ---------------------------------------------------------------------------
st.subheader("Activiteitenlog")
st.caption(
    "Inloggen en uitloggen, bekeken pagina's met hun keuze, elke download (wat, welke "
    "deelnemers, hoeveel rijen) en elke ad-hoc query. Tijden in Nederlandse tijd; de nieuwste "
    f"eerst. Regels ouder dan {toegang.settings().audit_bewaardagen} dagen worden vanzelf "
    "verwijderd (VTHMONITOR_AUDIT_BEWAARDAGEN)."
)
f1, f2, f3, f4 = st.columns(4)
wie = f1.text_input("Gebruiker (e-mail)", key="log_gebruiker").strip() or None
actie = f2.selectbox("Actie", ACTIES, index=None, placeholder="Alle acties", key="log_actie")
deelnemer = f3.selectbox(
    "Deelnemer",
    codes,
    index=None,
    placeholder="Alle deelnemers",
    format_func=lambda c: namen.get(c, c),
    key="log_deelnemer",
)
vandaag = tijd.vandaag()
periode = f4.date_input(
    "Periode",
    value=(vandaag - dt.timedelta(days=30), vandaag),
    max_value=vandaag,
    format="DD-MM-YYYY",
    key="log_periode",
)
vanaf, tot = (periode + (None, None))[:2] if isinstance(periode, tuple) else (periode, None)
log = toegang.activiteit(viewer, wie, actie, deelnemer, vanaf, tot or vanaf)
if log.height == 0:
    st.info("Geen activiteit die aan deze filters voldoet.")
else:
    tonen = log.select(
        pl.col("tijdstip").map_elements(tijdstip, return_dtype=pl.String).alias("Tijdstip"),
        pl.col("gebruiker").alias("Gebruiker"),
        pl.col("rol").alias("Rol"),
        pl.col("actie").alias("Actie"),
        pl.col("pagina").alias("Pagina"),
        pl.col("deelnemers").replace("*", "alle (ad-hoc query)").alias("Deelnemers"),
        pl.col("omschrijving").alias("Omschrijving"),
        pl.col("rijen").alias("Rijen"),
    )
    if log.height >= toegang.LIMIET:
        st.warning(
            f"Meer dan {getal(toegang.LIMIET)} regels voldoen aan de filters; de tabel en de "
            "download tonen de nieuwste. Verfijn de filters (periode, gebruiker, actie)."
        )
    else:
        st.caption(f"{getal(log.height)} regels")
    components.tabel(tonen, key="activiteitenlog")
    components.downloads(tonen, "activiteitenlog", key="activiteitenlog")
