"""Progress of long work (a build, a rebuild), told through one logger so the code that does
the work needs no callback parameters: `meld("staging bouwen")`. The command line shows it
(`toon`): on a terminal one line that is overwritten, in a log (CI, cron) one plain line per
step with the seconds since the start. Nobody listening (the tests, the app): nothing shown.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import TextIO

log = logging.getLogger("vthmonitor.voortgang")


def meld(tekst: str) -> None:
    """One step of the work, in Dutch ("staging bouwen (14 tabellen)")."""
    log.info(tekst)


class _Regels(logging.Handler):
    def __init__(self, stream: TextIO, overschrijven: bool) -> None:
        super().__init__(logging.INFO)
        self.stream, self.overschrijven, self.start = stream, overschrijven, time.monotonic()
        self.breedte = 0

    def emit(self, record: logging.LogRecord) -> None:
        regel = f"  {record.getMessage()} ({time.monotonic() - self.start:.0f} s)"
        if self.overschrijven:
            self.stream.write("\r" + regel.ljust(self.breedte))
            self.breedte = len(regel)
        else:
            self.stream.write(regel + "\n")
        self.stream.flush()

    def afsluiten(self) -> None:
        if self.overschrijven and self.breedte:
            self.stream.write("\r" + " " * self.breedte + "\r")
            self.stream.flush()


@contextlib.contextmanager
def toon(stream: TextIO | None = None) -> Iterator[None]:
    """Show the steps while the block runs (the CLI's load and rebuild)."""
    stream = stream or sys.stdout
    handler = _Regels(stream, overschrijven=stream.isatty())
    log.addHandler(handler)
    vorig = log.level
    log.setLevel(logging.INFO)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(vorig)
        handler.afsluiten()
