"""Naleving KPIs and the LHSO matrix: hand-made controles, besluiten, inrichtingen and HR rows in,
hand-computed values out.

The data, per deelnemer (after the re-deliveries in the second exports):

Hengelo (GM0164), controles in 2024-Q3
    C1 periodiek            0 overtredingen        kWh 1.234,5  m3 100
    C2 periodiek            2 overtredingen  B4
    C3 periodiek            3 overtredingen  A1    (first delivered as 0 overtredingen, kWh 999)
    C4 hercontrole          1 overtreding    D2    kWh 10
    C5 handhavingscontrole  0 overtredingen
  and C6 periodiek, 0 overtredingen, kWh 500, on 31-12-2023 23:30 (2023, not 2024)
Enschede (GM0153), 2024-Q3: C7 periodiek 1 overtreding C3 (m3 50,5), C8 klachtcontrole
Borne (GM0147), 2024-Q4: C9 themacontrole (no periodieke controle)
Almelo (GM0141): nothing at all

Handhaving: Hengelo H1 bsbm (Q3), H2 proces_verbaal (Q3), H3 last onder dwangsom (Q3, verbeurd
1.000, ingevorderd 250, re-delivered as 400), H4 waarschuwing (Q3), H5 strafbeschikking on
31-12-2023 23:30; Enschede H6 strafbeschikking (Q3), H7 last onder dwangsom (Q3, verbeurd 500,
ingevorderd empty). The last besluit is on 15-09-2024: 2024-Q4 is outside the handhaving data.
"""

from __future__ import annotations

import pytest

from tests.sql.kpi_harness import build_lake, kpi

HENGELO, ENSCHEDE, BORNE, ALMELO = "GM0164", "GM0153", "GM0147", "GM0141"


def controle(controle_id, datum, soort, overtredingen=0, lhso="", deelnemer=HENGELO, **extra):
    return {
        "controle_id": controle_id,
        "inrichting_id": extra.pop("inrichting_id", "I1"),
        "bevoegd_gezag": deelnemer,
        "datum_controle": datum,
        "soort": soort,
        "aantal_overtredingen": str(overtredingen),
        # the contract: an LHSO cell exactly when there are overtredingen
        "lhso_gevolgen": lhso[:1],
        "lhso_gedrag": lhso[1:],
        "energiebesparing_kwh": extra.pop("kwh", ""),
        "energiebesparing_m3_gas": extra.pop("m3", ""),
        **extra,
    }


def besluit(besluit_id, datum, instrument, deelnemer=HENGELO, inrichting="I1", **extra):
    return {
        "besluit_id": besluit_id,
        "inrichting_id": inrichting,
        "bevoegd_gezag": deelnemer,
        "datum_besluit": datum,
        "instrument": instrument,
        **extra,
    }


def inrichting(inrichting_id, type_, start="", einde="", deelnemer=HENGELO):
    return {
        "inrichting_id": inrichting_id,
        "naam": f"Bedrijf {inrichting_id}",
        "bevoegd_gezag": deelnemer,
        "inrichtingstype": type_,
        "datum_start": start,
        "datum_einde": einde,
    }


def medewerker(peildatum, medewerker_id, fte, boa):
    return {
        "peildatum": peildatum,
        "medewerker_id": medewerker_id,
        "functie": "toezichthouder",
        "team": "Handhaving",
        "fte": fte,
        "dienstverband": "vast",
        "boa": boa,
    }


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("naleving")
    inrichtingen = [
        # Hengelo
        inrichting("I1", "B", start="01-01-2010"),  # active throughout
        inrichting("I2", "C", start="01-01-2020", einde="31-12-2030"),  # active throughout
        inrichting("I3", "A", start="01-01-2010"),  # type A: never in the denominator
        inrichting("I4", "B", start="01-01-2010", einde="15-08-2024"),  # closed during Q3
        inrichting("I5", "C", start="01-10-2024"),  # opened in Q4
        inrichting("I6", "B", start="01-01-2015", einde="30-09-2024"),  # closed on Q3's last day
        inrichting("I7", "C"),  # no start date: active
        # Enschede
        inrichting("I8", "B", start="01-01-2000", deelnemer=ENSCHEDE),
        inrichting("I9", "", start="01-01-2000", deelnemer=ENSCHEDE),  # no type: not B or C
    ]
    medewerkers = [
        medewerker("30-06-2024", "M3", "1,0", "Nee"),  # Q2: no boa at all
        medewerker("31-07-2024", "M1", "1,0", "Ja"),
        medewerker("31-07-2024", "M2", "0,8", "Ja"),
        medewerker("31-07-2024", "M3", "1,0", "Nee"),
        medewerker("30-09-2024", "M1", "1,0", "Ja"),  # the last peildatum of Q3
        medewerker("30-09-2024", "M2", "0,5", "Ja"),
        medewerker("30-09-2024", "M3", "1,0", "Nee"),
        medewerker("31-12-2024", "M1", "1,0", "Ja"),  # the last peildatum of 2024
        medewerker("31-12-2024", "M2", "0,5", "Nee"),
    ]
    controles = [
        controle("C1", "01-07-2024 10:00", "periodiek", kwh="1.234,5", m3="100"),
        controle("C2", "15-08-2024", "periodiek", 2, "B4"),
        controle("C3", "20-09-2024", "periodiek", kwh="999"),
        controle("C4", "25-09-2024", "hercontrole", 1, "D2", kwh="10"),
        controle("C5", "30-09-2024 23:59", "handhavingscontrole"),
        controle("C6", "31-12-2023 23:30", "periodiek", kwh="500"),
        controle("C7", "05-07-2024", "periodiek", 1, "C3", deelnemer="Enschede", m3="50,5"),
        controle("C8", "06-07-2024", "klachtcontrole", deelnemer=ENSCHEDE),
        controle("C9", "10-10-2024", "themacontrole", deelnemer=BORNE),
    ]
    # a later export re-delivers C3: it did find violations, and no energy saving
    controles_later = [controle("C3", "20-09-2024", "periodiek", 3, "A1")]
    lod = {"dwangsom_bedrag": "5.000,00", "verbeurd_bedrag": "1.000,00"}
    besluiten = [
        besluit("H1", "10-07-2024", "bsbm"),
        besluit("H2", "01-08-2024", "proces_verbaal"),
        besluit("H3", "01-09-2024", "last_onder_dwangsom", ingevorderd_bedrag="250,00", **lod),
        besluit("H4", "15-09-2024", "waarschuwing"),
        besluit("H5", "31-12-2023 23:30", "strafbeschikking"),
        besluit("H6", "20-07-2024", "strafbeschikking", deelnemer=ENSCHEDE, inrichting="I8"),
        besluit(
            "H7",
            "20-08-2024",
            "last_onder_dwangsom",
            deelnemer=ENSCHEDE,
            inrichting="I8",
            verbeurd_bedrag="500",
            ingevorderd_bedrag="",
        ),
    ]
    # ... and H3 once more: by now 400 of the 1.000 has been collected
    besluiten_later = [
        besluit("H3", "01-09-2024", "last_onder_dwangsom", ingevorderd_bedrag="400,00", **lod)
    ]
    return build_lake(
        tmp,
        ("inrichtingen_2024.csv", inrichtingen),
        ("medewerkers_2024.csv", medewerkers),
        ("controles_2024.csv", controles),
        ("handhaving_2024.csv", besluiten),
        ("controles_2025.csv", controles_later),
        ("handhaving_2025.csv", besluiten_later),
    )


def test_controles_aantal_by_the_inspections_own_date(cur):
    assert kpi(cur, "controles_aantal", HENGELO, "2024-Q3")["waarde"] == 5  # C1-C5, C3 once
    assert kpi(cur, "controles_aantal", HENGELO, "2024")["waarde"] == 5
    assert kpi(cur, "controles_aantal", HENGELO, "2023")["waarde"] == 1  # C6: 31-12-2023 23:30
    assert kpi(cur, "controles_aantal", HENGELO, "2023-Q4")["waarde"] == 1
    assert kpi(cur, "controles_aantal", HENGELO, "2024-Q1")["waarde"] == 0
    # TOTAAL 2024-Q3: Hengelo 5 + Enschede 2 = 7; for 2024 also Borne's C9 = 8
    assert kpi(cur, "controles_aantal", "TOTAAL", "2024-Q3")["waarde"] == 7
    assert kpi(cur, "controles_aantal", "TOTAAL", "2024")["waarde"] == 8
    # a deelnemer without controles in a covered period: 0, not missing
    assert kpi(cur, "controles_aantal", ALMELO, "2024-Q3")["waarde"] == 0
    # naleving is reported per jaar and kwartaal, not per maand
    assert kpi(cur, "controles_aantal", HENGELO, "2024-07") is None


def test_every_deelnemer_and_totaal_for_every_period(cur):
    rows = cur.execute(
        "select periode, count(distinct deelnemer_code) from kpi.waarden "
        "where kpi_id = 'naleefpercentage' group by periode order by periode"
    ).fetchall()
    (deelnemers,) = cur.execute("select count(*) + 1 from staging.deelnemers").fetchone()
    # the data span 31-12-2023 .. 10-10-2024: 2023, its Q4, 2024 and its four quarters
    expected = ["2023", "2023-Q4", "2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert rows == [(p, deelnemers) for p in expected]


def test_naleefpercentage_latest_version_and_totaal_as_sum_over_sum(cur):
    row = kpi(cur, "naleefpercentage", HENGELO, "2024-Q3")
    # periodiek: C1 (0), C2 (2), C3 (3 in its latest version) -> 1 of 3 without violations
    # (with C3's first version it would have been 2 of 3)
    assert (row["teller"], row["noemer"]) == (1, 3)
    assert row["waarde"] == pytest.approx(100 / 3)
    assert kpi(cur, "naleefpercentage", HENGELO, "2023")["waarde"] == 100  # C6: 1 of 1
    # Enschede: C7 periodiek with a violation -> 0 of 1 = 0 (a real 0, not NULL)
    row = kpi(cur, "naleefpercentage", ENSCHEDE, "2024-Q3")
    assert (row["waarde"], row["teller"], row["noemer"]) == (0, 0, 1)
    # TOTAAL: (1 + 0) / (3 + 1) = 25 %, not the mean of 33,3 % and 0 %
    row = kpi(cur, "naleefpercentage", "TOTAAL", "2024-Q3")
    assert (row["teller"], row["noemer"], row["waarde"]) == (1, 4, 25)
    # Borne has only a themacontrole, Almelo nothing: no periodieke controles -> NULL
    assert kpi(cur, "naleefpercentage", BORNE, "2024-Q4")["waarde"] is None
    assert kpi(cur, "naleefpercentage", ALMELO, "2024-Q3")["waarde"] is None


def test_hercontrole_ratio(cur):
    row = kpi(cur, "hercontrole_ratio", HENGELO, "2024-Q3")
    # (hercontrole C4 + handhavingscontrole C5) / periodiek C1-C3 = 2 / 3
    assert (row["teller"], row["noemer"]) == (2, 3)
    assert row["waarde"] == pytest.approx(200 / 3)
    # Enschede: the klachtcontrole does not count -> 0 / 1
    assert kpi(cur, "hercontrole_ratio", ENSCHEDE, "2024-Q3")["waarde"] == 0
    # TOTAAL: (2 + 0) / (3 + 1) = 50 %
    assert kpi(cur, "hercontrole_ratio", "TOTAAL", "2024-Q3")["waarde"] == 50
    assert kpi(cur, "hercontrole_ratio", BORNE, "2024-Q4")["waarde"] is None  # 0 periodiek


def test_overtredingen_aantal(cur):
    # Hengelo: C2 2 + C3 3 (latest version) + C4 1 = 6; Enschede: C7 1; TOTAAL 7
    assert kpi(cur, "overtredingen_aantal", HENGELO, "2024-Q3")["waarde"] == 6
    assert kpi(cur, "overtredingen_aantal", ENSCHEDE, "2024-Q3")["waarde"] == 1
    assert kpi(cur, "overtredingen_aantal", "TOTAAL", "2024-Q3")["waarde"] == 7
    assert kpi(cur, "overtredingen_aantal", ALMELO, "2024-Q3")["waarde"] == 0
    assert kpi(cur, "overtredingen_aantal", HENGELO, "2023")["waarde"] == 0  # C6: none


def test_lhso_zwaarste_gevolgen_before_gedrag(cur):
    # Hengelo 2024-Q3 has B4, A1 and D2: A1 (4 x 3 + 1 = 13) is worse than B4 (4 x 2 + 4 = 12)
    row = kpi(cur, "lhso_zwaarste", HENGELO, "2024-Q3")
    assert (row["waarde"], row["waarde_tekst"]) == (13, "A1")
    assert (row["teller"], row["noemer"]) == (None, None)
    # Enschede: C3 = 4 x 1 + 3 = 7
    row = kpi(cur, "lhso_zwaarste", ENSCHEDE, "2024-Q3")
    assert (row["waarde"], row["waarde_tekst"]) == (7, "C3")
    # TOTAAL: the worst over all deelnemers, not a sum
    row = kpi(cur, "lhso_zwaarste", "TOTAAL", "2024-Q3")
    assert (row["waarde"], row["waarde_tekst"]) == (13, "A1")
    # controles without violations (Hengelo 2023: C6) or none at all: NULL, no code
    for deelnemer, periode in ((HENGELO, "2023"), (ALMELO, "2024-Q3"), (BORNE, "2024-Q4")):
        row = kpi(cur, "lhso_zwaarste", deelnemer, periode)
        assert (row["waarde"], row["waarde_tekst"]) == (None, None)


def test_strafrecht_per_inrichting_pct_counts_active_b_and_c_only(cur):
    # Hengelo 2024-Q3: H1 bsbm + H2 proces_verbaal = 2 (H3, H4 are not criminal track).
    # Active B/C on 30-09-2024: I1, I2, I7 (no start date) = 3; not I3 (type A), I4 (closed
    # 15-08), I5 (opens 01-10), I6 (closed on 30-09 itself) -> 2 / 3
    row = kpi(cur, "strafrecht_per_inrichting_pct", HENGELO, "2024-Q3")
    assert (row["teller"], row["noemer"]) == (2, 3)
    assert row["waarde"] == pytest.approx(200 / 3)
    # 2024: active on 31-12-2024: I1, I2, I5, I7 = 4 -> 2 / 4 = 50 %
    row = kpi(cur, "strafrecht_per_inrichting_pct", HENGELO, "2024")
    assert (row["teller"], row["noemer"], row["waarde"]) == (2, 4, 50)
    # 2023: H5 on 31-12-2023 23:30; active on 31-12-2023: I1, I2, I4, I6, I7 = 5 -> 1 / 5
    row = kpi(cur, "strafrecht_per_inrichting_pct", HENGELO, "2023")
    assert (row["teller"], row["noemer"], row["waarde"]) == (1, 5, 20)
    # Enschede: H6 / I8 (I9 has no type) = 1 / 1; TOTAAL (2 + 1) / (3 + 1) = 75 %
    assert kpi(cur, "strafrecht_per_inrichting_pct", ENSCHEDE, "2024-Q3")["waarde"] == 100
    row = kpi(cur, "strafrecht_per_inrichting_pct", "TOTAAL", "2024-Q3")
    assert (row["teller"], row["noemer"], row["waarde"]) == (3, 4, 75)
    # Almelo has no establishments: 0 / 0 -> NULL
    row = kpi(cur, "strafrecht_per_inrichting_pct", ALMELO, "2024-Q3")
    assert (row["teller"], row["noemer"], row["waarde"]) == (0, 0, None)
    # 2024-Q4 lies after the last besluit (15-09-2024): no handhaving data, so NULL, not 0,
    # while the controles (data up to 10-10-2024) do cover it
    assert kpi(cur, "strafrecht_per_inrichting_pct", HENGELO, "2024-Q4")["waarde"] is None
    assert kpi(cur, "controles_aantal", HENGELO, "2024-Q4")["waarde"] == 0


def test_strafrecht_per_boa_fte_totaal_only_at_last_peildatum(cur):
    # 2024-Q3: H1, H2, H6 = 3; boa FTE on 30-09-2024 (the last peildatum): M1 1,0 + M2 0,5
    row = kpi(cur, "strafrecht_per_boa_fte", "TOTAAL", "2024-Q3")
    assert (row["teller"], row["noemer"], row["waarde"]) == (3, 1.5, 2)
    # 2024: the same 3 besluiten; on 31-12-2024 only M1 is a boa -> 3 / 1,0
    row = kpi(cur, "strafrecht_per_boa_fte", "TOTAAL", "2024")
    assert (row["teller"], row["noemer"], row["waarde"]) == (3, 1, 3)
    # 2024-Q2: the only peildatum (30-06) has no boa -> 0 FTE -> NULL
    row = kpi(cur, "strafrecht_per_boa_fte", "TOTAAL", "2024-Q2")
    assert (row["teller"], row["noemer"], row["waarde"]) == (0, 0, None)
    # 2023: H5, but the HR export covers nothing before the year of its first peildatum (2024), so
    # the KPI is not covered: no value and no teller (docs/kpis.md, "Dekking")
    row = kpi(cur, "strafrecht_per_boa_fte", "TOTAAL", "2023")
    assert (row["teller"], row["noemer"], row["waarde"]) == (None, None, None)
    assert row["dekking"] == "geen"
    # boa FTE is not attributed to deelnemers: no rows per deelnemer
    assert kpi(cur, "strafrecht_per_boa_fte", HENGELO, "2024-Q3") is None


def test_dwangsom_invordering_pct(cur):
    # Hengelo: H3 re-delivered, 400 of 1.000 collected -> 40 % (first version: 25 %)
    row = kpi(cur, "dwangsom_invordering_pct", HENGELO, "2024-Q3")
    assert (row["teller"], row["noemer"], row["waarde"]) == (400, 1000, 40)
    # Enschede: H7 forfeited 500, nothing collected (empty) -> 0 / 500 = 0 %
    row = kpi(cur, "dwangsom_invordering_pct", ENSCHEDE, "2024-Q3")
    assert (row["teller"], row["noemer"], row["waarde"]) == (0, 500, 0)
    # TOTAAL: (400 + 0) / (1.000 + 500) = 26,67 %, not the mean of 40 % and 0 %
    row = kpi(cur, "dwangsom_invordering_pct", "TOTAAL", "2024-Q3")
    assert (row["teller"], row["noemer"]) == (400, 1500)
    assert row["waarde"] == pytest.approx(400 / 1500 * 100)
    # nothing forfeited: Almelo (no besluiten), Hengelo 2023 (H5 has no dwangsom) -> NULL
    assert kpi(cur, "dwangsom_invordering_pct", ALMELO, "2024-Q3")["waarde"] is None
    assert kpi(cur, "dwangsom_invordering_pct", HENGELO, "2023")["waarde"] is None


def test_energiebesparing_sums_and_null_without_data(cur):
    # Hengelo 2024-Q3: C1 1.234,5 + C4 10 = 1.244,5 kWh (C3's 999 was in its old version)
    assert kpi(cur, "energiebesparing_kwh", HENGELO, "2024-Q3")["waarde"] == pytest.approx(1244.5)
    assert kpi(cur, "energiebesparing_kwh", HENGELO, "2023")["waarde"] == 500  # C6, 23:30
    # Enschede had controles but no kWh filled in, Almelo no controles: no data, so NULL
    # (docs/kpis.md: never 0 by default)
    assert kpi(cur, "energiebesparing_kwh", ENSCHEDE, "2024-Q3")["waarde"] is None
    assert kpi(cur, "energiebesparing_kwh", ALMELO, "2024-Q3")["waarde"] is None
    assert kpi(cur, "energiebesparing_kwh", "TOTAAL", "2024-Q3")["waarde"] == pytest.approx(1244.5)
    # gas: Hengelo C1 100 + Enschede C7 50,5 = 150,5 in TOTAAL
    assert kpi(cur, "energiebesparing_m3_gas", HENGELO, "2024-Q3")["waarde"] == 100
    assert kpi(cur, "energiebesparing_m3_gas", ENSCHEDE, "2024-Q3")["waarde"] == 50.5
    row = kpi(cur, "energiebesparing_m3_gas", "TOTAAL", "2024-Q3")
    assert (row["waarde"], row["teller"], row["noemer"]) == (150.5, 150.5, None)
    assert kpi(cur, "energiebesparing_m3_gas", ALMELO, "2024-Q3")["waarde"] is None


def test_naleefpercentage_is_judged_against_its_signal_value(cur):
    # reference/normen.csv: >= 80 as an example value; margin 10 % -> oranje from 72
    row = kpi(cur, "naleefpercentage", HENGELO, "2023")  # 100 %
    assert (row["norm"], row["operator"], row["status"]) == (80, ">=", "groen")
    row = kpi(cur, "naleefpercentage", HENGELO, "2024-Q3")  # 33,3 %
    assert (row["norm"], row["status"]) == (80, "rood")
    # the other naleving KPIs have no norm
    row = kpi(cur, "hercontrole_ratio", HENGELO, "2024")
    assert (row["norm"], row["operator"], row["status"]) == (None, None, "geen_norm")


def test_lhso_matrix_counts_controles_per_cell(cur):
    def matrix(deelnemer, jaar):
        return dict(
            cur.execute(
                "select lhso_code, aantal_controles from kpi.lhso_matrix "
                "where deelnemer_code = ? and jaar = ?",
                [deelnemer, jaar],
            ).fetchall()
        )

    cells = {g + d for g in "ABCD" for d in "1234"}
    # Hengelo 2024: C2 B4, C3 A1 (latest version), C4 D2; every other cell 0
    hengelo = matrix(HENGELO, 2024)
    assert set(hengelo) == cells
    assert {c: n for c, n in hengelo.items() if n} == {"A1": 1, "B4": 1, "D2": 1}
    # TOTAAL 2024 adds Enschede's C7 (C3)
    totaal = matrix("TOTAAL", 2024)
    assert {c: n for c, n in totaal.items() if n} == {"A1": 1, "B4": 1, "C3": 1, "D2": 1}
    # years with controles but no violations, and deelnemers without controles: all 16 cells, 0
    assert matrix(HENGELO, 2023) == dict.fromkeys(cells, 0)
    assert matrix(ALMELO, 2024) == dict.fromkeys(cells, 0)
    # every deelnemer and TOTAAL x the years of the controles (2023, 2024) x 16 cells
    (deelnemers,) = cur.execute("select count(*) + 1 from staging.deelnemers").fetchone()
    (rows,) = cur.execute("select count(*) from kpi.lhso_matrix").fetchone()
    assert rows == deelnemers * 2 * 16
    # the score orders the cells as lhso_zwaarste does: A1 above B4, D1 lowest, A4 highest
    scores = dict(
        cur.execute(
            "select lhso_code, lhso_score from kpi.lhso_matrix where deelnemer_code = 'TOTAAL' "
            "and jaar = 2024"
        ).fetchall()
    )
    assert scores["A1"] > scores["B4"]
    assert (scores["D1"], scores["B3"], scores["A4"]) == (1, 11, 16)
