"""Progress of long work (a build, a rebuild), told through one logger so the code that does
the work needs no callback parameters: `meld("staging bouwen")`, or with how far it is,
`meld("uren_2025.csv lezen", (3, 12))`. The command line shows it (`toon`): on a terminal one
line that is overwritten, with a bar when the step says how far it is; in a log (CI, cron) one
plain line per step with the seconds since the start. `regel` prints a line that stays (a
file's result) without breaking the bar. Nobody listening (the tests, the app): nothing shown.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import TextIO

log = logging.getLogger("vthmonitor.voortgang")


def meld(tekst: str, deel: tuple[int, int] | None = None) -> None:
    """One step of the work, in Dutch ("staging bouwen (14 tabellen)"); `deel` = (done, of)."""
    log.info(tekst, extra={"deel": deel})


def regel(tekst: str) -> None:
    """A line that stays, such as a file's result, printed between the steps."""
    log.info(tekst, extra={"blijvend": True})


BALK = 20  # characters of the bar on a terminal


def balk(klaar: int, totaal: int) -> str:
    """[██████░░░░░░░░░░░░░░] for `klaar` of `totaal`."""
    vol = BALK * klaar // totaal if totaal else BALK
    return "[" + "█" * vol + "░" * (BALK - vol) + "]"


class _Regels(logging.Handler):
    def __init__(self, stream: TextIO, overschrijven: bool) -> None:
        super().__init__(logging.INFO)
        self.stream, self.overschrijven, self.start = stream, overschrijven, time.monotonic()
        self.breedte = 0
        self.laatste = ""  # the bar as last drawn, to draw again after a line that stays

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "blijvend", False):
            if self.overschrijven:
                # clear the bar, write the line, draw the bar again under it
                self.stream.write("\r" + record.getMessage().ljust(self.breedte) + "\n")
                if self.laatste:
                    self.stream.write(self.laatste)
            else:
                self.stream.write(record.getMessage() + "\n")
            self.stream.flush()
            return
        seconden = f"({time.monotonic() - self.start:.0f} s)"
        deel = getattr(record, "deel", None)
        if deel is None:
            regel = f"  {record.getMessage()} {seconden}"
        elif self.overschrijven:
            regel = f"  {balk(*deel)} {deel[0]}/{deel[1]} {record.getMessage()} {seconden}"
        else:
            regel = f"  [{deel[0]}/{deel[1]}] {record.getMessage()} {seconden}"
        if self.overschrijven:
            self.laatste = "\r" + regel.ljust(self.breedte)
            self.stream.write(self.laatste)
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
