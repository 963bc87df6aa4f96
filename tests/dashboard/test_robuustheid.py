"""The Robuustheid page: a card per criterion with the value, norm and status kpi.waarden holds,
the deadline from the reference data, a trend with the norm line; the milestones table."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from streamlit.testing.v1.element_tree import Block

from dashboard.charts import status_labels
from dashboard.data import robuustheid as rob
from dashboard.format import datum, eenheid_tekst, getal
from dashboard.viewer import Viewer
from tests.dashboard.conftest import open_page, texts

ROLES = [("mt", None), ("accounthouder", "GM0164"), ("analist", None), ("beheerder", None)]

# the newest complete year with a value per criterion (robustness KPIs that are not a
# milestone); without a complete year the newest
LATEST = """
    select kpi_id, naam, eenheid, periode, waarde, norm, status
    from kpi.waarden join kpi.catalogus using (kpi_id)
    where groep = 'robuustheid' and kpi_id not in (select kpi_id from kpi.mijlpalen)
      and deelnemer_code = 'TOTAAL' and periode_type = 'jaar' and waarde is not null
    qualify row_number() over (
        partition by kpi_id order by dekking = 'volledig' desc, periode desc
    ) = 1
"""


def shown(value: float, eenheid: str) -> str:
    """How the page writes a value: 87,7% and € 16,8 mln."""
    if eenheid == "EUR":
        return f"€ {getal(value / 1_000_000, 1)} mln"
    if eenheid == "procent":
        return f"{getal(value, 1)}%"
    return getal(value, 1)


def card(at, naam: str):
    """The bordered container of one criterion (found by its subheader)."""
    for column in at.columns:
        for child in column.children.values():
            if isinstance(child, Block) and any(s.value == naam for s in child.subheader):
                return child
    raise AssertionError(f"no card for {naam}")


@pytest.mark.parametrize(("role", "deelnemer"), ROLES)
def test_renders_for_every_role(lake_env, role, deelnemer):
    at = open_page("robuustheid", role, deelnemer)
    assert not at.exception
    assert at.title[0].value == "Robuustheid"
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)


def judged(waarde: float, operator: str, norm: float, marge_pct: float) -> str:
    """docs/kpis.md, "Norm and status", written out once more by hand."""
    m = abs(norm) * marge_pct / 100
    if operator == ">=":
        return "groen" if waarde >= norm else "oranje" if waarde >= norm - m else "rood"
    if operator == "<=":
        return "groen" if waarde <= norm else "oranje" if waarde <= norm + m else "rood"
    return "groen" if waarde == norm else "oranje" if abs(waarde - norm) <= m else "rood"


def test_each_criterion_card_judges_the_newest_value_against_the_norm_in_force_now(
    lake_env, warehouse
):
    at = open_page("robuustheid", "mt")
    rows = warehouse.execute(LATEST).fetchall()
    marge = warehouse.execute("select oranje_marge_pct from staging.statusregel").fetchone()[0]
    labels = status_labels(marge)
    assert labels["oranje"] == "▲ bijna (binnen 10%)"  # reference/statusregel.csv says 10
    assert len(rows) >= 6  # budget, vaste dienst, kwaliteit, innovatie, opleiding x2, mandaat
    vandaag = dt.date.today()  # the warehouse was built today
    for kpi_id, naam, eenheid, periode, waarde, _norm, _status in rows:
        in_force = warehouse.execute(
            "select operator, waarde from staging.normen where kpi_id = ? and geldig_vanaf <= ? "
            "order by geldig_vanaf desc limit 1",
            [kpi_id, vandaag],
        ).fetchone()
        block = card(at, naam)
        metrics = {m.label: m.value for m in block.metric}
        assert metrics[f"Waarde {periode}"] == shown(waarde, eenheid), naam
        if in_force is None:
            assert metrics["Norm die nu geldt"] == "geen norm", naam
            continue
        operator, norm = in_force
        assert metrics["Norm die nu geldt"].endswith(shown(norm, eenheid)), naam
        expected = labels[judged(waarde, operator, norm, marge)]
        assert "Stand nu: :" in "\n".join(m.value for m in block.markdown), naam
        assert expected in "\n".join(m.value for m in block.markdown), naam


def test_a_stricter_norm_whose_date_has_passed_judges_last_years_value(lake_env, warehouse):
    """rob_vaste_dienst: >= 80 until 01-04-2026, >= 90 from then on (reference/normen.csv)."""
    stand = warehouse.execute(
        "select periode, norm_periode, norm, deadline, deadline_voorbij from "
        "kpi.stand_robuustheid where kpi_id = 'rob_vaste_dienst'"
    ).fetchone()
    assert stand == ("2025", 80, 90, dt.date(2026, 4, 1), True)


def test_budget_card_in_dutch_millions(lake_env, warehouse):
    at = open_page("robuustheid", "mt")
    naam, periode, waarde = warehouse.execute(
        "select naam, periode, waarde from kpi.waarden join kpi.catalogus using (kpi_id) "
        "where kpi_id = 'rob_omvang_begroting' and deelnemer_code = 'TOTAAL' "
        "and waarde is not null order by periode desc limit 1"
    ).fetchone()
    metrics = {m.label: m.value for m in card(at, naam).metric}
    value = metrics[f"Waarde {periode}"]
    assert value.startswith("€ ") and value.endswith(" mln") and "," in value
    assert value == f"€ {getal(waarde / 1_000_000, 1)} mln"


def test_card_shows_the_deadline_from_the_reference_data(lake_env, warehouse):
    at = open_page("robuustheid", "mt")
    naam, deadline = warehouse.execute(
        "select naam, max(deadline) from staging.normen join kpi.catalogus using (kpi_id) "
        "where kpi_id = 'rob_vaste_dienst' group by naam"
    ).fetchone()
    block = card(at, naam)
    assert f"Deadline: **{datum(deadline)}**" in "\n".join(m.value for m in block.markdown)
    # the headline deadline is the last deadline of the norms: 1 April 2026 in the sample
    eind = warehouse.execute(
        "select max(deadline) from staging.normen where kpi_id in "
        "(select kpi_id from kpi.catalogus where groep = 'robuustheid')"
    ).fetchone()[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Deadline robuustheidscriteria"] == datum(eind)


def test_trend_chart_has_a_norm_line_and_dutch_locale(lake_env, warehouse):
    at = open_page("robuustheid", "mt")
    naam = warehouse.execute(
        "select naam from kpi.catalogus where kpi_id = 'rob_vaste_dienst'"
    ).fetchone()[0]
    charts = card(at, naam).get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    norm_layers = [layer for layer in spec["layer"] if layer["encoding"]["y"]["field"] == "norm"]
    assert norm_layers and norm_layers[0]["mark"]["strokeDash"]


def test_milestones_table_matches_kpi_mijlpalen(lake_env, warehouse):
    at = open_page("robuustheid", "mt")
    expected = warehouse.execute(
        "select titel, status, deadline, deadline_verstreken from kpi.mijlpalen "
        "where plan = 'robuustheid'"
    ).fetchall()
    table = next(d.value for d in at.dataframe if "Mijlpaal" in d.value.columns)
    assert len(table) == len(expected)
    for titel, status, deadline, verstreken in expected:
        row = table[table["Mijlpaal"] == titel].iloc[0]
        # past its deadline and not done: never the plan's "op schema" (or any other word)
        shown = "✖ verstreken, niet gereed" if verstreken else rob.MIJLPAAL_STATUS[status]
        assert row["Status"] == shown, titel
        assert row["Deadline"].date() == deadline
        assert row["Deadline verstreken"].startswith("⚠") == verstreken
    # the sample's opleidingsprogramma: deadline 01-01-2026, "op_schema" in the reference data
    row = table[table["Mijlpaal"] == "Er is een opleidingsprogramma"].iloc[0]
    assert row["Status"] == "✖ verstreken, niet gereed"


def test_accounthouder_gets_only_organisation_rows(lake_env):
    at = open_page(
        "robuustheid", "accounthouder", "GM0164", query={"deelnemer": "GM0153", "rol": "mt"}
    )
    assert not at.exception
    assert "Enschede" not in texts(at)
    # what the table and its downloads show is the frame of the data function for this viewer
    viewer = Viewer(role="accounthouder", deelnemers=("GM0164",))
    assert set(rob.criterium_waarden(viewer)["deelnemer_code"]) == {"TOTAAL"}


# --- the standing as a table, without AppTest (data/robuustheid.py, format.py) ------------------
def test_the_standing_table_keeps_values_and_norms_as_numbers_with_unit_and_test_beside():
    stand = pl.DataFrame(
        {
            "naam": ["Omvang begroting", "Vaste dienst"],
            "periode": ["2025", None],
            "waarde": [16_800_000.0, None],
            "operator": [">=", ">="],
            "norm": [15_000_000.0, 90.0],
            "eenheid": ["EUR", "procent"],
            "deadline": [None, dt.date(2026, 4, 1)],
            "status": ["groen", None],
            "bepaald_op": [dt.date(2026, 3, 20)] * 2,
        }
    )
    tabel = rob.stand_tabel(stand, {"groen": "✔ norm gehaald"})
    assert tabel.rows() == [
        (
            "Omvang begroting",
            "2025",
            16_800_000.0,
            "≥",
            15_000_000.0,
            "€",
            None,
            "–",
            "✔ norm gehaald",
        ),
        (
            "Vaste dienst",
            "–",
            None,
            "≥",
            90.0,
            "%",
            dt.date(2026, 4, 1),
            "nog 12 dagen",
            "– nog geen waarde",
        ),
    ]
    assert tabel.columns[2:6] == ["Waarde", "Toets", "Norm nu", "Eenheid"]


def test_a_units_column_says_the_unit_as_the_values_are_written():
    assert [eenheid_tekst(e) for e in ("procent", "EUR", "uren", "aantal per fte", "aantal")] == [
        "%",
        "€",
        "uur",
        "per fte",
        "aantal",
    ]
    assert eenheid_tekst("onbekend") == "onbekend" and eenheid_tekst(None) is None
