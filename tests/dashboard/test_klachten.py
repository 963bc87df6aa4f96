"""The Klachten page (MT, analysts) and its data functions: values as in the warehouse, the
RD scatter, the internal TOP-X list (refused by the data layer itself for anyone else) and
scope for accounthouders."""

from __future__ import annotations

import json

import pytest

from dashboard.data import TOTAAL, klachten
from dashboard.format import getal
from dashboard.viewer import ScopeError, Viewer
from tests.dashboard.conftest import open_page, texts

MT = Viewer("mt")
ANALIST = Viewer("analist")
HENGELO = Viewer("accounthouder", ("GM0164",))
BEHEERDER = Viewer("beheerder")


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("role", ["mt", "analist"])
def test_renders_for_mt_and_analist_with_the_internal_list_marked(lake_env, role):
    at = open_page("klachten", role)
    assert not at.exception
    assert at.title[0].value == "Klachten"
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)
    assert "TOP-X inrichtingen met de meeste klachten" in [h.value for h in at.header]
    assert any("Intern: niet voor publicatie" in e.value for e in at.error)
    assert len(at.get("download_button")) >= 2


def test_headline_shows_the_warehouse_values(lake_env, warehouse):
    at = open_page("klachten", "mt")
    for kpi_id, label, decimals, suffix in [
        ("klachten_aantal", "Aantal klachten", 0, ""),
        ("klachten_gegrond_pct", "Gegronde klachten", 1, "%"),
        ("klachten_per_1000_inwoners", "Klachten per 1.000 inwoners", 2, ""),
    ]:
        periode, waarde = warehouse.execute(
            "select periode, waarde from kpi.waarden where kpi_id = ? and deelnemer_code = "
            "'TOTAAL' and periode_type = 'jaar' and waarde is not null "
            "order by periode desc limit 1",
            [kpi_id],
        ).fetchone()
        assert f"{label} ({periode}) {getal(waarde, decimals)}{suffix}" in texts(at)


def test_per_maand_and_per_aard_for_hengelo(lake_env, warehouse):
    at = open_page("klachten", "mt")
    at.multiselect(key="klachten_deelnemers").set_value(["GM0164"])
    at.radio(key="klachten_periode_type").set_value("maand")
    at.run()
    assert not at.exception
    assert at.selectbox(key="klachten_detail").value == "GM0164"
    trends = at.dataframe[0].value
    assert set(trends["Deelnemer"]) == {"Hengelo"}
    maand, aantal = warehouse.execute(
        "select periode, waarde from kpi.waarden where kpi_id = 'klachten_aantal' and "
        "deelnemer_code = 'GM0164' and periode_type = 'maand' order by periode desc limit 1"
    ).fetchone()
    assert trends[trends["Periode"] == maand]["Aantal klachten"].iloc[0] == aantal
    per_aard = next(d.value for d in at.dataframe if "Aandeel (%)" in d.value.columns)
    expected = warehouse.execute(
        "select periode, aard, aantal from kpi.klachten_per_aard where deelnemer_code = "
        "'GM0164' and periode_type = 'jaar'"
    ).fetchall()
    assert sorted(zip(per_aard["Jaar"], per_aard["Aard"], per_aard["Klachten"], strict=True)) == (
        sorted(expected)
    )


def test_rd_scatter_has_equal_scales_and_dutch_locale(lake_env):
    at = open_page("klachten", "mt")
    specs = charts(at)
    for spec in specs:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
    kaart = next(s for s in specs if "RD-x (m)" in json.dumps(s))
    x = kaart["layer"][0]["encoding"]["x"]["scale"]["domain"]
    y = kaart["layer"][0]["encoding"]["y"]["scale"]["domain"]
    # metres per pixel the same on both axes: no stretched Twente
    assert (x[1] - x[0]) / kaart["width"] == pytest.approx(
        (y[1] - y[0]) / kaart["height"], rel=0.01
    )
    assert kaart["layer"][0]["encoding"]["color"]["field"] == "aard_groep"
    assert any(layer["mark"]["type"] == "text" for layer in kaart["layer"][1:])


def test_top_x_slider_and_values(lake_env, warehouse):
    at = open_page("klachten", "mt")
    at.slider(key="klachten_top_x").set_value(5)
    at.run()
    assert not at.exception
    tabel = next(d.value for d in at.dataframe if "Rang" in d.value.columns)
    expected = warehouse.execute(
        "select rang, inrichting_id, aantal_klachten from kpi.klachten_top_inrichtingen "
        "where deelnemer_code = 'TOTAAL' and rang <= 5 order by rang, naam, inrichting_id"
    ).fetchall()
    assert expected
    got = list(zip(tabel["Rang"], tabel["Inrichting-id"], tabel["Klachten"], strict=True))
    assert got == expected


def test_top_x_data_function_refuses_anyone_without_internal_access(lake_env):
    assert klachten.top_inrichtingen(MT, "GM0164", 10).height > 0
    assert klachten.top_inrichtingen(ANALIST, TOTAAL, 10).height > 0
    for viewer, code in [(HENGELO, "GM0164"), (HENGELO, TOTAAL), (BEHEERDER, "GM0164")]:
        with pytest.raises(ScopeError):
            klachten.top_inrichtingen(viewer, code, 10)


def test_accounthouder_does_not_get_the_page(lake_env):
    at = open_page(None, "accounthouder", "GM0164", query={"deelnemer": "GM0153"})
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/klachten.py")


def test_beheerder_does_not_get_the_page(lake_env):
    at = open_page(None, "beheerder")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/klachten.py")


def test_place_views_never_give_an_accounthouder_other_deelnemers(lake_env, warehouse):
    jaar = warehouse.execute("select max(jaar) from kpi.klachten_locaties").fetchone()[0]
    # TOTAAL in a view without TOTAAL rows means "everything in scope", for Hengelo: Hengelo
    for code in (TOTAAL, "GM0164"):
        assert set(klachten.locaties(HENGELO, code, jaar)["deelnemer_code"]) == {"GM0164"}
    assert set(klachten.gemeente_middelpunten(HENGELO)["deelnemer_code"]) == {"GM0164"}
    eigen = warehouse.execute(
        "select postcode4, aard, sum(aantal) from kpi.klachten_per_postcode "
        "where deelnemer_code = 'GM0164' and jaar = ? group by all",
        [jaar],
    ).fetchall()
    assert sorted(klachten.per_postcode(HENGELO, TOTAAL, jaar).rows()) == sorted(eigen)
    assert set(klachten.reeksen(HENGELO, klachten.KPIS, ["GM0164"], "jaar")["deelnemer_code"]) == {
        "GM0164"
    }
    for call in (
        lambda: klachten.locaties(HENGELO, "GM0153", jaar),
        lambda: klachten.per_postcode(HENGELO, "GM0153", jaar),
        lambda: klachten.per_aard(HENGELO, "GM0153", ("jaar",)),
        lambda: klachten.reeksen(HENGELO, klachten.KPIS, ["GM0153"], "jaar"),
    ):
        with pytest.raises(ScopeError):
            call()


def test_mt_sees_every_deelnemer_on_the_scatter(lake_env, warehouse):
    jaar = warehouse.execute("select max(jaar) from kpi.klachten_locaties").fetchone()[0]
    expected = warehouse.execute(
        "select count(*) from kpi.klachten_locaties where jaar = ? and x is not null "
        "and y is not null",
        [jaar],
    ).fetchone()[0]
    assert klachten.locaties(MT, TOTAAL, jaar).height == expected
