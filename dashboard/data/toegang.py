"""Data access for login, the users list and the activity trail (docs/toegang.md).

The users list and trail live in the app-state database (vthmonitor/toegang.py), never in the
published warehouse: a load or rebuild does not touch them. Nothing here is cached between
runs: a user the beheerder disables loses access at their next run.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard.data import deelnemers
from dashboard.data.werkbank import state
from dashboard.format import AMSTERDAM
from dashboard.viewer import Viewer
from vthmonitor.settings import Settings
from vthmonitor.toegang import Gebruiker, Toegang

LIMIET = 10_000  # lines of the trail the Beheer page shows and hands out at most


@st.cache_resource
def _toegang() -> Toegang:
    return Toegang(Settings.from_env(), state())


def settings() -> Settings:
    return _toegang().settings


def gebruiker(identiteit: str) -> Gebruiker | None:
    return _toegang().gebruiker(identiteit)


def registreer(viewer: Viewer, actie: str, **details) -> None:
    """One line of the activity trail for this viewer (demo users included: their actions are
    as traceable as anyone's)."""
    _toegang().registreer(viewer.gebruiker, viewer.role, actie, **details)


def gebruikers() -> pl.DataFrame:
    return _toegang().gebruikers()


def opslaan(gebruiker_: Gebruiker, door: Viewer) -> None:
    """Add or change a user (the Beheer page; beheerders only, checked here as well)."""
    if door.role != "beheerder":
        raise PermissionError("Alleen de beheerder beheert gebruikers.")
    codes = deelnemers()["code"].to_list()
    _toegang().opslaan(gebruiker_, door.gebruiker, codes)


def activiteit(
    door: Viewer,
    gebruiker_: str | None = None,
    actie: str | None = None,
    deelnemer: str | None = None,
    vanaf: dt.date | None = None,
    tot_en_met: dt.date | None = None,
) -> pl.DataFrame:
    """The activity trail for the beheerder, newest first; days and times in Europe/Amsterdam."""
    if door.role != "beheerder":
        raise PermissionError("Alleen de beheerder ziet het activiteitenlog.")

    def local_midnight(day: dt.date | None) -> dt.datetime | None:
        return dt.datetime.combine(day, dt.time(), AMSTERDAM) if day else None

    return _toegang().activiteit(
        gebruiker_,
        actie,
        deelnemer,
        local_midnight(vanaf),
        local_midnight(tot_en_met + dt.timedelta(days=1) if tot_en_met else None),
        limiet=LIMIET,
    )
