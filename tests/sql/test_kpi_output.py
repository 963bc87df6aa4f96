"""Output KPIs: hand-made zaken, hours, budget and programme in, hand-computed values out."""

from __future__ import annotations

import pytest

from tests.sql.kpi_harness import build_lake, kpi

DEELNEMERS = 15  # the reference list: 14 gemeenten and the province


def zaak(nr, ontvangst, besluit="", status="afgesloten", deelnemer="GM0164", **extra):
    return {
        "zaaknummer": nr,
        "zaaktype": "Controle uitvoeren",
        "product": extra.pop("product", "Periodieke controle"),
        "taakveld": "Toezicht",
        "taakpakket": "basistaak",
        "bevoegd_gezag": deelnemer,
        "datum_ontvangst": ontvangst,
        "datum_besluit": besluit,
        "uiterste_beslisdatum": extra.pop("termijn", ""),
        "opschorting_dagen": extra.pop("opschorting", ""),
        "status": status,
        **extra,
    }


def urenregel(regel_id, datum, uren, deelnemer="GM0164", **extra):
    return {
        "regel_id": regel_id,
        "medewerker_id": extra.pop("medewerker", "M1"),
        "datum": datum,
        "bevoegd_gezag": deelnemer,
        "product": extra.pop("product", "Periodieke controle"),
        "taakpakket": extra.pop("taakpakket", "basistaak"),
        "uren": uren,
        "declarabel": "Ja",
        **extra,
    }


def begroot(jaar, deelnemer, uren, taakpakket="basistaken", post="bijdrage"):
    return {
        "jaar": jaar,
        "maand": "",
        "deelnemer": deelnemer,
        "taakpakket": taakpakket,
        "post": post,
        "bedrag": "1.000,00",
        "uren": uren,
    }


def gepland(jaar, deelnemer, product, aantal):
    return {"jaar": jaar, "deelnemer": deelnemer, "product": product, "gepland_aantal": aantal}


@pytest.fixture(scope="module")
def zaken_cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("output_zaken")
    first = [
        # Hengelo. Doorlooptijd in whole calendar days, times ignored.
        # Z1: 01-02 -> 11-03-2024 = 39 days; deadline 10-03 + 2 days suspension = 12-03: in time
        zaak(
            "Z1",
            "01-02-2024 09:00",
            "11-03-2024 16:00",
            product="Omgevingsvergunning milieu regulier",
            termijn="10-03-2024",
            opschorting="2",
        ),
        # Z2: 15-03 -> 20-05-2024 = 66 days; deadline 10-05, no suspension: late
        zaak("Z2", "15-03-2024", "20-05-2024", termijn="10-05-2024"),
        # Z3: decided on New Year's Eve 23:30 -> 2024, not 2025; 20-12 -> 31-12 = 11 days
        zaak("Z3", "20-12-2024 10:00", "31-12-2024 23:30"),
        # Z4: open in this export; decided in the later one (below)
        zaak("Z4", "01-06-2024", status="open"),
        # Z5: withdrawn, never decided: not work in stock
        zaak("Z5", "01-10-2024", status="ingetrokken"),
        # Z6: still open
        zaak("Z6", "01-11-2024", status="open"),
        # Z7: received 2023, decided 2024 (a product outside Hengelo's programme); 36 days
        zaak("Z7", "10-12-2023", "15-01-2024", product="Hercontrole"),
        # Enschede: 31, 1, 9 and 14 days; E1 late, E3 decided on its deadline (in time)
        zaak("E1", "05-01-2024", "05-02-2024", deelnemer="Enschede", termijn="01-02-2024"),
        zaak("E2", "01-04-2024", "02-04-2024", deelnemer="GM0153", termijn="30-04-2024"),
        zaak("E3", "01-05-2024", "10-05-2024", deelnemer="GM0153", termijn="10-05-2024"),
        zaak("E4", "01-07-2024", "15-07-2024", deelnemer="GM0153", termijn="01-08-2024"),
    ]
    later = [
        # Z4 re-delivered as decided: counted once, latest version.
        # 01-06 -> 10-09-2024 = 101 days; deadline 01-09 + 10 days = 11-09: in time
        zaak(
            "Z4",
            "01-06-2024",
            "10-09-2024",
            termijn="01-09-2024",
            opschorting="10",
        ),
        # extends the zaken data into January 2025
        zaak("E5", "10-01-2025", status="open", deelnemer="GM0153"),
    ]
    programma = [
        gepland(2024, "GM0164", "Omgevingsvergunning milieu regulier", 4),
        gepland(2024, "Hengelo", "Periodieke controle", 6),
        gepland(2024, "GM0153", "Periodieke controle", 4),
    ]
    return build_lake(
        tmp,
        ("zaken_2024.csv", first),
        ("zaken_2025.csv", later),
        ("programma_2024.csv", programma),
    )


@pytest.fixture(scope="module")
def uren_cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("output_uren")
    first = [
        # Hengelo 2024: 20 + 5 = 25 by 31 March, 100 over the year (U03 re-delivered as 24)
        urenregel("U01", "15-01-2024", "20"),
        urenregel("U02", "15-03-2024", "5"),
        urenregel("U03", "17-06-2024", "12"),
        urenregel(
            "U04",
            "16-09-2024",
            "24",
            product="Omgevingsvergunning milieu regulier",
            taakpakket="plustaak",
        ),
        urenregel("U05", "15-11-2024", "24"),
        urenregel("U06", "31-12-2024 23:30", "3"),  # New Year's Eve 23:30: 2024
        # Enschede 2024: 8 hours in June only
        urenregel("U07", "15-06-2024", "8", deelnemer="Enschede"),
        # indirect hours: no bevoegd_gezag
        urenregel("U08", "01-02-2024", "8", deelnemer="", product="Teamoverleg"),
    ]
    later = [
        urenregel("U03", "17-06-2024", "24"),  # re-delivered: 24 replaces 12
        # Hengelo 2025: 4 x 24 + 4 = 100 by 31 March, 110 by 15 July
        urenregel("U11", "06-01-2025", "24"),
        urenregel("U12", "03-02-2025", "24"),
        urenregel("U13", "03-03-2025", "24"),
        urenregel("U14", "17-03-2025", "24"),
        urenregel("U15", "31-03-2025", "4"),
        urenregel("U16", "15-07-2025", "10"),
        urenregel("U17", "20-01-2025", "6", deelnemer="GM0153"),
        # the last day of the registration is 15-07-2025
        urenregel("U18", "15-07-2025", "7", deelnemer="", product="Teamoverleg"),
    ]
    begroting = [
        begroot(2024, "GM0164", "150"),
        begroot(2024, "Hengelo", "50", taakpakket="plustaken"),  # Hengelo 2024: 200
        begroot(2024, "GM0153", "20"),
        begroot(2024, "GM0141", "0"),  # Almelo: budgeted 0 hours
        begroot(2024, "", "1.000", taakpakket="organisatie", post="loonsom"),  # organisation
        begroot(2025, "GM0164", "400"),
    ]
    return build_lake(
        tmp,
        ("uren_20241231.csv", first),
        # exported on the registration's last day: the hours are known up to 15-07-2025
        ("uren_20250715.csv", later),
        ("begroting_2024.csv", begroting),
    )


def test_producten_gerealiseerd(zaken_cur):
    # Hengelo 2024, closed and decided in 2024: Z7, Z1, Z2, Z4 (latest version), Z3 (31-12 23:30)
    assert kpi(zaken_cur, "producten_gerealiseerd", "GM0164", "2024")["waarde"] == 5
    assert kpi(zaken_cur, "producten_gerealiseerd", "GM0164", "2024-12")["waarde"] == 1  # Z3
    assert kpi(zaken_cur, "producten_gerealiseerd", "GM0164", "2025")["waarde"] == 0
    assert kpi(zaken_cur, "producten_gerealiseerd", "GM0164", "2024-Q3")["waarde"] == 1  # Z4 once
    # TOTAAL 2024: Hengelo 5 + Enschede 4
    assert kpi(zaken_cur, "producten_gerealiseerd", "TOTAAL", "2024")["waarde"] == 9
    # a deelnemer without zaken, in a period within the zaken data: 0, not missing
    assert kpi(zaken_cur, "producten_gerealiseerd", "GM0141", "2024")["waarde"] == 0
    # the zaken data run from 10-12-2023 to 10-01-2025: no rows outside that range
    assert kpi(zaken_cur, "producten_gerealiseerd", "GM0164", "2023-11") is None
    assert kpi(zaken_cur, "producten_gerealiseerd", "GM0164", "2025-02") is None


def test_every_deelnemer_and_totaal_for_every_period_in_range(zaken_cur):
    counts = zaken_cur.execute(
        "select kpi_id, periode, count(*) from kpi.waarden "
        "where kpi_id in ('producten_gerealiseerd', 'programma_realisatie_pct', "
        "'werkvoorraad_open') group by all"
    ).fetchall()
    assert {n for _, _, n in counts} == {DEELNEMERS + 1}
    perioden = {(k, p) for k, p, _ in counts}
    # 2023-12 .. 2025-01: 3 years, 6 quarters (2023-Q4 .. 2025-Q1), 14 months
    assert len([p for k, p in perioden if k == "werkvoorraad_open"]) == 3 + 6 + 14
    # the programme is per year only
    assert {p for k, p in perioden if k == "programma_realisatie_pct"} == {"2023", "2024", "2025"}


def test_programma_realisatie_pct(zaken_cur):
    # Hengelo 2024: closed zaken of a programme product: Z1 (OV regulier), Z2, Z3, Z4
    # (Periodieke controle); Z7 (Hercontrole) is not in the programme -> 4 / (4 + 6) = 40 %
    row = kpi(zaken_cur, "programma_realisatie_pct", "GM0164", "2024")
    assert (row["teller"], row["noemer"], row["waarde"]) == (4, 10, pytest.approx(40))
    # Enschede: E1..E4 / 4 = 100 %
    assert kpi(zaken_cur, "programma_realisatie_pct", "GM0153", "2024")["waarde"] == 100
    # TOTAAL: (4 + 4) / (10 + 4) = 57.14 %, not the average of 40 and 100 (70)
    totaal = kpi(zaken_cur, "programma_realisatie_pct", "TOTAAL", "2024")
    assert (totaal["teller"], totaal["noemer"]) == (8, 14)
    assert totaal["waarde"] == pytest.approx(800 / 14)
    # no programme (Almelo 2024, Hengelo 2025): NULL, not 0
    assert kpi(zaken_cur, "programma_realisatie_pct", "GM0141", "2024")["waarde"] is None
    assert kpi(zaken_cur, "programma_realisatie_pct", "GM0164", "2025")["waarde"] is None
    assert kpi(zaken_cur, "programma_realisatie_pct", "GM0164", "2024-Q1") is None  # jaar only


def test_binnen_termijn_pct(zaken_cur):
    # Hengelo 2024, decided with a deadline: Z1 in time (with 2 days suspension), Z2 late,
    # Z4 in time (latest version, 10 days suspension) -> 2 / 3
    row = kpi(zaken_cur, "binnen_termijn_pct", "GM0164", "2024")
    assert (row["teller"], row["noemer"]) == (2, 3)
    assert row["waarde"] == pytest.approx(200 / 3)
    # Enschede: E1 late, E2, E3 (on the deadline), E4 in time -> 3 / 4
    assert kpi(zaken_cur, "binnen_termijn_pct", "GM0153", "2024")["waarde"] == 75
    # TOTAAL: (2 + 3) / (3 + 4) = 71.43 %, not the average of 66.67 and 75 (70.83)
    totaal = kpi(zaken_cur, "binnen_termijn_pct", "TOTAAL", "2024")
    assert (totaal["teller"], totaal["noemer"]) == (5, 7)
    assert totaal["waarde"] == pytest.approx(500 / 7)
    # Hengelo 2024-Q2: only Z2, late -> 0 %, a real 0
    assert kpi(zaken_cur, "binnen_termijn_pct", "GM0164", "2024-Q2")["waarde"] == 0
    # Hengelo 2024-Q4: only Z3, which has no deadline -> empty denominator -> NULL
    row = kpi(zaken_cur, "binnen_termijn_pct", "GM0164", "2024-Q4")
    assert (row["noemer"], row["waarde"]) == (0, None)
    assert kpi(zaken_cur, "binnen_termijn_pct", "GM0141", "2024")["waarde"] is None


def test_doorlooptijd_mediaan_dagen(zaken_cur):
    # Hengelo 2024: 11, 36, 39, 66, 101 -> 39 (with Z4 still open it would be 37.5)
    assert kpi(zaken_cur, "doorlooptijd_mediaan_dagen", "GM0164", "2024")["waarde"] == 39
    # Z3: 20-12 10:00 -> 31-12 23:30 is 11 whole calendar days, in December 2024
    assert kpi(zaken_cur, "doorlooptijd_mediaan_dagen", "GM0164", "2024-12")["waarde"] == 11
    # Enschede: 1, 9, 14, 31 -> (9 + 14) / 2
    assert kpi(zaken_cur, "doorlooptijd_mediaan_dagen", "GM0153", "2024")["waarde"] == 11.5
    # TOTAAL: the median of all nine: 1 9 11 14 [31] 36 39 66 101
    assert kpi(zaken_cur, "doorlooptijd_mediaan_dagen", "TOTAAL", "2024")["waarde"] == 31
    # nothing decided: NULL
    assert kpi(zaken_cur, "doorlooptijd_mediaan_dagen", "GM0164", "2025")["waarde"] is None


def test_werkvoorraad_open(zaken_cur):
    # end of 2023: Z7 (received 10-12-2023, decided 2024)
    assert kpi(zaken_cur, "werkvoorraad_open", "GM0164", "2023")["waarde"] == 1
    # end of June 2024: Z4 (received 01-06, decided 10-09 in its latest version)
    assert kpi(zaken_cur, "werkvoorraad_open", "GM0164", "2024-Q2")["waarde"] == 1
    # end of October 2024: Z5 was received but is withdrawn -> 0
    assert kpi(zaken_cur, "werkvoorraad_open", "GM0164", "2024-10")["waarde"] == 0
    # end of 2024: Z6 only; Z3 was decided on 31-12 23:30, Z4 (open in the first export) in
    # September, Z5 is withdrawn
    assert kpi(zaken_cur, "werkvoorraad_open", "GM0164", "2024")["waarde"] == 1
    # end of January 2025: Hengelo Z6 + Enschede E5
    assert kpi(zaken_cur, "werkvoorraad_open", "TOTAAL", "2025-01")["waarde"] == 2
    assert kpi(zaken_cur, "werkvoorraad_open", "GM0141", "2024")["waarde"] == 0


def test_uren_gerealiseerd(uren_cur):
    # Hengelo 2024: 20 + 5 + 24 (U03, latest version) + 24 + 24 + 3 = 100
    row = kpi(uren_cur, "uren_gerealiseerd", "GM0164", "2024")
    assert (row["waarde"], row["teller"], row["noemer"]) == (100, 100, None)
    assert kpi(uren_cur, "uren_gerealiseerd", "GM0164", "2024-Q2")["waarde"] == 24  # U03 once
    # U06 on 31-12-2024 23:30 counts in December 2024, not January 2025
    assert kpi(uren_cur, "uren_gerealiseerd", "GM0164", "2024-12")["waarde"] == 3
    assert kpi(uren_cur, "uren_gerealiseerd", "GM0164", "2025-01")["waarde"] == 24
    # TOTAAL 2024: Hengelo 100 + Enschede 8; the 8 indirect hours of U08 are nobody's
    assert kpi(uren_cur, "uren_gerealiseerd", "TOTAAL", "2024")["waarde"] == 108
    assert kpi(uren_cur, "uren_gerealiseerd", "TOTAAL", "2024-02")["waarde"] == 0  # only U08
    # no hours within the registration's range: 0
    assert kpi(uren_cur, "uren_gerealiseerd", "GM0141", "2024")["waarde"] == 0
    # the registration runs 15-01-2024 .. 15-07-2025: nothing for August 2025
    assert kpi(uren_cur, "uren_gerealiseerd", "GM0164", "2025-08") is None


def test_uren_begroot(uren_cur):
    # Hengelo 2024: 150 + 50 budget lines
    assert kpi(uren_cur, "uren_begroot", "GM0164", "2024")["waarde"] == 200
    # pro rata by days: Q1 2024 has 31 + 29 + 31 = 91 of 366 days; December 31
    assert kpi(uren_cur, "uren_begroot", "GM0164", "2024-Q1")["waarde"] == pytest.approx(
        200 * 91 / 366
    )
    assert kpi(uren_cur, "uren_begroot", "GM0164", "2024-12")["waarde"] == pytest.approx(
        200 * 31 / 366
    )
    # TOTAAL: the deelnemers' budgets 200 + 20 + 0; the organisation-wide line is nobody's
    assert kpi(uren_cur, "uren_begroot", "TOTAAL", "2024")["waarde"] == 220
    # no budget (Borne): NULL, not 0; a budget of 0 (Almelo) is 0
    assert kpi(uren_cur, "uren_begroot", "GM0147", "2024")["waarde"] is None
    assert kpi(uren_cur, "uren_begroot", "GM0141", "2024")["waarde"] == 0
    assert kpi(uren_cur, "uren_begroot", "GM0164", "2025")["waarde"] == 400


def test_uren_realisatie_pct(uren_cur):
    # Hengelo 2024: 100 / 200 = 50 %
    row = kpi(uren_cur, "uren_realisatie_pct", "GM0164", "2024")
    assert (row["teller"], row["noemer"], row["waarde"]) == (100, 200, 50)
    # Enschede 8 / 20 = 40 %; TOTAAL (100 + 8) / (200 + 20) = 49.09 %, not (50 + 40) / 2
    assert kpi(uren_cur, "uren_realisatie_pct", "GM0153", "2024")["waarde"] == 40
    totaal = kpi(uren_cur, "uren_realisatie_pct", "TOTAAL", "2024")
    assert (totaal["teller"], totaal["noemer"]) == (108, 220)
    assert totaal["waarde"] == pytest.approx(10800 / 220)
    # Hengelo Q4 2024: 24 + 3 hours against 200 x 92/366
    assert kpi(uren_cur, "uren_realisatie_pct", "GM0164", "2024-Q4")["waarde"] == pytest.approx(
        27 / (200 * 92 / 366) * 100
    )
    # empty denominators: a budget of 0 (Almelo) or none (Borne) -> NULL
    assert kpi(uren_cur, "uren_realisatie_pct", "GM0141", "2024")["waarde"] is None
    assert kpi(uren_cur, "uren_realisatie_pct", "GM0147", "2024")["waarde"] is None


def test_uren_prognose_jaareinde(uren_cur):
    # 2025 by 31 March: Hengelo booked 100; in 2024 25 of its 100 hours were booked by 31 March
    # (25 %) -> 100 / 0.25 = 400
    row = kpi(uren_cur, "uren_prognose_jaareinde", "GM0164", "2025-03")
    assert (row["teller"], row["noemer"], row["waarde"]) == (100, 0.25, 400)
    assert kpi(uren_cur, "uren_prognose_jaareinde", "GM0164", "2025-Q1")["waarde"] == 400
    # by 31 January: 24 hours; 20 of 100 by 31-01-2024 -> 24 / 0.2 = 120
    assert kpi(uren_cur, "uren_prognose_jaareinde", "GM0164", "2025-01")["waarde"] == 120
    # the year 2025 so far: the registration ends 15-07-2025; 110 hours by then, and by
    # 15-07-2024 20 + 5 + 24 = 49 of 100 -> 110 / 0.49
    row = kpi(uren_cur, "uren_prognose_jaareinde", "GM0164", "2025")
    assert (row["teller"], row["noemer"]) == (110, pytest.approx(0.49))
    assert row["waarde"] == pytest.approx(110 / 0.49)
    # TOTAAL from the totals without indirect hours: 2025 by 31 March 100 + 6 = 106; 2024:
    # 25 of 108 by 31 March (U08's indirect February hours not included) -> 106 * 108 / 25
    row = kpi(uren_cur, "uren_prognose_jaareinde", "TOTAAL", "2025-03")
    assert row["waarde"] == pytest.approx(106 * 108 / 25)
    # no previous year (2024 is the first): pro rata by days; Q1 2024 = 91 of 366 days
    row = kpi(uren_cur, "uren_prognose_jaareinde", "GM0164", "2024-Q1")
    assert row["noemer"] == pytest.approx(91 / 366)
    assert row["waarde"] == pytest.approx(25 * 366 / 91)
    # last year had hours, but none by the same day (Enschede: June 2024) -> pro rata too:
    # 6 hours by 31-01-2025, 31 of 365 days
    row = kpi(uren_cur, "uren_prognose_jaareinde", "GM0153", "2025-01")
    assert row["waarde"] == pytest.approx(6 * 365 / 31)
    # a completed year is its own realisation (incl. 31-12-2024 23:30)
    row = kpi(uren_cur, "uren_prognose_jaareinde", "GM0164", "2024")
    assert (row["teller"], row["noemer"], row["waarde"]) == (100, 1, 100)
    assert kpi(uren_cur, "uren_prognose_jaareinde", "GM0164", "2024-Q4")["waarde"] == 100
    # no hours at all in the year so far: a projection of 0
    assert kpi(uren_cur, "uren_prognose_jaareinde", "GM0141", "2025-03")["waarde"] == 0


def test_uren_per_product(uren_cur):
    rows = uren_cur.execute(
        "select deelnemer_code, product, taakpakket, uren, regels from kpi.uren_per_product "
        "where jaar = 2024 order by all"
    ).fetchall()
    assert rows == [
        ("GM0153", "Periodieke controle", "basistaak", 8, 1),
        ("GM0164", "Omgevingsvergunning milieu regulier", "plustaak", 24, 1),
        # U01, U02, U03 (latest version: 24), U05, U06: 20 + 5 + 24 + 24 + 3
        ("GM0164", "Periodieke controle", "basistaak", 76, 5),
        # indirect hours: no deelnemer
        (None, "Teamoverleg", "basistaak", 8, 1),
    ]
    # the hours with a deelnemer add up to uren_gerealiseerd TOTAAL
    direct = sum(r[3] for r in rows if r[0] is not None)
    assert direct == kpi(uren_cur, "uren_gerealiseerd", "TOTAAL", "2024")["waarde"]
    # 2025: Hengelo 110, Enschede 6, indirect 7
    per_deelnemer = dict(
        uren_cur.execute(
            "select deelnemer_code, sum(uren) from kpi.uren_per_product where jaar = 2025 "
            "group by all"
        ).fetchall()
    )
    assert per_deelnemer == {"GM0164": 110, "GM0153": 6, None: 7}


def test_output_kpis_have_no_norm(uren_cur):
    row = kpi(uren_cur, "uren_gerealiseerd", "GM0164", "2024")
    assert (row["norm"], row["status"]) == (None, "geen_norm")


def test_uren_prognose_begroting_pct(uren_cur):
    # 2025 by 31 March: projection 400 hours (see above) against Hengelo's 400 budgeted -> 100
    row = kpi(uren_cur, "uren_prognose_begroting_pct", "GM0164", "2025-03")
    assert (row["teller"], row["noemer"], row["waarde"]) == (400, 400, 100)
    # by 31 January: 120 of 400 -> 30 %
    assert kpi(uren_cur, "uren_prognose_begroting_pct", "GM0164", "2025-01")["waarde"] == 30
    # 2024 complete: 100 realised against 150 + 50 budgeted -> 50 %; the signal value is <= 100
    row = kpi(uren_cur, "uren_prognose_begroting_pct", "GM0164", "2024")
    assert (row["waarde"], row["norm"], row["operator"], row["status"]) == (50, 100, "<=", "groen")
    # Enschede 2024: 8 realised against 20 -> 40; Almelo budgeted 0 hours: no value, not 0
    assert kpi(uren_cur, "uren_prognose_begroting_pct", "GM0153", "2024")["waarde"] == 40
    assert kpi(uren_cur, "uren_prognose_begroting_pct", "GM0141", "2024")["waarde"] is None


def test_programma_voortgang_pct_pro_rata_by_the_days_the_exports_cover(tmp_path):
    zaken = [
        # Hengelo, programme product: closed 15-01, 10-02 and 20-03-2025
        zaak("Z1", "02-01-2025", "15-01-2025"),
        zaak("Z2", "03-01-2025", "10-02-2025"),
        zaak("Z3", "04-01-2025", "20-03-2025"),
        # not in the programme; and an open one
        zaak("Z4", "05-01-2025", "01-03-2025", product="Sloopmelding"),
        zaak("Z5", "06-01-2025", status="open"),
        # Enschede: makes it an export of several deelnemers (it covers all of them)
        zaak("Z6", "07-01-2025", "08-01-2025", deelnemer="GM0153"),
    ]
    programma = [gepland(2025, "GM0164", "Periodieke controle", "12")]
    cur = build_lake(tmp_path, ("zaken_20250331.csv", zaken), ("programma_2025.csv", programma))
    # January: 1 closed against 12 x 31/365 of the year
    row = kpi(cur, "programma_voortgang_pct", "GM0164", "2025-01")
    assert (row["teller"], row["noemer"]) == (1, pytest.approx(12 * 31 / 365))
    assert row["waarde"] == pytest.approx(1 / (12 * 31 / 365) * 100)
    # Q1 and the year so far (covered to 31-03): 3 against 12 x 90/365 -> 101,4 %: groen (>= 90)
    for periode in ("2025-Q1", "2025"):
        row = kpi(cur, "programma_voortgang_pct", "GM0164", periode)
        assert (row["teller"], row["noemer"]) == (3, pytest.approx(12 * 90 / 365)), periode
        assert row["waarde"] == pytest.approx(3 / (12 * 90 / 365) * 100)
        assert row["status"] == "groen"
    assert kpi(cur, "programma_voortgang_pct", "GM0164", "2025")["dekking"] == "onvolledig"
    # after the last event and the export's date the family computes no period: no value
    assert kpi(cur, "programma_voortgang_pct", "GM0164", "2025-Q2") is None
    # TOTAAL: the programme of all deelnemers (only Hengelo's here) -> the same
    assert kpi(cur, "programma_voortgang_pct", "TOTAAL", "2025-Q1")["teller"] == 3
    # Enschede has no programme: no value
    row = kpi(cur, "programma_voortgang_pct", "GM0153", "2025-Q1")
    assert (row["waarde"], row["teller"], row["noemer"]) == (None, None, None)
