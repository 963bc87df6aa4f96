"""Data tests: every sql/tests/*.sql returns the failing rows; zero rows is a pass.

They run on a lake built from the sample generator, so they check the KPI layer on realistic
data, including its defects and re-deliveries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_KEY
from vthmonitor.lake import PublishedLake
from vthmonitor.settings import SQL_DIR, Settings

DATA_TESTS = sorted((SQL_DIR / "tests").glob("*.sql"))


@pytest.fixture(scope="module")
def sample_lake(medium_sample_lake):
    lake = PublishedLake(Settings(lake_dir=medium_sample_lake, pseudonym_key_value=TEST_KEY))
    yield lake
    lake.close()


def test_there_are_data_tests():
    assert len(DATA_TESTS) >= 5


@pytest.mark.parametrize("path", DATA_TESTS, ids=lambda p: p.stem)
def test_data_test_returns_no_rows(sample_lake, path: Path):
    cur = sample_lake.cursor()
    result = cur.execute(path.read_text(encoding="utf-8"))
    failing = result.fetchmany(10)
    names = [d[0] for d in result.description]
    assert failing == [], f"{path.name}: {names} {failing}"
