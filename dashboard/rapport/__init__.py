"""The account-meeting report: a PDF per deelnemer and period (docs/rapport.md).

`maak` is the one entry: the CLI (`vthmonitor rapport`, `vthmonitor verzend`) and the Deelnemer
page's button call it, so every report is the same file. Whether the person asking may have the
deelnemer is checked here against their own scope (an accounthouder only gets their own); the
content itself is always read in the scope of that deelnemer's accounthouder (inhoud.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import data
from dashboard.rapport.inhoud import RapportFout, inhoud, periode_type
from dashboard.rapport.opmaak import pdf
from dashboard.viewer import Viewer
from vthmonitor.export import file_stem

__all__ = ["Rapport", "RapportFout", "bestandsnaam", "maak", "periode_type"]


@dataclass(frozen=True)
class Rapport:
    code: str
    naam: str
    periode: str
    pdf: bytes

    @property
    def bestandsnaam(self) -> str:
        return bestandsnaam(self.naam, self.periode)


def bestandsnaam(naam: str, periode: str) -> str:
    """hengelo_accountrapport_2025-Q4.pdf"""
    return f"{file_stem(naam, 'accountrapport', periode)}.pdf"


def maak(viewer: Viewer, code: str, periode: str) -> Rapport:
    """The report of deelnemer `code` for `periode` (2025, 2025-Q4 or 2025-11), for `viewer`:
    ScopeError when the viewer may not see that deelnemer, RapportFout for a code or period
    without figures."""
    if code not in data.names() or code == data.TOTAAL:
        raise RapportFout(
            f"'{code[:20]}' is geen deelnemer; kies een CBS-code uit de referentiedata "
            "(bijv. GM0164)."
        )
    data.allowed(viewer, [code], totaal=False)
    eigen = () if viewer.sees_all else tuple(viewer.deelnemers)
    content = inhoud(code, periode.strip(), viewer.gebruiker, eigen)
    return Rapport(code, content.naam, content.periode, pdf(content))
