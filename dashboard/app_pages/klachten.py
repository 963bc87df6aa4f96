"""Klachten (MT, analisten): de klachtenanalyse naar aard, tijd en plaats, de KPI-trends per
deelnemer en de interne TOP-X-lijst van inrichtingen met de meeste klachten (Zelfevaluatie OD
Twente 2024).
No SQL here: the queries are in dashboard/data/klachten.py."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, components, data
from dashboard.data import TOTAAL, klachten
from dashboard.format import datum, getal

viewer = components.viewer()
namen = data.names()
KPI = {row["kpi_id"]: row for row in data.catalogus().iter_rows(named=True)}
FORMATEN = {"procent": ",.1f", "per 1.000 inwoners": ",.2f"}  # d3 formats; else whole numbers
DECIMALEN = {"procent": 1, "per 1.000 inwoners": 2}
MAANDEN = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MAAND_LABEL = f"{[''] + MAANDEN}[datum.value]".replace(" ", "")
KLEUREN = len(charts.PALETTE)  # distinguishable colours: more aarden are grouped


def naam(kpi_id: str) -> str:
    return KPI[kpi_id]["naam"] if kpi_id in KPI else kpi_id


def tekst(kpi_id: str, waarde: float | None) -> str:
    if waarde is None:
        return "–"
    eenheid = KPI[kpi_id]["eenheid"]
    value = getal(waarde, DECIMALEN.get(eenheid, 0))
    if eenheid == "procent":
        return f"{value}%"
    return f"{value} dagen" if eenheid == "dagen" else value


def trend_blok(reeks: pl.DataFrame, kpi_id: str) -> None:
    """One KPI: its trend per deelnemer (norm dashed where one exists) and its definition."""
    reeks = reeks.filter(pl.col("kpi_id") == kpi_id)
    st.markdown(f"**{naam(kpi_id)}**")
    if reeks["waarde"].drop_nulls().len() == 0:
        st.info("Geen waarden voor deze selectie.")
    else:
        eenheid = KPI[kpi_id]["eenheid"]
        chart = charts.trend(reeks, y_title=eenheid, number_format=FORMATEN.get(eenheid, ",.0f"))
        st.altair_chart(chart, width="stretch")
    components.definities([kpi_id])


def groepeer_aarden(frame: pl.DataFrame, gewicht: str | None = None) -> pl.DataFrame:
    """`aard_groep`: the most frequent aarden by name, the rest as 'overige aarden', so that
    every colour in a chart is distinguishable (colour-blind-safe palette of 8)."""
    telling = frame.group_by("aard").agg(
        (pl.col(gewicht).sum() if gewicht else pl.len()).alias("n")
    )
    top = telling.sort(["n", "aard"], descending=[True, False])["aard"].to_list()
    if len(top) > KLEUREN:
        top = top[: KLEUREN - 1]
    return frame.with_columns(
        pl.when(pl.col("aard").is_in(top))
        .then(pl.col("aard"))
        .otherwise(pl.lit("overige aarden"))
        .alias("aard_groep")
    )


def twente(punten: pl.DataFrame, middelpunten: pl.DataFrame) -> alt.TopLevelMixin:
    """Complaints as points in RD New, metres on both axes at the same scale (no base map:
    no tiles are reachable offline), with the municipalities as labelled points."""
    xs = pl.concat([punten["x"], middelpunten["x"]])
    ys = pl.concat([punten["y"], middelpunten["y"]])
    marge = 1500
    x_domein = [xs.min() - marge, xs.max() + marge]
    y_domein = [ys.min() - marge, ys.max() + marge]
    hoogte = 560
    breedte = round(hoogte * (x_domein[1] - x_domein[0]) / (y_domein[1] - y_domein[0]))
    x = alt.X(
        "x:Q",
        title="RD-x (m)",
        scale=alt.Scale(domain=x_domein, nice=False, zero=False),
        axis=alt.Axis(format=",.0f"),
    )
    y = alt.Y(
        "y:Q",
        title="RD-y (m)",
        scale=alt.Scale(domain=y_domein, nice=False, zero=False),
        axis=alt.Axis(format=",.0f"),
    )
    volgorde = sorted(
        punten["aard_groep"].unique().to_list(), key=lambda a: (a == "overige aarden", a)
    )
    stippen = (
        alt.Chart(punten)
        .mark_circle(size=14, opacity=0.55)
        .encode(
            x=x,
            y=y,
            color=alt.Color("aard_groep:N", title="Aard", sort=volgorde),
            tooltip=[
                alt.Tooltip("aard:N", title="Aard"),
                alt.Tooltip("datum:T", title="Melding", format="%d-%m-%Y"),
                alt.Tooltip("deelnemer:N", title="Deelnemer"),
                alt.Tooltip("gegrond:N", title="Gegrond"),
            ],
        )
    )
    plaatsen = alt.Chart(middelpunten).encode(x=x, y=y)
    lagen = [
        stippen,
        plaatsen.mark_point(shape="diamond", size=70, filled=True, color="#000000"),
        plaatsen.mark_text(dy=-11, fontSize=12, fontWeight="bold", color="#000000").encode(
            text="naam:N"
        ),
    ]
    return charts.dutch(alt.layer(*lagen).properties(width=breedte, height=hoogte))


# --- selection ----------------------------------------------------------------------------------
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

# --- headline: the newest period with a value, for the first chosen deelnemer --------------------
eerste = gekozen[0]
st.subheader(f"Laatste volledige periode: {namen.get(eerste, eerste)}")
for kolom, kpi_id in zip(st.columns(len(klachten.KPIS)), klachten.KPIS, strict=True):
    # the newest complete periods: an incomplete one is no headline (docs/kpis.md, "Dekking")
    rijen = (
        components.volledig(reeks)
        .filter(
            (pl.col("kpi_id") == kpi_id)
            & (pl.col("deelnemer_code") == eerste)
            & pl.col("waarde").is_not_null()
        )
        .sort("periode")
        .to_dicts()
    )
    if not rijen:
        kolom.metric(naam(kpi_id), "–")
        continue
    laatste, vorige = rijen[-1], (rijen[-2] if len(rijen) > 1 else None)
    delta = None
    if vorige is not None:
        verschil = laatste["waarde"] - vorige["waarde"]
        decimalen = DECIMALEN.get(KPI[kpi_id]["eenheid"], 0)
        verschil = round(verschil, decimalen) + 0.0  # no "-0,0"
        teken = "+" if verschil > 0 else ""
        delta = f"{teken}{getal(verschil, decimalen)} t.o.v. {vorige['periode']}"
    richting = KPI[kpi_id]["richting"]
    gelijk = vorige is not None and verschil == 0
    kolom.metric(
        f"{naam(kpi_id)} ({laatste['periode']})",
        tekst(kpi_id, laatste["waarde"]),
        delta=delta,
        delta_color=(
            "off"
            if gelijk
            else {"lager_is_beter": "inverse", "hoger_is_beter": "normal"}.get(richting, "off")
        ),
        delta_arrow="off" if gelijk else "auto",
        help=KPI[kpi_id]["definitie"],
    )

# --- trends per deelnemer -------------------------------------------------------------------------
st.header("Trends per deelnemer")
for groep in (klachten.KPIS[:2], klachten.KPIS[2:4], klachten.KPIS[4:]):
    for kolom, kpi_id in zip(st.columns(2), groep, strict=False):
        with kolom:
            trend_blok(reeks, kpi_id)
with st.expander("Tabel: klachten per deelnemer en periode"):
    tabel = reeks.select("deelnemer", "periode").unique().sort("deelnemer", "periode")
    for kpi_id in klachten.KPIS:
        decimalen = DECIMALEN.get(KPI[kpi_id]["eenheid"], 0)
        tabel = tabel.join(
            reeks.filter(pl.col("kpi_id") == kpi_id).select(
                "deelnemer", "periode", pl.col("waarde").round(decimalen).alias(naam(kpi_id))
            ),
            on=["deelnemer", "periode"],
            how="left",
        )
    components.tabel_met_download(
        tabel.rename({"deelnemer": "Deelnemer", "periode": "Periode"}),
        "klachten_trends",
        key="klachten-trends",
    )

# --- one deelnemer in detail ----------------------------------------------------------------------
st.header("Klachtenanalyse")
links, rechts = st.columns(2)
link = components.link_keuze(("detail", "jaar"))
components.link_kiezen(link, "detail", gekozen, "klachten_detail")
detail = links.selectbox(
    "Uitsplitsen voor",
    gekozen,
    help="Eén van de hierboven gekozen deelnemers.",
    format_func=lambda c: namen.get(c, c),
    key="klachten_detail",
)
components.detail(detail)
components.link_schrijven(detail=detail)
# years in which this deelnemer has data (the KPI calendar can run on without any)
perioden_met_data = reeks.filter(
    (pl.col("kpi_id") == "klachten_aantal")
    & (pl.col("deelnemer_code") == detail)
    & (pl.col("waarde") > 0)
)["periode"]
jaren = sorted({int(p[:4]) for p in perioden_met_data.to_list()}, reverse=True)
if not jaren:
    st.info("Geen klachten voor deze deelnemer.")
    st.stop()
components.link_kiezen(link, "jaar", jaren, "klachten_jaar")
jaar = rechts.selectbox("Jaar", jaren, key="klachten_jaar")
components.link_schrijven(jaar=jaar)
wie = namen.get(detail, detail)

st.subheader(f"Naar aard: {wie}, {jaar}")
per_aard = klachten.per_aard(viewer, detail, ("jaar", "maand"))
per_jaar = per_aard.filter(pl.col("periode_type") == "jaar")
dit_jaar = per_jaar.filter(pl.col("periode") == str(jaar))
if dit_jaar.height == 0:
    st.info("Geen klachten in dit jaar.")
else:
    links, rechts = st.columns(2)
    with links:
        st.altair_chart(
            charts.bars(dit_jaar, x="aard", y="aantal", horizontal=True, y_title="Klachten")
            .properties(height=24 * dit_jaar.height + 20)
            .configure_axisY(labelOverlap=False),
            width="stretch",
        )
    with rechts:
        verloop = groepeer_aarden(per_jaar, "aantal")
        volgorde = sorted(
            verloop["aard_groep"].unique().to_list(), key=lambda a: (a == "overige aarden", a)
        )
        st.altair_chart(
            charts.dutch(
                alt.Chart(verloop)
                .mark_bar()
                .encode(
                    x=alt.X("periode:O", title=None, axis=alt.Axis(labelAngle=0)),
                    y=alt.Y("sum(aantal):Q", title="Klachten", axis=alt.Axis(format=",.0f")),
                    color=alt.Color("aard_groep:N", title="Aard", sort=volgorde),
                    tooltip=[
                        alt.Tooltip("periode:O", title="Jaar"),
                        alt.Tooltip("aard_groep:N", title="Aard"),
                        alt.Tooltip("sum(aantal):Q", title="Klachten", format=",.0f"),
                    ],
                )
                .properties(height=280)
            ),
            width="stretch",
        )
    with st.expander("Tabel: klachten per aard en jaar"):
        components.tabel_met_download(
            per_jaar.select(
                pl.col("periode").alias("Jaar"),
                pl.col("aard").alias("Aard"),
                pl.col("aantal").alias("Klachten"),
                pl.col("gegrond").alias("Gegrond"),
                pl.col("aandeel_pct").round(1).alias("Aandeel (%)"),
            ),
            "klachten_per_aard",
            key="klachten-aard",
        )

st.subheader(f"In de tijd: {wie}")
maanden = klachten.reeksen(viewer, ["klachten_aantal"], [detail], "maand").filter(
    pl.col("waarde").is_not_null()
)
if maanden.height == 0:
    st.info("Geen klachten per maand.")
else:
    seizoen = maanden.select(
        pl.col("periode").str.slice(0, 4).alias("jaar"),
        pl.col("periode").str.slice(5, 2).cast(pl.Int32).alias("maand"),
        pl.col("waarde").alias("klachten"),
    )
    links, rechts = st.columns(2)
    with links:
        st.altair_chart(
            charts.trend(maanden, colour=None, y_title="Klachten per maand", number_format=",.0f"),
            width="stretch",
        )
    with rechts:
        st.altair_chart(
            charts.dutch(
                alt.Chart(seizoen)
                .mark_line(point=True)
                .encode(
                    x=alt.X(
                        "maand:O", title=None, axis=alt.Axis(labelExpr=MAAND_LABEL, labelAngle=0)
                    ),
                    y=alt.Y("klachten:Q", title="Klachten", axis=alt.Axis(format=",.0f")),
                    color=alt.Color("jaar:N", title="Jaar"),
                    tooltip=[
                        alt.Tooltip("jaar:N", title="Jaar"),
                        alt.Tooltip("maand:O", title="Maand"),
                        alt.Tooltip("klachten:Q", title="Klachten", format=",.0f"),
                    ],
                )
                .properties(height=280, title="Seizoenspatroon: elk jaar over de maanden")
            ),
            width="stretch",
        )
    per_maand_aard = per_aard.filter(pl.col("periode_type") == "maand")
    if per_maand_aard.height:
        patroon = per_maand_aard.group_by(
            pl.col("periode").str.slice(5, 2).cast(pl.Int32).alias("maand"), "aard"
        ).agg(pl.col("aantal").sum())
        st.altair_chart(
            charts.dutch(
                alt.Chart(patroon)
                .mark_rect()
                .encode(
                    x=alt.X(
                        "maand:O", title=None, axis=alt.Axis(labelExpr=MAAND_LABEL, labelAngle=0)
                    ),
                    y=alt.Y("aard:N", title=None, axis=alt.Axis(labelOverlap=False)),
                    color=alt.Color("aantal:Q", title="Klachten", scale=alt.Scale(scheme="blues")),
                    tooltip=[
                        alt.Tooltip("aard:N", title="Aard"),
                        alt.Tooltip("maand:O", title="Maand"),
                        alt.Tooltip("aantal:Q", title="Klachten (alle jaren)", format=",.0f"),
                    ],
                )
                .properties(height=300, title="Per aard en kalendermaand, alle jaren samen")
            ),
            width="stretch",
        )
    with st.expander("Tabel: klachten per maand"):
        components.tabel_met_download(
            maanden.select(pl.col("periode").alias("Maand"), pl.col("waarde").alias("Klachten")),
            "klachten_per_maand",
            key="klachten-maand",
        )

st.subheader(f"Naar plaats: {wie}, {jaar}")
punten = klachten.locaties(viewer, detail, jaar)
if punten.height == 0:
    st.info("Geen klachten met een locatie in dit jaar.")
else:
    aarden = sorted(punten["aard"].unique().to_list())
    filter_aard = st.multiselect(
        "Aard", aarden, default=aarden, key="klachten_kaart_aard", placeholder="Alle aarden"
    )
    if filter_aard:
        punten = punten.filter(pl.col("aard").is_in(filter_aard))
    punten = groepeer_aarden(punten).with_columns(
        pl.col("deelnemer_code").replace_strict(namen, default=None).alias("deelnemer")
    )
    middelpunten = klachten.gemeente_middelpunten(viewer)
    if detail != TOTAAL:
        middelpunten = middelpunten.filter(pl.col("deelnemer_code") == detail)
    st.altair_chart(twente(punten, middelpunten), width="content")
    st.caption(
        f"{getal(punten.height)} klachten als punt op de plek van de overlast (RD-coördinaten, "
        "meters; geen achtergrondkaart). Ruit = gemeente (gemiddelde ligging van haar "
        "inrichtingen)."
    )

postcodes = klachten.per_postcode(viewer, detail, jaar)
if postcodes.height:
    st.markdown(f"**Naar postcodegebied van de melder: {wie}, {jaar}**")
    per_gebied = (
        postcodes.group_by("postcode4")
        .agg(pl.col("aantal").sum())
        .sort(["aantal", "postcode4"], descending=[True, False])
    )
    st.altair_chart(
        charts.bars(
            per_gebied.head(20), x="postcode4", y="aantal", horizontal=True, y_title="Klachten"
        )
        .properties(height=22 * min(20, per_gebied.height) + 20)
        .configure_axisY(labelOverlap=False),
        width="stretch",
    )
    st.caption(
        "Alleen de 4 cijfers van de postcode (AVG); gebieden met minder dan 3 klachten in een "
        "jaar zijn samengevoegd tot 'overig'. De 20 gebieden met de meeste klachten."
    )
    with st.expander("Tabel: klachten per postcodegebied en aard"):
        tabel = (
            postcodes.pivot(on="aard", index="postcode4", values="aantal", sort_columns=True)
            .fill_null(0)
            .join(per_gebied.rename({"aantal": "Totaal"}), on="postcode4")
            .sort(["Totaal", "postcode4"], descending=[True, False])
            .rename({"postcode4": "Postcode"})
        )
        components.tabel_met_download(
            tabel, f"klachten_per_postcode_{jaar}", key="klachten-postcode"
        )

# --- the internal TOP-X list ----------------------------------------------------------------------
if viewer.sees_internal:
    st.header("TOP-X inrichtingen met de meeste klachten")
    st.error(
        "**Intern: niet voor publicatie.** Deze lijst is alleen voor MT en analisten en wordt "
        "niet gedeeld met deelnemers of derden (Zelfevaluatie OD Twente, 2024).",
        icon="🔒",
    )
    top_x = st.slider("Aantal inrichtingen (X)", 5, 50, 10, step=5, key="klachten_top_x")
    top = klachten.top_inrichtingen(viewer, detail, top_x)
    if top.height == 0:
        st.info("Geen klachten met een bekende inrichting in de laatste 12 maanden.")
    else:
        eerste_rij = top.row(0, named=True)
        st.caption(
            f"{wie}: klachten van {datum(eerste_rij['periode_van'])} t/m "
            f"{datum(eerste_rij['periode_tot'])} (de laatste 12 maanden in de gegevens) met de "
            "inrichting als vermoedelijke bron. Gelijke aantallen delen een rang."
        )
        components.tabel_met_download(
            top.select(
                pl.col("rang").alias("Rang"),
                pl.col("naam").alias("Inrichting"),
                pl.col("inrichting_id").alias("Inrichting-id"),
                pl.col("branche").alias("Branche"),
                pl.col("aantal_klachten").alias("Klachten"),
                pl.col("aantal_gegrond").alias("Gegrond"),
                pl.col("meest_gemelde_aard").alias("Meest gemelde aard"),
                pl.col("laatste_melding").alias("Laatste melding"),
            ),
            "INTERN_top_inrichtingen_klachten",
            key="klachten-top",
        )
