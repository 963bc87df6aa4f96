"""The incremental build (pipelines/incremental.py): after every load it gives the same tables as a
full rebuild, table by table, and it recomputes only what the new rows can change."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb
import pytest

from pipelines import build, incremental, models
from pipelines.contract import SOURCES
from pipelines.erasure import erase
from pipelines.load import load
from tests.conftest import TEST_KEY, TODAY
from vthmonitor.lake import LakePaths, published_warehouse
from vthmonitor.settings import Settings

# what says which build it is, not what it holds
BUILD_ONLY = {"raw.build": {"build_id", "gebouwd_op"}, "meta.build": {"build_id", "gebouwd_op"}}


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[tuple]]:
    rows = con.execute(
        "select schema_name || '.' || table_name, "
        "list((column_name, data_type) order by column_index) "
        "from duckdb_columns() where database_name = ? and not internal "
        "and (schema_name, table_name) in (select schema_name, table_name from duckdb_tables() "
        "where database_name = ?) group by all",
        [catalog, catalog],
    ).fetchall()
    return dict(rows)


def differences(left: Path, right: Path) -> list[str]:
    """Every table of both warehouses, compared as multisets of rows (column names, types and
    order included); what differs, in words. Empty when they hold the same.

    A DOUBLE is compared to 12 significant digits: a sum of doubles depends on the order in
    which DuckDB's threads add the rows, so two full builds of the same lake already differ in
    the last bit (16300000.020000001 and 16300000.020000003 euro)."""
    con = duckdb.connect()
    con.execute(f"attach '{left}' as a (read_only)")
    con.execute(f"attach '{right}' as b (read_only)")
    a, b = _tables(con, "a"), _tables(con, "b")
    found = [f"alleen in {side}: {t}" for side, x, y in (("a", a, b), ("b", b, a)) for t in x
             if t not in y]  # fmt: skip
    for table in sorted(set(a) & set(b)):
        if a[table] != b[table]:
            found.append(f"{table}: kolommen {a[table]} tegen {b[table]}")
            continue
        columns = ", ".join(
            f"printf('%.12g', \"{c}\")" if kind in ("DOUBLE", "FLOAT") else f'"{c}"'
            for c, kind in a[table]
            if c not in BUILD_ONLY.get(table, ())
        )
        for x, y in (("a", "b"), ("b", "a")):
            extra = con.execute(
                f"select count(*) from (select {columns} from {x}.{table} "
                f"except all select {columns} from {y}.{table})"
            ).fetchone()[0]
            if extra:
                found.append(f"{table}: {extra} rij(en) alleen in {x}")
    con.close()
    return found


def _full_build_equals_published(settings) -> int:
    """Build from scratch next to the published warehouse (not publishing it) and compare."""
    paths = LakePaths(settings.lake_dir)
    published = published_warehouse(paths)
    full = build.build_warehouse(settings, paths, incremental=False)
    try:
        found = differences(published, full)
        assert found == [], "\n".join(found)
        con = duckdb.connect(str(published), read_only=True)
        count = con.execute("select count(*) from duckdb_tables()").fetchone()[0]
        con.close()
        return count
    finally:
        full.unlink()


def _year(name: str) -> str:
    return re.search(r"_(\d{4})", name).group(1)


@pytest.mark.slow  # seven loads of the small sample, each followed by a full build
def test_incremental_build_equals_full_rebuild_after_every_load(
    settings, small_sample, tmp_path, caplog
):
    # The sample as the exports would arrive: the plans and HR first, then PowerBrowser one year
    # at a time. Each later year re-delivers the zaken, controles and klachten still open, with
    # a newer status (a new version of the same key), and each file has its defective lines,
    # which go to quarantine.
    files = sorted(p for p in small_sample.rglob("*") if p.is_file())
    first = [p for p in files if p.parent.name != "powerbrowser"]
    years = sorted({_year(p.name) for p in files if p.parent.name == "powerbrowser"})
    caplog.set_level(logging.INFO, logger="pipelines.build")
    load(settings, first, today=TODAY)
    assert _full_build_equals_published(settings) > 30
    redelivered = 0
    for year in years:
        batch = [p for p in files if p.parent.name == "powerbrowser" and _year(p.name) == year]
        caplog.clear()
        report = load(settings, batch, today=TODAY)
        assert report.published and not report.any_rejected
        redelivered += sum(f.regels - f.geladen for f in report.files)
        built = [r.getMessage() for r in caplog.records if "incrementeel gebouwd" in r.getMessage()]
        assert len(built) == 1, "the load must build incrementally"
        for f in report.files:  # each source of the load took its rows by key
            assert f"staging.{f.bron}: {f.geladen} rijen bijgewerkt" in built[0]
        _full_build_equals_published(settings)
    assert redelivered > 0  # quarantined lines were part of the loads

    # A zaak erased from every load: its source is recomputed in full, the rest is not.
    con = duckdb.connect(str(published_warehouse(LakePaths(settings.lake_dir))), read_only=True)
    zaak = con.execute("select min(zaaknummer) from staging.zaken").fetchone()[0]
    con.close()
    caplog.clear()
    erase(settings, "zaken", [zaak], reden="AVG-verzoek test", door="test")
    built = [r.getMessage() for r in caplog.records if "incrementeel gebouwd" in r.getMessage()]
    assert len(built) == 1 and "staging.zaken: opnieuw berekend" in built[0]
    assert "staging.uren" not in built[0]
    _full_build_equals_published(settings)


def test_a_second_delivery_of_a_key_replaces_the_first_as_in_a_full_build(settings, tmp_path):
    # Hand-made: zaak Z1 delivered in load 1, again (closed) in load 2 together with Z2 twice in
    # one file (the second line goes to quarantine: a duplicate key, docs/invoer.md); Z3 only
    # in load 1 stays as it was.
    header = (
        "zaaknummer;zaaktype;product;taakveld;taakpakket;bevoegd_gezag;inrichting_id;procedure;"
        "datum_ontvangst;datum_besluit;uiterste_beslisdatum;opschorting_dagen;status;resultaat\n"
    )
    row = (
        "{n};Omgevingsvergunning verlenen;Omgevingsvergunning milieu regulier;"
        "Vergunningverlening;basistaak;Gemeente Hengelo;;regulier;02-01-2025;{besluit};"
        "27-02-2025;;{status};{resultaat}\n"
    )
    one = tmp_path / "zaken_20250131.csv"
    one.write_text(
        header
        + row.format(n="Z1", besluit="", status="open", resultaat="")
        + row.format(n="Z3", besluit="", status="open", resultaat=""),
        encoding="utf-8",
    )
    two = tmp_path / "zaken_20250228.csv"
    two.write_text(
        header
        + row.format(n="Z1", besluit="20-02-2025", status="afgesloten", resultaat="verleend")
        + row.format(n="Z2", besluit="", status="open", resultaat="")
        + row.format(n="Z2", besluit="21-02-2025", status="afgesloten", resultaat="geweigerd"),
        encoding="utf-8",
    )
    assert load(settings, [one], today=TODAY).published
    second = load(settings, [two], today=TODAY)
    assert second.published and (second.files[0].geladen, second.files[0].quarantaine) == (2, 1)
    con = duckdb.connect(str(published_warehouse(LakePaths(settings.lake_dir))), read_only=True)
    rows = con.execute(
        "select zaaknummer, status, resultaat, load_id, regel from staging.zaken order by 1"
    ).fetchall()
    con.close()
    assert rows == [
        ("Z1", "afgesloten", "verleend", "L000002", 2),
        ("Z2", "open", None, "L000002", 3),
        ("Z3", "open", None, "L000001", 3),
    ]
    _full_build_equals_published(settings)


def test_every_source_staging_model_takes_new_rows_by_key():
    # Each source's model is "the newest version per key", so a load updates it by key instead
    # of recomputing it over every version ever loaded.
    con = duckdb.connect()
    staging = {m.name: m for m in models.models("staging")}
    for name, source in SOURCES.items():
        assert incremental.not_latest_per_key(con, staging[name].sql, source) is None, name


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("from versies\n", "from versies where status <> 'open'\n"), "filtert"),
        (("zaaknummer,", "upper(zaaknummer) as zaaknummer,"), "rekent in de kolommen"),
        (("resultaat,", "(select count(*) from versies) as n, resultaat,"), "rekent"),
        (("resultaat,", "current_date - datum_ontvangst as d, resultaat,"), "rekent"),
        (("        zaaknummer,", "        zaaknummer as nummer,"), "sleutelkolom zaaknummer"),
        (("_regel desc", "_regel asc"), "qualify is niet"),
        (("partition by zaaknummer", "partition by status"), "qualify is niet"),
        (("select * from final", "select distinct * from final"), "distinct"),
        (("from versies\n", "from versies join raw.zaken using (zaaknummer)\n"), "meer dan eens"),
        (("select * from raw.zaken", "select * from raw.uren"), "niet alleen raw.zaken"),
        (
            ("select * from raw.zaken", "select * from query_table('raw.zaken')"),
            "niet alleen raw.zaken",
        ),
        (("select * from final", "pivot final on status using count(*)"), "ontleed"),
    ],
)
def test_a_staging_model_of_another_form_is_recomputed_in_full(change, reason):
    con = duckdb.connect()
    zaken = next(m for m in models.models("staging") if m.name == "zaken")
    changed = zaken.sql.replace(*change)
    assert changed != zaken.sql
    why = incremental.not_latest_per_key(con, changed, SOURCES["zaken"])
    assert why is not None and reason in why


def test_what_a_model_reads_comes_from_its_parse_tree():
    con = duckdb.connect()
    sql = (
        "-- zie ook staging.uren\n"
        "with x as (select * from staging.zaken), final as (select * from x "
        "join marts.perioden as p on true where 'kpi.waarden' <> '') select * from final"
    )
    assert incremental.reads(con, sql).relations == {"staging.zaken", "marts.perioden"}
    rewritten = incremental.reading_instead(con, sql, "staging.zaken", "_nieuw")
    assert incremental.reads(con, rewritten).relations == {"marts.perioden"}
    assert "_nieuw" in rewritten


def _month_of_hours(sample_lake: Path) -> Path:
    month = sample_lake.parent / "uren_20260131.csv"
    month.write_text(
        "regel_id;medewerker_id;datum;product;taakpakket;zaaknummer;uren;declarabel;"
        "bevoegd_gezag\n"
        "U-extra-1;M0001;15-12-2025;Omgevingsvergunning milieu regulier;basistaak;;3,5;Ja;"
        "Gemeente Hengelo\n"
        "U-extra-2;M0002;16-12-2025;Omgevingsvergunning milieu regulier;basistaak;;2;Ja;"
        "Gemeente Enschede\n",
        encoding="utf-8",
    )
    return month


@pytest.mark.slow  # a full build to compare with
def test_a_load_of_hours_recomputes_the_hour_kpis_and_not_the_case_kpis(sample_lake, caplog):
    # A month of hours inside the known date range: the calendar does not move and only the
    # coverage of hours does, so the families of zaken, klachten and controles stay as they are.
    settings = Settings(lake_dir=sample_lake, pseudonym_key_value=TEST_KEY)
    caplog.set_level(logging.INFO, logger="pipelines.build")
    report = load(settings, [_month_of_hours(sample_lake)], today=TODAY)
    assert report.files[0].geladen == 2
    built = [r.getMessage() for r in caplog.records if "incrementeel gebouwd" in r.getMessage()]
    assert len(built) == 1
    assert "staging.uren: 2 rijen bijgewerkt" in built[0]
    assert "marts.kpi_uren: familie opnieuw berekend" in built[0]
    for untouched in (
        "staging.zaken",
        "marts.kpi_output",
        "marts.kpi_klachten",
        "marts.kpi_naleving",
    ):
        assert untouched not in built[0]
    _full_build_equals_published(settings)


@pytest.mark.slow  # two builds
def test_what_fails_only_incrementally_is_built_in_full_and_excludes_no_load(
    sample_lake, caplog, monkeypatch
):
    # A staging model of a form nobody foresaw may fail on the incremental path only; the new
    # load is not to blame, so the build falls back to a full one and publishes it.
    settings = Settings(lake_dir=sample_lake, pseudonym_key_value=TEST_KEY)

    def unforeseen(*args, **kwargs):
        raise duckdb.BinderException('Table "s" does not have a column named "regel_id"')

    monkeypatch.setattr(incremental, "upsert", unforeseen)
    caplog.set_level(logging.INFO, logger="pipelines.build")
    report = load(settings, [_month_of_hours(sample_lake)], today=TODAY)
    assert report.published and report.excluded == []
    assert any("incrementeel bouwen mislukte" in r.getMessage() for r in caplog.records)
    con = duckdb.connect(str(published_warehouse(LakePaths(sample_lake))), read_only=True)
    assert con.execute(
        "select count(*) from staging.uren where regel_id like 'U-extra-%'"
    ).fetchone() == (2,)
    con.close()
    _full_build_equals_published(settings)
