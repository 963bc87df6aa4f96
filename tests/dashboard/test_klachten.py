"""The Klachten page (MT, analysts) and its data functions: values as in the warehouse, the
map of 1 km squares (counts, never a complaint's coordinates), the internal TOP-X list (refused
by the data layer itself for anyone else), scope for accounthouders, and the page's tables as
pure functions."""

from __future__ import annotations

import io
import json

import polars as pl
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


def kaart(at) -> tuple[dict, pl.DataFrame]:
    """The map's spec and the rows the browser gets for it (Streamlit sends a chart's data as
    Arrow datasets beside the spec)."""
    chart = next(c for c in at.get("vega_lite_chart") if "RD x (m)" in c.proto.spec)
    (dataset,) = chart.proto.datasets
    return json.loads(chart.proto.spec), pl.read_ipc_stream(io.BytesIO(dataset.data.data))


def met_plek(warehouse, jaar: int, codes: list[str] | None = None, aard: str | None = None):
    """Complaints of the year with a known place and the number of 1 km squares they lie in."""
    sql = (
        "select count(*), count(distinct (floor(x / 1000), floor(y / 1000))) "
        "from kpi.klachten_locaties where jaar = ? and x is not null and y is not null"
    )
    params: list = [jaar]
    if codes is not None:
        sql += " and list_contains(?, deelnemer_code)"
        params.append(codes)
    if aard is not None:
        sql += " and aard = ?"
        params.append(aard)
    return warehouse.execute(sql, params).fetchone()


@pytest.mark.parametrize("role", ["mt", "analist"])
def test_renders_for_mt_and_analist_with_the_internal_list_marked(lake_env, role):
    at = open_page("klachten", role)
    assert not at.exception
    assert at.title[0].value == "Klachten"
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)
    assert "TOP-X inrichtingen met de meeste klachten" in [h.value for h in at.header]
    assert any("Intern: niet voor publicatie" in e.value for e in at.warning)
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


def test_the_map_sends_squares_with_counts_not_complaints(lake_env, warehouse):
    at = open_page("klachten", "mt")
    jaar = at.selectbox(key="klachten_jaar").value
    for spec in charts(at):
        assert spec["config"]["locale"]["number"]["decimal"] == ","
    spec, rijen = kaart(at)
    # a square per row: its corner and its counts (the far corner is 1 km further, computed in
    # the browser); no date, aard, deelnemer
    assert set(rijen.columns) == {"x", "y", "klachten", "gegrond"}
    assert (rijen["x"] % 1000 == 0).all() and (rijen["y"] % 1000 == 0).all()
    assert {"calculate": "datum.x + 1000.0", "as": "x2"} in spec["transform"]
    assert {"calculate": "datum.y + 1000.0", "as": "y2"} in spec["transform"]
    aantal, vakken = met_plek(warehouse, jaar)  # Alle deelnemers: every complaint of the year
    assert rijen["klachten"].sum() == aantal
    assert rijen.height == vakken < aantal
    assert not rijen.select("x", "y").is_duplicated().any()
    # drawn to scale: as many metres per pixel on both axes
    x, y = spec["encoding"]["x"]["scale"]["domain"], spec["encoding"]["y"]["scale"]["domain"]
    assert (x[1] - x[0]) / spec["width"] == pytest.approx((y[1] - y[0]) / spec["height"])
    # the same squares as a table under the map, and a caption that says how they are counted
    tabel = next(d.value for d in at.dataframe if "RD x (m)" in d.value.columns)
    assert tabel["Klachten"].sum() == aantal and len(tabel) == vakken
    assert any("geteld per vak van 1 bij 1 km" in c.value for c in at.caption)


def test_the_map_of_one_deelnemer_and_aard_counts_that_selection(lake_env, warehouse):
    at = open_page("klachten", "mt")
    at.multiselect(key="klachten_deelnemers").set_value(["GM0164"]).run()
    jaar = at.selectbox(key="klachten_jaar").value
    aarden = at.multiselect(key="klachten_kaart_aard").options
    aard = max(aarden, key=lambda a: met_plek(warehouse, jaar, ["GM0164"], a)[0])
    at.multiselect(key="klachten_kaart_aard").set_value([aard]).run()
    assert not at.exception
    _, rijen = kaart(at)
    aantal, vakken = met_plek(warehouse, jaar, ["GM0164"], aard)
    assert aantal > 0
    assert rijen["klachten"].sum() == aantal and rijen.height == vakken
    assert aantal < met_plek(warehouse, jaar, ["GM0164"])[0]  # the other aarden are left out


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
    eigen_plek, _ = met_plek(warehouse, jaar, ["GM0164"])
    for code in (TOTAAL, "GM0164"):
        assert klachten.raster(HENGELO, code, jaar)["klachten"].sum() == eigen_plek
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
        lambda: klachten.raster(HENGELO, "GM0153", jaar),
        lambda: klachten.per_postcode(HENGELO, "GM0153", jaar),
        lambda: klachten.per_aard(HENGELO, "GM0153", ("jaar",)),
        lambda: klachten.reeksen(HENGELO, klachten.KPIS, ["GM0153"], "jaar"),
    ):
        with pytest.raises(ScopeError):
            call()


def test_mt_sees_every_deelnemer_on_the_map(lake_env, warehouse):
    jaar = warehouse.execute("select max(jaar) from kpi.klachten_locaties").fetchone()[0]
    aantal, vakken = met_plek(warehouse, jaar)
    raster = klachten.raster(MT, TOTAAL, jaar)
    assert raster["klachten"].sum() == aantal and raster.height == vakken
    gegrond = warehouse.execute(
        "select count(*) from kpi.klachten_locaties where jaar = ? and x is not null "
        "and y is not null and gegrond = 'Ja'",
        [jaar],
    ).fetchone()[0]
    assert raster["gegrond"].sum() == gegrond


# --- the page's tables and series as pure functions ------------------------------------------
PER_AARD = pl.DataFrame(
    {
        "periode_type": ["jaar"] * 5 + ["maand"] * 4,
        "periode": [
            "2024",
            "2024",
            "2025",
            "2025",
            "2025",
            "2024-07",
            "2025-07",
            "2025-07",
            "2025-01",
        ],
        "aard": ["geur", "geluid", "geur", "stof", "licht", "geur", "geur", "stof", "geluid"],
        "aantal": [5, 2, 4, 3, 1, 2, 3, 1, 2],
        "gegrond": [1, 0, 2, 1, 0, 1, 1, 0, 0],
        "aandeel_pct": [71.43, 28.57, 50.0, 37.5, 12.5, 100.0, 75.0, 25.0, 100.0],
    }
)


def test_aarden_beyond_the_colours_are_grouped_by_their_complaints():
    jaren = klachten.per_soort(PER_AARD, "jaar")
    assert jaren.height == 5
    assert klachten.per_soort(PER_AARD, "jaar", "2025")["aard"].to_list() == [
        "geur",
        "stof",
        "licht",
    ]
    # geur 9, stof 3, geluid 2, licht 1: three colours leave room for two aarden by name
    groepen = klachten.groepeer_aarden(jaren, 3)
    assert dict(zip(groepen["aard"], groepen["aard_groep"], strict=True)) == {
        "geur": "geur",
        "stof": "stof",
        "geluid": "overige aarden",
        "licht": "overige aarden",
    }
    assert klachten.groepeer_aarden(jaren, 4)["aard_groep"].to_list() == jaren["aard"].to_list()
    assert klachten.aard_tabel(jaren).row(0) == ("2024", "geur", 5, 1, 71.4)


def test_calendar_months_add_every_year_together():
    patroon = klachten.per_kalendermaand(klachten.per_soort(PER_AARD, "maand"))
    assert sorted(patroon.rows()) == [(1, "geluid", 2), (7, "geur", 5), (7, "stof", 1)]
    tabel = klachten.kalendermaand_tabel(patroon)
    assert tabel.columns == ["Aard", "jan", "jul"]
    assert tabel.rows() == [("geluid", 2, 0), ("geur", 0, 5), ("stof", 0, 1)]


def test_months_as_a_season_per_year_and_as_a_table():
    maanden = pl.DataFrame({"periode": ["2024-12", "2025-01"], "waarde": [3.0, 4.0]})
    assert klachten.seizoen(maanden).rows() == [("2024", 12, 3.0), ("2025", 1, 4.0)]
    assert klachten.maand_tabel(maanden).columns == ["Maand", "Klachten"]


def test_postcode_areas_sum_their_aarden_most_complaints_first():
    postcodes = pl.DataFrame(
        {
            "postcode4": ["7551", "7551", "7552", "overig"],
            "aard": ["geur", "stof", "geur", "geur"],
            "aantal": [3, 4, 8, 5],
        }
    )
    assert klachten.per_gebied(postcodes).rows() == [("7552", 8), ("7551", 7), ("overig", 5)]
    tabel = klachten.postcode_tabel(postcodes)
    assert tabel.columns == ["Postcode", "geur", "stof", "Totaal"]
    assert tabel.rows() == [("7552", 8, 0, 8), ("7551", 3, 4, 7), ("overig", 5, 0, 5)]
