"""Pure parsing and validation: a table of strings in, typed rows and quarantine rows out.

Nothing here touches files or the lake, so every rule is unit-tested on a handful of rows. The
input is a polars DataFrame of strings with canonical column names plus `_regel` (the line number
of the row in the file); the output is the typed rows that passed every check and one row per
(line, column) problem for the rows that did not. Each rule reads one column of the contract
(pipelines/contract.py); all work is vectorised, because a year of hours is ~150 000 rows.
"""

from __future__ import annotations

import difflib
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
# No event, peildatum or deadline of this service lies beyond 2100; '31-12-9999' (a "no end"
# placeholder) would make the period tables run for eight thousand years.
LATEST_DATE = date(2100, 12, 31)

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
# Characters that never belong in a value: C0 and C1 control characters (TAB, LF and CR are
# ordinary), zero-width and direction marks, line and paragraph separators, and a byte-order
# mark. "K1" and "K1" + a zero-width space would otherwise be two keys that look the same.
CONTROL_CHARS = (
    r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u200B-\u200F\u2028-\u202E\u2060-\u2064\uFEFF]"
)
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


# Where an export's snapshot date ("stand per") came from, in the order that wins
# (docs/invoer.md, "Stand per"): --stand-per on the command, the file name, the mapping file,
# and else the day of loading.
STAND_HERKOMST = {
    "opdracht": "opgegeven met --stand-per",
    "bestandsnaam": "uit de bestandsnaam",
    "koppelbestand": "uit het koppelbestand",
    "laaddatum": "de dag van laden",
}
# 8 ASCII digits (jjjjmmdd) or jjjj-mm-dd, not part of a longer number
_STAND_IN_NAME = re.compile(r"(?<![0-9])([0-9]{4})(-?)([0-9]{2})\2([0-9]{2})(?![0-9])")
# a deelnemer's CBS code in a file name declares an export of that deelnemer only
_DEELNEMER_IN_NAME = re.compile(
    r"(?<![A-Za-z0-9])((?:GM|gm|Gm)[0-9]{4}|(?:PV|pv|Pv)[0-9]{2})(?![0-9])"
)


def stand_from_filename(name: str) -> date | None:
    """`klachten_20250831.csv` -> 31-08-2025: the snapshot date a file name carries, or None.
    With several dates (`uren_20250801_20250831.csv`, an export of a period) the last one is
    the stand. Digits whose year cannot be an export's (outside 2000-2100) are no date; a year
    with an impossible month or day raises ValueError with a Dutch reason."""
    found = None
    for match in _STAND_IN_NAME.finditer(name):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        if not 2000 <= year <= 2100:
            continue
        try:
            found = date(year, month, day)
        except ValueError:
            raise ValueError(
                f"de datum in de bestandsnaam ({match[0]}) bestaat niet; noem het bestand "
                "<bron>_<jjjjmmdd> met de datum van de export (bijv. klachten_20250831.csv), of "
                "geef de datum op met --stand-per"
            ) from None
    return found


def deelnemer_from_filename(name: str) -> str | None:
    """`klachten_GM0164_20250930.csv` -> GM0164: the file is that deelnemer's own export and
    covers only that deelnemer (docs/kpis.md, "Dekking"); None for an export of all."""
    codes = {m[1].upper() for m in _DEELNEMER_IN_NAME.finditer(name)}
    if len(codes) > 1:
        raise ValueError(
            f"de bestandsnaam noemt meer dan één deelnemer ({', '.join(sorted(codes))}); een "
            "export van één deelnemer noemt één CBS-code, een export van alle deelnemers geen"
        )
    return codes.pop() if codes else None


@dataclass(frozen=True)
class ParseContext:
    deelnemers: dict[str, str]  # normalised spelling -> CBS code
    pseudonymise: Callable[[str, pl.Series], pl.Series]  # (column, clear values) -> pseudonyms
    # The export's snapshot date: no event can be dated after it (a later date is a typo or a
    # wrong file name). It is the day of loading when the export names no date.
    today: date
    stand_herkomst: str = "laaddatum"
    dot_decimals: bool = False  # xlsx input: "0.8" is a decimal
    # Whether the field check must look for control characters: False only when a scan of the
    # whole file found none (readers.RawTable.control_chars), which saves a pass per column.
    control_chars: bool = True
    long_fields: bool = True  # likewise for fields over MAX_FIELD_CHARS (parse_rows decides)


def _after_stand(ctx: ParseContext) -> str:
    if ctx.stand_herkomst == "laaddatum":
        return f"datum ligt in de toekomst (na {ctx.today:%d-%m-%Y})"
    return (
        f"datum ligt na de stand van de export ({ctx.today:%d-%m-%Y}, "
        f"{STAND_HERKOMST[ctx.stand_herkomst]}); een export kan geen latere gebeurtenis bevatten: "
        "controleer de datum, of de datum van de export"
    )


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


def field_error(raw: pl.Expr, long: bool = True, control: bool = True) -> pl.Expr:
    """Why a raw field can be no value of any type (too long, control characters), or null.
    `long` / `control`: whether the table may hold such fields at all (see parse_rows)."""
    checks = []
    if long:
        checks.append((raw.str.len_chars() > MAX_FIELD_CHARS, FIELD_TOO_LONG))
    if control:
        checks.append((raw.str.contains(CONTROL_CHARS), FIELD_CONTROL))
    if not checks:
        return pl.lit(None, dtype=pl.String)
    expr = pl.when(checks[0][0]).then(pl.lit(checks[0][1]))
    for condition, reason in checks[1:]:
        expr = expr.when(condition).then(pl.lit(reason))
    return expr.otherwise(None)


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
            .when(day > LATEST_DATE)
            .then(pl.lit("onmogelijke datum (na 2100; laat een onbekende datum leeg)"))
        )
        if col.not_in_future:
            error = error.when(day > ctx.today).then(pl.lit(_after_stand(ctx)))
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
    # quarantined, never a silent NULL (docs/invoer.md, "Getallen"). Each branch above says so
    # in its own words (tests/pipelines/test_parse.py checks every type).
    if col.type in ("int", "decimal"):
        range_error = _range_error(col, value)
        if range_error is not None:
            error = pl.coalesce([error, range_error])
    if col.not_null:
        error = pl.coalesce([pl.when(~present).then(pl.lit("verplicht veld is leeg")), error])
    # A field that is no value at all is reported as such, before any type error.
    error = pl.coalesce([field_error(raw, ctx.long_fields, ctx.control_chars), error])
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


# What the quarantine may show of a rejected value (docs/invoer.md, "Quarantaine"). A rejected
# value can be anything a person typed in the wrong column, so it is hidden unless it has the
# shape of what the column expects: a date-like text in a date column, a short number in a
# number column, a near-miss of an allowed value ("Gemeente Hengeloo", "periodiekk") in a
# column of choices, a short code with letters and digits ("Z-2024-001") as a key. That is
# what a beheerder needs to fix an export; names, phone numbers, BSNs, addresses and free text
# never match. File, line and column say where to find the value in the landing zone.
_SHOWN_MAX_CHARS = 32
_CONTROL = re.compile(CONTROL_CHARS)
_HIDDEN = "(niet getoond: {} tekens, mogelijk persoonsgegevens; zie het bestand)"
_HIDDEN_PATTERN = re.compile(
    "^" + re.escape(_HIDDEN).replace(re.escape("{}"), "[0-9]+(?:\\.[0-9]{3})*") + "$"
)
_DATE_SHAPE = re.compile(
    r"^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}([ T][0-9]{1,2}(:[0-9]{1,2}){1,2})?$"
)
_NUMBER_SHAPE = re.compile(r"^[-+]?[0-9.,]*[0-9][0-9.,]*$")
_CODE_SHAPE = re.compile(r"^(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9_./-]{0,31}$")
_MAX_SHOWN_DIGITS = 7  # a BSN has 9, a phone number 10
_CHOICE_TYPES = ("enum", "bool", "deelnemer")


def shown_value(value: str | None, kind: str = "text", allowed: Collection[str] = ()) -> str | None:
    """A rejected value as meta.quarantaine may show it: itself, or a note that hides it.

    `kind` is the column's type in the contract ("text" for keys and unknown columns);
    `allowed` the accepted spellings of a column of choices. Applying it twice changes nothing
    (the build applies it to quarantine files of older versions)."""
    if value is None or value == PII_MASK or _HIDDEN_PATTERN.match(value):
        return value
    if len(value) <= _SHOWN_MAX_CHARS and not _CONTROL.search(value):
        text = value.strip()
        digits = sum(ch in "0123456789" for ch in text)
        if kind in ("date", "datetime"):
            show = bool(_DATE_SHAPE.match(text))
        elif kind in ("int", "decimal"):
            show = bool(_NUMBER_SHAPE.match(text)) and digits <= _MAX_SHOWN_DIGITS
        elif kind in _CHOICE_TYPES:
            key = normalise_name(text)
            show = bool(key) and bool(
                difflib.get_close_matches(key, [normalise_name(a) for a in allowed], 1, 0.75)
            )
        else:
            show = bool(_CODE_SHAPE.match(text)) and digits <= 12
        if show:
            return value
    return _HIDDEN.format(f"{len(value):,}".replace(",", "."))


def allowed_spellings(col: Column, ctx: ParseContext) -> tuple[str, ...]:
    """What a column of choices accepts, for shown_value."""
    if col.type == "enum":
        return col.values
    if col.type == "bool":
        return tuple(BOOLEANS)
    if col.type == "deelnemer":
        return tuple(ctx.deelnemers)
    return ()


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
    # Fields over the limit are rare: one cheap pass over byte lengths (a field of more bytes
    # than the limit in characters) says whether any column needs the exact check.
    columns = [c for c in table.columns if c != "_regel"]
    longest = table.select(pl.max_horizontal(pl.col(columns).str.len_bytes().max())).item()
    ctx = replace(ctx, long_fields=(longest or 0) > MAX_FIELD_CHARS)
    table = table.with_columns(
        pl.lit(None, dtype=pl.String).alias(c.name)
        for c in source.columns
        if c.name not in table.columns
    )
    goods, errors = [], []
    for offset in range(0, max(table.height, 1), slice_rows):
        good, bad = _type_slice(table.slice(offset, slice_rows), source, ctx, extras, ignored)
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
    errors.append(_shown(duplicates.cast(ERROR_SCHEMA), "text", ()))
    good = good.filter(pl.col("_dubbel").is_null())

    stored = [c.name for c in source.stored_columns]
    rows = good.select("_regel", *stored, *(f"extra_{c}" for c in extras))
    for col in source.stored_columns:
        if col.pii == "hash":
            rows = rows.with_columns(ctx.pseudonymise(col.name, rows[col.name]).alias(col.name))
    errors = pl.concat(errors).sort("regel", "kolom")
    return Parsed(rows=rows, errors=errors, ignored=ignored)


@dataclass(frozen=True)
class _Check:
    """One error column of a slice: which column it reports, and how its value is shown."""

    error: str  # the error column in the typed slice
    kolom: str  # the column name the quarantine shows
    raw: str | None  # the raw value column, or None when the value is never shown (PII)
    kind: str  # for shown_value
    allowed: tuple[str, ...] = ()


def _type_slice(
    table: pl.DataFrame,
    source: Source,
    ctx: ParseContext,
    extras: list[str],
    unchecked: tuple[str, ...],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid typed rows with `_sleutel`, the raw first key column; errors) of one slice.

    Columns that are never stored (free text, names, unknown columns left in landing) are not
    typed, but their fields are checked too: a 2 MB or NUL-ridden field is a broken export
    wherever it is, and an unclosed quote in a free-text column can swallow whole rows."""
    value_exprs, error_exprs, checks = [], [], []
    for col in source.columns:
        if col.pii == "drop":
            continue  # free text, names, birth dates: never parsed, never stored
        column = col if col.name not in source.key or not col.required else _not_null(col)
        value, error = parse_column(column, pl.col(col.name), ctx)
        if col.type in _TYPED_ONCE_PER_VALUE:
            # A value's type and error depend on its text alone: type each distinct text once
            # (a year of hours has 1,6 M dates but ~365 distinct ones; seven date formats tried
            # on every row cost 2,8 s) and join the result back, row order kept.
            value, error = _typed_once(table, col.name, value, error)
        value_exprs.append(value.alias(col.name))
        error_exprs.append(error.alias(f"_fout_{col.name}"))
        # a postcode is personal data too: only its 4 digits may be kept, so never show it
        hidden = col.pii is not None or col.type == "postcode4"
        kind = "text" if col.name in source.key and col.type == "text" else col.type
        checks.append(
            _Check(
                f"_fout_{col.name}",
                col.name,
                None if hidden else f"_ruw_{col.name}",
                kind,
                allowed_spellings(col, ctx),
            )
        )
    # admitted extra columns are text: only the field check applies
    for i, name in enumerate(extras):
        error_exprs.append(
            field_error(pl.col(name), ctx.long_fields, ctx.control_chars).alias(f"_fout_x{i}")
        )
        checks.append(_Check(f"_fout_x{i}", name, f"_ruw_x{i}", "text"))
    dropped = [c.name for c in source.columns if c.pii == "drop" and c.name in table.columns]
    for i, name in enumerate([*dropped, *unchecked]):
        error_exprs.append(
            field_error(pl.col(name), ctx.long_fields, ctx.control_chars).alias(f"_fout_d{i}")
        )
        checks.append(_Check(f"_fout_d{i}", name, None, "text"))
    # Lazily, so polars evaluates each shared sub-expression once (a date column's parse with
    # seven formats is used by its value and by several checks).
    typed = (
        table.lazy()
        .select(
            pl.col("_regel"),
            *value_exprs,
            *error_exprs,
            *(pl.col(c).alias(f"_ruw_{c}") for c in _stored_names(source)),
            *(pl.col(c).alias(f"_ruw_x{i}") for i, c in enumerate(extras)),
            *(_blank_to_null(pl.col(c)).alias(f"extra_{c}") for c in extras),
        )
        .collect()
    )

    # Cross-field checks only where both values parsed: a bad date is reported once, as a date.
    error_cols = [check.error for check in checks]
    clean = ~pl.any_horizontal(pl.col(error_cols).is_not_null())
    for name in source.checks:
        column, reason, bad = CROSS_CHECKS[name]
        typed = typed.with_columns(
            pl.coalesce(
                [pl.col(f"_fout_{column}"), pl.when(clean & bad()).then(pl.lit(reason))]
            ).alias(f"_fout_{column}")
        )
    typed = typed.with_columns(pl.any_horizontal(pl.col(error_cols).is_not_null()).alias("_fout"))
    errors = _collect_errors(typed, checks)
    good = typed.filter(~pl.col("_fout")).select(
        "_regel",
        *(c.name for c in source.stored_columns),
        *(f"extra_{c}" for c in extras),
        pl.col(f"_ruw_{source.key[0]}").alias("_sleutel"),
    )
    return good, errors


# Types whose parse is costly per row (formats, patterns, lookups) and whose columns repeat a
# few values; text columns (keys, numbers of cases) are mostly distinct and cheap already.
_TYPED_ONCE_PER_VALUE = ("date", "datetime", "decimal", "int", "bool", "enum", "deelnemer")


def _typed_once(
    table: pl.DataFrame, name: str, value: pl.Expr, error: pl.Expr
) -> tuple[pl.Expr, pl.Expr]:
    """`value` and `error` of column `name`, computed once per distinct raw text and looked up
    per row (an empty field is looked up as itself: it may be an error, "verplicht veld").
    A column of mostly distinct texts (timestamps) is typed per row: a lookup would not save."""
    distinct = table.select(pl.col(name).unique())
    if distinct.height * 2 > table.height:
        return value, error
    once = (
        distinct.lazy().select(pl.col(name), value.alias("value"), error.alias("error")).collect()
    )
    empty = once.filter(pl.col(name).is_null())
    texts = once.filter(pl.col(name).is_not_null())
    looked_up = []
    for part in ("value", "error"):
        kind = once.schema[part]
        when_empty = empty[part][0] if empty.height else None
        looked_up.append(
            pl.when(pl.col(name).is_null())
            .then(pl.lit(when_empty, dtype=kind))
            .otherwise(
                pl.col(name).replace_strict(
                    texts[name], texts[part], default=None, return_dtype=kind
                )
            )
        )
    return looked_up[0], looked_up[1]


def _not_null(col: Column) -> Column:
    return replace(col, not_null=True)


def _stored_names(source: Source) -> list[str]:
    return [c.name for c in source.columns if c.pii != "drop"]


def _collect_errors(typed: pl.DataFrame, checks: list[_Check]) -> pl.DataFrame:
    bad = typed.filter(pl.col("_fout"))
    if bad.height == 0:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    # one pass to find the checks that failed at all; only those are gathered
    failed = bad.select(pl.col(c.error).is_not_null().any() for c in checks).row(0)
    frames = []
    for check, any_failed in zip(checks, failed, strict=True):
        if not any_failed:
            continue
        rows = bad.filter(pl.col(check.error).is_not_null())
        frame = rows.select(
            pl.col("_regel").alias("regel"),
            pl.lit(check.kolom).alias("kolom"),
            pl.col(check.error).alias("reden"),
            (pl.col(check.raw) if check.raw else pl.lit(PII_MASK)).alias("waarde"),
        ).cast(ERROR_SCHEMA)
        frames.append(_shown(frame, check.kind, check.allowed))
    if not frames:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    return pl.concat(frames).sort("regel", "kolom")


def _shown(errors: pl.DataFrame, kind: str, allowed: tuple[str, ...]) -> pl.DataFrame:
    """`waarde` through shown_value, once per distinct value (thousands of rows often share a
    handful of rejected values)."""
    distinct = errors["waarde"].drop_nulls().unique().to_list()
    if not distinct:
        return errors
    mapping = {v: shown_value(v, kind, allowed) for v in distinct}
    return errors.with_columns(
        pl.col("waarde").replace_strict(mapping, default=None, return_dtype=pl.String)
    )
