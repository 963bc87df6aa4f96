"""VTH-monitor, the Streamlit app: the viewer (demo mode) and the navigation; pages live in
dashboard/app_pages/ and get the viewer through dashboard.components.viewer()."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import components, fouten  # noqa: E402 - needs the path above
from dashboard.navigation import PAGES, SECTIONS  # noqa: E402
from vthmonitor.lake import NoLake  # noqa: E402

st.set_page_config(page_title="VTH-monitor", layout="wide")
# The page's language, for screen readers and hyphenation (WCAG 3.1.1): Streamlit's own
# index.html says "en" and has no setting for it (docs/dashboard.md, "Status en
# toegankelijkheid").
st.html("<script>document.documentElement.lang = 'nl';</script>", unsafe_allow_javascript=True)
# A KPI card's title and value wrap instead of ending in "..." (Streamlit cuts both to one
# line: "Her- en handhavingscontroles per periodieke controle" and "24,84 per 1.000 inwoners"
# lost their meaning at 1440 px).
st.html(
    "<style>[data-testid=stMetricLabel] .stMarkdownEllipsis, "
    "[data-testid=stMetricLabel] .stMarkdownEllipsis p, [data-testid=stMetricValue], "
    "[data-testid=stMetricValue] * "
    "{white-space: normal !important; overflow: visible !important; "
    "text-overflow: clip !important;}"
    # the shortcut on a primary button ("Ctrl + Enter" on Uitvoeren) is drawn in a faded text
    # colour on the dark blue: 4,5:1 at least (WCAG 1.4.3), found by axe
    "[data-testid=stBaseButton-primary] kbd {color: #ffffff !important; opacity: 1 !important;}"
    "</style>"
)
menu = st.sidebar.container()  # the navigation, above the login or demo box

viewer = None
with fouten.grens(pagina=True):  # the viewer, the build and its freshness are read here too
    try:
        viewer = components.start()
    except NoLake as exc:
        st.title("VTH-monitor")
        st.warning(str(exc))
        st.stop()
if viewer is None:
    st.stop()

# Every page keeps its own address (/deelnemer), also the role's start page, so a link to it
# works for everyone; the root is a hidden page that sends each role to its start page, with
# the link's parameters. Pages are grouped by purpose (dashboard/navigation.py).
allowed = [(name, path, title) for name, path, title, roles in PAGES if viewer.role in roles]
pages = {name: st.Page(path, title=title, url_path=name) for name, path, title in allowed}
start = next(iter(pages.values()))
root = st.Page(lambda: None, title="Start", url_path="start", default=True, visibility="hidden")
sections: dict[str, list] = {}
for name, page in pages.items():
    sections.setdefault(SECTIONS[name], []).append(page)
# Our own menu of links under a heading per group: Streamlit's grouped menu puts its group
# headers inside the list (<ul><div>), which screen readers cannot follow (axe: list,
# listitem; docs/dashboard.md, "Status en toegankelijkheid").
page = st.navigation([root, *pages.values()], position="hidden")
if page is root:
    st.switch_page(start, query_params=st.query_params.to_dict())
with menu:
    for section, items in sections.items():
        st.markdown(f"**{section}**")
        for item in items:
            st.page_link(item)
st.session_state["_pagina"] = page.title
try:
    with fouten.grens(pagina=True):  # a Dutch notice, never a traceback (docs/dashboard.md)
        page.run()
finally:
    # Every page view is in the activity trail (docs/toegang.md), with the deelnemers and
    # selection the page declared (components.bekeken).
    components.vastleggen()
