"""The SQL-werkbank page (analysts): run, refuse, limits, schema browser, KPI definitions,
examples, saved queries that outlive a load, history per user, exports, and the audit log the
beheerder sees. Other roles cannot reach the page nor its data functions."""

from __future__ import annotations

import datetime as dt
import io
import re

import polars as pl
import pytest

from dashboard.data import werkbank
from dashboard.viewer import ScopeError, Viewer
from pipelines.load import load
from tests.dashboard.conftest import downloaded, downloaded_file, open_page, texts
from vthmonitor import export
from vthmonitor.settings import Settings
from vthmonitor.toegang import Toegang
from vthmonitor.werkbank.app_state import AppState
from vthmonitor.werkbank.service import examples, kpi_query

PAGE = "sql_werkbank"
JOIN = (
    "select k.klacht_id, k.aard, i.naam as inrichting, i.branche\n"
    "from staging.klachten as k\n"
    "join staging.inrichtingen as i on i.inrichting_id = k.inrichting_id\n"
    "order by k.klacht_id"
)


@pytest.fixture
def state_file(lake_env, tmp_path, monkeypatch):
    """Each test its own app-state database (saved queries, audit log)."""
    path = tmp_path / "werkbank.sqlite3"
    monkeypatch.setenv("VTHMONITOR_APP_STATE", str(path))
    return path


def open_werkbank(name: str = "anna"):
    at = open_page(None, "analist", user=name)
    at.switch_page(f"app_pages/{PAGE}.py").run()
    assert not at.exception
    return at


def run_sql(at, sql: str):
    at.text_area(key="werkbank_sql").input(sql)
    at.button(key="werkbank_uitvoeren").click().run()
    assert not at.exception
    return at


# AppTest does not expose a dataframe's key: the page's tables are told apart by their columns.
SCHEMA_COLUMNS = ["Kolom", "Type", "Beschrijving"]
DEFINITION_COLUMNS = ["KPI", "Id", "Definitie", "Eenheid", "Groep"]


def table_with(at, columns: list[str]):
    found = [d.value for d in at.dataframe if list(d.value.columns) == columns]
    assert len(found) == 1, columns
    return found[0]


def result_table(at):
    """The query result (the editor column comes first on the page), or None."""
    tables = [
        d.value
        for d in at.dataframe
        if list(d.value.columns) not in (SCHEMA_COLUMNS, DEFINITION_COLUMNS)
    ]
    return tables[0] if tables else None


def test_an_analyst_runs_a_join_and_sees_rows_count_and_time(state_file, warehouse):
    at = run_sql(open_werkbank(), JOIN)
    expected = warehouse.execute(JOIN).fetchall()
    table = result_table(at)
    assert len(expected) > 50
    assert list(table.columns) == ["klacht_id", "aard", "inrichting", "branche"]
    assert [tuple(r) for r in table.itertuples(index=False)] == expected
    summary = texts(at)
    assert f"**{len(expected):,} rijen**".replace(",", ".") in summary
    assert " s" in summary.split("rijen**")[1].splitlines()[0]
    assert not at.warning  # not cut off
    log = AppState(state_file).auditlog()
    assert log.select("gebruiker", "rol", "kanaal", "status", "rijen").row(0) == (
        "anna",
        "analist",
        "app",
        "ok",
        len(expected),
    )


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("select * from read_csv('/etc/passwd')", "Bestanden lezen met read_csv()"),
        ("select * from raw.klachten", "raw-laag"),
        ("drop table kpi.waarden", "alleen-lezen: DROP"),
        ("select 1; select 2", "één opdracht tegelijk"),
        ("attach '/tmp/x.duckdb'", "ATTACH"),
    ],
)
def test_refused_queries_say_why_in_dutch_without_a_stack_trace(state_file, sql, words):
    at = run_sql(open_werkbank(), sql)
    assert len(at.error) == 1
    assert at.error[0].value.startswith("**Niet toegestaan.**") and words in at.error[0].value
    assert "Traceback" not in at.error[0].value and not at.exception
    assert result_table(at) is None
    assert AppState(state_file).auditlog()["status"].to_list() == ["geweigerd"]


def test_a_failing_query_shows_duckdbs_message_below_the_dutch_one(state_file):
    at = run_sql(open_werkbank(), "select nietbestaand from kpi.waarden")
    assert "niet bestaat" in at.error[0].value
    assert any("nietbestaand" in c.value for c in at.code)
    assert "Melding van DuckDB:" in texts(at)


@pytest.mark.slow  # waits out a 1 s time limit in the app
def test_a_runaway_query_stops_at_the_time_limit_and_the_app_keeps_serving(state_file, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_SQL_TIJDSLIMIET", "1")
    at = run_sql(
        open_werkbank(), "select count(*) from range(100000) a, range(100000) b, range(100000) c"
    )
    assert "na 1 seconde gestopt" in at.error[0].value
    # the same session goes on: a normal query, then another page
    run_sql(at, "select 1 as een")
    assert result_table(at)["een"].tolist() == [1]
    at.switch_page("app_pages/overzicht.py").run()
    assert not at.exception and at.title[0].value == "Overzicht"


def test_a_large_result_is_capped_with_a_clear_note(state_file, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_SQL_MAX_RIJEN", "250")
    at = run_sql(open_werkbank(), "select * from range(10000000)")
    assert len(result_table(at)) == 250
    assert "afgekapt" in at.warning[0].value and "250" in at.warning[0].value
    assert AppState(state_file).auditlog().select("rijen", "afgekapt").row(0) == (250, True)


def test_the_schema_browser_lists_every_public_relation_with_descriptions(state_file, warehouse):
    at = open_werkbank()
    relation = at.selectbox(key="werkbank_relatie")
    expected = {
        f"{s}.{n}"
        for s, n in warehouse.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('kpi', 'staging', 'marts', 'meta') "
            "union all select schema_name, view_name from duckdb_views() "
            "where schema_name in ('kpi', 'staging', 'marts', 'meta')"
        ).fetchall()
    }
    assert {o.split(" (")[0] for o in relation.options} == expected
    assert not any(o.startswith("raw.") for o in relation.options)
    relation.set_value("staging.klachten").run()
    columns = table_with(at, SCHEMA_COLUMNS)
    described = dict(
        warehouse.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'staging' and table_name = 'klachten'"
        ).fetchall()
    )
    assert dict(zip(columns["Kolom"], columns["Beschrijving"], strict=True)) == described
    assert set(columns["Type"]) >= {"VARCHAR", "TIMESTAMP"}


def test_a_click_inserts_table_and_column_names(state_file):
    at = open_werkbank()
    at.selectbox(key="werkbank_relatie").set_value("staging.klachten").run()
    at.text_area(key="werkbank_sql").input("select count(*) from").run()
    at.button(key="werkbank_relatie_invoegen").click().run()
    assert at.text_area(key="werkbank_sql").value == "select count(*) from staging.klachten"
    at.button_group[0].set_value("aard").run()
    assert at.text_area(key="werkbank_sql").value.endswith("staging.klachten aard")
    at.button_group[0].set_value("aard").run()  # the same name again: inserted again
    assert at.text_area(key="werkbank_sql").value.endswith("aard aard")


def test_a_search_result_opens_its_table(state_file, warehouse):
    """Search, pick the table, open it: its first 100 rows in the result, the query in the
    editor (to change and run again)."""
    at = open_werkbank()
    at.text_input(key="werkbank_zoek").input("klachten").run()
    at.selectbox(key="werkbank_relatie").set_value("staging.klachten").run()
    at.button(key="werkbank_relatie_openen").click().run()
    assert not at.exception
    sql = at.text_area(key="werkbank_sql").value
    assert sql == 'select * from "staging"."klachten" limit 100'
    rows = warehouse.execute("select count(*) from staging.klachten").fetchone()[0]
    table = result_table(at)
    assert rows > 100 and len(table) == 100
    columns = [r[0] for r in warehouse.execute("describe staging.klachten").fetchall()]
    assert list(table.columns) == columns


def test_opening_a_table_quotes_its_name_as_an_identifier():
    assert werkbank.openen_sql('kpi.wa"arden') == 'select * from "kpi"."wa""arden" limit 100'
    assert werkbank.openen_sql("staging.zaken; drop table x", 5) == (
        'select * from "staging"."zaken; drop table x" limit 5'
    )


def test_search_narrows_the_browser_to_matching_tables_and_columns(state_file, warehouse):
    at = open_werkbank()
    at.text_input(key="werkbank_zoek").input("Melder").run()
    options = {o.split(" (")[0] for o in at.selectbox(key="werkbank_relatie").options}
    # case-insensitive, in names and descriptions of relations and columns
    expected = {
        r
        for (r,) in warehouse.execute(
            "select schema_name || '.' || table_name from duckdb_columns() "
            "where schema_name in ('kpi', 'staging', 'marts', 'meta') and ("
            "lower(column_name) like '%melder%' or lower(comment) like '%melder%' "
            "or lower(table_name) like '%melder%') "
            "union select schema_name || '.' || table_name from duckdb_tables() "
            "where schema_name in ('kpi', 'staging', 'marts', 'meta') "
            "and lower(comment) like '%melder%' "
            "union select schema_name || '.' || view_name from duckdb_views() "
            "where schema_name in ('kpi', 'staging', 'marts', 'meta') "
            "and lower(comment) like '%melder%'"
        ).fetchall()
    }
    assert "staging.klachten" in expected and options == expected
    at.text_input(key="werkbank_zoek").input("bestaat-nergens").run()
    assert "Niets gevonden" in at.info[0].value


def test_kpi_definitions_are_searchable_and_start_a_query(state_file, warehouse):
    at = open_werkbank()
    at.text_input(key="werkbank_zoek_kpi").input("naleef").run()
    table = table_with(at, DEFINITION_COLUMNS)
    definitie = warehouse.execute(
        "select definitie from kpi.catalogus where kpi_id = 'naleefpercentage'"
    ).fetchone()[0]
    row = table[table["Id"] == "naleefpercentage"]
    assert row["Definitie"].iloc[0] == definitie and row["KPI"].iloc[0] == "Naleefpercentage"
    at.selectbox(key="werkbank_kpi").set_value("naleefpercentage").run()
    assert definitie in texts(at)  # the whole definition, not cut off in a narrow table
    at.button(key="werkbank_kpi_query").click().run()
    assert at.text_area(key="werkbank_sql").value == kpi_query("naleefpercentage")
    at.button(key="werkbank_uitvoeren").click().run()
    assert len(result_table(at)) > 0


def test_an_example_goes_into_the_editor_and_runs(state_file):
    at = open_werkbank()
    example = next(e for e in examples() if e.name == "klachten_per_inrichting")
    at.button(key=f"werkbank_voorbeeld_{example.name}").click().run()
    assert at.text_area(key="werkbank_sql").value == example.sql
    assert at.text_input(key="werkbank_naam").value == example.title
    at.button(key="werkbank_uitvoeren").click().run()
    assert list(result_table(at).columns)[:3] == ["inrichting_id", "inrichting", "plaats"]


def test_saved_query_is_found_again_in_a_new_session_after_a_new_load(
    state_file, private_lake, tmp_path
):
    at = open_werkbank("anna")
    at.text_area(key="werkbank_sql").input(JOIN)
    at.text_input(key="werkbank_naam").input("Klachten met inrichting")
    at.button(key="werkbank_opslaan").click().run()
    assert "Opgeslagen als 'Klachten met inrichting'" in at.success[0].value

    # The nightly load: a new export, a new build is published.
    extra = tmp_path / "nacht"
    extra.mkdir()
    (extra / "klachten_20260201.csv").write_text(
        "klacht_id;datum_melding;bevoegd_gezag;aard\nKL-NACHT-1;31-01-2026;Hengelo;geur\n",
        encoding="utf-8",
    )
    assert load(private_lake, [extra]).published

    next_day = open_werkbank("anna")
    saved = [e for e in next_day.expander if e.label.startswith("Klachten met inrichting")]
    assert len(saved) == 1 and "anna" in saved[0].label
    saved_id = AppState(state_file).saved()["id"][0]
    next_day.button(key=f"werkbank_open_{saved_id}").click().run()
    assert next_day.text_area(key="werkbank_sql").value == JOIN
    next_day.button(key="werkbank_uitvoeren").click().run()
    assert len(result_table(next_day)) > 50
    # another analyst sees it too (the team's library) but cannot delete it
    other = open_werkbank("bert")
    assert any(e.label.startswith("Klachten met inrichting") for e in other.expander)
    assert not [b for b in other.button if b.key == f"werkbank_weg_{saved_id}"]
    # the author can
    next_day.button(key=f"werkbank_weg_{saved_id}").click().run()
    assert "'Klachten met inrichting' is verwijderd." in next_day.success[0].value
    assert AppState(state_file).saved().height == 0


def test_saving_without_a_name_says_what_to_do(state_file):
    at = open_werkbank()
    at.text_area(key="werkbank_sql").input("select 1")
    at.button(key="werkbank_opslaan").click().run()
    assert "Geef de query een naam" in at.warning[0].value
    assert AppState(state_file).saved().height == 0


def test_history_holds_only_the_users_own_queries(state_file):
    run_sql(run_sql(open_werkbank("anna"), "select 1 as a"), "select 2 as b")
    run_sql(open_werkbank("bert"), "select 3 as c")
    at = open_werkbank("anna")
    history = at.selectbox(key="werkbank_geschiedenis")
    assert len(history.options) == 2
    assert "select 2 as b" in history.options[0] and "select 1 as a" in history.options[1]
    at.button(key="werkbank_geschiedenis_open").click().run()
    assert at.text_area(key="werkbank_sql").value == "select 2 as b"


def test_exports_open_in_polars_with_the_same_rows(state_file):
    at = run_sql(open_werkbank(), JOIN + " limit 200")
    frame = at.session_state["werkbank_resultaat"]["result"].frame
    assert frame.height == 200
    assert pl.read_parquet(io.BytesIO(export.parquet_bytes(frame))).equals(frame)
    from_excel = pl.read_excel(io.BytesIO(export.excel_bytes(frame)))
    assert from_excel.rows() == frame.rows()
    from_csv = pl.read_csv(io.BytesIO(export.csv_bytes(frame)), separator=";")
    assert from_csv.rows() == frame.rows()
    assert len(at.get("download_button")) == 3
    assert [b.label for b in at.get("download_button")] == [
        "Download CSV",
        "Download Excel",
        "Download Parquet",
    ]


@pytest.mark.parametrize(("role", "deelnemer"), [("mt", None), ("accounthouder", "GM0164")])
def test_other_roles_cannot_reach_the_workbench(state_file, role, deelnemer):
    at = open_page(None, role, deelnemer)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"app_pages/{PAGE}.py")
    viewer = Viewer(role=role, deelnemers=(deelnemer,) if deelnemer else ())
    for call in (
        lambda: werkbank.uitvoeren(viewer, "select * from staging.klachten"),
        lambda: werkbank.opgeslagen(viewer),
        lambda: werkbank.geschiedenis(viewer),
        lambda: werkbank.opslaan(viewer, "x", "select 1"),
    ):
        with pytest.raises(ScopeError):
            call()
    assert AppState(state_file).auditlog().height == 0


def test_the_beheerder_sees_the_audit_log_and_the_mt_does_not(state_file):
    run_sql(open_werkbank("anna"), "select * from raw.zaken")
    run_sql(open_werkbank("anna"), "select 7 as zeven")
    at = open_page("datakwaliteit", "beheerder")
    assert "Auditlog SQL-werkbank" in [s.value for s in at.subheader]
    log = next(d.value for d in at.dataframe if "Gebruiker" in d.value.columns)
    assert list(log["Status"]) == ["ok", "geweigerd"]
    assert list(log["Gebruiker"]) == ["anna", "anna"]
    assert list(log["Query"]) == ["select 7 as zeven", "select * from raw.zaken"]
    mt = open_page("datakwaliteit", "mt")
    assert "Auditlog SQL-werkbank" not in [s.value for s in mt.subheader]
    with pytest.raises(ScopeError):
        werkbank.auditlog(Viewer(role="mt"))


@pytest.mark.slow  # writes 45 refused 5 MB queries to the audit log
def test_the_audit_log_view_stays_bounded_and_shows_unfinished_runs(state_file):
    # 45 refused 5 MB queries made the beheerder's table fail (review item 8); and a run whose
    # process was killed stays 'bezig'.
    state = AppState(state_file)
    flood = "select 1 -- " + "x" * 5_000_000
    for _ in range(45):
        state.finish(state.begin("mallory", "analist", "app", flood), "geweigerd", duur_ms=0.1)
    state.begin("anna", "cli", "cli", "select count(*) from staging.zaken")  # then killed
    at = open_page("datakwaliteit", "beheerder")
    assert not at.exception
    log = next(d.value for d in at.dataframe if "Gebruiker" in d.value.columns)
    assert len(log) == 46
    assert log["Status"].iloc[0] == "onderbroken of nog bezig"
    assert list(log["Status"].iloc[1:].unique()) == ["geweigerd"]
    assert log["Query"].str.len().max() == 10_000
    assert set(log["Tekens"].iloc[1:]) == {len(flood)}
    assert "onderbroken of nog bezig" in texts(at).lower()


def test_a_cut_result_is_downloaded_whole_under_a_name_that_says_what(
    state_file, monkeypatch, media
):
    # the display cap is 250 rows; the downloads run the query again, up to 2 000 rows
    monkeypatch.setenv("VTHMONITOR_SQL_MAX_RIJEN", "250")
    monkeypatch.setenv("VTHMONITOR_SQL_EXPORT_MAX_RIJEN", "2000")
    at = run_sql(open_werkbank(), "select range as n, range / 4 as kwart from range(1500)")
    assert len(result_table(at)) == 250
    assert (
        "De tabel toont de eerste 250 rijen. De downloads CSV en Parquet bevatten het hele "
        "resultaat, tot 2.000 rijen: de query draait daarvoor opnieuw (ook in het auditlog). "
        "Excel bevat de getoonde rijen."
    ) in texts(at)
    stam = re.compile(r"werkbank_query_\d{4}-\d{2}-\d{2}_\d{4}")
    csv = downloaded_file(at, media, "werkbank_csv")
    assert stam.fullmatch(csv.filename.removesuffix(".csv")), csv.filename
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "n;kwart" and len(rows) == 1 + 1500 and rows[-1] == "1499;374,75"
    parquet = downloaded_file(at, media, "werkbank_parquet")
    assert parquet.filename.endswith(".parquet")
    assert pl.read_parquet(io.BytesIO(parquet.content))["n"].to_list() == list(range(1500))
    excel = pl.read_excel(io.BytesIO(downloaded(at, media, "werkbank_xlsx")))
    assert excel.height == 250  # the rows shown, as the caption says
    log = AppState(state_file).auditlog()
    assert log.select("kanaal", "rijen", "afgekapt").rows() == [
        ("app-export", 1500, False),
        ("app-export", 1500, False),
        ("app", 250, True),
    ]
    # the activity trail has each download with the rows it really held
    trail = Toegang(Settings.from_env()).activiteit(actie="download")
    assert sorted(trail["rijen"].to_list()) == [250, 1500, 1500]

    # beyond the export limit the download holds the first 2 000 rows
    run_sql(at, "select * from range(5000)")
    rows = downloaded(at, media, "werkbank_csv").decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 2000 and rows[-1] == "1999"


def test_a_whole_result_is_downloaded_as_shown_under_the_saved_querys_name(state_file, media):
    at = open_werkbank()
    at.text_area(key="werkbank_sql").input("select 1 as een")
    at.text_input(key="werkbank_naam").input("Top 10 klachten")
    at.button(key="werkbank_opslaan").click().run()
    at.button(key="werkbank_uitvoeren").click().run()
    assert not at.exception and not at.warning
    assert "De tabel toont" not in texts(at)  # nothing cut: the downloads hold what is shown
    csv = downloaded_file(at, media, "werkbank_csv")
    assert re.fullmatch(r"werkbank_Top_10_klachten_\d{4}-\d{2}-\d{2}_\d{4}\.csv", csv.filename)
    assert csv.content.decode("utf-8-sig") == "een\n1\n"
    assert AppState(state_file).auditlog()["kanaal"].to_list() == ["app"]  # not run again


# --- the page's shaping, without AppTest (dashboard/data/werkbank.py) ---------------------------
def test_a_download_is_named_after_the_saved_query_with_this_sql_in_amsterdam_time():
    opgeslagen = pl.DataFrame(
        {"naam": ["Klachten per aard", "Kopie"], "sql": ["select 1", "select 1"]}
    )
    moment = dt.datetime(2026, 2, 3, 9, 5)
    assert werkbank.download_naam("select 1", opgeslagen, None, moment) == (
        "werkbank_klachten_per_aard_2026-02-03_0905"
    )
    assert werkbank.download_naam("select 1", opgeslagen, " kopie ", moment) == (
        "werkbank_kopie_2026-02-03_0905"
    )
    # a name in the field that is not saved with this SQL does not name the file
    assert werkbank.download_naam("select 2", opgeslagen, "Kopie", moment) == (
        "werkbank_query_2026-02-03_0905"
    )


def test_search_finds_relations_by_name_and_by_column_each_once():
    relaties = pl.DataFrame(
        {
            "schema": ["staging", "kpi"],
            "naam": ["klachten", "waarden"],
            "soort": ["tabel", "view"],
            "beschrijving": ["Klachten van melders", None],
        }
    )
    kolommen = pl.DataFrame(
        {
            "schema": ["staging", "kpi", "kpi"],
            "relatie": ["klachten", "waarden", "waarden"],
            "kolom": ["melder_hash", "waarde", "klacht_teller"],
            "type": ["VARCHAR", "DOUBLE", "BIGINT"],
            "beschrijving": ["", "", "Aantal klachten"],
        }
    )
    assert werkbank.zoek_relaties(relaties, kolommen, "") == (
        ["staging.klachten", "kpi.waarden"],
        0,
    )
    assert werkbank.zoek_relaties(relaties, kolommen, "KLACHT") == (
        ["staging.klachten", "kpi.waarden"],
        2,  # staging.klachten's own columns, by relation name, and klacht_teller
    )
    assert werkbank.zoek_relaties(relaties, kolommen, "melder") == (["staging.klachten"], 1)
    assert werkbank.relatie_info(relaties)["kpi.waarden"] == ("view", "")
    assert werkbank.kolommen_van(kolommen, "kpi.waarden")["Kolom"].to_list() == [
        "waarde",
        "klacht_teller",
    ]


def test_saving_under_a_name_in_use_asks_before_replacing(state_file):
    at = open_werkbank("anna")
    at.text_area(key="werkbank_sql").input("select 1 as eerste")
    at.text_input(key="werkbank_naam").input("Mijn query")
    at.button(key="werkbank_opslaan").click().run()
    assert "Opgeslagen als 'Mijn query'" in at.success[0].value
    at.text_area(key="werkbank_sql").input("select 2 as tweede")
    at.button(key="werkbank_opslaan").click().run()
    # asked, not replaced
    assert "U hebt al een query met de naam 'Mijn query'" in at.warning[0].value
    assert AppState(state_file).saved()["sql"].to_list() == ["select 1 as eerste"]
    at.button(key="werkbank_niet_vervangen").click().run()
    assert not at.warning
    assert AppState(state_file).saved()["sql"].to_list() == ["select 1 as eerste"]
    at.button(key="werkbank_opslaan").click().run()
    at.button(key="werkbank_vervangen").click().run()
    assert "Vervangen 'Mijn query'" in at.success[0].value
    assert AppState(state_file).saved()["sql"].to_list() == ["select 2 as tweede"]
    # another name is saved at once
    at.text_input(key="werkbank_naam").input("Nog een")
    at.button(key="werkbank_opslaan").click().run()
    assert "Opgeslagen als 'Nog een'" in at.success[0].value
    assert AppState(state_file).saved().height == 2
