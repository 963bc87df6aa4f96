"""Norm and status in kpi.waarden, for every operator: groen when the norm is met, oranje when
within the margin of reference/statusregel.csv (10%, relative) of it, rood otherwise, geen_norm
where none applies, empty without value. The margin is read from the reference data only."""

from __future__ import annotations

import shutil

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


ROWS = (
    klachten("GM0164", ja=5, nee=5)  # 10 klachten, 50% gegrond
    + klachten("GM0153", ja=6, nee=5)  # 11 klachten, 54,5% gegrond
    + klachten("GM0141", ja=9, nee=3)  # 12 klachten, 75% gegrond
)
NORMEN = {
    "normen": [
        # at most 10 complaints a year (from 2024), exactly 50% well-founded (from 2023)
        "klachten_aantal;<=;10;01-01-2024;;test;Nee;",
        "klachten_gegrond_pct;=;50;01-01-2023;;test;Nee;",
    ]
}


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    return build_lake(
        tmp_path_factory.mktemp("status"), ("klachten_2024.csv", ROWS), extra_reference=NORMEN
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


def test_the_margin_is_the_reference_datas_own(tmp_path):
    """With a margin of 20% instead of 10%, 12 complaints against at most 10 is oranje
    (<= 12) and 75% against exactly 50% stays rood (outside 40..60); with 0% nothing is oranje."""
    ruim = build_lake(
        tmp_path / "ruim",
        ("klachten_2024.csv", ROWS),
        extra_reference=NORMEN,
        replaced_reference={"statusregel": "oranje_marge_pct;toelichting\n20;test\n"},
    )
    assert kpi(ruim, "klachten_aantal", "GM0141", "2024")["status"] == "oranje"
    assert kpi(ruim, "klachten_gegrond_pct", "GM0141", "2024")["status"] == "rood"
    streng = build_lake(
        tmp_path / "streng",
        ("klachten_2024.csv", ROWS),
        extra_reference=NORMEN,
        replaced_reference={"statusregel": "oranje_marge_pct;toelichting\n0;test\n"},
    )
    assert kpi(streng, "klachten_aantal", "GM0153", "2024")["status"] == "rood"
    assert kpi(streng, "klachten_gegrond_pct", "GM0153", "2024")["status"] == "rood"
    assert kpi(streng, "klachten_aantal", "GM0164", "2024")["status"] == "groen"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("oranje_marge_pct;toelichting\n10;a\n15;b\n", "precies één regel.*heeft er 2"),
        ("oranje_marge_pct;toelichting\n", "precies één regel.*heeft er 0"),
        (
            "oranje_marge_pct;toelichting\n150;a\n",
            "statusregel.csv, regel 2, kolom oranje_marge_pct",
        ),
    ],
)
def test_a_status_rule_that_is_not_one_valid_margin_is_refused(tmp_path, text, message):
    from pipelines.build import BuildError, read_reference
    from vthmonitor.settings import REFERENCE_DIR, Settings

    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    (reference / "statusregel.csv").write_text(text, encoding="utf-8")
    settings = Settings(lake_dir=tmp_path / "lake", reference_dir=reference)
    with pytest.raises(BuildError, match=message):
        read_reference(settings, "statusregel", {})
