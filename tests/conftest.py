"""Shared fixtures: a small deterministic sample and a lake per test."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.load import LoadReport, load
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


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that `build` fills once per test run. Under xdist the first worker to ask builds
    it in the run's common temp folder while the others wait on a lock, then every worker reads
    it (the pattern of the pytest-xdist docs). Never change what is in it: copy it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    common = tmp_path_factory.getbasetemp().parent
    folder, done = common / name, common / f"{name}.klaar"
    with open(common / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory) -> Path:
    """~5 000 rows: every source, defects and re-deliveries included (read only)."""
    return built_once(
        tmp_path_factory, "sample", lambda out: write_sample(out, scale=0.005, seed=7)
    )


@dataclass(frozen=True)
class SampleLoad:
    settings: Settings
    report: LoadReport


@pytest.fixture(scope="session")
def small_sample_load(tmp_path_factory, small_sample) -> SampleLoad:
    """The small sample loaded once per run, and its report; this process reads its own copy.
    Read it, never change it: a test that loads into it or writes next to it takes a copy
    (`sample_lake`, `copy_lake`)."""

    def build(folder: Path) -> None:
        settings = Settings(lake_dir=folder / "lake", pseudonym_key_value=TEST_KEY)
        report = load(settings, [small_sample], today=TODAY)
        (folder / "report.pickle").write_bytes(pickle.dumps(report))

    folder = built_once(tmp_path_factory, "small_sample_lake", build)
    own = tmp_path_factory.mktemp("small_sample_lake") / "lake"
    settings = Settings(lake_dir=copy_lake(folder / "lake", own), pseudonym_key_value=TEST_KEY)
    return SampleLoad(settings, pickle.loads((folder / "report.pickle").read_bytes()))


@pytest.fixture(scope="session")
def medium_sample_lake(tmp_path_factory) -> Path:
    """The sample at scale 0.02 (~20 000 rows), loaded once per run: the lake of the dashboard
    tests and the data tests. Read only: copy it (`copy_lake`) before anything writes."""

    def build(folder: Path) -> None:
        write_sample(folder / "sample", scale=0.02, seed=3)
        settings = Settings(lake_dir=folder / "lake", pseudonym_key_value=TEST_KEY)
        load(settings, [folder / "sample"], today=TODAY)

    return built_once(tmp_path_factory, "medium_sample", build) / "lake"


def copy_lake(source: Path, target: Path) -> Path:
    """A lake of its own, as loaded as `source`: a copy costs a fraction of a second, a load of
    the sample a build of the whole warehouse. A lake holds only relative paths (CURRENT names
    the warehouse file), so the copy is a lake like any other."""
    shutil.copytree(source, target)
    return target


@pytest.fixture
def sample_lake(tmp_path, small_sample_load) -> Path:
    """`tmp_path / "lake"`: a copy of the small sample's load, for tests whose subject is what
    comes after a load."""
    return copy_lake(small_sample_load.settings.lake_dir, tmp_path / "lake")


@pytest.fixture(scope="session")
def project_env() -> dict:
    env = dict(os.environ)
    env["VTHMONITOR_PSEUDONYM_KEY"] = TEST_KEY
    return env
