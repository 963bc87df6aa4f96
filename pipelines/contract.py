"""The data contract as data (explained in docs/datacontract.md; this module is its source).

Every source the pipelines accept is described here once: its canonical columns, which are
required, their type and domain, how personal data is treated, and the key that identifies a
row. Parsing, validation, the raw Parquet schema and the empty warehouse tables are all derived
from these descriptions, so a new source is added by adding one `Source` below (see README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Column types. Each maps to one parse function in pipelines/parse.py and one DuckDB type.
ColumnType = Literal[
    "text",  # free string, trimmed; empty = missing
    "int",  # whole number, e.g. "3"
    "decimal",  # Dutch decimal: "1.234,50" or "12,5" or "12"
    "date",  # dd-mm-jjjj (optionally with time, which is dropped) or jjjj-mm-dd
    "datetime",  # dd-mm-jjjj [hh:mm[:ss]] or ISO; keeps the time of day
    "bool",  # Ja/Nee, J/N, 1/0, true/false
    "enum",  # one of `values` (matched case-insensitively, stored in canonical spelling)
    "deelnemer",  # CBS code, name or alias of a deelnemer (reference data) -> CBS code
    "postcode4",  # a Dutch postcode; only the 4 digits are kept (privacy)
]

# How personal data is treated at ingestion (before anything is written to the lake).
Pii = Literal[
    "hash",  # replaced by a keyed HMAC-SHA256 pseudonym (same person, same pseudonym)
    "drop",  # never stored outside the landing zone (free text, names, birth dates)
]

DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "decimal": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "bool": "BOOLEAN",
    "enum": "VARCHAR",
    "deelnemer": "VARCHAR",
    "postcode4": "VARCHAR",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "text"
    required: bool = False  # required *column* in the header; rows may still be checked below
    not_null: bool = False  # every row must have a value (implied for key columns)
    values: tuple[str, ...] = ()  # domain of an enum
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False  # e.g. uren > 0
    pii: Pii | None = None
    not_in_future: bool = False  # event dates: an event cannot be registered before it happened


@dataclass(frozen=True)
class Source:
    name: str
    title: str  # Dutch, for messages and the app
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    group: Literal["powerbrowser", "hr", "financien", "referentie"]
    formats: tuple[str, ...] = ("csv",)
    date_column: str | None = None  # the event date: used for freshness
    deelnemer_column: str | None = None  # the column that says which deelnemer a row is for
    checks: tuple[str, ...] = field(default=())  # names of cross-field checks in parse.py
    single_row: bool = False  # reference data that holds exactly one row (a setting)
    # The dates that span the KPI calendar (marts.perioden via staging.kalenderdatums): an int
    # column is a year. Event dates of registers (an establishment's start) are not among them.
    calendar: tuple[str, ...] = ()
    # An export of this source holds every event up to its snapshot date ("stand per"), so its
    # coverage limits the KPIs computed from it (meta.dekking, docs/kpis.md, "Dekking"). Plans
    # (begroting, programma, formatie) and registers (inrichtingen) do not: a plan for next year
    # is not an event that already happened.
    dekking: bool = False

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required or c.name in self.key]

    @property
    def stored_columns(self) -> list[Column]:
        """Columns that reach the raw layer (PII to drop never does)."""
        return [c for c in self.columns if c.pii != "drop"]


GEVOLGEN = ("A", "B", "C", "D")
GEDRAG = ("1", "2", "3", "4")
TAAKPAKKET_ZAAK = ("basistaak", "plustaak", "facultatief")
AARD = (
    "geur",
    "geluid",
    "stof",
    "licht",
    "trilling",
    "afval",
    "water",
    "bodem",
    "asbest",
    "lucht",
    "overig",
)
INSTRUMENTEN = (
    "waarschuwing",
    "voornemen",
    "last_onder_dwangsom",
    "last_onder_bestuursdwang",
    "bestuurlijke_boete",
    "bsbm",
    "proces_verbaal",
    "strafbeschikking",
    "stillegging",
    "intrekking",
)
SOORT_CONTROLE = (
    "periodiek",
    "hercontrole",
    "handhavingscontrole",
    "klachtcontrole",
    "themacontrole",
    "administratief",
)
DIENSTVERBAND = ("vast", "tijdelijk", "inhuur", "detachering", "trainee", "stagiair")
KWALITEITSCRITERIA = ("voldoet", "voldoet_deels", "voldoet_niet", "n.v.t.")
TAAKPAKKET_FIN = ("basistaken", "plustaken", "facultatief", "spuk", "organisatie")
POST = ("bijdrage", "loonsom", "opleiding", "innovatie", "inhuur", "overig")
MIJLPAAL_STATUS = ("gereed", "op_schema", "risico", "vertraagd")

# RD New (EPSG:28992) bounds of the European Netherlands; a point outside is a typo.
RD_X = {"minimum": 0.0, "maximum": 300_000.0}
RD_Y = {"minimum": 289_000.0, "maximum": 629_000.0}

_EUR = {"minimum": 0.0}

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            name="inrichtingen",
            title="Inrichtingen",
            group="powerbrowser",
            key=("inrichting_id",),
            deelnemer_column="bevoegd_gezag",
            date_column="datum_start",
            checks=("einde_na_start",),
            columns=(
                Column("inrichting_id", required=True),
                Column("naam", required=True, not_null=True),
                Column("straat"),
                Column("huisnummer"),
                Column("postcode"),
                Column("plaats"),
                Column("bevoegd_gezag", "deelnemer", required=True, not_null=True),
                Column("sbi_code"),
                Column("branche"),
                Column("inrichtingstype", "enum", values=("A", "B", "C")),
                Column("risicoklasse", "int", minimum=1, maximum=5),
                Column("x", "decimal", **RD_X),
                Column("y", "decimal", **RD_Y),
                Column("datum_start", "date"),
                Column("datum_einde", "date"),
            ),
        ),
        Source(
            name="zaken",
            dekking=True,
            calendar=("datum_ontvangst", "datum_besluit"),
            title="Zaken",
            group="powerbrowser",
            key=("zaaknummer",),
            deelnemer_column="bevoegd_gezag",
            date_column="datum_ontvangst",
            checks=("besluit_na_ontvangst",),
            columns=(
                Column("zaaknummer", required=True),
                Column("zaaktype", required=True, not_null=True),
                Column("product", required=True, not_null=True),
                Column(
                    "taakveld",
                    "enum",
                    required=True,
                    not_null=True,
                    values=(
                        "Vergunningverlening",
                        "Toezicht",
                        "Handhaving",
                        "Advies",
                        "Klachten",
                        "Overig",
                    ),
                ),
                Column("taakpakket", "enum", required=True, not_null=True, values=TAAKPAKKET_ZAAK),
                Column("bevoegd_gezag", "deelnemer", required=True, not_null=True),
                Column("inrichting_id"),
                Column("procedure", "enum", values=("regulier", "uitgebreid")),
                Column(
                    "datum_ontvangst", "datetime", required=True, not_null=True, not_in_future=True
                ),
                Column("datum_besluit", "datetime", not_in_future=True),
                Column("uiterste_beslisdatum", "date"),
                Column("opschorting_dagen", "int", minimum=0, maximum=3650),
                Column(
                    "status",
                    "enum",
                    required=True,
                    not_null=True,
                    values=("open", "afgesloten", "ingetrokken"),
                ),
                Column("resultaat"),
            ),
        ),
        Source(
            name="controles",
            dekking=True,
            calendar=("datum_controle",),
            title="Controles",
            group="powerbrowser",
            key=("controle_id",),
            deelnemer_column="bevoegd_gezag",
            date_column="datum_controle",
            checks=("lhso_bij_overtreding",),
            columns=(
                Column("controle_id", required=True),
                Column("zaaknummer"),
                Column("inrichting_id", required=True, not_null=True),
                Column("bevoegd_gezag", "deelnemer", required=True, not_null=True),
                Column(
                    "datum_controle", "datetime", required=True, not_null=True, not_in_future=True
                ),
                Column("soort", "enum", required=True, not_null=True, values=SOORT_CONTROLE),
                Column("thema"),
                Column("aantal_overtredingen", "int", required=True, not_null=True, minimum=0),
                Column("lhso_gevolgen", "enum", values=GEVOLGEN),
                Column("lhso_gedrag", "enum", values=GEDRAG),
                Column("energiebesparing_kwh", "decimal", minimum=0),
                Column("energiebesparing_m3_gas", "decimal", minimum=0),
                Column("toezichthouder_id", pii="hash"),
            ),
        ),
        Source(
            name="klachten",
            dekking=True,
            calendar=("datum_melding", "datum_afgehandeld"),
            title="Klachten",
            group="powerbrowser",
            key=("klacht_id",),
            deelnemer_column="bevoegd_gezag",
            date_column="datum_melding",
            checks=("afgehandeld_na_melding",),
            columns=(
                Column("klacht_id", required=True),
                Column(
                    "datum_melding", "datetime", required=True, not_null=True, not_in_future=True
                ),
                Column("bevoegd_gezag", "deelnemer", required=True, not_null=True),
                Column("aard", "enum", required=True, not_null=True, values=AARD),
                Column("inrichting_id"),
                Column("x", "decimal", **RD_X),
                Column("y", "decimal", **RD_Y),
                Column("melder_naam", pii="hash"),
                Column("melder_telefoon", pii="hash"),
                Column("melder_email", pii="hash"),
                Column("melder_postcode", "postcode4"),
                Column("omschrijving", pii="drop"),
                Column("datum_afgehandeld", "datetime", not_in_future=True),
                Column("gegrond", "enum", values=("Ja", "Nee", "Onbekend")),
            ),
        ),
        Source(
            name="handhaving",
            dekking=True,
            calendar=("datum_besluit",),
            title="Handhavingsbesluiten",
            group="powerbrowser",
            key=("besluit_id",),
            deelnemer_column="bevoegd_gezag",
            date_column="datum_besluit",
            columns=(
                Column("besluit_id", required=True),
                Column("zaaknummer"),
                Column("inrichting_id", required=True, not_null=True),
                Column("bevoegd_gezag", "deelnemer", required=True, not_null=True),
                Column(
                    "datum_besluit", "datetime", required=True, not_null=True, not_in_future=True
                ),
                Column("instrument", "enum", required=True, not_null=True, values=INSTRUMENTEN),
                Column("lhso_gevolgen", "enum", values=GEVOLGEN),
                Column("lhso_gedrag", "enum", values=GEDRAG),
                Column("dwangsom_bedrag", "decimal", **_EUR),
                Column("verbeurd_bedrag", "decimal", **_EUR),
                Column("ingevorderd_bedrag", "decimal", **_EUR),
            ),
        ),
        Source(
            name="uren",
            dekking=True,
            calendar=("datum",),
            title="Urenregistratie",
            group="powerbrowser",
            key=("regel_id",),
            deelnemer_column="bevoegd_gezag",
            date_column="datum",
            columns=(
                Column("regel_id", required=True),
                Column("medewerker_id", required=True, not_null=True, pii="hash"),
                Column("datum", "date", required=True, not_null=True, not_in_future=True),
                # empty bevoegd_gezag = indirect hours (not billed to a deelnemer)
                Column("bevoegd_gezag", "deelnemer"),
                Column("product", required=True, not_null=True),
                Column("taakpakket", "enum", required=True, not_null=True, values=TAAKPAKKET_ZAAK),
                Column("zaaknummer"),
                Column(
                    "uren",
                    "decimal",
                    required=True,
                    not_null=True,
                    minimum=0,
                    minimum_exclusive=True,
                    maximum=24,
                ),
                Column("declarabel", "bool", required=True, not_null=True),
            ),
        ),
        Source(
            name="medewerkers",
            dekking=True,
            calendar=("peildatum",),
            title="Medewerkers (HR)",
            group="hr",
            formats=("csv", "xlsx"),
            key=("peildatum", "medewerker_id"),
            date_column="peildatum",
            checks=("uit_na_in",),
            columns=(
                Column("peildatum", "date", required=True, not_in_future=True),
                Column("medewerker_id", required=True, pii="hash"),
                Column("naam", pii="drop"),
                Column("geboortedatum", pii="drop"),
                Column("functie", required=True, not_null=True),
                Column("team", required=True, not_null=True),
                Column(
                    "fte",
                    "decimal",
                    required=True,
                    not_null=True,
                    minimum=0,
                    minimum_exclusive=True,
                    maximum=1.2,
                ),
                Column("dienstverband", "enum", required=True, not_null=True, values=DIENSTVERBAND),
                Column("datum_in", "date"),
                Column("datum_uit", "date"),
                Column("kwaliteitscriteria", "enum", values=KWALITEITSCRITERIA),
                Column("boa", "bool"),
            ),
        ),
        Source(
            name="formatie",
            title="Formatie (HR)",
            group="hr",
            formats=("csv", "xlsx"),
            key=("jaar", "team", "functie"),
            columns=(
                Column("jaar", "int", required=True, minimum=2000, maximum=2100),
                Column("team", required=True),
                Column("functie", required=True),
                Column("formatie_fte", "decimal", required=True, not_null=True, minimum=0),
            ),
        ),
        Source(
            name="opleidingen",
            dekking=True,
            title="Opleidingen (HR)",
            group="hr",
            formats=("csv", "xlsx"),
            key=("regel_id",),
            date_column="datum",
            columns=(
                Column("regel_id", required=True),
                Column("medewerker_id", required=True, not_null=True, pii="hash"),
                Column("datum", "date", required=True, not_null=True, not_in_future=True),
                # a course title can name a person or a medical reason: treated as free text
                Column("omschrijving", pii="drop"),
                Column("kosten", "decimal", required=True, not_null=True, minimum=0),
                Column("uren", "decimal", minimum=0),
            ),
        ),
        *(
            Source(
                name=name,
                title=title,
                group="financien",
                formats=("csv", "xlsx"),
                calendar=calendar,
                # the key is every column but bedrag and uren (data contract); an empty maand or
                # deelnemer is part of the key (NULL-safe comparison in the staging views)
                key=("jaar", "maand", "deelnemer", "taakpakket", "post"),
                deelnemer_column="deelnemer",
                columns=(
                    Column("jaar", "int", required=True, minimum=2000, maximum=2100),
                    Column("maand", "int", minimum=1, maximum=12),
                    Column("deelnemer", "deelnemer"),
                    Column(
                        "taakpakket", "enum", required=True, not_null=True, values=TAAKPAKKET_FIN
                    ),
                    Column("post", "enum", required=True, not_null=True, values=POST),
                    Column("bedrag", "decimal", required=True, not_null=True),
                    Column("uren", "decimal", minimum=0),
                ),
            )
            for name, title, calendar in (
                ("begroting", "Begroting", ("jaar",)),
                ("realisatie", "Realisatie", ()),
            )
        ),
        Source(
            name="programma",
            title="Uitvoeringsprogramma",
            group="financien",
            formats=("csv", "xlsx"),
            key=("jaar", "deelnemer", "product"),
            deelnemer_column="deelnemer",
            columns=(
                Column("jaar", "int", required=True, minimum=2000, maximum=2100),
                Column("deelnemer", "deelnemer", required=True),
                Column("product", required=True),
                Column("gepland_aantal", "int", required=True, not_null=True, minimum=0),
                Column("geplande_uren", "decimal", minimum=0),
            ),
        ),
    )
}

# Reference data: files in reference/, loaded at every warehouse build (not through the
# landing zone: they live in the repository, versioned, edited by the beheerder).
REFERENCE: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            name="deelnemers",
            title="Deelnemers",
            group="referentie",
            key=("code",),
            columns=(
                Column("code", required=True),
                Column("naam", required=True, not_null=True),
                Column(
                    "soort", "enum", required=True, not_null=True, values=("gemeente", "provincie")
                ),
                Column("inwoners", "int", required=True, not_null=True, minimum=0),
                # '|'-separated extra spellings, e.g. "Gemeente Enschede|Enschede (gem.)"
                Column("aliases"),
            ),
        ),
        Source(
            name="normen",
            title="Normen",
            group="referentie",
            key=("kpi_id", "geldig_vanaf"),
            columns=(
                Column("kpi_id", required=True),
                Column("operator", "enum", required=True, not_null=True, values=(">=", "<=", "=")),
                Column("waarde", "decimal", required=True, not_null=True),
                Column("geldig_vanaf", "date", required=True),
                Column("deadline", "date"),
                Column("bron", required=True, not_null=True),
                Column("geverifieerd", "bool", required=True, not_null=True),
                Column("toelichting"),
            ),
        ),
        Source(
            # The one place of the status rule's tolerance (docs/kpis.md, "Status"): a value
            # that misses its norm by at most this share of the norm is oranje, not rood.
            name="statusregel",
            title="Statusregel",
            group="referentie",
            key=("oranje_marge_pct",),
            single_row=True,
            columns=(
                Column("oranje_marge_pct", "decimal", required=True, minimum=0, maximum=100),
                Column("toelichting"),
            ),
        ),
        Source(
            name="mandaten",
            title="Mandaten",
            group="referentie",
            key=("deelnemer", "besluittype"),
            deelnemer_column="deelnemer",
            columns=(
                Column("deelnemer", "deelnemer", required=True),
                Column("besluittype", required=True),
                Column("gemandateerd", "bool", required=True, not_null=True),
                Column("datum", "date"),
            ),
        ),
        Source(
            name="mijlpalen",
            title="Mijlpalen",
            group="referentie",
            key=("mijlpaal_id",),
            columns=(
                Column("mijlpaal_id", required=True),
                Column(
                    "plan",
                    "enum",
                    required=True,
                    not_null=True,
                    values=("robuustheid", "verbeterplan"),
                ),
                Column("titel", required=True, not_null=True),
                Column("gepland", required=True, not_null=True),  # e.g. "2025-Q3" or "2026-01-01"
                Column("deadline", "date", required=True, not_null=True),
                Column("status", "enum", required=True, not_null=True, values=MIJLPAAL_STATUS),
                Column("laatste_update", "date"),
                Column("toelichting"),
                Column("bron"),
            ),
        ),
        Source(
            name="kpi_catalogus",
            title="KPI-catalogus",
            group="referentie",
            key=("kpi_id",),
            columns=(
                Column("kpi_id", required=True),
                Column("naam", required=True, not_null=True),
                Column("definitie", required=True, not_null=True),
                Column("eenheid", required=True, not_null=True),
                Column(
                    "richting",
                    "enum",
                    required=True,
                    not_null=True,
                    values=("hoger_is_beter", "lager_is_beter", "neutraal"),
                ),
                Column("bron", required=True, not_null=True),
                Column(
                    "groep",
                    "enum",
                    required=True,
                    not_null=True,
                    values=("robuustheid", "output", "naleving", "klachten", "hr", "financien"),
                ),
                # the sources (comma-separated) whose coverage limits the KPI's periods
                # (docs/kpis.md, "Dekking"); empty = none (plans, reference data)
                Column("gegevensbronnen"),
            ),
        ),
    )
}


def kind_from_filename(filename: str) -> str | None:
    """`zaken_20250131.csv` -> `zaken`: the part before the first `_`, `-`, `.` or digit."""
    stem = filename.lower()
    for i, ch in enumerate(stem):
        if ch in "_-." or ch.isdigit() or ch == " ":
            stem = stem[:i]
            break
    return stem if stem in SOURCES else None
