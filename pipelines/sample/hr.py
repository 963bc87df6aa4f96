"""HR exports: medewerkers (monthly snapshots), formatie and opleidingen."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from pipelines.contract import DIENSTVERBAND, KWALITEITSCRITERIA
from pipelines.sample.common import (
    EXPORT_DAY,
    FAMILY,
    PERIOD,
    WORK_SEASON,
    YEAR_END,
    YEARS,
    Files,
    Sample,
    member,
)
from pipelines.sample.writers import as_text

TEAMS = {
    "Vergunningverlening": ["vergunningverlener", "juridisch adviseur", "teamleider"],
    "Toezicht": ["toezichthouder", "senior toezichthouder", "boa", "teamleider"],
    "Specialistisch advies": ["adviseur bodem", "adviseur geluid", "adviseur externe veiligheid"],
    "Bedrijfsvoering": [
        "financieel adviseur",
        "hr-adviseur",
        "informatieadviseur",
        "medewerker secretariaat",
    ],
    "Directie": ["directeur", "MT-lid"],
}
# ~85% of the FTE vast (85,3% in the Plan van Aanpak Robuustheid); shares of DIENSTVERBAND,
# in the contract's order
DIENSTVERBAND_P = [0.86, 0.05, 0.04, 0.01, 0.03, 0.01]
NOT_ASSESSED = member(KWALITEITSCRITERIA, "n.v.t.")  # the quality criteria do not apply
ASSESSED = [k for k in KWALITEITSCRITERIA if k != NOT_ASSESSED]
ASSESSED_P = [0.87, 0.1, 0.03]
COURSES = [
    "Cursus Omgevingswet",
    "BOA-herregistratie",
    "Asbest DTA",
    "Leergang toezicht",
    "Excel voor gevorderden",
]


def staff(s: Sample) -> pl.DataFrame:
    """Everyone who worked here 2021-2025, with in/out dates and their characteristics."""
    rng = s.rng
    n = s.n(290)
    team = rng.choice(list(TEAMS), n, p=[0.25, 0.38, 0.17, 0.15, 0.05])
    start = np.datetime64("2005-01-01") + rng.integers(0, 20 * 365, n).astype("timedelta64[D]")
    leaves = rng.random(n) < 0.25
    end = start + rng.integers(365, 20 * 365, n).astype("timedelta64[D]")
    end = np.where(leaves & (end < np.datetime64("2025-12-31")), end, np.datetime64("NaT"))
    verband = rng.choice(DIENSTVERBAND, n, p=DIENSTVERBAND_P)
    functie = [TEAMS[t][rng.integers(0, len(TEAMS[t]))] for t in team]
    return pl.DataFrame(
        {
            "medewerker_id": [f"M{i:04d}" for i in range(1, n + 1)],
            "naam": [f"Medewerker {i} {FAMILY[i % len(FAMILY)]}" for i in range(n)],
            "geboortedatum": (
                np.datetime64("1960-01-01") + rng.integers(0, 40 * 365, n).astype("timedelta64[D]")
            ).astype("datetime64[D]"),
            "functie": functie,
            "team": team,
            "fte": rng.choice([0.5, 0.6, 0.8, 0.9, 1.0], n, p=[0.05, 0.1, 0.2, 0.15, 0.5]),
            "dienstverband": verband,
            "datum_in": start.astype("datetime64[D]"),
            "datum_uit": end.astype("datetime64[D]"),
            "kwaliteitscriteria": np.where(
                np.isin(verband, [member(DIENSTVERBAND, "stagiair")]),
                NOT_ASSESSED,
                rng.choice(ASSESSED, n, p=ASSESSED_P),
            ),
            "boa": np.array(functie) == "boa",
        }
    )


def opleidingen(s: Sample) -> pl.DataFrame:
    rng = s.rng
    ids = s.once(staff)["medewerker_id"].to_numpy()
    frames = []
    for year in YEARS:
        n = s.n(600)
        frames.append(
            pl.DataFrame(
                {
                    "regel_id": [f"O{year}-{i:05d}" for i in range(1, n + 1)],
                    "medewerker_id": rng.choice(ids, n),
                    "datum": s.days(year, n, WORK_SEASON, True),
                    "omschrijving": rng.choice(COURSES, n),
                    # spending grows towards the 3% norm of the Plan van Aanpak Robuustheid
                    "kosten": np.round(rng.gamma(2, 340 * (1 + 0.12 * (year - 2021)), n), 2),
                    "uren": rng.choice([4.0, 8.0, 16.0, 24.0], n),
                }
            )
        )
    return pl.concat(frames)


# --- export files ------------------------------------------------------------------------------
def medewerkers_files(s: Sample, columns: list[str]) -> Files:
    """A yearly workbook of month-end snapshots of everyone employed on that day."""
    people = s.once(staff)
    for year in YEARS:
        snapshots = []
        for month in range(1, 13):
            peil = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            snapshots.append(
                people.filter(
                    (pl.col("datum_in") <= peil)
                    & (pl.col("datum_uit").is_null() | (pl.col("datum_uit") > peil))
                ).with_columns(pl.lit(peil).alias("peildatum"))
            )
        yield f"{year}{EXPORT_DAY}", pl.concat(snapshots).select(columns)


def formatie_files(s: Sample, columns: list[str]) -> Files:
    """The formation per team and function: a bit below the staff's FTE, slowly growing."""
    base = (
        s.once(staff)
        .group_by("team", "functie")
        .agg(pl.col("fte").sum().alias("f"))
        .sort("team", "functie")
    )
    rows = []
    for year in YEARS:
        for team, functie, f in base.iter_rows():
            rows.append((year, team, functie, round(f * 0.82 * (1 + 0.01 * (year - 2021)), 1)))
    yield PERIOD, pl.DataFrame(rows, schema=columns, orient="row")


def opleidingen_files(s: Sample, columns: list[str]) -> Files:
    yield YEAR_END, as_text(opleidingen(s).select(columns))
