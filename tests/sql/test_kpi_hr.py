"""HR KPIs and the FTE-per-team breakdown: hand-made snapshots in, hand-computed values out."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.sql.kpi_harness import build_lake, kpi


def mw(peildatum, medewerker, dienstverband, fte, team="Toezicht", **extra):
    return {
        "peildatum": peildatum,
        "medewerker_id": medewerker,
        "functie": extra.pop("functie", "toezichthouder"),
        "team": team,
        "fte": fte,
        "dienstverband": dienstverband,
        "datum_in": extra.pop("datum_in", ""),
        "datum_uit": extra.pop("datum_uit", ""),
        "kwaliteitscriteria": extra.pop("kwaliteitscriteria", "voldoet"),
        "boa": extra.pop("boa", "Nee"),
        **extra,
    }


def formatie(jaar, team, functie, fte):
    return {"jaar": jaar, "team": team, "functie": functie, "formatie_fte": fte}


VERG = {"team": "Vergunningen", "functie": "vergunningverlener"}


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hr")
    # 2023: one snapshot with only a trainee-student (stagiair): bezetting 0, no formatie
    mw2023 = [
        mw(
            "31-12-2023",
            "S1",
            "stagiair",
            "0,4",
            datum_in="01-09-2023",
            kwaliteitscriteria="n.v.t.",
        )
    ]
    # 2024: two snapshots; the year (and Q4) is measured on the later one, Q2 on the earlier one
    juni = "30-06-2024"
    dec = "31-12-2024"
    mw2024 = [
        mw(juni, "A", "vast", "1,0", boa="Ja", datum_in="01-03-2020"),
        mw(juni, "B", "vast", "1,0", datum_in="01-01-2019", **VERG),
        mw(juni, "X", "vast", "1,0", datum_in="01-01-2018", datum_uit="31-07-2024", **VERG),
        mw(juni, "C", "tijdelijk", "0,8", datum_in="15-02-2024", **VERG),
        mw(dec, "A", "vast", "1,0", boa="Ja", datum_in="01-03-2020"),
        mw(dec, "B", "vast", "0,8", datum_in="01-01-2019", **VERG),
        mw(dec, "C", "tijdelijk", "0,8", datum_in="15-02-2024", **VERG),
        mw(dec, "D", "inhuur", "0,5", boa="Ja", datum_in="01-10-2024"),
        mw(dec, "E", "detachering", "0,5", datum_in="01-11-2024", **VERG),
        mw(dec, "F", "trainee", "0,6", datum_in="01-09-2024"),
        mw(dec, "G", "stagiair", "0,4", datum_in="01-09-2024", kwaliteitscriteria="n.v.t."),
        mw(dec, "H", "vast", "1,0", datum_in="01-01-2015", datum_uit="31-03-2025"),
    ]
    # a later export re-delivers C on 31-12-2024 with 0,9 fte: counted once, latest version
    herlevering = [mw(dec, "C", "tijdelijk", "0,9", datum_in="15-02-2024", **VERG)]
    mw2025 = [
        mw("31-12-2025", "A", "vast", "1,0", boa="Ja", datum_in="01-03-2020"),
        mw("31-12-2025", "B", "vast", "1,0", datum_in="01-01-2019", **VERG),
        mw("31-12-2025", "C", "vast", "0,9", datum_in="15-02-2024", **VERG),
        mw("31-12-2025", "D", "inhuur", "0,5", boa="Ja", datum_in="01-10-2024"),
        mw("31-12-2025", "F", "trainee", "0,6", datum_in="01-09-2024"),
    ]
    formatie_1 = [
        formatie(2024, "Toezicht", "toezichthouder", "4,0"),
        formatie(2024, "Vergunningen", "vergunningverlener", "2,0"),
        formatie(2025, "Toezicht", "toezichthouder", "4,5"),
        formatie(2025, "Vergunningen", "vergunningverlener", "2,0"),
    ]
    # re-delivered formatie 2025 Vergunningen: 2,5 replaces 2,0
    formatie_2 = [formatie(2025, "Vergunningen", "vergunningverlener", "2,5")]
    return build_lake(
        tmp,
        ("medewerkers_2023.csv", mw2023),
        ("medewerkers_2024.csv", mw2024),
        ("formatie_2024.csv", formatie_1),
        ("medewerkers_2024_herlevering.csv", herlevering),
        ("formatie_2025.csv", formatie_2),
        ("medewerkers_2025.csv", mw2025),
    )


def waarde(cur, kpi_id, periode):
    return kpi(cur, kpi_id, "TOTAAL", periode)["waarde"]


def test_hr_bezetting_fte_on_the_last_peildatum_without_stagiairs(cur):
    # 31-12-2024: A 1,0 + B 0,8 + C 0,9 (re-delivered) + D 0,5 + E 0,5 + F 0,6 + H 1,0 = 5,3
    # (G stagiair out; the 30-06-2024 snapshot does not count for the year)
    row = kpi(cur, "hr_bezetting_fte", "TOTAAL", "2024")
    assert row["waarde"] == pytest.approx(5.3)
    assert row["teller"] == pytest.approx(5.3)
    assert waarde(cur, "hr_bezetting_fte", "2024-Q4") == pytest.approx(5.3)
    # 2024-Q2 is measured on 30-06-2024: A 1,0 + B 1,0 + X 1,0 + C 0,8 = 3,8
    assert waarde(cur, "hr_bezetting_fte", "2024-Q2") == pytest.approx(3.8)
    # 2025: A 1,0 + B 1,0 + C 0,9 + D 0,5 + F 0,6 = 4,0
    assert waarde(cur, "hr_bezetting_fte", "2025") == pytest.approx(4.0)
    # 2023: a snapshot with only a stagiair: 0 fte (there is data)
    assert waarde(cur, "hr_bezetting_fte", "2023") == 0
    # no peildatum in 2024-Q1 or 2024-Q3: no data, NULL
    assert waarde(cur, "hr_bezetting_fte", "2024-Q1") is None
    assert waarde(cur, "hr_bezetting_fte", "2024-Q3") is None
    # periods before the first HR data are not reported at all
    assert kpi(cur, "hr_bezetting_fte", "TOTAAL", "2023-Q3") is None
    # only TOTAAL, and no months
    assert kpi(cur, "hr_bezetting_fte", "GM0153", "2024") is None
    assert kpi(cur, "hr_bezetting_fte", "TOTAAL", "2024-12") is None


def test_hr_formatie_fte_per_year_and_for_its_quarters(cur):
    # 2024: 4,0 + 2,0 = 6,0; 2025: 4,5 + 2,5 (re-delivered, replaces 2,0) = 7,0
    assert waarde(cur, "hr_formatie_fte", "2024") == pytest.approx(6.0)
    assert waarde(cur, "hr_formatie_fte", "2024-Q1") == pytest.approx(6.0)
    assert waarde(cur, "hr_formatie_fte", "2024-Q3") == pytest.approx(6.0)
    assert waarde(cur, "hr_formatie_fte", "2025") == pytest.approx(7.0)
    # no formatie for 2023: NULL, not 0
    assert waarde(cur, "hr_formatie_fte", "2023") is None


def test_hr_bezettingsgraad_pct(cur):
    # 2024: vast + tijdelijk + trainee = A 1,0 + B 0,8 + H 1,0 + C 0,9 + F 0,6 = 4,3 of 6,0
    row = kpi(cur, "hr_bezettingsgraad_pct", "TOTAAL", "2024")
    assert (row["teller"], row["noemer"]) == (pytest.approx(4.3), pytest.approx(6.0))
    assert row["waarde"] == pytest.approx(4.3 / 6.0 * 100)  # 71,67
    # 2024-Q2 on 30-06-2024: 3,8 of the year's formatie 6,0
    assert waarde(cur, "hr_bezettingsgraad_pct", "2024-Q2") == pytest.approx(3.8 / 6.0 * 100)
    # 2025: A 1,0 + B 1,0 + C 0,9 + F 0,6 = 3,5 of 7,0 = 50 (inhuur D not counted)
    assert waarde(cur, "hr_bezettingsgraad_pct", "2025") == pytest.approx(50.0)
    # no formatie in 2023: empty denominator gives NULL
    assert waarde(cur, "hr_bezettingsgraad_pct", "2023") is None
    # formatie but no snapshot in 2024-Q1: NULL
    assert waarde(cur, "hr_bezettingsgraad_pct", "2024-Q1") is None


def test_hr_inhuur_pct(cur):
    # 2024: inhuur D 0,5 + detachering E 0,5 = 1,0 of bezetting 5,3
    row = kpi(cur, "hr_inhuur_pct", "TOTAAL", "2024")
    assert (row["teller"], row["noemer"]) == (pytest.approx(1.0), pytest.approx(5.3))
    assert row["waarde"] == pytest.approx(1.0 / 5.3 * 100)  # 18,87
    # 2025: D 0,5 of 4,0 = 12,5
    assert waarde(cur, "hr_inhuur_pct", "2025") == pytest.approx(12.5)
    # 2023: bezetting 0 (only a stagiair): NULL, not 0
    row = kpi(cur, "hr_inhuur_pct", "TOTAAL", "2023")
    assert (row["waarde"], row["noemer"]) == (None, 0)


def test_hr_boa_fte(cur):
    # 31-12-2024: A 1,0 (vast) + D 0,5 (inhuur) = 1,5; 30-06-2024 (Q2): A 1,0
    assert waarde(cur, "hr_boa_fte", "2024") == pytest.approx(1.5)
    assert waarde(cur, "hr_boa_fte", "2024-Q2") == pytest.approx(1.0)
    assert waarde(cur, "hr_boa_fte", "2023") == 0
    assert waarde(cur, "hr_boa_fte", "2024-Q3") is None  # no snapshot


def test_hr_instroom_counts_each_medewerker_once(cur):
    # datum_in in 2024: C (15-02, in three rows: June, December and its re-delivery),
    # F and G (01-09), D (01-10), E (01-11) -> 5
    assert waarde(cur, "hr_instroom", "2024") == 5
    assert waarde(cur, "hr_instroom", "2024-Q1") == 1  # C
    assert waarde(cur, "hr_instroom", "2024-Q2") == 0
    assert waarde(cur, "hr_instroom", "2024-Q3") == 2  # F, G (stagiair included: no exclusion)
    assert waarde(cur, "hr_instroom", "2024-Q4") == 2  # D, E
    assert waarde(cur, "hr_instroom", "2023") == 1  # S1
    assert waarde(cur, "hr_instroom", "2025") == 0  # nobody: 0, a covered period


def test_hr_uitstroom(cur):
    # X leaves 31-07-2024 (seen on 30-06-2024); H leaves 31-03-2025 (known on 31-12-2024)
    assert waarde(cur, "hr_uitstroom", "2024") == 1
    assert waarde(cur, "hr_uitstroom", "2024-Q3") == 1
    assert waarde(cur, "hr_uitstroom", "2025") == 1
    assert waarde(cur, "hr_uitstroom", "2025-Q1") == 1
    assert waarde(cur, "hr_uitstroom", "2025-Q2") == 0


def test_hr_kpis_have_no_norm(cur):
    for kpi_id in ("hr_bezetting_fte", "hr_inhuur_pct", "hr_instroom"):
        row = kpi(cur, kpi_id, "TOTAAL", "2024")
        assert (row["norm"], row["status"]) == (None, "geen_norm")


def _team_rows(cur, peildatum):
    return {
        (team, dienstverband): (fte, n)
        for team, dienstverband, fte, n in cur.execute(
            "select team, dienstverband, fte, medewerkers from kpi.fte_per_team "
            "where peildatum = ?",
            [peildatum],
        ).fetchall()
    }


def test_fte_per_team_per_peildatum_and_dienstverband(cur):
    rows = _team_rows(cur, dt.date(2024, 12, 31))
    assert rows.keys() == {
        ("Toezicht", "vast"),
        ("Toezicht", "inhuur"),
        ("Toezicht", "trainee"),
        ("Toezicht", "stagiair"),
        ("Vergunningen", "vast"),
        ("Vergunningen", "tijdelijk"),
        ("Vergunningen", "detachering"),
    }
    assert rows[("Toezicht", "vast")] == (pytest.approx(2.0), 2)  # A 1,0 + H 1,0
    assert rows[("Vergunningen", "tijdelijk")] == (pytest.approx(0.9), 1)  # C, re-delivered
    assert rows[("Toezicht", "stagiair")] == (pytest.approx(0.4), 1)  # G: listed here
    # the year's last snapshot adds up to hr_bezetting_fte plus the stagiairs
    total = sum(fte for (_, verband), (fte, _) in rows.items() if verband != "stagiair")
    assert total == pytest.approx(waarde(cur, "hr_bezetting_fte", "2024"))
    juni = _team_rows(cur, dt.date(2024, 6, 30))
    assert juni[("Vergunningen", "vast")] == (pytest.approx(2.0), 2)  # B 1,0 + X 1,0


def test_fte_per_team_marks_the_last_peildatum_of_each_period(cur):
    marks = dict(
        (peildatum, (jaar, kwartaal, laatste_jaar, laatste_kwartaal))
        for peildatum, jaar, kwartaal, laatste_jaar, laatste_kwartaal in cur.execute(
            "select distinct peildatum, jaar, kwartaal, laatste_in_jaar, laatste_in_kwartaal "
            "from kpi.fte_per_team"
        ).fetchall()
    )
    assert marks == {
        dt.date(2023, 12, 31): (2023, "2023-Q4", True, True),
        dt.date(2024, 6, 30): (2024, "2024-Q2", False, True),
        dt.date(2024, 12, 31): (2024, "2024-Q4", True, True),
        dt.date(2025, 12, 31): (2025, "2025-Q4", True, True),
    }
