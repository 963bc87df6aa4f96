"""The Verbeterplan page: the recommendations of the 2024 visitation as a timeline (deadline on
the x-axis, status as colour and shape and text, Dutch dates) and as a downloadable table."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from dashboard.data import robuustheid as rob
from dashboard.format import getal
from dashboard.viewer import Viewer
from tests.dashboard.conftest import open_page

ROLES = [("mt", None), ("accounthouder", "GM0164"), ("analist", None), ("beheerder", None)]


def table(at):
    return next(d.value for d in at.dataframe if "Aanbeveling" in d.value.columns)


@pytest.mark.parametrize(("role", "deelnemer"), ROLES)
def test_renders_for_every_role(lake_env, role, deelnemer):
    at = open_page("verbeterplan", role, deelnemer)
    assert not at.exception
    assert at.title[0].value == "Verbeterplan"
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)


def test_table_shows_every_recommendation_as_kpi_mijlpalen_holds_it(lake_env, warehouse):
    at = open_page("verbeterplan", "mt")
    expected = warehouse.execute(
        "select titel, status, deadline, laatste_update, deadline_verstreken "
        "from kpi.mijlpalen where plan = 'verbeterplan'"
    ).fetchall()
    shown = table(at)
    assert len(shown) == len(expected) > 0
    for titel, status, deadline, laatste_update, verstreken in expected:
        row = shown[shown["Omschrijving"] == titel].iloc[0]
        # past its deadline and not done: never the plan's own word
        expected_status = "✖ verstreken, niet gereed" if verstreken else rob.MIJLPAAL_STATUS[status]
        assert row["Status"] == expected_status, titel
        assert row["Deadline"].date() == deadline
        if laatste_update is not None:
            assert row["Laatste update"].date() == laatste_update
        assert row["Deadline verstreken"].startswith("⚠") == verstreken
    # recommendations in their own order: 1, 2, 3a, 3b, 4a, ...
    nummers = list(shown["Aanbeveling"])
    assert nummers == sorted(nummers, key=lambda n: (int("".join(c for c in n if c.isdigit())), n))


def test_planned_quarter_is_a_date_range(lake_env, warehouse):
    gepland = warehouse.execute(
        "select mijlpaal_id, gepland from kpi.mijlpalen where plan = 'verbeterplan'"
    ).fetchall()
    frame = rob.mijlpalen("verbeterplan")
    for mijlpaal_id, tekst in gepland:
        row = frame.filter(frame["mijlpaal_id"] == mijlpaal_id).row(0, named=True)
        if "-Q" in tekst:
            jaar, kwartaal = int(tekst[:4]), int(tekst[-1])
            assert row["gepland_van"] == dt.date(jaar, 3 * kwartaal - 2, 1)
            assert row["gepland_tot"].month == 3 * kwartaal
            assert (row["gepland_tot"] + dt.timedelta(days=1)).day == 1
        else:
            assert row["gepland_van"] == row["gepland_tot"] == dt.date.fromisoformat(tekst)


def test_progress_metric_is_the_sum_of_the_kpi_values(lake_env, warehouse):
    at = open_page("verbeterplan", "mt")
    periode, gereed, totaal = warehouse.execute(
        "select periode, sum(waarde), count(*) from kpi.waarden "
        "where kpi_id in (select kpi_id from kpi.mijlpalen where plan = 'verbeterplan') "
        "and deelnemer_code = 'TOTAAL' and periode_type = 'jaar' "
        "group by periode order by periode desc limit 1"
    ).fetchone()
    metrics = {m.label: m.value for m in at.metric}
    # the newest year of the calendar is still running on the build date: "so far", no change
    vandaag = dt.date.today()
    if int(periode) >= vandaag.year:
        label = f"Gereed in {periode} tot nu ({vandaag:%d-%m-%Y})"
        assert next(m for m in at.metric if m.label == label).delta in (None, "")
    else:
        label = f"Gereed aan het eind van {periode}"
    assert metrics[label] == f"{getal(gereed)} van {getal(totaal)}"


def test_timeline_status_as_colour_and_shape_with_dutch_dates(lake_env):
    at = open_page("verbeterplan", "mt")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["shortMonths"][2] == "mrt"
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert points["encoding"]["x"]["field"] == "deadline"
    assert points["encoding"]["x"]["type"] == "temporal"
    assert points["encoding"]["color"]["field"] == "status_label"
    assert points["encoding"]["shape"]["field"] == "status_label"
    assert set(points["encoding"]["color"]["scale"]["domain"]) <= set(rob.MIJLPAAL_STATUS.values())
    # the status is written next to the symbol too (not colour alone)
    assert any(
        layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == "status_label"
        for layer in spec["layer"]
    )
    assert "format" in points["encoding"]["x"]["axis"]


def test_accounthouder_sees_the_plan_and_only_organisation_rows(lake_env, warehouse):
    at = open_page(
        "verbeterplan", "accounthouder", "GM0164", query={"deelnemer": "GM0153", "rol": "mt"}
    )
    assert not at.exception
    expected = warehouse.execute(
        "select count(*) from kpi.mijlpalen where plan = 'verbeterplan'"
    ).fetchone()[0]
    assert len(table(at)) == expected
    viewer = Viewer(role="accounthouder", deelnemers=("GM0164",))
    frame = rob.mijlpalen_gereed_per_jaar(viewer, "verbeterplan")
    assert set(frame["deelnemer_code"]) == {"TOTAAL"}


# --- the shaping shared with the Robuustheid page, without AppTest (data/robuustheid.py) --------
MIJLPALEN = pl.DataFrame(
    {
        "aanbeveling": ["1", "3a"],
        "titel": ["Kort", "Een heel lange titel " * 5],
        "gepland": ["2025-Q3", "2025-07-01"],
        "gepland_van": [dt.date(2025, 7, 1), dt.date(2025, 7, 1)],
        "gepland_tot": [dt.date(2025, 9, 30), dt.date(2025, 7, 1)],
        "deadline": [dt.date(2025, 12, 31), dt.date(2026, 6, 30)],
        "status": ["verstreken", "gereed"],
        "deadline_verstreken": [True, False],
        "deadline_voorbij": [True, False],
        "laatste_update": [None, dt.date(2025, 8, 1)],
        "toelichting": [None, "klaar"],
        "bepaald_op": [dt.date(2026, 2, 1)] * 2,
    }
)


def test_a_planned_quarter_and_a_planned_day_read_as_dutch():
    assert rob.gepland_tekst(dt.date(2025, 7, 1), dt.date(2025, 9, 30), "2025-Q3") == (
        "3e kwartaal 2025"
    )
    assert rob.gepland_tekst(dt.date(2025, 7, 1), dt.date(2025, 7, 1), "x") == "01-07-2025"
    assert rob.gepland_tekst(None, None, "najaar") == "najaar"


def test_the_table_keeps_dates_as_dates_and_says_the_status_in_words():
    tabel = rob.mijlpalen_tabel(MIJLPALEN, "Aanbeveling")
    assert tabel.columns[:3] == ["Aanbeveling", "Omschrijving", "Gepland"]
    assert tabel.schema["Deadline"] == pl.Date and tabel.schema["Laatste update"] == pl.Date
    assert tabel.select("Gepland", "Status", "Deadline verstreken", "Toelichting").rows() == [
        ("3e kwartaal 2025", "✖ verstreken, niet gereed", "⚠ verstreken, niet gereed", ""),
        ("01-07-2025", "✔ gereed", "nog niet voorbij", "klaar"),
    ]
    assert rob.mijlpalen_tabel(MIJLPALEN).columns[0] == "Mijlpaal"  # the Robuustheid page


def test_timeline_rows_label_each_recommendation_and_draw_a_day_as_one_day():
    rijen = rob.tijdlijn_rijen(MIJLPALEN)
    assert rijen["regel"][0] == "1. Kort"
    assert rijen["regel"][1].startswith("3a. Een heel lange") and rijen["regel"][1].endswith("…")
    assert len(rijen["regel"][1]) == len("3a. ") + 70
    assert rijen["gepland_eind"].to_list() == [dt.date(2025, 10, 1), dt.date(2025, 7, 2)]
    assert rijen["update_label"].to_list() == ["onbekend", "01-08-2025"]


def test_status_count_names_every_status_also_those_without_recommendations():
    telling = dict(rob.status_telling(MIJLPALEN))
    assert telling["Aanbevelingen"] == 2
    assert telling["✔ gereed"] == 1 and telling["✖ verstreken, niet gereed"] == 1
    assert telling["▲ risico"] == 0
    assert len(telling) == len(rob.MIJLPAAL_STATUS) + 1


def test_progress_compares_complete_years_and_not_a_running_one():
    voortgang = pl.DataFrame(
        {"periode": ["2024", "2025"], "gereed": [3.0, 5.0], "mijlpalen": [9, 9]}
    )
    klaar = rob.voortgang_stand(voortgang, dt.date(2026, 2, 1))
    assert klaar["label"] == "Gereed aan het eind van 2025"
    assert klaar["waarde_tekst"] == "5 van 9"
    assert klaar["vorige"] == {"waarde": 3.0, "periode": "2024"}
    lopend = rob.voortgang_stand(voortgang, dt.date(2025, 11, 3))
    assert lopend["label"] == "Gereed in 2025 tot nu (03-11-2025)"
    assert lopend["vorige"] is None
    assert rob.voortgang_stand(voortgang.clear(), dt.date(2025, 1, 1)) is None
