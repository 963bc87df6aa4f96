"""The SQL models: one file per relation in sql/<layer>/<name>.sql, applied in layer order.

A file holds one SELECT (import CTEs first, `select * from final` last). Its leading comment
block documents it, and that documentation is what the analysts' schema browser shows:

    -- Naleefpercentage per deelnemer en periode ...        <- the relation's description
    -- kolom deelnemer_code: CBS-code of TOTAAL             <- one line per column

Within a layer, a model may read another model of the same layer: models are applied in name
order and a model whose input does not exist yet is retried after the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import incremental
from pipelines.incremental import Plan, volatile
from vthmonitor import voortgang
from vthmonitor.settings import SQL_DIR

# Layer -> how its models are materialised, in the order they are applied. Staging, meta and
# kpi are tables: pages read them, and computing them once per build beats once per query.
# meta is a table too: freshness is shown on every page, and counting 10 M hour lines per page
# view cost ~0,5 s at 10x the sample.
LAYERS: dict[str, str] = {"staging": "table", "meta": "table", "marts": "view", "kpi": "table"}

# SQL macros (create or replace macro ...), applied before the layers: a rule several models
# share, such as the status rule (docs/kpis.md, "Norm and status").
MACRO_DIR = "macros"

_COLUMN_DOC = re.compile(r"^kolom\s+([a-z_][a-z0-9_]*)\s*:\s*(.+)$")


class ModelError(Exception):
    """A SQL model could not be applied; the message names the file."""


@dataclass(frozen=True)
class Model:
    layer: str
    name: str
    kind: str  # "table" or "view"
    sql: str
    description: str
    column_docs: dict[str, str] = field(default_factory=dict)

    @property
    def relation(self) -> str:
        return f"{self.layer}.{self.name}"


def parse_model(layer: str, path: Path) -> Model:
    sql = path.read_text(encoding="utf-8")
    description, columns = [], {}
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        text = line[2:].strip()
        match = _COLUMN_DOC.match(text)
        if match:
            columns[match.group(1)] = match.group(2).strip()
        elif text:
            description.append(text)
    return Model(layer, path.stem, LAYERS[layer], sql, " ".join(description), columns)


def models(layer: str) -> list[Model]:
    return [parse_model(layer, p) for p in sorted((SQL_DIR / layer).glob("*.sql"))]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    con.execute(f"create or replace {model.kind} {model.relation} as\n{model.sql}")
    con.execute(f"comment on {model.kind} {model.relation} is {_literal(model.description)}")
    columns = {r[0] for r in con.execute(f"select * from {model.relation} limit 0").description}
    for column, doc in model.column_docs.items():
        if column not in columns:
            raise ModelError(
                f"sql/{model.layer}/{model.name}.sql beschrijft kolom '{column}', die de "
                "relatie niet heeft"
            )
        con.execute(f'comment on column {model.relation}."{column}" is {_literal(doc)}')


def apply_layers(con: duckdb.DuckDBPyConnection, plan: Plan | None = None) -> None:
    """Create every model of every layer, in layer order. With a `plan` (an incremental build
    on a copy of the published warehouse, pipelines/incremental.py) only what the new rows can
    change is recomputed: a source's staging table takes them by key, a table whose inputs
    changed is recomputed, everything else stays as it is.
    The macros of sql/macros/ come first: rules that more than one model applies (the status
    rule), each in one place."""
    for path in sorted((SQL_DIR / MACRO_DIR).glob("*.sql")):
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as exc:
            raise ModelError(f"sql/{MACRO_DIR}/{path.name}: {exc}") from exc
    if plan is not None:
        _know_reads(con, plan)
    for layer in LAYERS:
        con.execute(f"create schema if not exists {layer}")
        pending = models(layer)
        if plan is not None:
            pending = _changed_only(con, pending, plan)
        voortgang.meld(f"{layer} bouwen ({len(pending)} tabellen en views)")
        while pending:
            failed: list[tuple[Model, duckdb.Error]] = []
            for model in pending:
                # Autocommit per statement, deliberately no explicit transaction around a model:
                # DuckDB then keeps the new table in memory until the commit (docs/valkuilen.md
                # §11: 3,6 GB instead of 1,3 GB peak at scale 10).
                try:
                    apply(con, model)
                except duckdb.CatalogException as exc:  # reads a model not created yet
                    failed.append((model, exc))
            if len(failed) == len(pending):
                model, exc = failed[0]
                raise ModelError(f"sql/{layer}/{model.name}.sql: {exc}") from exc
            pending = [m for m, _ in failed]
        if layer == "staging":
            _contract_relations(con)
        if layer == "meta":
            _coverage_per_source(con)
        if plan is not None:
            incremental.compare(con, plan, layer)
        if layer == "marts":
            _kpi_families(con, plan)


def _know_reads(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """Tell the plan what every relation reads, and which relations changed because of that."""
    from pipelines.contract import SOURCES

    macros = incremental.macro_bodies(
        path.read_text(encoding="utf-8") for path in sorted((SQL_DIR / MACRO_DIR).glob("*.sql"))
    )
    for layer in LAYERS:
        for model in models(layer):
            read = incremental.reads(con, model.sql, macros)
            plan.know(model.relation, read.relations, read.opaque or volatile(model.sql))
    every_source = {f"staging.{s}" for s in SOURCES}
    plan.know("staging.bron_rijen", every_source)
    plan.know("staging.kalenderdatums", every_source)
    plan.know("staging.bronnen", set())
    plan.know("marts.kpi_families", {m.relation for m in _families()})
    for source in SOURCES.values():
        if source.dekking:
            plan.know(f"meta.dekking_{source.name}", {"meta.dekking"})
    plan.settle()


def _changed_only(con: duckdb.DuckDBPyConnection, layer: list[Model], plan: Plan) -> list[Model]:
    """The models of one layer an incremental build recomputes. A source's staging table that
    only gained rows takes them by key here; the tables to recompute are dropped first, so the
    retry loop of apply_layers orders them by what they read (kpi.totaal_bijdragers reads
    kpi.waarden and must never read the old one)."""
    from pipelines.contract import SOURCES

    pending = []
    for model in layer:
        if model.kind == "view":
            continue  # unchanged definition: it follows its tables by itself
        if model.layer == "staging" and model.name in SOURCES:
            source = SOURCES[model.name]
            if model.name in plan.recomputed:
                pending.append(model)
            elif model.name in plan.appended and (
                why := incremental.not_latest_per_key(con, model.sql, source)
            ):
                # not a plain "newest version per key": only the full model is right
                plan.done.append((model.relation, f"geheel, want het model {why}"))
                pending.append(model)
            elif model.name in plan.appended:
                added = incremental.upsert(con, model.relation, model.sql, source, plan.new_loads)
                plan.done.append((model.relation, f"{added} rijen bijgewerkt"))
        elif plan.is_changed(model.relation):
            pending.append(model)
    for model in pending:
        con.execute(f"drop table if exists {model.relation}")
        plan.done.append((model.relation, "opnieuw berekend"))
    return pending


# Every marts model named kpi_<family> returns rows in the shape of kpi.waarden (kpi_id,
# deelnemer_code, periode_type, periode, waarde, waarde_tekst, teller, noemer). Their union is
# marts.kpi_families, which kpi.waarden reads: a new family of KPIs is one new file.
FAMILY_PREFIX = "kpi_"
FAMILY_COLUMNS = (
    "kpi_id, deelnemer_code, periode_type, periode, waarde::double as waarde, "
    "waarde_tekst::varchar as waarde_tekst, teller::double as teller, noemer::double as noemer"
)

FAMILY_COLUMN_DOCS = {
    "kpi_id": "id uit kpi.catalogus",
    "deelnemer_code": "CBS-code van de deelnemer, of TOTAAL voor de hele organisatie",
    "periode_type": "jaar, kwartaal of maand",
    "periode": "de periode als tekst: 2024, 2024-Q3 of 2024-07",
    "waarde": "de waarde; NULL als de noemer 0 is of er geen gegevens zijn",
    "waarde_tekst": "een tekstwaarde (bijv. de LHSO-code bij lhso_zwaarste); meestal NULL",
    "teller": "teller van de breuk, of het aantal / de som zelf",
    "noemer": "noemer van de breuk; NULL bij aantallen, sommen en medianen",
}


def _families() -> list[Model]:
    return [m for m in models("marts") if m.name.startswith(FAMILY_PREFIX)]


def _kpi_families(con: duckdb.DuckDBPyConnection, plan: Plan | None) -> None:
    """marts.kpi_families: every family's rows, kept as a table with the family's name, so an
    incremental build recomputes only the families whose inputs changed (a monthly hours
    export recomputes the hours family, not the case output over every zaak)."""
    families = _families()
    if not families:
        return
    if plan is None:
        union = "\nunion all\n".join(
            f"select {_literal(m.name)} as familie, {FAMILY_COLUMNS} from {m.relation}"
            for m in families
        )
        con.execute(f"create or replace table marts.kpi_families as\n{union}")
    else:
        for m in families:
            if not plan.is_changed(m.relation):
                continue
            con.execute("delete from marts.kpi_families where familie = ?", [m.name])
            con.execute(
                f"insert into marts.kpi_families select {_literal(m.name)}, {FAMILY_COLUMNS} "
                f"from {m.relation}"
            )
            plan.done.append((m.relation, "familie opnieuw berekend"))
        return
    con.execute(
        "comment on table marts.kpi_families is "
        + _literal(
            "Alle KPI-families (marts.kpi_*) onder elkaar, in de vorm van kpi.waarden zonder "
            "norm en status: " + ", ".join(m.relation for m in families) + ". Een tabel, "
            "zodat een lading alleen de families herberekent waarvan de invoer veranderde."
        )
    )
    docs = {"familie": "naam van de familie: het model marts.<familie>, bijv. kpi_hr"}
    for column, doc in (docs | FAMILY_COLUMN_DOCS).items():
        con.execute(f'comment on column marts.kpi_families."{column}" is {_literal(doc)}')


# Relations generated from the data contract (pipelines/contract.py), the only place that lists
# the sources: the meta views and the KPI calendar read these instead of naming each source, so
# a source added to the contract is on the Datakwaliteit page without another edit
# (docs/datacontract.md). Names come from the contract (code), never from an export.
CONTRACT_RELATIONS = {
    "bronnen": (
        "Alle bronnen uit het datacontract (pipelines/contract.py), in de volgorde van het "
        "contract: naam, titel en groep.",
        {
            "bron": "naam van de bron (en van haar staging-tabel), bijv. zaken",
            "titel": "naam van de bron zoals de app die toont, bijv. Urenregistratie",
            "groep": "powerbrowser, hr of financien",
            "volgorde": "plaats van de bron in het datacontract (1 = eerste)",
            "dekking": "waar: een export van deze bron bevat elke gebeurtenis tot haar stand, "
            "dus haar dekking begrenst de KPI's die erop rusten (meta.dekking); onwaar bij "
            "plannen en registers",
        },
    ),
    "bron_rijen": (
        "Elke actuele rij van elke bron uit het datacontract, met de deelnemer en de datum van "
        "de gebeurtenis zoals het contract die aanwijst: basis voor versheid en bronnen per "
        "deelnemer.",
        {
            "bron": "naam van de bron, bijv. zaken",
            "deelnemer_code": "CBS-code van de deelnemer van de rij; leeg = hele organisatie of "
            "een bron zonder deelnemer",
            "datum": "datum van de gebeurtenis (bijv. datum_melding); leeg = bron zonder datum",
            "load_id": "lading waarmee de rij is binnengekomen",
            "bestand": "bestand waaruit de actuele versie van de rij komt (zie meta.loads)",
        },
    ),
    "kalenderdatums": (
        "De datums die de KPI-kalender (marts.perioden) bepalen: per bron de kolommen die het "
        "datacontract als kalender aanwijst; een jaar telt als 1 januari van dat jaar.",
        {
            "bron": "naam van de bron, bijv. zaken",
            "datum": "een datum uit die bron",
        },
    ),
}


def _contract_relations(con: duckdb.DuckDBPyConnection) -> None:
    from pipelines.contract import SOURCES

    sources = list(SOURCES.values())
    rows = ",\n".join(
        f"({_literal(s.name)}, {_literal(s.title)}, {_literal(s.group)}, {i}, {s.dekking})"
        for i, s in enumerate(sources, start=1)
    )
    selects = {
        "bronnen": f"select * from (values {rows}) as t(bron, titel, groep, volgorde, dekking)",
        "bron_rijen": "\nunion all\n".join(
            f"select {_literal(s.name)} as bron, "
            f"{_ident(s.deelnemer_column) if s.deelnemer_column else 'null'}::varchar "
            f"as deelnemer_code, "
            f"{_ident(s.date_column) if s.date_column else 'null'}::date as datum, "
            f"load_id, bestand from staging.{_ident(s.name)}"
            for s in sources
        ),
        "kalenderdatums": "\nunion all\n".join(
            f"select {_literal(s.name)} as bron, {_calendar_date(s, c)} as datum "
            f"from staging.{_ident(s.name)}"
            for s in sources
            for c in s.calendar
        ),
    }
    for name, (doc, columns) in CONTRACT_RELATIONS.items():
        con.execute(f"create or replace view staging.{name} as\n{selects[name]}")
        con.execute(f"comment on view staging.{name} is {_literal(doc)}")
        for column, text in columns.items():
            con.execute(f'comment on column staging.{name}."{column}" is {_literal(text)}')


def _coverage_per_source(con: duckdb.DuckDBPyConnection) -> None:
    """meta.dekking_<bron>: the coverage of one source. A KPI family reads the coverage of its
    own sources through these, so a load of hours changes what the hour KPIs read and not what
    the case KPIs read (docs/architectuur.md, "Incrementeel bouwen")."""
    from pipelines.contract import SOURCES

    docs = dict(
        con.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'meta' and table_name = 'dekking' and not internal"
        ).fetchall()
    )
    for source in SOURCES.values():
        if not source.dekking:
            continue
        relation = f"meta.dekking_{source.name}"
        con.execute(
            f"create or replace view {relation} as select * from meta.dekking "
            f"where bron = {_literal(source.name)}"
        )
        con.execute(
            f"comment on view {relation} is "
            + _literal(f"De rijen van meta.dekking voor de bron {source.name}.")
        )
        for column, doc in docs.items():
            if doc:
                con.execute(f'comment on column {relation}."{column}" is {_literal(doc)}')


def _calendar_date(source, column: str) -> str:
    if source.column(column).type == "int":  # a year
        return f"make_date({_ident(column)}::integer, 1, 1)"
    return f"{_ident(column)}::date"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
