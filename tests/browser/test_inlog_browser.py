"""Issue 11's 'done when' in a real browser, with a real OpenID Connect provider
(`oidc-provider-mock` on localhost) and `vthmonitor serve` configured for it through
.streamlit/secrets.toml: two users log in through the real redirect flow, see what their role
allows, keep it after a reload and through a link; the beheerder finds the other user's
download in the activity trail. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    choose,
    free_port,
    serve,
    wait_until_idle,
)
from tests.conftest import TEST_KEY
from vthmonitor.settings import Settings
from vthmonitor.toegang import Gebruiker, Toegang

pytestmark = pytest.mark.browser

BEHEERDER = "beheer@odtwente.nl"
ACCOUNTHOUDER = "ank@odtwente.nl"
MT = "mt@odtwente.nl"
ANALIST = "ana@odtwente.nl"


def _wait_for(url: str, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{what} did not start within 60 s")


@pytest.fixture(scope="module")
def app_with_login(served, tmp_path_factory):
    """(app url, settings): a copy of the browser tests' lake served with a login provider."""
    from oidc_provider_mock import run_server_in_thread

    tmp = tmp_path_factory.mktemp("inlog")
    lake = tmp / "lake"
    shutil.copytree(served.settings.lake_dir, lake)
    state = tmp / "app.sqlite3"
    settings = Settings(lake_dir=lake, pseudonym_key_value=TEST_KEY, app_state_override=state)
    Toegang(settings).opslaan(
        Gebruiker(ACCOUNTHOUDER, "Ank", "accounthouder", ("GM0164",)), "test", ["GM0164"]
    )
    Toegang(settings).opslaan(Gebruiker(MT, "Marit", "mt", ()), "test", [])
    Toegang(settings).opslaan(Gebruiker(ANALIST, "Ana", "analist", ()), "test", [])
    with run_server_in_thread() as provider:
        issuer = f"http://localhost:{provider.server_port}"
        _wait_for(f"{issuer}/.well-known/openid-configuration", "the OIDC provider")
        port = free_port()
        (tmp / ".streamlit").mkdir()
        (tmp / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            'cookie_secret = "browser-test-cookie-secret-0123456789abcdef"\n'
            'client_id = "vthmonitor"\n'
            'client_secret = "geheim"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            'client_kwargs = { scope = "openid profile email" }\n'
        )
        env = {
            **os.environ,
            "VTHMONITOR_PSEUDONYM_KEY": TEST_KEY,
            "VTHMONITOR_APP_STATE": str(state),
            "VTHMONITOR_BEHEERDER": BEHEERDER,
        }
        # Streamlit reads .streamlit/secrets.toml from the working directory
        proc, url = serve(lake, env, host="localhost", cwd=tmp, port=port)
        yield url, settings
        proc.terminate()
        proc.wait(timeout=20)


def log_in(page, url: str, who: str) -> None:
    """Open the app, press Inloggen, and authorise as `who` at the provider's own form."""
    page.goto(url)
    page.get_by_role("button", name="Inloggen").click(timeout=60_000)
    page.wait_for_selector("input[name=sub]", timeout=30_000)  # the provider's page
    page.fill("input[name=sub]", who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    page.wait_for_selector("h1", timeout=60_000)
    wait_until_idle(page)


def title(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def test_two_users_log_in_keep_their_role_and_the_beheerder_finds_the_download(
    app_with_login,
):
    from playwright.sync_api import sync_playwright

    url, settings = app_with_login
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)

        # --- the accounthouder of Hengelo ---------------------------------------------------
        ank = browser.new_context(
            viewport={"width": 1400, "height": 1000}, locale="nl-NL", accept_downloads=True
        )
        page = ank.new_page()
        page.goto(f"{url}/?demo=demo-mt")  # demo mode does not exist with a provider
        page.get_by_role("button", name="Inloggen").wait_for(timeout=60_000)
        wait_until_idle(page)
        assert page.locator("[data-testid=stDataFrame]").count() == 0
        log_in(page, url, ACCOUNTHOUDER)
        assert title(page) == "Deelnemer Hengelo"
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.get_by_role("link", name="Overzicht").count() == 0  # not an MT page
        assert sidebar.get_by_role("link", name="Beheer").count() == 0
        page.screenshot(path=str(ARTIFACTS / "inlog-accounthouder.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").first.click()
        assert download.value.suggested_filename.endswith(".csv")
        assert "deelnemer=GM0164" in page.url and "periode=" in page.url  # a bookmark
        bookmark = re.sub(r"soort=\w+", "soort=jaar", page.url).split("&periode=")[0]
        page.reload()
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page)
        assert title(page) == "Deelnemer Hengelo"  # still the accounthouder after F5
        page.goto(bookmark + "&periode=2025")  # a link to Hengelo, year 2025
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page)
        assert title(page) == "Deelnemer Hengelo"
        periode = page.get_by_text("Periode 2025: 01-01-2025 t/m 31-12-2025")
        periode.first.wait_for(timeout=30_000)  # the blocks are a fragment that may land later
        assert periode.count() == 1
        # a link to a page the role may not open shows no MT data
        page.goto(f"{url}/overzicht")
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page)
        assert title(page) == "Deelnemer Hengelo"
        ank.close()

        # --- the beheerder -----------------------------------------------------------------
        beheer = browser.new_context(
            viewport={"width": 1400, "height": 1000}, locale="nl-NL", accept_downloads=True
        )
        page = beheer.new_page()
        log_in(page, url, BEHEERDER)
        page.locator("[data-testid=stSidebar]").get_by_role("link", name="Beheer").click()
        wait_until_idle(page)
        assert title(page) == "Beheer"
        choose(page, "Actie", "download")
        wait_until_idle(page)
        page.screenshot(path=str(ARTIFACTS / "inlog-beheer.png"), full_page=True)
        # what the beheerder sees is what the filtered trail's CSV holds: the accounthouder's line
        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").last.click()
        lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
        regels = [r for r in lines[1:] if ACCOUNTHOUDER in r]
        assert len(regels) == 1 and ";download;" in regels[0] and "GM0164" in regels[0], lines
        beheer.close()
        browser.close()

    trail = Toegang(settings).activiteit(actie="download")
    assert trail.select("gebruiker", "deelnemers").rows() == [
        (BEHEERDER, None),  # the trail itself: who looked at it is in it too
        (ACCOUNTHOUDER, "GM0164"),
    ]
    logins = Toegang(settings).activiteit(actie="inloggen")["gebruiker"].to_list()
    assert ACCOUNTHOUDER in logins and BEHEERDER in logins


@pytest.mark.parametrize(
    ("who", "own_page", "not_theirs"),
    [(MT, "Overzicht", "SQL-werkbank"), (ANALIST, "SQL-werkbank", "Beheer")],
)
def test_mt_and_analist_log_in_keep_their_role_and_reopen_a_shared_link(
    app_with_login, who, own_page, not_theirs
):
    """The other two roles through the same redirect flow: their own pages in the menu and not
    another role's, the role kept after F5, and a Klachten link reopening the same selection."""
    from playwright.sync_api import sync_playwright

    url, _ = app_with_login
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        page = context.new_page()
        log_in(page, url, who)
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.get_by_role("link", name=own_page).count() == 1
        assert sidebar.get_by_role("link", name=not_theirs).count() == 0
        page.reload()
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page)
        assert sidebar.get_by_role("link", name=own_page).count() == 1  # same role after F5
        page.goto(f"{url}/klachten?deelnemers=GM0153,GM0164&soort=kwartaal&detail=GM0164")
        page.wait_for_selector("h1", timeout=60_000)
        wait_until_idle(page)
        assert title(page) == "Klachten"
        keuze = (
            page.locator("[data-testid=stMultiSelect]").filter(has_text="Deelnemers").inner_text()
        )
        assert "Enschede" in keuze and "Hengelo" in keuze and "Alle deelnemers" not in keuze
        assert page.get_by_role("radio", name="Kwartaal").is_checked()
        page.get_by_text("Naar aard: Hengelo", exact=False).first.wait_for(timeout=30_000)
        assert "deelnemers=GM0153%2CGM0164" in page.url or "deelnemers=GM0153,GM0164" in page.url
        context.close()
        browser.close()
