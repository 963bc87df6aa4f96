"""Saving a workbench query under a name (docs/sql-werkbank.md): a name the analyst already
used asks first, because saving again replaces that query."""

from __future__ import annotations

import streamlit as st

from dashboard.data import werkbank
from dashboard.viewer import Viewer
from vthmonitor.werkbank.app_state import InvalidSavedQuery

VERVANG_KEY = "werkbank_vervang_vraag"  # the name the user was asked about replacing


def opslaan(viewer: Viewer, editor_key: str, naam_key: str, notice_key: str) -> None:
    """The name field and the save button under the editor, with the question before a query
    of the same name is replaced."""
    naam_col, knop_col = st.columns([3, 1], vertical_alignment="bottom")
    naam_col.text_input("Naam om de query op te slaan", key=naam_key)
    naam = st.session_state.get(naam_key, "").strip()
    gevraagd = st.session_state.get(VERVANG_KEY)
    if knop_col.button("Opslaan", key="werkbank_opslaan", icon=":material/bookmark:"):
        if naam and werkbank.bestaat(viewer, naam) and gevraagd != naam:
            st.session_state[VERVANG_KEY] = gevraagd = naam
        else:
            _bewaar(viewer, naam, editor_key, notice_key)
    if gevraagd and gevraagd == naam:
        st.warning(
            f"U hebt al een query met de naam '{naam}'. Wilt u die vervangen door deze?",
            icon=":material/help:",
        )
        ja, nee = st.columns(2)
        if ja.button("Vervangen", key="werkbank_vervangen", type="primary"):
            _bewaar(viewer, naam, editor_key, notice_key, vervangen=True)
        if nee.button("Niet vervangen", key="werkbank_niet_vervangen"):
            st.session_state.pop(VERVANG_KEY, None)
            st.rerun()


def _bewaar(
    viewer: Viewer, naam: str, editor_key: str, notice_key: str, vervangen: bool = False
) -> None:
    try:
        werkbank.opslaan(viewer, naam, st.session_state.get(editor_key, ""))
    except InvalidSavedQuery as exc:
        st.warning(str(exc))
        return
    st.session_state.pop(VERVANG_KEY, None)
    st.session_state[notice_key] = (
        f"{'Vervangen' if vervangen else 'Opgeslagen als'} '{naam}'. U vindt hem onder "
        "Opgeslagen, ook na een nieuwe lading."
    )
    st.rerun()
