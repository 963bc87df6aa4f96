"""What every part of the sample shares: one random stream, the calendar and the deelnemers.

Every random draw of a sample run comes from `Sample.rng`, in a fixed order; that order is part
of the output (a draw moved earlier changes every row after it), so keep it when editing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from typing import TypeVar

import numpy as np
import polars as pl

from pipelines.contract import SOURCES
from vthmonitor.settings import REFERENCE_DIR

YEARS = (2021, 2022, 2023, 2024, 2025)
EXPORT_DAY = "1231"
LATE_EXPORT = dt.date(2026, 1, 31)  # the extra export that re-delivers rows of 2025
YEAR_END = f"{YEARS[-1]}{EXPORT_DAY}"  # stamp of a file exported once, at the end of the period
PERIOD = f"{YEARS[0]}_{YEARS[-1]}"  # stamp of a file that covers the whole period

# Approximate RD New centre and postcode prefix of each deelnemer (for coordinates/postcodes).
PLACES = {
    "GM0141": ("Almelo", 236500, 488500, "760"),
    "GM0147": ("Borne", 246000, 480500, "762"),
    "GM1774": ("Denekamp", 263500, 491000, "759"),
    "GM0153": ("Enschede", 258000, 471500, "751"),
    "GM0158": ("Haaksbergen", 245500, 462500, "748"),
    "GM0163": ("Nijverdal", 231000, 486500, "744"),
    "GM0164": ("Hengelo", 250500, 475500, "755"),
    "GM1735": ("Goor", 232500, 470000, "747"),
    "GM0168": ("Losser", 266500, 479500, "758"),
    "GM0173": ("Oldenzaal", 259500, 485500, "757"),
    "GM1742": ("Rijssen", 224500, 478500, "746"),
    "GM0183": ("Tubbergen", 250500, 494500, "765"),
    "GM1700": ("Vroomshoop", 232000, 499500, "768"),
    "GM0189": ("Wierden", 232500, 489500, "764"),
    "PV23": ("Hengelo", 248000, 478000, "755"),
}
# Seasonality by month (index 0 = January).
WORK_SEASON = np.array([1.0, 1.05, 1.1, 1.05, 1.0, 0.95, 0.7, 0.65, 1.05, 1.1, 1.05, 0.8])
COMPLAINT_SEASON = np.array([0.7, 0.7, 0.9, 1.0, 1.2, 1.4, 1.5, 1.4, 1.1, 0.9, 0.8, 0.7])

FAMILY = [
    "Nijhuis",
    "Ter Horst",
    "Oude Luttikhuis",
    "Brinkman",
    "Kampman",
    "Mensink",
    "Ten Dam",
    "Lansink",
    "Wennink",
    "Hölscher",
    "Hüsken",
    "Ülker",
    "Büter",
    "Scholten",
    "Ter Huurne",
    "Groot Nibbelink",
    "Pierik",
    "Kienhuis",
    "Velthuis",
    "Siemerink",
    "Ten Brinke",
    "Heijink",
]

T = TypeVar("T")
# What an export's file function yields: (stamp in the file name, the file's frame) per file.
Files = Iterator[tuple[str, pl.DataFrame]]


def member(domain: tuple[str, ...], value: str) -> str:
    """`value`, checked against a domain of the contract (so a renamed value fails here)."""
    if value not in domain:
        raise ValueError(f"{value!r} is not in the contract's domain {domain}")
    return value


def contract_columns(source: str) -> list[str]:
    """The source's columns, in the contract's order."""
    return [c.name for c in SOURCES[source].columns]


def maybe(keep: np.ndarray, values) -> list:
    """values where `keep`, else missing (numpy's where would make an object array)."""
    return [v if k else None for k, v in zip(keep.tolist(), list(values), strict=True)]


def deelnemers() -> list[dict]:
    with open(REFERENCE_DIR / "deelnemers.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


class Sample:
    """One sample run: its scale, its random stream, the deelnemers and the frames built so far."""

    def __init__(self, scale: float, seed: int):
        self.scale = scale
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        rows = deelnemers()
        self.codes = np.array([r["code"] for r in rows])
        self.names = {r["code"]: r["naam"] for r in rows}
        weight = np.array([float(r["inwoners"]) if r["soort"] == "gemeente" else 0.0 for r in rows])
        weight = weight / weight.sum() * 0.88
        weight[[r["soort"] == "provincie" for r in rows]] = 0.12  # the province's own companies
        self.weight = weight / weight.sum()
        self._built: dict[Callable, object] = {}

    def once(self, build: Callable[[Sample], T]) -> T:
        """build(self), made on first use only: for frames that several exports are cut from."""
        if build not in self._built:
            self._built[build] = build(self)
        return self._built[build]  # type: ignore[return-value]

    def spell(self, codes: pl.Expr) -> pl.Expr:
        """PowerBrowser shows the deelnemer in several spellings: code, name, "Gemeente X",
        upper case. All must be accepted, so the sample uses all of them."""
        names = {c: self.names[c] for c in self.codes}
        prefixed = {
            c: (n if n.startswith("Provincie") else f"Gemeente {n}") for c, n in names.items()
        }
        upper = {c: n.upper() for c, n in names.items()}
        variant = pl.int_range(pl.len()) % 5
        return (
            pl.when(variant == 0)
            .then(codes)
            .when(variant == 1)
            .then(codes.replace_strict(prefixed, return_dtype=pl.String))
            .when(variant == 2)
            .then(codes.replace_strict(upper, return_dtype=pl.String))
            .otherwise(codes.replace_strict(names, return_dtype=pl.String))
        )

    def pick(self, pools: dict[str, list], codes: np.ndarray) -> list:
        """One random element of pools[code] for every code."""
        draws = self.rng.random(codes.size)
        return [
            pools[c][int(d * len(pools[c]))]
            for c, d in zip(codes.tolist(), draws.tolist(), strict=True)
        ]

    def n(self, base: float) -> int:
        return max(1, int(round(base * self.scale)))

    def pick_deelnemers(self, size: int) -> np.ndarray:
        return self.rng.choice(self.codes, size=size, p=self.weight)

    def days(self, year: int, size: int, season: np.ndarray, weekdays_only=False) -> np.ndarray:
        start = np.datetime64(f"{year}-01-01")
        all_days = start + np.arange(366 if year % 4 == 0 else 365)
        months = all_days.astype("datetime64[M]").astype(int) % 12
        weight = season[months].astype(float)
        if weekdays_only:
            weekday = (all_days.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
            weight = weight * (weekday < 5)
        return self.rng.choice(all_days, size=size, p=weight / weight.sum())

    def times(self, days: np.ndarray, first_hour=8, last_hour=17) -> np.ndarray:
        minutes = self.rng.integers(first_hour * 60, last_hour * 60, size=days.size)
        return (days.astype("datetime64[m]") + minutes.astype("timedelta64[m]")).astype(
            "datetime64[ms]"
        )

    def near(self, codes: np.ndarray, spread: float) -> tuple[np.ndarray, np.ndarray]:
        cx = np.array([PLACES[c][1] for c in codes], dtype=float)
        cy = np.array([PLACES[c][2] for c in codes], dtype=float)
        return (
            np.round(cx + self.rng.normal(0, spread, codes.size)),
            np.round(cy + self.rng.normal(0, spread, codes.size)),
        )
