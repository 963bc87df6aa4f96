"""The app-state database's ordered, named migrations: the one store that must survive every
upgrade (docs/architectuur.md). The migration of a real first-version database with rows in it
is in test_service.py."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from vthmonitor.werkbank.app_state import MIGRATIONS, AppState, NewerAppState, migrate


def _applied(path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("select naam from schema_migraties order by rowid")]
    finally:
        con.close()


def test_a_new_database_gets_every_migration_once_in_order(tmp_path):
    path = tmp_path / "werkbank.sqlite3"
    AppState(path)
    assert _applied(path) == [
        "001_eerste_versie",
        "002_auditlog_lengte_en_hash",
        "003_gebruikers_en_activiteit",
        "004_abonnementen",
    ]
    assert [name for name, _ in MIGRATIONS] == sorted(name for name, _ in MIGRATIONS)
    # opening it again applies nothing
    assert migrate(path) == []
    AppState(path)
    assert _applied(path) == [
        "001_eerste_versie",
        "002_auditlog_lengte_en_hash",
        "003_gebruikers_en_activiteit",
        "004_abonnementen",
    ]


def test_a_database_of_before_numbered_migrations_is_adopted_without_losing_rows(
    tmp_path, monkeypatch
):
    # the schema as the release before numbered migrations wrote it: the first two steps'
    # tables and columns, no migrations table
    path = tmp_path / "werkbank.sqlite3"
    monkeypatch.setattr("vthmonitor.werkbank.app_state.MIGRATIONS", MIGRATIONS[:2])
    AppState(path)
    monkeypatch.undo()
    con = sqlite3.connect(path)
    con.execute("drop table schema_migraties")
    con.execute(
        "insert into opgeslagen_query (naam, sql, auteur, opgeslagen_op) "
        "values ('Oud', 'select 42', 'anna', '2026-01-05T10:00:00.000+00:00')"
    )
    con.commit()
    con.close()
    assert migrate(path) == [
        "001_eerste_versie",
        "002_auditlog_lengte_en_hash",
        "003_gebruikers_en_activiteit",
        "004_abonnementen",
    ]
    assert AppState(path).saved()["sql"].to_list() == ["select 42"]


def test_a_database_from_a_newer_version_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "werkbank.sqlite3"
    AppState(path)
    con = sqlite3.connect(path)
    con.execute("insert into schema_migraties values ('003_van_de_toekomst', 'morgen')")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(NewerAppState, match="nieuwere versie van VTH-monitor.*003_van_de_toekomst"):
        AppState(path)
    assert path.read_bytes() == before


def test_processes_starting_at_once_apply_each_migration_once(tmp_path):
    path = tmp_path / "werkbank.sqlite3"
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def start():
        try:
            results.append(migrate(path))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(map(len, results)) == [0, 0, 0, 0, 0, 4]
    assert _applied(path) == [
        "001_eerste_versie",
        "002_auditlog_lengte_en_hash",
        "003_gebruikers_en_activiteit",
        "004_abonnementen",
    ]


def test_a_failing_migration_leaves_nothing_half_done(tmp_path, monkeypatch):
    path = tmp_path / "werkbank.sqlite3"

    def broken(con):
        con.execute("create table halverwege (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(
        "vthmonitor.werkbank.app_state.MIGRATIONS", (*MIGRATIONS, ("003_kapot", broken))
    )
    with pytest.raises(sqlite3.OperationalError):
        migrate(path)
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    con.close()
    assert "halverwege" not in tables and "auditlog" not in tables
