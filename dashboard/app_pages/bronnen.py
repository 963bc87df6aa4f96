"""Bronnen per deelnemer: how many current rows each source holds per deelnemer, and how fresh.

A first page for the beheerder and accounthouders; the full dashboard is a later issue.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data
from dashboard.format import datum, getal
from pipelines.lake import NoLake

st.title("Bronnen per deelnemer")

try:
    build = data.laatste_build()
    per_deelnemer = data.bronnen_per_deelnemer()
    versheid = data.versheid()
except NoLake as exc:
    st.warning(str(exc))
    st.stop()

st.caption(
    f"Gegevens van de lading van {datum(build['gebouwd_op'], with_time=True)} "
    f"(laatste lading {build['laatste_load']})."
)

st.subheader("Versheid per bron")
st.dataframe(
    versheid.select(
        pl.col("titel").alias("Bron"),
        pl.col("rijen")
        .map_elements(getal, return_dtype=pl.String)
        .fill_null("–")
        .alias("Actuele rijen"),
        pl.col("nieuwste_gebeurtenis")
        .map_elements(datum, return_dtype=pl.String)
        .fill_null("–")
        .alias("Nieuwste gebeurtenis"),
        pl.col("laatst_geladen")
        .map_elements(lambda v: datum(v, with_time=True), return_dtype=pl.String)
        .fill_null("–")
        .alias("Laatst geladen"),
    ),
    hide_index=True,
)

st.subheader("Actuele rijen per deelnemer en bron")
tabel = per_deelnemer.pivot(
    on="bron", index=["deelnemer"], values="rijen", aggregate_function="sum"
).fill_null(0)
laatste = per_deelnemer.group_by("deelnemer").agg(pl.col("laatste_lading").max())
tabel = tabel.join(laatste, on="deelnemer", how="left")
bronnen = [c for c in tabel.columns if c not in ("deelnemer", "laatste_lading")]
st.dataframe(
    tabel.select(
        pl.col("deelnemer").alias("Deelnemer"),
        *(
            pl.col(b).map_elements(getal, return_dtype=pl.String).fill_null("–").alias(b)
            for b in sorted(bronnen)
        ),
        pl.col("laatste_lading")
        .map_elements(lambda v: datum(v, with_time=True), return_dtype=pl.String)
        .fill_null("–")
        .alias("Laatste lading"),
    ),
    hide_index=True,
)
