"""Data access for the report button and the subscriptions (docs/rapport.md): the app-state
database through vthmonitor/abonnementen.py, checked against the viewer here (an accounthouder
manages only their own subscriptions, for their own deelnemers; the beheerder everyone's)."""

from __future__ import annotations

import polars as pl

from dashboard.data import deelnemers
from dashboard.data.toegang import _toegang
from dashboard.viewer import ScopeError, Viewer
from vthmonitor.abonnementen import Abonnement, Abonnementen


def _store() -> Abonnementen:
    return Abonnementen(_toegang())


def eigen(viewer: Viewer) -> list[Abonnement]:
    """The viewer's own subscriptions."""
    return _store().lijst(viewer.gebruiker) if "@" in viewer.gebruiker else []


def kan_abonneren(viewer: Viewer) -> bool:
    """Reports go to the e-mail address one logs in with: not to a demo user."""
    return "@" in viewer.gebruiker and _toegang().gebruiker(viewer.gebruiker) is not None


def aanmelden(
    viewer: Viewer,
    soort: str,
    deelnemer: str | None,
    voor: str | None = None,
    periode_type: str = "kwartaal",
) -> None:
    """Subscribe the viewer (or, for the beheerder, the user `voor`: an empty text is refused,
    never read as the beheerder)."""
    wie = viewer.gebruiker if voor is None else voor
    if wie != viewer.gebruiker and viewer.role != "beheerder":
        raise ScopeError("Alleen de beheerder abonneert anderen.")
    _store().toevoegen(
        wie,
        soort,
        deelnemer,
        (viewer.gebruiker, viewer.role),
        deelnemers()["code"].to_list(),
        periode_type,
    )


def afmelden(viewer: Viewer, abonnement_id: int) -> bool:
    """End a subscription: one's own, or any for the beheerder."""
    alleen = None if viewer.role == "beheerder" else viewer.gebruiker
    return _store().verwijderen(abonnement_id, (viewer.gebruiker, viewer.role), alleen_van=alleen)


def alle(viewer: Viewer) -> pl.DataFrame:
    if viewer.role != "beheerder":
        raise ScopeError("Het overzicht van de abonnementen is voor de beheerder.")
    return _store().tabel()
