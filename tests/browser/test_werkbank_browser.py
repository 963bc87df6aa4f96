"""Issue 5's 'done when', scripted in a real browser: an analyst new to the app finds the KPI
definitions in the schema browser, writes a query that joins complaints to establishments,
exports it to Excel, saves it, and finds it again the next day (a new session) after the nightly
load. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import time

import polars as pl
import pytest

from pipelines.load import load
from tests.browser.conftest import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    assert_no_failure,
    choose,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

JOIN = (
    "select k.klacht_id, k.datum_melding, k.aard, i.naam as inrichting, i.branche\n"
    "from staging.klachten as k\n"
    "join staging.inrichtingen as i on i.inrichting_id = k.inrichting_id\n"
    "where k.datum_melding >= date '2025-01-01'"
)


def become_analist(page, url: str) -> None:
    """Open the app, choose the demo analyst in the sidebar, go to the workbench."""
    page.goto(url)
    page.wait_for_selector("[data-testid=stSidebar]", timeout=60_000)
    wait_until_idle(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    choose(page, "Demogebruiker", "Demo analist")
    wait_until_idle(page)
    sidebar.get_by_role("link", name="SQL-werkbank").click()
    wait_until_idle(page)
    assert page.locator("h1").first.inner_text().strip() == "SQL-werkbank"


def run_query(page) -> None:
    page.get_by_role("button", name="Uitvoeren").click()
    wait_until_idle(page)
    assert_no_failure(page, "werkbank")


def result_rows(page) -> int:
    """The row count above the result ('1.234 rijen', Dutch thousands separator)."""
    summary = page.locator("strong", has_text=re.compile(r"^[\d.]+ rijen?$")).first.inner_text()
    return int(summary.split(" ")[0].replace(".", ""))


def test_an_analyst_finds_writes_exports_saves_and_finds_again(served, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        day_one = browser.new_context(
            viewport={"width": 1500, "height": 1100}, locale="nl-NL", accept_downloads=True
        )
        page = day_one.new_page()
        become_analist(page, served.url)

        # 1. The KPI definitions, in the schema browser.
        page.get_by_role("tab", name="KPI-definities").click()
        search = page.get_by_role("textbox", name="Zoek een KPI")
        search.fill("naleef")
        search.press("Enter")
        wait_until_idle(page)
        assert page.get_by_text(
            "Periodieke controles zonder overtredingen gedeeld door"
        ).first.is_visible()
        # ... and the tables to join, with their columns.
        page.get_by_role("tab", name="Schema").click()
        search = page.get_by_role("textbox", name="Zoek een tabel of kolom")
        search.fill("inrichting_id")
        search.press("Enter")
        wait_until_idle(page)
        assert page.get_by_text("tabellen en").first.is_visible()

        # 2. A query joining complaints to establishments.
        editor = page.get_by_role("textbox", name="SQL", exact=True)
        editor.fill(JOIN)
        # run from inside the editor with the keyboard: the typed text is what runs
        editor.press("Control+Enter")
        wait_until_idle(page)
        assert_no_failure(page, "werkbank")
        shown_rows = result_rows(page)
        assert shown_rows > 20
        page.screenshot(path=str(ARTIFACTS / "sql_werkbank.png"), full_page=True)

        # 3. Export to Excel: the file opens with the rows shown.
        with page.expect_download() as download:
            page.get_by_role("button", name="Download Excel").click()
        excel = tmp_path / "query.xlsx"
        download.value.save_as(excel)
        exported = pl.read_excel(excel)
        assert exported.height == shown_rows
        assert exported.columns == ["klacht_id", "datum_melding", "aard", "inrichting", "branche"]

        # 4. Save it.
        page.get_by_role("textbox", name="Naam om de query op te slaan").fill(
            "Klachten met inrichting"
        )
        page.get_by_role("button", name="Opslaan").click()
        # the click first commits the name field (one run), then saves (another): wait for
        # the outcome, not for the first quiet moment
        page.get_by_text("Opgeslagen als 'Klachten met inrichting'").wait_for(timeout=30_000)
        day_one.close()

        # The nightly load publishes a new build while the app keeps serving.
        nightly = tmp_path / "nacht"
        nightly.mkdir()
        (nightly / "klachten_20260201.csv").write_text(
            "klacht_id;datum_melding;bevoegd_gezag;aard\nKL-NACHT-1;31-01-2026;Hengelo;geur\n",
            encoding="utf-8",
        )
        assert load(served.settings, [nightly]).published

        # 5. The next day: a new session finds the query and runs it on the new build.
        day_two = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="nl-NL")
        page = day_two.new_page()
        become_analist(page, served.url)
        page.get_by_role("tab", name="Opgeslagen").click()
        page.get_by_text("Klachten met inrichting · demo-analist").click()
        page.get_by_role("button", name="Zet in de editor").first.click()
        wait_until_idle(page)
        assert page.get_by_role("textbox", name="SQL", exact=True).input_value() == JOIN
        run_query(page)
        assert result_rows(page) == shown_rows
        page.screenshot(path=str(ARTIFACTS / "sql_werkbank_volgende_dag.png"), full_page=True)
        day_two.close()
        browser.close()
    print(f"analist-proef in de browser: {time.monotonic() - started:.1f} s")
