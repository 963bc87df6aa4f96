"""The accounthouder's task of issue 13 in a real browser: open Deelnemer for the last complete
quarter, read the summary on one screen, click through from the compliance rate to the
inspections behind it, export them, and read the CSV as Dutch Excel would (';', decimal
comma). The times of each step go to test-artifacts/ (the targets are measured in `make bench`,
not asserted here: this machine is shared)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import time

import pytest

from dashboard import perioden
from dashboard.data import deelnemer as dd
from dashboard.viewer import Viewer
from tests.browser.conftest import ARTIFACTS, BROWSER_ARGS, CHROMIUM, wait_until_idle

pytestmark = pytest.mark.browser


def test_from_the_summary_to_the_inspections_and_a_dutch_csv(served, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("VTHMONITOR_LAKE", str(served.settings.lake_dir))
    ARTIFACTS.mkdir(exist_ok=True)
    tijden = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="nl-NL")
        start = time.monotonic()
        page.goto(f"{served.url}/deelnemer?demo=demo-accounthouder-hengelo")
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page, quiet_ms=500)
        tijden["openen_s"] = round(time.monotonic() - start, 2)
        assert page.locator("h1").first.inner_text().strip() == "Deelnemer Hengelo"
        # the app sets the language from a script in the page: wait for it to have run
        page.wait_for_function("document.documentElement.lang === 'nl'", timeout=15_000)
        kwartaal = page.url.split("periode=")[1].split("&")[0]
        assert kwartaal.startswith("20") and "-Q" in kwartaal
        # the summary's six cards are on the first screen, their titles not cut off
        kaarten = page.locator("[data-testid=stMetric]")
        # the summary is a fragment: on a busy machine it can land after the page went quiet
        kaarten.nth(5).wait_for(timeout=30_000)
        assert kaarten.count() >= 6
        for i in range(6):
            box = kaarten.nth(i).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 900, i
        assert page.get_by_text("Voortgang uitvoeringsprogramma (naar rato)").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / "deelnemer_samenvatting.png"))

        # the compliance rate's card: open the inspections behind it
        start = time.monotonic()
        page.get_by_role("button", name="Onderliggende gegevens").first.click()
        dialoog = page.get_by_role("dialog")
        dialoog.get_by_text("Controles achter").wait_for(timeout=30_000)
        tijden["doorklikken_s"] = round(time.monotonic() - start, 2)
        page.screenshot(path=str(ARTIFACTS / "deelnemer_onderbouwing.png"))

        start = time.monotonic()
        with page.expect_download(timeout=30_000) as info:
            dialoog.get_by_role("button", name="Download CSV").click()
        download = info.value
        tijden["download_s"] = round(time.monotonic() - start, 2)
        assert download.suggested_filename == f"hengelo_controles_{kwartaal}.csv"
        inhoud = download.path().read_bytes()
        browser.close()
    (ARTIFACTS / "deelnemer_tijden.json").write_text(json.dumps(tijden, indent=2))

    # what Dutch Excel reads: BOM, ';', one row per inspection behind the KPI
    assert inhoud.startswith(b"\xef\xbb\xbf")
    rijen = list(csv.DictReader(io.StringIO(inhoud.decode("utf-8-sig")), delimiter=";"))
    begin, einde = perioden.grenzen("kwartaal", kwartaal)
    verwacht = dd.onderbouwing(Viewer("mt"), "GM0164", "controles", begin, einde)
    assert [r["Controle"] for r in rijen] == verwacht["Controle"].to_list()
    assert [int(r["Overtredingen"]) for r in rijen] == verwacht["Overtredingen"].to_list()


def test_the_report_button_gives_the_accounthouder_their_pdf(served, tmp_path):
    """Issue 14: "Rapport (PDF)" on the Deelnemer page, clicked in chromium, gives the report of
    the deelnemer and period on screen (read back with pdftotext)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="nl-NL")
        page.goto(f"{served.url}/deelnemer?demo=demo-accounthouder-hengelo")
        page.locator("[data-testid=stMetric]").nth(5).wait_for(timeout=60_000)
        kwartaal = page.url.split("periode=")[1].split("&")[0]
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Rapport (PDF)").click()
        download = info.value
        assert download.suggested_filename == f"hengelo_accountrapport_{kwartaal}.pdf"
        pdf = tmp_path / "rapport.pdf"
        download.save_as(pdf)
        browser.close()
    tekst = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Accountrapport Hengelo" in tekst and f"Samenvatting {kwartaal}" in tekst
    assert "Enschede" not in tekst
