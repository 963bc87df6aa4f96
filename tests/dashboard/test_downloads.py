"""The bytes the app's download buttons hand out (AppTest) neutralise formula text
(docs/exports.md); the export functions themselves are tested in tests/vthmonitor/test_export.py."""

from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import add_user, downloaded, logged_in, new_app, open_page
from tests.vthmonitor.test_export import cells, formulas, hyperlinks


@pytest.fixture
def state_file(lake_env, tmp_path, monkeypatch):
    path = tmp_path / "werkbank.sqlite3"
    monkeypatch.setenv("VTHMONITOR_APP_STATE", str(path))
    return path


def werkbank(sql: str) -> AppTest:
    at = new_app()
    logged_in(at, add_user("analist", ident="anna"))
    at.run()
    at.switch_page("app_pages/sql_werkbank.py").run()
    at.text_area(key="werkbank_sql").input(sql)
    at.button(key="werkbank_uitvoeren").click().run()
    assert not at.exception
    return at


def test_workbench_downloads_are_neutralised(state_file, media):
    at = werkbank(
        "select '=1+1' as formule, '@SUM(A1)' as functie, -12.5 as bedrag, "
        "'https://example.org' as url, ['-1+2'] as lijst"
    )
    csv = downloaded(at, media, "werkbank_csv").decode("utf-8-sig")
    assert csv == (
        "formule;functie;bedrag;url;lijst\n'=1+1;'@SUM(A1);-12,5;https://example.org;['-1+2']\n"
    )
    xlsx = downloaded(at, media, "werkbank_xlsx")
    assert formulas(xlsx) == [] and hyperlinks(xlsx) == []
    assert cells(xlsx)["A2"]["tekst"] == "=1+1" and cells(xlsx)["C2"]["getal"] == -12.5


def test_a_dashboard_table_download_is_neutralised(state_file, media):
    # An analyst's query text is user input that ends up in the beheerder's audit log table.
    query = '=HYPERLINK("https://example.org","klik")'
    werkbank(query)
    at = open_page("datakwaliteit", "beheerder")
    text = downloaded(at, media, "auditlog-csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert [r["sql"] for r in rows] == ["'" + query]
    xlsx = downloaded(at, media, "auditlog-xlsx")
    assert formulas(xlsx) == [] and hyperlinks(xlsx) == []
    assert query in [c["tekst"] for c in cells(xlsx).values()]
