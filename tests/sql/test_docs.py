"""Every relation and column the analysts see in the schema browser carries a description.

The descriptions come from the comment block at the top of each sql/<layer>/<name>.sql (see
pipelines/models.py). The check runs on a built lake, so it covers whatever relations the
documented schemas hold, including ones added later.
"""

from __future__ import annotations

import pytest

from pipelines.models import models
from tests.conftest import TEST_KEY, copy_lake
from vthmonitor.lake import PublishedLake
from vthmonitor.settings import Settings
from vthmonitor.werkbank.sandbox import PUBLIC_SCHEMAS

# The schemas of the schema browser: exactly what the SQL workbench may read.
DOCUMENTED = PUBLIC_SCHEMAS
_IN_DOCUMENTED = f"schema_name in {tuple(PUBLIC_SCHEMAS)}"


@pytest.fixture(scope="module")
def lake(tmp_path_factory, small_sample_load):
    """One lake for the whole module: a copy of the session's load of the small sample."""
    source = small_sample_load.settings.lake_dir
    target = tmp_path_factory.mktemp("docs") / "lake"
    settings = Settings(lake_dir=copy_lake(source, target), pseudonym_key_value=TEST_KEY)
    reader = PublishedLake(settings)
    yield reader.cursor()
    reader.close()


def _missing(rows: list[tuple]) -> str:
    return "\n".join("  " + ".".join(row) for row in rows)


def test_every_model_is_in_the_lake(lake):
    # Guards the checks below against passing on an empty catalogue.
    relations = {
        f"{schema}.{name}"
        for schema, name in lake.execute(
            f"select schema_name, table_name from duckdb_tables() where {_IN_DOCUMENTED} "
            f"union all select schema_name, view_name from duckdb_views() where {_IN_DOCUMENTED}"
        ).fetchall()
    }
    expected = {m.relation for layer in DOCUMENTED for m in models(layer)}
    assert expected <= relations, f"modellen zonder relatie: {sorted(expected - relations)}"
    assert {r.split(".")[0] for r in relations} >= {"staging", "meta"}


def test_every_relation_has_a_description(lake):
    missing = lake.execute(
        f"""
        select schema_name, table_name from duckdb_tables()
        where {_IN_DOCUMENTED} and coalesce(trim(comment), '') = ''
        union all
        select schema_name, view_name from duckdb_views()
        where {_IN_DOCUMENTED} and coalesce(trim(comment), '') = ''
        order by all
        """
    ).fetchall()
    assert not missing, (
        "relaties zonder beschrijving (commentaarblok bovenaan sql/<laag>/<naam>.sql):\n"
        + _missing(missing)
    )


def test_every_column_has_a_description(lake):
    missing = lake.execute(
        f"""
        select schema_name, table_name, column_name from duckdb_columns()
        where {_IN_DOCUMENTED} and coalesce(trim(comment), '') = ''
        order by schema_name, table_name, column_index
        """
    ).fetchall()
    assert not missing, (
        f"{len(missing)} kolommen zonder beschrijving (voeg '-- kolom <naam>: <beschrijving>' "
        "toe bovenaan sql/<laag>/<naam>.sql):\n" + _missing(missing)
    )
