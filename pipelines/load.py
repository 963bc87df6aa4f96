"""A load: files in, landing copy, typed raw Parquet and quarantine out, then one publish.

One `vthmonitor load` is one load with one id. Its commit record (raw/_loads/<id>.json) is
written only after every file's Parquet is in place, and the warehouse is rebuilt and published
after that. So a load killed at any point either committed (the next load publishes it if the
kill came before the switch) or left only files without a record, which are removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from pipelines import build
from pipelines.contract import SOURCES, kind_from_filename
from pipelines.lake import LakePaths, committed_loads, exclusive_lock, fsync_path, write_atomic
from pipelines.parse import ParseContext, parse_rows
from pipelines.pseudonym import Pseudonymiser
from pipelines.readers import FileRejected, read_file
from pipelines.settings import Settings

GELADEN, AL_GELADEN, GEWEIGERD = "geladen", "al_geladen", "geweigerd"


class UsageError(Exception):
    """The command was called wrongly (a path that does not exist, an unknown --kind)."""


@dataclass
class FileResult:
    volgnummer: int
    bestand: str  # the name as delivered
    pad: str  # where it was read from
    bron: str | None
    sha256: str
    grootte: int
    status: str
    melding: str
    codering: str | None = None
    regels: int = 0  # data rows in the file
    geladen: int = 0
    quarantaine: int = 0
    raw: str | None = None  # Parquet of the loaded rows, relative to the lake
    quarantaine_pad: str | None = None

    def line(self) -> str:
        """The one line `vthmonitor load` prints for this file."""
        if self.status == GELADEN:
            text = f"geladen: {self.bestand} ({self.bron}): {self.geladen} rijen geladen"
            if self.quarantaine:
                text += f", {self.quarantaine} in quarantaine ({self.melding})"
            return text
        if self.status == AL_GELADEN:
            return f"al geladen: {self.bestand}: {self.melding}"
        return f"geweigerd: {self.bestand}: {self.melding}"


@dataclass
class LoadReport:
    load_id: str | None
    files: list[FileResult] = field(default_factory=list)
    published: str | None = None

    @property
    def any_rejected(self) -> bool:
        return any(f.status == GEWEIGERD for f in self.files)


def expand(inputs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            # hidden files and folders below the given folder (".klaar", ".git") are skipped;
            # the given folder itself may live anywhere, also under a hidden folder
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"'{path}' bestaat niet (geen bestand en geen map).")
    return files


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def next_load_id(paths: LakePaths) -> str:
    ids = [int(p.stem[1:]) for p in paths.loads.glob("L*.json")]
    return f"L{max(ids, default=0) + 1:06d}"


def remove_uncommitted(paths: LakePaths) -> None:
    """Files of loads that never wrote their commit record (killed, crashed) are removed."""
    committed = {p.stem for p in paths.loads.glob("L*.json")}
    for parquet in paths.raw.glob("*/*.parquet"):
        if parquet.name.split("-", 1)[0] not in committed:
            parquet.unlink()
    shutil.rmtree(paths.tmp, ignore_errors=True)
    paths.tmp.mkdir(parents=True, exist_ok=True)
    for stray in paths.loads.glob(".*.tmp"):
        stray.unlink()


def load(
    settings: Settings,
    inputs: list[Path],
    kind: str | None = None,
    today: dt.date | None = None,
    progress=None,
) -> LoadReport:
    if kind is not None and kind not in SOURCES:
        raise UsageError(f"onbekende soort '{kind}'; kies uit: {', '.join(sorted(SOURCES))}.")
    files = expand(inputs)
    if not files:
        raise UsageError("geen bestanden gevonden in de opgegeven map(pen).")
    paths = LakePaths(settings.lake_dir)
    paths.ensure()
    today = today or dt.date.today()
    aliases = settings.header_aliases()

    with exclusive_lock(paths):
        remove_uncommitted(paths)
        load_id = next_load_id(paths)
        started = dt.datetime.now().isoformat(timespec="seconds")
        known = {
            f["sha256"]: f
            for m in committed_loads(paths)
            for f in m["bestanden"]
            if f["status"] == GELADEN
        }
        ctx = ParseContext(
            deelnemers=build.deelnemer_lookup_from_reference(settings),
            pseudonymise=Pseudonymiser(settings.pseudonym_key()),
            today=today,
        )
        report = LoadReport(load_id=load_id)
        for seq, path in enumerate(files, start=1):
            result = _load_file(paths, load_id, seq, path, kind, known, ctx, aliases)
            if result.status == GELADEN:
                known[result.sha256] = asdict(result)
            report.files.append(result)
            if progress:
                progress(result)

        if all(f.status == AL_GELADEN for f in report.files):
            report.load_id = None  # nothing new: no commit record, no rebuild
        else:
            record = {
                "load_id": load_id,
                "gestart": started,
                "klaar": dt.datetime.now().isoformat(timespec="seconds"),
                "bestanden": [asdict(f) for f in report.files],
            }
            write_atomic(
                paths.loads / f"{load_id}.json",
                json.dumps(record, indent=1, ensure_ascii=False).encode(),
            )
        # Rebuild when this load committed something, or when an earlier load committed but
        # was killed before it could publish.
        if build.needs_build(paths):
            report.published = build.build_and_publish(settings).name
    return report


def _load_file(paths, load_id, seq, path, kind, known, ctx, aliases) -> FileResult:
    size = path.stat().st_size
    sha = sha256_of(path)
    bron = kind or kind_from_filename(path.name)
    result = FileResult(seq, path.name, str(path), bron, sha, size, GEWEIGERD, "")
    if bron is None:
        result.melding = (
            "onbekende soort bestand: de naam moet beginnen met de bron (bijv. "
            "zaken_20250131.csv), of geef de soort op met --kind. Bekende bronnen: "
            + ", ".join(sorted(SOURCES))
            + "."
        )
        return result
    if sha in known:
        earlier = known[sha]
        result.status = AL_GELADEN
        result.melding = (
            f"dezelfde inhoud is al geladen als '{earlier['bestand']}'; er verandert niets."
        )
        return result

    landing = paths.landing / bron / f"{sha}{path.suffix.lower()}"
    if not landing.exists():
        landing.parent.mkdir(parents=True, exist_ok=True)
        tmp = paths.tmp / f"{sha}.landing"
        shutil.copyfile(path, tmp)
        fsync_path(tmp)
        os.replace(tmp, landing)

    source = SOURCES[bron]
    try:
        raw = read_file(path, source, aliases.get(bron, {}), workdir=paths.tmp)
        parse_ctx = ctx
        if raw.encoding == "xlsx":
            parse_ctx = ParseContext(ctx.deelnemers, ctx.pseudonymise, ctx.today, dot_decimals=True)
        parsed = parse_rows(raw.table, source, parse_ctx)
    except FileRejected as exc:
        result.melding = str(exc)
        return result

    errors = pl.concat([raw.structure_errors, parsed.errors])
    quarantined = errors["regel"].n_unique() if errors.height else 0
    if parsed.rows.height + quarantined != raw.data_rows:  # the contract's promise, checked
        raise AssertionError(
            f"{path.name}: {parsed.rows.height} geladen + {quarantined} quarantaine "
            f"!= {raw.data_rows} regels"
        )
    result.status = GELADEN
    result.codering = raw.encoding
    result.regels = raw.data_rows
    result.geladen = parsed.rows.height
    result.quarantaine = quarantined
    stem = f"{load_id}-{seq:04d}"
    rows = parsed.rows.with_columns(
        pl.lit(load_id).alias("_load_id"),
        pl.lit(seq, dtype=pl.Int32).alias("_bestand_seq"),
        pl.lit(path.name).alias("_bestand"),
    )
    target = paths.raw / bron / f"{stem}.parquet"
    _write_parquet(rows, target, paths)
    result.raw = str(target.relative_to(paths.root))
    if errors.height:
        first = errors.row(0, named=True)
        result.melding = f"eerste: regel {first['regel']}, kolom {first['kolom']}: {first['reden']}"
        q = errors.with_columns(
            pl.lit(load_id).alias("load_id"),
            pl.lit(bron).alias("bron"),
            pl.lit(path.name).alias("bestand"),
            pl.lit(sha).alias("sha256"),
        )
        q_target = paths.quarantine / f"{stem}.parquet"
        _write_parquet(q, q_target, paths)
        result.quarantaine_pad = str(q_target.relative_to(paths.root))
    else:
        result.melding = "geen fouten"
    return result


def _write_parquet(frame: pl.DataFrame, target: Path, paths: LakePaths) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = paths.tmp / target.name
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    fsync_path(tmp)  # on disk before the commit record can point at it (power loss, not only kill)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    os.replace(tmp, target)
