"""A real browser against `vthmonitor serve`: Playwright driving Debian's chromium (installed by
`make test`). Opens every page, checks there is no error element, saves a screenshot of each
into test-artifacts/ for people to look at."""

from __future__ import annotations

import pytest

from dashboard.navigation import PAGES
from tests.browser.conftest import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    assert_no_failure,
    wait_until_idle,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(served) -> str:
    return served.url


def page_urls() -> list[tuple[str, str]]:
    # the MT sees every page; demo mode (no provider configured) with the demo MT in the URL
    return [(name, title) for name, _path, title, roles in PAGES if "mt" in roles]


def test_every_page_renders_without_error(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        for index, (name, title) in enumerate(page_urls()):
            # the start page lives at the root; the others at their url path
            page.goto(f"{server}/{'' if index == 0 else name}?demo=demo-mt")
            page.wait_for_selector("[data-testid=stAppViewContainer]", timeout=30_000)
            page.wait_for_selector("h1", timeout=60_000)
            wait_until_idle(page)
            # tables are drawn on a canvas after the run: give them a moment for the screenshot
            page.wait_for_timeout(3000)
            assert_no_failure(page, name)
            assert page.get_by_text("Page not found").count() == 0, name
            # no KPI card's title or value cut off with "..." (issue 13: readable at 1440 px)
            afgekapt = page.evaluate(
                "Array.from(document.querySelectorAll("
                "'[data-testid=stMetricLabel] *, [data-testid=stMetricValue], "
                "[data-testid=stMetricValue] *'))"
                ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"
            )
            assert afgekapt == [], (name, afgekapt)
            assert page.locator("h1").first.inner_text().strip(), name
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000, title
        browser.close()


def test_tables_offer_no_unneutralised_csv_download(server):
    """Streamlit's table toolbar has its own CSV download that writes formulas as they are
    (docs/exports.md): `vthmonitor serve` turns it off; the app's own downloads stay."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        page.goto(f"{server}/datakwaliteit?demo=demo-mt")
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page)
        table = page.locator("[data-testid=stDataFrame]").first
        table.hover()
        toolbar = page.locator("[data-testid=stElementToolbar]").first
        toolbar.wait_for(state="visible", timeout=10_000)
        labels = [
            b.get_attribute("aria-label")
            for b in toolbar.locator("[data-testid=stElementToolbarButton] button").all()
        ]
        # aria-label is "<action>" or "<action>: <table label>"
        assert any(label.startswith("Search") for label in labels), labels  # a toolbar ...
        assert not any(label.startswith("Download as CSV") for label in labels), labels
        assert page.get_by_role("button", name="Download CSV").count() >= 1
        browser.close()


def test_the_overzicht_table_fits_1440_pixels_without_sideways_scrolling(server):
    """The MT's headline table at 1440 x 900 with the sidebar open: every column visible, no
    horizontal scroll bar (issue 12; the differences are extra columns one switches on)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="nl-NL")
        page.goto(f"{server}/?demo=demo-mt")
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page)
        page.wait_for_timeout(2000)
        table = page.locator("[data-testid=stDataFrame]").first
        table.wait_for(state="visible", timeout=30_000)
        scroller = table.locator(".dvn-scroller").first
        widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
        page.screenshot(path=str(ARTIFACTS / "overzicht-1440.png"), full_page=True)
        assert widths[0] <= widths[1], widths
        browser.close()
