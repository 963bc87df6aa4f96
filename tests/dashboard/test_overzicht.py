"""The Overzicht page (MT, analysts, beheerders): all deelnemers side by side with the values
kpi.waarden holds, the change against the previous period and the same period last year,
TOTAAL, sorting-ready numbers, and a selection that opens the Deelnemer page; not offered to
accounthouders, whose data functions stay scoped."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import format, perioden
from dashboard.data import TOTAAL
from dashboard.data import overzicht as ov
from dashboard.viewer import ScopeError, Viewer
from tests.dashboard.conftest import open_page, texts

HENGELO = Viewer("accounthouder", ("GM0164",))


def waarde(warehouse, kpi_id: str, code: str, periode_type: str, periode: str):
    row = warehouse.execute(
        "select waarde from kpi.waarden where kpi_id = ? and deelnemer_code = ? "
        "and periode_type = ? and periode = ?",
        [kpi_id, code, periode_type, periode],
    ).fetchone()
    return row[0] if row else None


def kolomnamen(warehouse, kpi_id: str) -> tuple[str, str, str]:
    """(value column, KPI name, unit) as the page names its columns."""
    naam, eenheid = warehouse.execute(
        "select naam, eenheid from kpi.catalogus where kpi_id = ?", [kpi_id]
    ).fetchone()
    return f"{naam} (%)" if eenheid == "procent" else naam, naam, eenheid


def cell(table, code: str, column: str):
    value = table.loc[table["Code"] == code, column].iloc[0]
    return None if value != value else value  # NaN (missing) -> None


@pytest.mark.parametrize("role", ["mt", "analist", "beheerder"])
def test_renders_for_roles_that_may_open_it(lake_env, role):
    at = open_page("overzicht", role)
    assert not at.exception
    assert at.title[0].value == "Overzicht"
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)
    # CSV and Excel of the deelnemer table and of the robustness standing
    assert [b.key for b in at.get("download_button")] == [
        "overzicht-csv",
        "overzicht-xlsx",
        "overzicht-robuustheid-csv",
        "overzicht-robuustheid-xlsx",
    ]


def test_shows_which_robustness_criteria_miss_the_norm_in_force_now(lake_env, warehouse):
    at = open_page("overzicht", "mt")
    stand = warehouse.execute(
        "select naam, status from kpi.stand_robuustheid join kpi.catalogus using (kpi_id)"
    ).fetchall()
    tabel = next(d.value for d in at.dataframe if "Criterium" in d.value.columns)
    assert set(tabel["Criterium"]) == {naam for naam, _ in stand}
    assert "Norm nu" in tabel.columns and "Deadline" in tabel.columns
    buiten = sorted(naam for naam, status in stand if status in ("oranje", "rood"))
    beoordeeld = [naam for naam, status in stand if status in ("groen", "oranje", "rood")]
    line = next(m.value for m in at.markdown if "criteria halen de norm" in m.value)
    # the first such line is the summary above the table
    assert line.startswith("**Robuustheid** (hele organisatie): ")
    assert f"{len(beoordeeld) - len(buiten)} van {len(beoordeeld)} criteria" in line
    for naam in buiten:
        assert naam in line
    # the sample: the training budget of 2025 met that year's 2,5 % and misses the 3 % in
    # force since 01-01-2026
    assert warehouse.execute(
        "select norm_periode, status_periode, norm, status from kpi.stand_robuustheid "
        "where kpi_id = 'rob_opleidingsbudget'"
    ).fetchone() == (2.5, "groen", 3, "rood")
    assert "Opleidingsbudget" in line


@pytest.mark.parametrize(("role", "title"), [("mt", "Overzicht"), ("analist", "Overzicht")])
def test_is_the_start_page_of_the_mt_and_analysts(lake_env, role, title):
    at = open_page(None, role)
    assert not at.exception
    assert at.title[0].value == title


def test_is_not_in_the_navigation_of_an_accounthouder(lake_env):
    at = open_page(None, "accounthouder", "GM0164")
    assert at.title[0].value == "Deelnemer Hengelo"  # their start page
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/overzicht.py")


def test_every_deelnemer_and_totaal_last(lake_env, warehouse):
    at = open_page("overzicht", "mt")
    table = at.dataframe[0].value
    codes = [r[0] for r in warehouse.execute("select code from staging.deelnemers").fetchall()]
    assert set(table["Code"]) == set(codes) | {TOTAAL}
    assert table["Code"].iloc[-1] == TOTAAL
    assert len(table) == len(codes) + 1


def test_shows_the_kpi_waarden_values_and_changes(lake_env, warehouse):
    at = open_page("overzicht", "mt")
    assert at.radio(key="overzicht_periode_type").value == "kwartaal"
    periode = at.selectbox(key="overzicht_periode_kwartaal").value
    vorige = perioden.vorige_periode("kwartaal", periode)
    vorig_jaar = perioden.zelfde_periode_vorig_jaar("kwartaal", periode)
    table = at.dataframe[0].value
    for kpi_id in ov.HEADLINE:
        kolom, naam, eenheid = kolomnamen(warehouse, kpi_id)
        decimalen = format.decimalen(eenheid)
        for code in ("GM0164", "GM0153", TOTAAL):
            nu = waarde(warehouse, kpi_id, code, "kwartaal", periode)
            assert nu is not None, (kpi_id, code, periode)
            assert cell(table, code, kolom) == pytest.approx(nu, abs=10**-decimalen)
            toen = waarde(warehouse, kpi_id, code, "kwartaal", vorige)
            verschil = cell(table, code, f"{naam}: verschil t.o.v. {vorige}")
            if toen is None:
                assert verschil is None
            else:
                assert verschil == pytest.approx(nu - toen, abs=10**-decimalen)
            jaar_terug = waarde(warehouse, kpi_id, code, "kwartaal", vorig_jaar)
            verschil = cell(table, code, f"{naam}: verschil t.o.v. {vorig_jaar}")
            if jaar_terug is None:
                assert verschil is None
            else:
                assert verschil == pytest.approx(nu - jaar_terug, abs=10**-decimalen)


def test_a_chosen_year_compares_with_the_year_before(lake_env, warehouse):
    at = open_page("overzicht", "mt")
    at.radio(key="overzicht_periode_type").set_value("jaar").run()
    jaren = at.selectbox(key="overzicht_periode_jaar").options
    jaar = sorted(jaren)[-2]  # a complete year with a year before it
    at.selectbox(key="overzicht_periode_jaar").set_value(jaar).run()
    assert not at.exception
    table = at.dataframe[0].value
    kolom, naam, _ = kolomnamen(warehouse, "klachten_per_1000_inwoners")
    nu = waarde(warehouse, "klachten_per_1000_inwoners", "GM0153", "jaar", jaar)
    toen = waarde(warehouse, "klachten_per_1000_inwoners", "GM0153", "jaar", str(int(jaar) - 1))
    assert cell(table, "GM0153", kolom) == pytest.approx(nu, abs=0.005)
    verschil = cell(table, "GM0153", f"{naam}: verschil t.o.v. {int(jaar) - 1}")
    assert verschil == pytest.approx(nu - toen, abs=0.005)
    # for years the previous period is last year: no second, identical comparison
    assert not any(c.endswith(f"t.o.v. {int(jaar) - 2}") for c in table.columns)


@pytest.mark.parametrize("periode_type", ["jaar", "kwartaal", "maand"])
def test_newest_and_oldest_periods_render(lake_env, periode_type):
    at = open_page("overzicht", "mt")
    at.radio(key="overzicht_periode_type").set_value(periode_type).run()
    opties = at.selectbox(key=f"overzicht_periode_{periode_type}").options
    for periode in (opties[0], opties[-1]):
        at.selectbox(key=f"overzicht_periode_{periode_type}").set_value(periode).run()
        assert not at.exception, periode
        assert len(at.dataframe[0].value) > 1


def test_months_render_without_compliance_values(lake_env):
    at = open_page("overzicht", "mt")
    at.radio(key="overzicht_periode_type").set_value("maand").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["Naleefpercentage (%)"].isna().all()  # naleving is not computed per month
    assert table["Klachten per 1.000 inwoners"].notna().any()


def test_status_is_text_and_symbol_not_colour_alone(lake_env):
    at = open_page("overzicht", "mt")
    table = at.dataframe[0].value
    statuses = {v for c in table.columns if c.endswith(": status") for v in table[c]}
    # a narrow column: colour, symbol and one word; the legend has the full wording
    assert statuses <= {"", "🟢 ✔ ja", "🟠 ▲ bijna", "🔴 ✖ nee"}
    assert statuses & {"🟢 ✔ ja", "🟠 ▲ bijna", "🔴 ✖ nee"}
    legend = " ".join(c.value for c in at.caption)
    assert "norm gehaald" in legend and "norm niet gehaald" in legend


def test_a_status_column_appears_where_a_norm_holds(lake_env, warehouse):
    """The signal value of naleefpercentage (>= 80, an example value in reference/normen.csv)
    gives it a status column; werkvoorraad has no norm and so no column of "geen norm"."""
    at = open_page("overzicht", "mt")
    periode = at.selectbox(key="overzicht_periode_kwartaal").value
    table = at.dataframe[0].value
    korte = {"groen": "🟢 ✔ ja", "oranje": "🟠 ▲ bijna", "rood": "🔴 ✖ nee"}
    for code in ("GM0164", "GM0153", TOTAAL):
        waarde_, norm, status = warehouse.execute(
            "select waarde, norm, status from kpi.waarden where kpi_id = 'naleefpercentage' "
            "and deelnemer_code = ? and periode_type = 'kwartaal' and periode = ?",
            [code, periode],
        ).fetchone()
        assert norm == 80
        expected = "groen" if waarde_ >= 80 else "oranje" if waarde_ >= 72 else "rood"
        assert status == expected
        assert cell(table, code, "Naleefpercentage: status") == korte[expected]
    shown = list(at.dataframe[0].proto.column_order)
    assert "Naleefpercentage: status" in shown
    assert "Werkvoorraad: status" not in shown  # no norm: no column of "geen norm"
    assert "voorbeeldwaarde, vast te stellen door het MT" in texts(at)


def test_the_summary_names_every_deelnemer_off_track_with_value_and_norm(lake_env, warehouse):
    at = open_page("overzicht", "mt")
    periode = at.selectbox(key="overzicht_periode_kwartaal").value
    achter = warehouse.execute(
        "select distinct d.naam from kpi.waarden as w join staging.deelnemers as d "
        "on d.code = w.deelnemer_code where w.periode_type = 'kwartaal' and w.periode = ? "
        "and w.status in ('oranje', 'rood') and list_contains(?::varchar[], w.kpi_id)",
        [periode, list(ov.HEADLINE)],
    ).fetchall()
    summary = next(m.value for m in at.markdown if "buiten de norm of signaalwaarde" in m.value)
    aantal = warehouse.execute("select count(*) from staging.deelnemers").fetchone()[0]
    assert summary.startswith(f"**{len(achter)} van {aantal} deelnemers**")
    for (naam,) in achter:
        assert f" {naam} " in summary, naam
    # one line per KPI with its norm: Naleving (norm ≥ 80,0%), ...
    lines = [line for line in summary.splitlines() if line.startswith("- **")]
    assert lines and all("(norm " in line for line in lines)
    assert len(lines) <= len(ov.HEADLINE)


def test_selecting_a_row_opens_that_deelnemers_page(lake_env):
    at = open_page("overzicht", "mt")
    table = at.dataframe[0].value
    row = table["Code"].tolist().index("GM0153")
    at.session_state["overzicht_tabel"] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Deelnemer Enschede"
    # handed over in the session; the Deelnemer page then puts its own selection in the URL
    assert at.query_params["deelnemer"] == "GM0153"


def test_the_deelnemer_picker_opens_that_deelnemers_page(lake_env):
    at = open_page("overzicht", "analist")
    at.selectbox(key="overzicht_naar").set_value("GM0141")
    at.button(key="overzicht_open").click().run()
    assert not at.exception
    assert at.title[0].value == "Deelnemer Almelo"


def test_selecting_totaal_stays_on_the_page(lake_env):
    at = open_page("overzicht", "mt")
    table = at.dataframe[0].value
    at.session_state["overzicht_tabel"] = {"selection": {"rows": [len(table) - 1], "columns": []}}
    at.run()
    assert at.title[0].value == "Overzicht"
    assert any("TOTAAL is de hele organisatie" in i.value for i in at.info)


def test_data_functions_are_scoped_for_an_accounthouder(lake_env):
    # the page is not offered to accounthouders, and the data layer would not leak either
    breed = ov.overzicht(HENGELO, "kwartaal", "2025-Q3")
    assert set(breed["deelnemer_code"]) == {"GM0164", TOTAAL}
    lang = ov.vergelijking(HENGELO, ov.HEADLINE, "kwartaal", "2025-Q3")
    assert set(lang["deelnemer_code"]) <= {"GM0164", TOTAAL}
    with pytest.raises(ScopeError):
        ov.vergelijking(HENGELO, ov.HEADLINE, "kwartaal", "2025-Q3", ["GM0153"])


def test_period_arithmetic():
    assert perioden.vorige_periode("kwartaal", "2025-Q1") == "2024-Q4"
    assert perioden.vorige_periode("maand", "2025-01") == "2024-12"
    assert perioden.vorige_periode("jaar", "2025") == "2024"
    assert perioden.zelfde_periode_vorig_jaar("kwartaal", "2025-Q3") == "2024-Q3"
    assert perioden.zelfde_periode_vorig_jaar("maand", "2025-07") == "2024-07"
    assert [str(d) for d in perioden.grenzen("kwartaal", "2025-Q4")] == ["2025-10-01", "2025-12-31"]
    assert [str(d) for d in perioden.grenzen("maand", "2024-02")] == ["2024-02-01", "2024-02-29"]
    assert [str(d) for d in perioden.grenzen("jaar", "2024")] == ["2024-01-01", "2024-12-31"]
    assert perioden.maanden("kwartaal", "2025-Q2") == ["2025-04", "2025-05", "2025-06"]
    assert perioden.kwartaal_van("maand", "2025-11") == "2025-Q4"


# --- the table and texts, without AppTest (dashboard/data/overzicht.py) -------------------------
CATALOGUS = {
    "naleefpercentage": {"naam": "Naleefpercentage", "eenheid": "procent", "definitie": "d1"},
    "werkvoorraad_open": {"naam": "Werkvoorraad", "eenheid": "aantal", "definitie": "d2"},
}


def breed_frame() -> pl.DataFrame:
    """overzicht()'s columns for two deelnemers and TOTAAL: naleving with a norm (>= 80),
    werkvoorraad without, every other headline KPI empty."""
    rows = {
        "deelnemer_code": ["GM0153", "GM0164", TOTAAL],
        "deelnemer": ["Enschede", "Hengelo", "Alle deelnemers"],
    }
    for kpi_id in ov.HEADLINE:
        leeg = [None, None, None]
        rows |= {
            kpi_id: leeg,
            f"{kpi_id}__status": leeg,
            f"{kpi_id}__vorige": leeg,
            f"{kpi_id}__vorig_jaar": leeg,
            f"{kpi_id}__norm": leeg,
            f"{kpi_id}__operator": leeg,
            f"{kpi_id}__dekking": ["volledig"] * 3,
            f"{kpi_id}__gedekt_vanaf": leeg,
            f"{kpi_id}__gedekt_tot": leeg,
        }
    rows |= {
        "naleefpercentage": [70.04, 78.96, 75.0],
        "naleefpercentage__status": ["rood", "oranje", "oranje"],
        "naleefpercentage__vorige": [-1.04, 2.0, 0.5],
        "naleefpercentage__norm": [80.0] * 3,
        "naleefpercentage__operator": [">="] * 3,
        "werkvoorraad_open": [12.0, 30.0, 42.0],
        "werkvoorraad_open__status": ["geen_norm"] * 3,
        "werkvoorraad_open__dekking": ["onvolledig", "onvolledig", "volledig"],
        "werkvoorraad_open__gedekt_tot": [dt.date(2026, 1, 31), dt.date(2025, 12, 31), None],
    }
    soort = {"status": pl.String, "operator": pl.String, "dekking": pl.String}
    schema = {
        k: pl.String
        if k in ("deelnemer_code", "deelnemer")
        else pl.Date
        if "__gedekt" in k
        else soort.get(k.rpartition("__")[2], pl.Float64)
        for k in rows
    }
    return pl.DataFrame(rows, schema=schema)


def test_the_table_rounds_as_shown_keeps_numbers_and_shows_status_only_where_a_norm_holds():
    breed = breed_frame()
    assert ov.met_norm(breed) == ["naleefpercentage"]
    tabel = ov.tabel(
        breed,
        CATALOGUS,
        "kwartaal",
        "2025-Q4",
        onvolledig={"werkvoorraad_open": "◐ onvolledig"},
        status_uitleg="uitleg",
    )
    frame = tabel.frame
    assert frame["Naleefpercentage (%)"].to_list() == [70.0, 79.0, 75.0]
    assert frame["Naleefpercentage: verschil t.o.v. 2025-Q3"].to_list() == [-1.0, 2.0, 0.5]
    assert frame["Naleefpercentage: status"].to_list() == ["🔴 ✖ nee", "🟠 ▲ bijna", "🟠 ▲ bijna"]
    assert frame["Werkvoorraad: status"].to_list() == ["", "", ""]
    assert frame.schema["Werkvoorraad ◐"] == pl.Float64  # a number, the unit in the header
    assert tabel.volgorde[:4] == [
        "Deelnemer",
        "Naleefpercentage (%)",
        "Naleefpercentage: status",
        "binnen_termijn_pct",  # a KPI missing from the catalogue: its id, its short header
    ]
    assert tabel.kolommen["binnen_termijn_pct"].label == "Termijn"
    assert "Werkvoorraad: status" not in tabel.volgorde
    assert not any("verschil" in c for c in tabel.volgorde)  # changes only when asked for
    kolom = tabel.kolommen["Werkvoorraad ◐"]
    assert (kolom.label, kolom.getal, kolom.breedte) == ("Voorraad ◐", True, 80)
    assert tabel.kolommen["Naleefpercentage: status"].help.endswith(": uitleg")
    assert tabel.kolommen["Deelnemer"].vast
    assert tabel.download().columns[:2] == ["Code", "Deelnemer"]


def test_changes_are_shown_when_asked_and_a_year_has_no_second_comparison():
    breed = breed_frame()
    kwartaal = ov.tabel(
        breed,
        CATALOGUS,
        "kwartaal",
        "2025-Q4",
        onvolledig={},
        status_uitleg="",
        toon_vorige=True,
        toon_vorig_jaar=True,
    )
    assert "Naleefpercentage: verschil t.o.v. 2025-Q3" in kwartaal.volgorde
    assert "Naleefpercentage: verschil t.o.v. 2024-Q4" in kwartaal.volgorde
    jaar = ov.tabel(breed, CATALOGUS, "jaar", "2025", onvolledig={}, status_uitleg="")
    assert "Naleefpercentage: verschil t.o.v. 2024" in jaar.frame.columns
    assert not any(c.endswith("t.o.v. 2023") for c in jaar.frame.columns)


def test_the_summary_names_who_misses_the_norm_worst_first_and_what_has_no_data():
    breed = breed_frame()
    tekst = ov.achterstand(breed, CATALOGUS, {}, ["klachten_per_1000_inwoners"])
    assert tekst.splitlines() == [
        "**2 van 2 deelnemers** hebben een kengetal buiten de norm of signaalwaarde "
        "(✖ niet gehaald, ▲ bijna):",
        "- **Naleving** (norm ≥ 80,0%): ✖ Enschede 70,0%, ▲ Hengelo 79,0%",
        "- geen gegevens voor deze periode: Klachten (de geladen exports dekken haar niet)",
    ]
    op_schema = breed.with_columns(pl.lit("groen").alias("naleefpercentage__status"))
    assert ov.achterstand(op_schema, CATALOGUS, {}, []) == (
        "Alle 2 deelnemers halen de normen en signaalwaarden van deze periode."
    )


def test_coverage_is_that_of_the_row_reaching_least_far_and_is_named_in_the_warning():
    dekking = ov.onvolledige_dekking(breed_frame())
    assert list(dekking) == ["werkvoorraad_open"]
    assert dekking["werkvoorraad_open"]["gedekt_tot"] == dt.date(2025, 12, 31)
    assert ov.dekking_waarschuwing("2025-Q4", CATALOGUS, {}, []) is None
    waarschuwing = ov.dekking_waarschuwing(
        "2026", CATALOGUS, {"werkvoorraad_open": "◐ onvolledig"}, ["naleefpercentage"]
    )
    assert waarschuwing.splitlines()[-2:] == [
        "- Werkvoorraad: ◐ onvolledig",
        "- Naleefpercentage: geen gegevens voor deze periode",
    ]


def test_the_legend_names_statuses_in_full_and_the_kpis_without_a_norm():
    labels = {"groen": "✔ norm gehaald", "rood": "✖ norm niet gehaald"}
    tekst = ov.legenda(CATALOGUS, ["naleefpercentage"], labels)
    assert tekst.startswith("Status: 🟢 ✔ norm gehaald · 🔴 ✖ norm niet gehaald · leeg = ")
    assert "(dus zonder status): Werkvoorraad." in tekst
    assert "Naleving = Naleefpercentage (procent); Voorraad = Werkvoorraad (aantal)" in tekst
