"""Building blocks every page uses: the viewer (demo mode), freshness, definitions, downloads."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, data
from dashboard.format import datum, met_eenheid
from dashboard.viewer import ROLES, Viewer
from vthmonitor import export

DEMO_NOTICE = (
    "**Demomodus** — er is nog geen inlog. Kies hieronder een rol; de rechten van die rol "
    "(welke deelnemers u ziet) worden door de app afgedwongen."
)

DEMO_ANALIST = "demo-analist"


def current_viewer() -> Viewer:
    """The viewer of this session, chosen in the sidebar (demo mode). Query parameters are
    deliberately not read: they must not change who you are or what you may see."""
    codes = data.deelnemers()
    names = dict(zip(codes["code"], codes["naam"], strict=True))
    with st.sidebar:
        st.info(DEMO_NOTICE)
        role = st.selectbox("Rol", list(ROLES), format_func=ROLES.get, key="viewer_role")
        deelnemers: tuple[str, ...] = ()
        gebruiker = ROLES[role]
        if role == "accounthouder":
            code = st.selectbox(
                "Deelnemer", list(names), format_func=names.get, key="viewer_deelnemer"
            )
            deelnemers = (code,)
        if role == "analist":
            # The workbench keeps history and saved queries per person, and the audit log says
            # who ran what: in demo mode that person is whoever this name says.
            gebruiker = (
                st.text_input(
                    "Uw naam",
                    value=DEMO_ANALIST,
                    key="viewer_naam",
                    help="Demomodus: uw geschiedenis en opgeslagen query's staan onder deze "
                    "naam, en het auditlog legt vast wie welke query uitvoerde.",
                ).strip()
                or DEMO_ANALIST
            )
    return Viewer(role=role, deelnemers=deelnemers, gebruiker=gebruiker)


def freshness() -> None:
    """How current the numbers are, on every page: build time and the newest event per source."""
    build = data.build()
    versheid = data.versheid().filter(pl.col("nieuwste_gebeurtenis").is_not_null())
    newest = versheid.sort("nieuwste_gebeurtenis").row(-1, named=True) if versheid.height else None
    oldest = versheid.sort("nieuwste_gebeurtenis").row(0, named=True) if versheid.height else None
    text = f"Gegevens bijgewerkt op {datum(build['gebouwd_op'], with_time=True)}"
    if newest and oldest:
        text += (
            f" · nieuwste gebeurtenis {datum(newest['nieuwste_gebeurtenis'])} "
            f"({newest['titel']}); minst actueel: {oldest['titel']} "
            f"(t/m {datum(oldest['nieuwste_gebeurtenis'])})"
        )
    st.caption(text)


def start() -> Viewer:
    """Run by app.py before any page: pick the viewer (sidebar), show freshness, remember the
    viewer for the page of this run. Raises NoLake when nothing is published yet."""
    data.new_run()
    chosen = current_viewer()
    st.session_state["_viewer"] = chosen
    freshness()
    return chosen


def viewer() -> Viewer:
    """The viewer app.py chose in this run (pages are only reachable through app.py)."""
    return st.session_state["_viewer"]


def definition(kpi_id: str) -> None:
    """The KPI's definition from the catalogue, in an expander."""
    catalogus = data.catalogus().filter(pl.col("kpi_id") == kpi_id)
    if catalogus.height == 0:
        return
    row = catalogus.row(0, named=True)
    with st.expander(f"Definitie: {row['naam']}"):
        st.markdown(
            f"{row['definitie']}\n\n*Eenheid:* {row['eenheid']} · *Bron:* {row['bron']} · "
            f"*KPI-id:* `{row['kpi_id']}`"
        )


def downloads(frame: pl.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of exactly the frame shown (so with the same scope). The bytes
    are made when the button is clicked, not on every run of the page (a page has a dozen
    tables: building each workbook up front cost a quarter of a second per run), and a click
    does not rerun the page."""
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        lambda: export.csv_bytes(frame),
        file_name=f"{name}.csv",
        mime=export.MIME["csv"],
        key=f"{key}-csv",
        on_click="ignore",
    )
    right.download_button(
        "Download Excel",
        lambda: export.excel_bytes(frame, name),
        file_name=f"{name}.xlsx",
        mime=export.MIME["xlsx"],
        key=f"{key}-xlsx",
        on_click="ignore",
    )


def kpi_tabel(frame: pl.DataFrame, label: str, periode_label: str = "Periode") -> pl.DataFrame:
    """KPI rows (naam, periode, waarde, norm, status, eenheid) as a Dutch display table: values
    with their unit, the norm or 'geen norm', and the status as text (not colour alone)."""

    return frame.select(
        pl.col("naam").alias(label),
        pl.col("periode").alias(periode_label),
        pl.struct("waarde", "eenheid")
        .map_elements(lambda r: met_eenheid(r["waarde"], r["eenheid"]), return_dtype=pl.String)
        .alias("Waarde"),
        pl.struct("norm", "eenheid")
        .map_elements(
            lambda r: (
                met_eenheid(r["norm"], r["eenheid"]) if r["norm"] is not None else "geen norm"
            ),
            return_dtype=pl.String,
        )
        .alias("Norm"),
        pl.col("status")
        .replace_strict(status_labels(), default=pl.col("status"))
        .fill_null("– nog geen waarde")
        .alias("Status"),
    )


def tabel(frame: pl.DataFrame, **kwargs) -> None:
    """st.dataframe with the app's defaults: no index, '–' for a missing value (not 'None')."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "–")
    st.dataframe(frame, **kwargs)


def deelnemers_en_periode(
    viewer: Viewer, key: str, periode_types: list[str]
) -> tuple[list[str], str]:
    """The trend pages' selection: deelnemers (Alle deelnemers first, within the viewer's
    scope) and a period type. Stops the page with a Dutch hint when nothing is chosen."""
    namen = data.names()
    scope = data.allowed(viewer)
    opties = [data.TOTAAL] + [c for c in scope if c != data.TOTAAL]
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
    if not gekozen:
        st.info("Kies ten minste één deelnemer (of Alle deelnemers).")
        st.stop()
    return gekozen, periode_type


def status_labels() -> dict[str, str]:
    """Status as symbol + text with the published lake's own oranje margin."""
    return charts.status_labels(data.oranje_marge())
