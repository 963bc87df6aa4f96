"""Shared fixtures: a small deterministic sample and a lake per test."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from pipelines.load import load
from pipelines.sample import write_sample
from vthmonitor.settings import Settings

TEST_KEY = "test-pseudoniem-sleutel"
# Far enough after the sample's last export (2026-01-31) that no sample date is "in the future".
TODAY = dt.date(2026, 2, 1)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    # Never touch the developer's own key or lake from a test.
    monkeypatch.setenv("VTHMONITOR_PSEUDONYM_KEY", TEST_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("VTHMONITOR_KOPPELINGEN", raising=False)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(lake_dir=tmp_path / "lake", pseudonym_key_value=TEST_KEY)


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory) -> Path:
    """~5 000 rows: every source, defects and re-deliveries included."""
    out = tmp_path_factory.mktemp("sample")
    write_sample(out, scale=0.005, seed=7)
    return out


@pytest.fixture(scope="session")
def _small_sample_loaded(tmp_path_factory, small_sample) -> Path:
    """The small sample loaded once per session (per xdist worker): copy it, never change it."""
    lake = tmp_path_factory.mktemp("small_sample_lake") / "lake"
    load(Settings(lake_dir=lake, pseudonym_key_value=TEST_KEY), [small_sample], today=TODAY)
    return lake


@pytest.fixture
def sample_lake(tmp_path, _small_sample_loaded) -> Path:
    """A lake of its own with the small sample loaded (`tmp_path / "lake"`), for tests whose
    subject is what comes after a load: a copy of one session-wide load costs a fraction of a
    second, a load of its own a build of the whole sample. The lake holds only relative paths
    (CURRENT names the warehouse file), so the copy is a lake like any other."""
    lake = tmp_path / "lake"
    shutil.copytree(_small_sample_loaded, lake)
    return lake


@pytest.fixture(scope="session")
def project_env() -> dict:
    env = dict(os.environ)
    env["VTHMONITOR_PSEUDONYM_KEY"] = TEST_KEY
    return env
