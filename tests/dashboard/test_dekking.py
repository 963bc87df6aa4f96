"""Coverage on the pages (docs/kpis.md, "Dekking"): on the sample the case exports run to
31-01-2026 (a January export) and every other source to 31-12-2025. A period the exports do not
cover shows no value and is not offered; a period they cover partly says "onvolledig" and shows
no difference; each page opens on the newest complete period."""

from __future__ import annotations

import datetime as dt

from dashboard import data
from tests.dashboard.conftest import open_page, texts
from tests.dashboard.test_deelnemer import metric


def test_the_sample_covers_cases_to_january_and_complaints_to_december(lake_env, warehouse):
    dekking = dict(
        warehouse.execute(
            "select bron, gedekt_tot from meta.dekking where deelnemer_code = 'TOTAAL'"
        ).fetchall()
    )
    assert dekking["zaken"] == dt.date(2026, 1, 31)
    assert dekking["klachten"] == dekking["uren"] == dt.date(2025, 12, 31)
    # no complaint KPI has a value after the complaints export, and none is 0 there
    after = warehouse.execute(
        "select count(*) filter (where waarde is not null), count(*) from kpi.waarden "
        "where kpi_id like 'klachten%' and periode like '2026%'"
    ).fetchone()
    assert after[0] == 0


def test_a_month_no_export_covers_is_not_offered(lake_env):
    maanden = data.perioden("maand")
    assert maanden[0] == "2026-01"  # the January case export covers it
    assert "2026-02" not in maanden
    assert data.perioden("jaar")[0] == "2026"


def test_every_page_opens_on_the_newest_complete_period(lake_env):
    deelnemer = open_page("deelnemer", "mt")
    assert deelnemer.segmented_control(key="deelnemer_periode_type").value == "kwartaal"
    assert deelnemer.selectbox(key="deelnemer_periode_kwartaal").value == "2025-Q4"
    # 2026-01 is covered for cases only: not complete for the page's KPIs
    deelnemer.segmented_control(key="deelnemer_periode_type").set_value("maand").run()
    assert deelnemer.selectbox(key="deelnemer_periode_maand").value == "2025-12"
    overzicht = open_page("overzicht", "mt")
    assert overzicht.selectbox(key="overzicht_periode_kwartaal").value == "2025-Q4"
    jaar = open_page("overzicht", "mt", query={"soort": "jaar"})
    assert jaar.selectbox(key="overzicht_periode_jaar").value == "2025"


def test_an_incomplete_year_says_until_when_and_shows_no_difference(lake_env, warehouse):
    at = open_page(
        "deelnemer", "mt", query={"deelnemer": "GM0164", "soort": "jaar", "periode": "2026"}
    )
    assert not at.exception
    producten = next(m for m in at.metric if m.label == "Gerealiseerde producten")
    assert producten.delta is None or producten.delta == ""  # no change against 2025
    assert "◐ onvolledig: gegevens t/m 31-01-2026" in texts(at)
    # complaints are not covered in 2026: no value, and no 0
    assert metric(at, "Aantal klachten") == "–"
    assert "geen gegevens: de geladen exports dekken deze periode niet" in texts(at)
    # the breakdowns say why they are empty; amounts of an uncovered period are not € 0
    at.session_state["deelnemer_blok"] = "Klachten"
    at.run()
    infos = [i.value for i in at.info]
    assert (
        "Geen gegevens voor 2026: de geladen exports van Klachten dekken 01-01-2021 t/m "
        "31-12-2025." in infos
    )
    assert "Geen klachten in 2026." not in infos
    at.session_state["deelnemer_blok"] = "Handhaving"
    at.run()
    assert metric(at, "Verbeurde dwangsommen") == "–"
    assert metric(at, "Daarvan ingevorderd") == "–"
    assert "−" not in producten.value


def test_the_overzicht_names_what_is_incomplete_and_leaves_no_zero(lake_env):
    at = open_page("overzicht", "mt", query={"soort": "jaar", "periode": "2026"})
    assert not at.exception
    warning = at.warning[0].value
    assert "2026 is niet volledig gedekt" in warning
    assert "Werkvoorraad: ◐ onvolledig: gegevens t/m 31-01-2026" in warning
    assert "Klachten per 1.000 inwoners: geen gegevens voor deze periode" in warning
    tabel = next(d.value for d in at.dataframe if "Deelnemer" in d.value.columns)
    klachten = [c for c in tabel.columns if c.startswith("Klachten per 1.000 inwoners")]
    assert klachten and tabel[klachten[0]].isna().all()  # no value, not 0
    verschil = [c for c in tabel.columns if c.startswith("Werkvoorraad: verschil")]
    assert verschil and tabel[verschil[0]].isna().all()  # no change against an incomplete year


def test_every_page_says_how_far_the_exports_reach(lake_env):
    at = open_page("robuustheid", "mt")
    caption = next(c.value for c in at.caption if "Gegevens bijgewerkt op" in c.value)
    assert "exports t/m 31-01-2026 (Zaken); minst ver: " in caption
    assert "(t/m 31-12-2025)" in caption
    kwaliteit = open_page("datakwaliteit", "mt")
    tabel = next(d.value for d in kwaliteit.dataframe if "Bron" in d.value.columns)
    gedekt = dict(zip(tabel["Bron"], tabel["Gegevens t/m (stand van de exports)"], strict=True))
    assert gedekt["Zaken"] == "31-01-2026" and gedekt["Klachten"] == "31-12-2025"
    assert gedekt["Uitvoeringsprogramma"] == "–"  # a plan has no stand that limits anything


def test_the_overzicht_summary_of_an_incomplete_year_says_so(lake_env, warehouse):
    at = open_page("overzicht", "mt", query={"soort": "jaar", "periode": "2026"})
    summary = next(m.value for m in at.markdown if "geen gegevens voor deze periode" in m.value)
    # no export covers 2026 for these: the count of deelnemers off track is not "the rest ok"
    assert "- geen gegevens voor deze periode: Naleving, Uren, Klachten" in summary
    for line in summary.splitlines():
        if line.startswith("- **Termijn**"):
            assert "(◐ onvolledig: gegevens t/m 31-01-2026)" in line
    # a KPI from reference data in the running year: incomplete up to the build date
    dekking, tot = warehouse.execute(
        "select dekking, gedekt_tot from kpi.waarden where kpi_id = 'rob_mandaat' "
        "and deelnemer_code = 'TOTAAL' and periode = ?",
        [str(dt.date.today().year)],
    ).fetchone()
    assert (dekking, tot) == ("onvolledig", dt.date.today())
