"""The served app for the browser tests: a sample lake and `vthmonitor serve` on a free port,
shared by every browser test of the session; Debian's chromium drives it (Playwright cannot
download its own browser here)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.load import load
from pipelines.sample import write_sample
from tests.conftest import TEST_KEY, TODAY
from vthmonitor.settings import PROJECT_DIR, Settings

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


@dataclass(frozen=True)
class Served:
    url: str
    settings: Settings  # the lake the server reads: a test may load into it while it serves


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(
    lake: Path, env: dict, host: str, cwd: Path | None = None, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """`vthmonitor serve` on `port` (default a free one), started from `cwd` (where Streamlit
    looks for .streamlit/secrets.toml); returns the process and its url once it is healthy."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vthmonitor.cli", "serve", "--lake", str(lake), "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{host}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("vthmonitor serve did not start within 60 s")


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    write_sample(tmp / "sample", scale=0.02, seed=9)
    settings = Settings(lake_dir=tmp / "lake", pseudonym_key_value=TEST_KEY)
    load(settings, [tmp / "sample"], today=TODAY)
    env = {**os.environ, "VTHMONITOR_PSEUDONYM_KEY": TEST_KEY, "VTHMONITOR_DEMO": "1"}
    proc, url = serve(settings.lake_dir, env, host="127.0.0.1")
    yield Served(url, settings)
    proc.terminate()
    proc.wait(timeout=20)


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


def assert_no_failure(page, where: str) -> None:
    """Neither a traceback nor the Dutch notice the app shows in place of a failed page or
    block (dashboard/fouten.py)."""
    from dashboard.fouten import NOEM_DE_CODE

    assert page.locator("[data-testid=stException]").count() == 0, where
    assert page.get_by_text(NOEM_DE_CODE).count() == 0, where


def choose(page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox. A rerun that lands just after the click (the
    page is still settling on a busy machine) closes the list again: open it once more."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        page.get_by_role("combobox", name=label).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_until_idle(page)
    raise AssertionError(f"option {option!r} of {label!r} could not be chosen")
