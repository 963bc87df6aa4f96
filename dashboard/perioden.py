"""Period arithmetic for labels and date ranges (no data): the previous period, the same period
a year earlier, the first and last day of a period, its months and quarter. A period is named
as in kpi.waarden: 2025 (jaar), 2025-Q3 (kwartaal), 2025-07 (maand)."""

from __future__ import annotations

import datetime as dt

PERIODE_TYPES = ("jaar", "kwartaal", "maand")
TYPE_LABELS = {"jaar": "Jaar", "kwartaal": "Kwartaal", "maand": "Maand"}
# "per maand", for a sentence
PER = {"jaar": "per jaar", "kwartaal": "per kwartaal", "maand": "per maand"}


def maandnummer(periode_type: str, periode: str) -> int:
    jaar = int(periode[:4])
    if periode_type == "jaar":
        return 12 * jaar
    if periode_type == "kwartaal":
        return 12 * jaar + 3 * (int(periode[-1]) - 1)
    return 12 * jaar + int(periode[5:7]) - 1


def periode_uit(periode_type: str, nummer: int) -> str:
    """The period of this type that contains month number `nummer` (12 x year + month - 1)."""
    jaar, maand = divmod(nummer, 12)
    if periode_type == "jaar":
        return str(jaar)
    if periode_type == "kwartaal":
        return f"{jaar}-Q{maand // 3 + 1}"
    return f"{jaar}-{maand + 1:02d}"


def vorige_periode(periode_type: str, periode: str) -> str:
    stap = {"jaar": 12, "kwartaal": 3, "maand": 1}[periode_type]
    return periode_uit(periode_type, maandnummer(periode_type, periode) - stap)


def zelfde_periode_vorig_jaar(periode_type: str, periode: str) -> str:
    return periode_uit(periode_type, maandnummer(periode_type, periode) - 12)


def grenzen(periode_type: str, periode: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period (inclusive)."""
    begin = maandnummer(periode_type, periode)
    lengte = {"jaar": 12, "kwartaal": 3, "maand": 1}[periode_type]
    jaar, maand = divmod(begin, 12)
    volgend_jaar, volgende_maand = divmod(begin + lengte, 12)
    eerste = dt.date(jaar, maand + 1, 1)
    return eerste, dt.date(volgend_jaar, volgende_maand + 1, 1) - dt.timedelta(days=1)


def maanden(periode_type: str, periode: str) -> list[str]:
    """The months (2025-07) of the period."""
    begin = maandnummer(periode_type, periode)
    lengte = {"jaar": 12, "kwartaal": 3, "maand": 1}[periode_type]
    return [periode_uit("maand", begin + i) for i in range(lengte)]


def kwartaal_van(periode_type: str, periode: str) -> str:
    """The quarter a period falls in (a month's quarter; a quarter itself)."""
    return periode_uit("kwartaal", maandnummer(periode_type, periode))
