"""The HR & Financiën page (MT, analysts, beheerders): the figures kpi.waarden holds for the
organisation (TOTAAL), FTE per dienstverband at the last peildatum, norm lines, Dutch format."""

from __future__ import annotations

import json

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
