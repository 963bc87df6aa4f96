"""TOTAAL as a comparison (docs/vergelijking-totaal.md): an accounthouder does not get the
TOTAAL of a KPI and period to which fewer than 3 deelnemers other than their own contribute,
because TOTAAL minus their own figure would be (nearly) another deelnemer's. The data layer
withholds it, so the page, its downloads and every data function agree; MT, analysts and
beheerders always see it.

The lake is built from the hand-made penalty payments of tests/sql/test_totaal_bijdragers.py:
dwangsom_invordering_pct in 2024-Q3 has contributors Hengelo, Enschede and Borne (Almelo
collected nothing), in 2024-Q4 all four.

    TOTAAL 2024-Q3: 700 / 2.600 = 26,92%      (for Hengelo 2 others: withheld)
    TOTAAL 2024-Q4: 950 / 2.200 = 43,18%      (for Hengelo 3 others: shown)
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
import streamlit as st

from dashboard import data
from dashboard.data import TOTAAL
from dashboard.data import deelnemer as dd
from dashboard.data import overzicht as ov
from dashboard.data import robuustheid as rob
from dashboard.viewer import Viewer
from tests.dashboard.conftest import downloaded, open_page
from tests.sql.test_totaal_bijdragers import ALMELO, HENGELO, build

KPI = "dwangsom_invordering_pct"
REDEN = "niet getoond: minder dan 3 andere deelnemers hebben gegevens"
ACCOUNTHOUDER = Viewer("accounthouder", (HENGELO,))
MT = Viewer("mt")


@pytest.fixture(scope="module")
def lake_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vergelijking")
    build(tmp)
    return tmp / "lake"


@pytest.fixture
def lake(lake_dir, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_LAKE", str(lake_dir))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield lake_dir
    st.cache_resource.clear()
    st.cache_data.clear()


def totaal(frame: pl.DataFrame, periode: str) -> dict:
    rows = frame.filter((pl.col("deelnemer_code") == TOTAAL) & (pl.col("periode") == periode))
    assert rows.height == 1, periode
    return rows.row(0, named=True)


def test_data_functions_withhold_totaal_where_fewer_than_3_others_contribute(lake):
    for frame in (
        data.kpi_waarden(ACCOUNTHOUDER, [KPI], periode_type="kwartaal"),
        ov.vergelijking(ACCOUNTHOUDER, [KPI], "kwartaal", "2024-Q3"),
        dd.reeksen(ACCOUNTHOUDER, HENGELO, [(KPI, "kwartaal", "2024-Q4", 2)]),
    ):
        row = totaal(frame, "2024-Q3")
        assert row["onderdrukt"] is True
        assert [row.get(k) for k in ("waarde", "teller", "noemer", "status")] == [None] * 4
        # the viewer's own row is not touched
        eigen = frame.filter(
            (pl.col("deelnemer_code") == HENGELO) & (pl.col("periode") == "2024-Q3")
        ).row(0, named=True)
        assert eigen["waarde"] == pytest.approx(40.0) and eigen["onderdrukt"] is False


def test_totaal_is_shown_where_3_others_contribute(lake):
    row = totaal(data.kpi_waarden(ACCOUNTHOUDER, [KPI], periode_type="kwartaal"), "2024-Q4")
    assert row["onderdrukt"] is False
    assert (row["teller"], row["noemer"]) == (950.0, 2200.0)
    assert row["waarde"] == pytest.approx(100 * 950 / 2200)
    # the year: Hengelo and 3 others
    jaar = ov.vergelijking(ACCOUNTHOUDER, [KPI], "jaar", "2024")
    assert totaal(jaar, "2024")["waarde"] == pytest.approx(100 * 1650 / 4800)


def test_others_are_counted_without_the_viewers_own_deelnemer(lake):
    # Almelo collected nothing in 2024-Q3: for its accounthouder, all 3 contributors are others
    almelo = Viewer("accounthouder", (ALMELO,))
    row = totaal(data.kpi_waarden(almelo, [KPI], [TOTAAL], "kwartaal"), "2024-Q3")
    assert row["onderdrukt"] is False and row["waarde"] == pytest.approx(100 * 700 / 2600)


@pytest.mark.parametrize("viewer", [MT, Viewer("analist"), Viewer("beheerder")])
def test_other_roles_always_see_totaal(lake, viewer):
    row = totaal(data.kpi_waarden(viewer, [KPI], [TOTAAL], "kwartaal"), "2024-Q3")
    assert row["onderdrukt"] is False and row["waarde"] == pytest.approx(100 * 700 / 2600)


def test_a_running_sum_does_not_reveal_a_withheld_period(lake):
    reeks = dd.reeksen(ACCOUNTHOUDER, HENGELO, [(KPI, "kwartaal", "2024-Q4", 2)])
    assert totaal(reeks, "2024-Q4")["waarde"] == pytest.approx(100 * 950 / 2200)
    assert totaal(reeks, "2024-Q4")["cumulatief"] is None  # it would hold 2024-Q3
    mt = dd.reeksen(MT, HENGELO, [(KPI, "kwartaal", "2024-Q4", 2)])
    assert totaal(mt, "2024-Q4")["cumulatief"] == pytest.approx(100 * (700 / 2600 + 950 / 2200))


def test_organisation_level_kpis_stay_visible(lake):
    # robustness KPIs have no deelnemer rows: TOTAAL discloses no deelnemer
    frame = rob.mijlpalen_gereed_per_jaar(ACCOUNTHOUDER, "robuustheid")
    assert frame.height > 0 and frame["gereed"].null_count() == 0
    assert frame.equals(rob.mijlpalen_gereed_per_jaar(MT, "robuustheid"))


# --- what the Deelnemer page shows ----------------------------------------------------------
def kwartaal(role: str, deelnemer: str | None, periode: str):
    at = open_page("deelnemer", role, deelnemer)
    if role != "accounthouder":
        at.selectbox(key="deelnemer_keuze").set_value(HENGELO).run()
    at.segmented_control(key="deelnemer_periode_type").set_value("kwartaal").run()
    at.selectbox(key="deelnemer_periode_kwartaal").set_value(periode).run()
    at.session_state["deelnemer_blok"] = "Handhaving"  # the tab with the card
    at.run()
    assert not at.exception
    return at


def kaart(at) -> str:
    """The caption under the card of the KPI (its column holds the card and the caption)."""
    found = [
        c.caption[0].value
        for c in at.columns
        if [m.label for m in c.metric] == ["Invordering verbeurde dwangsommen"]
    ]
    assert len(found) == 1
    return found[0]


def handhaving_tabel(at) -> pl.DataFrame:
    tables = [d.value for d in at.dataframe if "Kengetal" in d.value.columns]
    rows = [t for t in tables if "Invordering verbeurde dwangsommen" in set(t["Kengetal"])]
    assert len(rows) == 1
    return pl.from_pandas(rows[0]).filter(pl.col("Kengetal") == "Invordering verbeurde dwangsommen")


def captions_with(at, text: str) -> list[str]:
    return [c.value for c in at.caption if text in c.value]


def test_page_says_why_totaal_is_not_shown_to_the_accounthouder(lake, media):
    at = kwartaal("accounthouder", HENGELO, "2024-Q3")
    assert kaart(at).endswith(f"alle deelnemers: {REDEN}")
    assert not captions_with(at, "26,9")
    tabel = handhaving_tabel(at)
    alle = tabel.filter(pl.col("Deelnemer") == "Alle deelnemers").row(0, named=True)
    assert alle["Waarde"] is None and alle["Status"] == REDEN
    assert tabel.filter(pl.col("Deelnemer") == "Hengelo")["Waarde"].to_list() == [40.0]
    # the download of that table holds the same: the reason, not the value
    csv = pl.read_csv(io.BytesIO(downloaded(at, media, "handhaving-kpi-csv")), separator=";")
    invordering = csv.filter(pl.col("Kengetal") == "Invordering verbeurde dwangsommen")
    assert invordering.filter(pl.col("Deelnemer") == "Alle deelnemers").select(
        "Waarde", "Status"
    ).row(0) == (None, REDEN)


def test_page_shows_totaal_to_the_accounthouder_with_3_others(lake):
    at = kwartaal("accounthouder", HENGELO, "2024-Q4")
    assert kaart(at).endswith("alle deelnemers: 43,2%")
    tabel = handhaving_tabel(at)
    alle = tabel.filter(pl.col("Deelnemer") == "Alle deelnemers").row(0, named=True)
    assert alle["Waarde"] == pytest.approx(43.18) and alle["Status"] != REDEN


def test_page_shows_totaal_to_the_mt(lake):
    at = kwartaal("mt", None, "2024-Q3")
    assert not captions_with(at, REDEN)
    assert kaart(at).endswith("alle deelnemers: 26,9%")
    alle = handhaving_tabel(at).filter(pl.col("Deelnemer") == "Alle deelnemers")
    assert alle["Waarde"].to_list() == [pytest.approx(26.92)]


def test_breakdowns_of_every_deelnemer_are_not_for_an_accounthouder(lake):
    """Complaints per aard, the LHSO matrix, compliance per branche: TOTAAL there adds up every
    deelnemer's detail. No accounthouder page asks for it, and the data layer refuses it."""
    from dashboard.data import klachten, naleving
    from dashboard.viewer import ScopeError

    calls = [
        lambda v: naleving.lhso_matrix(v, TOTAAL, 2024),
        lambda v: naleving.naleving_per_branche(v, TOTAAL, 2024, 2024),
        lambda v: klachten.per_aard(v, TOTAAL, ("jaar",)),
        lambda v: dd.lhso_cellen(v, TOTAAL, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        lambda v: dd.klachten_per_aard(v, TOTAAL, ["2024"]),
    ]
    for call in calls:
        with pytest.raises(ScopeError, match="alleen voor het MT, analisten en de beheerder"):
            call(ACCOUNTHOUDER)
        call(MT)  # the MT may
    # their own deelnemer is still theirs (this lake holds no controles: an empty matrix)
    cellen = dd.lhso_cellen(ACCOUNTHOUDER, HENGELO, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert cellen.columns == ["lhso_gevolgen", "lhso_gedrag", "lhso_code", "aantal_controles"]
    assert cellen.height == 16 and cellen["aantal_controles"].sum() == 0
