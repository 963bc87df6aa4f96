"""The data contract (pipelines/contract.py) is the one description of the sources: the sample
writes every source in the contract's columns only, and every source has a staging model."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.contract import SOURCES, kind_from_filename
from pipelines.mapping import DEFAULT_MAPPING, ExportMapping
from pipelines.readers import detect_encoding, map_header
from pipelines.sample import EXPORTS
from vthmonitor.settings import SQL_DIR

NAMES = sorted(SOURCES)


def header(path: Path) -> list[str]:
    """The header cells of a sample file, as an export shows them."""
    if path.suffix == ".xlsx":
        first = pl.read_excel(path, has_header=False, infer_schema_length=0).row(0)
        return [cell or "" for cell in first]
    data = path.read_bytes()
    line = data.split(b"\n", 1)[0].rstrip(b"\r")
    return line.decode(detect_encoding(data)).lstrip("\ufeff").split(";")


@pytest.fixture(scope="module")
def written(small_sample) -> dict[str, list[tuple[str, list[str]]]]:
    """source -> (file name, canonical header) of every file of the sample, its header mapped
    as the loader maps it: through the shipped mapping file (pipelines/mappings/)."""
    aliases = ExportMapping.from_files([DEFAULT_MAPPING]).aliases
    files: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted(p for p in small_sample.rglob("*") if p.suffix in (".csv", ".xlsx")):
        kind = kind_from_filename(path.name)
        assert kind is not None, f"{path.name}: the loader cannot tell which source this is"
        canonical, _ = map_header(header(path), SOURCES[kind], aliases.get(kind, {}))
        files.setdefault(kind, []).append((path.name, canonical))
    return files


@pytest.mark.parametrize("name", NAMES)
def test_the_sample_exports_every_source(name):
    assert name in {export.source for export in EXPORTS}, (
        f"the sample's export table (pipelines/sample/__init__.py, EXPORTS) has no row for {name}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_sample_writes_only_contract_columns(written, name):
    assert written.get(name), f"the sample wrote no file for {name}"
    known = {c.name for c in SOURCES[name].columns}
    for filename, columns in written[name]:
        extra = [c for c in columns if c not in known]
        assert not extra, f"{filename} has columns the contract lacks: {extra}"


@pytest.mark.parametrize("name", NAMES)
def test_the_sample_writes_every_contract_column(written, name):
    """The sample is the demo and test data of every column: a column added to the contract
    is added to the sample too."""
    for filename, columns in written.get(name, []):
        missing = [c.name for c in SOURCES[name].columns if c.name not in columns]
        assert not missing, f"{filename} lacks contract columns: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_every_source_has_a_staging_model(name):
    assert (SQL_DIR / "staging" / f"{name}.sql").is_file(), f"no sql/staging/{name}.sql"
