"""A realistic, deterministic sample of every export in the data contract, for demo and tests.

Volumes follow a ~200-FTE omgevingsdienst with 15 deelnemers over 2021-2025 (~1 M rows at
scale 1, most of them hour lines), by deelnemer size (Enschede largest), with seasonality
(fewer hours and inspections in the summer holidays, more odour and noise complaints in summer).
Realism that the pipelines must cope with is built in on purpose:
- PowerBrowser exports are yearly files named with their date (`klachten_20251231.csv`) and hold
  nothing after it: cases still open at year end are re-delivered, with their later state, in
  the next export (and in a January 2026 export); a complaint handled after the export's date
  is open in it;
- complaints and establishments come as Windows-1252 with CRLF (Excel on Dutch Windows), the
  rest as UTF-8, some with a BOM; HR files are Excel;
- ~0.1% defective rows (unknown deelnemer, impossible date, text in a number, LHSO code outside
  the matrix, negative or >24 hours) and a duplicate key, so quarantine has something to show.
Nothing here is special-cased in the pipelines: the generator writes the contract's layout only.

`EXPORTS` lists every export the sample writes, one row per source of the contract
(pipelines/contract.py); `write_sample` writes them in that order. The order matters: all
random draws come from one stream, so reordering rows changes the sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from pipelines.contract import SOURCES
from pipelines.sample.common import Files, Sample
from pipelines.sample.financien import begroting_files, programma_files, realisatie_files
from pipelines.sample.hr import formatie_files, medewerkers_files, opleidingen_files
from pipelines.sample.powerbrowser import (
    controles_files,
    handhaving_files,
    inrichtingen_files,
    klachten_files,
    uren_encoding,
    uren_files,
    zaken_files,
)
from pipelines.sample.writers import as_text, write_csv, write_xlsx

__all__ = ["EXPORTS", "Export", "as_text", "write_csv", "write_sample"]

FileMaker = Callable[[Sample, list[str]], Files]


@dataclass(frozen=True)
class Export:
    source: str  # a source of the contract (SOURCES)
    format: Literal["csv", "xlsx"]
    # (sample, columns) -> (stamp, frame with exactly `columns`) per file: text in the
    # contract's layout for csv (defects included), typed cells for Excel
    files: FileMaker
    encoding: str | Callable[[str], str] = "utf-8"  # csv only; a function gets the file's stamp
    # The columns are the contract's, in its order. Several PowerBrowser exports put the
    # deelnemer last: the loader maps columns by name, and the sample keeps its bytes.
    deelnemer_last: bool = False
    pattern: str = "{group}/{source}_{stamp}.{format}"  # a file's path in the sample folder

    def __post_init__(self):
        if self.format not in SOURCES[self.source].formats:
            raise ValueError(f"{self.source} is not delivered as {self.format} (contract)")

    @property
    def columns(self) -> list[str]:
        source = SOURCES[self.source]
        names = [c.name for c in source.columns]
        if self.deelnemer_last:
            names.remove(source.deelnemer_column)
            names.append(source.deelnemer_column)
        return names

    def path(self, out: Path, stamp: str) -> Path:
        group = SOURCES[self.source].group
        return out / self.pattern.format(
            group=group, source=self.source, stamp=stamp, format=self.format
        )

    def write(self, frame: pl.DataFrame, out: Path, stamp: str) -> int:
        """Write one file of this export; the number of rows written."""
        if frame.columns != self.columns:
            raise ValueError(f"{self.source}: columns {frame.columns}, expected {self.columns}")
        path = self.path(out, stamp)
        if self.format == "xlsx":
            return write_xlsx(frame, path, sheet=self.source)
        encoding = self.encoding(stamp) if callable(self.encoding) else self.encoding
        return write_csv(frame, path, encoding)


EXPORTS: tuple[Export, ...] = (
    Export("inrichtingen", "csv", inrichtingen_files, "cp1252", deelnemer_last=True),
    Export("zaken", "csv", zaken_files),
    Export("controles", "csv", controles_files, deelnemer_last=True),
    Export("klachten", "csv", klachten_files, "cp1252", deelnemer_last=True),
    Export("handhaving", "csv", handhaving_files, "utf-8-sig", deelnemer_last=True),
    Export("uren", "csv", uren_files, uren_encoding, deelnemer_last=True),
    Export("medewerkers", "xlsx", medewerkers_files),
    Export("formatie", "xlsx", formatie_files),
    Export("opleidingen", "csv", opleidingen_files),
    Export("begroting", "csv", begroting_files, "cp1252"),
    Export("realisatie", "csv", realisatie_files, "cp1252"),
    Export("programma", "csv", programma_files),
)


def write_sample(out: Path, scale: float = 1.0, seed: int = 2026, progress=None) -> dict[str, int]:
    """Write every export of EXPORTS under `out`; rows written per source. `progress(source,
    rows, done, total)` is called after each source, for the command line's progress lines."""
    sample = Sample(scale, seed)
    out = Path(out)
    counts: dict[str, int] = {}
    for number, export in enumerate(EXPORTS, start=1):
        for stamp, frame in export.files(sample, export.columns):
            rows = export.write(frame, out, stamp)
            counts[export.source] = counts.get(export.source, 0) + rows
        if progress:
            progress(export.source, counts.get(export.source, 0), number, len(EXPORTS))
    return counts
