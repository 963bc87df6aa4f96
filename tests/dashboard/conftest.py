"""AppTest helpers: one sample lake for all dashboard tests, and a way to open a page as a
given viewer (demo mode: role and deelnemer are widget values in the session)."""

from __future__ import annotations

import functools
import logging
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from pipelines.build import read_reference
from tests.conftest import TEST_KEY, copy_lake
from vthmonitor.lake import PublishedLake
from vthmonitor.settings import Settings
from vthmonitor.toegang import Gebruiker, Toegang

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture(scope="session")
def dashboard_lake(tmp_path_factory, medium_sample_lake) -> Settings:
    """The sample at scale 0.02, loaded once per run; this process reads its own copy."""
    own = copy_lake(medium_sample_lake, tmp_path_factory.mktemp("dashboard") / "lake")
    return Settings(lake_dir=own, pseudonym_key_value=TEST_KEY)


class _Fouten(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fouten_in_de_app():
    """Every failure the app turned into a Dutch notice (dashboard/fouten.py) fails the test, as
    a traceback did before: `not at.exception` alone would no longer see it. A test that
    provokes one on purpose reads and clears this list."""
    handler = _Fouten()
    logger = logging.getLogger("vthmonitor.dashboard")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


@pytest.fixture
def lake_env(dashboard_lake, monkeypatch) -> Settings:
    monkeypatch.setenv("VTHMONITOR_LAKE", str(dashboard_lake.lake_dir))
    # docs/valkuilen.md §9: cached resources (the lake handle, the app state, the workers) leak
    # between AppTests, so they go. Cached query results stay, as they do between sessions in
    # production: their key holds the build id, and every build has its own.
    st.cache_resource.clear()
    yield dashboard_lake
    st.cache_resource.clear()


@pytest.fixture
def private_lake(lake_env, tmp_path, monkeypatch) -> Settings:
    """A copy of the dashboard lake for a test that loads into it: the session's lake is shared
    by every dashboard test (of one xdist worker, in whatever order they run) and stays as
    built."""
    copy = replace(lake_env, lake_dir=tmp_path / "lake")
    shutil.copytree(lake_env.lake_dir, copy.lake_dir)
    monkeypatch.setenv("VTHMONITOR_LAKE", str(copy.lake_dir))
    st.cache_resource.clear()
    st.cache_data.clear()
    return copy


def drop_relation(settings: Settings, schema: str, name: str) -> None:
    """Remove a table or view from the published warehouse of a private lake: a lake built by
    an older version that lacks it."""
    import duckdb

    from vthmonitor.lake import LakePaths, published_warehouse

    with duckdb.connect(str(published_warehouse(LakePaths(settings.lake_dir)))) as con:
        kind = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
        # the names are this test code's own constants, checked against the catalogue above
        con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} {schema}.{name}")


@pytest.fixture
def warehouse(lake_env):
    """A cursor on the same published warehouse the app reads, to compare with."""
    lake = PublishedLake(lake_env)
    yield lake.cursor()
    lake.close()


# A login provider is configured (an [auth] section), so the app runs as it does in production:
# AppTest hands it the identity (`at.user`, what Streamlit reads from its signed cookie) and
# the role comes from the users list in the app-state database. The provider itself is never
# contacted here; tests/browser/test_inlog_browser.py logs in through a real one.
AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret-test-cookie-secret",
        "client_id": "vthmonitor-test",
        "client_secret": "test-client-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


def identity(role: str, deelnemer: str | None = None) -> str:
    """The test user of a role (and an accounthouder's deelnemer), e.g. accounthouder-gm0164."""
    return f"{role}-{deelnemer.lower()}" if deelnemer else role


def add_user(role: str, deelnemer: str | None = None, ident: str | None = None) -> str:
    """Put a user in the users list of the app-state database the app reads; returns the
    identity. Idempotent."""
    settings = Settings.from_env()
    ident = ident or identity(role, deelnemer)
    known = read_reference(settings, "deelnemers", {})["code"].to_list()
    Toegang(settings).opslaan(
        Gebruiker(ident, ident, role, (deelnemer,) if deelnemer else ()), "test", known
    )
    return ident


def logged_in(at: AppTest, ident: str) -> AppTest:
    """This AppTest as `ident`, logged in through the configured provider (the subject claim)."""
    at.secrets = AUTH_SECRETS
    at.user = {"sub": ident, "is_logged_in": True}
    return at


def open_page(
    page: str | None,
    role: str,
    deelnemer: str | None = None,
    query: dict | None = None,
    user: str | None = None,
) -> AppTest:
    """Run the app, logged in as a user with this role (and deelnemer), on this page (None = the
    role's start page). `user` names the identity (default: one per role and deelnemer).

    A page whose url is its file name is opened at once, as a link to it opens it; any other
    page (and a page the role may not see) is reached through the navigation, after a first
    run of the start page (AppTest knows a page by url only once st.navigation registered it).
    """
    at = logged_in(new_app(), add_user(role, deelnemer, user))
    for key, value in (query or {}).items():
        at.query_params[key] = value
    visible = {name for name, _, _, roles in PAGES if role in roles}
    if page is not None and page in visible and page in _PAGE_FILES:
        at.switch_page(f"app_pages/{page}.py")
        page = None
    at.run()
    if page is not None:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    return at


def new_app(timeout: float = 90) -> AppTest:
    """An AppTest of the app, not yet run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at._bidi_component_manager = _components()
    return at


@functools.cache
def _components() -> BidiComponentManager:
    """Streamlit's registry of installed custom components, scanned once per process: every
    new AppTest scans all installed packages' metadata (0,3 s) otherwise, and the app uses no
    custom components (AppTest's own attribute; it has no public setter)."""
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


# the pages whose url is their file name (AppTest can open those before the first run)
_PAGE_FILES = {name for name, path, _, _ in PAGES if Path(path).stem == name}


def texts(at: AppTest) -> str:
    """Everything the page wrote as text (markdown, captions, metrics, titles)."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.title] + [e.value for e in at.subheader]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def media(monkeypatch) -> list[MediaFileManager]:
    """The media file managers of the AppTest runs (the app stores download bytes there)."""
    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", Recording)
    return managers


def downloaded(at: AppTest, media: list[MediaFileManager], key: str) -> bytes:
    """The bytes a click on the download button with this key gives, from the last run."""
    return downloaded_file(at, media, key).content


def downloaded_file(at: AppTest, media: list[MediaFileManager], key: str):
    """The file (content, filename) a click on the download button with this key gives."""
    buttons = [b.proto for b in at.get("download_button") if b.key == key]
    assert len(buttons) == 1, key
    button, manager = buttons[0], media[-1]
    url = (
        manager.execute_deferred(button.deferred_file_id)
        if button.HasField("deferred_file_id")
        else button.url
    )
    return manager.read_file(os.path.basename(url).split(".")[0])
