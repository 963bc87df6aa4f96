"""Datakwaliteit: every load, quarantine by source and reason, freshness per source, and rows
per deelnemer, so users know how current and complete the numbers are."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, data
from dashboard.data import werkbank
from dashboard.format import datum, getal, tijdstip
from vthmonitor.werkbank.app_state import SQL_TEXT_MAX

viewer = components.viewer()
st.title("Datakwaliteit")

st.subheader("Versheid per bron")
versheid = data.versheid()
components.tabel(
    versheid.select(
        pl.col("titel").alias("Bron"),
        pl.col("rijen").map_elements(getal, return_dtype=pl.String).alias("Actuele rijen"),
        pl.col("nieuwste_gebeurtenis")
        .map_elements(datum, return_dtype=pl.String)
        .fill_null("–")
        .alias("Nieuwste gebeurtenis"),
        pl.col("gedekt_tot")
        .map_elements(datum, return_dtype=pl.String)
        .fill_null("–")
        .alias("Gegevens t/m (stand van de exports)"),
        pl.col("laatst_geladen")
        .map_elements(lambda v: datum(v, with_time=True), return_dtype=pl.String)
        .fill_null("–")
        .alias("Laatst geladen"),
    ),
    hide_index=True,
)
components.downloads(versheid, "versheid", key="versheid")

st.subheader("Ladingen")
ladingen = data.ladingen(viewer)
if not viewer.sees_all:
    st.caption(
        "Bestandsnamen en meldingen kunnen over andere deelnemers gaan; u ziet per bestand de "
        "aantallen. Het MT en de beheerder zien de namen en meldingen."
    )
components.tabel(
    ladingen.select(
        pl.col("load_id").alias("Lading"),
        pl.col("klaar")
        .map_elements(lambda v: datum(v, with_time=True), return_dtype=pl.String)
        .alias("Klaar op"),
        pl.col("bestand").fill_null("–").alias("Bestand"),
        pl.col("bron").alias("Bron"),
        pl.col("status").alias("Status"),
        pl.col("regels").alias("Regels"),
        pl.col("geladen").alias("Geladen"),
        pl.col("quarantaine").alias("Quarantaine"),
        pl.col("melding").fill_null("–").alias("Melding"),
    ),
    hide_index=True,
    column_config={
        c: st.column_config.NumberColumn(format="localized")
        for c in ("Regels", "Geladen", "Quarantaine")
    },
)
components.downloads(ladingen, "ladingen", key="ladingen")

st.subheader("Quarantaine per bron en reden")
quarantaine = data.quarantaine_per_reden()
if quarantaine.height == 0:
    st.success("Er staan geen regels in quarantaine.")
else:
    components.tabel(
        quarantaine.rename(
            {"bron": "Bron", "kolom": "Kolom", "reden": "Reden", "regels": "Regels"}
        ),
        hide_index=True,
        column_config={"Regels": st.column_config.NumberColumn(format="localized")},
    )
    components.downloads(quarantaine, "quarantaine", key="quarantaine")

if viewer.sees_all and quarantaine.height:
    st.subheader("Regels in quarantaine")
    st.caption(
        "Elke afgekeurde waarde met bestand, regel en kolom: zo vindt u hem terug in het "
        "aangeleverde bestand. Een waarde die een persoonsgegeven kan zijn, staat er niet."
    )
    keuzes = data.quarantaine_keuzes(viewer)
    filters = st.columns(3)
    gekozen = {
        kolom: filters[i].multiselect(
            label,
            keuzes[kolom].unique().sort().to_list(),
            placeholder="Alle",
            key=f"quarantaine_{kolom}",
        )
        or None
        for i, (kolom, label) in enumerate(
            (("bron", "Bron"), ("bestand", "Bestand"), ("reden", "Reden"))
        )
    }
    regels = data.quarantaine_regels(viewer, gekozen["bron"], gekozen["bestand"], gekozen["reden"])
    meer = regels.height > data.QUARANTAINE_MAX
    regels = regels.head(data.QUARANTAINE_MAX).rename(
        {
            "load_id": "Lading",
            "geladen_op": "Geladen op",
            "bron": "Bron",
            "bestand": "Bestand",
            "regel": "Regel",
            "kolom": "Kolom",
            "reden": "Reden",
            "waarde": "Waarde",
        }
    )
    if regels.height > data.QUARANTAINE_TONEN:
        st.caption(
            f"Hieronder de eerste {getal(data.QUARANTAINE_TONEN)} van "
            f"{'meer dan ' if meer else ''}{getal(regels.height)} regels; de downloads bevatten "
            f"{'de eerste ' if meer else 'alle '}{getal(regels.height)}."
            + (" Kies een bron, bestand of reden om de rest te zien." if meer else "")
        )
    components.tabel(regels.head(data.QUARANTAINE_TONEN))
    components.downloads(regels, "quarantaineregels", key="quarantaineregels")

    st.subheader("Geschiedenis per bestand")
    bestand = st.selectbox(
        "Bestand",
        ladingen["bestand"].drop_nulls().unique().sort().to_list(),
        index=None,
        placeholder="Kies een bestand",
        key="geschiedenis_bestand",
    )
    if bestand:
        components.tabel_met_download(
            data.bestand_geschiedenis(viewer, bestand).rename(
                {
                    "load_id": "Lading",
                    "klaar": "Klaar op",
                    "bron": "Bron",
                    "status": "Status",
                    "regels": "Regels",
                    "geladen": "Geladen",
                    "quarantaine": "Quarantaine",
                    "stand_per": "Stand per",
                    "melding": "Melding",
                }
            ),
            "geschiedenis",
            key="geschiedenis",
            periode=bestand,
        )

st.subheader("Actuele rijen per deelnemer en bron")
per_deelnemer = data.bronnen_per_deelnemer(viewer)
tabel = per_deelnemer.pivot(
    on="bron", index=["deelnemer"], values="rijen", aggregate_function="sum"
).fill_null(0)
laatste = per_deelnemer.group_by("deelnemer").agg(pl.col("laatste_lading").max())
tabel = tabel.join(laatste, on="deelnemer", how="left")
bronnen = sorted(c for c in tabel.columns if c not in ("deelnemer", "laatste_lading"))
tonen = tabel.select(
    pl.col("deelnemer").alias("Deelnemer"),
    *(pl.col(b).map_elements(getal, return_dtype=pl.String).alias(b) for b in bronnen),
    pl.col("laatste_lading")
    .map_elements(lambda v: datum(v, with_time=True), return_dtype=pl.String)
    .fill_null("–")
    .alias("Laatste lading"),
)
components.tabel(tonen, hide_index=True)
components.downloads(tabel, "rijen_per_deelnemer", key="rijen")

if viewer.sees_audit_log:
    st.subheader("Verwijderingen")
    st.caption(
        "Sleutels die met 'vthmonitor erase' zijn verwijderd (een zaak die per vergissing is "
        "geregistreerd, een klacht onder een AVG-verzoek): uit raw, het warehouse en de landing "
        "zone; een latere export met zo'n sleutel gaat naar quarantaine."
    )
    weg = data.verwijderingen(viewer)
    if weg.height == 0:
        st.info("Er is nog niets verwijderd.")
    else:
        components.tabel(
            weg.select(
                pl.col("op")
                .map_elements(lambda v: datum(v, with_time=True), return_dtype=pl.String)
                .alias("Op"),
                pl.col("load_id").alias("Lading"),
                pl.col("bron").alias("Bron"),
                pl.col("sleutel").alias("Sleutel"),
                pl.col("reden").alias("Reden"),
                pl.col("door").alias("Door"),
                pl.col("rijen_in_raw").alias("Rijen verwijderd"),
            ),
            hide_index=True,
            column_config={"Rijen verwijderd": st.column_config.NumberColumn(format="localized")},
        )
        components.downloads(weg, "verwijderingen", key="verwijderingen")

    st.subheader("Auditlog SQL-werkbank")
    st.caption(
        "Wie welke ad-hoc query uitvoerde (dashboard en vthmonitor sql), wanneer, hoe lang, "
        "hoeveel rijen, en of hij werd geweigerd. De nieuwste 500. Van een lange query is het "
        f"begin bewaard ({getal(SQL_TEXT_MAX)} tekens), met de lengte en de SHA-256 van de hele "
        "tekst. 'Onderbroken of nog bezig': de query loopt nog, of het proces werd gestopt "
        "voordat de uitkomst kon worden vastgelegd."
    )
    log = werkbank.auditlog(viewer)
    if log.height == 0:
        st.info("Er zijn nog geen query's uitgevoerd in de SQL-werkbank.")
    else:
        components.tabel(
            log.select(
                pl.col("tijdstip").map_elements(tijdstip, return_dtype=pl.String).alias("Tijdstip"),
                pl.col("gebruiker").alias("Gebruiker"),
                pl.col("rol").alias("Rol"),
                pl.col("kanaal").alias("Kanaal"),
                pl.col("status")
                .map_elements(werkbank.status_tekst, return_dtype=pl.String)
                .alias("Status"),
                pl.col("rijen").alias("Rijen"),
                pl.col("afgekapt").replace_strict({True: "ja", False: "nee"}).alias("Afgekapt"),
                pl.col("duur_ms").alias("Duur (ms)"),
                pl.col("sql").alias("Query"),
                pl.col("sql_lengte").alias("Tekens"),
                pl.col("sql_sha256").alias("SHA-256"),
                pl.col("melding").fill_null("–").alias("Melding"),
            ),
            key="auditlog",
            column_config={
                c: st.column_config.NumberColumn(format="localized")
                for c in ("Rijen", "Duur (ms)", "Tekens")
            },
        )
        components.downloads(log, "auditlog_sql", key="auditlog")
