"""A load: files in, landing copy, typed raw Parquet and quarantine out, then one publish.

One `vthmonitor load` is one load with one id. Its commit record (raw/_loads/<id>.json) is
written only after every file's Parquet is in place, and the warehouse is rebuilt and published
after that. So a load killed at any point either committed (the next load publishes it if the
kill came before the switch) or left only files without a record, which are removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import polars as pl

from pipelines import build
from pipelines.contract import SOURCES, kind_from_filename
from pipelines.mapping import export_mapping
from pipelines.parse import (
    ERROR_SCHEMA,
    PII_MASK,
    STAND_HERKOMST,
    ParseContext,
    deelnemer_from_filename,
    looks_personal,
    parse_rows,
    stand_from_filename,
)
from pipelines.pseudonym import Pseudonymiser
from pipelines.publishing import publish_lake, remove_files_of_removed_loads
from pipelines.readers import FileRejected, read_file
from pipelines.tombstones import tombstones
from vthmonitor import tijd, voortgang
from vthmonitor.lake import (
    LakePaths,
    committed_loads,
    exclusive_lock,
    fsync_path,
    is_included,
    write_atomic,
)
from vthmonitor.settings import Settings

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
    # unknown columns of the file that stayed in the landing zone (not admitted by the mapping)
    niet_overgenomen: list[str] = field(default_factory=list)
    # the export's snapshot date (ISO) and where it came from (parse.STAND_HERKOMST)
    stand_per: str | None = None
    stand_per_herkomst: str | None = None
    # the one deelnemer a per-deelnemer export covers (CBS code in its name); None = all
    voor_deelnemer: str | None = None

    def stand_tekst(self) -> str:
        """The export's snapshot date and where it came from, for the load line."""
        if self.stand_per is None:
            return "stand onbekend"
        stand = dt.date.fromisoformat(self.stand_per).strftime("%d-%m-%Y")
        tekst = f"stand {stand}, {STAND_HERKOMST.get(self.stand_per_herkomst or '', '')}"
        if self.voor_deelnemer:
            tekst += f", alleen {self.voor_deelnemer}"
        return tekst

    def line(self) -> str:
        """The one line `vthmonitor load` prints for this file."""
        if self.status == GELADEN:
            text = f"geladen: {self.bestand} ({self.bron}, {self.stand_tekst()}): "
            text += f"{self.geladen} rijen geladen"
            if self.quarantaine:
                text += f", {self.quarantaine} in quarantaine ({self.melding})"
            if self.niet_overgenomen:
                text += "; " + ignored_note(self.niet_overgenomen)
            return text
        if self.status == AL_GELADEN:
            return f"al geladen: {self.bestand}: {self.melding}"
        return f"geweigerd: {self.bestand}: {self.melding}"


def ignored_note(columns: list[str]) -> str:
    """Which unknown columns stayed in the landing zone, for the load line."""
    shown = ", ".join(c[:40] for c in columns[:10]) + (" ..." if len(columns) > 10 else "")
    note = f"onbekende kolommen niet overgenomen (alleen in de landing zone): {shown}"
    if any(not looks_personal(c) for c in columns):
        note += (
            "; is een kolom zonder persoonsgegevens nodig, neem haar dan op in "
            "[extra_kolommen] van het koppelbestand"
        )
    return note


@dataclass
class LoadReport:
    load_id: str | None
    files: list[FileResult] = field(default_factory=list)
    published: str | None = None
    excluded: list[str] = field(default_factory=list)  # loads whose build failed (not published)
    exclusion_reason: str | None = None
    rebuilt_because: list[str] = field(default_factory=list)  # why it built (Dutch)

    @property
    def any_rejected(self) -> bool:
        return any(f.status == GEWEIGERD for f in self.files)


def expand(inputs: Iterable[Path]) -> list[Path]:
    """The files to offer, in a stable order. A folder named on the command line is walked
    without following links: a link or special file inside it is listed (and then refused by
    `stage`), never followed. Hidden entries below the folder (".klaar", ".git") are skipped;
    the given folder itself may live anywhere, also under a hidden folder or behind a link."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path, followlinks=False):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                base = Path(folder)
                # a link to a folder is not walked into (os.walk lists it under dirs only when
                # it is not followed): offer it as an entry, so it is refused and reported
                found += [base / d for d in dirs if (base / d).is_symlink()]
                found += [base / n for n in names if not n.startswith(".")]
            files.extend(sorted(found))
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise UsageError(f"'{path}' bestaat niet (geen bestand en geen map).")
    return files


@dataclass(frozen=True)
class Staged:
    copy: Path  # the private copy in the lake's .tmp, under a name of our own
    sha256: str
    size: int


def stage(path: Path, target: Path) -> Staged:
    """Copy a delivered file to `target` while hashing it; every later step reads the copy.

    Only a regular file is accepted: a symbolic link, folder, device, pipe or socket is refused
    (a link to /proc/self/environ would put the loader's environment in the lake). The copy is
    taken from one open file, checked to be the file that was inspected, and its length must
    match the file's size before and after: a file that changes while it is read, or a system
    file whose size is not its content, is refused. Reading the private copy also means a name
    like `zaken_[1].csv` can never make a reader open another file.
    """
    try:
        before = os.lstat(path)
    except OSError as exc:
        raise FileRejected(_os_reason(exc)) from None
    if stat.S_ISLNK(before.st_mode):
        raise FileRejected(
            "het is een snelkoppeling (symbolische link), geen bestand; lever het bestand zelf "
            "aan (kopieer het in de map)."
        )
    if not stat.S_ISREG(before.st_mode):
        kind = "een map" if stat.S_ISDIR(before.st_mode) else "een apparaat, pijp of socket"
        raise FileRejected(f"het is {kind}, geen gewoon bestand; lever een exportbestand aan.")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise FileRejected(_os_reason(exc)) from None
    digest, copied = hashlib.sha256(), 0
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise FileRejected(_CHANGED)
        try:
            with open(fd, "rb", closefd=False) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    dst.write(chunk)
                    copied += len(chunk)
        except BaseException:
            target.unlink(missing_ok=True)  # a half copy (full disk) is personal data in clear
            raise
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if copied != opened.st_size or (after.st_size, after.st_mtime_ns) != (
        opened.st_size,
        opened.st_mtime_ns,
    ):
        target.unlink(missing_ok=True)
        raise FileRejected(_CHANGED)
    return Staged(target, digest.hexdigest(), copied)


_CHANGED = (
    "het bestand veranderde tijdens het lezen (of is geen gewoon exportbestand); wacht tot het "
    "helemaal is weggeschreven en laad het opnieuw."
)


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "het bestand mag niet worden gelezen (geen toegang); vraag de beheerder om rechten."
    if exc.errno == errno.ELOOP:
        return (
            "het is een snelkoppeling (symbolische link), geen bestand; lever het bestand zelf aan."
        )
    return f"het bestand kan niet worden gelezen ({exc.strerror}); lever het opnieuw aan."


def next_load_id(paths: LakePaths) -> str:
    ids = [int(p.stem[1:]) for p in paths.loads.glob("L*.json")]
    return f"L{max(ids, default=0) + 1:06d}"


def remove_uncommitted(paths: LakePaths) -> None:
    """Files of loads that never wrote their commit record (killed, crashed) are removed."""
    committed = {p.stem for p in paths.loads.glob("L*.json")}
    for parquet in paths.raw.glob("*/*.parquet"):
        if parquet.name.split("-", 1)[0] not in committed:
            parquet.unlink()
    remove_files_of_removed_loads(paths)
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
    stand_per: dt.date | None = None,
    stap=None,
) -> LoadReport:
    """Load `inputs` as one load. `stand_per` is the snapshot date of every file offered
    (--stand-per); without it each file's comes from its name, the mapping file or today.
    `progress(result)` after each file, `stap(text)` before the build (the CLI's lines)."""
    if kind is not None and kind not in SOURCES:
        raise UsageError(f"onbekende soort '{kind}'; kies uit: {', '.join(sorted(SOURCES))}.")
    files = expand(inputs)
    if not files:
        raise UsageError("geen bestanden gevonden in de opgegeven map(pen).")
    paths = LakePaths(settings.lake_dir)
    paths.ensure()
    today = today or tijd.vandaag()
    if stand_per is not None and stand_per > today:
        raise UsageError(
            f"--stand-per {stand_per:%d-%m-%Y} ligt in de toekomst; geef de datum van de export."
        )
    mapping = export_mapping(settings)

    with exclusive_lock(paths):
        remove_uncommitted(paths)
        load_id = next_load_id(paths)
        started = tijd.nu().isoformat(timespec="seconds")
        # an excluded or removed load does not count: its files may be offered again
        known = {
            f["sha256"]: f
            for m in committed_loads(paths)
            if is_included(m)
            for f in m["bestanden"]
            if f["status"] == GELADEN
        }
        records = committed_loads(paths)
        tombstoned = {name: tombstones(records, name) for name in SOURCES}
        # made when the first file needs parsing: loading files that are all loaded already
        # (the nightly run on an unchanged folder) then reads no reference data (~0,4 s)
        ctx = functools.cache(
            lambda: ParseContext(
                deelnemers=build.deelnemer_lookup_from_reference(settings),
                pseudonymise=Pseudonymiser(settings.pseudonym_key()),
                today=today,
            )
        )
        report = LoadReport(load_id=load_id)
        for seq, path in enumerate(files, start=1):
            voortgang.meld(f"{printable(path.name)} lezen en controleren", (seq - 1, len(files)))
            result = _load_file(
                paths, load_id, seq, path, kind, known, ctx, mapping, tombstoned, stand_per, today
            )
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
                "klaar": tijd.nu().isoformat(timespec="seconds"),
                "bestanden": [asdict(f) for f in report.files],
            }
            write_atomic(
                paths.loads / f"{load_id}.json",
                json.dumps(record, indent=1, ensure_ascii=False).encode(),
            )
        # Build when this load added data, or when an earlier load committed but was killed
        # before it could publish; a build that fails because of new data excludes it
        # (pipelines/publishing.py), so the next load is never stuck behind it.
        if stap and report.load_id is not None:
            stap("warehouse bouwen en publiceren")
        outcome = publish_lake(settings, paths)
        if outcome.warehouse is not None:
            report.published = outcome.warehouse.name
        report.excluded, report.exclusion_reason = outcome.excluded, outcome.reason
        report.rebuilt_because = outcome.rebuilt_because
    return report


def printable(text: str) -> str:
    """A file name or path as text that can be printed and stored: a name that is not valid
    UTF-8 (bytes from an old archive or another system) keeps its readable part."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _load_file(
    paths, load_id, seq, path, kind, known, ctx, mapping, tombstoned, stand_per, today
) -> FileResult:
    bron = kind or kind_from_filename(path.name)
    result = FileResult(seq, printable(path.name), printable(str(path)), bron, "", 0, GEWEIGERD, "")
    suffix = path.suffix.lower()
    staged_name = f"{load_id}-{seq:04d}" + (suffix if suffix in (".csv", ".txt", ".xlsx") else "")
    try:
        staged = stage(path, paths.tmp / staged_name)
    except FileRejected as exc:
        result.melding = str(exc)
        return result
    result.sha256, result.grootte = staged.sha256, staged.size
    try:
        try:
            stand, herkomst = _stand(path.name, bron, stand_per, mapping, today)
            result.stand_per, result.stand_per_herkomst = stand.isoformat(), herkomst
            result.voor_deelnemer = _voor_deelnemer(path.name, ctx)
        except FileRejected as exc:
            result.melding = str(exc)
            return result
        return _load_staged(
            paths,
            load_id,
            seq,
            path,
            staged,
            result,
            known,
            lambda: replace(ctx(), today=stand, stand_herkomst=herkomst),
            mapping,
            tombstoned,
        )
    finally:
        staged.copy.unlink(missing_ok=True)  # moved into landing when accepted


def _voor_deelnemer(name: str, ctx: Callable[[], ParseContext]) -> str | None:
    """The deelnemer whose own export this is (a CBS code in the name), or None for an export
    of all deelnemers; an unknown code or two codes refuse the file (docs/invoer.md)."""
    try:
        code = deelnemer_from_filename(name)
    except ValueError as exc:
        raise FileRejected(str(exc)) from None
    if code and code not in set(ctx().deelnemers.values()):
        raise FileRejected(
            f"de bestandsnaam noemt deelnemer {code}, die niet in reference/deelnemers.csv "
            "staat; noem de CBS-code van een deelnemer, of laat haar weg bij een export van alle "
            "deelnemers"
        )
    return code


def _stand(
    name: str, bron: str | None, given: dt.date | None, mapping, today: dt.date
) -> tuple[dt.date, str]:
    """The export's snapshot date and where it came from: --stand-per, else the file name,
    else the mapping file's [stand_per], else the day of loading (docs/invoer.md, "Stand per").
    A date after today cannot be an export's."""
    if given is not None:
        return given, "opdracht"
    try:
        from_name = stand_from_filename(name)
    except ValueError as exc:
        raise FileRejected(str(exc)) from None
    if from_name is not None:
        stand, herkomst = from_name, "bestandsnaam"
    elif bron in mapping.stand_per:
        stand, herkomst = mapping.stand_per[bron], "koppelbestand"
    else:
        return today, "laaddatum"
    if stand > today:
        raise FileRejected(
            f"de datum van de export ({stand:%d-%m-%Y}, {STAND_HERKOMST[herkomst]}) ligt in de "
            "toekomst; een export kan niet later zijn dan vandaag. Corrigeer de datum in de "
            "bestandsnaam (<bron>_<jjjjmmdd>), of geef haar op met --stand-per."
        )
    return stand, herkomst


def _load_staged(
    paths, load_id, seq, path, staged, result, known, ctx, mapping, tombstoned
) -> FileResult:
    bron, sha = result.bron, staged.sha256
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

    source = SOURCES[bron]
    ctx = ctx()
    try:
        raw = read_file(
            staged.copy,
            source,
            mapping.aliases.get(bron, {}),
            workdir=paths.tmp,
            sheet=mapping.sheets.get(bron),
            suffix=path.suffix,
        )
        parse_ctx = replace(
            ctx, dot_decimals=raw.encoding == "xlsx", control_chars=raw.control_chars
        )
        parsed = parse_rows(
            raw.table, source, parse_ctx, extra_columns=mapping.extra_columns.get(bron, ())
        )
    except FileRejected as exc:
        result.melding = str(exc)
        return result

    loaded, erased = _without_erased(parsed.rows, source, tombstoned.get(bron))
    errors = pl.concat([raw.structure_errors, parsed.errors, erased]).sort("regel", "kolom")
    quarantined = errors["regel"].n_unique() if errors.height else 0
    if loaded.height + quarantined != raw.data_rows:  # the contract's promise, checked
        raise AssertionError(
            f"{path.name}: {loaded.height} geladen + {quarantined} quarantaine "
            f"!= {raw.data_rows} regels"
        )
    result.status = GELADEN
    result.codering = raw.encoding
    result.regels = raw.data_rows
    result.geladen = loaded.height
    result.quarantaine = quarantined
    result.niet_overgenomen = list(parsed.ignored)
    stem = f"{load_id}-{seq:04d}"
    rows = loaded.with_columns(
        pl.lit(load_id).alias("_load_id"),
        pl.lit(seq, dtype=pl.Int32).alias("_bestand_seq"),
        pl.lit(result.bestand).alias("_bestand"),
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
            pl.lit(result.bestand).alias("bestand"),
            pl.lit(sha).alias("sha256"),
            pl.lit(True).alias(build.MASKED),  # values already passed parse.shown_value
        )
        q_target = paths.quarantine / f"{stem}.parquet"
        _write_parquet(q, q_target, paths)
        result.quarantaine_pad = str(q_target.relative_to(paths.root))
    else:
        result.melding = "geen fouten"
    # Only an accepted file is kept in the landing zone (docs/invoer.md): a refused one may be
    # anything, and the person who offered it still has it.
    landing = paths.landing / bron / f"{sha}{path.suffix.lower()}"
    if not landing.exists():
        landing.parent.mkdir(parents=True, exist_ok=True)
        fsync_path(staged.copy)
        os.replace(staged.copy, landing)
    return result


def _without_erased(
    rows: pl.DataFrame, source, dead: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows whose key `vthmonitor erase` did not delete, and quarantine rows for those it
    did: a deleted zaak or complaint never comes back with a later export (docs/verwijderen.md).
    """
    if dead is None or dead.height == 0 or rows.height == 0:
        return rows, pl.DataFrame(schema=ERROR_SCHEMA)
    keys = list(source.key)
    hit = rows.join(dead, on=keys, how="inner", nulls_equal=True)
    shown = source.column(keys[0])
    erased = hit.select(
        pl.col("_regel").alias("regel"),
        pl.lit(shown.name).alias("kolom"),
        pl.format(
            "deze sleutel is verwijderd (lading {}, vthmonitor erase) en wordt niet opnieuw "
            "opgenomen",
            pl.col("_verwijderd_in"),
        ).alias("reden"),
        (pl.lit(PII_MASK) if shown.pii else pl.col(shown.name).cast(pl.String)).alias("waarde"),
    ).cast(ERROR_SCHEMA)
    return rows.join(dead.select(keys), on=keys, how="anti", nulls_equal=True), erased


def _write_parquet(frame: pl.DataFrame, target: Path, paths: LakePaths) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = paths.tmp / target.name
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    fsync_path(tmp)  # on disk before the commit record can point at it (power loss, not only kill)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    os.replace(tmp, target)
