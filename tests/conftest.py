"""Shared fixtures: a small deterministic sample and a lake per test."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

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
def project_env() -> dict:
    env = dict(os.environ)
    env["VTHMONITOR_PSEUDONYM_KEY"] = TEST_KEY
    return env
