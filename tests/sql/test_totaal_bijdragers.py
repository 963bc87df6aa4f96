"""kpi.totaal_bijdragers: per KPI and period, which deelnemers contribute to TOTAAL (a teller, or
without a teller a waarde, that is neither NULL nor 0). Hand-made penalty payments in, the
contributors counted by hand out (docs/vergelijking-totaal.md).

Lasten onder dwangsom, verbeurd / ingevorderd (EUR):

    2024-Q3   Hengelo 1.000 / 400   Enschede 500 / 100   Borne 800 / 200   Almelo 300 / -
    2024-Q4   Hengelo 1.000 / 500   Enschede 600 / 300   Borne 400 / 100   Almelo 200 / 50

Almelo has a row for 2024-Q3 (something was forfeited) but collected nothing: teller 0, so it
does not contribute to dwangsom_invordering_pct in that quarter. Each quarter is its own load.
"""

from __future__ import annotations

import pytest

from tests.sql.kpi_harness import build_lake

HENGELO, ENSCHEDE, BORNE, ALMELO = "GM0164", "GM0153", "GM0147", "GM0141"


def dwangsom(besluit_id, datum, deelnemer, verbeurd, ingevorderd):
    return {
        "besluit_id": besluit_id,
        "inrichting_id": "I1",
        "bevoegd_gezag": deelnemer,
        "datum_besluit": datum,
        "instrument": "last_onder_dwangsom",
        "dwangsom_bedrag": "5.000,00",
        "verbeurd_bedrag": verbeurd,
        "ingevorderd_bedrag": ingevorderd,
    }


BESLUITEN = [
    dwangsom("H1", "15-08-2024", HENGELO, "1.000,00", "400,00"),
    dwangsom("H2", "15-08-2024", ENSCHEDE, "500,00", "100,00"),
    dwangsom("H3", "15-08-2024", BORNE, "800,00", "200,00"),
    dwangsom("H4", "15-08-2024", ALMELO, "300,00", ""),
    dwangsom("H5", "15-11-2024", HENGELO, "1.000,00", "500,00"),
    dwangsom("H6", "15-11-2024", ENSCHEDE, "600,00", "300,00"),
    dwangsom("H7", "15-11-2024", BORNE, "400,00", "100,00"),
    dwangsom("H8", "15-11-2024", ALMELO, "200,00", "50,00"),
]


def build(tmp_path):
    # Two loads: the second builds incrementally on the first, as the nightly load does.
    return build_lake(
        tmp_path,
        ("handhaving_2024_q3.csv", BESLUITEN[:4]),
        ("handhaving_2024_q4.csv", BESLUITEN[4:]),
    )


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    return build(tmp_path_factory.mktemp("bijdragers"))


def bijdragers(cur, kpi_id: str, periode: str) -> tuple:
    return cur.execute(
        "select per_deelnemer, bijdragers, deelnemers from kpi.totaal_bijdragers "
        "where kpi_id = ? and periode = ?",
        [kpi_id, periode],
    ).fetchone()


def test_a_deelnemer_contributes_with_a_non_zero_teller(cur):
    # Almelo's 2024-Q3 row has teller 0 (nothing collected): not a contributor
    assert cur.execute(
        "select teller, noemer from kpi.waarden where kpi_id = 'dwangsom_invordering_pct' "
        "and deelnemer_code = ? and periode = '2024-Q3'",
        [ALMELO],
    ).fetchone() == (0.0, 300.0)
    assert bijdragers(cur, "dwangsom_invordering_pct", "2024-Q3") == (
        True,
        3,
        [BORNE, ENSCHEDE, HENGELO],
    )
    assert bijdragers(cur, "dwangsom_invordering_pct", "2024-Q4") == (
        True,
        4,
        [ALMELO, BORNE, ENSCHEDE, HENGELO],
    )
    assert bijdragers(cur, "dwangsom_invordering_pct", "2024") == (
        True,
        4,
        [ALMELO, BORNE, ENSCHEDE, HENGELO],
    )


def test_counts_are_zero_where_nobody_has_figures(cur):
    # no controles at all: every deelnemer's count of controles is NULL or 0
    assert bijdragers(cur, "controles_aantal", "2024-Q3") == (True, 0, [])


def test_organisation_level_kpis_have_no_contributors(cur):
    # robustness KPIs exist for TOTAAL only: TOTAAL is not a sum of deelnemers there
    rows = cur.execute(
        "select distinct per_deelnemer, bijdragers, deelnemers from kpi.totaal_bijdragers "
        "where kpi_id like 'rob_%'"
    ).fetchall()
    assert rows == [(False, None, None)]


def test_every_kpi_and_period_of_kpi_waarden_has_a_row(cur):
    missing = cur.execute(
        "select distinct kpi_id, periode_type, periode from kpi.waarden "
        "anti join kpi.totaal_bijdragers using (kpi_id, periode_type, periode)"
    ).fetchall()
    assert missing == []
