"""Data access for the dashboard: the only module that runs queries; pages call these functions.

Queries go to the published warehouse through pipelines.lake.PublishedLake, which follows
CURRENT, so the app shows a new load without a restart. One PublishedLake per process
(st.cache_resource), a cursor per query (pitfall 1).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipelines.lake import PublishedLake
from pipelines.settings import Settings


@st.cache_resource
def lake() -> PublishedLake:
    return PublishedLake(Settings.from_env())


def _query(sql: str, params: list | None = None) -> pl.DataFrame:
    cursor = lake().cursor()
    return cursor.sql(sql, params=params or None).pl()


def bronnen_per_deelnemer() -> pl.DataFrame:
    """Per deelnemer and source: current rows and when the newest load with rows for it ended."""
    return _query(
        "select deelnemer_code, deelnemer, bron, rijen, laatste_lading "
        "from meta.bronnen_per_deelnemer order by deelnemer_code nulls last, bron"
    )


def versheid() -> pl.DataFrame:
    """Per source: rows, the newest event date and when it was last loaded."""
    return _query(
        "select bron, titel, rijen, nieuwste_gebeurtenis, laatst_geladen "
        "from meta.versheid order by bron"
    )


def laatste_build() -> dict:
    row = _query("select build_id, gebouwd_op, laatste_load from meta.build").row(0, named=True)
    return row
