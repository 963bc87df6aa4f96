"""A real browser against `vthmonitor serve`: Playwright driving Debian's chromium (installed by
`make test`). Opens every page, checks there is no error element, saves a screenshot of each
into test-artifacts/ for people to look at."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dashboard.navigation import PAGES
from pipelines.load import load
from pipelines.sample import write_sample
from pipelines.settings import PROJECT_DIR, Settings
from tests.conftest import TEST_KEY, TODAY

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_DIR / "test-artifacts"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    write_sample(tmp / "sample", scale=0.02, seed=9)
    settings = Settings(lake_dir=tmp / "lake", pseudonym_key_value=TEST_KEY)
    load(settings, [tmp / "sample"], today=TODAY)
    port = free_port()
    env = {**os.environ, "VTHMONITOR_PSEUDONYM_KEY": TEST_KEY}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "serve",
            "--lake",
            str(settings.lake_dir),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("vthmonitor serve did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def page_urls() -> list[tuple[str, str]]:
    # the MT sees every page (the default role in demo mode)
    return [(name, title) for name, _path, title, roles in PAGES if "mt" in roles]


def wait_until_idle(page, quiet_ms: int = 1500, timeout_s: float = 90) -> None:
    """Wait until the script run has finished: Streamlit's running indicator has been absent
    for `quiet_ms` in a row (a fixed sleep would be flaky on a busy machine)."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator("[data-testid=stStatusWidget]").count() > 0
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(250)
    raise AssertionError("the page did not finish running in time")


def test_every_page_renders_without_error(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        for index, (name, title) in enumerate(page_urls()):
            # the start page lives at the root; the others at their url path
            page.goto(f"{server}/{'' if index == 0 else name}")
            page.wait_for_selector("[data-testid=stAppViewContainer]", timeout=30_000)
            page.wait_for_selector("h1", timeout=60_000)
            wait_until_idle(page)
            # tables are drawn on a canvas after the run: give them a moment for the screenshot
            page.wait_for_timeout(3000)
            assert page.locator("[data-testid=stException]").count() == 0, name
            assert page.get_by_text("Page not found").count() == 0, name
            assert page.locator("h1").first.inner_text().strip(), name
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000, title
        browser.close()
