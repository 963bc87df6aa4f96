"""Dutch formatting for display: 1.234,5 and 31-12-2025 (not the browser's locale)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def getal(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def datum(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    if value is None:
        return "–"
    if with_time and isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def tijdstip(value: dt.datetime | None) -> str:
    """A moment stored with a time zone (the app state keeps UTC) as Dutch local time."""
    if value is None:
        return "–"
    return datum(value.astimezone(AMSTERDAM), with_time=True)


def met_eenheid(value: float | None, eenheid: str) -> str:
    """A KPI value in Dutch notation with its unit (EUR in millions: EUR 16,8 mln)."""
    if value is None:
        return "–"
    if eenheid == "EUR":
        return f"EUR {getal(value / 1_000_000, 1)} mln"
    if eenheid == "procent":
        return f"{getal(value, 1)}%"
    if eenheid == "aantal":
        return getal(value)
    return f"{getal(value, 1)} {eenheid}"
