"""Overzicht (MT): all deelnemers side by side for one period: the headline KPIs with their
status, the change against the previous period and against the same period last year, and
TOTAAL. The table sorts by any column; selecting a row opens that deelnemer's page (the code is
handed over in session_state, never in the URL)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, data, perioden
from dashboard.data import TOTAAL
from dashboard.data import overzicht as ov
from dashboard.data import robuustheid as rob
from dashboard.format import decimalen, met_eenheid

DEELNEMER_PAGE = "app_pages/deelnemer.py"
OPEN_KEY = "open_deelnemer"  # read (and removed) by the Deelnemer page
# status as colour + symbol + text (components.status_labels), never colour alone
STATUS_KLEUR = {"groen": "🟢", "oranje": "🟠", "rood": "🔴", "geen_norm": "⚪"}
TYPE_LABELS = {"jaar": "Jaar", "kwartaal": "Kwartaal", "maand": "Maand"}


def status_tekst() -> dict[str, str]:
    return {s: f"{STATUS_KLEUR[s]} {label}" for s, label in components.status_labels().items()}


# In the table a status is a symbol and one word (the column is narrow); the caption and each
# header's help give the full wording with the margin (components.status_labels).
STATUS_KORT = {
    s: f"{STATUS_KLEUR[s]} {tekst}"
    for s, tekst in {"groen": "✔ ja", "oranje": "▲ bijna", "rood": "✖ nee"}.items()
} | {"geen_norm": ""}
SYMBOOL = {"oranje": "▲", "rood": "✖"}


def open_deelnemer(code: str) -> None:
    st.session_state[OPEN_KEY] = code
    st.switch_page(DEELNEMER_PAGE)


viewer = components.viewer()
st.title("Overzicht")
st.caption(
    "Alle deelnemers naast elkaar voor één periode: de belangrijkste kengetallen, hun status "
    "ten opzichte van de norm en wat er veranderde. Klik op een kolomkop om te sorteren; kies "
    "een rij om naar de pagina van die deelnemer te gaan."
)

catalogus = {row["kpi_id"]: row for row in data.catalogus().iter_rows(named=True)}

# A link (soort, periode in the URL) reopens this view (docs/toegang.md, "Links").
link = components.link_keuze(("soort", "periode"))
if link.get("soort") in perioden.PERIODE_TYPES:
    st.session_state["overzicht_periode_type"] = link["soort"]
links, rechts = st.columns([1, 1])
periode_type = links.radio(
    "Soort periode",
    list(perioden.PERIODE_TYPES),
    index=1,
    format_func=TYPE_LABELS.get,
    horizontal=True,
    key="overzicht_periode_type",
)
lijst = data.perioden(periode_type)
if not lijst:
    st.info("Er zijn nog geen kengetallen voor deze soort periode.")
    st.stop()
standaard = ov.standaard_periode(periode_type, ov.HEADLINE)
if link.get("periode") in lijst:
    st.session_state[f"overzicht_periode_{periode_type}"] = link["periode"]
periode = rechts.selectbox(
    "Periode",
    lijst,
    index=lijst.index(standaard) if standaard in lijst else 0,
    key=f"overzicht_periode_{periode_type}",
)
components.bekeken(periode_type=periode_type, periode=periode)
components.link_schrijven(soort=periode_type, periode=periode)
vorige = perioden.vorige_periode(periode_type, periode)
vorig_jaar = perioden.zelfde_periode_vorig_jaar(periode_type, periode)
# for years the previous period is the same period last year: show that comparison once
toon_vorig_jaar_apart = periode_type != "jaar"

opties = st.columns([1, 1])
toon_vorige = opties[0].checkbox(
    f"Toon verschil met de vorige periode ({vorige})", value=False, key="overzicht_toon_vorige"
)
toon_vorig_jaar = toon_vorig_jaar_apart and opties[1].checkbox(
    f"Toon verschil met dezelfde periode vorig jaar ({vorig_jaar})",
    value=False,
    key="overzicht_toon_vorig_jaar",
)

breed = ov.overzicht(viewer, periode_type, periode)
STATUS_UITLEG = " · ".join(components.status_labels()[k] for k in ("groen", "oranje", "rood"))
# A status column only for KPIs that have a norm in this period: a column saying "geen norm"
# in every row tells the MT nothing; the caption names the KPIs without a norm instead.
met_norm = [
    k for k in ov.HEADLINE if breed[f"{k}__status"].is_in(["groen", "oranje", "rood"]).any()
]

# Coverage: which headline KPIs this period is incomplete or uncovered for, and until when
# (docs/kpis.md, "Dekking"); their value columns say so in the header too.
onvolledig: dict[str, str] = {}
for kpi_id in ov.HEADLINE:
    regels = breed.filter(pl.col(f"{kpi_id}__dekking") == "onvolledig")
    if regels.height:
        eerste = regels.sort(f"{kpi_id}__gedekt_tot").row(0, named=True)
        onvolledig[kpi_id] = components.dekking_tekst(
            {k.split("__")[-1]: v for k, v in eerste.items() if k.startswith(f"{kpi_id}__")},
            periode_type,
            periode,
        )
ongedekt = ov.ongedekt(ov.HEADLINE, periode_type, periode)

# The shown table: readable, unique column names (also the download's headers); values rounded
# as displayed, sortable as numbers; status as symbol text.
kolommen = [pl.col("deelnemer").alias("Deelnemer"), pl.col("deelnemer_code").alias("Code")]
column_config: dict = {
    "Deelnemer": st.column_config.TextColumn("Deelnemer", pinned=True, width=130),
    "Code": st.column_config.TextColumn("Code", width="small"),
}
volgorde = ["Deelnemer"]
for kpi_id in ov.HEADLINE:
    info = catalogus.get(kpi_id, {"naam": kpi_id, "eenheid": "", "definitie": ""})
    aantal = decimalen(info["eenheid"])
    naam = info["naam"]
    kort = ov.KORT.get(kpi_id, naam)
    eenheid = " (%)" if info["eenheid"] == "procent" else ""
    waarde_kolom = f"{naam}{eenheid}" + (
        f" {components.ONVOLLEDIG}" if kpi_id in onvolledig else ""
    )
    status_kolom = f"{naam}: status"
    vorige_kolom = f"{naam}: verschil t.o.v. {vorige}"
    jaar_kolom = f"{naam}: verschil t.o.v. {vorig_jaar}"
    kolommen += [
        pl.col(kpi_id).round(aantal).alias(waarde_kolom),
        pl.col(f"{kpi_id}__status").replace_strict(STATUS_KORT, default="").alias(status_kolom),
        pl.col(f"{kpi_id}__vorige").round(aantal).alias(vorige_kolom),
    ]
    if toon_vorig_jaar_apart:
        kolommen.append(pl.col(f"{kpi_id}__vorig_jaar").round(aantal).alias(jaar_kolom))
    # a short header that fits (the unit and the full name are in the help and the caption)
    column_config[waarde_kolom] = st.column_config.NumberColumn(
        kort + (f" {components.ONVOLLEDIG}" if kpi_id in onvolledig else ""),
        help=f"{naam} ({info['eenheid']}): {info['definitie']}",
        format="localized",
        width=80,
    )
    column_config[status_kolom] = st.column_config.TextColumn(
        "norm",
        help=f"{naam} ten opzichte van de norm of signaalwaarde: {STATUS_UITLEG}",
        width=64,
    )
    column_config[vorige_kolom] = st.column_config.NumberColumn(
        f"Δ {kort}", help=f"{naam}: verschil met {vorige}", format="localized", width="small"
    )
    if toon_vorig_jaar_apart:
        column_config[jaar_kolom] = st.column_config.NumberColumn(
            f"Δ {kort} ({vorig_jaar})",
            help=f"{naam}: verschil met {vorig_jaar}",
            format="localized",
            width="small",
        )
    volgorde.append(waarde_kolom)
    if kpi_id in met_norm:
        volgorde.append(status_kolom)
    if toon_vorige:
        volgorde.append(vorige_kolom)
    if toon_vorig_jaar:
        volgorde.append(jaar_kolom)
tabel = breed.select(kolommen)

# --- who is off track: above the table, in words (docs/kpis.md, "Overzicht") ---------------------
st.subheader(f"Wat loopt achter in {periode}?")
# one line per KPI (not per deelnemer), so the answer fits one screen with 15 deelnemers:
# the deelnemers that miss it, worst first, with their value; the norm once
deelnemers = breed.filter(pl.col("deelnemer_code") != TOTAAL)
regels, achter = [], set()
for kpi_id in ov.HEADLINE:
    buiten = deelnemers.filter(pl.col(f"{kpi_id}__status").is_in(["oranje", "rood"]))
    if buiten.height == 0:
        continue
    eenheid = catalogus.get(kpi_id, {}).get("eenheid", "")
    eerste = buiten.row(0, named=True)
    norm = components.norm_tekst(eerste[f"{kpi_id}__operator"], eerste[f"{kpi_id}__norm"], eenheid)
    buiten = buiten.sort(
        [pl.col(f"{kpi_id}__status") != "rood", pl.col(kpi_id)],
        descending=[False, eerste[f"{kpi_id}__operator"] == "<="],
    )
    namen_waarden = ", ".join(
        f"{SYMBOOL[r[f'{kpi_id}__status']]} {r['deelnemer']} {met_eenheid(r[kpi_id], eenheid)}"
        for r in buiten.iter_rows(named=True)
    )
    onvolledig_tekst = f" ({onvolledig[kpi_id]})" if kpi_id in onvolledig else ""
    regels.append(
        f"- **{ov.KORT.get(kpi_id, kpi_id)}** (norm {norm}){onvolledig_tekst}: {namen_waarden}"
    )
    achter |= set(buiten["deelnemer_code"].to_list())
if ongedekt:  # so "3 of 15" is not read as "the other 12 are on track"
    regels.append(
        "- geen gegevens voor deze periode: "
        + ", ".join(ov.KORT.get(k, k) for k in ongedekt)
        + " (de geladen exports dekken haar niet)"
    )
if achter:
    st.markdown(
        f"**{len(achter)} van {deelnemers.height} deelnemers** hebben een kengetal buiten de "
        "norm of signaalwaarde (✖ niet gehaald, ▲ bijna):\n" + "\n".join(regels)
    )
elif regels:
    st.markdown("\n".join(regels))
else:
    st.markdown(
        f"Alle {deelnemers.height} deelnemers halen de normen en signaalwaarden van deze periode."
    )
stand = rob.stand(viewer)
if stand.height:
    st.markdown("**Robuustheid** (hele organisatie): " + components.robuustheid_samenvatting(stand))
voorbeelden = ov.voorbeeldnormen(ov.HEADLINE, periode_type, periode)
if voorbeelden:
    st.caption(
        "Signaalwaarde als voorbeeld, nog niet vastgesteld: "
        + "; ".join(f"{ov.KORT.get(k, k)} ({bron})" for k, bron in voorbeelden.items())
        + ". De beheerder zet ze in de referentiedata normen."
    )

st.subheader(f"Kengetallen per deelnemer, {periode}")
if onvolledig or ongedekt:
    st.warning(
        f"{periode} is niet volledig gedekt door de geladen exports; verschillen met een "
        "onvolledige periode worden niet getoond.\n\n"
        + "\n".join(f"- {catalogus.get(k, {}).get('naam', k)}: {t}" for k, t in onvolledig.items())
        + "".join(
            f"\n- {catalogus.get(k, {}).get('naam', k)}: geen gegevens voor deze periode"
            for k in ongedekt
        ),
        icon=":material/hourglass_bottom:",
    )
event = st.dataframe(
    tabel,
    hide_index=True,
    column_config=column_config,
    column_order=volgorde,
    key="overzicht_tabel",
    placeholder="–",
    height=35 * (tabel.height + 1) + 3,
    on_select="rerun",
    selection_mode="single-row",
)
zonder_norm = [catalogus[k]["naam"] for k in ov.HEADLINE if k not in met_norm and k in catalogus]
st.caption(
    "Status: "
    + " · ".join(status_tekst().values())
    + " · leeg = geen waarde."
    + (
        f" Zonder norm in de referentiedata (dus zonder status): {', '.join(zonder_norm)}."
        if zonder_norm
        else ""
    )
    + " Kolommen: "
    + "; ".join(
        f"{ov.KORT[k]} = {catalogus[k]['naam']} ({catalogus[k]['eenheid']})"
        for k in ov.HEADLINE
        if k in catalogus
    )
    + "; 'norm' = de status van het kengetal links ervan."
    + " Δ = verschil in de eenheid van het kengetal (bij percentages in procentpunten). "
    "Naleving wordt niet per maand berekend. De laatste rij is TOTAAL: alle deelnemers samen "
    "(som van tellers en noemers, geen gemiddelde)."
)
# the download holds the columns shown (plus the CBS code), not the hidden ones
components.downloads(
    tabel.select(["Code", *[c for c in volgorde if c != "Code"]]),
    "overzicht",
    key="overzicht",
    periode=periode,
)

gekozen = event.selection.rows if event is not None else []
if gekozen:
    code = tabel["Code"][gekozen[0]]
    if code == TOTAAL:
        st.info("TOTAAL is de hele organisatie; kies een deelnemer voor een deelnemerpagina.")
    else:
        open_deelnemer(code)

st.subheader("Robuustheid: de stand nu")
st.caption(
    "De hele organisatie: de nieuwste waarde van elk robuustheidscriterium, beoordeeld tegen de "
    "norm die nu geldt (referentiedata normen), met de deadline. Details op de pagina Robuustheid."
)
components.stand_robuustheid(stand, key="overzicht-robuustheid", samenvatting=False)

st.subheader("Naar een deelnemer")
codes = [c for c in tabel["Code"].to_list() if c != TOTAAL]
namen = data.names()
keuze_kolom, knop_kolom = st.columns([2, 1], vertical_alignment="bottom")
keuze = keuze_kolom.selectbox(
    "Deelnemer", codes, format_func=lambda c: namen.get(c, c), key="overzicht_naar"
)
if knop_kolom.button("Open de deelnemerpagina", key="overzicht_open") and keuze:
    open_deelnemer(keuze)

st.subheader("Definities")
definitie_kolommen = st.columns(2)
for index, kpi_id in enumerate(ov.HEADLINE):
    with definitie_kolommen[index % 2]:
        components.definities([kpi_id])
