"""Browser timings for `make bench` (issue 13): chromium (Playwright) against `vthmonitor serve`
on a benchmark lake, warm server. For every page: the time from navigation until the script
run has finished and the browser has drawn it, and the bytes the server sent over the
websocket for that run; and for interactions: a tab on the Deelnemer page (a fragment), the
drill-through window, the period on the Deelnemer page and the period type on Naleving.
Medians and maxima of RUNS. The end of a run is Streamlit's own `script_finished` message
(read from the websocket frames with Streamlit's protobuf), then two animation frames for
the browser to draw it. The time is taken in the page itself: from the user's click (a
pointerdown listener) or from the start of the navigation, to that drawn frame; so it holds
what the user waits for and not Playwright's own work before it clicks (docs/dashboard.md,
"Snelheid")."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.navigation import PAGES
from tests.browser.conftest import assert_no_failure

BROWSER_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]
CHROMIUM = "/usr/bin/chromium"
DEMO = {"mt": "demo-mt", "analist": "demo-analist", "beheerder": "demo-beheerder"}
# Two animation frames after the run (the browser has drawn it); then the time since the click,
# or since the navigation started (performance.now() counts from there; __klik is unset).
TEKEN = (
    "new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
    "() => r(performance.now() - (window.__klik || 0)))))"
)
KLIK = (
    "document.addEventListener('pointerdown', () => { window.__klik = performance.now(); }, true)"
)


class Frames:
    """Websocket frames: the bytes the server sent since `reset`, and whether the run the
    browser asked for since then has finished. Only a run that started after the browser's
    request counts: a page that was still finishing an earlier run must not end the timing."""

    def __init__(self) -> None:
        self.reset()
        self.last = time.monotonic()

    def reset(self) -> None:
        self.bytes = 0
        self.finished = 0
        self.requested = False
        self.started = False

    def sent(self, payload) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        try:
            msg = BackMsg.FromString(data)
        except Exception:  # noqa: BLE001 - not a BackMsg
            return
        if msg.WhichOneof("type") == "rerun_script":
            self.requested = True
            self.started = False

    def received(self, payload) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.bytes += len(data)
        self.last = time.monotonic()
        try:
            msg = ForwardMsg.FromString(data)
        except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg counts bytes only
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session" and self.requested:
            self.started = True
        elif kind == "script_finished" and msg.script_finished in (0, 3) and self.started:
            self.finished += 1


def _settle(page, frames: Frames, quiet_s: float = 0.7) -> None:
    """Wait until the server has sent nothing for `quiet_s` (a page may run more than once)."""
    while time.monotonic() - frames.last < quiet_s:
        page.wait_for_timeout(100)


def _until_finished(page, frames: Frames, timeout_s: float = 120) -> float:
    """Seconds from the click (or the navigation) until the run has been drawn."""
    deadline = time.monotonic() + timeout_s
    while frames.finished == 0:
        if time.monotonic() > deadline:
            raise TimeoutError("no script_finished")
        page.wait_for_timeout(5)
    return page.evaluate(TEKEN) / 1000


def _timed(page, frames: Frames, action) -> tuple[float, int]:
    frames.reset()
    page.evaluate("window.__klik = undefined")
    action()
    seconds = _until_finished(page, frames)
    assert_no_failure(page, page.url)  # a failed page is not a fast one
    return seconds, frames.bytes


def serve(lake: Path, port: int = 8765) -> subprocess.Popen:
    env = {**os.environ, "VTHMONITOR_DEMO": "1", "VTHMONITOR_LAKE": str(lake)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vthmonitor.cli", "serve", "--lake", str(lake), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("vthmonitor serve did not start")


def browser_timings(lake: Path, runs: int = 5, url: str | None = None) -> list[tuple]:
    """(what, median s, max s, median kB, max kB) per page and interaction."""
    from playwright.sync_api import sync_playwright

    proc = None if url else serve(lake)
    url = url or "http://127.0.0.1:8765"
    results: list[tuple] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="nl-NL")
            page.add_init_script(KLIK)
            frames = Frames()
            page.on(
                "websocket",
                lambda ws: (
                    ws.on("framereceived", frames.received),
                    ws.on("framesent", frames.sent),
                ),
            )

            def open_at(target: str) -> None:
                frames.reset()
                page.goto(target)
                _until_finished(page, frames)

            def measure(what: str, action, before=None) -> None:
                times, sizes = [], []
                for run in range(runs + 1):  # the first run warms the server's caches
                    if before:
                        before()
                    _settle(page, frames)
                    seconds, size = _timed(page, frames, action)
                    if run:
                        times.append(seconds)
                        sizes.append(size)
                results.append(
                    (
                        what,
                        statistics.median(times),
                        max(times),
                        statistics.median(sizes) / 1000,
                        max(sizes) / 1000,
                    )
                )

            for name, _path, title, roles in PAGES:
                user = next(DEMO[r] for r in DEMO if r in roles) if "mt" not in roles else None
                user = user or ("demo-mt" if "mt" in roles else "demo-accounthouder-hengelo")
                target = f"{url}/{name}?demo={user}"
                # a new tab, a bookmark or F5: the app itself loads too
                measure(f"open {title}", lambda target=target: page.goto(target))
                # how a user opens a page in a session: from the menu, from a light page
                vanaf = "verbeterplan" if name == "datakwaliteit" else "datakwaliteit"
                measure(
                    f"menu naar {title}",
                    lambda title=title: (
                        page.locator("[data-testid=stSidebar]")
                        .get_by_role("link", name=title, exact=True)
                        .click()
                    ),
                    before=lambda vanaf=vanaf, user=user: open_at(f"{url}/{vanaf}?demo={user}"),
                )

            deelnemer = f"{url}/deelnemer?demo=demo-mt"

            def open_deelnemer() -> None:
                open_at(deelnemer)

            tabs = ["Naleving", "Klachten"]
            measure(
                "Deelnemer: tabblad wisselen (fragment)",
                lambda: page.get_by_role("radio", name=tabs[0], exact=True).click(),
                before=lambda: (open_deelnemer(), frames.reset()),
            )
            measure(
                "Deelnemer: onderliggende gegevens openen",
                lambda: page.get_by_role("button", name="Onderliggende gegevens").first.click(),
                before=open_deelnemer,
            )
            measure(
                "Deelnemer: andere periode",
                lambda: page.get_by_role("radio", name="Jaar", exact=True).click(),
                before=open_deelnemer,
            )
            measure(
                "Naleving: per kwartaal",
                lambda: page.get_by_text("Kwartaal", exact=True).click(),
                before=lambda: open_at(f"{url}/naleving?demo=demo-mt"),
            )
            browser.close()
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=20)
    return results


if __name__ == "__main__":
    # python -m tests.bench_browser <lake> [url]: the browser timings alone
    for row in browser_timings(Path(sys.argv[1]), url=sys.argv[2] if len(sys.argv) > 2 else None):
        print(f"| {row[0]} | {row[1]:.2f} | {row[2]:.2f} | {row[3]:.0f} | {row[4]:.0f} |")
