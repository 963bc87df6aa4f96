"""SQL-werkbank (analysts): write a query, run it in the sandbox, export, save, find it again.

Left the editor and the result; right the schema browser, the KPI definitions, example queries,
the team's saved queries and the analyst's own history. Clicking a name in the schema browser
adds it to the end of the query (Streamlit's text area has no cursor position to insert at).
The last result stays in the session, so a click in the browser does not run the query again;
'Uitvoeren' does, and so does a CSV or Parquet download of a result that was cut for the page: it
holds the whole result, up to the export limit (docs/sql-werkbank.md). Every run is written to
the audit log. Shaping and running: dashboard/data/werkbank.py.
"""

from __future__ import annotations

import streamlit as st

from dashboard import components, werkbank_opslaan
from dashboard.data import werkbank
from dashboard.format import getal, tijdstip
from vthmonitor import export, tijd
from vthmonitor.werkbank.sandbox import QueryFailed, Refused
from vthmonitor.werkbank.service import kpi_query

EDITOR = "werkbank_sql"
RESULT = "werkbank_resultaat"
SAVE_NAME = "werkbank_naam"
NOTICE = "werkbank_melding"
RUN_NOW = "werkbank_nu_uitvoeren"  # a table opened from the schema browser runs at once
DOWNLOADS = {"csv": "Download CSV", "xlsx": "Download Excel", "parquet": "Download Parquet"}

viewer = components.viewer()
limits = werkbank.limits()
werkbank.workers()  # starts the warm spare while the analyst writes the first query

st.title("SQL-werkbank")
st.caption(
    f"Alleen-lezen SQL (DuckDB) op de gepubliceerde datalake: de schema's kpi, staging, marts en "
    f"meta. Elke query mag {getal(limits.time_limit_s)} seconden duren en toont hooguit "
    f"{getal(limits.max_rows)} rijen; een download (CSV, Parquet) bevat er hooguit "
    f"{getal(limits.export_max_rows)}. Elke uitvoering wordt met uw naam "
    f"({viewer.gebruiker}) vastgelegd in het auditlog. Persoonsgegevens zijn gepseudonimiseerd."
)


# --- editor callbacks (run before the script, so they may change the editor's value) -----------
def _insert(text: str) -> None:
    current = st.session_state.get(EDITOR, "")
    glue = "" if not current or current[-1] in " \n\t(,." else " "
    st.session_state[EDITOR] = f"{current}{glue}{text}"


def _insert_pill(key: str) -> None:
    chosen = st.session_state.get(key)
    if chosen:
        _insert(chosen)
    st.session_state[key] = None  # a second click on the same name inserts it again


def _open(relatie: str) -> None:
    st.session_state[EDITOR] = werkbank.openen_sql(relatie)
    st.session_state[RUN_NOW] = True


def _replace(sql: str, naam: str | None = None) -> None:
    st.session_state[EDITOR] = sql
    if naam is not None:
        st.session_state[SAVE_NAME] = naam


run_now = st.session_state.pop(RUN_NOW, False)  # once: a later click must not run it again
editor_col, browser_col = st.columns([5, 4], gap="large")

# --- the browser: schema, KPI definitions, examples, saved queries, history ---------------------
with browser_col:
    schema_tab, kpi_tab, examples_tab, saved_tab, history_tab = st.tabs(
        ["Schema", "KPI-definities", "Voorbeelden", "Opgeslagen", "Geschiedenis"]
    )

    with schema_tab:
        relaties = werkbank.relaties()
        kolommen = werkbank.kolommen()
        zoek = st.text_input(
            "Zoek een tabel of kolom",
            key="werkbank_zoek",
            placeholder="bijv. klacht, naleef, uren",
        ).strip()
        opties, kolom_hits = werkbank.zoek_relaties(relaties, kolommen, zoek)
        if zoek:
            st.caption(
                f"{getal(len(opties))} tabellen en {getal(kolom_hits)} kolommen gevonden "
                f"voor '{zoek}'."
            )
        if not opties:
            st.info("Niets gevonden. Zoek op een deel van een naam of beschrijving.")
        else:
            info = werkbank.relatie_info(relaties)
            gekozen = st.selectbox(
                "Tabel of view",
                opties,
                key="werkbank_relatie",
                format_func=lambda r: f"{r} ({info.get(r, ('', ''))[0]})",
            )
            if gekozen not in opties:
                gekozen = opties[0]
            st.markdown(info.get(gekozen, ("", ""))[1])
            invoegen, openen = st.columns(2)
            invoegen.button(
                f"Voeg {gekozen} in",
                key="werkbank_relatie_invoegen",
                on_click=_insert,
                args=(gekozen,),
                icon=":material/add:",
            )
            openen.button(
                "Open (eerste 100 rijen)",
                key="werkbank_relatie_openen",
                on_click=_open,
                args=(gekozen,),
                icon=":material/table_view:",
                help="Zet een query voor de eerste 100 rijen in de editor en voert die meteen uit.",
            )
            eigen = werkbank.kolommen_van(kolommen, gekozen)
            pill_key = f"werkbank_kolom_{gekozen}"
            st.pills(
                "Klik een kolom om hem in te voegen",
                eigen["Kolom"].to_list(),
                key=pill_key,
                on_change=_insert_pill,
                args=(pill_key,),
            )
            components.tabel(eigen, key="werkbank_kolommen")

    with kpi_tab:
        st.caption(
            "De definities van kpi.catalogus. De waarden staan in kpi.waarden: één rij per KPI, "
            "deelnemer (CBS-code of TOTAAL) en periode, met teller, noemer, norm en status."
        )
        zoek_kpi = st.text_input("Zoek een KPI", key="werkbank_zoek_kpi").strip()
        definities = werkbank.zoek_kpis(werkbank.kpi_definities(), zoek_kpi)
        if definities.height == 0:
            st.info("Geen KPI gevonden. Zoek op een deel van de naam, het id of de definitie.")
        else:
            namen_kpi = dict(zip(definities["kpi_id"], definities["naam"], strict=True))
            kpi_id = st.selectbox(
                "KPI",
                list(namen_kpi),
                format_func=lambda k: f"{namen_kpi[k]} ({k})",
                key="werkbank_kpi",
            )
            kpi = definities.row(definities["kpi_id"].to_list().index(kpi_id), named=True)
            st.markdown(
                f"**{kpi['naam']}** (`{kpi['kpi_id']}`)\n\n{kpi['definitie']}\n\n"
                f"*Eenheid:* {kpi['eenheid']} · *Richting:* {kpi['richting'].replace('_', ' ')} "
                f"· *Bron:* {kpi['bron']}"
            )
            st.button(
                "Zet een query voor deze KPI in de editor",
                key="werkbank_kpi_query",
                on_click=_replace,
                args=(kpi_query(kpi_id),),
            )
            components.tabel(werkbank.definitie_tabel(definities), key="werkbank_definities")

    with examples_tab:
        for voorbeeld in werkbank.voorbeelden():
            with st.expander(voorbeeld.title):
                st.caption(voorbeeld.description)
                st.code(voorbeeld.sql, language="sql")
                st.button(
                    "Zet in de editor",
                    key=f"werkbank_voorbeeld_{voorbeeld.name}",
                    on_click=_replace,
                    args=(voorbeeld.sql, voorbeeld.title),
                )

    with saved_tab:
        alleen_eigen = st.toggle("Alleen mijn query's", key="werkbank_alleen_eigen")
        opgeslagen = werkbank.opgeslagen(viewer, alleen_eigen)
        if opgeslagen.height == 0:
            st.info("Nog geen opgeslagen query's. Sla een query op onder de editor.")
        for row in opgeslagen.iter_rows(named=True):
            with st.expander(f"{row['naam']} · {row['auteur']}, {tijdstip(row['opgeslagen_op'])}"):
                st.code(row["sql"], language="sql")
                left, right = st.columns(2)
                left.button(
                    "Zet in de editor",
                    key=f"werkbank_open_{row['id']}",
                    on_click=_replace,
                    args=(row["sql"], row["naam"]),
                )
                if row["auteur"] == viewer.gebruiker and right.button(
                    "Verwijderen", key=f"werkbank_weg_{row['id']}"
                ):
                    werkbank.verwijderen(viewer, row["id"])
                    st.session_state[NOTICE] = f"'{row['naam']}' is verwijderd."
                    st.rerun()

    with history_tab:
        geschiedenis = werkbank.geschiedenis(viewer)
        if geschiedenis.height == 0:
            st.info("U hebt nog geen query's uitgevoerd.")
        else:
            st.caption("Uw laatste query's (elke tekst één keer), nieuwste eerst.")
            labels = werkbank.geschiedenis_labels(geschiedenis)
            keuze = st.selectbox(
                "Query", list(labels), format_func=labels.get, key="werkbank_geschiedenis"
            )
            st.code(geschiedenis["sql"][keuze], language="sql")
            afgekort = geschiedenis["sql_afgekort"][keuze]
            st.button(
                "Zet in de editor",
                key="werkbank_geschiedenis_open",
                on_click=_replace,
                args=(geschiedenis["sql"][keuze],),
                disabled=afgekort,
                help=f"Van deze query ({getal(geschiedenis['sql_lengte'][keuze])} tekens) is "
                "alleen het begin bewaard; bewaar lange query's met 'Opslaan'."
                if afgekort
                else None,
            )

# --- the editor and the result ------------------------------------------------------------------
with editor_col:
    if NOTICE in st.session_state:
        st.success(st.session_state.pop(NOTICE))
    st.text_area(
        "SQL",
        key=EDITOR,
        height=220,
        placeholder="select * from kpi.waarden where kpi_id = 'naleefpercentage' limit 10",
        help="Eén SELECT-query (ook WITH, FROM ..., DESCRIBE, SUMMARIZE). Tabellen schrijft u "
        "als schema.tabel; kies ze in de schemaverkenner rechts. Uitvoeren kan ook met "
        "Ctrl+Enter (op een Mac Cmd+Enter), ook vanuit dit vak.",
    )
    run_clicked = st.button(
        "Uitvoeren",
        type="primary",
        key="werkbank_uitvoeren",
        icon=":material/play_arrow:",
        shortcut="Ctrl+Enter",  # also from inside the editor (docs/sql-werkbank.md)
    )
    if run_clicked or run_now:
        sql = st.session_state.get(EDITOR, "")
        try:
            with st.spinner(f"Bezig (hooguit {getal(limits.time_limit_s)} seconden) ..."):
                result = werkbank.uitvoeren(viewer, sql)
            st.session_state[RESULT] = {
                "sql": sql,
                "result": result,
                "naam": st.session_state.get(SAVE_NAME),
                "tijdstip": tijd.nu(),
            }
        except (Refused, QueryFailed) as exc:
            st.session_state[RESULT] = {"sql": sql, "error": exc}

    shown = st.session_state.get(RESULT)
    if shown and "error" in shown:
        error = shown["error"]
        if isinstance(error, Refused):
            st.error(f"**Niet toegestaan.** {error}", icon=":material/block:")
        else:
            st.error(error.message, icon=":material/error:")
            if error.detail:
                st.caption("Melding van DuckDB:")
                st.code(error.detail, language=None)
    elif shown:
        result = shown["result"]
        frame = result.frame
        st.markdown(werkbank.samenvatting(result))
        if result.truncated:
            st.warning(result.cut_note(limits), icon=":material/content_cut:")
        components.tabel(frame, key="werkbank_tabel")
        if uitleg := werkbank.download_uitleg(result, limits):
            st.caption(uitleg)
        # ad-hoc SQL can hold any deelnemer's rows under any column name: a result without a
        # recognisable deelnemer column counts as every deelnemer's ("*") in the activity trail
        wie = components.deelnemers_in(frame) or ["*"]
        stam = werkbank.download_naam(
            shown["sql"], werkbank.opgeslagen(viewer), shown["naam"], shown["tijdstip"]
        )
        for kolom, (formaat, label) in zip(st.columns(3), DOWNLOADS.items(), strict=True):
            bestand = werkbank.Bestand(viewer, shown["sql"], result, formaat)
            te_groot = formaat == "xlsx" and frame.height > export.EXCEL_MAX_ROWS
            kolom.download_button(
                label,
                components.gelogd(
                    frame, f"{stam}.{formaat}", bestand.maak, wie, rijen=lambda b=bestand: b.rijen
                ),
                file_name=f"{stam}.{formaat}",
                mime=export.MIME[formaat],
                key=f"werkbank_{formaat}",
                on_click="ignore",
                disabled=te_groot,
                help="Past niet in één Excel-blad; kies CSV of Parquet." if te_groot else None,
            )

    st.divider()
    werkbank_opslaan.opslaan(viewer, EDITOR, SAVE_NAME, NOTICE)
