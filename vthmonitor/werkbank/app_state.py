"""The app-state database: saved queries and the audit log of ad-hoc SQL.

Separate from the lake on purpose: the published warehouse is replaced by every load and can be
rebuilt from raw at any time, while what analysts saved and what they ran must survive both.
It is SQLite (Python's standard library) rather than DuckDB because several processes write to
it at once, the app and `vthmonitor sql`, and DuckDB allows only one writing process per file
(valkuil 2); SQLite's WAL mode lets writers take turns in milliseconds and readers never wait.

One short-lived connection per call keeps it safe across Streamlit's session threads.
Times are stored as ISO-8601 text in UTC.

The audit log cannot be flooded, hidden or bypassed (docs/sql-werkbank.md): it keeps the first
SQL_TEXT_MAX characters of a query with the length and SHA-256 of the whole text, and at most
MELDING_MAX characters of a message; a run is written as 'bezig' *before* it starts and
completed afterwards, so a process killed halfway leaves its row behind. A database from an
older version is brought up to date by ordered, named migrations (MIGRATIONS); no row is lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vthmonitor.settings import SettingsError
from vthmonitor.werkbank.sandbox import MAX_SQL_CHARS

_FIRST_VERSION = """
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
    sql text not null,           -- the first SQL_TEXT_MAX characters
    status text not null,        -- bezig, then ok, geweigerd, fout, tijdslimiet or afgebroken
    duur_ms real,
    rijen integer,
    afgekapt integer not null default 0,
    melding text,                -- at most MELDING_MAX characters
    build_id text
);
create index if not exists auditlog_gebruiker on auditlog (gebruiker, id);
"""


def _m001_first_version(con: sqlite3.Connection) -> None:
    # `if not exists`: databases of the versions before migrations were numbered already hold
    # these tables, and their rows must stay.
    for statement in _FIRST_VERSION.split(";"):
        if statement.strip():
            con.execute(statement)


def _m002_bounded_audit_text(con: sqlite3.Connection) -> None:
    """Length and SHA-256 of the whole query (docs/sql-werkbank.md); rows already there get
    them computed from their text, which is kept as it was."""
    present = {row[1] for row in con.execute("pragma table_info(auditlog)")}
    for column, kind in (("sql_lengte", "integer"), ("sql_sha256", "text")):
        if column not in present:
            con.execute(f"alter table auditlog add column {column} {kind}")
    while rows := con.execute(
        "select id, sql from auditlog where sql_sha256 is null limit 500"
    ).fetchall():
        con.executemany(
            "update auditlog set sql_lengte = ?, sql_sha256 = ? where id = ?",
            [(len(sql), _sha256(sql), run_id) for run_id, sql in rows],
        )


_USERS_AND_ACTIVITY = """
create table gebruiker (
    identiteit text primary key,   -- lowercased e-mail or subject claim of the ID token
    naam text not null default '',
    rol text not null,             -- mt, accounthouder, analist or beheerder
    actief integer not null default 1,
    gewijzigd_op text not null,
    gewijzigd_door text not null
);
create table gebruiker_deelnemer (
    identiteit text not null references gebruiker (identiteit) on delete cascade,
    deelnemer_code text not null,
    primary key (identiteit, deelnemer_code)
);
create table activiteit (
    id integer primary key,
    tijdstip text not null,
    gebruiker text not null,
    rol text not null,
    actie text not null,           -- see vthmonitor/toegang.py ACTIES
    pagina text,
    deelnemers text,               -- comma-separated CBS codes the action concerned
    selectie text,                 -- the page's selection as JSON
    omschrijving text,
    rijen integer
);
create index activiteit_tijdstip on activiteit (tijdstip);
create index activiteit_gebruiker on activiteit (gebruiker, tijdstip);
create index auditlog_tijdstip on auditlog (tijdstip);
create table onderhoud (naam text primary key, laatst text not null);
"""


def _m003_users_and_activity(con: sqlite3.Connection) -> None:
    """The users list and the activity trail of docs/toegang.md."""
    for statement in _USERS_AND_ACTIVITY.split(";"):
        if statement.strip():
            con.execute(statement)


_SUBSCRIPTIONS = """
create table abonnement (
    id integer primary key,
    identiteit text not null,      -- the user (users list) who receives it, at that e-mail
    soort text not null,           -- 'rapport' (the monthly report) or 'signalen' (alerts)
    deelnemer_code text,           -- rapport: the deelnemer, signalen: NULL = all in scope
    periode_type text not null default 'kwartaal',  -- rapport: the report's type of period
    aangemaakt_op text not null,
    aangemaakt_door text not null,
    unique (identiteit, soort, deelnemer_code)
);
create table kpi_status (
    kpi_id text not null,
    deelnemer_code text not null,
    periode_type text not null,
    periode text not null,
    status text,
    waarde real,
    build_id text not null,
    primary key (kpi_id, deelnemer_code, periode_type, periode)
);
"""


def _m004_subscriptions(con: sqlite3.Connection) -> None:
    """Subscriptions to the report and the alerts, and the statuses the last alert run saw
    (docs/rapport.md)."""
    for statement in _SUBSCRIPTIONS.split(";"):
        if statement.strip():
            con.execute(statement)


# The schema's history, oldest first. A migration is never edited or removed once released:
# a change is a new entry at the end (docs/architectuur.md, "De app-state-database").
MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("001_eerste_versie", _m001_first_version),
    ("002_auditlog_lengte_en_hash", _m002_bounded_audit_text),
    ("003_gebruikers_en_activiteit", _m003_users_and_activity),
    ("004_abonnementen", _m004_subscriptions),
)


def _wal(con: sqlite3.Connection, timeout_s: float = 10.0) -> None:
    """WAL mode and a busy timeout on this connection. Switching a new database to WAL needs a
    lock that SQLite does not wait for (no busy handler): two processes opening a fresh database
    at once got "database is locked". So the switch is retried until the timeout."""
    con.execute(f"pragma busy_timeout={int(timeout_s * 1000)}")
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            con.execute("pragma journal_mode=wal")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class NewerAppState(SettingsError):
    """The app-state database was written by a newer VTH-monitor (Dutch message)."""


def migrate(path: Path) -> list[str]:
    """Apply the migrations this database lacks, in order, in one transaction that holds
    SQLite's write lock, so two processes starting at once never apply one twice. Returns the
    names applied. A database that knows migrations this version does not is refused rather
    than written to: an older program would corrupt what a newer one relies on."""
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        _wal(con)
        con.execute("begin immediate")
        con.execute(
            "create table if not exists schema_migraties "
            "(naam text primary key, uitgevoerd_op text not null)"
        )
        done = {row[0] for row in con.execute("select naam from schema_migraties")}
        unknown = sorted(done - {name for name, _ in MIGRATIONS})
        if unknown:
            con.execute("rollback")
            raise NewerAppState(
                f"de app-state-database {path} is bijgewerkt door een nieuwere versie van "
                f"VTH-monitor (migratie {', '.join(unknown)}); gebruik die versie of een kopie "
                "van de database van voor de upgrade."
            )
        applied = []
        for name, step in MIGRATIONS:
            if name not in done:
                step(con)
                con.execute("insert into schema_migraties values (?, ?)", (name, _now()))
                applied.append(name)
        con.execute("commit")
        return applied
    except BaseException:
        if con.in_transaction:
            con.execute("rollback")
        raise
    finally:
        con.close()


SQL_TEXT_MAX = 10_000
MELDING_MAX = 2_000
# 'bezig' is written before the run; a row that stays 'bezig' belongs to a run that is still
# going or to a process that was killed (dashboard: "onderbroken of nog bezig").
STATUSES = ("bezig", "ok", "geweigerd", "fout", "tijdslimiet", "afgebroken")
FINAL_STATUSES = STATUSES[1:]


class InvalidSavedQuery(ValueError):
    """A saved query needs a name (Dutch message)."""


@dataclass(frozen=True)
class Uitvoering:
    """One run of ad-hoc SQL, for the audit log."""

    gebruiker: str
    rol: str
    kanaal: str
    sql: str  # the whole text: the log keeps its start, length and hash
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
        migrate(path)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction, for the other stores in this database
        (vthmonitor/toegang.py)."""
        with self._connect() as con:
            yield con

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10)
        try:
            _wal(con)
            with con:  # one transaction: committed on success, rolled back on an exception
                yield con
        finally:
            con.close()

    def _frame(self, sql: str, params: tuple, schema: dict) -> pl.DataFrame:
        with self._connect() as con:
            rows = con.execute(sql, params).fetchall()
        return pl.DataFrame(rows, schema=schema, orient="row")

    # --- audit log -----------------------------------------------------------------------------
    def log(self, run: Uitvoering) -> int:
        """Write one complete run at once; returns its id."""
        if run.status not in STATUSES:
            raise ValueError(f"onbekende status {run.status!r}")
        with self._connect() as con:
            cursor = con.execute(
                "insert into auditlog (tijdstip, gebruiker, rol, kanaal, sql, sql_lengte, "
                "sql_sha256, status, duur_ms, rijen, afgekapt, melding, build_id) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    run.gebruiker,
                    run.rol,
                    run.kanaal,
                    *_bounded_sql(run.sql),
                    run.status,
                    run.duur_ms,
                    run.rijen,
                    int(run.afgekapt),
                    _bounded(run.melding, MELDING_MAX),
                    run.build_id,
                ),
            )
            return cursor.lastrowid

    def begin(self, gebruiker: str, rol: str, kanaal: str, sql: str) -> int:
        """Write a run as 'bezig' before it starts; complete it with `finish`."""
        return self.log(Uitvoering(gebruiker, rol, kanaal, sql, "bezig"))

    def finish(
        self,
        run_id: int,
        status: str,
        *,
        duur_ms: float | None = None,
        rijen: int | None = None,
        afgekapt: bool = False,
        melding: str | None = None,
        build_id: str | None = None,
    ) -> None:
        """Complete a run written by `begin` with its outcome and real duration."""
        if status not in FINAL_STATUSES:
            raise ValueError(f"onbekende eindstatus {status!r}")
        with self._connect() as con:
            con.execute(
                "update auditlog set status = ?, duur_ms = ?, rijen = ?, afgekapt = ?, "
                "melding = ?, build_id = ? where id = ?",
                (
                    status,
                    duur_ms,
                    rijen,
                    int(afgekapt),
                    _bounded(melding, MELDING_MAX),
                    build_id,
                    run_id,
                ),
            )

    _LOG_SCHEMA = {
        "id": pl.Int64,
        "tijdstip": pl.String,
        "gebruiker": pl.String,
        "rol": pl.String,
        "kanaal": pl.String,
        "sql": pl.String,
        "sql_lengte": pl.Int64,
        "sql_sha256": pl.String,
        "status": pl.String,
        "duur_ms": pl.Float64,
        "rijen": pl.Int64,
        "afgekapt": pl.Boolean,
        "melding": pl.String,
        "build_id": pl.String,
    }
    # Bounded on the way out too: rows written before the bound (older versions) stay whole in
    # the database but never reach a page or a download in full.
    _LOG_SELECT = {
        "sql": f"substr(sql, 1, {SQL_TEXT_MAX})",
        "melding": f"substr(melding, 1, {MELDING_MAX})",
    }

    def auditlog(self, limit: int = 500, gebruiker: str | None = None) -> pl.DataFrame:
        """The newest runs first; only this user's when `gebruiker` is given (the history).
        `sql` is the stored start of the query; `sql_afgekort` says whether that is not all."""
        where, params = ("where gebruiker = ?", (gebruiker,)) if gebruiker else ("", ())
        columns = ", ".join(f"{self._LOG_SELECT.get(c, c)} as {c}" for c in self._LOG_SCHEMA)
        frame = self._frame(
            f"select {columns} from auditlog {where} order by id desc limit ?",
            (*params, limit),
            self._LOG_SCHEMA | {"afgekapt": pl.Int64},
        )
        return frame.with_columns(
            pl.col("afgekapt").cast(pl.Boolean),
            pl.col("tijdstip").str.to_datetime(time_zone="UTC"),
            (pl.col("sql_lengte") > pl.col("sql").str.len_chars()).alias("sql_afgekort"),
        )

    def geschiedenis(self, gebruiker: str, limit: int = 50) -> pl.DataFrame:
        """This user's own runs, newest first, each distinct query text once (by the hash of
        the whole text: two long queries that start alike are two entries)."""
        log = self.auditlog(limit=limit * 5, gebruiker=gebruiker)
        return log.unique(subset="sql_sha256", keep="first", maintain_order=True).head(limit)

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
        if len(sql) > MAX_SQL_CHARS:  # could never run; would flood every analyst's list
            raise InvalidSavedQuery(
                f"De query is te lang om op te slaan ({len(sql):,} tekens; hooguit "
                f"{MAX_SQL_CHARS:,}).".replace(",", ".")
            )
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


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _bounded_sql(sql: str) -> tuple[str, int, str]:
    """(the first SQL_TEXT_MAX characters, the whole length, the SHA-256 of the whole)."""
    return sql[:SQL_TEXT_MAX], len(sql), _sha256(sql)


def _bounded(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
