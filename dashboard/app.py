"""VTH-monitor, the Streamlit app: the viewer (demo mode) and the navigation; pages live in
dashboard/app_pages/ and get the viewer through dashboard.components.viewer()."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import components  # noqa: E402 - needs the path above
from dashboard.navigation import PAGES  # noqa: E402
from vthmonitor.lake import NoLake  # noqa: E402

st.set_page_config(page_title="VTH-monitor", layout="wide")

try:
    viewer = components.start()
except NoLake as exc:
    st.title("VTH-monitor")
    st.warning(str(exc))
    st.stop()

allowed = [(name, path, title) for name, path, title, roles in PAGES if viewer.role in roles]
pages = [
    st.Page(path, title=title, url_path=name, default=index == 0)
    for index, (name, path, title) in enumerate(allowed)
]
page = st.navigation(pages)
st.session_state["_pagina"] = page.title
try:
    page.run()
finally:
    # Every page view is in the activity trail (docs/toegang.md), with the deelnemers and
    # selection the page declared (components.bekeken).
    components.vastleggen()
