"""Deelnemer (accounthouder): one deelnemer's figures for a chosen period, in blocks for the
monthly accountoverleg: products against the uitvoeringsprogramma, hours against the budget
with the year-end projection, work in stock and decisions within the legal term, compliance
and violations with the LHSO matrix, complaints, enforcement.

Only this deelnemer's data, plus TOTAAL (the whole organisation) for comparison. An
accounthouder gets their own deelnemer; other roles pick one (the Overzicht page can hand a
code over in session_state). The selection is in the URL (?deelnemer=&soort=&periode=), so a
bookmark reopens it; a deelnemer in a link outside the viewer's scope gets a Dutch message and
none of its data (docs/toegang.md). The data layer checks the code against the viewer's scope, and
withholds from an accounthouder a TOTAAL that would disclose other deelnemers (`onderdrukt`,
docs/vergelijking-totaal.md); the page says so where that TOTAAL would have been.
"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, components, data
from dashboard.data import TOTAAL
from dashboard.data import deelnemer as dd
from dashboard.data import overzicht as ov
from dashboard.format import datum, getal

OPEN_KEY = "open_deelnemer"  # set by the Overzicht page
KEUZE_KEY = "deelnemer_keuze"
# status as colour + symbol + text (components.status_labels), never colour alone
STATUS_KLEUR = {"groen": "🟢", "oranje": "🟠", "rood": "🔴", "geen_norm": "⚪"}
TYPE_LABELS = {"jaar": "Jaar", "kwartaal": "Kwartaal", "maand": "Maand"}
ACHTER = {"procent": "%", "uren": " uur", "dagen": " dagen"}
VOOR = {"EUR": "€ "}
DELTA_KLEUR = {"hoger_is_beter": "normal", "lager_is_beter": "inverse"}
GEVOLGEN = {"A": "A aanzienlijk", "B": "B van belang", "C": "C beperkt", "D": "D nihil"}
GEDRAG = {"1": "1 goedwillend", "2": "2 onverschillig", "3": "3 calculerend", "4": "4 bewust"}
INSTRUMENTEN = {
    "bsbm": "BSBM (bestuurlijke strafbeschikking milieu)",
    "proces_verbaal": "Proces-verbaal",
    "strafbeschikking": "Strafbeschikking",
    "last_onder_dwangsom": "Last onder dwangsom",
    "last_onder_bestuursdwang": "Last onder bestuursdwang",
    "bestuurlijke_boete": "Bestuurlijke boete",
}

BLOKKEN = {
    "producten": ("producten_gerealiseerd", "programma_voortgang_pct", "programma_realisatie_pct"),
    "uren": (
        "uren_gerealiseerd",
        "uren_begroot",
        "uren_realisatie_pct",
        "uren_prognose_jaareinde",
        "uren_prognose_begroting_pct",
    ),
    "werkvoorraad": ("werkvoorraad_open", "binnen_termijn_pct", "doorlooptijd_mediaan_dagen"),
    "naleving": (
        "naleefpercentage",
        "overtredingen_aantal",
        "lhso_zwaarste",
        "controles_aantal",
        "hercontrole_ratio",
    ),
    "klachten": (
        "klachten_aantal",
        "klachten_per_1000_inwoners",
        "klachten_gegrond_pct",
        "klachten_afhandelduur_mediaan_dagen",
    ),
    "handhaving": ("strafrecht_per_inrichting_pct", "dwangsom_invordering_pct"),
}
ALLE_KPIS = tuple(k for ids in BLOKKEN.values() for k in ids)

viewer = components.viewer()
namen = data.names()
catalogus = {row["kpi_id"]: row for row in data.catalogus().iter_rows(named=True)}

# --- which deelnemer: only within the viewer's scope ------------------------------------------
opties = data.allowed(viewer, totaal=False)
gevraagd = st.session_state.pop(OPEN_KEY, None)
if gevraagd in opties:
    st.session_state[KEUZE_KEY] = gevraagd
# A link (deelnemer, soort, periode in the URL) reopens a view, within the viewer's scope only.
link = components.link_keuze(("deelnemer", "soort", "periode"))
if "deelnemer" in link:
    if link["deelnemer"] in opties:
        st.session_state[KEUZE_KEY] = link["deelnemer"]
    else:
        components.link_geweigerd(link["deelnemer"])
if link.get("soort") in ov.PERIODE_TYPES:
    st.session_state["deelnemer_periode_type"] = link["soort"]
if st.session_state.get(KEUZE_KEY) not in opties:
    st.session_state.pop(KEUZE_KEY, None)

titel = st.empty()
kop = st.columns([2, 2, 1])
if len(opties) == 1:
    code = opties[0]
else:
    code = kop[0].selectbox(
        "Deelnemer", opties, format_func=lambda c: namen.get(c, c), key=KEUZE_KEY
    )
periode_type = kop[1].radio(
    "Soort periode",
    list(ov.PERIODE_TYPES),
    index=2,
    format_func=TYPE_LABELS.get,
    horizontal=True,
    key="deelnemer_periode_type",
)
perioden = data.perioden(periode_type)
if not perioden:
    titel.title(f"Deelnemer {namen.get(code, code)}")
    st.info("Er zijn nog geen kengetallen voor deze soort periode.")
    st.stop()
standaard = ov.standaard_periode(periode_type, ALLE_KPIS)
if link.get("periode") in perioden:
    st.session_state[f"deelnemer_periode_{periode_type}"] = link["periode"]
periode = kop[2].selectbox(
    "Periode",
    perioden,
    index=perioden.index(standaard) if standaard in perioden else 0,
    key=f"deelnemer_periode_{periode_type}",
)
naam = namen.get(code, code)
components.bekeken([code], periode_type=periode_type, periode=periode)
components.link_schrijven(deelnemer=code, soort=periode_type, periode=periode)
titel.title(f"Deelnemer {naam}")
begin, eind = ov.grenzen(periode_type, periode)
jaar = int(periode[:4])
st.caption(
    f"Periode {periode}: {datum(begin)} t/m {datum(eind)} · verschillen ten opzichte van de "
    f"vorige periode ({ov.vorige_periode(periode_type, periode)}) en dezelfde periode vorig "
    f"jaar ({ov.zelfde_periode_vorig_jaar(periode_type, periode)}) · 'Alle deelnemers' is "
    "de hele organisatie, ter vergelijking. Afdrukken voor het accountoverleg: Ctrl+P in de "
    "browser."
)


# --- helpers -------------------------------------------------------------------------------------
def kandidaten() -> list[tuple[str, str]]:
    """The chosen period and the coarser periods containing it, finest first: a KPI that is
    not published per month (naleving) or per quarter (the uitvoeringsprogramma is a year
    plan) is shown for the quarter or year the chosen period falls in."""
    volgorde = list(ov.PERIODE_TYPES)
    result = []
    for soort in reversed(volgorde[: volgorde.index(periode_type) + 1]):
        if soort == periode_type:
            result.append((soort, periode))
        elif soort == "kwartaal":
            result.append((soort, ov.kwartaal_van(periode_type, periode)))
        else:
            result.append((soort, periode[:4]))
    return result


def getoonde_periode(kpi_id: str) -> tuple[str, str]:
    return getoond_per_kpi.get(kpi_id, (periode_type, periode))


_ongedekt: dict[tuple[str, str], list[str]] = {}


def ongedekt(kpi_id: str) -> bool:
    """No loaded export covers the period this KPI is shown for (docs/kpis.md, "Dekking")."""
    soort, getoond = getoonde_periode(kpi_id)
    if (soort, getoond) not in _ongedekt:
        _ongedekt[soort, getoond] = ov.ongedekt(ALLE_KPIS, soort, getoond)
    return kpi_id in _ongedekt[soort, getoond]


def tekst(kpi_id: str, waarde: float | None, code_tekst: str | None = None) -> str:
    if code_tekst:
        return code_tekst
    if waarde is None:
        return "–"
    eenheid = catalogus.get(kpi_id, {}).get("eenheid", "")
    decimalen = ov.DECIMALEN.get(eenheid, 1)
    return f"{VOOR.get(eenheid, '')}{getal(waarde, decimalen)}{ACHTER.get(eenheid, '')}"


def waarden(kpi_ids: tuple[str, ...]) -> pl.DataFrame:
    """The comparison rows (deelnemer and TOTAAL) of these KPIs, each for its shown period."""
    return alle_waarden.filter(pl.col("kpi_id").is_in(kpi_ids))


def trend(kpi_id: str, totaal: bool = True) -> pl.DataFrame:
    """The trend series of this KPI (from the one query for all trends), for charts."""
    soort = TRENDS.get(kpi_id, getoonde_periode(kpi_id))[0]
    frame = alle_trends.filter((pl.col("kpi_id") == kpi_id) & (pl.col("periode_type") == soort))
    if not totaal:
        frame = frame.filter(pl.col("deelnemer_code") != TOTAAL)
    return frame.with_columns(
        pl.col("deelnemer_code")
        .replace_strict(namen, default=pl.col("deelnemer_code"))
        .alias("deelnemer")
    )


def rij(frame: pl.DataFrame, kpi_id: str, deelnemer_code: str) -> dict | None:
    gevonden = frame.filter(
        (pl.col("kpi_id") == kpi_id) & (pl.col("deelnemer_code") == deelnemer_code)
    )
    return gevonden.row(0, named=True) if gevonden.height else None


def kaart(frame: pl.DataFrame, kpi_id: str) -> None:
    """A metric card: value and change against the previous period (the definition on
    hover), then a caption: the period shown if coarser than the chosen one, status and norm
    where a norm holds, the same period last year, all deelnemers."""
    info = catalogus.get(kpi_id, {"naam": kpi_id, "eenheid": "", "definitie": "", "richting": ""})
    soort, getoond = getoonde_periode(kpi_id)
    eigen = rij(frame, kpi_id, code) or {}
    totaal = rij(frame, kpi_id, TOTAAL) or {}
    decimalen = ov.DECIMALEN.get(info["eenheid"], 1)
    vorige = ov.vorige_periode(soort, getoond)
    delta, pijl, kleur = None, "auto", DELTA_KLEUR.get(info["richting"], "off")
    if eigen.get("waarde_tekst"):
        if eigen.get("vorige_tekst"):
            delta, pijl, kleur = f"{eigen['vorige_tekst']} in {vorige}", "off", "off"
    elif eigen.get("verschil_vorige") is not None:
        verschil = eigen["verschil_vorige"]
        teken = "+" if round(verschil, decimalen) > 0 else ""
        delta = f"{teken}{getal(verschil, decimalen)} t.o.v. {vorige}"
        if round(verschil, decimalen) == 0:
            pijl = "off"
    st.metric(
        info["naam"],
        tekst(kpi_id, eigen.get("waarde"), eigen.get("waarde_tekst")),
        delta,
        delta_color=kleur,
        delta_arrow=pijl,
        help=info["definitie"],
        border=True,
    )
    regels = []
    if (soort, getoond) != (periode_type, periode):
        regels.append(f"per {soort}: {getoond}")
    heeft_waarde = eigen.get("waarde") is not None or eigen.get("waarde_tekst")
    if heeft_waarde and (dekking := components.dekking_tekst(eigen, soort, getoond)):
        regels.append(dekking)
    elif eigen.get("waarde") is None and ongedekt(kpi_id):
        regels.append("geen gegevens: de geladen exports dekken deze periode niet")
    status = eigen.get("status")
    if status and status != "geen_norm":  # no line saying "no norm" on every card
        norm = eigen.get("norm")
        regels.append(
            f"{STATUS_KLEUR.get(status, '')} {components.status_labels().get(status, status)}"
            + (f" (norm {tekst(kpi_id, norm)})" if norm is not None else "")
        )
    vorig_jaar = ov.zelfde_periode_vorig_jaar(soort, getoond)
    if soort != "jaar":
        regels.append(
            f"{vorig_jaar}: "
            f"{tekst(kpi_id, eigen.get('vorig_jaar_waarde'), eigen.get('vorig_jaar_tekst'))}"
        )
    if totaal.get("onderdrukt"):
        regels.append(f"alle deelnemers: {data.ONDERDRUKT}")
    else:
        regels.append(
            f"alle deelnemers: {tekst(kpi_id, totaal.get('waarde'), totaal.get('waarde_tekst'))}"
        )
    st.caption(" · ".join(regels))


def onderdrukt_melding(reeks: pl.DataFrame) -> None:
    """Under a trend with TOTAAL: the periods whose TOTAAL is withheld from this viewer."""
    perioden = reeks.filter(pl.col("onderdrukt"))["periode"].to_list()
    if perioden:
        st.caption(f"Alle deelnemers in {', '.join(perioden)}: {data.ONDERDRUKT}.")


def kaarten(frame: pl.DataFrame, kpi_ids: tuple[str, ...], per_rij: int = 4) -> None:
    for start in range(0, len(kpi_ids), per_rij):
        kolommen = st.columns(per_rij)
        for kolom, kpi_id in zip(kolommen, kpi_ids[start : start + per_rij], strict=False):
            with kolom:
                kaart(frame, kpi_id)


def kpi_tabel(frame: pl.DataFrame) -> pl.DataFrame:
    """The block's KPI rows as a readable table (this deelnemer and all deelnemers)."""
    naam_van = {k: v["naam"] for k, v in catalogus.items()}
    return frame.select(
        pl.col("kpi_id").replace_strict(naam_van, default=pl.col("kpi_id")).alias("Kengetal"),
        pl.col("deelnemer_code")
        .replace_strict(namen, default=pl.col("deelnemer_code"))
        .alias("Deelnemer"),
        pl.col("periode").alias("Periode"),
        pl.col("waarde").round(2).alias("Waarde"),
        pl.col("waarde_tekst").alias("Code"),  # the LHSO cell of lhso_zwaarste
        pl.col("vorige_periode").alias("Vorige periode"),
        pl.col("verschil_vorige").round(2).alias("Verschil t.o.v. vorige periode"),
        pl.col("vorig_jaar_periode").alias("Zelfde periode vorig jaar"),
        pl.col("verschil_vorig_jaar").round(2).alias("Verschil t.o.v. vorig jaar"),
        pl.col("norm").alias("Norm"),
        pl.when(pl.col("onderdrukt"))
        .then(pl.lit(data.ONDERDRUKT))
        .otherwise(pl.col("status").replace_strict(components.status_labels(), default=None))
        .alias("Status"),
    ).sort("Kengetal", pl.col("Deelnemer") == namen[TOTAAL])


def tabel_met_download(frame: pl.DataFrame, naam_bestand: str, key: str, **kwargs) -> None:
    components.tabel(frame, **kwargs)
    components.downloads(frame, f"{naam_bestand}_{code}_{periode}", key=key)


def getallen(frame: pl.DataFrame) -> dict:
    """Dutch number display for every numeric column of a table."""
    return {
        kolom: st.column_config.NumberColumn(format="localized")
        for kolom, soort in frame.schema.items()
        if soort.is_numeric()
    }


def definities(kpi_ids: tuple[str, ...]) -> None:
    """One expander per block with the catalogue definition of each of its KPIs (the same
    text as components.definition, from the catalogue rows this page already holds: one
    expander per block instead of one per card, and no query per KPI)."""
    with st.expander("Definities"):
        for kpi_id in kpi_ids:
            row = catalogus.get(kpi_id)
            if row is None:
                continue
            st.markdown(
                f"**{row['naam']}**: {row['definitie']}\n\n*Eenheid:* {row['eenheid']} · "
                f"*Bron:* {row['bron']} · *KPI-id:* `{row['kpi_id']}`"
            )


def blok_tabel(blok: str) -> None:
    """The block's definitions and its KPI table (this deelnemer and all deelnemers)."""
    definities(BLOKKEN[blok])
    with st.expander("Tabel en download"):
        tabel = kpi_tabel(waarden(BLOKKEN[blok]))
        tabel_met_download(tabel, blok, f"{blok}-kpi", column_config=getallen(tabel))


# Two queries for all cards and all trend charts: every KPI of the page for the chosen period
# and the coarser ones containing it, with its changes (each KPI is then shown for the finest
# period it is published for), and every trend series (the last 12 periods; complaints over
# the year).
opgehaald = ov.vergelijking_per_kpi(
    viewer, [(k, *kandidaat) for k in ALLE_KPIS for kandidaat in kandidaten()], [code, TOTAAL]
)
getoond_per_kpi: dict[str, tuple[str, str]] = {}
for kpi_id in ALLE_KPIS:
    aanwezig = opgehaald.filter(pl.col("kpi_id") == kpi_id)
    for soort, p in kandidaten():
        if aanwezig.filter(pl.col("periode_type") == soort).height:
            getoond_per_kpi[kpi_id] = (soort, p)
            break
alle_waarden = opgehaald.join(
    pl.DataFrame(
        [(k, t) for k, (t, _) in getoond_per_kpi.items()],
        schema={"kpi_id": pl.String, "periode_type": pl.String},
        orient="row",
    ),
    on=["kpi_id", "periode_type"],
    how="semi",
)
TRENDS = {
    k: getoonde_periode(k)
    for k in (
        "producten_gerealiseerd",
        "binnen_termijn_pct",
        "werkvoorraad_open",
        "naleefpercentage",
    )
}
TRENDS["klachten_aantal"] = ("maand", f"{jaar}-12")
UREN = ("uren_gerealiseerd", "uren_begroot", "uren_prognose_jaareinde")
alle_trends = dd.reeksen(
    viewer,
    code,
    [(k, t, p, 12) for k, (t, p) in TRENDS.items()]
    # the months of the year for the hours chart, and the budget of the whole year
    + [(k, "maand", f"{jaar}-12", 12) for k in UREN]
    + [("uren_begroot", "jaar", str(jaar), 1)],
)

# --- 1. products against the uitvoeringsprogramma -----------------------------------------------
st.header("Producten en uitvoeringsprogramma")
frame = waarden(BLOKKEN["producten"])
kaarten(frame, BLOKKEN["producten"])
links, rechts = st.columns([2, 3])
with links:
    st.altair_chart(
        charts.trend(
            trend("producten_gerealiseerd", totaal=False),
            title="Gerealiseerde producten per periode",
            y_title="aantal",
            number_format=",.0f",
        ),
        width="stretch",
    )
with rechts:
    producten = dd.producten_per_product(viewer, code, jaar, eind)
    st.markdown(f"**Per product, 1 januari t/m {datum(eind)}**")
    tabel = producten.rename(
        {
            "product": "Product",
            "gepland": "Gepland (programma)",
            "gerealiseerd": "Gerealiseerd",
            "realisatie_pct": "Realisatie (%)",
            "geplande_uren": "Geplande uren",
        }
    ).with_columns(pl.col("Realisatie (%)").round(1))
    tabel_met_download(tabel, "producten_per_product", "producten", column_config=getallen(tabel))
blok_tabel("producten")

# --- 2. hours against the budget, with the year-end projection ----------------------------------
st.header("Uren en begroting")
frame = waarden(BLOKKEN["uren"])
kaarten(frame, BLOKKEN["uren"])
uren_maanden = alle_trends.filter(
    pl.col("kpi_id").is_in(UREN)
    & (pl.col("periode_type") == "maand")
    & (pl.col("deelnemer_code") == code)
)
verloop = pl.DataFrame({"periode": ov.maanden("jaar", str(jaar))})
for kpi_id, kolom in zip(UREN, ("gerealiseerd", "begroot", "prognose"), strict=True):
    verloop = verloop.join(
        uren_maanden.filter(pl.col("kpi_id") == kpi_id).select(
            "periode",
            pl.col("waarde").alias(kolom),
            pl.col("cumulatief").alias(f"{kolom}_cumulatief"),
        ),
        on="periode",
        how="left",
    )
jaarbegroting = (
    rij(alle_trends.filter(pl.col("periode_type") == "jaar"), "uren_begroot", code) or {}
).get("waarde")
verloop = verloop.with_columns(pl.lit(jaarbegroting, dtype=pl.Float64).alias("jaarbegroting"))
links, rechts = st.columns([3, 2])
with links:
    lang = verloop.unpivot(
        index=["periode", "jaarbegroting"],
        on=["gerealiseerd_cumulatief", "begroot_cumulatief", "prognose"],
        variable_name="reeks",
        value_name="uren",
    ).with_columns(
        pl.col("reeks").replace_strict(
            {
                "gerealiseerd_cumulatief": "Gerealiseerd (cumulatief)",
                "begroot_cumulatief": "Begroot (cumulatief, naar rato)",
                "prognose": "Prognose 31 december",
            }
        ),
        pl.col("jaarbegroting").alias("norm"),
    )
    st.altair_chart(
        charts.trend(
            lang,
            y="uren",
            colour="reeks",
            title=f"Uren {jaar}: realisatie, begroting en prognose",
            y_title="uren",
            number_format=",.0f",
        ),
        width="stretch",
    )
    st.caption("Stippellijn: de begrote uren voor het hele jaar.")
with rechts:
    # the year-end message of the accountoverleg: the projection against the year budget
    prognose = (rij(frame, "uren_prognose_jaareinde", code) or {}).get("waarde")
    st.metric(f"Begrote uren {jaar}", tekst("uren_begroot", jaarbegroting), border=True)
    if prognose is not None and jaarbegroting:
        verschil = prognose - jaarbegroting
        st.metric(
            f"Verwacht verschil op 31-12-{jaar}",
            f"{'+' if verschil > 0 else ''}{getal(verschil)} uur",
            f"{'+' if verschil > 0 else ''}{getal(100 * verschil / jaarbegroting, 1)}% van "
            "de begroting",
            delta_color="off",
            border=True,
        )
        st.caption(
            f"Prognose na {getoonde_periode('uren_prognose_jaareinde')[1]}: "
            f"{tekst('uren_prognose_jaareinde', prognose)}. De prognose volgt het "
            "seizoenspatroon van vorig jaar (zie de definitie)."
        )
with st.expander(f"Uren per maand in {jaar}: tabel en download"):
    tabel = verloop.select(
        pl.col("periode").alias("Maand"),
        pl.col("gerealiseerd").round(1).alias("Gerealiseerd"),
        pl.col("begroot").round(1).alias("Begroot"),
        pl.col("gerealiseerd_cumulatief").round(1).alias("Gerealiseerd cumulatief"),
        pl.col("begroot_cumulatief").round(1).alias("Begroot cumulatief"),
        pl.col("prognose").round(0).alias("Prognose 31 december"),
    )
    tabel_met_download(tabel, "uren_per_maand", "uren-maand", column_config=getallen(tabel))
with st.expander(f"Uren per product in {jaar}: tabel en download"):
    per_product = dd.uren_per_product(viewer, code, jaar).rename(
        {
            "product": "Product",
            "taakpakket": "Taakpakket",
            "geplande_uren": "Geplande uren (programma)",
            "uren": "Geschreven uren",
        }
    )
    tabel_met_download(
        per_product, "uren_per_product", "uren-product", column_config=getallen(per_product)
    )
blok_tabel("uren")

# --- 3. work in stock and decisions within the legal term ---------------------------------------
st.header("Werkvoorraad en beslistermijnen")
frame = waarden(BLOKKEN["werkvoorraad"])
kaarten(frame, BLOKKEN["werkvoorraad"])
links, rechts = st.columns(2)
with links:
    st.altair_chart(
        charts.trend(trend("binnen_termijn_pct"), title="Besluiten binnen de termijn", y_title="%"),
        width="stretch",
    )
    onderdrukt_melding(trend("binnen_termijn_pct"))
with rechts:
    st.altair_chart(
        charts.trend(
            trend("werkvoorraad_open", totaal=False),
            title="Werkvoorraad aan het einde van de periode",
            y_title="open zaken",
            number_format=",.0f",
        ),
        width="stretch",
    )
blok_tabel("werkvoorraad")

# --- 4. compliance and violations, with the LHSO matrix -----------------------------------------
st.header("Naleving en overtredingen")
frame = waarden(BLOKKEN["naleving"])
kaarten(frame, BLOKKEN["naleving"][:3], per_rij=3)
kaarten(frame, BLOKKEN["naleving"][3:], per_rij=3)
links, rechts = st.columns(2)
with links:
    st.altair_chart(
        charts.trend(trend("naleefpercentage"), title="Naleefpercentage", y_title="%"),
        width="stretch",
    )
    onderdrukt_melding(trend("naleefpercentage"))
with rechts:
    matrix = dd.lhso_matrix(viewer, code, jaar)
    if matrix.height == 0:
        st.info(
            components.niet_gedekt(viewer, "controles", code, "jaar", str(jaar))
            or f"Geen controlegegevens voor {jaar}."
        )
    else:
        cellen = matrix.with_columns(
            pl.col("lhso_gevolgen").replace_strict(GEVOLGEN).alias("gevolgen"),
            pl.col("lhso_gedrag").replace_strict(GEDRAG).alias("gedrag"),
        )
        basis = alt.Chart(cellen).encode(
            x=alt.X(
                "lhso_gedrag:O",
                title="gedrag: 1 goedwillend · 2 onverschillig · 3 calculerend · 4 bewust",
                sort=list(GEDRAG),
                axis=alt.Axis(labelAngle=0, orient="top"),
            ),
            y=alt.Y("gevolgen:O", title="gevolgen", sort=list(GEVOLGEN.values())),
        )
        vlakken = basis.mark_rect(stroke="#ffffff").encode(
            color=alt.Color(
                "aantal_controles:Q", title="controles", scale=alt.Scale(scheme="oranges")
            ),
            tooltip=[
                alt.Tooltip("lhso_code:N", title="LHSO-cel"),
                alt.Tooltip("aantal_controles:Q", title="controles", format=",.0f"),
            ],
        )
        getallen_laag = (
            basis.mark_text(fontSize=14)
            .encode(
                text=alt.Text("label:N"),
                color=alt.value("#000000"),
            )
            .transform_calculate(
                label="datum.lhso_code + ': ' + format(datum.aantal_controles, ',.0f')"
            )
        )
        st.altair_chart(
            charts.dutch(
                alt.layer(vlakken, getallen_laag).properties(
                    title=f"LHSO-matrix {jaar}: controles naar zwaarste bevinding", height=280
                )
            ),
            width="stretch",
        )
        st.caption(
            "Elke controle met overtredingen telt één keer, in de cel van haar zwaarste "
            "bevinding (gevolgen A = ernstigst, gedrag 4 = ernstigst)."
        )
with st.expander(f"LHSO-matrix {jaar} als tabel"):
    matrix_tabel = (
        matrix.with_columns(pl.col("lhso_gevolgen").replace_strict(GEVOLGEN).alias("Gevolgen"))
        .pivot(on="lhso_gedrag", index="Gevolgen", values="aantal_controles")
        .rename({k: f"Gedrag {v}" for k, v in GEDRAG.items()}, strict=False)
        if matrix.height
        else pl.DataFrame({"Gevolgen": []}, schema={"Gevolgen": pl.String})
    )
    tabel_met_download(matrix_tabel, "lhso_matrix", "lhso", column_config=getallen(matrix_tabel))
blok_tabel("naleving")

# --- 5. complaints: per aard, per month, per location -------------------------------------------
st.header("Klachten")
frame = waarden(BLOKKEN["klachten"])
kaarten(frame, BLOKKEN["klachten"])
# one query for the chosen period and the months of its year (the month x aard table)
aard_alles = dd.klachten_per_aard(viewer, code, [periode, *ov.maanden("jaar", str(jaar))])
per_aard = aard_alles.filter(pl.col("periode") == periode)
links, rechts = st.columns(2)
with links:
    if per_aard.height:
        st.altair_chart(
            charts.bars(
                per_aard,
                x="aard",
                y="aantal",
                horizontal=True,
                title=f"Klachten per aard, {periode}",
                y_title="klachten",
            ),
            width="stretch",
        )
    else:
        st.info(
            components.niet_gedekt(viewer, "klachten", code, periode_type, periode)
            or f"Geen klachten in {periode}."
        )
with rechts:
    st.altair_chart(
        charts.trend(
            trend("klachten_aantal", totaal=False),
            title=f"Klachten per maand, {jaar}",
            y_title="klachten",
            number_format=",.0f",
        ),
        width="stretch",
    )
locaties = dd.klachten_locaties(viewer, code, begin, eind)
kaart_kolom, tabel_kolom = st.columns(2)
with kaart_kolom:
    if locaties.height:
        # equal metres on both axes (RD New is a metric grid), so the spread is not distorted
        marge = 500.0
        x_min, x_max = locaties["x"].min() - marge, locaties["x"].max() + marge
        y_min, y_max = locaties["y"].min() - marge, locaties["y"].max() + marge
        half = max(x_max - x_min, y_max - y_min) / 2
        x_mid, y_mid = (x_min + x_max) / 2, (y_min + y_max) / 2
        punten = (
            alt.Chart(locaties)
            .mark_point(filled=True, size=60, opacity=0.8)
            .encode(
                x=alt.X(
                    "x:Q",
                    title="RD x (m)",
                    scale=alt.Scale(domain=[x_mid - half, x_mid + half], nice=False),
                    axis=alt.Axis(format=",.0f"),
                ),
                y=alt.Y(
                    "y:Q",
                    title="RD y (m)",
                    scale=alt.Scale(domain=[y_mid - half, y_mid + half], nice=False),
                    axis=alt.Axis(format=",.0f"),
                ),
                color=alt.Color("aard:N", title="aard"),
                shape=alt.Shape("aard:N", title="aard"),
                tooltip=[
                    alt.Tooltip("aard:N", title="aard"),
                    alt.Tooltip("datum:T", title="datum", format="%d-%m-%Y"),
                    alt.Tooltip("gegrond:N", title="gegrond"),
                ],
            )
            .properties(
                title=f"Plaats van de overlast, {periode} (RD-coördinaten)", width=520, height=520
            )
        )
        st.altair_chart(charts.dutch(punten), width="content")
        st.caption(
            "Elk punt is een klacht op de plek van de overlast (RD New, meters); zonder "
            "achtergrondkaart. De melder blijft buiten beeld."
        )
    else:
        st.info(
            components.niet_gedekt(viewer, "klachten", code, periode_type, periode)
            or f"Geen klachten met een bekende locatie in {periode}."
        )
with tabel_kolom:
    st.markdown(f"**Klachten per aard, {periode}**")
    tabel = per_aard.select(
        pl.col("aard").alias("Aard"),
        pl.col("aantal").alias("Klachten"),
        pl.col("gegrond").alias("Gegrond"),
        pl.col("aandeel_pct").round(1).alias("Aandeel (%)"),
    )
    tabel_met_download(tabel, "klachten_per_aard", "klachten-aard", column_config=getallen(tabel))
    st.markdown(
        f"**Klachtlocaties, {periode}** ({getal(locaties.height)} klachten met een locatie)"
    )
    components.downloads(locaties, f"klachtlocaties_{code}_{periode}", key="klachten-locaties")
with st.expander(f"Klachten per maand en aard, {jaar}: tabel en download"):
    aard_maand = aard_alles.filter(pl.col("periode_type") == "maand")
    aard_tabel = (
        aard_maand.pivot(on="aard", index="periode", values="aantal")
        .fill_null(0)
        .rename({"periode": "Maand"})
        if aard_maand.height
        else pl.DataFrame({"Maand": []}, schema={"Maand": pl.String})
    )
    tabel_met_download(
        aard_tabel, "klachten_per_maand_aard", "klachten-maand", column_config=getallen(aard_tabel)
    )
blok_tabel("klachten")

# --- 6. enforcement ------------------------------------------------------------------------------
st.header("Handhaving")
frame = waarden(BLOKKEN["handhaving"])
soort, getoond = getoonde_periode("dwangsom_invordering_pct")
hh_begin, hh_eind = ov.grenzen(soort, getoond)
instrumenten = dd.handhaving_instrumenten(viewer, code, hh_begin, hh_eind)
kolommen = st.columns(4)
for kolom, kpi_id in zip(kolommen, BLOKKEN["handhaving"], strict=False):
    with kolom:
        kaart(frame, kpi_id)
verbeurd = instrumenten["verbeurd"].sum() if instrumenten.height else 0
ingevorderd = instrumenten["ingevorderd"].sum() if instrumenten.height else 0
# outside what the enforcement exports cover the amounts are unknown, not € 0
hh_niet_gedekt = components.niet_gedekt(viewer, "handhaving", code, soort, getoond)
with kolommen[2]:
    st.metric(
        "Verbeurde dwangsommen",
        "–" if hh_niet_gedekt else f"€ {getal(verbeurd)}",
        border=True,
    )
    st.caption(f"{getoond}: verbeurd verklaarde bedragen van besluiten in de periode")
with kolommen[3]:
    st.metric("Ingevorderd", "–" if hh_niet_gedekt else f"€ {getal(ingevorderd)}", border=True)
    st.caption(f"{getoond}: daarvan daadwerkelijk ingevorderd")
links, rechts = st.columns([2, 3])
instrument_tabel = instrumenten.select(
    pl.col("instrument")
    .replace_strict(
        INSTRUMENTEN, default=pl.col("instrument").str.replace_all("_", " ").str.to_titlecase()
    )
    .alias("Instrument"),
    pl.col("besluiten").alias("Besluiten"),
    pl.col("dwangsom_opgelegd").alias("Dwangsom opgelegd (EUR)"),
    pl.col("verbeurd").alias("Verbeurd (EUR)"),
    pl.col("ingevorderd").alias("Ingevorderd (EUR)"),
)
with links:
    if instrument_tabel.height:
        st.altair_chart(
            charts.bars(
                instrument_tabel,
                x="Instrument",
                y="Besluiten",
                horizontal=True,
                title=f"Handhavingsbesluiten per instrument, {getoond}",
                y_title="besluiten",
            ),
            width="stretch",
        )
    else:
        st.info(hh_niet_gedekt or f"Geen handhavingsbesluiten in {getoond}.")
with rechts:
    st.markdown(f"**Instrumenten, {datum(hh_begin)} t/m {datum(hh_eind)}**")
    tabel_met_download(
        instrument_tabel,
        "handhaving_instrumenten",
        "handhaving",
        column_config=getallen(instrument_tabel),
    )
blok_tabel("handhaving")
