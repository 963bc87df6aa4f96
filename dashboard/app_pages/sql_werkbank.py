"""SQL-werkbank (analysts): write a query, run it in the sandbox, export, save, find it again.

Left the editor and the result; right the schema browser, the KPI definitions, example queries,
the team's saved queries and the analyst's own history. Clicking a name in the schema browser
adds it to the end of the query (Streamlit's text area has no cursor position to insert at).
The last result stays in the session, so a download or a click in the browser does not run the
query again; only 'Uitvoeren' does, and every run is written to the audit log.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components
from dashboard.data import werkbank
from dashboard.format import getal, tijdstip
from vthmonitor import export
from vthmonitor.werkbank.app_state import InvalidSavedQuery
from vthmonitor.werkbank.sandbox import QueryFailed, Refused
from vthmonitor.werkbank.service import kpi_query

EDITOR = "werkbank_sql"
RESULT = "werkbank_resultaat"
SAVE_NAME = "werkbank_naam"
NOTICE = "werkbank_melding"

viewer = components.viewer()
limits = werkbank.limits()
werkbank.workers()  # starts the warm spare while the analyst writes the first query

st.title("SQL-werkbank")
st.caption(
    f"Alleen-lezen SQL (DuckDB) op de gepubliceerde datalake: de schema's kpi, staging, marts en "
    f"meta. Elke query mag {getal(limits.time_limit_s)} seconden duren en geeft hooguit "
    f"{getal(limits.max_rows)} rijen terug. Elke uitvoering wordt met uw naam "
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


def _replace(sql: str, naam: str | None = None) -> None:
    st.session_state[EDITOR] = sql
    if naam is not None:
        st.session_state[SAVE_NAME] = naam


def dutch_columns(frame: pl.DataFrame) -> dict:
    """Dutch display of any result: 1.234,5 for numbers, 31-12-2025 (13:45) for dates."""
    config = {}
    for name, dtype in frame.schema.items():
        if dtype.is_numeric():
            config[name] = st.column_config.NumberColumn(format="localized")
        elif isinstance(dtype, pl.Datetime):
            config[name] = st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm:ss")
        elif dtype == pl.Date:
            config[name] = st.column_config.DateColumn(format="DD-MM-YYYY")
    return config


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
        if zoek:
            needle = zoek.lower()
            hits = kolommen.filter(
                pl.col("kolom").str.to_lowercase().str.contains(needle, literal=True)
                | pl.col("beschrijving").str.to_lowercase().str.contains(needle, literal=True)
                | pl.col("relatie").str.to_lowercase().str.contains(needle, literal=True)
            )
            namen = (
                relaties.filter(
                    pl.col("naam").str.to_lowercase().str.contains(needle, literal=True)
                    | pl.col("beschrijving").str.to_lowercase().str.contains(needle, literal=True)
                )
                .select((pl.col("schema") + "." + pl.col("naam")).alias("r"))["r"]
                .to_list()
            )
            namen += (hits["schema"] + "." + hits["relatie"]).unique(maintain_order=True).to_list()
            opties = list(dict.fromkeys(namen))
            st.caption(
                f"{getal(len(opties))} tabellen en {getal(hits.height)} kolommen gevonden "
                f"voor '{zoek}'."
            )
        else:
            opties = (relaties["schema"] + "." + relaties["naam"]).to_list()
        if not opties:
            st.info("Niets gevonden. Zoek op een deel van een naam of beschrijving.")
        else:
            beschrijving = dict(
                zip(
                    relaties["schema"] + "." + relaties["naam"],
                    relaties["beschrijving"].fill_null(""),
                    strict=True,
                )
            )
            soort = dict(
                zip(relaties["schema"] + "." + relaties["naam"], relaties["soort"], strict=True)
            )
            gekozen = st.selectbox(
                "Tabel of view",
                opties,
                key="werkbank_relatie",
                format_func=lambda r: f"{r} ({soort.get(r, '')})",
            )
            if gekozen not in opties:
                gekozen = opties[0]
            st.markdown(beschrijving.get(gekozen, ""))
            st.button(
                f"Voeg {gekozen} in",
                key="werkbank_relatie_invoegen",
                on_click=_insert,
                args=(gekozen,),
                icon=":material/add:",
            )
            schema, naam = gekozen.split(".", 1)
            eigen = kolommen.filter((pl.col("schema") == schema) & (pl.col("relatie") == naam))
            pill_key = f"werkbank_kolom_{gekozen}"
            st.pills(
                "Klik een kolom om hem in te voegen",
                eigen["kolom"].to_list(),
                key=pill_key,
                on_change=_insert_pill,
                args=(pill_key,),
            )
            components.tabel(
                eigen.select(
                    pl.col("kolom").alias("Kolom"),
                    pl.col("type").alias("Type"),
                    pl.col("beschrijving").alias("Beschrijving"),
                ),
                key="werkbank_kolommen",
            )

    with kpi_tab:
        definities = werkbank.kpi_definities()
        st.caption(
            "De definities van kpi.catalogus. De waarden staan in kpi.waarden: één rij per KPI, "
            "deelnemer (CBS-code of TOTAAL) en periode, met teller, noemer, norm en status."
        )
        zoek_kpi = st.text_input("Zoek een KPI", key="werkbank_zoek_kpi").strip().lower()
        if zoek_kpi:
            definities = definities.filter(
                pl.concat_str("kpi_id", "naam", "definitie", separator=" ")
                .str.to_lowercase()
                .str.contains(zoek_kpi, literal=True)
            )
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
            components.tabel(
                definities.select(
                    pl.col("naam").alias("KPI"),
                    pl.col("kpi_id").alias("Id"),
                    pl.col("definitie").alias("Definitie"),
                    pl.col("eenheid").alias("Eenheid"),
                    pl.col("groep").alias("Groep"),
                ),
                key="werkbank_definities",
            )

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
        opgeslagen = werkbank.opgeslagen(viewer)
        alleen_eigen = st.toggle("Alleen mijn query's", key="werkbank_alleen_eigen")
        if alleen_eigen:
            opgeslagen = opgeslagen.filter(pl.col("auteur") == viewer.gebruiker)
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
            labels = {
                i: f"{tijdstip(r['tijdstip'])} · {werkbank.status_tekst(r['status'])} · "
                f"{' '.join(r['sql'].split())[:70]}"
                for i, r in enumerate(geschiedenis.iter_rows(named=True))
            }
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
        "als schema.tabel; kies ze in de schemaverkenner rechts.",
    )
    run_clicked = st.button(
        "Uitvoeren", type="primary", key="werkbank_uitvoeren", icon=":material/play_arrow:"
    )
    if run_clicked:
        sql = st.session_state.get(EDITOR, "")
        try:
            with st.spinner(f"Bezig (hooguit {getal(limits.time_limit_s)} seconden) ..."):
                result = werkbank.uitvoeren(viewer, sql)
            st.session_state[RESULT] = {"sql": sql, "result": result}
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
        st.markdown(
            f"**{getal(result.rows)} {'rij' if result.rows == 1 else 'rijen'}** · "
            f"{getal(result.elapsed_s, 2)} s"
        )
        if result.truncated:
            st.warning(result.cut_note(limits), icon=":material/content_cut:")
        components.tabel(frame, key="werkbank_tabel", column_config=dutch_columns(frame))
        # ad-hoc SQL can hold any deelnemer's rows under any column name: a result without a
        # recognisable deelnemer column counts as every deelnemer's ("*") in the activity trail
        wie = components.deelnemers_in(frame) or ["*"]
        csv_col, xlsx_col, parquet_col = st.columns(3)
        csv_col.download_button(
            "Download CSV",
            components.gelogd(frame, "query.csv", lambda: export.csv_bytes(frame), wie),
            file_name="query.csv",
            mime=export.MIME["csv"],
            key="werkbank_csv",
            on_click="ignore",
        )
        xlsx_col.download_button(
            "Download Excel",
            components.gelogd(frame, "query.xlsx", lambda: export.excel_bytes(frame, "query"), wie),
            file_name="query.xlsx",
            mime=export.MIME["xlsx"],
            key="werkbank_xlsx",
            on_click="ignore",
            disabled=frame.height > export.EXCEL_MAX_ROWS,
            help="Past niet in één Excel-blad; kies CSV of Parquet."
            if frame.height > export.EXCEL_MAX_ROWS
            else None,
        )
        parquet_col.download_button(
            "Download Parquet",
            components.gelogd(frame, "query.parquet", lambda: export.parquet_bytes(frame), wie),
            file_name="query.parquet",
            mime=export.MIME["parquet"],
            key="werkbank_parquet",
            on_click="ignore",
        )

    st.divider()
    naam_col, knop_col = st.columns([3, 1], vertical_alignment="bottom")
    naam_col.text_input("Naam om de query op te slaan", key=SAVE_NAME)
    if knop_col.button("Opslaan", key="werkbank_opslaan", icon=":material/bookmark:"):
        try:
            werkbank.opslaan(
                viewer, st.session_state.get(SAVE_NAME, ""), st.session_state.get(EDITOR, "")
            )
            st.session_state[NOTICE] = (
                f"Opgeslagen als '{st.session_state[SAVE_NAME].strip()}'. U vindt hem onder "
                "Opgeslagen, ook na een nieuwe lading."
            )
            st.rerun()
        except InvalidSavedQuery as exc:
            st.warning(str(exc))
