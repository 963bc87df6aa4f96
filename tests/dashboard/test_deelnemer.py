"""The Deelnemer page (every role; an accounthouder sees only their own deelnemer): the values
kpi.waarden holds for the chosen deelnemer and period, Dutch charts with norm lines, and scope:
never another deelnemer's rows, not through query parameters, the session or the downloads."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import perioden
from dashboard.data import TOTAAL
from dashboard.data import deelnemer as dd
from dashboard.format import getal
from dashboard.viewer import ScopeError, Viewer
from tests.dashboard.conftest import downloaded_file, drop_relation, open_page, texts

HENGELO = Viewer("accounthouder", ("GM0164",))
ROLES = [("mt", None), ("accounthouder", "GM0164"), ("analist", None), ("beheerder", None)]
BLOKKEN = [
    "Producten en programma",
    "Uren en begroting",
    "Werkvoorraad en termijnen",
    "Naleving",
    "Klachten",
    "Handhaving",
]


def blok(at, titel: str):
    """Open one tab of the page (only the open tab is drawn)."""
    at.session_state["deelnemer_blok"] = titel
    at.run()
    assert not at.exception
    return at


def soort(at, periode_type: str):
    at.segmented_control(key="deelnemer_periode_type").set_value(periode_type).run()
    assert not at.exception
    return at


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def waarde(warehouse, kpi_id: str, code: str, periode_type: str, periode: str) -> tuple:
    row = warehouse.execute(
        "select waarde, waarde_tekst from kpi.waarden where kpi_id = ? and deelnemer_code = ? "
        "and periode_type = ? and periode = ?",
        [kpi_id, code, periode_type, periode],
    ).fetchone()
    return row if row else (None, None)


def met_plek(warehouse, begin, einde) -> int:
    """Hengelo's complaints with a known place in the period: what the map's squares hold."""
    return warehouse.execute(
        "select count(*) from kpi.klachten_locaties where deelnemer_code = 'GM0164' "
        "and datum between ? and ? and x is not null and y is not null",
        [begin, einde],
    ).fetchone()[0]


def metric(at, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}"
    return found[0]


def namen_in_tabellen(at) -> set[str]:
    """Every value of a Deelnemer column in any table on the page."""
    return {
        v for df in at.dataframe if "Deelnemer" in df.value.columns for v in df.value["Deelnemer"]
    }


@pytest.mark.parametrize(("role", "deelnemer"), ROLES)
def test_renders_for_every_role(lake_env, role, deelnemer):
    at = open_page("deelnemer", role, deelnemer)
    assert not at.exception
    assert at.title[0].value.startswith("Deelnemer ")
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)
    # the summary first, for the period chosen by default: the newest complete quarter
    periode = at.selectbox(key="deelnemer_periode_kwartaal").value
    assert [h.value for h in at.header][0] == f"Samenvatting {periode}"
    assert [m.label for m in at.metric][:6] == [
        "Naleefpercentage",
        "Besluiten binnen de termijn",
        "Voortgang uitvoeringsprogramma (naar rato)",
        "Prognose uren t.o.v. begroting",
        "Werkvoorraad",
        "Aantal klachten",
    ]
    # every block opens, with its definitions and its tables with downloads
    for titel in BLOKKEN:
        blok(at, titel)
        assert sum(e.label == "Definities" for e in at.expander) == 1, titel
        assert len(at.get("download_button")) >= 2, titel


def test_accounthouder_starts_on_their_own_deelnemer(lake_env):
    at = open_page(None, "accounthouder", "GM0164")
    assert at.title[0].value == "Deelnemer Hengelo"
    # one deelnemer: nothing to pick on the page
    assert not [s for s in at.selectbox if s.key == "deelnemer_keuze"]


def test_shows_the_kpi_waarden_values_of_the_quarter(lake_env, warehouse):
    at = open_page("deelnemer", "accounthouder", "GM0164")
    assert at.segmented_control(key="deelnemer_periode_type").value == "kwartaal"
    kw = at.selectbox(key="deelnemer_periode_kwartaal").value
    w, _ = waarde(warehouse, "naleefpercentage", "GM0164", "kwartaal", kw)
    assert metric(at, "Naleefpercentage") == f"{getal(w, 1)}%"
    w, _ = waarde(warehouse, "binnen_termijn_pct", "GM0164", "kwartaal", kw)
    assert metric(at, "Besluiten binnen de termijn") == f"{getal(w, 1)}%"
    w, _ = waarde(warehouse, "klachten_aantal", "GM0164", "kwartaal", kw)
    assert metric(at, "Aantal klachten") == getal(w)
    w, _ = waarde(warehouse, "programma_voortgang_pct", "GM0164", "kwartaal", kw)
    assert w is not None
    assert metric(at, "Voortgang uitvoeringsprogramma (naar rato)") == f"{getal(w, 1)}%"
    blok(at, "Uren en begroting")
    w, _ = waarde(warehouse, "uren_gerealiseerd", "GM0164", "kwartaal", kw)
    assert metric(at, "Gerealiseerde uren") == f"{getal(w)} uur"
    w, _ = waarde(warehouse, "uren_prognose_jaareinde", "GM0164", "kwartaal", kw)
    assert metric(at, "Prognose uren op 31 december") == f"{getal(w)} uur"
    blok(at, "Naleving")
    _, code = waarde(warehouse, "lhso_zwaarste", "GM0164", "kwartaal", kw)
    assert metric(at, "Zwaarste LHSO-score") == (code or "–")  # – when nothing was found


def test_one_period_for_every_block_and_said_where_a_kpi_has_none(lake_env, warehouse):
    # a month: naleving and the programme's year realisation are not computed per month; the
    # page says so instead of showing the quarter's or the year's value
    at = soort(open_page("deelnemer", "accounthouder", "GM0164"), "maand")
    maand = at.selectbox(key="deelnemer_periode_maand").value
    assert metric(at, "Naleefpercentage") == "–"
    assert "Niet per maand berekend; wel per kwartaal en per jaar." in texts(at)
    w, _ = waarde(warehouse, "klachten_aantal", "GM0164", "maand", maand)
    assert metric(at, "Aantal klachten") == getal(w)
    blok(at, "Producten en programma")
    assert metric(at, "Realisatie uitvoeringsprogramma") == "–"
    assert "Niet per maand berekend; wel per jaar." in texts(at)
    assert "per kwartaal: " not in texts(at)


@pytest.mark.parametrize("periode_type", ["maand", "kwartaal", "jaar"])
def test_complaints_per_aard_add_up_to_the_period(lake_env, warehouse, periode_type):
    at = blok(soort(open_page("deelnemer", "accounthouder", "GM0164"), periode_type), "Klachten")
    periode = at.selectbox(key=f"deelnemer_periode_{periode_type}").value
    per_aard = next(df.value for df in at.dataframe if "Aandeel (%)" in df.value.columns)
    assert per_aard["Aard"].is_unique
    totaal, _ = waarde(warehouse, "klachten_aantal", "GM0164", periode_type, periode)
    assert per_aard["Klachten"].sum() == totaal
    # the map: squares of 1 km, adding up to the complaints with a known place
    raster = next(df.value for df in at.dataframe if "RD x (m)" in df.value.columns)
    begin, einde = perioden.grenzen(periode_type, periode)
    bekend = met_plek(warehouse, begin, einde)
    assert raster["Klachten"].sum() == bekend
    assert (raster["RD x (m)"] % 1000 == 0).all()


def test_change_against_the_previous_period(lake_env, warehouse):
    at = open_page("deelnemer", "accounthouder", "GM0164")
    kwartaal = at.selectbox(key="deelnemer_periode_kwartaal").value
    vorige = perioden.vorige_periode("kwartaal", kwartaal)
    nu, _ = waarde(warehouse, "werkvoorraad_open", "GM0164", "kwartaal", kwartaal)
    toen, _ = waarde(warehouse, "werkvoorraad_open", "GM0164", "kwartaal", vorige)
    card = next(m for m in at.metric if m.label == "Werkvoorraad")
    assert card.value == getal(nu)
    teken = "+" if nu > toen else ""
    assert card.delta == (f"{teken}{getal(nu - toen)}" if nu != toen else "0")
    assert card.proto.delta_description == f"t.o.v. {vorige}"


@pytest.mark.slow  # renders every block of the Deelnemer page for each of three period types
@pytest.mark.parametrize("periode_type", ["jaar", "kwartaal", "maand"])
def test_every_period_type_renders(lake_env, periode_type):
    at = soort(open_page("deelnemer", "accounthouder", "GM0164"), periode_type)
    opties = at.selectbox(key=f"deelnemer_periode_{periode_type}").options
    # the newest (often incomplete) and the oldest period (nothing to compare with)
    for periode in (opties[0], opties[-1]):
        at.selectbox(key=f"deelnemer_periode_{periode_type}").set_value(periode).run()
        assert not at.exception, periode
        for titel in BLOKKEN:
            blok(at, titel)
        assert at.title[0].value == "Deelnemer Hengelo"


def test_mt_picks_a_deelnemer(lake_env, warehouse):
    at = open_page("deelnemer", "mt")
    at.selectbox(key="deelnemer_keuze").set_value("GM0153").run()
    assert at.title[0].value == "Deelnemer Enschede"
    kwartaal = at.selectbox(key="deelnemer_periode_kwartaal").value
    w, _ = waarde(warehouse, "klachten_aantal", "GM0153", "kwartaal", kwartaal)
    assert metric(at, "Aantal klachten") == getal(w)
    blok(at, "Werkvoorraad en termijnen")
    assert namen_in_tabellen(at) <= {"Enschede", "Alle deelnemers"}


def test_a_code_handed_over_by_the_overzicht_page_is_used(lake_env):
    at = open_page(None, "beheerder")
    at.session_state["open_deelnemer"] = "PV23"
    at.switch_page("app_pages/deelnemer.py").run()
    assert at.title[0].value == "Deelnemer Provincie Overijssel"


def test_accounthouder_never_gets_another_deelnemer(lake_env):
    # neither through URL query parameters nor through the hand-over key of the session
    at = open_page(
        "deelnemer", "accounthouder", "GM0164", query={"deelnemer": "GM0153", "code": "GM0153"}
    )
    at.session_state["open_deelnemer"] = "GM0153"
    at.session_state["deelnemer_keuze"] = "GM0153"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Deelnemer Hengelo"
    blok(at, "Werkvoorraad en termijnen")
    assert namen_in_tabellen(at) == {"Hengelo", "Alle deelnemers"}
    assert "Enschede" not in texts(at)


def test_charts_are_dutch_and_draw_the_norm(lake_env):
    at = open_page("deelnemer", "accounthouder", "GM0164")
    specs = []
    for titel in BLOKKEN:
        specs += charts(blok(at, titel))
    assert len(specs) >= 8
    for spec in specs:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert spec["config"]["locale"]["number"]["thousands"] == "."
    uren = next(s for s in specs if "Uren" in json.dumps(s.get("title", "")))
    # the year budget as a dashed line: the projection is judged against it
    assert any(layer.get("mark", {}).get("strokeDash") for layer in uren["layer"])
    # every chart has its numbers as a table beside it (WCAG: an alternative to the chart)
    assert sum(e.label == "Als tabel" for e in at.expander) >= len(charts(at))


def test_norm_line_where_kpi_waarden_has_a_norm(lake_env, monkeypatch):
    # no output/naleving KPI has a norm in the sample's reference data; the trend charts take
    # the norm column from kpi.waarden, so a norm there is drawn as a line
    import polars as pl

    echte = dd.reeksen

    def met_norm(*args, **kwargs):
        return echte(*args, **kwargs).with_columns(pl.lit(80.0).alias("norm"))

    monkeypatch.setattr(dd, "reeksen", met_norm)
    at = blok(open_page("deelnemer", "accounthouder", "GM0164"), "Naleving")
    # the chart title carries a subtitle about the norm: {"text": ..., "subtitle": ...}
    naleef = next(s for s in charts(at) if (s.get("title") or {}).get("text") == "Naleefpercentage")
    assert naleef["title"]["subtitle"] == "norm: stippellijn"
    assert any(layer.get("mark", {}).get("strokeDash") for layer in naleef["layer"])


def test_data_functions_return_only_the_viewers_deelnemer(lake_env):
    maand_begin, maand_eind = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    reeksen = dd.reeksen(
        HENGELO,
        "GM0164",
        [
            ("naleefpercentage", "kwartaal", "2025-Q3", 4),
            ("klachten_aantal", "maand", "2025-12", 12),
        ],
    )
    assert set(reeksen["deelnemer_code"]) == {"GM0164", TOTAAL}
    naleef = reeksen.filter(reeksen["kpi_id"] == "naleefpercentage")
    assert sorted(set(naleef["periode"])) == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
    # an MT member asking for one deelnemer gets that one (and TOTAAL), not all
    mt = dd.reeksen(Viewer("mt"), "GM0153", [("klachten_aantal", "jaar", "2025", 2)])
    assert set(mt["deelnemer_code"]) == {"GM0153", TOTAAL}
    calls = [
        lambda c: dd.reeksen(HENGELO, c, [("naleefpercentage", "kwartaal", "2025-Q3", 12)]),
        lambda c: dd.producten_per_product(HENGELO, c, 2025, maand_eind),
        lambda c: dd.uren_per_product(HENGELO, c, 2025),
        lambda c: dd.lhso_cellen(HENGELO, c, maand_begin, maand_eind),
        lambda c: dd.klachten_per_aard(HENGELO, c, ["2025", "2025-07"]),
        lambda c: dd.klachten_raster(HENGELO, c, maand_begin, maand_eind),
        lambda c: dd.handhaving_instrumenten(HENGELO, c, maand_begin, maand_eind),
    ]
    for call in calls:
        assert call("GM0164").height > 0
        with pytest.raises(ScopeError):
            call("GM0153")


def test_downloads_hold_only_the_deelnemers_rows(lake_env, warehouse):
    """The download buttons get exactly the frames these functions return for the viewer:
    compare them with the warehouse restricted to Hengelo."""
    begin, eind = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    raster = dd.klachten_raster(HENGELO, "GM0164", begin, eind)
    bekend = met_plek(warehouse, begin, eind)
    assert raster["klachten"].sum() == bekend
    instrumenten = dd.handhaving_instrumenten(HENGELO, "GM0164", begin, eind)
    besluiten = warehouse.execute(
        "select count(*) from staging.handhaving where bevoegd_gezag = 'GM0164' "
        "and datum_besluit >= ? and datum_besluit < ?",
        [begin, dt.date(2026, 1, 1)],
    ).fetchone()[0]
    assert instrumenten["besluiten"].sum() == besluiten
    matrix = dd.lhso_cellen(HENGELO, "GM0164", begin, eind)
    hengelo = warehouse.execute(
        "select sum(aantal_controles) from kpi.lhso_matrix "
        "where deelnemer_code = 'GM0164' and jaar = 2025"
    ).fetchone()[0]
    assert matrix["aantal_controles"].sum() == hengelo
    producten = dd.producten_per_product(HENGELO, "GM0164", 2025, eind)
    gerealiseerd = warehouse.execute(
        "select count(*) from staging.zaken where bevoegd_gezag = 'GM0164' "
        "and status = 'afgesloten' and year(datum_besluit) = 2025"
    ).fetchone()[0]
    assert producten["gerealiseerd"].sum() == gerealiseerd


def test_programme_table_matches_the_kpi_for_a_whole_year(lake_env, warehouse):
    producten = dd.producten_per_product(HENGELO, "GM0164", 2024, dt.date(2024, 12, 31))
    in_programma = producten.filter(producten["gepland"].is_not_null())
    teller, noemer = warehouse.execute(
        "select teller, noemer from kpi.waarden where kpi_id = 'programma_realisatie_pct' "
        "and deelnemer_code = 'GM0164' and periode = '2024'"
    ).fetchone()
    assert in_programma["gerealiseerd"].sum() == teller
    assert in_programma["gepland"].sum() == noemer


def test_hours_per_month_add_up_to_the_year(lake_env, warehouse):
    maanden = dd.reeksen(HENGELO, "GM0164", [("uren_gerealiseerd", "maand", "2024-12", 12)])
    hengelo = maanden.filter(maanden["deelnemer_code"] == "GM0164")
    assert hengelo["periode"].to_list() == perioden.maanden("jaar", "2024")
    jaar, _ = waarde(warehouse, "uren_gerealiseerd", "GM0164", "jaar", "2024")
    assert hengelo["cumulatief"][-1] == pytest.approx(jaar)
    assert hengelo["cumulatief"][0] == pytest.approx(hengelo["waarde"][0])


def test_hours_table_on_the_page(lake_env, warehouse):
    at = soort(open_page("deelnemer", "accounthouder", "GM0164"), "jaar")
    at.selectbox(key="deelnemer_periode_jaar").set_value("2024").run()
    blok(at, "Uren en begroting")
    tabel = next(df.value for df in at.dataframe if "Gerealiseerd cumulatief" in df.value.columns)
    jaar, _ = waarde(warehouse, "uren_gerealiseerd", "GM0164", "jaar", "2024")
    assert tabel["Gerealiseerd cumulatief"].iloc[-1] == pytest.approx(jaar, abs=0.1)
    begroot, _ = waarde(warehouse, "uren_begroot", "GM0164", "jaar", "2024")
    assert metric(at, "Begrote uren 2024") == f"{getal(begroot)} uur"


# --- drill-through: the rows behind a KPI are exactly what it counts ---------------------------
def teller_noemer(warehouse, kpi_id, code, periode_type, periode) -> tuple:
    return warehouse.execute(
        "select teller, noemer from kpi.waarden where kpi_id = ? and deelnemer_code = ? "
        "and periode_type = ? and periode = ?",
        [kpi_id, code, periode_type, periode],
    ).fetchone()


@pytest.mark.parametrize(
    ("code", "periode_type", "periode"),
    [
        ("GM0164", "kwartaal", "2025-Q4"),
        ("GM0164", "jaar", "2024"),
        ("GM0153", "kwartaal", "2025-Q2"),
    ],
)
def test_drill_through_rows_add_up_to_the_kpi(lake_env, warehouse, code, periode_type, periode):
    viewer = Viewer("mt")
    begin, einde = perioden.grenzen(periode_type, periode)
    controles = dd.onderbouwing(viewer, code, "controles", begin, einde)
    telling = dd.onderbouwing_telling(controles, "controles")
    teller, noemer = teller_noemer(warehouse, "naleefpercentage", code, periode_type, periode)
    assert (telling["periodiek_zonder_overtreding"], telling["periodiek"]) == (teller, noemer)
    assert noemer > 0
    assert (telling["rijen"],) == teller_noemer(
        warehouse, "controles_aantal", code, periode_type, periode
    )[:1]
    zaken = dd.onderbouwing(viewer, code, "werkvoorraad", begin, einde)
    assert zaken.height == waarde(warehouse, "werkvoorraad_open", code, periode_type, periode)[0]
    assert zaken["Zaak"].is_unique
    besluiten = dd.onderbouwing_telling(
        dd.onderbouwing(viewer, code, "besluiten", begin, einde), "besluiten"
    )
    teller, noemer = teller_noemer(warehouse, "binnen_termijn_pct", code, periode_type, periode)
    assert (besluiten["binnen_termijn"], besluiten["met_termijn"]) == (teller, noemer)
    klachten = dd.onderbouwing(viewer, code, "klachten", begin, einde)
    assert klachten.height == waarde(warehouse, "klachten_aantal", code, periode_type, periode)[0]
    # no personal data: no reporter, inspector, name or address columns
    kolommen = {c.lower() for f in (controles, zaken, klachten) for c in f.columns}
    assert not {k for k in kolommen if any(w in k for w in ("melder", "toezicht", "naam", "adres"))}


def test_drill_through_is_scoped(lake_env):
    begin, einde = perioden.grenzen("jaar", "2025")
    for soort_ in dd.ONDERBOUWING_TITEL:
        assert dd.onderbouwing(HENGELO, "GM0164", soort_, begin, einde).height > 0
        with pytest.raises(ScopeError):
            dd.onderbouwing(HENGELO, "GM0153", soort_, begin, einde)
        with pytest.raises(ScopeError):  # all deelnemers' rows: not for an accounthouder
            dd.onderbouwing(HENGELO, TOTAAL, soort_, begin, einde)
    for call in (dd.lhso_cellen, dd.klachten_raster):
        assert call(HENGELO, "GM0164", begin, einde).height > 0
        with pytest.raises(ScopeError):
            call(HENGELO, "GM0153", begin, einde)


def test_from_the_compliance_rate_to_the_inspections_and_their_download(lake_env, media):
    at = open_page("deelnemer", "accounthouder", "GM0164")
    kwartaal = at.selectbox(key="deelnemer_periode_kwartaal").value
    at.button(key="onderbouwing-samenvatting-naleefpercentage").click().run()
    assert not at.exception
    assert any("Controles achter “Naleefpercentage”" in m.value for m in at.markdown)
    tabel = next(d.value for d in at.dataframe if "Controle" in d.value.columns)
    begin, einde = perioden.grenzen("kwartaal", kwartaal)
    verwacht = dd.onderbouwing(HENGELO, "GM0164", "controles", begin, einde)
    assert list(tabel["Controle"]) == verwacht["Controle"].to_list()
    telling = dd.onderbouwing_telling(verwacht, "controles")
    zin = next(m.value for m in at.markdown if m.value.startswith(f"{telling['rijen']} controles"))
    assert f"{telling['periodiek']} periodiek" in zin
    # the download: named for what and whom, Dutch CSV
    bestand = downloaded_file(at, media, "onderbouwing-controles-csv")
    assert bestand.filename == f"hengelo_controles_{kwartaal}.csv"
    csv = bestand.content.decode("utf-8-sig")
    regels = csv.splitlines()
    assert regels[0].startswith("Controle;Datum;Soort;")
    assert len(regels) == 1 + verwacht.height


def test_a_block_that_fails_says_what_to_do_in_dutch_and_the_rest_stays(
    private_lake, fouten_in_de_app
):
    """A lake built by an older version lacks a relation a block needs: that block says, in
    Dutch, to rebuild, with a code that is also in the log; no traceback; the summary and the
    other blocks still work."""
    import duckdb

    drop_relation(private_lake, "kpi", "onderbouwing_controles")
    at = blok(open_page("deelnemer", "accounthouder", "GM0164"), "Naleving")
    assert not at.exception
    [notice] = [e.value for e in at.error]
    assert "vthmonitor rebuild" in notice and "Traceback" not in notice
    code = notice.split("Code ")[1].split(",")[0]
    assert [r.getMessage() for r in fouten_in_de_app] == [f"fout {code} op Deelnemer"]
    assert fouten_in_de_app[0].exc_info[0] is duckdb.CatalogException
    fouten_in_de_app.clear()
    assert len(at.metric) >= 6  # the summary above the failed block is still there
    at = blok(at, "Klachten")
    assert not at.error and not fouten_in_de_app
