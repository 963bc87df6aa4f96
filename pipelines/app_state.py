"""The app-state database: saved queries and the audit log of ad-hoc SQL.

Separate from the lake on purpose: the published warehouse is replaced by every load and can be
rebuilt from raw at any time, while what analysts saved and what they ran must survive both.
It is SQLite (Python's standard library) rather than DuckDB because several processes write to
it at once, the app and `vthmonitor sql`, and DuckDB allows only one writing process per file
(pitfall 2); SQLite's WAL mode lets writers take turns in milliseconds and readers never wait.

One short-lived connection per call keeps it safe across Streamlit's session threads.
Times are stored as ISO-8601 text in UTC.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

_SCHEMA = """
create table if not exists opgeslagen_query (
    id integer primary key,
    naam text not null,
    sql text not null,
    auteur text not null,
    opgeslagen_op text not null,
    unique (auteur, naam)
);
create table if not exists auditlog (
    id integer primary key,
    tijdstip text not null,
    gebruiker text not null,
    rol text not null,
    kanaal text not null,        -- app or cli
    sql text not null,
    status text not null,        -- ok, geweigerd, fout, tijdslimiet
    duur_ms real,
    rijen integer,
    afgekapt integer not null default 0,
    melding text,
    build_id text
);
create index if not exists auditlog_gebruiker on auditlog (gebruiker, id);
"""

STATUSES = ("ok", "geweigerd", "fout", "tijdslimiet")


class InvalidSavedQuery(ValueError):
    """A saved query needs a name (Dutch message)."""


@dataclass(frozen=True)
class Uitvoering:
    """One run of ad-hoc SQL, for the audit log."""

    gebruiker: str
    rol: str
    kanaal: str
    sql: str
    status: str
    duur_ms: float | None = None
    rijen: int | None = None
    afgekapt: bool = False
    melding: str | None = None
    build_id: str | None = None


class AppState:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10)
        try:
            con.execute("pragma journal_mode=wal")
            con.execute("pragma busy_timeout=10000")
            with con:  # one transaction: committed on success, rolled back on an exception
                yield con
        finally:
            con.close()

    def _frame(self, sql: str, params: tuple, schema: dict) -> pl.DataFrame:
        with self._connect() as con:
            rows = con.execute(sql, params).fetchall()
        return pl.DataFrame(rows, schema=schema, orient="row")

    # --- audit log -----------------------------------------------------------------------------
    def log(self, run: Uitvoering) -> None:
        if run.status not in STATUSES:
            raise ValueError(f"onbekende status {run.status!r}")
        with self._connect() as con:
            con.execute(
                "insert into auditlog (tijdstip, gebruiker, rol, kanaal, sql, status, duur_ms, "
                "rijen, afgekapt, melding, build_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    run.gebruiker,
                    run.rol,
                    run.kanaal,
                    run.sql,
                    run.status,
                    run.duur_ms,
                    run.rijen,
                    int(run.afgekapt),
                    run.melding,
                    run.build_id,
                ),
            )

    _LOG_SCHEMA = {
        "tijdstip": pl.String,
        "gebruiker": pl.String,
        "rol": pl.String,
        "kanaal": pl.String,
        "sql": pl.String,
        "status": pl.String,
        "duur_ms": pl.Float64,
        "rijen": pl.Int64,
        "afgekapt": pl.Boolean,
        "melding": pl.String,
        "build_id": pl.String,
    }

    def auditlog(self, limit: int = 500, gebruiker: str | None = None) -> pl.DataFrame:
        """The newest runs first; only this user's when `gebruiker` is given (the history)."""
        where, params = ("where gebruiker = ?", (gebruiker,)) if gebruiker else ("", ())
        frame = self._frame(
            f"select {', '.join(self._LOG_SCHEMA)} from auditlog {where} order by id desc limit ?",
            (*params, limit),
            self._LOG_SCHEMA | {"afgekapt": pl.Int64},
        )
        return frame.with_columns(
            pl.col("afgekapt").cast(pl.Boolean),
            pl.col("tijdstip").str.to_datetime(time_zone="UTC"),
        )

    def geschiedenis(self, gebruiker: str, limit: int = 50) -> pl.DataFrame:
        """This user's own runs, newest first, each distinct query text once."""
        log = self.auditlog(limit=limit * 5, gebruiker=gebruiker)
        return log.unique(subset="sql", keep="first", maintain_order=True).head(limit)

    # --- saved queries -------------------------------------------------------------------------
    _SAVED_SCHEMA = {
        "id": pl.Int64,
        "naam": pl.String,
        "sql": pl.String,
        "auteur": pl.String,
        "opgeslagen_op": pl.String,
    }

    def save(self, naam: str, sql: str, auteur: str) -> int:
        """Save (or, for the same author and name, replace) a query; returns its id."""
        naam = " ".join(naam.split())
        if not naam:
            raise InvalidSavedQuery("Geef de query een naam om hem op te slaan.")
        if not sql.strip():
            raise InvalidSavedQuery("Er is geen SQL om op te slaan.")
        with self._connect() as con:
            con.execute(
                "insert into opgeslagen_query (naam, sql, auteur, opgeslagen_op) "
                "values (?, ?, ?, ?) on conflict (auteur, naam) do update set "
                "sql = excluded.sql, opgeslagen_op = excluded.opgeslagen_op",
                (naam, sql.strip(), auteur, _now()),
            )
            return con.execute(
                "select id from opgeslagen_query where auteur = ? and naam = ?", (auteur, naam)
            ).fetchone()[0]

    def saved(self) -> pl.DataFrame:
        """Every saved query (the team's shared library), newest first."""
        frame = self._frame(
            f"select {', '.join(self._SAVED_SCHEMA)} from opgeslagen_query "
            "order by opgeslagen_op desc, id desc",
            (),
            self._SAVED_SCHEMA,
        )
        return frame.with_columns(pl.col("opgeslagen_op").str.to_datetime(time_zone="UTC"))

    def saved_by_name(self, naam: str) -> pl.DataFrame:
        return self.saved().filter(pl.col("naam").str.to_lowercase() == naam.strip().lower())

    def delete(self, query_id: int, auteur: str) -> bool:
        """Remove a saved query; only its author may. True when something was removed."""
        with self._connect() as con:
            cursor = con.execute(
                "delete from opgeslagen_query where id = ? and auteur = ?", (query_id, auteur)
            )
            return cursor.rowcount > 0


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
