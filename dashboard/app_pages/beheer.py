"""Beheer (beheerder): the users list (who may log in, with which role and deelnemers) and the
activity trail (logins, page views, downloads, ad-hoc queries) with filters and a download, so
"who downloaded Enschede's complaints last month?" is answered here (docs/toegang.md).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import components, data
from dashboard.data import abonnementen as ab
from dashboard.data import toegang
from dashboard.format import getal, tijdstip
from dashboard.viewer import ROLES
from vthmonitor import tijd
from vthmonitor.abonnementen import SOORTEN
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

# --- subscriptions (docs/rapport.md) ----------------------------------------------------------
st.subheader("Abonnementen op rapport en signalen")
st.caption(
    "Wie het accountrapport elke maand per e-mail krijgt (vthmonitor verzend) en wie na een "
    "lading een signaal krijgt als een kengetal rood of oranje wordt. Wat iemand ontvangt, hangt "
    "bij het verzenden af van zijn rol en deelnemers in de gebruikerslijst."
)
abonnementen = ab.alle(viewer)
if abonnementen.height:
    components.tabel(
        abonnementen.select(
            pl.col("id").alias("Nr"),
            pl.col("identiteit").alias("E-mail"),
            pl.col("soort").replace_strict(SOORTEN, default=pl.col("soort")).alias("Soort"),
            pl.col("deelnemer_code")
            .replace_strict(namen, default=pl.col("deelnemer_code"))
            .fill_null("alle die de gebruiker mag zien")
            .alias("Deelnemer"),
            pl.col("aangemaakt_door").alias("Door"),
        ),
        key="abonnementen",
    )
else:
    st.info("Er zijn nog geen abonnementen.")
with st.form("abonnement_form"):
    a1, a2, a3 = st.columns(3)
    ab_email = a1.text_input("E-mail (uit de gebruikerslijst)", key="ab_email")
    ab_soort = a2.selectbox("Soort", list(SOORTEN), format_func=SOORTEN.get, key="ab_soort")
    ab_code = a3.selectbox(
        "Deelnemer (bij signalen leeg: alle die de gebruiker mag zien)",
        codes,
        index=None,
        format_func=lambda c: namen.get(c, c),
        key="ab_deelnemer",
    )
    if st.form_submit_button("Abonneren"):
        try:
            ab.aanmelden(viewer, ab_soort, ab_code, voor=ab_email)
        except ToegangFout as exc:
            st.error(f"Niet opgeslagen: {exc}")
        else:
            st.success(f"{ab_email.strip().lower()} is geabonneerd.")
            st.rerun()
if abonnementen.height:
    stop = st.selectbox(
        "Abonnement beëindigen",
        abonnementen["id"].to_list(),
        index=None,
        format_func=lambda i: " · ".join(
            str(v) for v in abonnementen.filter(pl.col("id") == i).row(0)[1:4] if v
        ),
        key="ab_stop",
    )
    if stop is not None and st.button("Beëindigen", key="ab_stop_knop"):
        ab.afmelden(viewer, stop)
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
