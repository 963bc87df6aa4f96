"""The Deelnemer page's parts, for the monthly accountoverleg (docs/dashboard.md, "Deelnemer"):
the selection (deelnemer, one type of period and one period that hold for every block), the
summary of the headline KPIs on the first screen, and one block per subject (products and the
uitvoeringsprogramma, hours against the budget, work in stock and legal terms, compliance with
the LHSO matrix, complaints, enforcement), one at a time (a row of buttons) and re-run on its
own (a fragment), so switching a block or opening the rows behind a KPI does not re-run the
page.

Only this deelnemer's data, plus TOTAAL (the whole organisation) for comparison; the data layer
checks every code against the viewer's scope and withholds a TOTAAL that would disclose other
deelnemers (docs/vergelijking-totaal.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import polars as pl
import streamlit as st

from dashboard import charts, components, data, fouten, perioden, rapport
from dashboard.data import TOTAAL
from dashboard.data import abonnementen as ab
from dashboard.data import deelnemer as dd
from dashboard.data import overzicht as ov
from dashboard.format import datum, getal, met_eenheid
from dashboard.viewer import Viewer

OPEN_KEY = "open_deelnemer"  # set by the Overzicht page
KEUZE_KEY = "deelnemer_keuze"
TYPE_KEY = "deelnemer_periode_type"
BLOK_KEY = "deelnemer_blok"

# The KPI lists of the summary and the blocks are shared with the report (data/deelnemer.py).
SAMENVATTING, BLOKKEN, ALLE_KPIS = dd.SAMENVATTING, dd.BLOKKEN, dd.ALLE_KPIS


@dataclass(frozen=True)
class Keuze:
    """What the page shows: one deelnemer, one type of period and one period."""

    viewer: Viewer
    code: str
    periode_type: str
    periode: str

    @property
    def naam(self) -> str:
        return data.names().get(self.code, self.code)

    @property
    def grenzen(self) -> tuple[dt.date, dt.date]:
        return perioden.grenzen(self.periode_type, self.periode)

    @property
    def jaar(self) -> int:
        return int(self.periode[:4])


def keuze(viewer: Viewer) -> Keuze | None:
    """The selection row: deelnemer (within the viewer's scope; none to pick for one), type of
    period (Kwartaal by default: every block has quarterly figures) and period (the newest
    complete one by default). A link (?deelnemer=&soort=&periode=) reopens a view, within scope
    only (docs/toegang.md, "Links"). None when there are no figures for the type of period."""
    namen = data.names()
    opties = data.allowed(viewer, totaal=False)
    gevraagd = st.session_state.pop(OPEN_KEY, None)
    if gevraagd in opties:
        st.session_state[KEUZE_KEY] = gevraagd
    link = components.link_keuze(("deelnemer", "soort", "periode"))
    if "deelnemer" in link:
        if link["deelnemer"] in opties:
            st.session_state[KEUZE_KEY] = link["deelnemer"]
        else:
            components.link_geweigerd(link["deelnemer"])
    components.link_kiezen(link, "soort", perioden.PERIODE_TYPES, TYPE_KEY)
    if st.session_state.get(KEUZE_KEY) not in opties:
        st.session_state.pop(KEUZE_KEY, None)
    titel = st.empty()
    kop = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    if len(opties) == 1:
        code = opties[0]
    else:
        code = kop[0].selectbox(
            "Deelnemer", opties, format_func=lambda c: namen.get(c, c), key=KEUZE_KEY
        )
    periode_type = kop[1].segmented_control(
        "Soort periode",
        list(perioden.PERIODE_TYPES),
        default="kwartaal",
        required=True,
        format_func=perioden.TYPE_LABELS.get,
        key=TYPE_KEY,
    )
    titel.title(f"Deelnemer {namen.get(code, code)}")
    lijst = data.perioden(periode_type)
    if not lijst:
        st.info("Er zijn nog geen kengetallen voor deze soort periode.")
        return None
    periode_key = f"deelnemer_periode_{periode_type}"
    components.link_kiezen(link, "periode", lijst, periode_key)
    standaard = ov.standaard_periode(periode_type, ALLE_KPIS)
    periode = kop[2].selectbox(
        "Periode",
        lijst,
        index=lijst.index(standaard) if standaard in lijst else 0,
        key=periode_key,
    )
    components.detail(code)
    components.bekeken([code], periode_type=periode_type, periode=periode)
    components.link_schrijven(deelnemer=code, soort=periode_type, periode=periode)
    gekozen = Keuze(viewer, code, periode_type, periode)
    with kop[3]:
        rapport_knop(gekozen)
    return gekozen


def toelichting(k: Keuze) -> None:
    begin, einde = k.grenzen
    st.caption(
        f"Periode {k.periode}: {datum(begin)} t/m {datum(einde)} · verschil ten opzichte van "
        f"{perioden.vorige_periode(k.periode_type, k.periode)} · 'Alle deelnemers' is de hele "
        "organisatie, ter vergelijking."
    )


@fouten.bewaakt
def rapport_knop(k: Keuze) -> None:
    """The account-meeting report of this deelnemer and period as PDF (the same file as
    `vthmonitor rapport`), made on the click (docs/rapport.md). In the selection row, so the
    summary stays on the first screen."""
    naam = rapport.bestandsnaam(k.naam, k.periode)
    st.download_button(
        "Rapport (PDF)",
        components.gelogd(pl.DataFrame(), naam, partial(_rapport_pdf, k), deelnemers=[k.code]),
        file_name=naam,
        mime="application/pdf",
        key="rapport-pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help=f"Het accountrapport van {k.naam} over {k.periode}: samenvatting, onderwerpen en "
        "definities, A4",
        width="stretch",
    )


def _rapport_pdf(k: Keuze) -> bytes:
    """The PDF, made on the click, outside the page's run: a failure is logged with a code
    and the browser gets the Dutch notice instead of the exception's own words."""
    try:
        return rapport.maak(k.viewer, k.code, k.periode).pdf
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user
        raise RuntimeError(fouten.melding(exc)) from None


@fouten.bewaakt
def abonnementen(k: Keuze) -> None:
    """The viewer's own subscriptions to this deelnemer's report and alerts, at the foot of
    the page (docs/rapport.md, "Abonnementen")."""
    with st.expander(f"Rapport en signalen van {k.naam} per e-mail"):
        if not ab.kan_abonneren(k.viewer):
            st.caption(
                "Het rapport en de signalen gaan naar het e-mailadres waarmee u inlogt; dat "
                "kan niet als demogebruiker of zonder plaats in de gebruikerslijst."
            )
            return
        eigen = {(a.soort, a.deelnemer_code): a for a in ab.eigen(k.viewer)}
        for soort, label in (
            (
                "rapport",
                f"Elke maand het rapport van {k.naam} over het nieuwste volledige {k.periode_type}",
            ),
            ("signalen", f"Een signaal als een kengetal van {k.naam} rood of oranje wordt"),
        ):
            # the toggle shows what the database says on every run (the beheerder may have
            # changed it), one key per deelnemer; only a click (on_change) changes anything
            key = f"abonnement-{soort}-{k.code}"
            st.session_state[key] = (soort, k.code) in eigen
            st.toggle(label, key=key, on_change=_abonnement_wisselen, args=(k, soort, key, eigen))
        if ("signalen", None) in eigen:
            st.caption(
                "U krijgt ook signalen voor alle deelnemers die u mag zien; dat abonnement "
                "beëindigt de beheerder."
            )


def _abonnement_wisselen(k: Keuze, soort: str, key: str, eigen: dict) -> None:
    if st.session_state[key]:
        ab.aanmelden(k.viewer, soort, k.code, periode_type=k.periode_type)
        st.toast("Aangemeld.")
    elif (soort, k.code) in eigen:
        ab.afmelden(k.viewer, eigen[(soort, k.code)].id)
        st.toast("Afgemeld.")


def _waarden(k: Keuze) -> pl.DataFrame:
    """Every KPI of the page for the chosen period, for the deelnemer and TOTAAL, with the
    changes (one query, memoised for the run)."""
    return ov.vergelijking(k.viewer, ALLE_KPIS, k.periode_type, k.periode, [k.code, TOTAAL])


def _rij(frame: pl.DataFrame, kpi_id: str, code: str) -> dict | None:
    found = frame.filter((pl.col("kpi_id") == kpi_id) & (pl.col("deelnemer_code") == code))
    return found.row(0, named=True) if found.height else None


def kaarten(k: Keuze, kpi_ids: tuple[str, ...], per_rij: int = 3, key: str = "") -> None:
    """A row of KPI cards (components.kpi_kaart), with the rows behind each KPI that has them."""
    frame = _waarden(k)
    catalogus = data.kpi_info()
    soorten = data.periode_soorten()
    ongedekt = set(ov.ongedekt(kpi_ids, k.periode_type, k.periode))
    for start in range(0, len(kpi_ids), per_rij):
        kolommen = st.columns(per_rij)
        for kolom, kpi_id in zip(kolommen, kpi_ids[start : start + per_rij], strict=False):
            info = catalogus.get(kpi_id, {"naam": kpi_id, "eenheid": "", "kpi_id": kpi_id})
            drill = None
            if kpi_id in dd.ONDERBOUWING:

                def drill(kpi_id=kpi_id):
                    components.onderbouwing(k.viewer, k.code, kpi_id, k.periode_type, k.periode)

            with kolom:
                components.kpi_kaart(
                    info,
                    _rij(frame, kpi_id, k.code),
                    _rij(frame, kpi_id, TOTAAL),
                    k.periode_type,
                    k.periode,
                    soorten.get(kpi_id),
                    drill,
                    key=f"{key}{kpi_id}",
                    ongedekt=kpi_id in ongedekt,
                )


@st.fragment
@fouten.bewaakt
def samenvatting(k: Keuze) -> None:
    """The headline KPIs on the first screen (a fragment: opening the rows behind a KPI re-runs
    only this)."""
    st.header(f"Samenvatting {k.periode}")
    kaarten(k, SAMENVATTING, per_rij=3, key="samenvatting-")


def _trend(k: Keuze, kpi_id: str, totaal: bool = True, aantal: int = 12) -> pl.DataFrame:
    """The last `aantal` periods of the chosen type up to the chosen period, named."""
    frame = dd.reeksen(k.viewer, k.code, [(kpi_id, k.periode_type, k.periode, aantal)])
    if not totaal:
        frame = frame.filter(pl.col("deelnemer_code") != TOTAAL)
    return dd.met_deelnemer_naam(frame, data.names())


def _grafiek(chart, frame: pl.DataFrame, onderwerp: str, k: Keuze, key: str) -> None:
    """components.grafiek, with downloads named for this deelnemer and period."""
    components.grafiek(chart, frame, onderwerp, key, code=k.code, periode=k.periode)


def _trend_tabel(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("deelnemer").alias("Deelnemer"),
        pl.col("periode").alias("Periode"),
        pl.col("waarde").alias("Waarde"),
        pl.col("norm").alias("Norm"),
        pl.col("dekking").alias("Dekking"),
    )


def _onderdrukt(reeks: pl.DataFrame) -> None:
    """Under a trend with TOTAAL: the periods whose TOTAAL is withheld from this viewer."""
    lijst = reeks.filter(pl.col("onderdrukt"))["periode"].to_list()
    if lijst:
        st.caption(f"Alle deelnemers in {', '.join(lijst)}: {data.ONDERDRUKT}.")


def _trend_blok(k: Keuze, kpi_id: str, titel: str, y_title: str, totaal: bool = True) -> None:
    reeks = _trend(k, kpi_id, totaal=totaal)
    fmt = ",.0f" if y_title != "%" else ",.1f"
    _grafiek(
        partial(charts.trend, reeks, title=titel, y_title=y_title, number_format=fmt),
        _trend_tabel(reeks),
        kpi_id,
        k,
        key=f"trend-{kpi_id}",
    )
    _onderdrukt(reeks)


def blok_producten(k: Keuze) -> None:
    links, rechts = st.columns([2, 3])
    with links:
        _trend_blok(k, "producten_gerealiseerd", "Gerealiseerde producten", "aantal", totaal=False)
    with rechts:
        _, einde = k.grenzen
        st.markdown(f"**Per product, 1 januari t/m {datum(einde)}**")
        producten = dd.producten_per_product(k.viewer, k.code, k.jaar, einde).rename(
            {
                "product": "Product",
                "gepland": "Gepland (programma)",
                "gerealiseerd": "Gerealiseerd",
                "realisatie_pct": "Realisatie (%)",
                "geplande_uren": "Geplande uren",
            }
        )
        components.tabel_met_download(
            producten, "producten_per_product", key="producten", code=k.code, periode=k.periode
        )


def blok_uren(k: Keuze) -> None:
    verloop = dd.uren_verloop(k.viewer, k.code, k.jaar)
    links, rechts = st.columns([3, 2])
    with links:
        _grafiek(
            partial(charts.uren_verloop, dd.uren_verloop_lang(verloop), k.jaar),
            dd.uren_verloop_tabel(verloop),
            "uren_per_maand",
            k,
            key="uren-maand",
        )
        st.caption("Stippellijn: de begrote uren voor het hele jaar.")
    with rechts:
        frame = _waarden(k)
        jaarbegroting = verloop["jaarbegroting"][0] if verloop.height else None
        prognose = (_rij(frame, "uren_prognose_jaareinde", k.code) or {}).get("waarde")
        st.metric(f"Begrote uren {k.jaar}", met_eenheid(jaarbegroting, "uren"), border=True)
        if prognose is not None and jaarbegroting:
            verschil = prognose - jaarbegroting
            teken = "+" if verschil > 0 else ""
            st.metric(
                f"Verwacht verschil op 31-12-{k.jaar}",
                f"{teken}{getal(verschil)} uur",
                f"{teken}{getal(100 * verschil / jaarbegroting, 1)}% van de begroting",
                delta_color="off",
                border=True,
            )
            st.caption(
                f"Prognose na {k.periode}: {met_eenheid(prognose, 'uren')}. De prognose volgt "
                "het seizoenspatroon van vorig jaar (zie de definitie)."
            )
    with st.expander(f"Uren per product in {k.jaar}"):
        per_product = dd.uren_per_product(k.viewer, k.code, k.jaar).rename(
            {
                "product": "Product",
                "taakpakket": "Taakpakket",
                "geplande_uren": "Geplande uren (programma)",
                "uren": "Geschreven uren",
            }
        )
        components.tabel_met_download(
            per_product, "uren_per_product", key="uren-product", code=k.code, periode=str(k.jaar)
        )


def blok_werkvoorraad(k: Keuze) -> None:
    links, rechts = st.columns(2)
    with links:
        _trend_blok(k, "binnen_termijn_pct", "Besluiten binnen de termijn", "%")
    with rechts:
        _trend_blok(
            k,
            "werkvoorraad_open",
            "Werkvoorraad aan het einde van de periode",
            "open zaken",
            totaal=False,
        )


def blok_naleving(k: Keuze) -> None:
    links, rechts = st.columns(2)
    with links:
        if k.periode_type == "maand":
            st.info(
                "Het naleefpercentage wordt per kwartaal en per jaar berekend; kies bovenaan "
                "Kwartaal of Jaar voor het verloop."
            )
        else:
            _trend_blok(k, "naleefpercentage", "Naleefpercentage", "%")
    with rechts:
        begin, einde = k.grenzen
        cellen = dd.lhso_cellen(k.viewer, k.code, begin, einde)
        if cellen["aantal_controles"].sum() == 0:
            st.info(
                components.niet_gedekt(k.viewer, "controles", k.code, k.periode_type, k.periode)
                or f"Geen controles met een overtreding in {k.periode}."
            )
        else:
            _grafiek(
                partial(charts.lhso_matrix, cellen, f"LHSO-matrix {k.periode}: zwaarste bevinding"),
                dd.lhso_tabel(cellen),
                "lhso_matrix",
                k,
                key="lhso",
            )
            st.caption(
                "Elke controle met overtredingen telt één keer, in de cel van haar zwaarste "
                "bevinding (gevolgen A = ernstigst, gedrag 4 = ernstigst)."
            )


def blok_klachten(k: Keuze) -> None:
    links, rechts = st.columns(2)
    per_aard = dd.klachten_per_aard(k.viewer, k.code, [k.periode])
    with links:
        if per_aard.height:
            tabel = dd.klachten_aard_tabel(per_aard)
            _grafiek(
                partial(
                    charts.bars,
                    tabel,
                    x="Aard",
                    y="Klachten",
                    horizontal=True,
                    title=f"Klachten per aard, {k.periode}",
                    y_title="klachten",
                ),
                tabel,
                "klachten_per_aard",
                k,
                key="klachten-aard",
            )
        else:
            st.info(
                components.niet_gedekt(k.viewer, "klachten", k.code, k.periode_type, k.periode)
                or f"Geen klachten in {k.periode}."
            )
    with rechts:
        begin, einde = k.grenzen
        raster = dd.klachten_raster(k.viewer, k.code, begin, einde)
        if raster.height:
            components.klachten_kaart(
                raster, f"Waar de overlast was, {k.periode}", code=k.code, periode=k.periode
            )
        else:
            st.info(f"Geen klachten met een bekende plek in {k.periode}.")


def blok_handhaving(k: Keuze) -> None:
    begin, einde = k.grenzen
    instrumenten = dd.handhaving_instrumenten(k.viewer, k.code, begin, einde)
    niet_gedekt = components.niet_gedekt(k.viewer, "handhaving", k.code, k.periode_type, k.periode)
    tabel = dd.handhaving_tabel(instrumenten)
    links, rechts = st.columns(2)
    # outside what the enforcement exports cover the amounts are unknown, not € 0
    with links:
        st.metric(
            "Verbeurde dwangsommen",
            "–" if niet_gedekt else met_eenheid(tabel["Verbeurd (€)"].sum() or 0, "EUR"),
            border=True,
        )
    with rechts:
        st.metric(
            "Daarvan ingevorderd",
            "–" if niet_gedekt else met_eenheid(tabel["Ingevorderd (€)"].sum() or 0, "EUR"),
            border=True,
        )
    if tabel.height:
        _grafiek(
            partial(
                charts.bars,
                tabel,
                x="Instrument",
                y="Besluiten",
                horizontal=True,
                title=f"Handhavingsbesluiten per instrument, {k.periode}",
                y_title="besluiten",
            ),
            tabel,
            "handhaving_instrumenten",
            k,
            key="handhaving",
        )
    else:
        st.info(niet_gedekt or f"Geen handhavingsbesluiten in {k.periode}.")


SLUG = {
    "Producten en programma": "producten",
    "Uren en begroting": "uren",
    "Werkvoorraad en termijnen": "werkvoorraad",
    "Naleving": "naleving",
    "Klachten": "klachten",
    "Handhaving": "handhaving",
}
TEKENAARS = {
    "Producten en programma": blok_producten,
    "Uren en begroting": blok_uren,
    "Werkvoorraad en termijnen": blok_werkvoorraad,
    "Naleving": blok_naleving,
    "Klachten": blok_klachten,
    "Handhaving": blok_handhaving,
}


@st.fragment
@fouten.bewaakt
def blokken(k: Keuze) -> None:
    """One subject at a time, chosen in a row of buttons; only the chosen block is drawn, and
    choosing another re-runs this fragment only (st.tabs with state re-run the whole page).
    Each block: its KPI cards for the chosen period, its charts (each with a table), its
    definitions and its cards as a table."""
    titel = st.segmented_control(
        "Onderdeel",
        list(BLOKKEN),
        default=next(iter(BLOKKEN)),
        required=True,
        key=BLOK_KEY,
        label_visibility="collapsed",
    )
    st.header(titel)
    kpi_ids = BLOKKEN[titel]
    kaarten(k, kpi_ids, per_rij=3, key=f"{titel}-")
    TEKENAARS[titel](k)
    components.definities(kpi_ids)
    kpi_tabel(k, titel, kpi_ids)


def kpi_tabel(k: Keuze, titel: str, kpi_ids: tuple[str, ...]) -> None:
    """The block's cards as one table (this deelnemer and all deelnemers), with downloads."""
    slug = SLUG[titel]
    frame = _waarden(k).filter(pl.col("kpi_id").is_in(kpi_ids))
    tabel = dd.kpi_tabel(
        frame,
        {kpi_id: info["naam"] for kpi_id, info in data.kpi_info().items()},
        data.names(),
        components.status_labels(),
        data.ONDERDRUKT,
    )
    with st.expander("Kengetallen als tabel"):
        components.tabel_met_download(
            tabel, f"kengetallen_{slug}", key=f"{slug}-kpi", code=k.code, periode=k.periode
        )
