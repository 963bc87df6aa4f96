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
    "Dit onderdeel zoekt een tabel of kolom die in de gegevens ontbreekt. Meestal zijn de "
    "gegevens gebouwd door een oudere versie van VTH-monitor: vraag de beheerder ze opnieuw op "
    "te bouwen met `vthmonitor rebuild`. Helpt dat niet, meld dit dan aan de beheerder en noem "
    "de code hieronder."
)
ONBEKEND = (
    "Dit onderdeel kon niet worden getoond door een fout in VTH-monitor. De rest van de "
    "pagina werkt wel. Meld dit aan de beheerder en noem de code hieronder."
)
# Every notice ends with this (tests and `make bench` look for it).
NOEM_DE_CODE = "noem de code hieronder"
PAGINA = (
    "Deze pagina kon niet worden getoond door een fout in VTH-monitor. Andere pagina's werken "
    "wel. Meld dit aan de beheerder en noem de code hieronder."
)


def _ontbreekt(exc: Exception) -> bool:
    """A relation or column the query needs is not in the warehouse (DuckDB's words), as in a
    lake built by an older version; not a missing function or extension."""
    tekst = str(exc)
    if isinstance(exc, duckdb.CatalogException):
        return "Table with name" in tekst or "does not exist" in tekst
    return isinstance(exc, duckdb.BinderException) and "not found" in tekst


def melding(exc: Exception, pagina: bool = False) -> str:
    """The notice for a failure: what happened in words a user understands, what to do, and a
    reference that is also in the server log."""
    code = secrets.token_hex(3)
    log.error("fout %s op %s", code, st.session_state.get("_pagina", "?"), exc_info=exc)
    uitleg = VEROUDERD if _ontbreekt(exc) else PAGINA if pagina else ONBEKEND
    return f"{uitleg}\n\nCode {code}, {tijd.nu():%d-%m-%Y %H:%M}."


@contextmanager
def grens(pagina: bool = False) -> Iterator[None]:
    """Run a page (`pagina`) or a block; a failure becomes a Dutch notice in its place.
    Streamlit's st.stop and st.rerun are BaseExceptions and pass through."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every failure becomes the notice, none a traceback
        st.error(melding(exc, pagina), icon=":material/error:")


def bewaakt(func: Callable[P, None]) -> Callable[P, None]:
    """`grens` around a function: for fragments and dialogs, which Streamlit re-runs on their
    own, outside the page's `grens`."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with grens():
            func(*args, **kwargs)

    return run
