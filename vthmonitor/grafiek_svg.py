"""Vega-Lite charts to SVG with vl-convert, in a process of its own (docs/rapport.md, "Hoe").

vl-convert runs V8, whose heap reserves tens of gigabytes of address space when it starts. The
dashboard runs under an address-space limit (VTHMONITOR_APP_GEHEUGEN, cli.limit_memory) so that
one runaway query cannot take the server down; under that limit V8 cannot start and aborts the
whole process ("Fatal process out of memory: Oilpan: CagedHeap reservation"). So the
conversion runs in one long-lived worker process (`python -m vthmonitor.grafiek_svg`) that lifts
the limit for itself (a process may raise its soft limit up to the hard one): a crash there
costs one report, never the app. It is started on first use and kept warm; it imports only
vl-convert, and speaks one JSON line per request on stdin/stdout.
"""

from __future__ import annotations

import json
import resource
import select
import subprocess
import sys
import threading
import time

TIMEOUT_S = 60


class GrafiekFout(RuntimeError):
    """A chart could not be converted (Dutch message)."""


class _Werker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vthmonitor.grafiek_svg"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=1 << 20,
        )

    def vraag(self, specs: list[dict]) -> list[str]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(specs).encode() + b"\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            over = deadline - time.monotonic()
            if over <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.proc.stdout], [], [], over)
            if ready:
                break
        line = self.proc.stdout.readline()
        if not line:
            raise BrokenPipeError("het werkproces stopte")
        antwoord = json.loads(line)
        if "fout" in antwoord:
            raise GrafiekFout(f"een grafiek kon niet worden getekend: {antwoord['fout']}")
        return antwoord["svg"]

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


_WERKER: _Werker | None = None
_LOCK = threading.Lock()  # one request at a time; the worker answers in order


def svg(specs: list[dict]) -> list[str]:
    """The charts as SVG, in order. A worker that died is replaced once."""
    global _WERKER
    with _LOCK:
        for poging in (1, 2):
            if _WERKER is None or _WERKER.proc.poll() is not None:
                _WERKER = _Werker()
            try:
                return _WERKER.vraag(specs)
            except (BrokenPipeError, OSError, ValueError, TimeoutError) as exc:
                _WERKER.stop()
                _WERKER = None
                if poging == 2 or isinstance(exc, TimeoutError):
                    raise GrafiekFout(
                        "de grafieken van het rapport konden niet worden getekend (het "
                        "werkproces stopte of deed er te lang over); probeer het opnieuw of "
                        "meld het de beheerder."
                    ) from exc
    raise AssertionError("unreachable")


def _werk() -> None:
    """The worker: lift the address-space limit, then convert each request."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    import vl_convert

    for line in sys.stdin.buffer:
        try:
            specs = json.loads(line)
            # the spec carries its data; no URL is ever fetched
            antwoord = {"svg": [vl_convert.vegalite_to_svg(s, allowed_base_urls=[]) for s in specs]}
        except Exception as exc:  # noqa: BLE001 - the app turns it into a Dutch message
            antwoord = {"fout": f"{type(exc).__name__}: {str(exc)[:300]}"}
        sys.stdout.buffer.write(json.dumps(antwoord).encode() + b"\n")
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    _werk()
