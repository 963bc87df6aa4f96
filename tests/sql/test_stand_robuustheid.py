"""The standing of the robustness criteria (kpi.stand_robuustheid) and of the milestones
(kpi.mijlpalen.status_nu): judged against what is in force now, not in the value's own year
(docs/kpis.md, "Norm and status"). Hand-made exports through the real pipeline; the norms and
milestones are the committed reference data (rob_vaste_dienst: >= 80 from 2021, >= 90 from
01-04-2026; the milestone opleidingsprogramma: deadline 01-01-2026, status op_schema)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.sql.kpi_harness import build_lake
from tests.sql.test_kpi_robuustheid import mw


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stand")
    # 31-12-2025: vast 0,85 of 1,0 fte = 85 %; nothing after 2025
    medewerkers = [mw("31-12-2025", "M1", "vast", "0,85"), mw("31-12-2025", "M2", "inhuur", "0,15")]
    return build_lake(tmp, ("medewerkers_20251231.csv", medewerkers))


def test_last_years_value_is_judged_against_the_stricter_norm_in_force_now(cur):
    stand = cur.execute(
        "select periode, waarde, norm_periode, status_periode, operator, norm, geldig_vanaf, "
        "deadline, deadline_voorbij, status, bepaald_op "
        "from kpi.stand_robuustheid where kpi_id = 'rob_vaste_dienst'"
    ).fetchone()
    assert stand[:2] == ("2025", pytest.approx(85))
    # in 2025 the norm was 80: met
    assert stand[2:4] == (80, "groen")
    # now (the build date, after 01-04-2026) 90 holds: 85 misses it by less than 10 % -> oranje
    assert stand[4:8] == (">=", 90, dt.date(2026, 4, 1), dt.date(2026, 4, 1))
    assert stand[8:] == (True, "oranje", dt.date.today())


def test_a_criterion_without_a_value_has_no_status_but_names_its_norm(cur):
    periode, waarde, norm, status = cur.execute(
        "select periode, waarde, norm, status from kpi.stand_robuustheid "
        "where kpi_id = 'rob_innovatiebudget'"
    ).fetchone()
    assert (periode, waarde, norm, status) == (None, None, 1, None)


def test_a_milestone_past_its_deadline_and_not_done_is_never_on_schedule(cur):
    rows = dict(
        cur.execute(
            "select mijlpaal_id, status || ' -> ' || status_nu from kpi.mijlpalen "
            "where mijlpaal_id in ('opleidingsprogramma', 'financiele_norm', 'vp_3a')"
        ).fetchall()
    )
    assert rows == {
        "opleidingsprogramma": "op_schema -> verstreken",  # deadline 01-01-2026
        "financiele_norm": "gereed -> gereed",
        "vp_3a": "gereed -> gereed",
    }
