"""Robuustheid: every robustness criterion as a card (latest value, norm, status, deadline, trend
with the norm line) and the milestones of the plan with their status and deadline.

Organisation-level figures (TOTAAL): the same for every viewer."""

from __future__ import annotations

import datetime as dt
from functools import partial

import polars as pl
import streamlit as st

from dashboard import charts, components
from dashboard.data import robuustheid as rob
from dashboard.format import OPERATOR, datum, eenheid_tekst, met_eenheid, voorbij
from vthmonitor import tijd

viewer = components.viewer()
st.title("Robuustheid")
st.caption(
    "De landelijke robuustheidscriteria voor omgevingsdiensten, uitgewerkt in het Plan van "
    "Aanpak Robuustheid Omgevingsdienst Twente (2024), voor de organisatie als geheel (alle "
    "deelnemers samen), per jaar. Normen en deadlines komen uit de "
    "referentiedata (normen en mijlpalen)."
)

BADGE = {"groen": "green", "oranje": "orange", "rood": "red", "geen_norm": "gray"}


def status_badge(status: str | None) -> str:
    if status is None:
        return ":gray-badge[– nog geen waarde]"
    return f":{BADGE.get(status, 'gray')}-badge[{components.status_labels().get(status, status)}]"


waarden = rob.criterium_waarden(viewer)
normen = rob.normen()
mijlpalen = rob.mijlpalen("robuustheid")
# The date deadlines are judged against: the day the warehouse was built (as kpi.mijlpalen).
peildata = normen["peildatum"].to_list() + mijlpalen["bepaald_op"].to_list()
peildatum: dt.date = max(peildata) if peildata else tijd.vandaag()
criteria = waarden.select("kpi_id", "naam", "eenheid", "richting").unique(maintain_order=True)

# --- summary ---------------------------------------------------------------------------------
laatste = (
    waarden.filter(pl.col("waarde").is_not_null())
    .sort("periode")
    .group_by("kpi_id", maintain_order=True)
    .last()
)
stand = rob.stand(viewer)  # the newest value against the norm in force now
met_norm = stand.filter(pl.col("status").is_in(["groen", "oranje", "rood"]))
eind = normen["deadline"].drop_nulls().max() if normen.height else None
links, midden, rechts = st.columns(3)
if eind is not None:
    links.metric(
        "Deadline robuustheidscriteria",
        datum(eind),
        help="De laatste deadline in de normen (referentiedata).",
    )
    links.caption(f"Peildatum {datum(peildatum)}: {voorbij(eind, peildatum)}.")
midden.metric(
    "Criteria op of boven de norm",
    f"{met_norm.filter(pl.col('status') == 'groen').height} van {met_norm.height}",
    help="De nieuwste waarde van elk criterium, beoordeeld tegen de norm die nu geldt "
    f"(op {datum(peildatum)}).",
)
rechts.metric(
    "Mijlpalen gereed",
    f"{mijlpalen.filter(pl.col('status') == 'gereed').height} van {mijlpalen.height}",
)
verstreken = mijlpalen.filter(pl.col("deadline_verstreken"))
if verstreken.height:
    rechts.caption(f"⚠ {verstreken.height} met verstreken deadline en niet gereed.")

components.stand_robuustheid(stand, key="stand")

# --- one card per criterion -------------------------------------------------------------------
st.header("Criteria")
kolommen = st.columns(2)
for index, criterium in enumerate(criteria.iter_rows(named=True)):
    kpi_id, eenheid = criterium["kpi_id"], criterium["eenheid"]
    reeks = waarden.filter(pl.col("kpi_id") == kpi_id).sort("periode")
    gevuld = reeks.filter(pl.col("waarde").is_not_null())
    kpi_normen = normen.filter(pl.col("kpi_id") == kpi_id)
    with kolommen[index % 2].container(border=True):
        st.subheader(criterium["naam"])
        if gevuld.height == 0:
            st.info("Nog geen waarde in de gegevens.")
        else:
            # the newest complete year, as the standing now (docs/kpis.md, "Dekking"); a
            # change only between complete years
            volledig = gevuld.filter(pl.col("dekking") == "volledig")
            rij = (volledig if volledig.height else gevuld).row(-1, named=True)
            vorige = volledig.row(-2, named=True) if volledig.height > 1 else None
            if rij["dekking"] != "volledig":
                vorige = None
            links, rechts = st.columns(2)
            components.kerncijfer(
                f"Waarde {rij['periode']}",
                rij,
                eenheid,
                vorige=vorige,
                richting=criterium["richting"],
                help="",  # the norm has a metric of its own beside it
                plek=links,
            )
            nu = stand.filter(pl.col("kpi_id") == kpi_id).row(0, named=True)
            rechts.metric(
                "Norm die nu geldt",
                components.norm_tekst(nu["operator"], nu["norm"], eenheid),
                help=f"De norm met de laatste ingangsdatum op of vóór {datum(peildatum)} "
                "(referentiedata normen).",
            )
            st.markdown(f"Stand nu: {status_badge(nu['status'])} (tegen de norm die nu geldt)")
            if rij["norm"] != nu["norm"] or rij["status"] != nu["status"]:
                toen = components.norm_tekst(rij["operator"], rij["norm"], eenheid)
                oordeel = components.status_labels().get(rij["status"], "geen status")
                st.caption(f"In {rij['periode']} gold {toen}: {oordeel}.")
        nieuwste = reeks.row(-1, named=True) if reeks.height else None
        onvolledig = gevuld.filter(pl.col("dekking") == "onvolledig")
        if onvolledig.height and onvolledig["periode"][-1] > (
            rij["periode"] if gevuld.height else ""
        ):
            laatst = onvolledig.row(-1, named=True)
            st.caption(
                f"{laatst['periode']} tot nu: "
                f"{met_eenheid(laatst['waarde'], eenheid)} "
                f"({components.dekking_tekst(laatst, 'jaar', laatst['periode'])})"
            )
        if nieuwste and gevuld.height and nieuwste["periode"] != gevuld["periode"][-1]:
            st.markdown(
                f"Norm {nieuwste['periode']}: "
                f"**{components.norm_tekst(nieuwste['operator'], nieuwste['norm'], eenheid)}** "
                "(nog geen waarde)"
            )
        deadlines = sorted(set(kpi_normen["deadline"].drop_nulls().to_list()))
        if deadlines:
            st.markdown(
                "Deadline: "
                + "; ".join(f"**{datum(d)}** ({voorbij(d, peildatum)})" for d in deadlines)
            )
        if reeks.height:
            schaal = 1_000_000 if eenheid == "EUR" else 1
            grafiek = reeks.select(
                "periode",
                (pl.col("waarde") / schaal).alias("waarde"),
                (pl.col("norm") / schaal).alias("norm"),
            )
            components.teken(
                partial(
                    charts.trend,
                    grafiek,
                    colour=None,
                    y_title="EUR mln" if eenheid == "EUR" else eenheid,
                    number_format=",.1f",
                )
            )
            st.caption("Gestippelde lijn: de norm die aan het eind van het jaar gold.")
        components.definities([kpi_id])
        if kpi_normen.height:
            with st.expander("Normen en deadlines (referentiedata)"):
                normen_tabel = kpi_normen.select(
                    pl.col("operator")
                    .replace_strict(OPERATOR, default=pl.col("operator"))
                    .alias("Toets"),
                    pl.col("norm").alias("Norm"),
                    pl.lit(eenheid_tekst(eenheid)).alias("Eenheid"),
                    pl.col("geldig_vanaf").alias("Geldig vanaf"),
                    pl.col("deadline").alias("Deadline"),
                    pl.col("bron").alias("Bron"),
                    pl.col("toelichting").alias("Toelichting"),
                )
                components.tabel_met_download(
                    normen_tabel, f"normen_{kpi_id}", key=f"normen-{kpi_id}"
                )

with st.expander("Alle jaarwaarden van de criteria als tabel"):
    criteria_tabel = components.kpi_tabel(waarden, "Criterium", "Jaar")
    components.tabel(criteria_tabel)
    components.downloads(criteria_tabel, "robuustheidscriteria", key="criteria")

# --- milestones --------------------------------------------------------------------------------
st.header("Mijlpalen")
st.caption(
    f"Status volgens de referentiedata mijlpalen; 'deadline verstreken' is bepaald op "
    f"{datum(peildatum)} (de bouwdatum van de gegevens) en geldt alleen als de mijlpaal niet "
    "gereed is."
)
mijlpalen_tabel = rob.mijlpalen_tabel(mijlpalen)
components.tabel_met_download(mijlpalen_tabel, "mijlpalen_robuustheid", key="mijlpalen")

st.header("Deadlines")
deadlines = pl.concat(
    [
        normen.group_by("naam", "deadline")
        .agg()
        .select(
            pl.col("deadline").alias("Deadline"),
            pl.lit("criterium").alias("Soort"),
            pl.col("naam").alias("Wat"),
        ),
        mijlpalen.select(
            pl.col("deadline").alias("Deadline"),
            pl.lit("mijlpaal").alias("Soort"),
            pl.col("titel").alias("Wat"),
        ),
    ]
).filter(pl.col("Deadline").is_not_null())
deadlines = deadlines.sort("Deadline", "Soort", "Wat").with_columns(
    pl.when(pl.col("Deadline") < peildatum)
    .then(pl.lit("voorbij"))
    .otherwise(pl.lit("komt nog"))
    .alias("Voorbij op " + datum(peildatum))
)
components.tabel(
    deadlines,
    hide_index=True,
    column_config={"Deadline": st.column_config.DateColumn(format="DD-MM-YYYY")},
)
components.downloads(deadlines, "deadlines_robuustheid", key="deadlines")
