"""The data contract is the only list of sources (docs/datacontract.md): the meta views and the
KPI calendar read relations generated from it, so no source can silently drop off the
Datakwaliteit page or out of the calendar."""

from __future__ import annotations

import pytest

from pipelines.contract import SOURCES
from vthmonitor.lake import PublishedLake


@pytest.fixture(scope="module")
def cur(small_sample_load):
    lake = PublishedLake(small_sample_load.settings)
    yield lake.cursor()
    lake.close()


def test_every_source_of_the_contract_is_in_the_freshness_view_with_its_real_counts(cur):
    rows = cur.execute(
        "select bron, titel, rijen, nieuwste_gebeurtenis from meta.versheid"
    ).fetchall()
    assert [r[0] for r in rows] == list(SOURCES)  # all of them, in the contract's order
    for bron, titel, rijen, newest in rows:
        source = SOURCES[bron]
        assert titel == source.title
        assert rijen == cur.execute(f"select count(*) from staging.{bron}").fetchone()[0] > 0
        if source.date_column:
            expected = cur.execute(
                f"select max({source.date_column})::date from staging.{bron}"
            ).fetchone()[0]
            assert newest == expected, bron
        else:
            assert newest is None, bron


def test_every_source_with_rows_per_deelnemer_is_counted(cur):
    counted = dict(
        cur.execute(
            "select bron, sum(rijen) from meta.bronnen_per_deelnemer group by all"
        ).fetchall()
    )
    assert set(counted) == set(SOURCES)
    for bron in SOURCES:
        assert counted[bron] == cur.execute(f"select count(*) from staging.{bron}").fetchone()[0]


def test_the_calendar_spans_exactly_the_contracts_calendar_columns(cur):
    first, last = cur.execute(
        "select min(jaar), max(jaar) from marts.perioden where periode_type = 'jaar'"
    ).fetchone()
    parts = [
        f"select min(year({c})), max(year({c})) from staging.{s.name}"
        if s.column(c).type != "int"
        else f"select min({c}), max({c}) from staging.{s.name}"
        for s in SOURCES.values()
        for c in s.calendar
    ]
    spans = [cur.execute(p).fetchone() for p in parts]
    assert (first, last) == (
        min(lo for lo, _ in spans if lo is not None),
        max(hi for _, hi in spans if hi is not None),
    )
