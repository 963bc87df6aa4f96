"""Finance exports: begroting, realisatie and the uitvoeringsprogramma."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.contract import POST, TAAKPAKKET_FIN
from pipelines.sample.common import PERIOD, YEARS, Files, Sample, contract_columns, member
from pipelines.sample.powerbrowser import ZAAKTYPEN
from pipelines.sample.writers import as_text

# EUR of contribution per budgeted hour: chosen so the budgeted hours (~330 000 a year at
# scale 1) match the direct hours the generator books, as an uitvoeringsprogramma would.
HOURLY_RATE = 55
BASISTAKEN, PLUSTAKEN, FACULTATIEF, SPUK, ORGANISATIE = (
    member(TAAKPAKKET_FIN, p)
    for p in ("basistaken", "plustaken", "facultatief", "spuk", "organisatie")
)
BIJDRAGE = member(POST, "bijdrage")


def finance(s: Sample) -> dict[str, pl.DataFrame]:
    """Begroting, realisatie and programma of every year (only realisatie draws at random)."""
    begroting, realisatie, programma = [], [], []
    for year in YEARS:
        growth = 1 + 0.012 * (year - 2021)
        for code, w in zip(s.codes, s.weight, strict=True):
            begroting.extend(_contributions(s, year, growth, code, w))
            programma.extend(_programme(s, year, code, w))
        posts = _organisation(year, growth)
        for post, amount in posts.items():
            begroting.append((year, None, None, ORGANISATIE, post, round(amount, 2), None))
        begroting.append((year, None, None, SPUK, BIJDRAGE, round(460_000 * growth, 2), None))
        for month in range(1, 13):
            for post, amount in posts.items():
                real = amount / 12 * s.rng.normal(1.0, 0.05)
                realisatie.append((year, month, None, ORGANISATIE, post, round(real, 2), None))
    return {
        name: pl.DataFrame(rows, schema=contract_columns(name), orient="row")
        for name, rows in (
            ("begroting", begroting),
            ("realisatie", realisatie),
            ("programma", programma),
        )
    }


def _contributions(s: Sample, year: int, growth: float, code: str, w: float) -> list[tuple]:
    """A deelnemer's budgeted contributions (and the hours they buy) of one year."""
    rows = []
    standard = 16_300_000 * growth  # basistaken + plustaken contributions
    for pakket, share in ((BASISTAKEN, 0.52), (PLUSTAKEN, 0.48)):
        amount = round(standard * w * share, 2)
        hours = round(amount / HOURLY_RATE * s.scale)
        rows.append((year, None, code, pakket, BIJDRAGE, amount, hours))
    fac = round(1_450_000 * w * growth, 2)
    rows.append((year, None, code, FACULTATIEF, BIJDRAGE, fac, round(fac / HOURLY_RATE * s.scale)))
    return rows


def _programme(s: Sample, year: int, code: str, w: float) -> list[tuple]:
    """The planned number of cases per product for a deelnemer (as many as the sample makes)."""
    rows = []
    shares = np.array([z.share for z in ZAAKTYPEN])
    for zaaktype, share in zip(ZAAKTYPEN, shares, strict=True):
        planned = int(round(18_000 * w * share * (1 + 0.03 * (year - 2021)) * s.scale))
        rows.append((year, code, zaaktype.product, planned, round(planned * 9.5, 1)))
    return rows


def _organisation(year: int, growth: float) -> dict[str, float]:
    """The organisation's own budget per post (costs, not billed to a deelnemer)."""
    loonsom = 13_400_000 * growth
    return {
        member(POST, "loonsom"): loonsom,
        member(POST, "opleiding"): loonsom * (0.020 if year < 2025 else 0.026),
        # docs/kpis.md divides by the whole begroting (contributions and costs, ~34 M)
        member(POST, "innovatie"): 34_500_000 * growth * (0.005 if year < 2025 else 0.011),
        member(POST, "inhuur"): 900_000 * growth,
        member(POST, "overig"): 1_600_000 * growth,
    }


# --- export files ------------------------------------------------------------------------------
def begroting_files(s: Sample, columns: list[str]) -> Files:
    yield PERIOD, as_text(s.once(finance)["begroting"].select(columns), thousands=("bedrag",))


def realisatie_files(s: Sample, columns: list[str]) -> Files:
    yield PERIOD, as_text(s.once(finance)["realisatie"].select(columns), thousands=("bedrag",))


def programma_files(s: Sample, columns: list[str]) -> Files:
    """The programme names the deelnemer (as a beleidsmedewerker types it), not its code."""
    programma = s.once(finance)["programma"].with_columns(
        pl.col("deelnemer").replace_strict(s.names, return_dtype=pl.String)
    )
    yield PERIOD, as_text(programma.select(columns))
