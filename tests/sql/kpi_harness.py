"""Build a real warehouse from a handful of hand-made rows, for KPI unit tests.

The rows go through the whole pipeline (CSV in the contract's layout -> load -> build), so a KPI
test proves the number an analyst will see. Exports are loaded in the order given, as a monthly
delivery is: consecutive exports of different sources share one load, and an export of a source
already in that load starts the next one, so a later export re-delivers rows exactly as in
production (one build per load, not per file).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from pipelines.contract import kind_from_filename
from pipelines.load import GELADEN, load
from vthmonitor.lake import PublishedLake
from vthmonitor.settings import REFERENCE_DIR, Settings

TODAY = dt.date(2026, 11, 1)


def write_export(folder: Path, name: str, rows: list[dict]) -> Path:
    """A `;`-separated UTF-8 CSV with the union of the rows' keys as header."""
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def build_lake(
    tmp_path: Path,
    *exports: tuple[str, list[dict]],
    today: dt.date = TODAY,
    extra_reference: dict[str, list[str]] | None = None,
    replaced_reference: dict[str, str] | None = None,
):
    """Load each (file name, rows) export in turn; return a cursor on the published warehouse.

    Every row must be accepted: a test row that lands in quarantine is a mistake in the test.
    `extra_reference` adds lines to a copy of the reference files (e.g. a norm for a test);
    `replaced_reference` replaces a copied file's whole text (e.g. the status rule).
    """
    reference = REFERENCE_DIR
    if extra_reference or replaced_reference:
        reference = tmp_path / "reference"
        shutil.copytree(REFERENCE_DIR, reference)
        for name, text in (replaced_reference or {}).items():
            (reference / f"{name}.csv").write_text(text, encoding="utf-8")
        for name, lines in (extra_reference or {}).items():
            with open(reference / f"{name}.csv", "a", encoding="utf-8") as fh:
                fh.writelines(line + "\n" for line in lines)
    settings = Settings(
        lake_dir=tmp_path / "lake", pseudonym_key_value="kpi-test", reference_dir=reference
    )
    folder = tmp_path / "exports"
    folder.mkdir(exist_ok=True)
    for batch in _deliveries(exports):
        report = load(settings, [write_export(folder, n, rows) for n, rows in batch], today=today)
        for result in report.files:
            assert result.status == GELADEN, result.melding
            assert result.quarantaine == 0, result.melding
    return PublishedLake(settings).cursor()


def _deliveries(exports: tuple[tuple[str, list[dict]], ...]) -> list[list[tuple[str, list[dict]]]]:
    """The exports in order, cut into loads that hold each source at most once."""
    batches: list[list[tuple[str, list[dict]]]] = []
    sources: set[str | None] = set()
    for name, rows in exports:
        source = kind_from_filename(name)
        if not batches or source in sources:
            batches.append([])
            sources = set()
        batches[-1].append((name, rows))
        sources.add(source)
    return batches


def kpi(cur, kpi_id: str, deelnemer: str, periode: str) -> dict | None:
    """The kpi.waarden row of one KPI, deelnemer and periode, as a dict (None when absent)."""
    result = cur.execute(
        "select waarde, waarde_tekst, teller, noemer, norm, operator, status, dekking, gedekt_tot "
        "from kpi.waarden where kpi_id = ? and deelnemer_code = ? and periode = ?",
        [kpi_id, deelnemer, periode],
    )
    row = result.fetchone()
    if row is None:
        return None
    names = [d[0] for d in result.description]
    return dict(zip(names, row, strict=True))
