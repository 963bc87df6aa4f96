"""The Naleving page (MT, analysts) and its data functions: values as in the warehouse, Dutch
chart locale, scope for accounthouders (no page, no other deelnemer's rows), and the page's
tables and series as pure functions."""

from __future__ import annotations

import json

import polars as pl
import pytest

from dashboard.data import TOTAAL, naleving
from dashboard.format import getal
from dashboard.viewer import ScopeError, Viewer
from tests.dashboard.conftest import open_page, texts

MT = Viewer("mt")
HENGELO = Viewer("accounthouder", ("GM0164",))


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def latest(warehouse, kpi_id: str, code: str, periode_type: str = "jaar") -> tuple:
    return warehouse.execute(
        "select periode, waarde, waarde_tekst from kpi.waarden where kpi_id = ? "
        "and deelnemer_code = ? and periode_type = ? and waarde is not null "
        "order by periode desc limit 1",
        [kpi_id, code, periode_type],
    ).fetchone()


@pytest.mark.parametrize("role", ["mt", "analist"])
def test_renders_for_mt_and_analist(lake_env, role):
    at = open_page("naleving", role)
    assert not at.exception
    assert at.title[0].value == "Naleving"
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)
    headers = [h.value for h in at.header]
    assert headers == [
        "Trends per deelnemer",
        "Uitsplitsing",
        "Strafrecht en dwangsommen",
        "Energiebesparing",
    ]
    assert any(s.value.startswith("LHSO-matrix") for s in at.subheader)
    assert len(at.get("download_button")) >= 2


def test_headline_shows_the_warehouse_values_for_totaal(lake_env, warehouse):
    at = open_page("naleving", "mt")
    text = texts(at)
    periode, waarde, _ = latest(warehouse, "naleefpercentage", TOTAAL)
    assert f"Naleefpercentage ({periode}) {getal(waarde, 1)}%" in text
    periode, waarde, _ = latest(warehouse, "overtredingen_aantal", TOTAAL)
    assert f"Aantal overtredingen ({periode}) {getal(waarde)}" in text
    periode, _, code = latest(warehouse, "lhso_zwaarste", TOTAAL)
    assert f"Zwaarste LHSO-score ({periode}) {code}" in text


def test_selecting_hengelo_per_kwartaal_shows_its_values(lake_env, warehouse):
    at = open_page("naleving", "mt")
    at.multiselect(key="naleving_deelnemers").set_value(["GM0164", TOTAAL])
    at.radio(key="naleving_periode_type").set_value("kwartaal")
    at.run()
    assert not at.exception
    periode, waarde, _ = latest(warehouse, "naleefpercentage", "GM0164", "kwartaal")
    assert "Laatste volledige periode: Hengelo" in texts(at)
    assert f"Naleefpercentage ({periode}) {getal(waarde, 1)}%" in texts(at)
    # the trend table has both series, per quarter
    tabel = at.dataframe[0].value
    assert set(tabel["Deelnemer"]) == {"Hengelo", "Alle deelnemers"}
    rij = tabel[(tabel["Deelnemer"] == "Hengelo") & (tabel["Periode"] == periode)]
    assert rij["Naleefpercentage"].iloc[0] == pytest.approx(round(waarde, 1))


def test_charts_are_dutch_and_lhso_shows_codes(lake_env):
    at = open_page("naleving", "mt")
    specs = charts(at)
    assert len(specs) >= 8
    for spec in specs:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert spec["config"]["locale"]["number"]["thousands"] == "."
    lhso = [s for s in specs if "Zwaarste LHSO-cel" in json.dumps(s)]
    assert lhso and "A4" in json.dumps(lhso[0]["layer"][0]["encoding"]["y"]["axis"])


def test_per_branche_is_the_naleefpercentage_split_by_branche(lake_env, warehouse):
    jaar, teller, noemer = warehouse.execute(
        "select periode::integer, teller, noemer from kpi.waarden where kpi_id = "
        "'naleefpercentage' and deelnemer_code = 'GM0164' and periode_type = 'jaar' "
        "and noemer > 0 order by periode desc limit 1"
    ).fetchone()
    frame = naleving.naleving_per_branche(MT, "GM0164", jaar, jaar)
    assert set(frame["deelnemer_code"]) == {"GM0164"}
    assert frame["periodieke_controles"].sum() == noemer
    assert frame["zonder_overtredingen"].sum() == teller
    totaal = naleving.naleving_per_branche(MT, TOTAAL, jaar - 1, jaar)
    assert set(totaal["jaar"]) <= {jaar - 1, jaar}
    expected = warehouse.execute(
        "select sum(noemer) from kpi.waarden where kpi_id = 'naleefpercentage' "
        "and deelnemer_code = 'TOTAAL' and periode_type = 'jaar' and periode in (?, ?)",
        [str(jaar - 1), str(jaar)],
    ).fetchone()[0]
    assert totaal["periodieke_controles"].sum() == expected


def test_page_branche_table_and_lhso_matrix_match_the_warehouse(lake_env, warehouse):
    at = open_page("naleving", "mt")
    jaar = at.selectbox(key="naleving_jaar").value
    expected = dict(
        warehouse.execute(
            "select lhso_code, aantal_controles from kpi.lhso_matrix "
            "where deelnemer_code = 'TOTAAL' and jaar = ?",
            [jaar],
        ).fetchall()
    )
    matrix = next(d.value for d in at.dataframe if "LHSO-cel" in d.value.columns)
    assert dict(zip(matrix["LHSO-cel"], matrix["Controles"], strict=True)) == expected
    branches = next(d.value for d in at.dataframe if "Branche" in d.value.columns)
    laatste = branches[branches["Jaar"] == branches["Jaar"].max()]
    noemer = warehouse.execute(
        "select noemer from kpi.waarden where kpi_id = 'naleefpercentage' and "
        "deelnemer_code = 'TOTAAL' and periode_type = 'jaar' and periode = ?",
        [str(int(branches["Jaar"].max()))],
    ).fetchone()[0]
    assert laatste["Periodieke controles"].sum() == noemer


def test_dwangsommen_forfeited_vs_collected(lake_env, warehouse):
    frame = naleving.dwangsommen(MT, ["GM0164"], "jaar")
    rows = warehouse.execute(
        "select periode, noemer, teller from kpi.waarden where kpi_id = "
        "'dwangsom_invordering_pct' and deelnemer_code = 'GM0164' and periode_type = 'jaar' "
        "order by periode"
    ).fetchall()
    assert frame.sort("periode").select("periode", "verbeurd_eur", "ingevorderd_eur").rows() == [
        (p, v, i) for p, v, i in rows
    ]
    at = open_page("naleving", "mt")
    periode, verbeurd = warehouse.execute(
        "select periode, noemer from kpi.waarden where kpi_id = 'dwangsom_invordering_pct' "
        "and deelnemer_code = 'TOTAAL' and periode_type = 'jaar' and noemer is not null "
        "order by periode desc limit 1"
    ).fetchone()
    assert f"Verbeurd ({periode}) € {getal(verbeurd)}" in texts(at)


def test_accounthouder_does_not_get_the_page(lake_env):
    at = open_page(None, "accounthouder", "GM0164")
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/naleving.py")


def test_beheerder_does_not_get_the_page(lake_env):
    at = open_page(None, "beheerder")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/naleving.py")


def test_data_functions_keep_an_accounthouder_to_their_own_deelnemer(lake_env):
    frame = naleving.reeksen(HENGELO, naleving.ALLE_KPIS, ["GM0164", TOTAAL], "jaar")
    assert set(frame["deelnemer_code"]) == {"GM0164", TOTAAL}
    assert set(naleving.naleving_per_branche(HENGELO, "GM0164", 2020, 2030)["deelnemer_code"]) == {
        "GM0164"
    }
    assert set(naleving.dwangsommen(HENGELO, ["GM0164"], "jaar")["deelnemer_code"]) == {"GM0164"}
    with pytest.raises(ScopeError):
        naleving.reeksen(HENGELO, naleving.TREND_KPIS, ["GM0153"], "jaar")
    with pytest.raises(ScopeError):
        naleving.naleving_per_branche(HENGELO, "GM0153", 2020, 2030)
    with pytest.raises(ScopeError):
        naleving.lhso_matrix(HENGELO, "GM0153", 2024)
    with pytest.raises(ScopeError):
        naleving.dwangsommen(HENGELO, ["GM0164", "GM0153"], "jaar")


# --- the page's tables and series as pure functions ------------------------------------------
def test_branches_together_are_the_kpi_of_the_year():
    branches = pl.DataFrame(
        {
            "deelnemer_code": ["GM0164"] * 3,
            "jaar": [2024, 2025, 2025],
            "branche": ["bouw", "bouw", "onbekend"],
            "periodieke_controles": [4, 6, 2],
            "zonder_overtredingen": [1, 5, 1],
            "naleefpercentage": [25.0, 83.333, 50.0],
        }
    )
    assert naleving.branches_samen(branches, 2025) == {
        "periodieke_controles": 8,
        "zonder_overtredingen": 6,
        "naleefpercentage": 75.0,
    }
    assert naleving.branches_samen(branches, 2023) is None
    assert naleving.branche_tabel(branches).row(1) == ("bouw", 2025, 6, 5, 83.3)


def test_the_lhso_table_names_its_axes_as_the_matrix_does():
    matrix = pl.DataFrame(
        {
            "lhso_gevolgen": ["A", "D"],
            "lhso_gedrag": ["4", "1"],
            "lhso_code": ["A4", "D1"],
            "aantal_controles": [2, 7],
        }
    )
    assert naleving.lhso_tabel(matrix).rows() == [
        ("A4", "A aanzienlijk", "4 bewust", 2),
        ("D1", "D nihil", "1 goedwillend", 7),
    ]


def test_penalty_payments_newest_period_chart_rows_and_table():
    dwangsommen = naleving.bedragen(
        pl.DataFrame(
            {
                "kpi_id": ["dwangsom_invordering_pct"] * 3 + ["naleefpercentage"],
                "deelnemer_code": ["GM0164"] * 4,
                "deelnemer": ["Hengelo"] * 4,
                "periode": ["2025", "2023", "2024", "2025"],
                "noemer": [None, 1000.0, 2500.0, 10.0],
                "teller": [None, 250.0, 1000.126, 8.0],
                "waarde": [None, 25.0, 40.005, 80.0],
            }
        )
    )
    assert dwangsommen["periode"].to_list() == ["2023", "2024", "2025"]
    laatste = naleving.laatste_bedragen(dwangsommen)  # 2025 forfeited nothing
    assert (laatste["periode"], laatste["niet_ingevorderd_eur"]) == ("2024", 1499.874)
    assert naleving.laatste_bedragen(dwangsommen.head(0)) is None
    assert naleving.bedragen_lang(dwangsommen).sort("periode", "soort").rows() == [
        ("2023", "Ingevorderd", 250.0),
        ("2023", "Verbeurd", 1000.0),
        ("2024", "Ingevorderd", 1000.126),
        ("2024", "Verbeurd", 2500.0),
    ]
    assert naleving.bedragen_tabel(dwangsommen).row(1) == (
        "Hengelo",
        "2024",
        2500.0,
        1000.13,
        1499.87,
        40.0,
    )
