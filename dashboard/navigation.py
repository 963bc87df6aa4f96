"""The pages of the app and which roles see them (data only, so tests and the benchmark can
read it without running the Streamlit script)."""

from __future__ import annotations

ALL_ROLES = ("mt", "accounthouder", "analist", "beheerder")

# (url, file relative to dashboard/app.py as st.Page requires, title, roles that see it); the first
# page a role may see is its start page. The TOP-X list of complaints is internal (MT,
# analysts), so the Klachten page is not offered to accounthouders.
PAGES = [
    ("overzicht", "app_pages/overzicht.py", "Overzicht", ("mt", "analist", "beheerder")),
    ("deelnemer", "app_pages/deelnemer.py", "Deelnemer", ALL_ROLES),
    ("robuustheid", "app_pages/robuustheid.py", "Robuustheid", ALL_ROLES),
    ("verbeterplan", "app_pages/verbeterplan.py", "Verbeterplan", ALL_ROLES),
    (
        "hr_financien",
        "app_pages/hr_financien.py",
        "HR & Financiën",
        ("mt", "analist", "beheerder"),
    ),
    ("naleving", "app_pages/naleving.py", "Naleving", ("mt", "analist")),
    ("klachten", "app_pages/klachten.py", "Klachten", ("mt", "analist")),
    ("datakwaliteit", "app_pages/datakwaliteit.py", "Datakwaliteit", ALL_ROLES),
    # Ad-hoc SQL sees every deelnemer's rows, so it is for analysts only (docs/domein.md, roles).
    ("sql", "app_pages/sql_werkbank.py", "SQL-werkbank", ("analist",)),
    # The users list and the activity trail (docs/toegang.md).
    ("beheer", "app_pages/beheer.py", "Beheer", ("beheerder",)),
]

# The navigation's groups, by purpose: the account meeting, trends against norms, the data
# itself and its management.
SECTIONS = {
    "overzicht": "Overleg",
    "deelnemer": "Overleg",
    "robuustheid": "Trends en normen",
    "verbeterplan": "Trends en normen",
    "hr_financien": "Trends en normen",
    "naleving": "Trends en normen",
    "klachten": "Trends en normen",
    "datakwaliteit": "Gegevens en beheer",
    "sql": "Gegevens en beheer",
    "beheer": "Gegevens en beheer",
}
