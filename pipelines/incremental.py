"""What an incremental build recomputes, and how a source's staging table takes new rows.

After a load the build starts from the published warehouse and changes only what the new rows
can change (docs/architectuur.md, "Incrementeel bouwen"):
- the staging table of a source with new rows takes them by key (`upsert`): the newest version
  of each key in the new rows replaces the one it had, as the full model would decide, because
  a later load always wins (sql/staging/<bron>.sql);
- a table of another layer is recomputed only when a relation it reads changed, read from the
  model's own parse tree (DuckDB's `json_serialize_sql`), or when it reads the date of today;
- a KPI family (marts.kpi_<familie>) is recomputed into marts.kpi_families only when it changed.
Views are never recreated: their definitions are unchanged (else the build is a full one) and
they follow their tables by themselves.

Relations whose content is small but which everything reads (the period calendar) are compared
before and after: when the new rows do not move the calendar, nothing that reads it changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from pipelines.contract import SOURCES, Source

# Relations of the raw layer that every build writes afresh (the load log, the quarantine, the
# deletions, the build's own record): whatever reads them is recomputed every time.
ALWAYS_NEW = ("raw.loads", "raw.quarantaine", "raw.verwijderingen", "raw.build")

# Small relations that much reads but whose content a load often leaves as it was; they are
# compared by content after the layer that feeds them (see the module docstring): the calendar
# (it moves only when the data's date range does) and each source's coverage (a load of hours
# moves the coverage of hours only). Layer -> relations.
COMPARED_AFTER = {
    "staging": ("marts.perioden", "marts.deelnemer_perioden"),
    "meta": tuple(f"meta.dekking_{s.name}" for s in SOURCES.values() if s.dekking),
}
COMPARED = tuple(r for group in COMPARED_AFTER.values() for r in group)

# A model whose result can differ between two builds of the same data (it reads the date, the
# time, chance or a setting) is recomputed by every build.
_VOLATILE = re.compile(
    r"\b(current_date|current_timestamp|current_time|current_localtimestamp|current_localtime"
    r"|now|today|get_current_time|get_current_timestamp|localtimestamp|localtime"
    r"|transaction_timestamp|statement_timestamp|random|setseed|uuid|uuidv4|uuidv7"
    r"|gen_random_uuid|current_setting|getvariable|current_query)\b",
    re.IGNORECASE,
)
_MACRO_NAME = re.compile(r"\bmacro\s+(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)", re.IGNORECASE)

LAYER_NAMES = ("raw", "staging", "meta", "marts", "kpi")


class Unreadable(ValueError):
    """DuckDB cannot give the parse tree of this SQL (e.g. PIVOT)."""


def _tree(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    tree = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise Unreadable(tree.get("error_message", "SQL kan niet worden ontleed"))
    return tree


def _nodes(node) -> Iterable[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def _path(node: dict) -> list[str]:
    path = node.get("qualified_name", {}).get("path") or [
        p for p in (node.get("catalog_name"), node.get("schema_name"), node.get("table_name")) if p
    ]
    return [p.lower() for p in path]


def _relation(node: dict) -> str | None:
    """'layer.name' of a table reference in a parse tree (case as DuckDB ignores it, with or
    without the catalog in front); None for any other name."""
    path = _path(node)
    if len(path) >= 2 and path[-2] in LAYER_NAMES:
        return f"{path[-2]}.{path[-1]}"
    return None


@dataclass(frozen=True)
class Reads:
    relations: set[str]  # 'staging.zaken', ...
    opaque: bool  # it may read something the parse tree does not name: always recompute


def reads(con: duckdb.DuckDBPyConnection, sql: str, macros: dict[str, str] | None = None) -> Reads:
    """What a SELECT reads, from DuckDB's own parse tree. When that cannot be told for sure (a
    table function such as query_table, a name that is no relation of a layer and no CTE, SQL
    DuckDB cannot serialise, a macro that reads tables or the date), the model is `opaque`: an
    incremental build recomputes it every time, never leaves it stale. `macros`: name -> SQL of
    the macros of sql/macros/."""
    try:
        nodes = list(_nodes(_tree(con, sql)))
    except Unreadable:
        return Reads(set(), True)
    ctes = {
        entry["key"].lower()
        for node in nodes
        for entry in (node.get("cte_map") or {}).get("map", [])
        if isinstance(entry, dict) and "key" in entry
    }
    relations, opaque = set(), False
    for node in nodes:
        kind = node.get("type")
        if kind == "BASE_TABLE":
            relation = _relation(node)
            if relation:
                relations.add(relation)
            elif _path(node) != [] and not (len(_path(node)) == 1 and _path(node)[0] in ctes):
                opaque = True
        elif kind == "TABLE_FUNCTION":
            opaque = True
        elif node.get("class") == "FUNCTION":
            body = (macros or {}).get(str(node.get("function_name", "")).lower())
            if body is not None and (volatile(body) or _NAMES_A_LAYER.search(body)):
                opaque = True
    return Reads(relations, opaque)


_NAMES_A_LAYER = re.compile(r"\b(" + "|".join(LAYER_NAMES) + r")\s*\.", re.IGNORECASE)


def volatile(sql: str) -> bool:
    return _VOLATILE.search(sql) is not None


def macro_bodies(texts: Iterable[str]) -> dict[str, str]:
    """Macro name -> the text of the file that defines it (sql/macros/*.sql), without its
    comments (which name relations and dates in words)."""
    bodies = [re.sub(r"--[^\n]*", "", text) for text in texts]
    return {m.lower(): body for body in bodies for m in _MACRO_NAME.findall(body)}


def reading_instead(con: duckdb.DuckDBPyConnection, sql: str, relation: str, table: str) -> str:
    """`sql` with every reference to `relation` replaced by the (temporary) table `table`,
    rewritten through DuckDB's parse tree, never by text replacement. A reference without an
    alias keeps its own name as alias, so `zaken.status` still binds."""
    tree = _tree(con, sql)
    hits = 0
    for node in _nodes(tree):
        if node.get("type") == "BASE_TABLE" and _relation(node) == relation:
            alias = node.get("alias") or _path(node)[-1]
            node.update(schema_name="", catalog_name="", table_name=table, alias=alias)
            node["qualified_name"] = {"path": [table]}
            hits += 1
    if hits == 0:
        raise ValueError(f"de SQL leest {relation} niet")
    return con.execute("select json_deserialize_sql(?::json)", [json.dumps(tree)]).fetchone()[0]


@dataclass
class Plan:
    """Which relations this build changed; filled in as the layers are applied."""

    appended: set[str]  # sources whose staging table takes new rows by key
    recomputed: set[str]  # sources whose staging table is rebuilt (rows erased from raw)
    new_loads: list[str]
    changed: set[str] = field(default_factory=set)
    reads: dict[str, set[str]] = field(default_factory=dict)  # relation -> what it reads
    volatile: set[str] = field(default_factory=set)
    done: list[tuple[str, str]] = field(default_factory=list)  # (relation, what was done)

    def __post_init__(self) -> None:
        self.changed |= set(ALWAYS_NEW)
        self.changed |= {f"raw.{s}" for s in self.appended | self.recomputed}

    def know(self, relation: str, reads: set[str], is_volatile: bool = False) -> None:
        self.reads[relation] = reads
        if is_volatile:
            self.volatile.add(relation)

    def settle(self) -> None:
        """Spread `changed` over what reads it, until nothing more changes. The relations
        compared by content (COMPARED) keep their own verdict (`compare`)."""
        exempt = set(COMPARED) - self.volatile  # a calendar that reads the date: always
        grew = True
        while grew:
            grew = False
            for relation, reads in self.reads.items():
                if relation in self.changed or relation in exempt:
                    continue
                if relation in self.volatile or reads & self.changed:
                    self.changed.add(relation)
                    grew = True

    def is_changed(self, relation: str) -> bool:
        return relation in self.changed


def _before(relation: str) -> str:
    return "_voor_" + relation.replace(".", "_")


def snapshot(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the content of the COMPARED relations as the base warehouse has it, before any new
    row is added (temporary tables: they never reach the file)."""
    present = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select schema_name, view_name from duckdb_views()"
        ).fetchall()
    }
    for relation in COMPARED:
        if relation in present:
            con.execute(f"create temp table {_before(relation)} as select * from {relation}")


def compare(con: duckdb.DuckDBPyConnection, plan: Plan, layer: str) -> None:
    """After `layer`: each relation it feeds (COMPARED_AFTER) is changed when its content differs
    from the snapshot (or there is none), and what reads it changes with it."""
    kept = {
        r[0]
        for r in con.execute("select table_name from duckdb_tables() where temporary").fetchall()
    }
    for relation in COMPARED_AFTER.get(layer, ()):
        before = _before(relation)
        if before not in kept:
            plan.changed.add(relation)
            continue
        differs = con.execute(
            f"select exists(select * from {before} except all select * from {relation}) "
            f"or exists(select * from {relation} except all select * from {before})"
        ).fetchone()[0]
        if differs:
            plan.changed.add(relation)
        con.execute(f"drop table {before}")
    plan.settle()


_ORDER = [("_load_id", "DESCENDING"), ("_bestand_seq", "DESCENDING"), ("_regel", "DESCENDING")]


def not_latest_per_key(con: duckdb.DuckDBPyConnection, sql: str, source: Source) -> str | None:
    """Why the staging model `sql` of `source` is not "the newest version of each key of
    raw.<bron>, its columns taken as they are", or None when it is. Only a model of that form
    may take new rows by key (`upsert`); another is recomputed in full (docs/architectuur.md,
    "Incrementeel bouwen")."""
    try:
        nodes = list(_nodes(_tree(con, sql)))
    except Unreadable as exc:
        return f"kan niet worden ontleed ({exc})"
    read = reads(con, sql)
    if read.opaque or read.relations != {f"raw.{source.name}"}:
        return f"leest niet alleen raw.{source.name}"
    tables = [n for n in nodes if n.get("type") == "BASE_TABLE" and _relation(n)]
    if len(tables) != 1:
        return f"leest raw.{source.name} meer dan eens"
    for node in nodes:
        if node.get("type") == "SET_OPERATION_NODE":
            return "heeft een union of except"
        if node.get("class") == "SUBQUERY":
            return "heeft een subquery"
        if node.get("type") == "SELECT_NODE":
            if node.get("where_clause") or node.get("having") or node.get("group_expressions"):
                return "filtert of groepeert (where, group by of having)"
            if node.get("modifiers"):
                return "heeft distinct, order by of limit"
            if (node.get("from_table") or {}).get("type") not in ("BASE_TABLE", None):
                return "heeft een join of subquery in from"
            for item in node.get("select_list", []):
                # only columns as they are (renamed at most): no expression, function or date
                if item.get("class") not in ("STAR", "COLUMN_REF"):
                    return "rekent in de kolommen (alleen kolommen, eventueel hernoemd)"
                if item.get("class") == "STAR" and (
                    item.get("exclude_list") or item.get("replace_list") or item.get("columns")
                ):
                    return "heeft een * met exclude, replace of columns"
    qualifies = [n["qualify"] for n in nodes if n.get("qualify")]
    windows = [n for n in nodes if n.get("class") == "WINDOW"]
    if len(qualifies) != 1 or len(windows) != 1:
        return "heeft niet precies één qualify row_number() = 1"
    q = qualifies[0]
    window = q.get("left", {})
    partitions = [c.get("column_names") for c in window.get("partitions", [])]
    orders = [
        (tuple(o["expression"].get("column_names", [])), o["type"])
        for o in window.get("orders", [])
    ]
    if (
        q.get("type") != "COMPARE_EQUAL"
        or window.get("type") != "WINDOW_ROW_NUMBER"
        or q.get("right", {}).get("literal", {}).get("text") != "1"
        or partitions != [[k] for k in source.key]
        or orders != [((c,), d) for c, d in _ORDER]
    ):
        return (
            f"qualify is niet row_number() over (partition by {', '.join(source.key)} "
            "order by _load_id desc, _bestand_seq desc, _regel desc) = 1"
        )
    final = next(n for n in nodes if n.get("type") == "SELECT_NODE" and n.get("qualify"))
    kept = {}
    for item in final.get("select_list", []):
        if item.get("class") == "COLUMN_REF":
            kept[item.get("alias") or item["column_names"][-1]] = item["column_names"][-1]
    for key in source.key:
        if kept.get(key) != key:
            return f"sleutelkolom {key} staat er niet als zichzelf in"
    return None


def upsert(
    con: duckdb.DuckDBPyConnection, relation: str, sql: str, source: Source, new_loads: list[str]
) -> int:
    """Bring staging table `relation` up to date with the rows of `new_loads` in raw: the model
    `sql` run over the new rows only, then per key the old row replaced by the new one. The
    same table the full model gives, because a row of a later load always wins
    (tests/pipelines/test_incremental.py checks both the model form and the result)."""
    raw = f"raw.{source.name}"
    con.execute(
        f"create or replace temp table _nieuwe_versies as select * from {raw} "
        "where _load_id in (select unnest(?::varchar[]))",
        [new_loads],
    )
    con.execute(
        "create or replace temp table _nieuwe_rijen as "
        + reading_instead(con, sql, raw, "_nieuwe_versies")
    )
    from pipelines.build import identifier  # build imports this module

    match = " and ".join(
        f"s.{identifier(k)} is not distinct from n.{identifier(k)}" for k in source.key
    )
    con.execute(f"delete from {relation} as s using _nieuwe_rijen as n where {match}")
    added = con.execute(f"insert into {relation} by name select * from _nieuwe_rijen").fetchone()
    con.execute("drop table _nieuwe_versies")
    con.execute("drop table _nieuwe_rijen")
    return added[0]
