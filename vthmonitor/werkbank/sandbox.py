"""Ad-hoc SQL for analysts: check a query, run it within limits, return at most N rows.

Used by the dashboard's SQL workbench and by `vthmonitor sql`, so both have the same sandbox.
Two layers, because neither is enough alone (docs/valkuilen.md §3):

1. The connection (vthmonitor/lake.py READER_CONFIG): read-only, no file or network access, no
   extension loading, a memory limit, configuration locked. That is the hard guarantee: even a
   query this module let through cannot read /etc/passwd or change a setting.
2. This module, before DuckDB runs anything: exactly one statement, and it must be a query
   (SELECT, WITH, FROM-first, VALUES, DESCRIBE, SUMMARIZE). Its parse tree
   (`json_serialize_sql`) is walked, and every table it names must be in a public schema
   (PUBLIC_SCHEMAS); every table function must be on an allow-list. That keeps the raw layer
   out (it holds every version of every row; staging holds the current ones) and turns what
   would be a cryptic DuckDB error into a Dutch sentence that says what to do instead.

Limits: a query runs in a worker process of its own (vthmonitor/werkbank/worker.py), which the app
kills at the time limit and whose address space is capped, so a single huge function call
cannot outrun them (docs/sql-werkbank.md). Inside the worker, `collect` streams the result in
Arrow batches and stops reading after N + 1 rows or MAX_RESULT_BYTES, so a 10 M-row result never
materialises. This module imports polars only where a result becomes a frame (`to_polars`, in
the app), which keeps the worker's start-up short.

Not supported, on purpose: a stand-alone PIVOT statement and queries DuckDB cannot serialise
for the check (refused with a hint); EXPLAIN (not a query). Scalar functions are not
checked: none of them reaches a file or another schema while external access is off.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from vthmonitor.settings import DEFAULT_SQL_WORKER_MEMORY, parse_size

if TYPE_CHECKING:
    import polars as pl

# What analysts may read. raw (every delivered version of every row, and the build's own
# bookkeeping) is left out: staging has the same rows, one current version per key.
PUBLIC_SCHEMAS = ("kpi", "staging", "marts", "meta")
# Catalog views about names and types only: they list raw's tables but none of its rows.
METADATA_SCHEMAS = ("information_schema", "pg_catalog")

# Table functions that compute or describe, never read: everything else (read_csv, glob,
# query, query_table, parquet_metadata, pragma_*, ...) is refused.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "json_each",
        "json_tree",
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_schemas",
        "duckdb_types",
        "duckdb_functions",
        "duckdb_keywords",
        "duckdb_constraints",
    }
)
# DuckDB's catalog views that may be named without a schema: names and types only.
CATALOG_VIEWS = frozenset(
    {
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_schemas",
        "duckdb_types",
        "duckdb_constraints",
        "duckdb_functions",
        "duckdb_keywords",
    }
)
# The server's settings include file paths (temp and secret directories): not for analysts.
DENIED_CATALOG_VIEWS = frozenset({"pg_settings", "pg_prepared_statements"})
DENIED_FUNCTIONS = frozenset({"current_setting", "getvariable"})
_FILE_FUNCTIONS = re.compile(r"^(read_|glob$|sniff_csv$|parquet_|iceberg_|delta_)")
_DYNAMIC_SQL_FUNCTIONS = frozenset({"query", "query_table"})
# A replacement scan (`FROM 'x.csv'`) shows up as a table whose name looks like a path or URL.
_LOOKS_LIKE_FILE = re.compile(r"[/\\:]|\.[A-Za-z0-9]{1,8}$")

# The row cap bounds rows, not bytes: a few rows of huge strings are cut by size as well.
MAX_RESULT_BYTES = 256 * 1024 * 1024
# A download of the whole result (`stream`) is cut by size too: the file ends up in the app's
# memory once, when the browser fetches it (docs/sql-werkbank.md, "Downloads of the whole result").
MAX_EXPORT_BYTES = 1024 * 1024 * 1024
BATCH_ROWS = 2048
MAX_SQL_CHARS = 100_000

HINT_SCHEMAS = "Beschikbaar zijn de schema's kpi, staging, marts en meta (zie de schemaverkenner)."


class SandboxError(Exception):
    """A run that did not give a result. The worker's side (vthmonitor/werkbank/worker.py) fills in
    how long it took and on which build, for the audit log; None where not known."""

    status = "fout"
    elapsed_s: float | None = None
    build_id: str | None = None
    peak_memory_bytes: int | None = None


class Refused(SandboxError):
    """The query is not allowed in the workbench. `str()` is a Dutch sentence for the user."""

    status = "geweigerd"


class QueryFailed(SandboxError):
    """DuckDB could not run the query. `message` is Dutch; `detail` is DuckDB's own text."""

    status = "fout"

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail


class TimedOut(QueryFailed):
    status = "tijdslimiet"


@dataclass(frozen=True)
class Limits:
    time_limit_s: float = 10.0
    max_rows: int = 10_000
    # Address space of the query's worker process (VTHMONITOR_SQL_WERKER_GEHEUGEN).
    memory_bytes: int = parse_size(DEFAULT_SQL_WORKER_MEMORY)
    # Rows a download of the whole result holds at most (VTHMONITOR_SQL_EXPORT_MAX_RIJEN).
    export_max_rows: int = 1_000_000


@dataclass(frozen=True)
class Result:
    frame: pl.DataFrame
    # Why the frame holds only the first rows: "rijen" (more than Limits.max_rows), "omvang"
    # (more than MAX_RESULT_BYTES), or None (complete).
    cut: str | None
    elapsed_s: float
    build_id: str | None = None
    peak_memory_bytes: int | None = None  # the worker's peak resident memory

    @property
    def rows(self) -> int:
        return self.frame.height

    @property
    def truncated(self) -> bool:
        return self.cut is not None

    def cut_note(self, limits: Limits) -> str | None:
        """Why only the first rows are shown (Dutch), or None for a complete result."""
        if self.cut == "rijen":
            return (
                f"Het resultaat is afgekapt: de query geeft meer dan {limits.max_rows:,} rijen; "
                "u ziet de eerste. Tel het geheel met count(*) of groepeer met GROUP BY."
            ).replace(",", ".")
        if self.cut == "omvang":
            return (
                f"Het resultaat is afgekapt op {self.rows:,} rijen: samen zijn ze groter dan "
                f"{MAX_RESULT_BYTES // 1024**2} MB. Selecteer minder of kortere kolommen."
            ).replace(",", ".")
        return None


@dataclass(frozen=True)
class Exported:
    """A result written to a file batch by batch (`stream`), never held whole: how many rows,
    and why it holds only the first ("rijen": more than Limits.export_max_rows, "omvang": more
    than MAX_EXPORT_BYTES) or None."""

    rows: int
    cut: str | None
    elapsed_s: float
    build_id: str | None = None
    peak_memory_bytes: int | None = None

    @property
    def truncated(self) -> bool:
        return self.cut is not None


# --- the check ----------------------------------------------------------------------------------
_REFUSED_TYPES = {
    "COPY": "Schrijven naar of lezen uit bestanden (COPY) kan niet in de werkbank. Exporteer "
    "het resultaat met de knoppen CSV, Excel of Parquet.",
    "EXPORT": "EXPORT DATABASE kan niet in de werkbank. Exporteer een resultaat met de knoppen "
    "CSV, Excel of Parquet.",
    "ATTACH": "Een andere database koppelen (ATTACH) kan niet: de werkbank werkt alleen op de "
    "gepubliceerde datalake.",
    "DETACH": "DETACH kan niet: de werkbank werkt alleen op de gepubliceerde datalake.",
    "LOAD": "Extensies installeren of laden (INSTALL/LOAD) kan niet in de werkbank.",
    "SET": "Instellingen wijzigen (SET, RESET, USE) kan niet: de werkbank heeft vaste "
    "instellingen (tijdslimiet, geheugenlimiet, alleen lezen).",
    "VARIABLE_SET": "Variabelen zetten (SET VARIABLE) kan niet in de werkbank.",
    "PRAGMA": "PRAGMA is niet toegestaan in de werkbank. Tabellen en kolommen vindt u in de "
    "schemaverkenner.",
    "CALL": "CALL is niet toegestaan in de werkbank. Gebruik een SELECT.",
    "EXPLAIN": "EXPLAIN wordt in de werkbank niet ondersteund; voer de query zelf uit.",
    # DuckDB rewrites PIVOT into several statements, which the check cannot inspect.
    "MULTI": "PIVOT wordt in de werkbank niet ondersteund. Schrijf de kolommen uit met "
    "bijvoorbeeld sum(waarde) FILTER (WHERE periode = '2024') en GROUP BY.",
}
_WRITE_TYPES = {
    "CREATE",
    "INSERT",
    "UPDATE",
    "DELETE",
    "DROP",
    "ALTER",
    "MERGE_INTO",
    "VACUUM",
    "ANALYZE",
    "TRANSACTION",
    "CREATE_FUNC",
    "PREPARE",
    "EXECUTE",
    "UPDATE_EXTENSIONS",
}


def _statement_type(statement) -> str:
    return str(statement.type).rsplit(".", 1)[-1]


def check_text(sql: str) -> None:
    """What needs no parser: an empty or overlong text is refused before any process or
    connection is involved."""
    if not sql or not sql.strip().strip(";").strip():
        raise Refused("Er is geen query ingevuld. Typ een SELECT of kies een voorbeeldquery.")
    if len(sql) > MAX_SQL_CHARS:
        raise Refused(
            f"De query is te lang ({len(sql):,} tekens; hooguit {MAX_SQL_CHARS:,}). Haal lange "
            "lijsten met waarden uit een tabel in plaats van ze in de tekst te zetten.".replace(
                ",", "."
            )
        )


def check(cursor: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The query as DuckDB will run it, or Refused / QueryFailed with a Dutch message."""
    check_text(sql)
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(
            "De SQL is niet geldig. Controleer de schrijfwijze op de plek die DuckDB hieronder "
            "noemt.",
            str(exc),
        ) from None
    if len(statements) != 1:
        raise Refused(
            f"Voer één opdracht tegelijk uit: de tekst bevat {len(statements)} opdrachten "
            "(gescheiden door ';')."
        )
    kind = _statement_type(statements[0])
    if kind in _WRITE_TYPES:
        raise Refused(
            f"De werkbank is alleen-lezen: {kind} (iets aanmaken, wijzigen of verwijderen) is "
            "niet toegestaan. Gebruik een SELECT; bewaar een query met 'Opslaan'."
        )
    if kind in _REFUSED_TYPES:
        raise Refused(_REFUSED_TYPES[kind])
    if kind != "SELECT":
        raise Refused(
            f"Alleen query's zijn toegestaan (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE), "
            f"geen {kind}."
        )
    # fetchall, not fetchone: an unfinished result would block the query on this cursor.
    serialised = cursor.execute("select json_serialize_sql(?)", [sql]).fetchall()[0][0]
    try:
        tree = json.loads(serialised)
    except RecursionError:
        raise Refused(
            "De query is te diep genest om te controleren. Schrijf haar eenvoudiger, "
            "bijvoorbeeld met WITH-stappen."
        ) from None
    if tree.get("error"):
        raise Refused(
            "Deze query kan de werkbank niet controleren en voert hij daarom niet uit "
            f"(DuckDB: {tree.get('error_message', 'onbekend')}). Een PIVOT of andere "
            "bijzondere opbouw kunt u vaak herschrijven met GROUP BY en FILTER."
        )
    for node, ctes in _scoped_nodes(tree):
        if node.get("type") == "BASE_TABLE":
            _check_table(node, ctes)
        elif node.get("type") == "TABLE_FUNCTION":
            _check_table_function(node)
        elif node.get("class") == "FUNCTION" and (
            (node.get("function_name") or "").lower() in DENIED_FUNCTIONS
        ):
            raise Refused(
                f"De functie {node['function_name'].lower()}() is niet toegestaan in de "
                "werkbank: de instellingen van de server zijn niet op te vragen."
            )
    return sql


def _scoped_nodes(tree) -> Iterator[tuple[dict, frozenset[str]]]:
    """Every dict in the parse tree (subqueries, CTEs, joins, IN (...) and LATERAL included),
    with the CTE names visible at that point, lower-cased.

    DuckDB's scoping, which an unqualified name must follow to be a CTE rather than a catalog
    view (docs/sql-werkbank.md): a WITH clause's names are visible in its own query node and in
    everything nested in it, never in a sibling or parent; a CTE sees the CTEs before it in the
    same WITH, not those after it; a CTE sees itself only when it is recursive (DuckDB then
    parses it as a RECURSIVE_CTE_NODE named after it)."""
    stack: list[tuple[object, frozenset[str]]] = [(tree, frozenset())]
    while stack:
        node, visible = stack.pop()
        if isinstance(node, list):
            stack.extend((item, visible) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        yield node, visible
        if node.get("type") == "RECURSIVE_CTE_NODE" and node.get("cte_name"):
            visible = visible | {node["cte_name"].lower()}
        cte_map = node.get("cte_map")
        entries = cte_map.get("map", []) if isinstance(cte_map, dict) else []
        for entry in entries:
            # the definition sees the names before it; the next definitions see it too
            stack.append((entry.get("value"), visible))
            visible = visible | {entry["key"].lower()}
        stack.extend((value, visible) for key, value in node.items() if key != "cte_map")


def _check_table(node: dict, ctes: frozenset[str]) -> None:
    schema = (node.get("schema_name") or "").lower()
    catalog = (node.get("catalog_name") or "").lower()
    name = node.get("table_name") or ""
    qualified = ".".join(part for part in (catalog, schema, name) if part)
    if catalog:
        raise Refused(
            f"Verwijs naar een tabel als schema.tabel, zonder databasenaam ('{qualified}'). "
            + HINT_SCHEMAS
        )
    if schema == "raw":
        raise Refused(
            f"De raw-laag ('{qualified}') is niet bereikbaar vanuit de werkbank. Gebruik "
            "staging (dezelfde gegevens, één actuele versie per sleutel) of de KPI-tabellen in "
            "kpi."
        )
    if schema:
        if schema not in PUBLIC_SCHEMAS + METADATA_SCHEMAS:
            raise Refused(f"Schema '{schema}' is niet beschikbaar in de werkbank. " + HINT_SCHEMAS)
        if name.lower() in DENIED_CATALOG_VIEWS:
            raise Refused(
                f"'{qualified}' is niet beschikbaar in de werkbank: de instellingen van de "
                "server zijn niet op te vragen."
            )
        return
    if name.lower() in ctes or name.lower() in CATALOG_VIEWS:
        return
    if name.lower() in DENIED_CATALOG_VIEWS:
        raise Refused(
            f"'{name}' is niet beschikbaar in de werkbank: de instellingen van de server zijn "
            "niet op te vragen."
        )
    if _LOOKS_LIKE_FILE.search(name):
        raise Refused(
            f"Bestanden lezen ('{name}') kan niet in de werkbank: alleen de tabellen van de "
            "datalake zijn beschikbaar. Nieuwe gegevens laadt de beheerder met 'vthmonitor load'."
        )
    # Unqualified names resolve to DuckDB's system views (duckdb_databases shows file paths,
    # duckdb_settings the configuration), so only an allow-list of them passes.
    raise Refused(
        f"Tabel '{name}' zonder schema: schrijf schema.tabel, bijvoorbeeld kpi.waarden of "
        "staging.klachten. " + HINT_SCHEMAS
    )


def _check_table_function(node: dict) -> None:
    function = node.get("function") or {}
    name = (function.get("function_name") or "").lower()
    if name in ALLOWED_TABLE_FUNCTIONS:
        return
    if _FILE_FUNCTIONS.match(name):
        raise Refused(
            f"Bestanden lezen met {name}() kan niet in de werkbank: alleen de tabellen van de "
            "datalake zijn beschikbaar. Nieuwe gegevens laadt de beheerder met 'vthmonitor load'."
        )
    if name in _DYNAMIC_SQL_FUNCTIONS:
        raise Refused(
            f"{name}() voert SQL uit tekst uit en is daarom niet toegestaan. Schrijf de query "
            "zelf uit."
        )
    raise Refused(
        f"De tabelfunctie {name}() is niet toegestaan in de werkbank. Toegestaan zijn onder "
        "meer range(), generate_series(), unnest() en de catalogusfuncties duckdb_tables() en "
        "duckdb_columns()."
    )


# --- running (inside the worker process) --------------------------------------------------
def collect(
    cursor: duckdb.DuckDBPyConnection, sql: str, limits: Limits
) -> tuple[pa.Table, str | None]:
    """Check and run one query on this cursor: at most limits.max_rows rows and
    MAX_RESULT_BYTES bytes, and why it was cut ("rijen", "omvang" or None).

    No time limit here: this runs in a worker process that is killed at the limit
    (worker.py). Raises Refused, QueryFailed or what DuckDB/Arrow raise; `explain`
    turns the latter into a Dutch QueryFailed."""
    check(cursor, sql)
    batches, seen, size = [], 0, 0
    reader = cursor.sql(sql).to_arrow_reader(min(limits.max_rows + 1, BATCH_ROWS))
    for batch in reader:
        if size + batch.nbytes > MAX_RESULT_BYTES:
            # keep the rows of this batch that fit, by its average row size
            fitting = (MAX_RESULT_BYTES - size) * batch.num_rows // max(batch.nbytes, 1)
            batches.append(batch.slice(0, fitting))
            seen += fitting
            size = MAX_RESULT_BYTES + 1
            break
        batches.append(batch)
        seen += batch.num_rows
        size += batch.nbytes
        if seen > limits.max_rows:
            break  # enough: stop reading, the rest is never computed
    table = pa.Table.from_batches(batches, schema=reader.schema).slice(0, limits.max_rows)
    cut = "rijen" if seen > limits.max_rows else "omvang" if size > MAX_RESULT_BYTES else None
    return table, cut


def stream(
    cursor: duckdb.DuckDBPyConnection,
    sql: str,
    limits: Limits,
    send: Callable[[pa.Table], None],
) -> tuple[int, str | None]:
    """Check and run one query on this cursor for a download of its whole result: hand it to
    `send` batch by batch, first an empty table with the schema (so an empty result still has
    its columns), at most limits.export_max_rows rows and MAX_EXPORT_BYTES bytes. Returns the
    rows sent and why it was cut ("rijen", "omvang" or None). Only one batch is in memory at a
    time; like `collect`, no time limit here (the worker is killed at it)."""
    check(cursor, sql)
    reader = cursor.sql(sql).to_arrow_reader(BATCH_ROWS)
    send(reader.schema.empty_table())
    sent, size = 0, 0
    for batch in reader:
        if batch.num_rows == 0:
            continue
        room = limits.export_max_rows - sent
        if room <= 0:
            return sent, "rijen"  # a row more than the limit: the rest is never computed
        if size + batch.nbytes > MAX_EXPORT_BYTES:
            fitting = (MAX_EXPORT_BYTES - size) * batch.num_rows // max(batch.nbytes, 1)
            fitting = min(fitting, room)
            if fitting:
                send(pa.Table.from_batches([batch.slice(0, fitting)]))
            return sent + fitting, "omvang"
        part = batch.slice(0, room) if batch.num_rows > room else batch
        send(pa.Table.from_batches([part]))
        sent += part.num_rows
        size += part.nbytes
        if part.num_rows < batch.num_rows:
            return sent, "rijen"
    return sent, None


MEMORY_MESSAGE = (
    "De query heeft meer geheugen nodig dan de werkbank mag gebruiken. Beperk de gegevens met "
    "WHERE of GROUP BY, of selecteer minder kolommen."
)


def timed_out(limits: Limits) -> TimedOut:
    return TimedOut(
        f"De query is na {_seconds(limits.time_limit_s)} gestopt: dat is de tijdslimiet "
        "van de werkbank. Beperk de gegevens met WHERE, koppel tabellen op hun sleutel "
        "(een JOIN zonder ON-voorwaarde maakt alle combinaties), of tel eerst met count(*).",
    )


def explain(exc: BaseException) -> Refused | QueryFailed:
    """Any failure of a run as a Dutch message. Errors raised while the Arrow reader streams
    the result arrive as OSError or ArrowException, not as duckdb.Error: judged by their text."""
    if isinstance(exc, Refused | QueryFailed):
        return exc
    text = str(exc)
    if isinstance(exc, duckdb.OutOfMemoryException | MemoryError) or "Out of Memory" in text:
        return QueryFailed(MEMORY_MESSAGE, _first_line(exc))
    if isinstance(exc, duckdb.CatalogException):
        return QueryFailed(
            "Een tabel, kolom of functie in de query bestaat niet. Zoek de juiste naam op in "
            "de schemaverkenner; tabellen schrijft u als schema.tabel, bijv. kpi.waarden.",
            text,
        )
    if isinstance(exc, duckdb.BinderException):
        return QueryFailed(
            "De query verwijst naar een kolom of functie die niet bestaat, of combineert "
            "waarden die niet samengaan. Controleer de namen in de schemaverkenner; de melding "
            "van DuckDB staat hieronder.",
            text,
        )
    if isinstance(exc, duckdb.PermissionException):
        return Refused(
            "Bestanden, netwerk en instellingen zijn niet bereikbaar vanuit de werkbank. "
            + HINT_SCHEMAS
        )
    if isinstance(exc, duckdb.Error | OSError | pa.ArrowException):
        return QueryFailed(
            "De query kon niet worden uitgevoerd. Controleer de SQL; de melding van DuckDB "
            "staat hieronder.",
            text,
        )
    return QueryFailed(
        "Het resultaat van de query kon niet worden verwerkt. Probeer minder of andere "
        "kolommen; meld het aan de beheerder als het blijft gebeuren.",
        f"{type(exc).__name__}: {text}",
    )


def to_polars(table: pa.Table) -> pl.DataFrame:
    """Arrow -> polars for any result: duplicate column names (`select 1, 1`) get a suffix, and
    a column polars cannot hold (an unusual DuckDB type) becomes text rather than an error."""
    import polars as pl

    names = unique_names(table.column_names)
    table = table.rename_columns(names)
    for index, name in enumerate(names):
        replaced = _outside_calendar_as_text(table.column(name))
        if replaced is not None:
            table = table.set_column(index, name, replaced)
    try:
        return pl.from_arrow(table)
    except Exception:  # noqa: BLE001 - polars raises several types for unsupported Arrow types
        columns = {}
        for name in names:
            column = table.column(name)
            try:
                columns[name] = pl.from_arrow(column)
            except Exception:  # noqa: BLE001
                columns[name] = pl.Series(
                    name, [None if v is None else str(v) for v in column.to_pylist()], pl.String
                )
        return pl.DataFrame(columns)


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique: the first of each name stays, a repeat gets the lowest free
    `_<n>` (n >= 2) that is neither a name of the result nor already given, so
    `select 1 as a, 1 as a, 1 as a_2` becomes a, a_3, a_2 (never two columns a_2)."""
    taken = set(names)
    seen: set[str] = set()
    unique = []
    for name in names:
        if name not in seen:
            seen.add(name)
            unique.append(name)
            continue
        n = 2
        while f"{name}_{n}" in taken:
            n += 1
        taken.add(f"{name}_{n}")
        unique.append(f"{name}_{n}")
    return unique


_SECONDS_PER_UNIT = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
# Python and polars print dates only within years 1..9999; DuckDB also has 'infinity' and dates
# far beyond, which would make polars panic when the result is shown or exported.
_FIRST_SECOND, _LAST_SECOND = -62_135_596_800, 253_402_300_799
_FIRST_DAY, _LAST_DAY = -719_162, 2_932_896


def _outside_calendar_as_text(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A date/timestamp column with a value outside years 1..9999 as text ('infinity', or the
    ISO form), or None when every value is in range (the usual case: nothing changes)."""
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_timestamp(kind):
        per_second = _SECONDS_PER_UNIT[kind.unit]
        low, high = _FIRST_SECOND * per_second, _LAST_SECOND * per_second
        raw = pc.cast(column, pa.int64())
    elif pa.types.is_date32(kind):
        low, high = _FIRST_DAY, _LAST_DAY
        raw = pc.cast(column, pa.int32())
    else:
        return None
    if len(column) == 0 or column.null_count == len(column):
        return None
    if pc.min(raw).as_py() >= low and pc.max(raw).as_py() <= high:
        return None
    epoch = dt.datetime(1970, 1, 1)
    texts = []
    for value in raw.to_pylist():
        if value is None:
            texts.append(None)
        elif value > high:
            texts.append("infinity")
        elif value < low:
            texts.append("-infinity")
        elif pa.types.is_timestamp(kind):
            seconds, rest = divmod(value, per_second)
            micro = rest * 1_000_000 // per_second
            moment = epoch + dt.timedelta(seconds=seconds, microseconds=micro)
            texts.append(moment.isoformat(sep=" "))
        else:
            texts.append((epoch + dt.timedelta(days=value)).date().isoformat())
    return pa.chunked_array([pa.array(texts, pa.string())])


def _seconds(value: float) -> str:
    text = f"{value:g}".replace(".", ",")
    return f"{text} seconde" if value == 1 else f"{text} seconden"


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0]
