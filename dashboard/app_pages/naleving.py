"""Naleving (MT, analisten): naleefgedrag per deelnemer over de tijd, naar branche, de
LHSO-matrix, strafrecht en dwangsommen, en energiebesparing (Zelfevaluatie OD Twente 2024,
outcomegerichte sturing).
No SQL here: the queries are in dashboard/data/naleving.py."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, components, data
from dashboard.data import TOTAAL, naleving
from dashboard.format import getal

viewer = components.viewer()
namen = data.names()
KPI = {row["kpi_id"]: row for row in data.catalogus().iter_rows(named=True)}
FORMATEN = {"procent": ",.1f", "aantal per fte": ",.1f"}  # d3 formats; the rest whole numbers
DECIMALEN = {"procent": 1, "aantal per fte": 1}


def naam(kpi_id: str) -> str:
    return KPI[kpi_id]["naam"] if kpi_id in KPI else kpi_id


def tekst(kpi_id: str, row: dict) -> str:
    """A KPI value as Dutch text: the LHSO code, 78,3%, 1.234 kWh."""
    if row["waarde"] is None:
        return "–"
    if kpi_id == "lhso_zwaarste":
        return row["waarde_tekst"] or "–"
    eenheid = KPI[kpi_id]["eenheid"]
    value = getal(row["waarde"], DECIMALEN.get(eenheid, 0))
    if eenheid == "procent":
        return f"{value}%"
    return value if eenheid in ("aantal", "score") else f"{value} {eenheid}"


def lhso_trend(reeks: pl.DataFrame) -> alt.TopLevelMixin:
    """The most severe LHSO cell per period: the score on the axis, labelled with its code."""
    codes = [""] + [f"{g}{b}" for g in "DCBA" for b in "1234"]  # score 1 = D1 ... 16 = A4
    label = f"{codes}[datum.value]".replace(" ", "")
    reeks = reeks.filter(pl.col("waarde").is_not_null())
    x = alt.X("periode:O", title=None, sort="ascending")
    y = alt.Y(
        "waarde:Q",
        title="Zwaarste LHSO-cel",
        scale=alt.Scale(domain=[1, 16]),
        axis=alt.Axis(
            values=list(range(1, 17)), labelExpr=label, labelOverlap=False, labelFlush=False
        ),
    )
    colour = alt.Color("deelnemer:N", title=None)
    tooltip = [
        alt.Tooltip("deelnemer:N", title="Deelnemer"),
        alt.Tooltip("periode:O", title="Periode"),
        alt.Tooltip("waarde_tekst:N", title="LHSO-cel"),
    ]
    base = alt.Chart(reeks)
    lijn = base.mark_line(point=True).encode(x=x, y=y, color=colour, tooltip=tooltip)
    code = base.mark_text(dy=-9, fontSize=10).encode(x=x, y=y, color=colour, text="waarde_tekst:N")
    return charts.dutch(alt.layer(lijn, code).properties(height=280))


def trend_blok(reeks: pl.DataFrame, kpi_id: str) -> None:
    """One KPI: its trend per deelnemer (norm dashed where one exists) and its definition."""
    reeks = reeks.filter(pl.col("kpi_id") == kpi_id)
    st.markdown(f"**{naam(kpi_id)}**")
    if reeks["waarde"].drop_nulls().len() == 0:
        st.info("Geen waarden voor deze selectie.")
    elif kpi_id == "lhso_zwaarste":
        st.altair_chart(lhso_trend(reeks), width="stretch")
    else:
        eenheid = KPI[kpi_id]["eenheid"]
        chart = charts.trend(reeks, y_title=eenheid, number_format=FORMATEN.get(eenheid, ",.0f"))
        st.altair_chart(chart, width="stretch")
    components.definities([kpi_id])


def kpi_tabel(reeks: pl.DataFrame, kpi_ids: tuple[str, ...]) -> pl.DataFrame:
    """Deelnemer x periode with a column per KPI (the LHSO code as text), plus norm and status
    (as text) for KPIs that have a norm."""
    tabel = reeks.select("deelnemer", "periode").unique().sort("deelnemer", "periode")
    for kpi_id in kpi_ids:
        rows = reeks.filter(pl.col("kpi_id") == kpi_id)
        if rows.height == 0:
            continue
        if kpi_id == "lhso_zwaarste":
            waarde = pl.col("waarde_tekst")
        else:
            waarde = pl.col("waarde").round(DECIMALEN.get(KPI[kpi_id]["eenheid"], 0))
        kolommen = [waarde.alias(naam(kpi_id))]
        if rows["norm"].drop_nulls().len() > 0:
            kolommen += [
                pl.col("norm").alias(f"Norm {naam(kpi_id).lower()}"),
                pl.col("status")
                .replace_strict(components.status_labels(), default=None)
                .alias(f"Status {naam(kpi_id).lower()}"),
            ]
        tabel = tabel.join(
            rows.select("deelnemer", "periode", *kolommen), on=["deelnemer", "periode"], how="left"
        )
    return tabel.rename({"deelnemer": "Deelnemer", "periode": "Periode"})


def branche_sectie(detail: str, jaren: list[int]) -> None:
    """Naleefpercentage per branche and year as a heatmap with the values as text."""
    st.subheader(f"Naleefpercentage per branche: {namen.get(detail, detail)}")
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
        midden = (branches["naleefpercentage"].min() + branches["naleefpercentage"].max()) / 2
        basis = alt.Chart(branches).encode(
            x=alt.X("jaar:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y("branche:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=260)),
        )
        vlakken = basis.mark_rect().encode(
            color=alt.Color(
                "naleefpercentage:Q", title="Naleef-%", scale=alt.Scale(scheme="blues")
            ),
            tooltip=[
                alt.Tooltip("branche:N", title="Branche"),
                alt.Tooltip("jaar:O", title="Jaar"),
                alt.Tooltip("naleefpercentage:Q", title="Naleefpercentage", format=",.1f"),
                alt.Tooltip("periodieke_controles:Q", title="Periodieke controles", format=",.0f"),
                alt.Tooltip("zonder_overtredingen:Q", title="Zonder overtredingen", format=",.0f"),
            ],
        )
        waarden = basis.mark_text(fontSize=11).encode(
            text=alt.Text("naleefpercentage:Q", format=",.1f"),
            color=alt.condition(
                alt.datum.naleefpercentage > midden, alt.value("white"), alt.value("black")
            ),
        )
        st.altair_chart(
            charts.dutch(
                alt.layer(vlakken, waarden).properties(height=28 * branches["branche"].n_unique())
            ),
            width="stretch",
        )
        totaal = branches.group_by("jaar").agg(
            pl.col("periodieke_controles").sum(), pl.col("zonder_overtredingen").sum()
        )
        laatst = totaal.filter(pl.col("jaar") == tot)
        if laatst.height:
            rij = laatst.row(0, named=True)
            st.caption(
                f"Alle branches samen in {tot}: {getal(rij['zonder_overtredingen'])} van "
                f"{getal(rij['periodieke_controles'])} periodieke controles zonder overtredingen "
                f"({getal(rij['zonder_overtredingen'] / rij['periodieke_controles'] * 100, 1)}%), "
                "gelijk aan de KPI naleefpercentage van dat jaar. Branche = die van de "
                "inrichting nu; "
                "'onbekend' = inrichting niet gevonden."
            )
        components.definities(["naleefpercentage"])
        with st.expander("Tabel: naleefpercentage per branche en jaar"):
            components.tabel_met_download(
                branches.select(
                    pl.col("branche").alias("Branche"),
                    pl.col("jaar").alias("Jaar"),
                    pl.col("periodieke_controles").alias("Periodieke controles"),
                    pl.col("zonder_overtredingen").alias("Zonder overtredingen"),
                    pl.col("naleefpercentage").round(1).alias("Naleefpercentage"),
                ),
                "naleving_per_branche",
                key="naleving-branche",
            )


def lhso_sectie(detail: str, jaar: int) -> None:
    """The LHSO matrix of one deelnemer and year: a heatmap with the counts as text."""
    st.subheader(f"LHSO-matrix {jaar}: {namen.get(detail, detail)}")
    matrix = naleving.lhso_matrix(viewer, detail, jaar)
    if matrix.height == 0 or matrix["aantal_controles"].sum() == 0:
        st.info("Geen controles met overtredingen in dit jaar.")
    else:
        matrix = matrix.with_columns(
            pl.col("lhso_gevolgen").replace_strict(naleving.GEVOLGEN).alias("gevolgen"),
            pl.col("lhso_gedrag").replace_strict(naleving.GEDRAG).alias("gedrag"),
        )
        grens = matrix["aantal_controles"].max() / 2
        basis = alt.Chart(matrix).encode(
            x=alt.X(
                "gedrag:O",
                title="Gedrag",
                sort=list(naleving.GEDRAG.values()),
                axis=alt.Axis(labelAngle=0, orient="top", labelLimit=220),
            ),
            y=alt.Y(
                "gevolgen:O",
                title="Gevolgen",
                sort=list(naleving.GEVOLGEN.values()),
                axis=alt.Axis(labelLimit=260),
            ),
        )
        vlakken = basis.mark_rect().encode(
            color=alt.Color(
                "aantal_controles:Q", title="Controles", scale=alt.Scale(scheme="oranges")
            ),
            tooltip=[
                alt.Tooltip("lhso_code:N", title="LHSO-cel"),
                alt.Tooltip("aantal_controles:Q", title="Controles", format=",.0f"),
            ],
        )
        aantallen = basis.mark_text(fontSize=14).encode(
            text=alt.Text("aantal_controles:Q", format=",.0f"),
            color=alt.condition(
                alt.datum.aantal_controles > grens, alt.value("white"), alt.value("black")
            ),
        )
        st.altair_chart(
            charts.dutch(alt.layer(vlakken, aantallen).properties(height=260)), width="stretch"
        )
        st.caption(
            "Aantal controles per LHSO-cel van de zwaarste bevinding (gevolgen A zwaarst, gedrag 4 "
            "zwaarst); alleen controles met overtredingen hebben een cel."
        )
        components.definities(["lhso_zwaarste"])
        with st.expander("Tabel: LHSO-matrix"):
            components.tabel_met_download(
                matrix.select(
                    pl.col("lhso_code").alias("LHSO-cel"),
                    pl.col("gevolgen").alias("Gevolgen"),
                    pl.col("gedrag").alias("Gedrag"),
                    pl.col("aantal_controles").alias("Controles"),
                ),
                f"lhso_matrix_{jaar}",
                key="naleving-lhso",
            )


# --- selection ----------------------------------------------------------------------------------
st.title("Naleving")
st.caption(
    "Naleefgedrag van bedrijven per deelnemer: het naleefpercentage bij periodieke controles, "
    "her- en handhavingscontroles, overtredingen en hun zwaarte (LHSO), strafrechtelijke "
    "handhaving, de invordering van verbeurde dwangsommen en de gevonden energiebesparing."
)

gekozen, periode_type = components.deelnemers_en_periode(viewer, "naleving", ["jaar", "kwartaal"])

reeks = naleving.reeksen(viewer, naleving.ALLE_KPIS, gekozen, periode_type)

# --- headline: the newest period with a value, for the first chosen deelnemer --------------------
eerste = gekozen[0]
st.subheader(f"Laatste volledige periode: {namen.get(eerste, eerste)}")
kolommen = st.columns(len(naleving.TREND_KPIS))
for kolom, kpi_id in zip(kolommen, naleving.TREND_KPIS, strict=True):
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
    laatste = rijen[-1]
    vorige = rijen[-2] if len(rijen) > 1 else None
    delta = None
    if vorige is not None and kpi_id != "lhso_zwaarste":
        verschil = laatste["waarde"] - vorige["waarde"]
        decimalen = DECIMALEN.get(KPI[kpi_id]["eenheid"], 0)
        verschil = round(verschil, decimalen) + 0.0  # no "-0,0"
        teken = "+" if verschil > 0 else ""
        delta = f"{teken}{getal(verschil, decimalen)} t.o.v. {vorige['periode']}"
    elif vorige is not None:
        delta = f"{vorige['periode']}: {vorige['waarde_tekst'] or '–'}"
    richting = KPI[kpi_id]["richting"]
    zonder_pijl = kpi_id == "lhso_zwaarste" or (delta is not None and verschil == 0)
    kolom.metric(
        f"{naam(kpi_id)} ({laatste['periode']})",
        tekst(kpi_id, laatste),
        delta=delta,
        delta_arrow="off" if zonder_pijl else "auto",
        help=KPI[kpi_id]["definitie"],
        delta_color=(
            "off"
            if zonder_pijl or richting == "neutraal"
            else "inverse"
            if richting == "lager_is_beter"
            else "normal"
        ),
    )

# --- trends per deelnemer -------------------------------------------------------------------------
st.header("Trends per deelnemer")
for paar in (naleving.TREND_KPIS[:2], naleving.TREND_KPIS[2:]):
    for kolom, kpi_id in zip(st.columns(2), paar, strict=True):
        with kolom:
            trend_blok(reeks, kpi_id)
with st.expander("Tabel: naleving per deelnemer en periode"):
    components.tabel_met_download(
        kpi_tabel(reeks, naleving.TREND_KPIS), "naleving_trends", key="naleving-trends"
    )

# --- one deelnemer in detail ----------------------------------------------------------------------
st.header("Uitsplitsing")
links, rechts = st.columns(2)
link = components.link_keuze(("detail", "jaar"))
components.link_kiezen(link, "detail", gekozen, "naleving_detail")
detail = links.selectbox(
    "Uitsplitsen voor",
    gekozen,
    help="Eén van de hierboven gekozen deelnemers.",
    format_func=lambda c: namen.get(c, c),
    key="naleving_detail",
)
components.detail(detail)
components.link_schrijven(detail=detail)
# years in which this deelnemer has data (the KPI calendar can run on without any)
perioden_met_data = reeks.filter(
    (pl.col("kpi_id") == "naleefpercentage")
    & (pl.col("deelnemer_code") == detail)
    & pl.col("waarde").is_not_null()
)["periode"]
jaren = sorted({int(p[:4]) for p in perioden_met_data.to_list()}, reverse=True)
if jaren:
    components.link_kiezen(link, "jaar", jaren, "naleving_jaar")
    jaar = rechts.selectbox("Jaar (LHSO-matrix)", jaren, key="naleving_jaar")
    components.link_schrijven(jaar=jaar)
    branche_sectie(detail, jaren)
    lhso_sectie(detail, jaar)
else:
    st.info("Geen periodieke controles voor deze deelnemer.")

# --- criminal enforcement and penalty payments ----------------------------------------------------
st.header("Strafrecht en dwangsommen")
links, rechts = st.columns(2)
with links:
    trend_blok(reeks, "strafrecht_per_inrichting_pct")
with rechts:
    handhaving = reeks
    if TOTAAL not in gekozen:  # the per-boa-fte KPI exists for the whole organisation only
        boa = naleving.reeksen(viewer, ["strafrecht_per_boa_fte"], [TOTAAL], periode_type)
        handhaving = pl.concat([reeks, boa])
    trend_blok(handhaving, "strafrecht_per_boa_fte")
    st.caption("Alleen voor de hele organisatie (Alle deelnemers): boa's werken voor iedereen.")

trend_blok(reeks, "dwangsom_invordering_pct")
st.markdown(f"**Verbeurde en ingevorderde dwangsommen: {namen.get(detail, detail)}**")
st.caption(
    "Het invorderen van verbeurde dwangsommen blijft vaak achterwege: het verschil tussen "
    "verbeurd en ingevorderd is geld dat niet is ingevorderd."
)
dwangsommen = naleving.bedragen(reeks.filter(pl.col("deelnemer_code") == detail))
bedragen = dwangsommen.filter(pl.col("verbeurd_eur").is_not_null())
if bedragen.height == 0:
    st.info("Geen handhavingsbesluiten met dwangsommen voor deze selectie.")
else:
    rij = bedragen.sort("periode").row(-1, named=True)
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Verbeurd ({rij['periode']})", f"€ {getal(rij['verbeurd_eur'])}")
    m2.metric(f"Ingevorderd ({rij['periode']})", f"€ {getal(rij['ingevorderd_eur'])}")
    m3.metric(
        f"Niet ingevorderd ({rij['periode']})",
        f"€ {getal(rij['niet_ingevorderd_eur'])}",
        delta=(
            f"{getal(rij['invordering_pct'], 1)}% ingevorderd"
            if rij["invordering_pct"] is not None
            else None
        ),
        delta_color="off",
        delta_arrow="off",
    )
    lang = bedragen.unpivot(
        index="periode",
        on=["verbeurd_eur", "ingevorderd_eur"],
        variable_name="soort",
        value_name="bedrag",
    ).with_columns(
        pl.col("soort").replace_strict(
            {"verbeurd_eur": "Verbeurd", "ingevorderd_eur": "Ingevorderd"}
        )
    )
    staven = (
        alt.Chart(lang)
        .mark_bar()
        .encode(
            x=alt.X("periode:O", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("soort:N", sort=["Verbeurd", "Ingevorderd"]),
            y=alt.Y("bedrag:Q", title="EUR", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("soort:N", title=None, sort=["Verbeurd", "Ingevorderd"]),
            tooltip=[
                alt.Tooltip("periode:O", title="Periode"),
                alt.Tooltip("soort:N", title="Soort"),
                alt.Tooltip("bedrag:Q", title="Bedrag", format="$,.2f"),
            ],
        )
        .properties(height=280)
    )
    st.altair_chart(charts.dutch(staven), width="stretch")
    with st.expander("Tabel: dwangsommen per periode"):
        components.tabel_met_download(
            dwangsommen.select(
                pl.col("deelnemer").alias("Deelnemer"),
                pl.col("periode").alias("Periode"),
                pl.col("verbeurd_eur").round(2).alias("Verbeurd (EUR)"),
                pl.col("ingevorderd_eur").round(2).alias("Ingevorderd (EUR)"),
                pl.col("niet_ingevorderd_eur").round(2).alias("Niet ingevorderd (EUR)"),
                pl.col("invordering_pct").round(1).alias("Ingevorderd (%)"),
            ),
            "dwangsommen",
            key="naleving-dwangsommen",
        )
with st.expander("Tabel: strafrecht en dwangsommen per deelnemer en periode"):
    components.tabel_met_download(
        kpi_tabel(handhaving, naleving.HANDHAVING_KPIS),
        "strafrecht_dwangsommen",
        key="naleving-handhaving",
    )

# --- energy savings -----------------------------------------------------------------------------
st.header("Energiebesparing")
st.caption(
    "Potentiële besparing van de maatregelen die bij controles (energiecontroles) zijn gevonden."
)
for kolom, kpi_id in zip(st.columns(2), naleving.ENERGIE_KPIS, strict=True):
    with kolom:
        trend_blok(reeks, kpi_id)
with st.expander("Tabel: energiebesparing per deelnemer en periode"):
    components.tabel_met_download(
        kpi_tabel(reeks, naleving.ENERGIE_KPIS), "energiebesparing", key="naleving-energie"
    )
