"""Klachten KPIs: hand-made complaints in, hand-computed values out."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.sql.kpi_harness import build_lake, kpi


def klacht(klacht_id, datum, deelnemer="GM0164", gegrond="", afgehandeld="", **extra):
    return {
        "klacht_id": klacht_id,
        "datum_melding": datum,
        "bevoegd_gezag": deelnemer,
        "aard": extra.pop("aard", "geur"),
        "gegrond": gegrond,
        "datum_afgehandeld": afgehandeld,
        **extra,
    }


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("klachten")
    first = [
        # Hengelo, 2024-Q3: four complaints, one on New Year's Eve 23:30 of 2023 (not 2024)
        klacht(
            "K1",
            "01-07-2024 10:00",
            gegrond="Ja",
            afgehandeld="11-07-2024 09:00",
            melder_email="a@x.nl",
        ),
        klacht(
            "K2",
            "15-08-2024",
            gegrond="Nee",
            afgehandeld="16-08-2024 17:00",
            melder_email="A@X.nl ",
        ),  # same melder as K1 (normalised e-mail)
        klacht(
            "K3",
            "20-09-2024",
            gegrond="Onbekend",
            melder_telefoon="06-12345678",
            melder_email="a@x.nl",
        ),
        klacht(
            "K4",
            "30-09-2024",
            gegrond="Ja",
            afgehandeld="30-09-2024 23:59",
            melder_telefoon="06-99999999",
        ),
        klacht("K5", "31-12-2023 23:30", gegrond="Ja", afgehandeld="02-01-2024"),
        # Enschede, 2024-Q3: one complaint of the same melder (three in the region in total)
        klacht("K6", "05-07-2024", deelnemer="Enschede", melder_email="a@x.nl"),
    ]
    # a later export re-delivers K4 as not well-founded: counted once, latest version
    later = [
        klacht(
            "K4",
            "30-09-2024",
            gegrond="Nee",
            afgehandeld="30-09-2024 23:59",
            melder_telefoon="06-99999999",
        )
    ]
    return build_lake(tmp, ("klachten_2024.csv", first), ("klachten_2025.csv", later))


def test_klachten_aantal_by_the_complaints_own_date(cur):
    assert kpi(cur, "klachten_aantal", "GM0164", "2024-Q3")["waarde"] == 4
    assert kpi(cur, "klachten_aantal", "GM0164", "2024")["waarde"] == 4
    assert kpi(cur, "klachten_aantal", "GM0164", "2023")["waarde"] == 1  # 31-12-2023 23:30
    assert kpi(cur, "klachten_aantal", "GM0164", "2024-07")["waarde"] == 1
    assert kpi(cur, "klachten_aantal", "TOTAAL", "2024-Q3")["waarde"] == 5
    # a deelnemer without complaints in a covered period: 0, not missing
    assert kpi(cur, "klachten_aantal", "GM0141", "2024-Q3")["waarde"] == 0


def test_klachten_per_1000_inwoners(cur):
    row = kpi(cur, "klachten_per_1000_inwoners", "GM0164", "2024")
    assert (row["teller"], row["noemer"]) == (4, 82_100)  # Hengelo's inwoners (reference)
    assert row["waarde"] == pytest.approx(4 / 82_100 * 1000)
    totaal = kpi(cur, "klachten_per_1000_inwoners", "TOTAAL", "2024")
    # sum of numerators over sum of denominators: all 15 deelnemers' inwoners (reference data:
    # 640 100 in the 14 gemeenten + 1 184 000 in the province); 2024: K1-K4 in Hengelo, K6
    assert (totaal["teller"], totaal["noemer"]) == (5, 1_824_100)
    assert totaal["waarde"] == pytest.approx(5 / 1_824_100 * 1000)


def test_klachten_gegrond_pct_counts_latest_version_and_ignores_onbekend(cur):
    row = kpi(cur, "klachten_gegrond_pct", "GM0164", "2024-Q3")
    # K1 Ja, K2 Nee, K3 Onbekend (out), K4 re-delivered as Nee: 1 of 3
    assert (row["teller"], row["noemer"]) == (1, 3)
    assert row["waarde"] == pytest.approx(100 / 3)
    # Enschede's only complaint has no gegrond: empty denominator gives NULL, not 0
    assert kpi(cur, "klachten_gegrond_pct", "GM0153", "2024-Q3")["waarde"] is None


def test_klachten_afhandelduur_mediaan_in_whole_days_by_closing_date(cur):
    # closed in 2024: K1 10 days, K2 1 day, K4 0 days (times ignored), K5 2 days -> median 1.5
    assert kpi(cur, "klachten_afhandelduur_mediaan_dagen", "GM0164", "2024")["waarde"] == 1.5
    # K5 was reported in 2023 but closed in January 2024
    assert kpi(cur, "klachten_afhandelduur_mediaan_dagen", "GM0164", "2024-01")["waarde"] == 2
    assert kpi(cur, "klachten_afhandelduur_mediaan_dagen", "GM0164", "2023")["waarde"] is None
    # TOTAAL: the same four (Enschede's K6 is not closed) -> median 1.5
    assert kpi(cur, "klachten_afhandelduur_mediaan_dagen", "TOTAAL", "2024")["waarde"] == 1.5


def test_afhandelduur_counts_in_the_period_of_closing_even_after_the_last_report(tmp_path):
    cur = build_lake(
        tmp_path,
        ("klachten_2024.csv", [klacht("K1", "01-03-2024", afgehandeld="05-01-2025")]),
    )
    # 01-03-2024 to 05-01-2025 = 310 days, in January 2025 although nothing was reported then
    assert kpi(cur, "klachten_afhandelduur_mediaan_dagen", "GM0164", "2025-01")["waarde"] == 310
    assert kpi(cur, "klachten_aantal", "GM0164", "2025-01")["waarde"] == 0


def test_klachten_herhaalmelders_pct_per_scope(cur):
    # Hengelo 2024-Q3: a@x.nl filed K1, K2, K3 (K3 also has a phone: the e-mail wins) -> 3 of 4
    row = kpi(cur, "klachten_herhaalmelders_pct", "GM0164", "2024-Q3")
    assert (row["teller"], row["noemer"]) == (3, 4)
    # Enschede: one complaint of that melder there -> not a repeat complainant in that scope
    assert kpi(cur, "klachten_herhaalmelders_pct", "GM0153", "2024-Q3")["teller"] == 0
    # TOTAAL: the same melder filed 4 in the region -> 4 of 5
    assert kpi(cur, "klachten_herhaalmelders_pct", "TOTAAL", "2024-Q3")["teller"] == 4
    # per month nobody reaches 3
    assert kpi(cur, "klachten_herhaalmelders_pct", "GM0164", "2024-07")["teller"] == 0


def test_klachten_have_no_norm(cur):
    row = kpi(cur, "klachten_aantal", "GM0164", "2024")
    assert (row["norm"], row["status"]) == (None, "geen_norm")


@pytest.fixture(scope="module")
def breakdown(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("klachten_breakdown")
    inrichtingen = [
        {
            "inrichting_id": "I1",
            "naam": "Bakkerij Oost",
            "bevoegd_gezag": "GM0164",
            "branche": "Voedingsmiddelenindustrie",
        },
        {"inrichting_id": "I2", "naam": "Garage West", "bevoegd_gezag": "GM0164"},
    ]
    rows = [
        # within the 12 months up to the newest complaint (01-06-2025): I1 three, I2 one
        klacht(
            "K1",
            "02-06-2024",
            inrichting_id="I1",
            aard="geur",
            x="250100",
            y="475100",
            melder_postcode="7551 AB",
        ),
        klacht(
            "K2",
            "01-01-2025",
            inrichting_id="I1",
            aard="geur",
            gegrond="Ja",
            melder_postcode="7551 CD",
        ),
        klacht("K3", "01-06-2025", inrichting_id="I1", aard="geluid", melder_postcode="7551"),
        klacht("K4", "01-05-2025", inrichting_id="I2", aard="geluid", melder_postcode="7552 XY"),
        # older than 12 months: not in the TOP-X
        klacht("K5", "01-06-2024", inrichting_id="I2", aard="geluid"),
        klacht("K6", "01-03-2025", deelnemer="GM0153", aard="stof"),
        klacht("K7", "01-02-2025", aard="geur", melder_postcode="7551EF"),  # no source
    ]
    return build_lake(tmp, ("inrichtingen_2025.csv", inrichtingen), ("klachten_2025.csv", rows))


def test_top_inrichtingen_over_the_last_12_months(breakdown):
    rows = breakdown.execute(
        "select rang, inrichting_id, naam, aantal_klachten, aantal_gegrond, meest_gemelde_aard, "
        "periode_van from kpi.klachten_top_inrichtingen where deelnemer_code = 'GM0164' "
        "order by rang"
    ).fetchall()
    assert rows == [
        (1, "I1", "Bakkerij Oost", 3, 1, "geur", dt.date(2024, 6, 2)),
        (2, "I2", "Garage West", 1, 0, "geluid", dt.date(2024, 6, 2)),
    ]


def test_klachten_per_aard_counts_and_shares(breakdown):
    rows = breakdown.execute(
        "select aard, aantal, aandeel_pct from kpi.klachten_per_aard "
        "where deelnemer_code = 'GM0164' and periode = '2025' order by aard"
    ).fetchall()
    # 2025 in Hengelo: K2 geur, K3 geluid, K4 geluid, K7 geur
    assert rows == [("geluid", 2, 50.0), ("geur", 2, 50.0)]
    totaal = breakdown.execute(
        "select sum(aantal) from kpi.klachten_per_aard where deelnemer_code = 'TOTAAL' "
        "and periode = '2025'"
    ).fetchone()
    assert totaal == (5,)


def test_klachten_per_postcode_merges_small_areas(breakdown):
    rows = breakdown.execute(
        "select jaar, postcode4, aard, aantal from kpi.klachten_per_postcode "
        "where deelnemer_code = 'GM0164' order by jaar, postcode4, aard"
    ).fetchall()
    # 2025: 7551 three times (K2, K3, K7: kept), 7552 once (K4: merged into 'overig');
    # 2024: K1 in 7551 alone (merged) and K5 without postcode ('onbekend')
    assert rows == [
        (2024, "onbekend", "geluid", 1),
        (2024, "overig", "geur", 1),
        (2025, "7551", "geluid", 1),
        (2025, "7551", "geur", 2),
        (2025, "overig", "geluid", 1),
    ]


def test_klachten_locaties_are_points_of_the_nuisance(breakdown):
    row = breakdown.execute(
        "select deelnemer_code, jaar, maand, x, y from kpi.klachten_locaties where klacht_id = 'K1'"
    ).fetchone()
    assert row == ("GM0164", 2024, "2024-06", 250100.0, 475100.0)
