"""Pure parsing and validation: a table of strings in, typed rows and quarantine rows out.

Nothing here touches files or the lake, so every rule is unit-tested on a handful of rows. The
input is a polars DataFrame of strings with canonical column names plus `_regel` (the line number
of the row in the file); the output is the typed rows that passed every check and one row per
(line, column) problem for the rows that did not. Each rule reads one column of the contract
(pipelines/contract.py); all work is vectorised, because a year of hours is ~150 000 rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date

import polars as pl

from pipelines.contract import Column, Source

ERROR_SCHEMA = {"regel": pl.Int64, "kolom": pl.String, "reden": pl.String, "waarde": pl.String}

# Formats tried in order; the first that parses wins. `exact` matching, so "1-2-2024" and
# "01-02-2024" both parse but "2024-02-30" and "31-02-2024" (impossible dates) do not.
DATE_FORMATS = (
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)
EARLIEST_DATE = date(1900, 1, 1)

_TRUE = ("ja", "j", "1", "true", "waar", "yes", "y")
_FALSE = ("nee", "n", "0", "false", "onwaar", "no")
BOOLEANS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}

# Digits are ASCII [0-9], never `\d`: the regex engine's \d also matches full-width and
# Arabic-Indic digits, which then pass the format check but fail the conversion.
# "1.234,5", "-12", "12,50": Dutch decimals, optional thousands dots in groups of three.
DUTCH_DECIMAL = r"^[-+]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$"
# Excel cells that held a number come out as "0.8": accepted for xlsx input only, where the
# value was typed in a cell and "1.234" cannot mean one thousand two hundred and thirty four.
DOT_DECIMAL = r"^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
INTEGER = r"^[-+]?[0-9]+$"
POSTCODE = r"^([0-9]{4})\s*([A-Za-z]{2})?$"

# The longest field an export can hold: an Excel cell holds at most 32 767 characters, so a
# longer field is a broken export, never a value (docs/invoer.md, "Grenzen").
MAX_FIELD_CHARS = 32_767
# Control characters (NUL and the like; TAB, LF and CR are ordinary) never belong in a value.
CONTROL_CHARS = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"
FIELD_TOO_LONG = (
    "het veld is langer dan 32.767 tekens (de grens van een Excel-cel); het is afgebroken of "
    "samengevoegd met andere velden: corrigeer de export"
)
FIELD_CONTROL = (
    "het veld bevat een onzichtbaar stuurteken (bijv. NUL); verwijder het in de bron of "
    "exporteer opnieuw"
)

PII_MASK = "(persoonsgegeven, niet getoond)"


class ReferenceError_(ValueError):
    """Reference data itself is invalid (e.g. two deelnemers share an alias)."""


def normalise_name(value: str) -> str:
    """Lower case, accents kept, runs of spaces/underscores/hyphens to one `_`, trimmed.

    Used for header names ("Bevoegd gezag " -> "bevoegd_gezag") and deelnemer spellings.
    """
    value = unicodedata.normalize("NFC", value).strip().lower().lstrip("\ufeff")
    return re.sub(r"[\s_\-]+", "_", value).strip("_")


def deelnemer_lookup(deelnemers: Iterable[dict]) -> dict[str, str]:
    """Every accepted spelling of a deelnemer (normalised) -> its CBS code.

    Accepted: the code, the name, "Gemeente <naam>" / "Provincie <naam>" and the aliases of the
    reference data. An alias that points at two deelnemers is an error in the reference data.
    """
    lookup: dict[str, str] = {}
    for row in deelnemers:
        code, naam = row["code"], row["naam"]
        spellings = {code, naam, f"gemeente {naam}", f"gem. {naam}"}
        spellings |= {a for a in (row.get("aliases") or "").split("|") if a.strip()}
        for spelling in spellings:
            key = normalise_name(spelling)
            if lookup.get(key, code) != code:
                raise ReferenceError_(
                    f"De schrijfwijze '{spelling}' hoort bij twee deelnemers "
                    f"({lookup[key]} en {code}); pas deelnemers.csv aan."
                )
            lookup[key] = code
    return lookup


@dataclass(frozen=True)
class ParseContext:
    deelnemers: dict[str, str]  # normalised spelling -> CBS code
    pseudonymise: Callable[[str, pl.Series], pl.Series]  # (column, clear values) -> pseudonyms
    today: date
    dot_decimals: bool = False  # xlsx input: "0.8" is a decimal


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def _range_error(col: Column, value: pl.Expr) -> pl.Expr | None:
    checks = []
    if col.minimum is not None:
        if col.minimum_exclusive:
            checks.append((value <= col.minimum, f"moet groter zijn dan {_fmt(col.minimum)}"))
        else:
            checks.append((value < col.minimum, f"mag niet kleiner zijn dan {_fmt(col.minimum)}"))
    if col.maximum is not None:
        checks.append((value > col.maximum, f"mag niet groter zijn dan {_fmt(col.maximum)}"))
    if not checks:
        return None
    expr = pl.when(checks[0][0]).then(pl.lit(checks[0][1]))
    for cond, msg in checks[1:]:
        expr = expr.when(cond).then(pl.lit(msg))
    return expr.otherwise(None)


def _fmt(number: float) -> str:
    text = f"{number:g}"
    return text.replace(".", ",")


def field_error(raw: pl.Expr) -> pl.Expr:
    """Why a raw field can be no value of any type (too long, control characters), or null."""
    return (
        pl.when(raw.str.len_chars() > MAX_FIELD_CHARS)
        .then(pl.lit(FIELD_TOO_LONG))
        .when(raw.str.contains(CONTROL_CHARS))
        .then(pl.lit(FIELD_CONTROL))
        .otherwise(None)
    )


def parse_column(col: Column, raw: pl.Expr, ctx: ParseContext) -> tuple[pl.Expr, pl.Expr]:
    """(typed value, error reason or null) for one column, as expressions on the raw strings."""
    text = _blank_to_null(raw)
    present = text.is_not_null()
    value: pl.Expr
    error: pl.Expr = pl.lit(None, dtype=pl.String)

    if col.type == "text":
        value = text
    elif col.type == "int":
        ok = text.str.contains(INTEGER)
        value = pl.when(ok).then(text.str.replace(r"^\+", "")).cast(pl.Int64, strict=False)
        error = (
            pl.when(present & ~ok)
            .then(pl.lit("geen geheel getal"))
            .when(present & value.is_null())
            .then(pl.lit("het getal is te groot (hooguit 18 cijfers)"))
        )
    elif col.type == "decimal":
        dutch = text.str.contains(DUTCH_DECIMAL)
        normalised = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
        ok = dutch
        if ctx.dot_decimals:
            # a typed Excel cell comes out as "0.125": the dot is a decimal point, never a
            # thousands separator, so it wins over the Dutch reading
            dotted = text.str.contains(DOT_DECIMAL)
            normalised = pl.when(dotted).then(text).otherwise(normalised)
            ok = dutch | dotted
        value = pl.when(ok).then(normalised).cast(pl.Float64, strict=False)
        error = (
            pl.when(present & ~ok)
            .then(
                pl.lit("geen getal (verwacht bijvoorbeeld 1.234,5 met een komma als decimaalteken)")
            )
            # "1e400" or 400 digits convert to infinity: no amount or count is that large
            .when(present & (value.is_null() | value.is_infinite() | value.is_nan()))
            .then(pl.lit("het getal is te groot om te verwerken"))
        )
    elif col.type in ("date", "datetime"):
        parsed = pl.coalesce(
            [
                text.str.strptime(pl.Datetime("us"), f, strict=False, exact=True)
                for f in DATE_FORMATS
            ]
        )
        value = parsed.dt.date() if col.type == "date" else parsed
        day = parsed.dt.date()
        error = (
            pl.when(present & parsed.is_null())
            .then(pl.lit("ongeldige of onmogelijke datum (verwacht dd-mm-jjjj)"))
            .when(day < EARLIEST_DATE)
            .then(pl.lit("onmogelijke datum (vóór 1900)"))
        )
        if col.not_in_future:
            error = error.when(day > ctx.today).then(
                pl.lit(f"datum ligt in de toekomst (na {ctx.today:%d-%m-%Y})")
            )
    elif col.type == "bool":
        lowered = text.str.to_lowercase()
        value = lowered.replace_strict(BOOLEANS, default=None, return_dtype=pl.Boolean)
        error = pl.when(present & value.is_null()).then(
            pl.lit("geen ja/nee-waarde (verwacht Ja of Nee)")
        )
    elif col.type == "enum":
        canonical = {v.lower(): v for v in col.values}
        value = text.str.to_lowercase().replace_strict(canonical, default=None)
        error = pl.when(present & value.is_null()).then(
            pl.lit("onbekende waarde; toegestaan: " + ", ".join(col.values))
        )
    elif col.type == "deelnemer":
        normalised = text.str.to_lowercase().str.replace_all(r"[\s_\-]+", "_").str.strip_chars("_")
        value = normalised.replace_strict(ctx.deelnemers, default=None, return_dtype=pl.String)
        error = pl.when(present & value.is_null()).then(
            pl.lit("onbekende deelnemer (niet in de referentielijst deelnemers)")
        )
    elif col.type == "postcode4":
        value = text.str.extract(POSTCODE, 1)
        error = pl.when(present & value.is_null()).then(pl.lit("ongeldige postcode"))
    else:  # pragma: no cover - the contract only uses the types above
        raise ValueError(col.type)

    if hasattr(error, "otherwise"):  # an open when/then chain
        error = error.otherwise(None)
    # The contract's promise, for every type: a value that is present either converts or is
    # quarantined. Never a silent NULL (docs/invoer.md, "Getallen").
    error = pl.coalesce(
        [
            error,
            pl.when(present & value.is_null()).then(
                pl.lit("de waarde kon niet worden omgezet; corrigeer de export")
            ),
        ]
    )
    if col.type in ("int", "decimal"):
        range_error = _range_error(col, value)
        if range_error is not None:
            error = pl.coalesce([error, range_error])
    if col.not_null:
        error = pl.coalesce([pl.when(~present).then(pl.lit("verplicht veld is leeg")), error])
    # A field that is no value at all is reported as such, before any type error.
    error = pl.coalesce([field_error(raw), error])
    return value, error


# Cross-field checks named in Source.checks: (column the error is reported on, reason,
# condition on the *typed* values that is true for a bad row).
CROSS_CHECKS: dict[str, tuple[str, str, Callable[[], pl.Expr]]] = {
    "einde_na_start": (
        "datum_einde",
        "datum_einde ligt vóór datum_start",
        lambda: pl.col("datum_einde") < pl.col("datum_start"),
    ),
    "besluit_na_ontvangst": (
        "datum_besluit",
        "datum_besluit ligt vóór datum_ontvangst",
        lambda: pl.col("datum_besluit").dt.date() < pl.col("datum_ontvangst").dt.date(),
    ),
    "afgehandeld_na_melding": (
        "datum_afgehandeld",
        "datum_afgehandeld ligt vóór datum_melding",
        lambda: pl.col("datum_afgehandeld").dt.date() < pl.col("datum_melding").dt.date(),
    ),
    "uit_na_in": (
        "datum_uit",
        "datum_uit ligt vóór datum_in",
        lambda: pl.col("datum_uit") < pl.col("datum_in"),
    ),
    # Data contract: both LHSO fields are present exactly when aantal_overtredingen > 0.
    "lhso_bij_overtreding": (
        "lhso_gevolgen",
        "LHSO-score (gevolgen én gedrag) hoort ingevuld te zijn precies als "
        "aantal_overtredingen > 0",
        lambda: (
            (
                (pl.col("aantal_overtredingen") > 0)
                & (pl.col("lhso_gevolgen").is_null() | pl.col("lhso_gedrag").is_null())
            )
            | (
                (pl.col("aantal_overtredingen") == 0)
                & (pl.col("lhso_gevolgen").is_not_null() | pl.col("lhso_gedrag").is_not_null())
            )
        ),
    ),
}


@dataclass(frozen=True)
class Parsed:
    rows: pl.DataFrame  # typed rows that passed every check, in file order, with `_regel`
    errors: pl.DataFrame  # one row per (regel, kolom) problem: ERROR_SCHEMA
    ignored: tuple[str, ...] = ()  # unknown columns left in the landing zone

    @property
    def quarantined_rows(self) -> int:
        return self.errors["regel"].n_unique() if self.errors.height else 0


# Unknown export columns stay in the landing zone only, unless the mapping file admits them by
# name (docs/invoer.md, "Kolommen"): a new column in an export may hold anything, a BSN included.
# A name that suggests personal data or free text cannot even be admitted.
PERSONAL_NAME_PARTS = (
    "naam",
    "burgerservice",
    "geboren",
    "gsm",
    "contact",
    "beschrijving",
    "persoon",
    "klant",
    "mail",
    "telefoon",
    "tel_",
    "mobiel",
    "geboorte",
    "omschrijving",
    "opmerking",
    "toelichting",
    "notitie",
    "memo",
    "adres",
    "bsn",
    "iban",
    "melder",
)


def looks_personal(column: str) -> bool:
    name = normalise_name(column)
    return name == "tel" or any(part in name for part in PERSONAL_NAME_PARTS)


# What the quarantine may show of a rejected value (docs/invoer.md, "Quarantaine"). The beheerder
# needs to see "31-02-2024" or "Gemeente Hengeloo" to fix an export, but a rejected value can be
# anything a person typed in the wrong column: text with an e-mail address, a phone number or
# BSN (8 or more digits in a row), several words, or more than 32 characters is not shown; the
# file, line and column say where to find it in the landing zone.
_SHOWN_MAX_CHARS = 32
_LONG_NUMBER = re.compile(r"[0-9]{8,}")
_CONTROL = re.compile(CONTROL_CHARS)
_HIDDEN = "(niet getoond: {} tekens, mogelijk persoonsgegevens; zie het bestand)"
_HIDDEN_PATTERN = re.compile(
    "^" + re.escape(_HIDDEN).replace(re.escape("{}"), "[0-9]+(?:\\.[0-9]{3})*") + "$"
)


def shown_value(value: str | None) -> str | None:
    """A rejected value as meta.quarantaine may show it: itself, or a note that hides it.
    Applying it twice changes nothing (the build applies it again to older files)."""
    if value is None or value == PII_MASK or _HIDDEN_PATTERN.match(value):
        return value
    hide = (
        len(value) > _SHOWN_MAX_CHARS
        or "@" in value
        or _LONG_NUMBER.search(value.replace(" ", "")) is not None
        or len(value.split()) > 2
        or _CONTROL.search(value) is not None
    )
    if not hide:
        return value
    return _HIDDEN.format(f"{len(value):,}".replace(",", "."))


# Rows are typed in slices: evaluating every expression on 1.6 M rows at once costs ~1 GB of
# intermediate strings; slices keep the peak low at the same speed.
SLICE_ROWS = 200_000


def parse_rows(
    table: pl.DataFrame,
    source: Source,
    ctx: ParseContext,
    slice_rows: int = SLICE_ROWS,
    extra_columns: Collection[str] = (),
) -> Parsed:
    """Type and check every row of `table` (strings, canonical names, `_regel`).

    Columns of the contract that the file does not have are treated as empty. Columns the
    contract does not know are kept as text (`extra_<name>`) only when `extra_columns` (the
    mapping file's admitted names) lists them; the others are left out (`Parsed.ignored`).
    """
    known = {c.name for c in source.columns}
    unknown = [c for c in table.columns if c not in known and c != "_regel"]
    extras = [c for c in unknown if c in extra_columns and not looks_personal(c)]
    ignored = tuple(c for c in unknown if c not in extras)
    table = table.drop(ignored)
    table = table.with_columns(
        pl.lit(None, dtype=pl.String).alias(c.name)
        for c in source.columns
        if c.name not in table.columns
    )
    goods, errors = [], []
    for offset in range(0, max(table.height, 1), slice_rows):
        good, bad = _type_slice(table.slice(offset, slice_rows), source, ctx, extras)
        goods.append(good)
        errors.append(bad)
    good = pl.concat(goods, how="vertical_relaxed")

    # A key that occurs twice in one file is ambiguous: the first valid occurrence loads, later
    # ones are quarantined with a pointer to the first (the exporter should fix the export).
    key = list(source.key)
    first = pl.col("_regel").min().over(key)
    good = good.with_columns(
        pl.when(pl.col("_regel") != first)
        .then(pl.format("dubbele sleutel: dezelfde sleutel staat al op regel {}", first))
        .alias("_dubbel")
    )
    shown = source.column(key[0])
    duplicates = good.filter(pl.col("_dubbel").is_not_null()).select(
        pl.col("_regel").alias("regel"),
        pl.lit(shown.name).alias("kolom"),
        pl.col("_dubbel").alias("reden"),
        (pl.lit(PII_MASK) if shown.pii else pl.col("_sleutel")).alias("waarde"),
    )
    errors.append(duplicates.cast(ERROR_SCHEMA))
    good = good.filter(pl.col("_dubbel").is_null())

    stored = [c.name for c in source.stored_columns]
    rows = good.select("_regel", *stored, *(f"extra_{c}" for c in extras))
    for col in source.stored_columns:
        if col.pii == "hash":
            rows = rows.with_columns(ctx.pseudonymise(col.name, rows[col.name]).alias(col.name))
    errors = pl.concat(errors).sort("regel", "kolom")
    errors = errors.with_columns(
        pl.col("waarde").map_elements(shown_value, return_dtype=pl.String, skip_nulls=True)
    )
    return Parsed(rows=rows, errors=errors, ignored=ignored)


def _type_slice(
    table: pl.DataFrame, source: Source, ctx: ParseContext, extras: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid typed rows with `_sleutel`, the raw first key column; errors) of one slice."""
    value_exprs, error_exprs = [], []
    for col in source.columns:
        if col.pii == "drop":
            continue  # free text, names, birth dates: never parsed, never stored
        column = col if col.name not in source.key or not col.required else _not_null(col)
        value, error = parse_column(column, pl.col(col.name), ctx)
        value_exprs.append(value.alias(col.name))
        error_exprs.append(error.alias(f"_fout_{col.name}"))
    # admitted extra columns are text: only the field check applies
    error_exprs += [field_error(pl.col(c)).alias(f"_fout_extra_{c}") for c in extras]
    typed = table.select(
        pl.col("_regel"),
        *value_exprs,
        *error_exprs,
        *(pl.col(c).alias(f"_ruw_{c}") for c in _stored_names(source)),
        *(pl.col(c).alias(f"_ruw_extra_{c}") for c in extras),
        *(_blank_to_null(pl.col(c)).alias(f"extra_{c}") for c in extras),
    )

    # Cross-field checks only where both values parsed: a bad date is reported once, as a date.
    error_cols = [c for c in typed.columns if c.startswith("_fout_")]
    clean = ~pl.any_horizontal(pl.col(error_cols).is_not_null())
    for name in source.checks:
        column, reason, bad = CROSS_CHECKS[name]
        typed = typed.with_columns(
            pl.coalesce(
                [pl.col(f"_fout_{column}"), pl.when(clean & bad()).then(pl.lit(reason))]
            ).alias(f"_fout_{column}")
        )
    typed = typed.with_columns(pl.any_horizontal(pl.col(error_cols).is_not_null()).alias("_fout"))
    errors = _collect_errors(typed, source, error_cols)
    good = typed.filter(~pl.col("_fout")).select(
        "_regel",
        *(c.name for c in source.stored_columns),
        *(f"extra_{c}" for c in extras),
        pl.col(f"_ruw_{source.key[0]}").alias("_sleutel"),
    )
    return good, errors


def _not_null(col: Column) -> Column:
    return replace(col, not_null=True)


def _stored_names(source: Source) -> list[str]:
    return [c.name for c in source.columns if c.pii != "drop"]


def _collect_errors(typed: pl.DataFrame, source: Source, error_cols: list[str]) -> pl.DataFrame:
    bad = typed.filter(pl.col("_fout"))
    if bad.height == 0:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    frames = []
    for err_col in error_cols:
        shown = err_col.removeprefix("_fout_")
        pii = False
        if not shown.startswith("extra_"):
            column_def = source.column(shown)
            # a postcode is personal data too: only its 4 digits may be kept, so never show it
            pii = column_def.pii is not None or column_def.type == "postcode4"
        frames.append(
            bad.filter(pl.col(err_col).is_not_null()).select(
                pl.col("_regel").alias("regel"),
                pl.lit(shown.removeprefix("extra_")).alias("kolom"),
                pl.col(err_col).alias("reden"),
                (pl.lit(PII_MASK) if pii else pl.col(f"_ruw_{shown}")).alias("waarde"),
            )
        )
    return pl.concat(frames).sort("regel", "kolom").cast(ERROR_SCHEMA)
