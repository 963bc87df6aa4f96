"""Chart specs: Dutch number format, the norm as a line, and saying so when there is none."""

from __future__ import annotations

import polars as pl

from dashboard import charts


def spec(frame: pl.DataFrame) -> dict:
    return charts.trend(frame, title="Naleefpercentage", y_title="%").to_dict()


def test_trend_has_dutch_locale_and_norm_line():
    frame = pl.DataFrame(
        {
            "periode": ["2024", "2025"],
            "waarde": [70.0, 75.0],
            "norm": [80.0, 80.0],
            "deelnemer": ["Hengelo", "Hengelo"],
        }
    )
    result = spec(frame)
    assert result["config"]["locale"]["number"]["decimal"] == ","
    assert result["config"]["locale"]["number"]["thousands"] == "."
    assert len(result["layer"]) == 2  # the values and the dashed norm
    assert result["layer"][1]["mark"]["strokeDash"] == [6, 4]
    assert result["title"]["subtitle"] == "norm: stippellijn"


def test_trend_without_norm_says_so():
    frame = pl.DataFrame(
        {
            "periode": ["2024", "2025"],
            "waarde": [70.0, 75.0],
            "norm": [None, None],
            "deelnemer": ["Hengelo", "Hengelo"],
        }
    )
    result = spec(frame)
    assert len(result["layer"]) == 1
    assert result["title"]["subtitle"].startswith("geen norm vastgesteld")


def test_an_incomplete_period_stands_apart_from_the_line_inside_a_diamond():
    frame = pl.DataFrame(
        {
            "periode": ["2024", "2025", "2026"],
            "waarde": [110.0, 105.0, 3.0],
            "norm": [None, None, None],
            "deelnemer": ["Hengelo"] * 3,
            "dekking": ["volledig", "volledig", "onvolledig"],
        }
    )
    result = spec(frame)
    datasets = result["datasets"]
    line, point, diamond = result["layer"]
    assert line["mark"]["type"] == "line"
    assert [r["periode"] for r in datasets[line["data"]["name"]]] == ["2024", "2025"]
    assert [r["periode"] for r in datasets[point["data"]["name"]]] == ["2026"]
    assert diamond["mark"]["shape"] == "diamond" and diamond["mark"]["filled"] is False
    assert result["title"]["subtitle"].endswith("◇ = onvolledige periode")


def test_colours_stay_distinct_or_highlight_one_of_many():
    from dashboard import charts

    weinig = ["Alle deelnemers", "Almelo", "Borne", "Dinkelland"]
    scale = charts.kleuren(weinig).to_dict()
    assert scale["domain"] == weinig
    assert scale["range"][0] == "#000000"  # the whole organisation: always black
    assert len(set(scale["range"])) == len(weinig)  # every series its own colour
    veel = ["Alle deelnemers"] + [f"Gemeente {i:02d}" for i in range(14)]
    scale = charts.kleuren(veel, nadruk="Gemeente 03").to_dict()
    kleur = dict(zip(scale["domain"], scale["range"], strict=True))
    assert kleur["Alle deelnemers"] == "#000000"
    assert kleur["Gemeente 03"] == charts.PALETTE[0]
    assert {k for k, v in kleur.items() if v == charts.GRIJS} == set(veel) - {
        "Alle deelnemers",
        "Gemeente 03",
    }


def test_every_bar_keeps_its_label():
    import polars as pl

    from dashboard import charts

    frame = pl.DataFrame({"aard": [f"aard {i}" for i in range(20)], "n": list(range(20))})
    spec = charts.bars(frame, x="aard", y="n", horizontal=True).to_dict()
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False


def test_number_formats_follow_the_one_unit_table():
    assert charts.formaat("procent") == ",.1f"
    assert charts.formaat("per 1.000 inwoners") == ",.2f"
    assert charts.formaat("aantal") == ",.0f"


def test_lhso_trend_labels_the_score_axis_with_the_cell_codes():
    frame = pl.DataFrame(
        {
            "periode": ["2024", "2025", "2026"],
            "waarde": [11.0, 16.0, None],
            "waarde_tekst": ["C3", "A4", None],
            "deelnemer": ["Hengelo"] * 3,
        }
    )
    result = charts.lhso_trend(frame).to_dict()
    axis = result["layer"][0]["encoding"]["y"]["axis"]
    assert axis["values"] == list(range(1, 17))
    assert axis["labelExpr"].startswith("['','D1','D2'") and "'A4']" in axis["labelExpr"]
    rows = result["datasets"][result["data"]["name"]]
    assert [r["periode"] for r in rows] == ["2024", "2025"]  # no point without a value
    assert result["layer"][1]["encoding"]["text"]["field"] == "waarde_tekst"


def test_complaints_per_year_put_the_other_aarden_last():
    frame = pl.DataFrame(
        {
            "periode": ["2025"] * 3,
            "aard_groep": ["stof", "overige aarden", "geur"],
            "aantal": [3, 2, 5],
        }
    )
    colour = charts.aard_per_jaar(frame).to_dict()["encoding"]["color"]
    assert colour["sort"] == ["geur", "stof", "overige aarden"]


def test_horizontal_bars_get_room_for_every_label():
    frame = pl.DataFrame({"aard": ["geur", "stof", "licht"], "aantal": [5, 3, 1]})
    result = charts.liggende_staven(frame, x="aard", y="aantal", y_title="Klachten").to_dict()
    assert result["height"] == 3 * 24 + 20
    assert result["config"]["axisY"]["labelOverlap"] is False
    assert result["encoding"]["y"]["field"] == "aard"


def test_lhso_matrix_reads_on_a_phone_and_the_numbers_keep_their_contrast():
    from dashboard.labels import GEDRAG, GEVOLGEN

    cellen = pl.DataFrame(
        {
            "lhso_gevolgen": [g for g in GEVOLGEN for _ in GEDRAG],
            "lhso_gedrag": [d for _ in GEVOLGEN for d in GEDRAG],
            "lhso_code": [g + d for g in GEVOLGEN for d in GEDRAG],
            "aantal_controles": [0, 1, 2, 3, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1200, 5],
        }
    )
    result = charts.lhso_matrix(cellen, "LHSO").to_dict()
    rect, text = result["layer"]
    assert rect["encoding"]["color"]["legend"] is None  # the numbers are in the cells
    data = next(iter(result["datasets"].values()))
    labels = {r["lhso_code"]: (r["label"], r["donker"]) for r in data}
    assert labels["D3"] == ("1.200", True)  # white on the darkest cell
    assert labels["A2"] == ("1", False)
    assert text["encoding"]["color"]["condition"]["value"] == "#ffffff"
    assert len(result["layer"][0]["encoding"]["x"]["title"]) <= 40


def test_the_drawn_spec_is_the_validated_chart_without_the_default_view_size():
    """charts.spec skips Altair's schema check (speed); it must give what the checked
    conversion gives, less the default theme's 300 x 300 view the page overrides."""
    frame = pl.DataFrame(
        {"periode": ["2024", "2025"], "waarde": [70.0, 75.0], "deelnemer": ["A", "A"]}
    )
    chart = charts.trend(frame, title="Naleefpercentage", y_title="%")
    checked = chart.to_dict()  # validates against the Vega-Lite schema
    assert checked["config"]["view"] == {"continuousWidth": 300, "continuousHeight": 300}
    del checked["config"]["view"]
    assert charts.spec(chart) == checked


def test_a_chart_follows_a_value_changed_in_the_middle_of_a_long_series():
    """The cached spec is keyed by the frame's whole content, not Streamlit's default hash of a
    polars frame (which reads only its first and last ten rows)."""
    from functools import partial

    from dashboard import components

    perioden = [f"{2019 + i // 4}-Q{i % 4 + 1}" for i in range(28)]
    eerst = pl.DataFrame({"periode": perioden, "waarde": [70.0] * 28, "deelnemer": ["A"] * 28})
    daarna = eerst.with_columns(
        pl.when(pl.col("periode") == "2022-Q2")
        .then(12.0)
        .otherwise(pl.col("waarde"))
        .alias("waarde")
    )

    def waarden(frame: pl.DataFrame) -> list[float]:
        spec = components._spec("trend", (frame,), {})
        return sorted({r["waarde"] for rows in spec["datasets"].values() for r in rows})

    assert waarden(eerst) == [70.0]
    assert waarden(daarna) == [12.0, 70.0]
    assert partial(charts.trend, daarna).func is charts.trend


def test_a_chart_may_hold_more_than_five_thousand_rows():
    """A complaints map of a large region: more squares than Altair's default row limit."""
    cellen = pl.DataFrame(
        {
            "x": [i % 100 * 1000 for i in range(6000)],
            "y": [i // 100 * 1000 for i in range(6000)],
            "klachten": [1] * 6000,
            "gegrond": [0] * 6000,
        }
    )
    spec = charts.spec(charts.raster_kaart(cellen, 1000, "Klachten"))
    assert sum(len(rows) for rows in spec["datasets"].values()) >= 6000
