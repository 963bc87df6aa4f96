"""Robustness KPIs and the milestones table: hand-made rows in, hand-computed values out.

rob_mandaat and rob_mijlpaal_* come from the reference data in the repository (mandaten.csv,
mijlpalen.csv), not from the test: their expected values are computed here from those files.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from tests.sql.kpi_harness import build_lake, kpi
from vthmonitor.settings import REFERENCE_DIR

JAREN = (2023, 2024, 2025, 2026)  # the calendar of this lake: begroting and peildata


def mw(peildatum, medewerker, dienstverband, fte, kwaliteitscriteria="voldoet"):
    return {
        "peildatum": peildatum,
        "medewerker_id": medewerker,
        "functie": "toezichthouder",
        "team": "Toezicht",
        "fte": fte,
        "dienstverband": dienstverband,
        "kwaliteitscriteria": kwaliteitscriteria,
        "boa": "Nee",
    }


def post(jaar, taakpakket, post_, bedrag, deelnemer=""):
    return {
        "jaar": jaar,
        "maand": "",
        "deelnemer": deelnemer,
        "taakpakket": taakpakket,
        "post": post_,
        "bedrag": bedrag,
    }


def opleiding(regel_id, medewerker, datum, kosten):
    return {"regel_id": regel_id, "medewerker_id": medewerker, "datum": datum, "kosten": kosten}


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robuustheid")
    medewerkers = [
        # 2023: vast 0,7 of 1,0 = 70
        mw("31-12-2023", "P1", "vast", "0,7"),
        mw("31-12-2023", "P2", "inhuur", "0,3", "voldoet_niet"),
        # 30-06-2024: an earlier snapshot of 2024 (100% vast) that must not count
        mw("30-06-2024", "P1", "vast", "1,0"),
        # 31-12-2024: vast 3,0 of 4,0 = 75
        mw("31-12-2024", "P1", "vast", "1,0"),
        mw("31-12-2024", "P3", "vast", "1,0", "voldoet_deels"),
        mw("31-12-2024", "P4", "vast", "1,0"),
        mw("31-12-2024", "P5", "inhuur", "0,5", "voldoet_niet"),
        mw("31-12-2024", "P6", "stagiair", "0,5", "n.v.t."),
        # 31-12-2025: vast 3,4 of 4,0 = 85
        mw("31-12-2025", "P1", "vast", "1,0"),
        mw("31-12-2025", "P3", "vast", "1,0"),
        mw("31-12-2025", "P4", "vast", "1,0"),
        mw("31-12-2025", "P7", "vast", "0,4"),
        mw("31-12-2025", "P5", "inhuur", "0,6", "voldoet_niet"),
        # 30-09-2026: again 85, now against the norm of 90; nobody assessed but inhuur
        mw("30-09-2026", "P1", "vast", "1,0", "n.v.t."),
        mw("30-09-2026", "P3", "vast", "1,0", ""),
        mw("30-09-2026", "P4", "vast", "1,0", "n.v.t."),
        mw("30-09-2026", "P7", "vast", "0,4", "n.v.t."),
        mw("30-09-2026", "P5", "inhuur", "0,6", "voldoet"),
    ]
    # a later export re-delivers P4 on 31-12-2024 as voldoet_niet
    herlevering = [mw("31-12-2024", "P4", "vast", "1,0", "voldoet_niet")]
    begroting = [
        # 2023: loonsom 0 and no contributions
        post(2023, "organisatie", "loonsom", "0"),
        post(2023, "organisatie", "opleiding", "50000"),
        # 2024: total 30 000 000
        post(2024, "basistaken", "bijdrage", "9000000", "GM0153"),
        post(2024, "plustaken", "bijdrage", "7000000", "GM0164"),
        post(2024, "facultatief", "bijdrage", "1000000", "GM0153"),
        post(2024, "spuk", "bijdrage", "500000"),
        post(2024, "organisatie", "loonsom", "12000000"),
        post(2024, "organisatie", "opleiding", "240000"),
        post(2024, "organisatie", "innovatie", "100000"),
        post(2024, "organisatie", "overig", "160000"),
        # 2025: total 30 000 000 before the re-delivery below
        post(2025, "basistaken", "bijdrage", "9500000", "GM0153"),
        post(2025, "plustaken", "bijdrage", "7500000", "GM0164"),
        post(2025, "organisatie", "loonsom", "12000000"),
        post(2025, "organisatie", "opleiding", "300000"),
        post(2025, "organisatie", "innovatie", "350000"),
        post(2025, "organisatie", "overig", "350000"),
        # 2026: only the organisation's own posts so far
        post(2026, "organisatie", "loonsom", "12000000"),
        post(2026, "organisatie", "opleiding", "330000"),
    ]
    # the 2025 plustaken contribution is re-delivered: 7 600 000 replaces 7 500 000
    begroting_later = [post(2025, "plustaken", "bijdrage", "7.600.000,00", "GM0164")]
    opleidingen = [
        opleiding("O1", "P1", "15-03-2024", "120000"),
        opleiding("O2", "P3", "01-10-2024", "100000"),
        opleiding("O3", "P1", "01-02-2025", "360000"),
        opleiding("O4", "P4", "01-03-2026", "300000"),
    ]
    # O2 re-delivered with its final costs
    opleidingen_later = [opleiding("O2", "P3", "01-10-2024", "150000,00")]
    return build_lake(
        tmp,
        ("medewerkers_2024.csv", medewerkers),
        ("begroting_2024.csv", begroting),
        ("opleidingen_2024.csv", opleidingen),
        ("medewerkers_2024_herlevering.csv", herlevering),
        ("begroting_2025.csv", begroting_later),
        ("opleidingen_2025.csv", opleidingen_later),
    )


def row(cur, kpi_id, jaar):
    return kpi(cur, kpi_id, "TOTAAL", str(jaar))


def test_rob_omvang_begroting(cur):
    # 2024: basistaken 9 000 000 + plustaken 7 000 000 (facultatief and spuk out) = 16 000 000,
    # norm 16 500 000: within 10% (>= 14 850 000) -> oranje
    r = row(cur, "rob_omvang_begroting", 2024)
    assert (r["waarde"], r["teller"], r["noemer"]) == (16_000_000, 16_000_000, None)
    assert (r["norm"], r["status"]) == (16_500_000, "oranje")
    # 2025: 9 500 000 + 7 600 000 (re-delivered, replaces 7 500 000) = 17 100 000 -> groen
    r = row(cur, "rob_omvang_begroting", 2025)
    assert (r["waarde"], r["status"]) == (17_100_000, "groen")
    # 2023 and 2026: a begroting without contributions: no data, NULL
    assert row(cur, "rob_omvang_begroting", 2023)["waarde"] is None
    assert row(cur, "rob_omvang_begroting", 2026)["waarde"] is None
    # TOTAAL only, years only
    assert kpi(cur, "rob_omvang_begroting", "GM0153", "2024") is None
    assert kpi(cur, "rob_omvang_begroting", "TOTAAL", "2024-Q1") is None


def test_rob_vaste_dienst_last_peildatum_and_status(cur):
    # 2023: 0,7 / (0,7 + 0,3 inhuur) = 70; norm 80, 70 < 72 -> rood
    r = row(cur, "rob_vaste_dienst", 2023)
    assert (r["teller"], r["noemer"]) == (pytest.approx(0.7), pytest.approx(1.0))
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(70), 80, "rood")
    # 2024 on 31-12-2024 (not 30-06-2024, which is 100% vast):
    # vast 3,0 / (3,0 + inhuur 0,5 + stagiair 0,5) = 75 -> within 10% of 80 (>= 72): oranje
    r = row(cur, "rob_vaste_dienst", 2024)
    assert (r["teller"], r["noemer"]) == (pytest.approx(3.0), pytest.approx(4.0))
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(75), 80, "oranje")
    # 2025: 3,4 / 4,0 = 85 -> groen
    r = row(cur, "rob_vaste_dienst", 2025)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(85), 80, "groen")
    # 2026: 85 again, but the norm is 90 from 01-04-2026: 85 >= 81 -> oranje
    r = row(cur, "rob_vaste_dienst", 2026)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(85), 90, "oranje")


def test_rob_kwaliteitscriteria_without_inhuur_and_nvt(cur):
    # 2023: P1 voldoet; P2 is inhuur (out) -> 1 of 1
    r = row(cur, "rob_kwaliteitscriteria", 2023)
    assert (r["teller"], r["noemer"], r["waarde"]) == (1, 1, 100)
    assert r["status"] == "groen"
    # 31-12-2024: P1 voldoet, P3 voldoet_deels, P4 re-delivered as voldoet_niet; P5 inhuur and
    # P6 n.v.t. not in the denominator -> 1 of 3
    r = row(cur, "rob_kwaliteitscriteria", 2024)
    assert (r["teller"], r["noemer"]) == (1, 3)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(100 / 3), 100, "rood")
    # 2025: P1, P3, P4, P7 voldoet; P5 voldoet_niet but inhuur -> 4 of 4 (not 4 of 5)
    r = row(cur, "rob_kwaliteitscriteria", 2025)
    assert (r["teller"], r["noemer"], r["waarde"]) == (4, 4, 100)
    # 2026: only n.v.t., empty or inhuur: empty denominator gives NULL
    r = row(cur, "rob_kwaliteitscriteria", 2026)
    assert (r["waarde"], r["noemer"], r["status"]) == (None, 0, None)


def test_rob_innovatiebudget(cur):
    # 2024: 100 000 / 30 000 000 (all posts, all taakpakketten) = 0,333%; norm from 2025 only
    r = row(cur, "rob_innovatiebudget", 2024)
    assert (r["teller"], r["noemer"]) == (100_000, 30_000_000)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(1 / 3), None, "geen_norm")
    # 2025: 350 000 / (30 000 000 + 100 000 re-delivered) = 1,163% -> norm 1: groen
    r = row(cur, "rob_innovatiebudget", 2025)
    assert r["noemer"] == 30_100_000
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(35 / 30.1), 1, "groen")
    # 2026: a begroting without an innovation post: 0 of 12 330 000 -> rood
    r = row(cur, "rob_innovatiebudget", 2026)
    assert (r["waarde"], r["noemer"], r["status"]) == (0, 12_330_000, "rood")


def test_rob_opleidingsbudget_with_the_norm_of_the_year(cur):
    # 2024: 240 000 / 12 000 000 = 2,0; no norm before 2025
    r = row(cur, "rob_opleidingsbudget", 2024)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(2.0), None, "geen_norm")
    # 2025: 300 000 / 12 000 000 = 2,5; norm 2,5 -> groen
    r = row(cur, "rob_opleidingsbudget", 2025)
    assert (r["teller"], r["noemer"]) == (300_000, 12_000_000)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(2.5), 2.5, "groen")
    # 2026: 330 000 / 12 000 000 = 2,75; norm 3 -> within 10% (>= 2,7): oranje
    r = row(cur, "rob_opleidingsbudget", 2026)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(2.75), 3, "oranje")
    # 2023: loonsom 0: NULL, not a division by zero
    r = row(cur, "rob_opleidingsbudget", 2023)
    assert (r["waarde"], r["noemer"]) == (None, 0)


def test_rob_opleiding_realisatie(cur):
    # 2024: O1 120 000 + O2 150 000 (re-delivered, replaces 100 000) = 270 000 / 12 000 000
    r = row(cur, "rob_opleiding_realisatie", 2024)
    assert (r["teller"], r["noemer"]) == (270_000, 12_000_000)
    assert r["waarde"] == pytest.approx(2.25)
    # 2025: 360 000 / 12 000 000 = 3,0 >= 2,5 -> groen
    r = row(cur, "rob_opleiding_realisatie", 2025)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(3.0), 2.5, "groen")
    # 2026: 300 000 / 12 000 000 = 2,5 < 2,7 (norm 3) -> rood
    r = row(cur, "rob_opleiding_realisatie", 2026)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(2.5), 3, "rood")
    # 2023: before the first training record and loonsom 0: NULL
    assert row(cur, "rob_opleiding_realisatie", 2023)["waarde"] is None


def _datum(text: str) -> dt.date | None:
    return dt.datetime.strptime(text, "%d-%m-%Y").date() if text else None


def _reference(name: str) -> list[dict]:
    with open(REFERENCE_DIR / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _mandaat_expected(jaar: int) -> tuple[int, int] | None:
    """(fully mandated deelnemers, all deelnemers) from the reference files, by the documented
    rule: a besluittype counts when gemandateerd = Ja and dated on or before 31 December; every
    besluittype in mandaten is required; years before the earliest mandate date have no value."""
    mandaten = _reference("mandaten")
    deelnemers = [d["code"] for d in _reference("deelnemers")]
    dates = [_datum(m["datum"]) for m in mandaten if m["datum"]]
    if dates and jaar < min(dates).year:
        return None
    besluittypen = {m["besluittype"] for m in mandaten}
    einde = dt.date(jaar, 12, 31)
    volledig = 0
    for code in deelnemers:
        ok = {
            m["besluittype"]
            for m in mandaten
            if m["deelnemer"] == code
            and m["gemandateerd"].strip().lower() in ("ja", "j", "1", "true")
            and (not m["datum"] or _datum(m["datum"]) <= einde)
        }
        volledig += ok == besluittypen
    return volledig, len(deelnemers)


def test_rob_mandaat_from_the_reference_data(cur):
    for jaar in JAREN:
        expected = _mandaat_expected(jaar)
        r = row(cur, "rob_mandaat", jaar)
        if expected is None:
            assert r["waarde"] is None, jaar
        else:
            assert (r["teller"], r["noemer"]) == expected, jaar
            assert r["waarde"] == pytest.approx(expected[0] / expected[1] * 100), jaar
    # with the committed reference data: mandates dated 01-01-2024; GM0153, GM1742, GM0183 and
    # PV23 lack at least one besluittype -> 11 of 15 = 73,3% from 2024; nothing known for 2023
    assert row(cur, "rob_mandaat", 2023)["waarde"] is None
    r = row(cur, "rob_mandaat", 2025)
    assert (r["teller"], r["noemer"], r["norm"], r["status"]) == (11, 15, None, "geen_norm")
    # the norm of 100 applies from 01-01-2026: 73,3 < 90 -> rood
    r = row(cur, "rob_mandaat", 2026)
    assert (r["waarde"], r["norm"], r["status"]) == (pytest.approx(1100 / 15), 100, "rood")


def test_rob_mijlpaal_values_norms_and_status(cur):
    mijlpalen = _reference("mijlpalen")
    assert mijlpalen
    seen = set()
    for m in mijlpalen:
        deadline = _datum(m["deadline"])
        sinds = _datum(m["laatste_update"]) or deadline
        for jaar in JAREN:
            einde = dt.date(jaar, 12, 31)
            # gereed counts from the year of its last update; before it (and otherwise) 0
            expected = 1 if m["status"] == "gereed" and sinds <= einde else 0
            norm = 1 if deadline <= einde else None  # norm 1 from the deadline on
            status = "geen_norm" if norm is None else ("groen" if expected else "rood")
            r = row(cur, f"rob_mijlpaal_{m['mijlpaal_id']}", jaar)
            assert (r["waarde"], r["norm"], r["status"]) == (expected, norm, status), (m, jaar)
            seen.add((expected, status))
    # the reference data exercises every case
    assert {(1, "groen"), (0, "rood"), (0, "geen_norm")} <= seen
    # e.g. financiele_norm: gereed, last update 15-01-2025 -> 0 in 2024, 1 from 2025 (deadline
    # 01-01-2025); vp_4b: risico, deadline 31-12-2025 -> 0 and rood in 2025
    assert row(cur, "rob_mijlpaal_financiele_norm", 2024)["waarde"] == 0
    assert row(cur, "rob_mijlpaal_financiele_norm", 2025)["status"] == "groen"
    assert row(cur, "rob_mijlpaal_vp_4b", 2025)["status"] == "rood"


def test_robuustheid_has_every_year_of_the_calendar(cur):
    periods = cur.execute(
        "select distinct periode_type, periode from kpi.waarden where kpi_id like 'rob_%'"
    ).fetchall()
    assert sorted(periods) == [("jaar", str(j)) for j in JAREN]


def test_kpi_mijlpalen_table(cur):
    mijlpalen = {m["mijlpaal_id"]: m for m in _reference("mijlpalen")}
    rows = cur.execute(
        "select mijlpaal_id, kpi_id, plan, titel, gepland, deadline, status, laatste_update, "
        "toelichting, bron, deadline_verstreken, bepaald_op from kpi.mijlpalen"
    ).fetchall()
    assert {r[0] for r in rows} == set(mijlpalen)
    for (
        mijlpaal_id,
        kpi_id,
        plan,
        titel,
        gepland,
        deadline,
        status,
        laatste_update,
        toelichting,
        bron,
        verstreken,
        bepaald_op,
    ) in rows:
        m = mijlpalen[mijlpaal_id]
        assert kpi_id == f"rob_mijlpaal_{mijlpaal_id}"
        assert (plan, titel, gepland, status) == (m["plan"], m["titel"], m["gepland"], m["status"])
        assert (deadline, laatste_update) == (_datum(m["deadline"]), _datum(m["laatste_update"]))
        assert (toelichting or "", bron or "") == (m["toelichting"], m["bron"])
        # the warehouse was built today; the deadline day itself has not passed yet
        assert bepaald_op == dt.date.today()
        assert verstreken == (deadline < bepaald_op and status != "gereed"), mijlpaal_id
    # with the committed reference data: vp_3a is gereed, so never overdue; vp_4b (risico,
    # deadline 31-12-2025) is overdue from 2026 on
    by_id = {r[0]: r[10] for r in rows}
    assert by_id["vp_3a"] is False
    assert by_id["vp_4b"] is True
