"""The series of the trend pages (Naleving, Klachten) as pure functions: the newest values for
the headline, the years a deelnemer has data, and the one table behind the trend charts."""

from __future__ import annotations

import polars as pl

from dashboard.data import trends

REEKS = pl.DataFrame(
    {
        "kpi_id": ["naleefpercentage"] * 4 + ["lhso_zwaarste"] * 2 + ["klachten_aantal"] * 3,
        "deelnemer_code": ["GM0164", "GM0164", "GM0164", "TOTAAL", "GM0164", "GM0164"]
        + ["GM0164"] * 3,
        "deelnemer": ["Hengelo"] * 3 + ["Alle deelnemers"] + ["Hengelo"] * 5,
        "periode": ["2023", "2024", "2025", "2025", "2024", "2025", "2023", "2024", "2025"],
        "waarde": [70.04, 75.55, None, 80.0, 11.0, 14.0, 0.0, 3.0, None],
        "waarde_tekst": [None] * 4 + ["C3", "A2"] + [None] * 3,
        "norm": [80.0, 80.0, 80.0, 80.0] + [None] * 5,
        "status": ["rood", "oranje", None, "groen"] + [None] * 5,
    }
)
CATALOGUS = {
    "naleefpercentage": {"naam": "Naleefpercentage", "eenheid": "procent"},
    "lhso_zwaarste": {"naam": "Zwaarste LHSO-score", "eenheid": "score"},
    "klachten_aantal": {"naam": "Aantal klachten", "eenheid": "aantal"},
}
LABELS = {"groen": "✔ norm gehaald", "oranje": "▲ bijna", "rood": "✖ norm niet gehaald"}


def test_the_newest_value_and_the_one_before_skip_empty_periods():
    laatste, vorige = trends.laatste(REEKS, "naleefpercentage", "GM0164")
    assert (laatste["periode"], laatste["waarde"]) == ("2024", 75.55)
    assert (vorige["periode"], vorige["waarde"]) == ("2023", 70.04)
    laatste, vorige = trends.laatste(REEKS, "naleefpercentage", "TOTAAL")
    assert laatste["periode"] == "2025" and vorige is None
    assert trends.laatste(REEKS, "naleefpercentage", "GM0153") == (None, None)


def test_years_with_data_newest_first_and_a_zero_is_no_complaint():
    assert trends.jaren(REEKS, "naleefpercentage", "GM0164") == [2024, 2023]
    assert trends.jaren(REEKS, "klachten_aantal", "GM0164") == [2024, 2023]
    assert trends.jaren(REEKS, "klachten_aantal", "GM0164", minimum=0) == [2024]
    assert trends.jaren(REEKS, "klachten_aantal", "GM0153") == []


def test_the_table_has_a_column_per_kpi_rounded_as_shown_with_norm_and_status_as_text():
    tabel = trends.tabel(
        REEKS, ("naleefpercentage", "lhso_zwaarste", "klachten_aantal"), CATALOGUS, LABELS
    )
    assert tabel.columns == [
        "Deelnemer",
        "Periode",
        "Naleefpercentage",
        "Norm naleefpercentage",
        "Status naleefpercentage",
        "Zwaarste LHSO-score",
        "Aantal klachten",
    ]
    assert tabel.rows() == [
        ("Alle deelnemers", "2025", 80.0, 80.0, "✔ norm gehaald", None, None),
        ("Hengelo", "2023", 70.0, 80.0, "✖ norm niet gehaald", None, 0.0),
        ("Hengelo", "2024", 75.6, 80.0, "▲ bijna", "C3", 3.0),
        ("Hengelo", "2025", None, 80.0, None, "A2", None),
    ]


def test_a_kpi_without_a_norm_gets_no_norm_or_status_column():
    tabel = trends.tabel(REEKS, ("klachten_aantal", "onbekend"), CATALOGUS, LABELS)
    assert tabel.columns == ["Deelnemer", "Periode", "Aantal klachten"]
