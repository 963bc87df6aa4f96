"""Building blocks every page uses: the viewer, freshness, definitions, downloads."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

import polars as pl
import streamlit as st

from dashboard import charts, data, fouten, inlog, perioden
from dashboard.data import deelnemer as dd
from dashboard.data import robuustheid as rob
from dashboard.data import toegang, trends
from dashboard.format import (
    datum,
    eenheid_tekst,
    getal,
    met_eenheid,
    norm_tekst,
    verschil,
)
from dashboard.labels import ONVOLLEDIG
from dashboard.viewer import Viewer
from vthmonitor import export


def freshness() -> None:
    """How current the numbers are, on every page: build time and the newest event per source."""
    build = data.build()
    # how far the exports reach (their stand, docs/kpis.md "Dekking"), not the newest event
    versheid = data.versheid().filter(pl.col("gedekt_tot").is_not_null()).sort("gedekt_tot")
    text = f"Gegevens bijgewerkt op {datum(build['gebouwd_op'], with_time=True)}"
    if versheid.height:
        newest, oldest = versheid.row(-1, named=True), versheid.row(0, named=True)
        text += f" · exports t/m {datum(newest['gedekt_tot'])} ({newest['titel']})"
        if oldest["gedekt_tot"] != newest["gedekt_tot"]:
            text += f"; minst ver: {oldest['titel']} (t/m {datum(oldest['gedekt_tot'])})"
    st.caption(text)


def start() -> Viewer:
    """Run by app.py before any page: who is looking (login or demo user, dashboard/inlog.py),
    freshness, and the viewer remembered for the page of this run. Stops the run when there is
    no viewer; raises NoLake when nothing is published yet."""
    data.new_run()
    st.session_state["_run_keuze"] = {"deelnemers": [], "selectie": {}, "detail": []}
    data.build()  # NoLake before anything else: the app says what to do, to anyone
    chosen = inlog.viewer()
    st.session_state["_viewer"] = chosen
    freshness()
    return chosen


def viewer() -> Viewer:
    """The viewer app.py chose in this run (pages are only reachable through app.py)."""
    return st.session_state["_viewer"]


def downloads(
    frame: pl.DataFrame,
    onderwerp: str,
    key: str,
    *,
    code: str | None = None,
    periode: str | None = None,
) -> None:
    """CSV and Excel downloads of exactly the frame shown (so with the same scope), named for
    what and whom: `hengelo_naleving_2025-Q4.csv` (deelnemer `code`, subject, period). The CSV
    is Dutch (';', decimal comma, BOM), the workbook has numeric cells with number formats and
    a readable sheet name (docs/exports.md). The bytes are made when the button is clicked, not
    on every run of the page (building each workbook up front cost a quarter of a second per
    run), and a click does not rerun the page."""
    wie = data.names().get(code, code) if code else None
    stem = export.file_stem(wie, onderwerp, periode)
    blad = " ".join(p for p in (onderwerp.replace("_", " ").capitalize(), wie, periode) if p)
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        gelogd(frame, f"{stem}.csv", lambda: export.csv_bytes(frame)),
        file_name=f"{stem}.csv",
        mime=export.MIME["csv"],
        key=f"{key}-csv",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        "Download Excel",
        gelogd(frame, f"{stem}.xlsx", lambda: export.excel_bytes(frame, blad)),
        file_name=f"{stem}.xlsx",
        mime=export.MIME["xlsx"],
        key=f"{key}-xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def gelogd(
    frame: pl.DataFrame,
    file_name: str,
    maker: Callable[[], bytes],
    deelnemers: list[str] | None = None,
    rijen: Callable[[], int] | None = None,
) -> Callable[[], bytes]:
    """A download button's deferred data that first checks the viewer may still have it and
    writes the download in the activity trail (who, page, deelnemers, rows). It runs on the
    click, without a new run of the page: so the trail holds real downloads, not renders, and a
    user switched off since the page was drawn gets nothing (docs/toegang.md).

    The deelnemers are `deelnemers`, else those in the frame's deelnemer column, else those the
    page declared in this run (`bekeken`). The rows are the frame's, or, for a file only the
    maker knows the length of (the workbench's download of a whole result), `rijen()` after it
    ran; the trail is written once the file is made."""
    who = viewer()
    page = st.session_state.get("_pagina")
    keuze = _run_keuze()
    codes = deelnemers or deelnemers_in(frame) or list(keuze["detail"] or keuze["deelnemers"])

    def make() -> bytes:
        if not inlog.still_allowed(who):
            raise PermissionError("U hebt geen toegang (meer) tot deze gegevens.")
        inhoud = maker()
        toegang.registreer(
            who,
            "download",
            pagina=page,
            deelnemers=codes,
            omschrijving=file_name,
            rijen=rijen() if rijen is not None else frame.height,
        )
        return inhoud

    return make


# Columns that name the deelnemer of a row, in the frames pages show and hand out.
_DEELNEMER_COLUMNS = (
    "deelnemer_code",
    "deelnemer",
    "Deelnemer",
    "bevoegd_gezag",
    "code",
    "Code",
)


def deelnemers_in(frame: pl.DataFrame) -> list[str]:
    """The deelnemers a download holds rows of, for the activity trail (codes, or the names a
    display table shows)."""
    for column in _DEELNEMER_COLUMNS:
        if column in frame.columns:
            values = frame[column].drop_nulls().unique().sort().cast(pl.String).to_list()
            codes = {naam: code for code, naam in data.names().items()}
            return [codes.get(v, v) for v in values]
    return []


def _run_keuze() -> dict:
    return st.session_state.setdefault(
        "_run_keuze", {"deelnemers": [], "selectie": {}, "detail": []}
    )


def bekeken(deelnemers: list[str] | tuple[str, ...] = (), **selectie) -> None:
    """Declare what this run of the page shows: its deelnemers and selection (period type,
    period). The activity trail gets one line per page view, written when the run ends
    (`vastleggen`); downloads without a deelnemer column are attributed to these deelnemers."""
    keuze = _run_keuze()
    keuze["deelnemers"] += [c for c in deelnemers if c not in keuze["deelnemers"]]
    keuze["selectie"].update(selectie)


def detail(code: str) -> None:
    """From here on the page shows one deelnemer in detail: declare it (`bekeken`) and attribute
    the downloads below that have no deelnemer column to it alone."""
    bekeken([code], detail=code)
    _run_keuze()["detail"] = [code]


def vastleggen() -> None:
    """After a page ran: write its view in the activity trail, once per change of page or
    selection in a session (not on every rerun)."""
    if "_viewer" not in st.session_state:
        return
    keuze = _run_keuze()
    page = st.session_state.get("_pagina")
    selectie = {k: str(v) for k, v in sorted(keuze["selectie"].items())}
    key = (page, tuple(sorted(keuze["deelnemers"])), tuple(selectie.items()))
    if st.session_state.get("_bekeken") == key:
        return
    st.session_state["_bekeken"] = key
    toegang.registreer(
        viewer(), "pagina", pagina=page, deelnemers=keuze["deelnemers"], selectie=selectie or None
    )


def link_keuze(names: tuple[str, ...]) -> dict[str, str]:
    """The view a link asks for: the query parameters among `names` that differ from what this
    session last wrote to the URL (a link was opened or the URL edited); empty on an ordinary
    rerun. The page checks every value against the viewer's scope and its own options: a link
    is a request, never a permission (docs/toegang.md, "Links")."""
    written = st.session_state.get("_url", {})
    asked = {n: st.query_params.get(n) for n in names}
    return {n: v for n, v in asked.items() if v is not None and written.get(n) != v}


def link_schrijven(**keuze: str) -> None:
    """Put the page's selection in the URL, so a reload or a copied link reopens this view."""
    for name, value in keuze.items():
        st.query_params[name] = str(value)
    st.session_state["_url"] = st.session_state.get("_url", {}) | {
        n: str(v) for n, v in keuze.items()
    }


def link_kiezen(link: dict[str, str], name: str, opties, key: str) -> None:
    """Let a link choose a widget's value: only when it asks for one of the widget's own options
    (compared as text, so a year in the URL matches the int option); anything else is ignored."""
    value = link.get(name)
    match = next((o for o in opties if str(o) == value), None) if value is not None else None
    if match is not None:
        st.session_state[key] = match


def link_geweigerd(code: str) -> None:
    """A link asked for a deelnemer outside the viewer's scope: say so, show nothing of it, and
    put the attempt in the activity trail."""
    shown = re.sub(r"[^A-Za-z0-9]", "", code)[:12]  # text from a URL: never markdown
    st.warning(
        f"Deze link vraagt om een deelnemer ({shown or 'onleesbaar'}) die niet onder uw rechten "
        "valt of niet bestaat. U ziet hieronder alleen deelnemers waarvoor u wel rechten hebt.",
        icon=":material/block:",
    )
    toegang.registreer(
        viewer(),
        "geweigerd",
        pagina=st.session_state.get("_pagina"),
        deelnemers=[shown or "?"],
        omschrijving="deelnemer buiten de rechten gevraagd in een link",
    )


def robuustheid_samenvatting(stand: pl.DataFrame) -> str:
    """One line: how many robustness criteria meet the norm in force now, and which do not,
    with value, year and norm (data.robuustheid.stand)."""
    peildatum = stand["bepaald_op"][0]
    labels = status_labels()
    buiten = stand.filter(pl.col("status").is_in(["oranje", "rood"]))
    beoordeeld = stand.filter(pl.col("status").is_in(["groen", "oranje", "rood"]))
    tekst = f"{beoordeeld.height - buiten.height} van {beoordeeld.height} criteria halen de norm "
    tekst += f"die op {datum(peildatum)} geldt"
    if buiten.height:
        tekst += ". Buiten de norm: " + "; ".join(
            f"{r['naam']} ({labels[r['status']]}: {met_eenheid(r['waarde'], r['eenheid'])} in "
            f"{r['periode']}, norm {norm_tekst(r['operator'], r['norm'], r['eenheid'])})"
            for r in buiten.iter_rows(named=True)
        )
    return tekst + "."


def stand_robuustheid(stand: pl.DataFrame, key: str, samenvatting: bool = True) -> None:
    """The robustness criteria judged against the norm in force now (data.robuustheid.stand):
    a line naming those off track, then the table (data.robuustheid.stand_tabel: criterion,
    newest value, norm now, deadline, status as symbol and text) and its downloads."""
    if stand.height == 0:
        return
    peildatum = stand["bepaald_op"][0]
    labels = status_labels()
    if samenvatting:  # the Overzicht already says it above its table
        st.markdown(robuustheid_samenvatting(stand))
    tabel_nu = rob.stand_tabel(stand, labels)
    tabel_met_download(tabel_nu, "robuustheid_stand", key=key, periode=str(peildatum))


def dekking_tekst(row: dict, periode_type: str, periode: str) -> str | None:
    """What a value's coverage means for the reader: 'onvolledig: gegevens t/m 31-08-2025'
    for a period the exports cover only partly, a line for one they do not cover at all, and
    None for a complete period (docs/kpis.md, "Dekking")."""
    dekking = row.get("dekking")
    if dekking == "onvolledig":
        begin, einde = perioden.grenzen(periode_type, periode)
        tot, vanaf = row.get("gedekt_tot"), row.get("gedekt_vanaf")
        if tot is not None and tot < einde:
            return f"{ONVOLLEDIG} onvolledig: gegevens t/m {datum(tot)}"
        if vanaf is not None and vanaf > begin:
            return f"{ONVOLLEDIG} onvolledig: gegevens vanaf {datum(vanaf)}"
        return f"{ONVOLLEDIG} onvolledig"
    if dekking == "geen":
        return "geen gegevens: de geladen exports dekken deze periode niet"
    return None


def niet_gedekt(
    viewer: Viewer, bron: str, code: str, periode_type: str, periode: str
) -> str | None:
    """Why a breakdown of a source is empty when the cause is coverage, not an absence of
    events: no export of the source yet, or the period lies outside what its exports cover.
    None when the period is (partly) covered, so "geen klachten" is then a real zero."""
    gedekt = data.bron_dekking(viewer, bron, code)
    if gedekt is None:
        return (
            f"Geen gegevens: geen geladen export van de bron '{bron}' dekt deze deelnemer "
            "(zie Datakwaliteit)."
        )
    titel, vanaf, tot = gedekt
    begin, einde = perioden.grenzen(periode_type, periode)
    if einde < vanaf or begin > tot:
        return (
            f"Geen gegevens voor {periode}: de geladen exports van {titel} dekken "
            f"{datum(vanaf)} t/m {datum(tot)}."
        )
    return None


def volledig(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of complete periods only (a headline shows the newest complete value)."""
    return frame.filter(pl.col("dekking") == "volledig")


def kpi_tabel(frame: pl.DataFrame, label: str, periode_label: str = "Periode") -> pl.DataFrame:
    """KPI rows (naam, periode, waarde, norm, status, eenheid) as a Dutch display table: value
    and norm as numbers with their unit in a column of its own (so a download sums in Excel,
    docs/exports.md), the status as text (not colour alone) and the coverage."""

    dekking = (
        [
            pl.struct("dekking", "gedekt_vanaf", "gedekt_tot", "periode_type", "periode")
            .map_elements(
                lambda r: dekking_tekst(r, r["periode_type"], r["periode"]) or "volledig",
                return_dtype=pl.String,
            )
            .alias("Dekking")
        ]
        if {"dekking", "periode_type"} <= set(frame.columns)
        else []
    )
    return frame.select(
        pl.col("naam").alias(label),
        pl.col("periode").alias(periode_label),
        pl.col("waarde").alias("Waarde"),
        pl.col("norm").alias("Norm"),
        pl.col("eenheid").map_elements(eenheid_tekst, return_dtype=pl.String).alias("Eenheid"),
        pl.col("status")
        .replace_strict(status_labels(), default=pl.col("status"))
        .fill_null("– nog geen waarde")
        .alias("Status"),
        *dekking,
    )


# Integer columns that are labels, not quantities: 2025 is not "2.025".
_LABEL_COLUMNS = {"Jaar", "Rang", "jaar", "rang", "Regel", "regel"}


def kolom_opmaak(frame: pl.DataFrame) -> dict:
    """Dutch display of every column by its type: numbers localized (1.234,5), dates
    dd-mm-jjjj, times dd-mm-jjjj uu:mm in Amsterdam time."""
    config: dict = {}
    for name, dtype in frame.schema.items():
        if name in _LABEL_COLUMNS and dtype.is_integer():
            config[name] = st.column_config.NumberColumn(format="%d")
        elif dtype.is_numeric():
            config[name] = st.column_config.NumberColumn(format="localized")
        elif dtype == pl.Date:
            config[name] = st.column_config.DateColumn(format="DD-MM-YYYY")
        elif isinstance(dtype, pl.Datetime):
            # the lake's times are naive Amsterdam time already; aware ones (the app state's
            # UTC) are shown in Amsterdam time (docs/architectuur.md, "Tijd")
            zone = "Europe/Amsterdam" if dtype.time_zone is not None else None
            config[name] = st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm", timezone=zone)
    return config


def tabel(frame: pl.DataFrame, **kwargs) -> None:
    """st.dataframe with the app's defaults: no index, '–' for a missing value (not 'None'),
    Dutch number and date display (kolom_opmaak; a page's own column_config wins)."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "–")
    kwargs["column_config"] = kolom_opmaak(frame) | (kwargs.get("column_config") or {})
    st.dataframe(frame, **kwargs)


def tabel_met_download(
    frame: pl.DataFrame,
    onderwerp: str,
    key: str,
    *,
    code: str | None = None,
    periode: str | None = None,
    **kwargs,
) -> None:
    """A table and, under it, its CSV and Excel downloads (`downloads`)."""
    tabel(frame, **kwargs)
    downloads(frame, onderwerp, key, code=code, periode=periode)


def deelnemers_en_periode(
    viewer: Viewer, key: str, periode_types: list[str]
) -> tuple[list[str], str]:
    """The trend pages' selection: deelnemers (Alle deelnemers first, within the viewer's
    scope) and a period type. Stops the page with a Dutch hint when nothing is chosen."""
    namen = data.names()
    scope = data.allowed(viewer)
    opties = [data.TOTAAL] + [c for c in scope if c != data.TOTAAL]
    # A link (deelnemers=GM0153,GM0164&soort=kwartaal) reopens the view, within scope only
    # (docs/toegang.md, "Links").
    link = link_keuze(("deelnemers", "soort"))
    if "deelnemers" in link:
        gevraagd = list(dict.fromkeys(c for c in link["deelnemers"].split(",") if c))
        geweigerd = [c for c in gevraagd if c not in opties]
        if geweigerd:
            link_geweigerd(geweigerd[0])
        binnen = [c for c in gevraagd if c in opties]
        if binnen:
            st.session_state[f"{key}_deelnemers"] = binnen
    link_kiezen(link, "soort", periode_types, f"{key}_periode_type")
    links, rechts = st.columns([3, 1])
    gekozen = links.multiselect(
        "Deelnemers",
        opties,
        placeholder="Kies deelnemers",
        default=[data.TOTAAL],
        format_func=lambda c: namen.get(c, c),
        key=f"{key}_deelnemers",
    )
    periode_type = rechts.radio(
        "Per",
        periode_types,
        format_func=str.capitalize,
        horizontal=True,
        key=f"{key}_periode_type",
    )
    link_schrijven(deelnemers=",".join(gekozen), soort=periode_type)
    if not gekozen:
        st.info("Kies ten minste één deelnemer (of Alle deelnemers).")
        st.stop()
    bekeken(gekozen, periode_type=periode_type)
    return gekozen, periode_type


def status_labels() -> dict[str, str]:
    """Status as symbol + text with the published lake's own oranje margin."""
    return charts.status_labels(data.oranje_marge())


# --- KPI cards, definitions, drill-through (the Deelnemer page; docs/dashboard.md) ------------
STATUS_BADGE = {
    "groen": (":material/check_circle:", "green"),
    "oranje": (":material/warning:", "orange"),
    "rood": (":material/cancel:", "red"),
}
DELTA_KLEUR = {"hoger_is_beter": "normal", "lager_is_beter": "inverse"}


def waarde_tekst(rij: dict | None, eenheid: str | None) -> str:
    """A KPI row's value as shown: its code (an LHSO cell) or the number with its unit."""
    if not rij:
        return "–"
    return rij.get("waarde_tekst") or met_eenheid(rij.get("waarde"), eenheid)


def kpi_kaart(
    info: dict,
    eigen: dict | None,
    totaal: dict | None,
    periode_type: str,
    periode: str,
    soorten: list[str] | None = None,
    onderbouwing: Callable[[], None] | None = None,
    key: str = "",
    ongedekt: bool = False,
) -> None:
    """One KPI of one deelnemer for the chosen period, in a bordered card: the full name (it
    wraps, never cut off; the definition on hover), the value and the change against the
    previous period, the status as icon + text + norm (never colour alone), how complete the
    period is, the same period last year and all deelnemers. A KPI that is not computed for this
    type of period says so, instead of showing another period's value; one whose period no
    loaded export covers (`ongedekt`) says that. `onderbouwing` opens the rows behind the
    value."""
    eigen = eigen or {}
    eenheid = info.get("eenheid")
    with st.container(border=True):
        st.markdown(f"**{info['naam']}**", help=info.get("definitie"))
        heeft_waarde = eigen.get("waarde") is not None or bool(eigen.get("waarde_tekst"))
        delta, beschrijving = None, None
        if eigen.get("verschil_vorige") is not None:
            delta = verschil(eigen["verschil_vorige"], eenheid)
            beschrijving = f"t.o.v. {eigen['vorige_periode']}"
        st.metric(
            info["naam"],
            waarde_tekst(eigen, eenheid),
            delta,
            delta_color=DELTA_KLEUR.get(info.get("richting") or "", "off"),
            delta_arrow="off" if delta in (None, verschil(0, eenheid)) else "auto",
            delta_description=beschrijving,
            label_visibility="collapsed",
        )
        status = eigen.get("status")
        if heeft_waarde and status in STATUS_BADGE:
            icon, kleur = STATUS_BADGE[status]
            norm = norm_tekst(eigen.get("operator"), eigen.get("norm"), eenheid or "")
            # the icon replaces the label's own symbol (✔ ▲ ✖): one symbol, then the words
            tekst = status_labels()[status].split(" ", 1)[-1]
            st.badge(f"{tekst} · norm {norm}", icon=icon, color=kleur)
        regels = []
        if soorten and periode_type not in soorten:
            regels.append(
                f"Niet {perioden.PER[periode_type]} berekend; wel "
                + " en ".join(
                    perioden.PER[s] for s in reversed(perioden.PERIODE_TYPES) if s in soorten
                )
                + ". Kies bovenaan een andere soort periode."
            )
        elif heeft_waarde and (dekking := dekking_tekst(eigen, periode_type, periode)):
            regels.append(dekking)
        elif not heeft_waarde and (ongedekt or eigen.get("dekking") == "geen"):
            regels.append("geen gegevens: de geladen exports dekken deze periode niet")
        if periode_type != "jaar" and eigen.get("vorig_jaar_periode"):
            vorig = {
                "waarde": eigen.get("vorig_jaar_waarde"),
                "waarde_tekst": eigen.get("vorig_jaar_tekst"),
            }
            regels.append(f"{eigen['vorig_jaar_periode']}: {waarde_tekst(vorig, eenheid)}")
        if totaal and totaal.get("onderdrukt"):
            regels.append(f"alle deelnemers: {data.ONDERDRUKT}")
        elif totaal:
            regels.append(f"alle deelnemers: {waarde_tekst(totaal, eenheid)}")
        if regels:
            st.caption(" · ".join(regels))
        if onderbouwing is not None and st.button(
            "Onderliggende gegevens",
            key=f"onderbouwing-{key}",
            icon=":material/table_view:",
            type="tertiary",
            help=f"De rijen achter {info['naam']} in {periode}, met download",
        ):
            onderbouwing()


def definities(kpi_ids: tuple[str, ...] | list[str], titel: str = "Definities") -> None:
    """One expander with the catalogue definition of each KPI (name, definition, unit, source,
    id): the one place definitions are written out."""
    catalogus = data.kpi_info()
    rijen = [catalogus[k] for k in kpi_ids if k in catalogus]
    if not rijen:
        return
    with st.expander(titel if len(rijen) > 1 else f"Definitie: {rijen[0]['naam']}"):
        for row in rijen:
            st.markdown(
                f"**{row['naam']}**: {row['definitie']}\n\n*Eenheid:* {row['eenheid']} · "
                f"*Bron:* {row['bron']} · *KPI-id:* `{row['kpi_id']}`"
            )


def onderbouwing_uitleg(soort: str, telling: dict[str, int], periode: str, einde) -> str:
    """What a drill-through list adds up to, in the words of the KPI it explains."""
    n = telling["rijen"]
    if soort == "controles":
        periodiek, zonder = telling["periodiek"], telling["periodiek_zonder_overtreding"]
        tekst = f"{getal(n)} controles in {periode}; {getal(periodiek)} periodiek, waarvan "
        tekst += f"{getal(zonder)} zonder overtreding"
        if periodiek:
            tekst += f": een naleefpercentage van {getal(100 * zonder / periodiek, 1)}%"
        return tekst + f". {getal(telling['met_overtreding'])} controles vonden een overtreding."
    if soort == "werkvoorraad":
        return (
            f"{getal(n)} zaken open op {datum(einde)}; bij {getal(telling['termijn_verstreken'])} "
            "daarvan is de uiterste beslisdatum verstreken."
        )
    if soort == "besluiten":
        met, binnen = telling["met_termijn"], telling["binnen_termijn"]
        tekst = f"{getal(n)} besluiten in {periode}; {getal(met)} met een wettelijke termijn, "
        tekst += f"waarvan {getal(binnen)} binnen de termijn"
        if met:
            tekst += f" ({getal(100 * binnen / met, 1)}%)"
        return tekst + "."
    return f"{getal(n)} klachten gemeld in {periode}, waarvan {getal(telling['gegrond'])} gegrond."


@st.dialog("Onderliggende gegevens", width="large")
@fouten.bewaakt
def onderbouwing(viewer: Viewer, code: str, kpi_id: str, periode_type: str, periode: str) -> None:
    """Drill-through: the rows behind a KPI of one deelnemer in the period, what they add up
    to, and their downloads; scoped by the data layer and without personal data
    (kpi.onderbouwing_*, docs/dashboard.md "Doorklikken")."""
    soort = dd.ONDERBOUWING[kpi_id]
    begin, einde = perioden.grenzen(periode_type, periode)
    frame = dd.onderbouwing(viewer, code, soort, begin, einde)
    naam = data.names().get(code, code)
    st.markdown(
        f"### {dd.ONDERBOUWING_TITEL[soort]} achter “{data.catalogus_naam(kpi_id)}”\n"
        f"{naam}, {periode} ({datum(begin)} t/m {datum(einde)})"
    )
    st.markdown(onderbouwing_uitleg(soort, dd.onderbouwing_telling(frame, soort), periode, einde))
    tabel_met_download(frame, soort, key=f"onderbouwing-{soort}", code=code, periode=periode)
    st.caption(
        "Zonder persoonsgegevens: geen melders, toezichthouders, namen of adressen; een "
        "inrichting staat er met haar nummer."
    )


def _inhoud(frame: pl.DataFrame) -> bytes:
    """A frame's exact content as the chart cache's key: Streamlit's own hash of a polars frame
    reads only its first and last ten rows, so a value corrected in the middle of a series
    would keep the old chart."""
    return frame.write_ipc(None).getvalue()


@st.cache_data(max_entries=512, show_spinner=False, hash_funcs={pl.DataFrame: _inhoud})
def _spec(builder: str, args: tuple, kwargs: dict) -> dict:
    return charts.spec(getattr(charts, builder)(*args, **kwargs))


def teken(chart: partial, plek=None) -> None:
    """Draw `partial(charts.<builder>, frame, ...)` (in `plek`, a column, else the page). Its
    spec is made once per builder and exact input and then cached (building and converting a
    chart cost 25 ms, most of a block's run on the server; docs/dashboard.md, "Snelheid"); the
    builders are pure functions of their arguments. Every chart goes through here:
    st.altair_chart switches Altair's data transformer for all threads while it converts."""
    builder = chart.func.__name__
    if getattr(charts, builder, None) is not chart.func:  # the cache knows builders by name
        raise TypeError(f"teken() draws the builders of dashboard/charts.py, not {builder}")
    (plek or st).vega_lite_chart(_spec(builder, chart.args, chart.keywords), width="stretch")


def grafiek(
    chart: partial,
    frame: pl.DataFrame,
    onderwerp: str,
    key: str,
    *,
    code: str | None = None,
    periode: str | None = None,
) -> None:
    """A chart and, behind it, the same numbers as a table with downloads ("Als tabel"; WCAG: a
    table behind every chart, docs/dashboard.md "Status en toegankelijkheid")."""
    teken(chart)
    with st.expander("Als tabel"):
        tabel_met_download(frame, onderwerp, key=key, code=code, periode=periode)


def klachten_kaart(
    raster: pl.DataFrame,
    titel: str,
    *,
    code: str | None = None,
    periode: str | None = None,
) -> None:
    """Where the nuisance was: complaints counted per square on the server (data.deelnemer.
    klachten_raster), the squares as a table under the map, and a caption that says so; never
    a complaint's own coordinates (docs/dashboard.md, "Klachtenkaart")."""
    cel = dd.KLACHTEN_CEL_METER
    grafiek(
        partial(charts.raster_kaart, raster, cel, titel),
        dd.klachten_raster_tabel(raster),
        "klachten_per_vierkante_km",
        "klachten-raster",
        code=code,
        periode=periode,
    )
    st.caption(
        f"Klachten met een bekende plek, geteld per vak van {getal(cel / 1000)} bij "
        f"{getal(cel / 1000)} km (RD New); zonder achtergrondkaart. De melder blijft "
        "buiten beeld."
    )


# --- the trend pages: Naleving and Klachten (docs/dashboard.md, "Opbouw van de code") --------
def _kpi_info(kpi_id: str) -> dict:
    """The catalogue row of a KPI (naam, definitie, eenheid, richting)."""
    return data.kpi_info().get(kpi_id, {"kpi_id": kpi_id, "naam": kpi_id})


def kpi_kop(reeks: pl.DataFrame, kpi_ids: tuple[str, ...] | list[str], code: str) -> None:
    """The trend page's headline: for one deelnemer, per KPI its newest complete period (an
    incomplete one is no headline, docs/kpis.md "Dekking") with the change against the period
    before it, or that period's code for a KPI whose value is a code (the LHSO cell)."""
    st.subheader(f"Laatste volledige periode: {data.names().get(code, code)}")
    for kolom, kpi_id in zip(st.columns(len(kpi_ids)), kpi_ids, strict=True):
        info = _kpi_info(kpi_id)
        eenheid = info.get("eenheid")
        laatste, vorige = trends.laatste(volledig(reeks), kpi_id, code)
        if laatste is None:
            kolom.metric(info["naam"], "–")
            continue
        delta, vlak = None, False  # vlak: no direction to show (a code, or no change)
        if vorige is not None and laatste.get("waarde_tekst"):
            delta, vlak = f"{vorige['periode']}: {waarde_tekst(vorige, eenheid)}", True
        elif vorige is not None:
            tekst = verschil(laatste["waarde"] - vorige["waarde"], eenheid)
            delta, vlak = f"{tekst} t.o.v. {vorige['periode']}", tekst == verschil(0, eenheid)
        kolom.metric(
            f"{info['naam']} ({laatste['periode']})",
            waarde_tekst(laatste, eenheid),
            delta=delta,
            delta_color="off" if vlak else DELTA_KLEUR.get(info.get("richting") or "", "off"),
            delta_arrow="off" if vlak else "auto",
            help=info.get("definitie"),
        )


def trend_blok(reeks: pl.DataFrame, kpi_id: str) -> None:
    """One KPI: its trend per deelnemer (norm dashed where one exists; the LHSO cell as its
    code) and its definition. The numbers are in the page's table of the series (trend_tabel)."""
    info = _kpi_info(kpi_id)
    reeks = reeks.filter(pl.col("kpi_id") == kpi_id)
    st.markdown(f"**{info['naam']}**")
    if reeks["waarde"].drop_nulls().len() == 0:
        st.info("Geen waarden voor deze selectie.")
    elif kpi_id == "lhso_zwaarste":
        teken(partial(charts.lhso_trend, reeks))
    else:
        eenheid = info.get("eenheid")
        chart = partial(
            charts.trend,
            reeks,
            y_title=eenheid or "",
            number_format=charts.formaat(eenheid),
            nadruk=_nadruk(),
        )
        teken(chart)
    definities([kpi_id])


def _nadruk() -> str | None:
    """The series a trend highlights when there are more than its colours (charts.kleuren): the
    first deelnemer the user chose, by name."""
    codes = [c for c in _run_keuze()["deelnemers"] if c != data.TOTAAL]
    return data.names().get(codes[0], codes[0]) if codes else None


def trend_tabel(
    reeks: pl.DataFrame, kpi_ids: tuple[str, ...] | list[str], titel: str, onderwerp: str, key: str
) -> None:
    """The numbers behind trend charts: deelnemer x periode, a column per KPI (data.trends.tabel),
    in an expander with downloads."""
    catalogus = data.kpi_info()
    with st.expander(titel):
        tabel_met_download(
            trends.tabel(reeks, kpi_ids, catalogus, status_labels()), onderwerp, key=key
        )


def trend_blokken(
    reeks: pl.DataFrame, kpi_ids: tuple[str, ...] | list[str], titel: str, onderwerp: str, key: str
) -> None:
    """Trend blocks two by two, then their numbers as one table (trend_tabel)."""
    for start in range(0, len(kpi_ids), 2):
        for kolom, kpi_id in zip(st.columns(2), kpi_ids[start : start + 2], strict=False):
            with kolom:
                trend_blok(reeks, kpi_id)
    trend_tabel(reeks, kpi_ids, titel, onderwerp, key)


def detail_keuze(gekozen: list[str], key: str, kolom=None) -> str:
    """One of the chosen deelnemers to split out (`{key}_detail`, in the URL as `detail`); from
    here on the page shows it in detail (`detail`)."""
    namen = data.names()
    link = link_keuze(("detail",))
    link_kiezen(link, "detail", gekozen, f"{key}_detail")
    code = (kolom or st).selectbox(
        "Uitsplitsen voor",
        gekozen,
        help="Eén van de hierboven gekozen deelnemers.",
        format_func=lambda c: namen.get(c, c),
        key=f"{key}_detail",
    )
    detail(code)
    link_schrijven(detail=code)
    return code


def jaar_keuze(jaren: list[int], key: str, label: str = "Jaar", kolom=None) -> int:
    """A year among `jaren` (`{key}_jaar`, in the URL as `jaar`)."""
    link = link_keuze(("jaar",))
    link_kiezen(link, "jaar", jaren, f"{key}_jaar")
    jaar = (kolom or st).selectbox(label, jaren, key=f"{key}_jaar")
    link_schrijven(jaar=jaar)
    return jaar


# --- one compact KPI figure (HR & Financiën, Robuustheid, Verbeterplan) ----------------------
def kerncijfer(
    label: str,
    rij: dict | None,
    eenheid: str | None = None,
    *,
    vorige: dict | None = None,
    richting: str | None = None,
    help: str | None = None,
    plek=None,
) -> None:
    """One figure as a metric, where a page shows several side by side (kpi_kaart is the full
    card of the Deelnemer page): the value with its unit (format.met_eenheid, or the row's
    `waarde_tekst`), the change against `vorige` ({waarde, periode}; format.verschil, coloured
    by the KPI's direction, 't.o.v. <periode>' beside it), and, on hover, the norm and the
    status in words when the row has a norm (status never by colour alone); `help` replaces
    that text ('' for none). `plek` is the column to write in (default: the page)."""
    plek = plek or st
    rij = rij or {}
    delta, beschrijving = None, None
    if vorige and vorige.get("waarde") is not None and rij.get("waarde") is not None:
        delta = verschil(rij["waarde"] - vorige["waarde"], eenheid)
        beschrijving = f"t.o.v. {vorige['periode']}"
    if help is None and rij.get("norm") is not None:
        help = f"Norm: {norm_tekst(rij.get('operator'), rij['norm'], eenheid)}"
        if rij.get("status"):
            help += f" · {status_labels().get(rij['status'], rij['status'])}"
    plek.metric(
        label,
        waarde_tekst(rij, eenheid),
        delta,
        delta_color=DELTA_KLEUR.get(richting or "", "off"),
        delta_arrow="off" if delta in (None, verschil(0, eenheid)) else "auto",
        delta_description=beschrijving,
        help=help,
    )


def kolommen_config(kolommen: dict) -> dict:
    """st.column_config from the column specs a data module made (label, help, breedte, getal,
    vast; data.overzicht.Kolom): numbers shown Dutch ("localized"), text as text."""
    config = {}
    for naam, kolom in kolommen.items():
        if kolom.getal:
            config[naam] = st.column_config.NumberColumn(
                kolom.label, help=kolom.help, format="localized", width=kolom.breedte
            )
        else:
            config[naam] = st.column_config.TextColumn(
                kolom.label, help=kolom.help, width=kolom.breedte, pinned=kolom.vast or None
            )
    return config
