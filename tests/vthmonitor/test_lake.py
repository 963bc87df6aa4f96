"""The lake as a whole: loading the sample, idempotency, rebuild from raw, kills and readers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.build import build_and_publish
from pipelines.load import AL_GELADEN, GELADEN, load
from pipelines.sample import write_sample
from tests.conftest import TODAY
from vthmonitor.lake import LakePaths, PublishedLake, connect_reader, published_warehouse

TABLES = [
    "raw.zaken",
    "raw.uren",
    "raw.klachten",
    "raw.controles",
    "raw.inrichtingen",
    "raw.medewerkers",
    "raw.handhaving",
    "staging.zaken",
    "staging.uren",
    "staging.klachten",
    "staging.controles",
    "staging.inrichtingen",
    "staging.medewerkers",
    "staging.begroting",
    "staging.programma",
    "staging.deelnemers",
    "staging.normen",
    "staging.mijlpalen",
]


def snapshot(path: Path) -> dict[str, list]:
    """Every table's rows (sorted), with the load bookkeeping columns left out."""
    con = connect_reader(path)
    try:
        result = {}
        for table in TABLES:
            cols = [
                c
                for c in con.sql(f"select * from {table} limit 0").columns
                if c not in ("_load_id", "load_id")
            ]
            select = ", ".join(f'"{c}"' for c in cols)
            result[table] = sorted(
                con.execute(f"select {select} from {table}").fetchall(), key=repr
            )
        return result
    finally:
        con.close()


def test_sample_loads_completely(small_sample_load):
    # the session's load of the small sample (tests/conftest.py), which many tests build on
    settings, report = small_sample_load.settings, small_sample_load.report
    assert not report.any_rejected
    assert all(f.status == GELADEN for f in report.files)
    for f in report.files:
        assert f.geladen + f.quarantaine == f.regels, f.bestand
    assert sum(f.quarantaine for f in report.files) > 0  # the sample has defects on purpose
    cur = PublishedLake(settings).cursor()
    # zaken still open at the end of a year are re-delivered: staging has one row per zaak
    raw, current, distinct = cur.execute(
        "select (select count(*) from raw.zaken), (select count(*) from staging.zaken), "
        "(select count(distinct zaaknummer) from raw.zaken)"
    ).fetchone()
    assert raw > current == distinct
    # no clear personal data reaches the warehouse
    names = cur.execute("select column_name from information_schema.columns").fetchall()
    assert ("omschrijving",) not in names and ("geboortedatum",) not in names
    emails = cur.execute("select count(*) from staging.klachten where melder_email like '%@%'")
    assert emails.fetchone()[0] == 0


def test_loading_twice_changes_nothing(settings, sample_lake, small_sample):
    assert settings.lake_dir == sample_lake  # a copy of a lake with the sample loaded once
    paths = LakePaths(settings.lake_dir)
    first = published_warehouse(paths)
    before = snapshot(first)
    again = load(settings, [small_sample], today=TODAY)
    assert again.load_id is None and again.published is None
    assert {f.status for f in again.files} == {AL_GELADEN}
    assert published_warehouse(paths) == first
    assert len(list(paths.loads.glob("L*.json"))) == 1
    assert snapshot(first) == before


@pytest.mark.slow  # builds the whole sample twice
def test_rebuild_from_raw_gives_identical_tables(settings, small_sample):
    load(settings, [small_sample], today=TODAY)
    paths = LakePaths(settings.lake_dir)
    first = published_warehouse(paths)
    before = snapshot(first)
    for old in paths.warehouse.glob("*.duckdb"):  # the warehouse is disposable
        old.unlink()
    rebuilt = build_and_publish(settings)
    assert rebuilt != first
    assert snapshot(rebuilt) == before


@pytest.mark.slow  # builds the whole sample three times
def test_incremental_build_equals_full_rebuild(settings, small_sample, tmp_path):
    # first the HR and finance files, then PowerBrowser in a second load (incremental build)
    first, second = tmp_path / "eerst", tmp_path / "daarna"
    for folder, parts in ((first, ("hr", "financien")), (second, ("powerbrowser",))):
        folder.mkdir()
        for part in parts:
            for f in (small_sample / part).iterdir():
                (folder / f.name).write_bytes(f.read_bytes())
    load(settings, [first], today=TODAY)
    report = load(settings, [second], today=TODAY)
    paths = LakePaths(settings.lake_dir)
    incremental = published_warehouse(paths)
    assert incremental.name == report.published
    con = connect_reader(incremental)
    held = con.execute("select laadids from meta.build").fetchone()[0]
    con.close()
    assert held == ["L000001", "L000002"]
    full = build_and_publish(settings, incremental=False)
    assert snapshot(full) == snapshot(incremental)


def _load_process(sample: Path, lake: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "vthmonitor.cli", "load", str(sample), "--lake", str(lake)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def medium_sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("medium")
    write_sample(out, scale=0.05, seed=11)
    return out


@pytest.mark.slow
def test_sigkill_during_load_leaves_last_state_and_next_load_succeeds(
    tmp_path, medium_sample, project_env, settings
):
    # A first, complete load of part of the data: the state that must survive the kills.
    base = tmp_path / "base"
    base.mkdir()
    for f in (medium_sample / "powerbrowser").glob("klachten_*"):
        (base / f.name).write_bytes(f.read_bytes())
    load(settings, [base], today=TODAY)
    paths = LakePaths(settings.lake_dir)
    published = published_warehouse(paths)
    before = snapshot(published)

    # Kill full loads at increasing moments: parsing, writing Parquet, building, publishing.
    for delay in (0.2, 0.6, 1.0, 1.5, 2.0, 2.5, 3.0):
        proc = _load_process(medium_sample, settings.lake_dir, project_env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        current = published_warehouse(paths)
        # readable, and either the old state or a complete new one: never half
        con = connect_reader(current)
        loads_in_build = con.execute("select count(distinct load_id) from meta.loads").fetchone()[0]
        con.close()
        if current == published:
            assert snapshot(current) == before
        else:
            assert loads_in_build == 2
            break

    proc = _load_process(medium_sample, settings.lake_dir, project_env)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    con = connect_reader(published_warehouse(paths))
    zaken = con.execute("select count(*) from staging.zaken").fetchone()[0]
    con.close()
    assert zaken > 0
    # no orphan files of the killed loads remain next to the committed ones
    committed = {p.stem for p in paths.loads.glob("L*.json")}
    for parquet in paths.raw.glob("*/*.parquet"):
        assert parquet.name.split("-")[0] in committed


@pytest.mark.slow
def test_readers_never_blocked_nor_see_a_mixed_state(
    tmp_path, medium_sample, project_env, settings
):
    folders = []
    for i, pattern in enumerate(("klachten_*", "controles_*", "zaken_*", "uren_*")):
        folder = tmp_path / f"part{i}"
        folder.mkdir()
        for f in (medium_sample / "powerbrowser").glob(pattern):
            (folder / f.name).write_bytes(f.read_bytes())
        folders.append(folder)
    load(settings, [folders[0]], today=TODAY)

    errors: list[str] = []
    seen_builds: set[str] = set()
    stop = threading.Event()

    def reader() -> None:
        lake = PublishedLake(settings)
        while not stop.is_set():
            try:
                cur = lake.cursor()
                # In one build, the rows in raw must equal what its load log says was loaded.
                build, logged, rows = cur.execute(
                    "select (select build_id from meta.build), "
                    "(select coalesce(sum(geladen), 0) from meta.loads where status = 'geladen'), "
                    "(select count(*) from raw.klachten) + (select count(*) from raw.controles) "
                    "+ (select count(*) from raw.zaken) + (select count(*) from raw.uren)"
                ).fetchone()
                seen_builds.add(build)
                if logged != rows:
                    errors.append(f"mixed state in {build}: {logged} logged, {rows} rows")
            except (duckdb.Error, OSError) as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for folder in folders[1:]:
            proc = _load_process(folder, settings.lake_dir, project_env)
            assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert len(seen_builds) >= 2  # the readers really followed the loads


def test_load_record_is_the_commit(small_sample_load):
    report = small_sample_load.report
    paths = LakePaths(small_sample_load.settings.lake_dir)
    record = json.loads((paths.loads / f"{report.load_id}.json").read_text())
    assert [f["bestand"] for f in record["bestanden"]] == [f.bestand for f in report.files]
    for f in record["bestanden"]:
        assert (paths.root / f["raw"]).exists()
        assert os.path.exists(paths.landing / f["bron"] / (f["sha256"] + Path(f["bestand"]).suffix))
