"""Verbeterplan: the recommendations of the 2024 visitation (Verbeterplan opvolging
aanbevelingen visitatie OD Twente, 2024) with their planned quarter, deadline, status and last
update, as a timeline and as a table.

Organisation-level reference data (kpi.mijlpalen, plan verbeterplan): the same for every
viewer."""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, components
from dashboard.data import robuustheid as rob
from dashboard.format import datum, getal

PLAN = "verbeterplan"
# Colour AND shape per status (Okabe-Ito colours), and the label carries a symbol too, so the
# status can be read without colour.
STIJL = {
    "gereed": ("#009E73", "circle"),
    "op_schema": ("#0072B2", "square"),
    "risico": ("#E69F00", "triangle-up"),
    "vertraagd": ("#D55E00", "cross"),
    "verstreken": ("#A50026", "diamond"),
}

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


def gepland_tekst(van: dt.date | None, tot: dt.date | None, tekst: str) -> str:
    """A planned quarter as '3e kwartaal 2025', a planned day as 01-07-2025."""
    if van is None:
        return tekst
    if tot is not None and tot != van:
        return f"{(van.month - 1) // 3 + 1}e kwartaal {van.year}"
    return datum(van)


def label(aanbeveling: str, titel: str) -> str:
    kort = titel if len(titel) <= 70 else titel[:69].rstrip() + "…"
    return f"{aanbeveling}. {kort}"


tonen = aanbevelingen.with_columns(
    pl.struct("aanbeveling", "titel")
    .map_elements(lambda r: label(r["aanbeveling"], r["titel"]), return_dtype=pl.String)
    .alias("regel"),
    pl.struct("gepland_van", "gepland_tot", "gepland")
    .map_elements(
        lambda r: gepland_tekst(r["gepland_van"], r["gepland_tot"], r["gepland"]),
        return_dtype=pl.String,
    )
    .alias("gepland_label"),
    pl.col("status")
    .replace_strict(rob.MIJLPAAL_STATUS, default=pl.col("status"))
    .alias("status_label"),
    # the planned period as a bar: a planned day becomes a bar of one day
    pl.col("gepland_tot").dt.offset_by("1d").alias("gepland_eind"),
    pl.col("laatste_update")
    .map_elements(datum, return_dtype=pl.String)
    .fill_null("onbekend")
    .alias("update_label"),
    pl.col("deadline").map_elements(datum, return_dtype=pl.String).alias("deadline_label"),
)

# --- summary --------------------------------------------------------------------------------
kolommen = st.columns(len(rob.MIJLPAAL_STATUS) + 1)
kolommen[0].metric("Aanbevelingen", getal(tonen.height))
for kolom, (status, tekst) in zip(kolommen[1:], rob.MIJLPAAL_STATUS.items(), strict=True):
    kolom.metric(tekst, getal(tonen.filter(pl.col("status") == status).height))
verstreken = tonen.filter(pl.col("deadline_verstreken"))
if verstreken.height:
    st.warning(
        f"⚠ {verstreken.height} aanbeveling(en) met een verstreken deadline die niet gereed "
        f"zijn (peildatum {datum(peildatum)}): "
        + ", ".join(verstreken["aanbeveling"].to_list())
        + "."
    )

voortgang = rob.mijlpalen_gereed_per_jaar(viewer, PLAN)
if voortgang.height:
    laatste = voortgang.row(-1, named=True)
    vorige = voortgang.row(-2, named=True) if voortgang.height > 1 else None
    # a year still running has no end yet: say "so far", and no change within it
    # (docs/kpis.md, "Dekking")
    lopend = int(laatste["periode"]) >= peildatum.year
    if lopend:
        vorige = None
    verschil = laatste["gereed"] - vorige["gereed"] if vorige else None
    st.metric(
        f"Gereed in {laatste['periode']} tot nu ({datum(peildatum)})"
        if lopend
        else f"Gereed aan het eind van {laatste['periode']}",
        f"{getal(laatste['gereed'])} van {getal(laatste['mijlpalen'])}",
        delta=(
            f"{'±' if verschil == 0 else '+' if verschil > 0 else '-'}{getal(abs(verschil))} "
            f"t.o.v. {vorige['periode']}"
            if vorige
            else None
        ),
        delta_arrow="off" if verschil == 0 else "auto",
        help="Som van de jaarwaarden van de aanbevelingen in kpi.waarden (rob_mijlpaal_<id>: "
        "1 = gereed, 0 = niet gereed).",
    )

# --- timeline -------------------------------------------------------------------------------
st.header("Tijdlijn")
st.caption(
    "Grijze balk: gepland kwartaal; symbool: deadline, met de status als kleur, vorm en tekst; "
    f"gestippelde lijn: peildatum {datum(peildatum)}."
)
volgorde = tonen["regel"].to_list()
statussen = [s for s in STIJL if s in set(tonen["status"])] + [
    s for s in tonen["status"].unique().sort().to_list() if s not in STIJL
]
status_schaal = {
    "domain": [rob.MIJLPAAL_STATUS.get(s, s) for s in statussen],
    "colours": [STIJL.get(s, ("#999999", "diamond"))[0] for s in statussen],
    "shapes": [STIJL.get(s, ("#999999", "diamond"))[1] for s in statussen],
}
as_datum = alt.Axis(format="%b %Y", labelAngle=0)  # Dutch month names via config.locale
y = alt.Y("regel:N", title=None, sort=volgorde, axis=alt.Axis(labelLimit=420))
tooltip = [
    alt.Tooltip("aanbeveling:N", title="Aanbeveling"),
    alt.Tooltip("titel:N", title="Omschrijving"),
    alt.Tooltip("gepland_label:N", title="Gepland"),
    alt.Tooltip("deadline_label:N", title="Deadline"),
    alt.Tooltip("status_label:N", title="Status"),
    alt.Tooltip("update_label:N", title="Laatste update"),
]
basis = alt.Chart(tonen.drop("bepaald_op"))
gepland = basis.mark_bar(color="#BBBBBB", opacity=0.6, size=14).encode(
    x=alt.X("gepland_van:T", title=None, axis=as_datum),
    x2="gepland_eind:T",
    y=y,
    tooltip=tooltip,
)
deadline = basis.mark_point(size=160, filled=True, opacity=1).encode(
    x=alt.X("deadline:T", title=None, axis=as_datum),
    y=y,
    color=alt.Color(
        "status_label:N",
        title="Status",
        scale=alt.Scale(domain=status_schaal["domain"], range=status_schaal["colours"]),
    ),
    shape=alt.Shape(
        "status_label:N",
        title="Status",
        scale=alt.Scale(domain=status_schaal["domain"], range=status_schaal["shapes"]),
    ),
    tooltip=tooltip,
)
tekst = basis.mark_text(align="left", dx=12, fontSize=11).encode(
    x=alt.X("deadline:T", title=None, axis=as_datum), y=y, text="status_label:N"
)
peil = (
    alt.Chart(pl.DataFrame({"peildatum": [peildatum]}))
    .mark_rule(strokeDash=[4, 4], color="#000000")
    .encode(
        x=alt.X("peildatum:T", title=None, axis=as_datum),
        tooltip=[alt.Tooltip("peildatum:T", title="Peildatum", format="%d-%m-%Y")],
    )
)
tijdlijn = alt.layer(gepland, peil, deadline, tekst).properties(height=36 * tonen.height + 40)
st.altair_chart(charts.dutch(tijdlijn), width="stretch")

# --- table ----------------------------------------------------------------------------------
st.header("Aanbevelingen")
tabel = tonen.select(
    pl.col("aanbeveling").alias("Aanbeveling"),
    pl.col("titel").alias("Omschrijving"),
    pl.col("gepland_label").alias("Gepland"),
    pl.col("deadline").alias("Deadline"),
    pl.col("status_label").alias("Status"),
    pl.when(pl.col("deadline_verstreken"))
    .then(pl.lit("⚠ verstreken, niet gereed"))
    .when(pl.col("deadline_voorbij"))
    .then(pl.lit("voorbij, gereed"))
    .otherwise(pl.lit("nog niet voorbij"))
    .alias("Deadline verstreken"),
    pl.col("laatste_update").alias("Laatste update"),
    pl.col("toelichting").fill_null("").alias("Toelichting"),
)
components.tabel(
    tabel,
    hide_index=True,
    column_config={
        "Deadline": st.column_config.DateColumn(format="DD-MM-YYYY"),
        "Laatste update": st.column_config.DateColumn(format="DD-MM-YYYY"),
    },
)
components.downloads(tabel, "verbeterplan", key="verbeterplan")
with st.expander("Over deze gegevens"):
    st.markdown(
        "De aanbevelingen, planning en status komen uit de referentiedata *mijlpalen* "
        "(`kpi.mijlpalen`, plan `verbeterplan`). Per aanbeveling staat in `kpi.waarden` een "
        "jaarwaarde onder `rob_mijlpaal_<id>`: 1 als de aanbeveling gereed is, anders 0. "
        "*Deadline verstreken* betekent: de deadline ligt vóór de peildatum "
        f"({datum(peildatum)}, de bouwdatum van de gegevens) en de aanbeveling is niet gereed."
    )
