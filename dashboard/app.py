"""VTH-monitor, the Streamlit app. Navigation only; pages live in dashboard/app_pages/."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

st.set_page_config(page_title="VTH-monitor", layout="wide")

pages = [
    st.Page(
        "app_pages/bronnen.py",  # relative to this file, as st.Page requires
        title="Bronnen per deelnemer",
        default=True,
    ),
]
st.navigation(pages).run()
