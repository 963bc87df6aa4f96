"""The one clock of the lake: wall-clock time in Europe/Amsterdam.

The lake's timestamps (loads, builds, quarantine, erasures) are naive local times in
Europe/Amsterdam, whatever the server's own time zone (containers run in UTC): users read
them beside the activity trail, which the app shows in Amsterdam time too (docs/architectuur.md,
"Tijd"). The app state (users, trail, workbench audit) stores aware UTC and converts on display.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def nu() -> dt.datetime:
    """Now, as a naive wall-clock time in Amsterdam."""
    return dt.datetime.now(AMSTERDAM).replace(tzinfo=None)


def vandaag() -> dt.date:
    """Today in Amsterdam (the day a load counts as when a file names none)."""
    return dt.datetime.now(AMSTERDAM).date()
