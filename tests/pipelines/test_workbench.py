"""The workbench service: audit log, saved queries and history in the app-state database, the
example queries, and that what analysts saved survives loads and rebuilds of the lake."""

from __future__ import annotations

import threading

import polars as pl
import pytest

from pipelines.app_state import AppState, InvalidSavedQuery, Uitvoering
from pipelines.build import build_and_publish
from pipelines.lake import LakePaths, PublishedLake, exclusive_lock
from pipelines.load import load
from pipelines.sandbox import Limits, QueryFailed, Refused
from pipelines.sql_worker import Workers
from pipelines.workbench import examples, run_logged


def _run(workers, state, sql, user="anna", **limits):
    return run_logged(
        workers, state, sql, Limits(**limits), gebruiker=user, rol="analist", kanaal="app"
    )


@pytest.fixture
def loaded(settings, small_sample):
    """(settings, a reader to compare with, the workers, the app state) on a loaded lake."""
    load(settings, [small_sample])
    reader = PublishedLake(settings)
    workers = Workers(settings, spares=1)
    yield settings, reader, workers, AppState(settings.app_state_file)
    workers.close()
    reader.close()


def test_every_run_is_logged_with_user_time_duration_rows_and_outcome(loaded):
    settings, lake, workers, state = loaded
    build_id = lake.cursor().execute("select build_id from meta.build").fetchone()[0]
    _run(workers, state, "select * from range(7)")
    _run(workers, state, "select * from range(30)", max_rows=20)
    with pytest.raises(Refused):
        _run(workers, state, "select * from raw.zaken", user="bert")
    with pytest.raises(QueryFailed):
        _run(workers, state, "select * from kpi.bestaat_niet", user="bert")

    log = state.auditlog()
    assert log.select("gebruiker", "status", "rijen", "afgekapt").rows() == [
        ("bert", "fout", None, False),
        ("bert", "geweigerd", None, False),
        ("anna", "ok", 20, True),
        ("anna", "ok", 7, False),
    ]
    assert log["build_id"].unique().to_list() == [build_id]
    assert log["kanaal"].unique().to_list() == ["app"]
    assert (log["duur_ms"].drop_nulls() >= 0).all() and log["duur_ms"].null_count() == 2
    assert "raw-laag" in log["melding"][1]
    assert "bestaat_niet" in log["melding"][0]  # DuckDB's own text is kept for the beheerder
    assert log["tijdstip"].dtype == pl.Datetime("us", "UTC")


def test_history_is_per_user_newest_first_and_each_query_once(loaded):
    _settings, _lake, workers, state = loaded
    for sql in ("select 1", "select 2", "select 1"):
        _run(workers, state, sql, user="anna")
    _run(workers, state, "select 3", user="bert")
    assert state.geschiedenis("anna")["sql"].to_list() == ["select 1", "select 2"]
    assert state.geschiedenis("bert")["sql"].to_list() == ["select 3"]
    assert state.geschiedenis("carla").height == 0


def test_saved_queries_replace_by_author_and_name_and_only_the_author_deletes(tmp_path):
    state = AppState(tmp_path / "state.sqlite3")
    first = state.save("Klachten  per aard", "select 1", "anna")
    state.save("klachten per aard", "select 2", "bert")  # another author: another query
    again = state.save("Klachten per aard", "select 3 ", "anna")
    assert again == first
    saved = state.saved()
    assert saved.select("naam", "sql", "auteur").sort("auteur").rows() == [
        ("Klachten per aard", "select 3", "anna"),
        ("klachten per aard", "select 2", "bert"),
    ]
    assert state.saved_by_name("KLACHTEN PER AARD").height == 2
    assert not state.delete(first, "bert")
    assert state.delete(first, "anna")
    assert state.saved()["auteur"].to_list() == ["bert"]
    with pytest.raises(InvalidSavedQuery, match="Geef de query een naam"):
        state.save("   ", "select 1", "anna")
    with pytest.raises(InvalidSavedQuery, match="geen SQL"):
        state.save("leeg", "  ", "anna")


def test_concurrent_writers_lose_nothing(tmp_path):
    state = AppState(tmp_path / "state.sqlite3")

    def writer(n: int) -> None:
        own = AppState(tmp_path / "state.sqlite3")  # as another session or process would
        for i in range(25):
            own.log(Uitvoering(f"u{n}", "analist", "app", f"select {i}", "ok", 1.0, 1))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = state.auditlog(limit=1000)
    assert log.height == 200
    assert log.group_by("gebruiker").len()["len"].to_list() == [25] * 8


def test_saved_queries_survive_a_rebuild_and_a_new_load(loaded, tmp_path):
    settings, lake, workers, state = loaded
    sql = "select count(*) as n from staging.deelnemers"
    state.save("Aantal deelnemers", sql, "anna")
    before = _run(workers, state, sql).frame["n"][0]
    first_build = lake.cursor().execute("select build_id from meta.build").fetchone()[0]

    with exclusive_lock(LakePaths(settings.lake_dir)):
        build_and_publish(settings, incremental=False)  # what `vthmonitor rebuild` does
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "klachten_20260215.csv").write_text(
        "klacht_id;datum_melding;bevoegd_gezag;aard\nKL-NIEUW-1;10-02-2026;Hengelo;geur\n",
        encoding="utf-8",
    )
    report = load(settings, [extra])
    assert report.published

    saved = AppState(settings.app_state_file).saved_by_name("aantal deelnemers")
    assert saved.row(0, named=True)["sql"] == sql and saved["auteur"][0] == "anna"
    after = _run(workers, state, saved["sql"][0])
    assert after.frame["n"][0] == before
    builds = state.auditlog()["build_id"].to_list()
    assert builds[0] != first_build and builds[-1] == first_build  # ran on the new build


def test_the_example_queries_run_and_agree_with_the_kpi_tables(loaded):
    _settings, lake, workers, state = loaded
    found = {example.name: example for example in examples()}
    assert {
        "naleefpercentage_per_deelnemer_per_kwartaal",
        "klachten_per_aard_2024",
        "uren_per_product",
        "klachten_per_inrichting",
        "kpi_definities",
    } <= set(found)
    results = {}
    for name, example in found.items():
        assert example.title and example.description, name
        result = _run(workers, state, example.sql)
        assert result.rows > 0 and not result.truncated, name
        results[name] = result.frame

    cursor = lake.cursor()
    # naleefpercentage: the example's rows are kpi.waarden's, rounded, with the names.
    expected = cursor.execute(
        "select periode, round(waarde, 1), teller, noemer from kpi.waarden "
        "where kpi_id = 'naleefpercentage' and periode_type = 'kwartaal' "
        "and deelnemer_code = 'GM0164' order by periode desc"
    ).fetchall()
    hengelo = (
        results["naleefpercentage_per_deelnemer_per_kwartaal"]
        .filter(pl.col("deelnemer") == "Hengelo")
        .drop("deelnemer")
    )
    assert hengelo.rows() == expected and len(expected) > 4
    # klachten per aard 2024, counted from staging, equals the KPI breakdown of TOTAAL 2024.
    per_aard = dict(
        cursor.execute(
            "select aard, aantal from kpi.klachten_per_aard "
            "where deelnemer_code = 'TOTAAL' and periode = '2024'"
        ).fetchall()
    )
    assert dict(results["klachten_per_aard_2024"].select("aard", "klachten").rows()) == per_aard
    assert results["klachten_per_aard_2024"]["aandeel_pct"].sum() == pytest.approx(100, abs=0.6)
    # The join: every row is an existing inrichting and its complaints add up from staging.
    joined = results["klachten_per_inrichting"]
    top = joined.row(0, named=True)
    count = cursor.execute(
        "select count(*) from staging.klachten where inrichting_id = ? and datum_melding > "
        "(select max(datum_melding) from staging.klachten) - interval 12 month",
        [top["inrichting_id"]],
    ).fetchone()[0]
    assert top["klachten"] == count and joined["klachten"].is_sorted(descending=True)
    assert (
        results["kpi_definities"].height
        == cursor.execute("select count(*) from kpi.catalogus").fetchone()[0]
    )
