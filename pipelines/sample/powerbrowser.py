"""PowerBrowser exports: inrichtingen, zaken, controles, klachten, handhaving and uren.

Builders (`inrichtingen`, `zaken`, `enforcement`, `uren`) draw a whole source; the `*_files`
functions cut it into the yearly export files, in the contract's text layout, with defects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.contract import (
    AARD,
    GEDRAG,
    GEVOLGEN,
    INSTRUMENTEN,
    SOORT_CONTROLE,
    SOURCES,
    TAAKPAKKET_ZAAK,
)
from pipelines.sample.common import (
    COMPLAINT_SEASON,
    EXPORT_DAY,
    FAMILY,
    LATE_EXPORT,
    PLACES,
    WORK_SEASON,
    YEAR_END,
    YEARS,
    Files,
    Sample,
    maybe,
    member,
)
from pipelines.sample.hr import staff
from pipelines.sample.writers import as_text, inject_defects, with_defects

INRICHTINGSTYPE = SOURCES["inrichtingen"].column("inrichtingstype").values
TAAKVELD = SOURCES["zaken"].column("taakveld").values
PROCEDURE = SOURCES["zaken"].column("procedure").values
STATUS = SOURCES["zaken"].column("status").values
GEGROND = SOURCES["klachten"].column("gegrond").values

BRANCHES = [
    ("10.71", "Voedingsmiddelenindustrie", "Bakkerij"),
    ("45.20", "Garages en autoschadeherstel", "Autobedrijf"),
    ("25.62", "Metaalbewerking", "Metaalbewerking"),
    ("56.10", "Horeca", "Café"),
    ("01.41", "Veehouderij", "Melkveebedrijf"),
    ("16.10", "Houtindustrie", "Houtbewerking"),
    ("38.32", "Afvalverwerking", "Recycling"),
    ("49.41", "Transport", "Transportbedrijf"),
    ("22.22", "Kunststofverwerking", "Kunststoffen"),
    ("13.20", "Textielindustrie", "Textielfabriek"),
    ("23.63", "Betonindustrie", "Betoncentrale"),
    ("18.12", "Drukkerijen", "Drukkerij"),
]
STREETS = [
    "Hengelosestraat",
    "Oldenzaalsestraat",
    "Industrieweg",
    "Havenstraat",
    "Marktstraat",
    "Twentepoort",
    "Europalaan",
    "Kanaaldijk",
    "Esweg",
    "Dorpsstraat",
    "Bedrijvenpark",
]


@dataclass(frozen=True)
class Zaaktype:
    zaaktype: str
    product: str
    taakveld: str
    procedure: str | None
    share: float
    lead_days: int  # mean lead time

    def __post_init__(self):
        member(TAAKVELD, self.taakveld)
        if self.procedure is not None:
            member(PROCEDURE, self.procedure)


ZAAKTYPEN = [
    Zaaktype(
        "Aanvraag beschikking regulier behandelen",
        "Omgevingsvergunning milieu regulier",
        "Vergunningverlening",
        "regulier",
        0.14,
        45,
    ),
    Zaaktype(
        "Aanvraag beschikking uitgebreid behandelen",
        "Omgevingsvergunning milieu uitgebreid",
        "Vergunningverlening",
        "uitgebreid",
        0.03,
        150,
    ),
    Zaaktype(
        "Melding activiteit behandelen",
        "Melding Besluit activiteiten leefomgeving",
        "Vergunningverlening",
        None,
        0.18,
        20,
    ),
    Zaaktype("Controle uitvoeren", "Periodieke controle", "Toezicht", None, 0.30, 30),
    Zaaktype("Controle uitvoeren", "Hercontrole", "Toezicht", None, 0.06, 20),
    Zaaktype("Handhavingsbesluit nemen", "Handhavingstraject", "Handhaving", None, 0.06, 60),
    Zaaktype(
        "Handhavingsverzoek behandelen", "Verzoek om handhaving", "Handhaving", "regulier", 0.02, 50
    ),
    Zaaktype("Advies verstrekken", "Advies bodem", "Advies", None, 0.07, 25),
    Zaaktype("Advies verstrekken", "Advies geluid", "Advies", None, 0.05, 25),
    Zaaktype("Klacht behandelen", "Klachtafhandeling", "Klachten", None, 0.09, 12),
]
TAAKPAKKET_P = [0.55, 0.35, 0.10]  # shares of TAAKPAKKET_ZAAK, in the contract's order
# Shares of the complaint kinds. Drawn in this order (most frequent first), not the contract's:
# the order decides which kind a random number gives, so it is part of the sample's bytes.
AARD_SHARES = {
    "geluid": 0.35,
    "geur": 0.30,
    "stof": 0.08,
    "licht": 0.05,
    "trilling": 0.04,
    "afval": 0.06,
    "water": 0.02,
    "bodem": 0.02,
    "asbest": 0.03,
    "lucht": 0.03,
    "overig": 0.02,
}
if set(AARD_SHARES) != set(AARD):
    raise ValueError("AARD_SHARES must give a share to every aard of the contract, and only those")
INSTRUMENTEN_P = [0.35, 0.25, 0.17, 0.04, 0.03, 0.07, 0.04, 0.01, 0.02, 0.02]  # contract order
COMPLAINTS = [
    "Stankoverlast in de avond",
    "Harde piepende geluiden; ook 's nachts",
    "Stof op auto's en vensterbanken",
    "Lawaai van laden en lossen\nvanaf 05:00",
    "Fel licht van de reclamezuil",
    "Trillingen in huis door vrachtverkeer",
]
REPEATERS = 25  # repeat complainants, who file ~4% of all complaints


# --- builders ----------------------------------------------------------------------------------
def inrichtingen(s: Sample) -> pl.DataFrame:
    n = max(s.n(11_000), 3 * s.codes.size)
    rng = s.rng
    codes = s.pick_deelnemers(n)
    codes[: 3 * s.codes.size] = np.repeat(s.codes, 3)  # every deelnemer has companies
    branch = rng.integers(0, len(BRANCHES), n)
    family = rng.integers(0, len(FAMILY), n)
    x, y = s.near(codes, 3500)
    start = np.datetime64("1975-01-01") + rng.integers(0, 49 * 365, n).astype("timedelta64[D]")
    ended = rng.random(n) < 0.06
    end = start + rng.integers(200, 9000, n).astype("timedelta64[D]")
    end = np.where(ended & (end < np.datetime64("2025-12-01")), end, np.datetime64("NaT"))
    typ = rng.choice(INRICHTINGSTYPE, n, p=[0.30, 0.55, 0.15])
    typ = np.where(codes == "PV23", member(INRICHTINGSTYPE, "C"), typ)
    return pl.DataFrame(
        {
            "inrichting_id": [f"INR{i:06d}" for i in range(1, n + 1)],
            "naam": [f"{BRANCHES[b][2]} {FAMILY[f]}" for b, f in zip(branch, family, strict=True)],
            "straat": rng.choice(STREETS, n),
            "huisnummer": rng.integers(1, 250, n).astype(str),
            "postcode": [
                f"{PLACES[c][3]}{d} {a}{b}"
                for c, d, a, b in zip(
                    codes,
                    rng.integers(0, 10, n),
                    rng.choice(list("ABCDEGHJKLMNPRST"), n),
                    rng.choice(list("ABCDEGHJKLMNPRSTVWXZ"), n),
                    strict=True,
                )
            ],
            "plaats": [PLACES[c][0] for c in codes],
            "sbi_code": [BRANCHES[b][0] for b in branch],
            "branche": [BRANCHES[b][1] for b in branch],
            "inrichtingstype": typ,
            "risicoklasse": rng.integers(1, 6, n),
            "x": x,
            "y": y,
            "datum_start": start.astype("datetime64[D]"),
            "datum_einde": end.astype("datetime64[D]"),
            "_code": codes,
        }
    ).with_columns(s.spell(pl.col("_code")).alias("bevoegd_gezag"))


def zaken(s: Sample) -> pl.DataFrame:
    """Every case with its final state (`_besluit`, `_ingetrokken`, `_resultaat`); an export
    shows the state at its own date (`zaken_files`)."""
    frames = [_zaken_year(s, year) for year in YEARS]
    return pl.concat(frames).with_columns(
        s.spell(pl.col("_code")).alias("bevoegd_gezag"),
        pl.col("opschorting_dagen").cast(pl.Int64),
    )


def _zaken_year(s: Sample, year: int) -> pl.DataFrame:
    rng = s.rng
    shares = np.array([z.share for z in ZAAKTYPEN])
    n = s.n(18_000 * (1 + 0.03 * (year - 2021)))
    kind = rng.choice(len(ZAAKTYPEN), n, p=shares / shares.sum())
    received = s.times(s.days(year, n, WORK_SEASON, weekdays_only=True))
    lead = np.array([ZAAKTYPEN[k].lead_days for k in kind]) * rng.gamma(2.0, 0.5, n)
    procedure = np.array([ZAAKTYPEN[k].procedure or "" for k in kind])
    term = np.where(procedure == member(PROCEDURE, "uitgebreid"), 26 * 7, 8 * 7)
    decided = received + (lead * 24 * 60).astype("timedelta64[m]")
    withdrawn = rng.random(n) < 0.02
    return pl.DataFrame(
        {
            "zaaknummer": [f"Z{year}-{i:06d}" for i in range(1, n + 1)],
            "zaaktype": [ZAAKTYPEN[k].zaaktype for k in kind],
            "product": [ZAAKTYPEN[k].product for k in kind],
            "taakveld": [ZAAKTYPEN[k].taakveld for k in kind],
            "taakpakket": rng.choice(TAAKPAKKET_ZAAK, n, p=TAAKPAKKET_P),
            "_code": s.pick_deelnemers(n),
            "procedure": maybe(procedure != "", procedure),
            "datum_ontvangst": received,
            "_besluit": decided,
            "uiterste_beslisdatum": np.where(
                procedure != "",
                (received.astype("datetime64[D]") + term.astype("timedelta64[D]")),
                np.datetime64("NaT"),
            ).astype("datetime64[D]"),
            "opschorting_dagen": np.where(rng.random(n) < 0.2, rng.integers(1, 42, n), 0),
            "_ingetrokken": withdrawn,
            "_resultaat": rng.choice(
                ["verleend", "geweigerd", "afgerond", "buiten behandeling"],
                n,
                p=[0.55, 0.05, 0.37, 0.03],
            ),
        }
    )


def enforcement(s: Sample) -> dict[str, pl.DataFrame]:
    """Controles, klachten and handhavingsbesluiten, drawn together before any of their defects
    (the order of the draws is part of the sample)."""
    establishments = s.once(inrichtingen)
    return {
        "controles": controles(s, establishments),
        "klachten": klachten(s, establishments),
        "handhaving": handhaving(s, establishments),
    }


def _pools(establishments: pl.DataFrame) -> dict[str, list]:
    """deelnemer code -> its establishments' ids."""
    by_code = establishments.group_by("_code", maintain_order=True).agg("inrichting_id")
    return {
        c: ids.to_list() for c, ids in zip(by_code["_code"], by_code["inrichting_id"], strict=True)
    }


def controles(s: Sample, establishments: pl.DataFrame) -> pl.DataFrame:
    pools = _pools(establishments)
    frames = [_controles_year(s, year, pools) for year in YEARS]
    return pl.concat(frames).with_columns(
        s.spell(pl.col("_code")).alias("bevoegd_gezag"),
        pl.col("energiebesparing_kwh", "energiebesparing_m3_gas").fill_nan(None),
    )


def _controles_year(s: Sample, year: int, pools: dict[str, list]) -> pl.DataFrame:
    rng = s.rng
    n = s.n(7_000)
    codes = s.pick_deelnemers(n)
    soort = rng.choice(SOORT_CONTROLE, n, p=[0.55, 0.12, 0.06, 0.10, 0.12, 0.05])
    # compliance: ~70% of periodic inspections find nothing, slowly improving
    periodic = soort == member(SOORT_CONTROLE, "periodiek")
    clean = rng.random(n) < np.where(periodic, 0.66 + 0.02 * (year - 2021), 0.5)
    count = np.where(clean, 0, rng.poisson(0.8, n) + 1)
    gevolgen = rng.choice(GEVOLGEN, n, p=[0.05, 0.25, 0.45, 0.25])
    gedrag = rng.choice(GEDRAG, n, p=[0.5, 0.3, 0.15, 0.05])
    thema = rng.choice(
        ["energie", "asbest", "afval", "bodem", "ZZS", "overig"],
        n,
        p=[0.2, 0.1, 0.2, 0.15, 0.1, 0.25],
    )
    energie = (thema == "energie") & (count > 0)
    return pl.DataFrame(
        {
            "controle_id": [f"C{year}-{i:06d}" for i in range(1, n + 1)],
            "zaaknummer": None,
            "inrichting_id": s.pick(pools, codes),
            "_code": codes,
            "datum_controle": s.times(s.days(year, n, WORK_SEASON, True)),
            "soort": soort,
            "thema": thema,
            "aantal_overtredingen": count,
            "lhso_gevolgen": maybe(count > 0, gevolgen),
            "lhso_gedrag": maybe(count > 0, gedrag),
            "energiebesparing_kwh": np.where(energie, np.round(rng.gamma(2, 15_000, n)), np.nan),
            "energiebesparing_m3_gas": np.where(energie, np.round(rng.gamma(2, 4_000, n)), np.nan),
            "toezichthouder_id": [f"T{t:03d}" for t in rng.integers(1, 45, n)],
        }
    )


def klachten(s: Sample, establishments: pl.DataFrame) -> pl.DataFrame:
    by_code = establishments.group_by("_code", maintain_order=True).agg("inrichting_id", "x", "y")
    pools = {r["_code"]: r for r in by_code.iter_rows(named=True)}
    index_pools = {c: list(range(len(r["inrichting_id"]))) for c, r in pools.items()}
    people = s.n(30_000)  # a pool of complainants, the first REPEATERS of them repeat
    home = s.pick_deelnemers(REPEATERS)  # a repeat complainant complains at home
    # ~3% of the establishments in each municipality draw half of the complaints with a
    # known source (a TOP-X list with something to show)
    hotspots = {c: idx[: max(1, len(idx) // 33)] for c, idx in index_pools.items()}
    rng = s.rng
    frames = []
    for year in YEARS:
        n = s.n(4_000 * (1 + 0.04 * (year - 2021)))
        repeat = rng.random(n) < 0.04
        person = np.where(repeat, rng.integers(0, REPEATERS, n), rng.integers(REPEATERS, people, n))
        codes = np.where(repeat, home[np.minimum(person, REPEATERS - 1)], s.pick_deelnemers(n))
        with_source = rng.random(n) < 0.6
        idx = np.where(
            rng.random(n) < 0.5, s.pick(hotspots, codes), s.pick(index_pools, codes)
        ).tolist()
        source = [pools[c]["inrichting_id"][i] for c, i in zip(codes, idx, strict=True)]
        sx = np.array([pools[c]["x"][i] for c, i in zip(codes, idx, strict=True)])
        sy = np.array([pools[c]["y"][i] for c, i in zip(codes, idx, strict=True)])
        ox, oy = s.near(codes, 2500)
        x = np.where(with_source, np.round(sx + rng.normal(0, 300, n)), ox)
        y = np.where(with_source, np.round(sy + rng.normal(0, 300, n)), oy)
        place = {"inrichting_id": maybe(with_source, source), "x": x, "y": y}
        frames.append(_klachten_year(s, year, repeat, person, codes, place))
    return pl.concat(frames).with_columns(s.spell(pl.col("_code")).alias("bevoegd_gezag"))


def _klachten_year(
    s: Sample, year: int, repeat: np.ndarray, person: np.ndarray, codes: np.ndarray, place: dict
) -> pl.DataFrame:
    """The year's complaints, given who complains (`person`, `repeat`), where (`codes`) and
    about what (`place`: source establishment and coordinates)."""
    rng = s.rng
    n = codes.size
    reported = s.times(s.days(year, n, COMPLAINT_SEASON), 6, 23)
    handled = reported + (rng.gamma(1.5, 8, n) * 24 * 60).astype("timedelta64[m]")
    has_mail = rng.random(n) < 0.6
    has_phone = rng.random(n) < 0.7
    return pl.DataFrame(
        {
            "klacht_id": [f"K{year}-{i:05d}" for i in range(1, n + 1)],
            "datum_melding": reported,
            "_code": codes,
            "aard": rng.choice(list(AARD_SHARES), n, p=list(AARD_SHARES.values())),
            **place,
            "melder_naam": [f"Melder {p} {FAMILY[p % len(FAMILY)]}" for p in person],
            "melder_telefoon": maybe(
                has_phone | repeat, [f"06-{10_000_000 + p * 7:08d}" for p in person]
            ),
            "melder_email": maybe(has_mail | repeat, [f"melder{p}@voorbeeld.nl" for p in person]),
            "melder_postcode": [
                f"{PLACES[c][3]}{p % 10} AB" for c, p in zip(codes, person, strict=True)
            ],
            "omschrijving": rng.choice(COMPLAINTS, n),
            "datum_afgehandeld": handled,
            "gegrond": rng.choice(GEGROND, n, p=[0.45, 0.4, 0.15]),
        }
    )


def handhaving(s: Sample, establishments: pl.DataFrame) -> pl.DataFrame:
    pools = _pools(establishments)
    frames = [_handhaving_year(s, year, pools) for year in YEARS]
    return pl.concat(frames).with_columns(
        s.spell(pl.col("_code")).alias("bevoegd_gezag"),
        pl.col("dwangsom_bedrag", "verbeurd_bedrag", "ingevorderd_bedrag").fill_nan(None),
    )


def _handhaving_year(s: Sample, year: int, pools: dict[str, list]) -> pl.DataFrame:
    rng = s.rng
    n = s.n(1_500)
    codes = s.pick_deelnemers(n)
    instrument = rng.choice(INSTRUMENTEN, n, p=INSTRUMENTEN_P)
    lod = instrument == member(INSTRUMENTEN, "last_onder_dwangsom")
    amount = np.where(lod, rng.integers(5, 50, n) * 500.0, np.nan)
    forfeited = lod & (rng.random(n) < 0.3)
    verbeurd = np.where(forfeited, np.round(amount * rng.uniform(0.2, 1.0, n), 2), np.nan)
    collected = forfeited & (rng.random(n) < 0.5)  # invoking penalties is often not done
    return pl.DataFrame(
        {
            "besluit_id": [f"H{year}-{i:05d}" for i in range(1, n + 1)],
            "zaaknummer": None,
            "inrichting_id": s.pick(pools, codes),
            "_code": codes,
            "datum_besluit": s.times(s.days(year, n, WORK_SEASON, True)),
            "instrument": instrument,
            "lhso_gevolgen": rng.choice(GEVOLGEN, n, p=[0.1, 0.35, 0.4, 0.15]),
            "lhso_gedrag": rng.choice(GEDRAG, n, p=[0.3, 0.35, 0.25, 0.1]),
            "dwangsom_bedrag": amount,
            "verbeurd_bedrag": verbeurd,
            "ingevorderd_bedrag": np.where(collected, verbeurd, np.nan),
        }
    )


def uren(s: Sample) -> pl.DataFrame:
    rng = s.rng
    ids = s.once(staff)["medewerker_id"].to_numpy()
    products = s.once(zaken)["product"].unique().sort().to_list() + ["Overleg en afstemming"]
    indirect = ["Opleiding", "Teamoverleg", "Bedrijfsvoering", "Verlof en ziekte"]
    frames = []
    for year in YEARS:
        n = s.n(160_000)
        codes = s.pick_deelnemers(n)
        direct = rng.random(n) < 0.85
        product = np.where(direct, rng.choice(products, n), rng.choice(indirect, n))
        frames.append(
            pl.DataFrame(
                {
                    "regel_id": [f"U{year}-{i:07d}" for i in range(1, n + 1)],
                    "medewerker_id": rng.choice(ids, n),
                    "datum": s.days(year, n, WORK_SEASON, weekdays_only=True),
                    "_code": maybe(direct, codes),
                    "product": product,
                    "taakpakket": rng.choice(TAAKPAKKET_ZAAK, n, p=TAAKPAKKET_P),
                    "zaaknummer": None,
                    "uren": rng.choice(
                        [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0],
                        n,
                        p=[0.1, 0.2, 0.15, 0.15, 0.1, 0.1, 0.1, 0.05, 0.05],
                    ),
                    "declarabel": direct,
                }
            )
        )
    return pl.concat(frames).with_columns(s.spell(pl.col("_code")).alias("bevoegd_gezag"))


# --- export files ------------------------------------------------------------------------------
def inrichtingen_files(s: Sample, columns: list[str]) -> Files:
    frame = s.once(inrichtingen)
    text = as_text(frame.select(columns))
    yield YEAR_END, inject_defects(text, s.rng, [("bevoegd_gezag", "Gemeente Zwolle", 3)])
    # a later export re-delivers ~2% of the establishments with a changed risk class
    changed = frame.sample(fraction=0.02, seed=s.seed).with_columns(
        (6 - pl.col("risicoklasse")).alias("risicoklasse")
    )
    yield LATE_EXPORT.strftime("%Y%m%d"), as_text(changed.select(columns))


def zaken_files(s: Sample, columns: list[str]) -> Files:
    """Yearly exports: the year's cases in their state at the export date, plus the previous
    year's cases that were still open then (re-delivered with their new state)."""
    cases = s.once(zaken)
    exports = [(y, f"{y}{EXPORT_DAY}", dt.datetime(y, 12, 31, 23, 59)) for y in YEARS]
    late = dt.datetime.combine(LATE_EXPORT, dt.time(23, 59))
    exports.append((YEARS[-1] + 1, LATE_EXPORT.strftime("%Y%m%d"), late))
    for year, stamp, moment in exports:
        part = _zaken_at(cases, year, moment).select(columns)
        if part.height == 0:
            continue
        bad = [("bevoegd_gezag", "Gemeente Deventer"), ("datum_ontvangst", "00-01-2023")]
        yield stamp, with_defects(as_text(part), s.rng, bad)


def _zaken_at(cases: pl.DataFrame, year: int, moment: dt.datetime) -> pl.DataFrame:
    """The cases an export of `year` holds, in their state at `moment`."""
    received_year = pl.col("datum_ontvangst").dt.year()
    part = cases.filter(
        (received_year == year)
        | (
            (received_year == year - 1)
            & (pl.col("_besluit") > dt.datetime(year - 1, 12, 31, 23, 59))
        )
    )
    decided = pl.col("_besluit") <= moment
    return part.with_columns(
        pl.when(pl.col("_ingetrokken"))
        .then(pl.lit(member(STATUS, "ingetrokken")))
        .when(decided)
        .then(pl.lit(member(STATUS, "afgesloten")))
        .otherwise(pl.lit(member(STATUS, "open")))
        .alias("status"),
        pl.when(decided & ~pl.col("_ingetrokken")).then(pl.col("_besluit")).alias("datum_besluit"),
        pl.when(decided & ~pl.col("_ingetrokken")).then(pl.col("_resultaat")).alias("resultaat"),
        pl.lit(None, dtype=pl.String).alias("inrichting_id"),
    )


def _yearly(
    s: Sample,
    source: str,
    frame: pl.DataFrame,
    columns: list[str],
    bad: list,
    at_export: Callable[[pl.DataFrame, dt.datetime], pl.DataFrame] | None = None,
) -> Files:
    """One export per year (by the source's event date), with `bad` cells ({y} = the year).
    `at_export` gives the rows in their state at the export's moment (31-12, end of day): an
    export holds nothing that happened after its date."""
    date = SOURCES[source].date_column
    for year in YEARS:
        part = frame.filter(pl.col(date).dt.year() == year)
        if at_export is not None:
            part = at_export(part, dt.datetime(year, 12, 31, 23, 59, 59))
        text = as_text(part.select(columns))
        defects = [(column, value.format(y=year)) for column, value in bad]
        yield f"{year}{EXPORT_DAY}", with_defects(text, s.rng, defects)


def controles_files(s: Sample, columns: list[str]) -> Files:
    bad = [
        ("lhso_gevolgen", "E"),
        ("datum_controle", "31-02-{y}"),
        ("aantal_overtredingen", "twee"),
    ]
    yield from _yearly(s, "controles", s.once(enforcement)["controles"], columns, bad)


def klachten_files(s: Sample, columns: list[str]) -> Files:
    bad = [("bevoegd_gezag", "Zwolle"), ("datum_melding", "30-13-{y}")]
    complaints = s.once(enforcement)["klachten"]
    for stamp, text in _yearly(s, "klachten", complaints, columns, bad, _klachten_at):
        if stamp.startswith("2024"):  # one complaint exported twice
            text = pl.concat([text, text.slice(10, 1)])
        yield stamp, text


def _klachten_at(frame: pl.DataFrame, moment: dt.datetime) -> pl.DataFrame:
    """Complaints as an export at `moment` has them: one handled later is still open there."""
    later = pl.col("datum_afgehandeld") > moment
    return frame.with_columns(
        pl.when(later).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("datum_afgehandeld", "gegrond")
    )


def handhaving_files(s: Sample, columns: list[str]) -> Files:
    bad = [("verbeurd_bedrag", "onbekend")]
    yield from _yearly(s, "handhaving", s.once(enforcement)["handhaving"], columns, bad)


def uren_files(s: Sample, columns: list[str]) -> Files:
    bad = [("uren", "-2"), ("uren", "25"), ("uren", "twee")]
    yield from _yearly(s, "uren", s.once(uren), columns, bad)


def uren_encoding(stamp: str) -> str:
    """Odd years with a byte-order mark (Excel's "CSV UTF-8"), even years without."""
    return "utf-8-sig" if int(stamp[:4]) % 2 else "utf-8"
