"""The first dashboard page renders on a loaded lake and shows the warehouse's numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.format import getal
from pipelines.lake import PublishedLake
from pipelines.load import load
from tests.conftest import TODAY

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_resource.clear()  # pitfall 9: cached resources leak between AppTests
    yield
    st.cache_resource.clear()


def test_bronnen_page_shows_row_counts(settings, small_sample, monkeypatch):
    load(settings, [small_sample], today=TODAY)
    monkeypatch.setenv("VTHMONITOR_LAKE", str(settings.lake_dir))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Bronnen per deelnemer"

    expected = (
        PublishedLake(settings)
        .cursor()
        .execute(
            "select rijen from meta.bronnen_per_deelnemer "
            "where deelnemer_code = 'GM0164' and bron = 'zaken'"
        )
        .fetchone()[0]
    )
    table = at.dataframe[1].value
    hengelo = table[table["Deelnemer"] == "Hengelo"]
    assert hengelo["zaken"].iloc[0] == getal(expected)


def test_page_without_lake_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_LAKE", str(tmp_path / "leeg"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "vthmonitor load" in at.warning[0].value


def test_dutch_number_format():
    assert getal(1234567) == "1.234.567"
    assert getal(1234.5, 1) == "1.234,5"
    assert getal(None) == "–"
