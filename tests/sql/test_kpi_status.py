"""Norm and status in kpi.waarden, for every operator: groen when the norm is met, oranje when
within 10% (relative) of it, rood otherwise, geen_norm where none applies, empty without value."""

from __future__ import annotations

import pytest

from tests.sql.kpi_harness import build_lake, kpi


def klachten(deelnemer: str, ja: int, nee: int) -> list[dict]:
    return [
        {
            "klacht_id": f"{deelnemer}-{i}",
            "datum_melding": f"{1 + i % 28:02d}-03-2024",
            "bevoegd_gezag": deelnemer,
            "aard": "geur",
            "gegrond": "Ja" if i < ja else "Nee",
        }
        for i in range(ja + nee)
    ]


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    rows = (
        klachten("GM0164", ja=5, nee=5)  # 10 klachten, 50% gegrond
        + klachten("GM0153", ja=6, nee=5)  # 11 klachten, 54,5% gegrond
        + klachten("GM0141", ja=9, nee=3)  # 12 klachten, 75% gegrond
    )
    return build_lake(
        tmp_path_factory.mktemp("status"),
        ("klachten_2024.csv", rows),
        extra_reference={
            "normen": [
                # at most 10 complaints a year (from 2024), exactly 50% well-founded (from 2023)
                "klachten_aantal;<=;10;01-01-2024;;test;Nee;",
                "klachten_gegrond_pct;=;50;01-01-2023;;test;Nee;",
            ]
        },
    )


@pytest.mark.parametrize(
    ("deelnemer", "status"),
    [("GM0164", "groen"), ("GM0153", "oranje"), ("GM0141", "rood")],  # 10, 11 (<= 11), 12
)
def test_at_most_norm(cur, deelnemer, status):
    row = kpi(cur, "klachten_aantal", deelnemer, "2024")
    assert (row["norm"], row["status"]) == (10, status)


@pytest.mark.parametrize(
    ("deelnemer", "status"),
    # 50 -> groen; 6/11 = 54,5 is within 10% of 50 (45..55) -> oranje; 75 -> rood
    [("GM0164", "groen"), ("GM0153", "oranje"), ("GM0141", "rood")],
)
def test_equal_norm(cur, deelnemer, status):
    row = kpi(cur, "klachten_gegrond_pct", deelnemer, "2024")
    assert (row["norm"], row["status"]) == (50, status)


def test_no_value_gives_no_status_and_no_norm_gives_geen_norm(cur):
    # Borne has no complaints: gegrond_pct has no value -> status empty, norm still shown
    row = kpi(cur, "klachten_gegrond_pct", "GM0147", "2024")
    assert (row["waarde"], row["norm"], row["status"]) == (None, 50, None)
    # a month of 2024 is held against the same norm: Hengelo's 10 complaints in March -> groen
    assert kpi(cur, "klachten_aantal", "GM0164", "2024-03")["status"] == "groen"
    assert kpi(cur, "klachten_herhaalmelders_pct", "GM0164", "2024")["status"] == "geen_norm"
