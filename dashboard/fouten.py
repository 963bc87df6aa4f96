"""What a user sees when a page or block fails: a Dutch notice that says what to do and a
reference to find the details in the server log, never a traceback (docs/dashboard.md,
"Fouten"). Streamlit's own error box is switched off too (`client.showErrorDetails = none`),
for whatever slips past this."""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import duckdb
import streamlit as st

from vthmonitor import tijd

log = logging.getLogger("vthmonitor.dashboard")
P = ParamSpec("P")

VEROUDERD = (
    "De gegevens passen niet bij deze versie van VTH-monitor: een tabel die dit onderdeel "
    "nodig heeft, ontbreekt in de gegevens. Vraag de beheerder de gegevens opnieuw op te "
    "bouwen met `vthmonitor rebuild`; daarna werkt dit onderdeel weer."
)
ONBEKEND = (
    "Dit onderdeel kon niet worden getoond door een fout in VTH-monitor. De rest van de "
    "pagina werkt wel. Meld het de beheerder met de code hieronder."
)


def melding(exc: Exception) -> str:
    """The notice for a failure: what happened in words a user understands, what to do, and a
    reference that is also in the server log."""
    code = secrets.token_hex(3)
    log.error("fout %s op %s", code, st.session_state.get("_pagina", "?"), exc_info=exc)
    uitleg = VEROUDERD if isinstance(exc, duckdb.CatalogException) else ONBEKEND
    return f"{uitleg}\n\nCode {code}, {tijd.nu():%d-%m-%Y %H:%M}."


@contextmanager
def grens() -> Iterator[None]:
    """Run a page or a block; a failure becomes a Dutch notice in its place. Streamlit's
    st.stop and st.rerun are BaseExceptions and pass through."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every failure becomes the notice, none a traceback
        st.error(melding(exc), icon=":material/error:")


def bewaakt(func: Callable[P, None]) -> Callable[P, None]:
    """`grens` around a function: for fragments and dialogs, which Streamlit re-runs on their
    own, outside the page's `grens`."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with grens():
            func(*args, **kwargs)

    return run
