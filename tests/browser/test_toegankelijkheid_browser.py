"""WCAG 2.1 AA in a real browser: axe-core (PyPI axe-playwright-python, run in chromium) on every
page (as the first role that may open it: the pages draw the same elements for every role,
only the rows differ), and on the accounthouder's Deelnemer page with each block and the
drill-through open. Zero serious or critical violations (README, "Toegankelijkheid")."""

from __future__ import annotations

import json

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

DEMO = {
    "mt": "demo-mt",
    "accounthouder": "demo-accounthouder-hengelo",
    "analist": "demo-analist",
    "beheerder": "demo-beheerder",
}
BLOKKEN = [
    "Producten en programma",
    "Uren en begroting",
    "Werkvoorraad en termijnen",
    "Naleving",
    "Klachten",
    "Handhaving",
]


# The rules of WCAG 2.1 A and AA (axe's best-practice rules are not the standard and cost time).
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def ernstig(axe, page) -> list[dict]:
    """The serious and critical violations on the page as it is now, each with its elements."""
    result = axe.run(page, options=WCAG_AA)
    return [
        {
            "regel": v["id"],
            "ernst": v["impact"],
            "elementen": [n["html"][:200] for n in v["nodes"][:5]],
        }
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_or_critical_accessibility_violations(served):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    gevonden: dict[str, list] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="nl-NL")
        for name, _path, _title, roles in PAGES:
            role = next(r for r in DEMO if r in roles)
            page.goto(f"{served.url}/{name}?demo={DEMO[role]}")
            page.wait_for_selector("h1", timeout=60_000)
            wait_until_idle(page, quiet_ms=1000)
            page.wait_for_timeout(500)  # tables and charts draw after the run
            page.wait_for_function("document.documentElement.lang === 'nl'", timeout=15_000)
            assert_no_failure(page, name)
            gevonden[f"{role}/{name}"] = ernstig(axe, page)
        # the Deelnemer page's blocks and the drill-through window
        page.goto(f"{served.url}/deelnemer?demo=demo-accounthouder-hengelo")
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page, quiet_ms=1000)
        for blok in BLOKKEN:
            page.get_by_role("radio", name=blok, exact=True).click()
            wait_until_idle(page, quiet_ms=1000)
            page.wait_for_timeout(500)
            assert_no_failure(page, blok)
            gevonden[f"deelnemer/{blok}"] = ernstig(axe, page)
        page.get_by_role("button", name="Onderliggende gegevens").first.click()
        page.get_by_role("dialog").get_by_text("achter").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        gevonden["deelnemer/onderliggende gegevens"] = ernstig(axe, page)
        browser.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(gevonden, indent=1, ensure_ascii=False))
    assert len(gevonden) == len(PAGES) + len(BLOKKEN) + 1
    assert {k: v for k, v in gevonden.items() if v} == {}
