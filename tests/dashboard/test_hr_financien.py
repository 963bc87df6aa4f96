"""The HR & Financiën page (MT, analysts, beheerders): the figures kpi.waarden holds for the
organisation (TOTAAL), FTE per dienstverband at the last peildatum, norm lines, Dutch format."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from dashboard.data import hr
from dashboard.format import getal
from dashboard.viewer import Viewer
from tests.dashboard.conftest import open_page

ROLES = [("mt", None), ("analist", None), ("beheerder", None)]


def latest(warehouse, kpi_id: str, periode_type: str = "jaar"):
    return warehouse.execute(
        "select naam, periode, waarde, norm from kpi.waarden join kpi.catalogus using (kpi_id) "
        "where kpi_id = ? and deelnemer_code = 'TOTAAL' and periode_type = ? "
        "and waarde is not null order by periode desc limit 1",
        [kpi_id, periode_type],
    ).fetchone()


@pytest.mark.parametrize(("role", "deelnemer"), ROLES)
def test_renders_for_every_role_that_may_open_it(lake_env, role, deelnemer):
    at = open_page("hr_financien", role, deelnemer)
    assert not at.exception
    assert at.title[0].value == "HR & Financiën"
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)


def test_not_in_the_navigation_of_an_accounthouder(lake_env):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page("hr_financien", "accounthouder", "GM0164")


def test_headline_figures_are_the_kpi_values(lake_env, warehouse):
    at = open_page("hr_financien", "mt")
    metrics = {m.label: m.value for m in at.metric}
    for kpi_id, unit in [
        ("hr_formatie_fte", " fte"),
        ("hr_bezetting_fte", " fte"),
        ("hr_bezettingsgraad_pct", "%"),
        ("hr_inhuur_pct", "%"),
        ("hr_boa_fte", " fte"),
        ("rob_vaste_dienst", "%"),
        ("rob_kwaliteitscriteria", "%"),
    ]:
        naam, periode, waarde, _norm = latest(warehouse, kpi_id)
        assert metrics[f"{naam} ({periode})"] == f"{getal(waarde, 1)}{unit}", kpi_id
    naam, periode, waarde, _norm = latest(warehouse, "rob_omvang_begroting")
    assert metrics[f"{naam} ({periode})"] == f"€ {getal(waarde / 1_000_000, 1)} mln"


def test_quarters_on_request(lake_env, warehouse):
    at = open_page("hr_financien", "mt")
    at.segmented_control(key="hr_periode_type").set_value("kwartaal").run()
    assert not at.exception
    naam, periode, waarde, _norm = latest(warehouse, "hr_bezetting_fte", "kwartaal")
    metrics = {m.label: m.value for m in at.metric}
    assert "-Q" in periode
    assert metrics[f"{naam} ({periode})"] == f"{getal(waarde, 1)} fte"


def test_fte_per_dienstverband_at_the_last_peildatum(lake_env, warehouse):
    at = open_page("hr_financien", "mt")
    expected = dict(
        warehouse.execute(
            "select dienstverband, sum(fte) from kpi.fte_per_team "
            "where peildatum = (select max(peildatum) from kpi.fte_per_team) group by all"
        ).fetchall()
    )
    table = next(d.value for d in at.dataframe if "Dienstverband" in d.value.columns)
    # numbers, not text with a unit, so the download sums in Excel (shown Dutch by the grid)
    assert dict(zip(table["Dienstverband"], table["Fte"], strict=True)) == {
        d: round(fte, 1) for d, fte in expected.items()
    }
    assert list(table["Dienstverband"])[0] == "vast"


def test_charts_draw_norm_lines_in_dutch(lake_env):
    at = open_page("hr_financien", "mt")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert specs
    assert all(s["config"]["locale"]["number"]["decimal"] == "," for s in specs)
    with_norm = [
        s
        for s in specs
        if any(
            layer["encoding"].get("y", {}).get("field") == "norm"
            and layer["mark"].get("strokeDash")
            for layer in s.get("layer", [s])
        )
    ]
    # vaste dienst, kwaliteitscriteria, opleidingsbudget + -uitgaven, innovatiebudget, begroting
    assert len(with_norm) == 5


def test_data_functions_return_only_organisation_rows(lake_env):
    viewer = Viewer(role="accounthouder", deelnemers=("GM0164",))
    frame = hr.waarden(viewer, ["hr_bezetting_fte", "rob_vaste_dienst"], "jaar")
    assert frame.height > 0
    assert set(frame["deelnemer_code"]) == {"TOTAAL"}


# --- the page's data shaping, without AppTest (dashboard/data/hr.py) ----------------------------
TEAMS = pl.DataFrame(
    {
        "team": ["Milieu", "Milieu", "Milieu", "Bouw", "Bouw"],
        "dienstverband": ["inhuur", "vast", "zzp", "vast", "stagiair"],
        "fte": [2.0, 10.0, 1.0, 6.0, 1.0],
        "medewerkers": [2, 11, 1, 7, 2],
    }
)


def test_dienstverbanden_from_permanent_to_external_then_unknown_ones():
    assert hr.volgorde(["zzp", "inhuur", "vast", "andere", "tijdelijk"]) == [
        "vast",
        "tijdelijk",
        "inhuur",
        "andere",
        "zzp",
    ]


def test_per_dienstverband_sums_the_teams_with_their_share_in_that_order():
    per = hr.per_dienstverband(TEAMS)
    assert per.rows() == [
        ("vast", 16.0, 18, 80.0),
        ("inhuur", 2.0, 2, 10.0),
        ("stagiair", 1.0, 2, 5.0),
        ("zzp", 1.0, 1, 5.0),
    ]
    tabel = hr.dienstverband_tabel(per)
    assert tabel.columns == ["Dienstverband", "Fte", "Medewerkers", "Aandeel fte (%)"]
    assert tabel.schema["Fte"] == pl.Float64  # a number, not "16,0 fte"


def test_per_team_has_a_column_per_dienstverband_and_zero_where_a_team_has_none():
    tabel = hr.per_team(TEAMS).sort("Team")
    assert tabel.columns == ["Team", "vast", "inhuur", "stagiair", "zzp"]
    assert tabel.rows() == [("Bouw", 6.0, 0.0, 1.0, 0.0), ("Milieu", 10.0, 2.0, 0.0, 1.0)]


def test_the_headline_is_the_newest_complete_period_with_a_value():
    frame = pl.DataFrame(
        {
            "kpi_id": ["a", "a", "a", "b"],
            "periode": ["2024", "2025", "2026", "2026"],
            "waarde": [1.0, None, 3.0, 4.0],
            "dekking": ["volledig", "volledig", "onvolledig", "volledig"],
        }
    )
    assert hr.laatste(frame, "a")["periode"] == "2024"
    assert hr.laatste(frame, "b")["waarde"] == 4.0
    assert hr.laatste(frame, "c") is None


def test_amounts_in_millions_for_the_budget_axis():
    frame = pl.DataFrame({"periode": ["2025"], "waarde": [16_800_000.0], "norm": [None]})
    assert hr.in_miljoenen(frame).rows() == [("2025", 16.8, None)]


def test_the_table_behind_the_dienstverband_chart_is_in_period_then_dienstverband_order():
    verloop = pl.DataFrame(
        {
            "periode": ["2025", "2024", "2025", "2024"],
            "peildatum": [dt.date(2025, 12, 31), dt.date(2024, 12, 31)] * 2,
            "dienstverband": ["inhuur", "inhuur", "vast", "vast"],
            "fte": [2.04, 1.0, 10.0, 9.96],
            "medewerkers": [2, 1, 11, 10],
        }
    )
    tabel = hr.verloop_tabel(verloop)
    assert tabel.columns == ["Periode", "Peildatum", "Dienstverband", "Fte", "Medewerkers"]
    assert tabel.select("Periode", "Dienstverband", "Fte").rows() == [
        ("2024", "vast", 10.0),
        ("2024", "inhuur", 1.0),
        ("2025", "vast", 10.0),
        ("2025", "inhuur", 2.0),
    ]
