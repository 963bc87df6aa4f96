"""Reading an export file into a table of strings with canonical column names.

A file is either read whole (every data row comes out, as text, with its line number) or it is
rejected as a whole with a Dutch message that names the file and what to do (`FileRejected`).
Rows whose *structure* is broken (wrong number of fields, a truncated last line) are not a
reason to reject the file: they come back as `structure_errors` and go to quarantine.

CSV is read by DuckDB's reader in strict mode (fast, native); only when that reader refuses a
file do we re-read it with Python's csv module, which is slower but tells exactly which lines
are broken. Line numbers are physical lines in the file (header = line 1), also when a quoted
field contains a line break.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import os
import re
import struct
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import duckdb
import polars as pl

from pipelines.contract import Source
from pipelines.parse import ERROR_SCHEMA, normalise_name

DELIMITER = ";"

# Limits on what a delivered file may be (docs/invoer.md, "Grenzen"). They are checked before
# anything is committed, so a file beyond them is refused with a message instead of making the
# build fail later. The contract's sources have at most 16 columns; an export with hundreds more
# is not an export of one of them.
MAX_COLUMNS = 500
# Unpacked size of an Excel workbook (all its parts). A real HR or finance export is a few MB; a
# workbook whose parts unpack to more is refused before any spreadsheet reader sees it.
MAX_XLSX_UNPACKED = 256 * 1024**2
# Cells in the read sheet's used range (rows x columns): the spreadsheet reader allocates the
# whole range, so one cell far away (XFD1048576) must not make it allocate 17 billion.
MAX_XLSX_CELLS = 20_000_000

# Python's csv module refuses fields over 128 KB with an error that says nothing about length;
# long fields are read whole and judged by the field check in pipelines/parse.py instead.
csv.field_size_limit(2**31 - 1)


class FileRejected(Exception):
    """The whole file is refused; nothing of it is published. The message is for the user."""


@dataclass(frozen=True)
class RawTable:
    table: pl.DataFrame  # strings, canonical column names, plus `_regel`
    encoding: str  # "utf-8", "utf-8-sig", "cp1252" or "xlsx"
    data_rows: int  # data rows in the file, the broken ones included
    structure_errors: pl.DataFrame  # ERROR_SCHEMA rows for lines that could not be split
    extra_columns: tuple[str, ...]
    control_chars: bool = True  # False when a scan of the whole file found no control byte


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252.

    Valid UTF-8 is a strong signal: Windows-1252 text with accents is almost never valid UTF-8.
    Bytes that are neither (0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in Windows-1252) are
    refused rather than guessed.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            data[3:].decode("utf-8")
            return "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise FileRejected(
                f"het bestand begint als UTF-8 maar bevat ongeldige tekens (byte {exc.start + 3}); "
                "sla het opnieuw op als 'CSV UTF-8'."
            ) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(
            "het bestand is UTF-16 (Unicode-tekst); sla het op als 'CSV UTF-8' "
            "of 'CSV (puntkomma)'."
        )
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"de tekencodering is niet te herkennen (geen UTF-8 en geen Windows-1252, byte "
            f"{exc.start}); sla het bestand opnieuw op als 'CSV UTF-8'."
        ) from exc


# Control characters no text export contains (TAB, LF, CR and FF excepted).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")


def looks_binary(data: bytes) -> str | None:
    """A reason when the start of the file is not text. One stray control character (a NUL in a
    field) does not make a file binary: such a row is quarantined wherever it is in the file
    (pipelines/parse.py). Many of them (over 1 in 100 bytes, or 8 in a small file) do."""
    head = data[:8192]
    if head.startswith(b"PK\x03\x04"):
        return "het is een zip- of Excel-bestand, geen CSV"
    if head.startswith(b"%PDF"):
        return "het is een PDF-bestand"
    controls = len(_CONTROL_BYTES.findall(head))
    if controls > max(8, len(head) // 100):
        return "het is geen tekstbestand (het bevat binaire gegevens)"
    return None


def map_header(
    names: list[str], source: Source, aliases: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """Canonical name for each header cell, and the extra (unknown) ones.

    Matching ignores case and surrounding spaces; spaces and hyphens count as `_`. `aliases`
    (normalised export name -> canonical name) comes from the organisation's mapping file.
    Raises FileRejected for an empty or duplicated header name and for missing required columns.
    """
    if len(names) > MAX_COLUMNS:
        count = f"{len(names):,}".replace(",", ".")
        raise FileRejected(
            f"de kopregel heeft {count} kolommen; een export heeft er hooguit {MAX_COLUMNS}. "
            "Controleer of dit de juiste export is (en het scheidingsteken ;)."
        )
    known = {c.name for c in source.columns}
    canonical, seen = [], {}
    for position, name in enumerate(names, start=1):
        norm = normalise_name(name)
        if not norm:
            raise FileRejected(
                f"kolom {position} van de kopregel heeft geen naam; geef elke kolom een naam "
                "(in Excel: maak samengevoegde cellen in de kopregel los)."
            )
        norm = aliases.get(norm, norm)
        if norm in seen:
            raise FileRejected(
                f"de kolom '{norm}' komt twee keer voor in de kopregel (kolom {seen[norm]} en "
                f"{position}); laat één van beide weg."
            )
        seen[norm] = position
        canonical.append(norm)
    missing = [c for c in source.required_columns if c not in seen]
    if missing:
        plural = (
            "verplichte kolommen ontbreken" if len(missing) > 1 else "verplichte kolom ontbreekt"
        )
        raise FileRejected(
            f"{plural}: {', '.join(missing)}. Voeg de kolom toe aan de export, of leg de "
            "afwijkende kolomnaam vast in het koppelbestand (VTHMONITOR_KOPPELINGEN)."
        )
    extras = [c for c in canonical if c not in known]
    return canonical, extras


def _check_delimiter(header_line: str) -> None:
    if DELIMITER in header_line:
        return
    for other, label in ((",", "komma"), ("\t", "tab"), ("|", "verticale streep")):
        if header_line.count(other) >= 1:
            raise FileRejected(
                f"het scheidingsteken is een {label}, verwacht wordt een puntkomma (;). Sla het "
                "bestand op als 'CSV (gescheiden door lijstscheidingsteken)' met ; als scheiding."
            )


CHUNK = 1 << 20  # files are scanned and transcoded in 1 MB pieces, never held whole in memory


@dataclass(frozen=True)
class _Scan:
    encoding: str
    has_rows: bool  # anything but white space after the header line
    blank_line_inside: bool  # an empty line before the last content line
    control_chars: bool  # a byte sequence that may be a control character somewhere
    newlines: int  # line breaks in the file: more than rows + 1 means multi-line fields


# Bytes that may encode a character parse.CONTROL_CHARS refuses: C0 controls, and in UTF-8 the
# C1 controls, zero-width and direction marks, separators and a byte-order mark. When a file
# has none, the per-column check for them is skipped (it is the costliest field check). The
# C0 test deletes every other byte (C speed); the UTF-8 pattern only runs where its lead bytes
# occur at all.
_NOT_C0 = bytes(b for b in range(256) if b not in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_UTF8_CONTROL = re.compile(
    rb"\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xa4]|\xef\xbb\xbf"
)
_BARE_CR = re.compile(rb"\r(?=[^\n])")


def _has_control(window: bytes, skip: int) -> bool:
    if window.translate(None, _NOT_C0) or b"\x7f" in window:
        return True
    if b"\xc2" in window or b"\xe2" in window or b"\xef\xbb\xbf" in window[skip:]:
        return _UTF8_CONTROL.search(window, skip) is not None
    return False


def _has_bare_cr(window: bytes) -> bool:
    return window.count(b"\r") != window.count(b"\r\n") and _BARE_CR.search(window) is not None


def _scan(path: Path) -> _Scan:
    """One streaming pass: refuse empty/binary/UTF-16 files, detect the encoding, and note the
    things that decide between the fast and the exact reader."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        with open(path, "rb") as fh:
            if not fh.read().strip():
                raise FileRejected("het bestand is leeg; exporteer opnieuw.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        detect_encoding(head)  # raises the UTF-16 message, which says how to save it instead
    binary = looks_binary(head)
    if binary:
        raise FileRejected(f"{binary}; lever een CSV-bestand met ; als scheidingsteken.")

    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8, offset, first_newline, not_utf8_at = True, 0, -1, None
    first_blank, last_content, previous, controls, bare_cr = None, -1, b"", False, False
    newlines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if is_utf8:
                pending = len(utf8.getstate()[0])  # bytes of a character cut by the chunk
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError as exc:
                    is_utf8, not_utf8_at = False, max(offset - pending + exc.start, 0)
            newlines += chunk.count(b"\n")
            if first_newline < 0 and (pos := chunk.find(b"\n")) >= 0:
                first_newline = offset + pos
            window = previous + chunk
            skip = 3 if offset == 0 and window.startswith(codecs.BOM_UTF8) else 0
            controls = controls or _has_control(window, skip)
            bare_cr = bare_cr or _has_bare_cr(window)
            for blank in (b"\n\n", b"\n\r\n"):
                pos = window.find(blank)
                if pos >= 0:
                    at = offset - len(previous) + pos
                    first_blank = at if first_blank is None else min(first_blank, at)
            stripped = chunk.rstrip()
            if stripped:
                last_content = offset + len(stripped) - 1
            previous, offset = chunk[-2:], offset + len(chunk)
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    if first_newline < 0 and b"\r" in head:
        raise FileRejected(
            "de regels eindigen alleen op CR (oude Macintosh-indeling); sla het bestand op als "
            "'CSV UTF-8' of 'CSV (puntkomma)'."
        )
    if bare_cr:
        # Python's csv module ends a row at a lone CR, the line count does not: rows would be
        # numbered wrongly or lost. Such files come from pasting old Mac text.
        raise FileRejected(
            "sommige regels eindigen alleen op CR (of een veld bevat een losse CR, uit oude "
            "Macintosh-tekst); sla het bestand opnieuw op als 'CSV UTF-8'."
        )
    if is_utf8:
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    else:
        encoding = _check_cp1252(path, head, not_utf8_at or 0)
    has_rows = 0 <= first_newline < last_content
    inside = first_blank is not None and first_blank < last_content
    return _Scan(encoding, has_rows, inside, controls, newlines)


# A well-formed UTF-8 sequence of two to four bytes (é is C3 A9, ı C4 B1, € E2 82 AC, an emoji
# F0 9F ..). Read as Windows-1252 it becomes "Ã©", "Ä±", "â‚¬": in real Windows-1252 text such
# a pair (a capital with an accent followed by a symbol) is so rare that a file which is not
# valid UTF-8 but contains one mixes two encodings (rows pasted from another file). Refusing
# then costs the sender one "save as CSV UTF-8"; accepting would garble names silently.
_UTF8_IN_CP1252 = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


_NOT_CONTINUATION = bytes(b for b in range(256) if not 0x80 <= b <= 0xBF)


def _line_of(path: Path, offset: int) -> int:
    line, read = 1, 0
    with open(path, "rb") as fh:
        while read < offset and (chunk := fh.read(min(CHUNK, offset - read))):
            line += chunk.count(b"\n")
            read += len(chunk)
    return line


def _check_cp1252(path: Path, head: bytes, not_utf8_at: int = 0) -> str:
    """Windows-1252, when every byte is one and the file does not also contain UTF-8 text.
    `not_utf8_at`: about where the first byte that is not UTF-8 is (for the message)."""
    if head.startswith(codecs.BOM_UTF8):
        raise FileRejected(
            "het bestand begint als UTF-8 maar bevat ongeldige tekens; sla het opnieuw op als "
            "'CSV UTF-8'."
        )
    decoder = codecs.getincrementaldecoder("cp1252")()
    line, previous = 1, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise FileRejected(
                    "de tekencodering is niet te herkennen (geen UTF-8 en geen Windows-1252); "
                    "sla het bestand opnieuw op als 'CSV UTF-8'."
                ) from exc
            # a sequence may straddle two chunks: search with the last 2 bytes of the previous
            window = previous + chunk
            # a UTF-8 sequence needs a byte 80-BF after its lead: most Windows-1252 exports have
            # none of those (they are its quotes, dashes and €), and then the search is skipped
            found = window.translate(None, _NOT_CONTINUATION) and _UTF8_IN_CP1252.search(window)
            if found:
                at = line + window[: found.start()].count(b"\n") - previous.count(b"\n")
                sample = found.group().decode("utf-8", errors="replace")
                other = _line_of(path, not_utf8_at)
                raise FileRejected(
                    f"gemengde tekencodering: regel {at} bevat tekst in UTF-8 (bijv. "
                    f"'{sample}', in Windows-1252 gelezen als "
                    f"'{found.group().decode('cp1252', errors='replace')}'), maar regel "
                    f"{other} niet (daar staat tekst in Windows-1252). Zo zouden letters met "
                    "accenten verminkt worden. Sla het bestand in Excel opnieuw op als 'CSV "
                    "UTF-8' en controleer de regels die uit een ander bestand zijn geplakt."
                )
            line += chunk.count(b"\n")
            previous = chunk[-2:]
    return "cp1252"


def read_csv(
    path: Path, source: Source, aliases: Mapping[str, str], workdir: Path | None = None
) -> RawTable:
    scan = _scan(path)
    with open(path, encoding=scan.encoding, newline="") as fh:
        first_line = fh.readline().rstrip("\r\n")
    _check_delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=DELIMITER))
    canonical, extras = map_header(header, source, aliases)

    if not scan.has_rows:
        empty = pl.DataFrame(schema={**dict.fromkeys(canonical, pl.String), "_regel": pl.Int64})
        return RawTable(empty, scan.encoding, 0, pl.DataFrame(schema=ERROR_SCHEMA), tuple(extras))

    table = None
    # Blank lines in the middle would shift DuckDB's row numbers: such files take the exact path.
    if not scan.blank_line_inside:
        table = _read_fast(path, scan.encoding, len(canonical), workdir)
    if table is not None:
        table.columns = [*canonical, "_regel"]
        data_rows, errors = table.height, pl.DataFrame(schema=ERROR_SCHEMA)
    else:
        text = path.read_bytes().decode(scan.encoding)
        rows, lines, errors, data_rows = _read_exact(text, len(canonical))
        table = pl.DataFrame(
            {name: [r[i] for r in rows] for i, name in enumerate(canonical)} | {"_regel": lines},
            schema={**dict.fromkeys(canonical, pl.String), "_regel": pl.Int64},
        )
    if scan.newlines > data_rows + 1:  # some field spans lines: did it swallow rows?
        table, swallowed = _swallowing_rows(table, canonical)
        errors = pl.concat([errors, swallowed]).sort("regel")
    return RawTable(
        table, scan.encoding, data_rows, errors, tuple(extras), control_chars=scan.control_chars
    )


def _swallowing_rows(table: pl.DataFrame, columns: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows with a field whose lines look like whole rows themselves (as many `;` as a row
    has): a quote that opens in one row and closes many rows later turns those rows into one
    field. Such a row is quarantined, with how many lines its field spans, instead of loading
    as if the rows in between never existed."""
    pattern = r"\n[^\n]*(;[^\n]*){" + str(max(len(columns) - 1, 1)) + "}"
    swallowing = pl.any_horizontal(pl.col(columns).str.contains(pattern))
    spans = pl.sum_horizontal(pl.col(columns).str.count_matches("\n").fill_null(0)) + 1
    bad = table.filter(swallowing)
    if bad.height == 0:
        return table, pl.DataFrame(schema=ERROR_SCHEMA)
    errors = bad.select(
        pl.col("_regel").alias("regel"),
        pl.lit("(hele regel)").alias("kolom"),
        pl.format(
            "een veld loopt over {} regels die zelf op hele rijen lijken: waarschijnlijk wordt "
            "een aanhalingsteken niet gesloten; corrigeer de export",
            spans,
        ).alias("reden"),
        pl.lit(None, dtype=pl.String).alias("waarde"),
    ).cast(ERROR_SCHEMA)
    return table.filter(~swallowing), errors


def _transcode(path: Path, encoding: str, target: Path) -> None:
    """Stream a Windows-1252 or BOM-prefixed file into plain UTF-8 (what DuckDB reads)."""
    with (
        open(path, encoding=encoding, newline="") as src,
        open(target, "w", encoding="utf-8", newline="") as dst,
    ):
        while chunk := src.read(CHUNK):
            dst.write(chunk)


def duckdb_path(path: Path) -> str:
    """`path` as DuckDB's file functions must be given it to read exactly that file: DuckDB
    treats `*`, `?` and `[` as glob characters, so each is escaped as a one-character class."""
    return re.sub(r"([*?\[])", r"[\1]", str(path))


def _read_fast(path: Path, encoding: str, width: int, workdir: Path | None) -> pl.DataFrame | None:
    """DuckDB's strict CSV reader; None when it finds a structural problem anywhere."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    con = duckdb.connect(config={"threads": 2})
    try:
        # The transcoded copy holds personal data in clear: it goes in the lake's own .tmp
        # (removed by the next load even after a kill), not in the system's temp folder.
        with tempfile.TemporaryDirectory(prefix="transcode-", dir=workdir) as tmp:
            target = path
            if encoding != "utf-8":  # DuckDB reads UTF-8 only (no Windows-1252, BOM-less)
                target = Path(tmp) / "utf8.csv"
                _transcode(path, encoding, target)
            # The path is a bound parameter, never SQL text, and its glob characters are
            # escaped: DuckDB expands `zaken_[1].csv` or `*` to *other* files otherwise.
            query = (
                "select * from read_csv(?, delim=';', quote='\"', escape='\"', "
                f"header=false, skip=1, auto_detect=false, columns={{{columns}}}, "
                "strict_mode=true, null_padding=false, all_varchar=true)"
            )
            try:
                table = con.sql(query, params=[duckdb_path(target)]).pl()
            except duckdb.Error:
                return None
    finally:
        con.close()
    # Line of row i = 2 + i + line breaks inside the quoted fields of the rows before it.
    breaks = pl.sum_horizontal(
        pl.col(c).str.count_matches("\n").fill_null(0) for c in table.columns
    )
    return table.with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2 + breaks.cum_sum().shift(1, fill_value=0))
        .cast(pl.Int64)
        .alias("_regel")
    )


def _read_exact(text: str, width: int) -> tuple[list[list], list[int], pl.DataFrame, int]:
    """Python's csv reader, record by record, with the first line of each record.

    A quote that is never closed would make the reader swallow the rest of the file as one
    field: that line alone is quarantined and reading resumes on the line after it."""
    lines_of_text = [line for line in re.split(r"(?<=\n)", text) if line]
    rows: list[list] = []
    lines: list[int] = []
    errors: list[dict] = []
    data_rows = 0
    resume = 1  # 0-based index into lines_of_text; line 0 is the header
    while resume < len(lines_of_text):
        # the lines themselves, not one joined copy of the rest of the file per restart (a file
        # with many bad lines would take quadratic time)
        reader = csv.reader(
            itertools.islice(lines_of_text, resume, None),
            delimiter=DELIMITER,
            quotechar='"',
            strict=True,
        )
        previous_end = resume  # file line number (1-based) of the last line consumed
        restart = None
        while True:
            start = previous_end + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                # Only this line is quarantined; reading resumes on the next line, so a stray
                # quote cannot take the rows after it along.
                data_rows += 1
                reason = (
                    "de regel is afgebroken (een aanhalingsteken wordt niet gesloten)"
                    if "end of data" in str(exc)
                    else "de regel is niet te lezen: aanhalingstekens staan verkeerd"
                )
                errors.append(_structure_error(start, reason + "; corrigeer of exporteer opnieuw"))
                restart = start  # 0-based index of the next line == this line's number
                break
            previous_end = resume + reader.line_num
            if not record or all(not f for f in record) and len(record) <= 1:
                continue  # a blank line is not a row
            data_rows += 1
            if len(record) != width:
                reason = f"de regel heeft {len(record)} velden, verwacht {width}" + (
                    " (de regel is afgebroken)"
                    if len(record) < width
                    else " (staat er een ; in een veld zonder aanhalingstekens?)"
                )
                errors.append(_structure_error(start, reason))
                continue
            rows.append([f if f != "" else None for f in record])
            lines.append(start)
        if restart is None:
            break
        resume = restart
    return rows, lines, pl.DataFrame(errors, schema=ERROR_SCHEMA), data_rows


def _structure_error(line: int, reason: str) -> dict:
    return {"regel": line, "kolom": "(hele regel)", "reden": reason, "waarde": None}


_XLSX_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL_REF = re.compile(r"^([A-Za-z]{1,3})([0-9]{1,7})$")
_XLSX_UNREADABLE = "het Excel-bestand kan niet worden gelezen; sla het opnieuw op als .xlsx."
_XLSX_DAMAGED = (
    "het Excel-bestand is beschadigd of bewerkt (de inhoud klopt niet met wat het bestand "
    "zelf opgeeft); sla het opnieuw op als .xlsx."
)


@dataclass(frozen=True)
class _Sheet:
    name: str
    state: str  # visible, hidden or veryHidden
    part: str  # the sheet's XML part in the zip, e.g. xl/worksheets/sheet1.xml


@dataclass(frozen=True)
class XlsxPlan:
    """What read_xlsx reads: which sheet, and the sheet row of its first row with data."""

    sheet: str
    first_row: int


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def inspect_xlsx(path: Path, wanted: str | None = None) -> XlsxPlan:
    """The sheet to read, after checking the workbook can be read safely (docs/invoer.md).

    Every part is inflated here, streaming, from the bytes a spreadsheet reader would inflate,
    with a cap on the total: a zip bomb is refused before any reader allocates, and a part that
    inflates to another size than the zip says (a lie that makes Python's zipfile stop early
    while the spreadsheet reader reads on) is refused as damaged. The sheet is parsed as XML
    (namespaces, quoting and cells without a reference all count) for its used range, because
    the spreadsheet reader allocates the whole range at once.

    Hidden sheets are never read: the visible sheet is what the person who exported the file
    saw. A workbook with several visible sheets is refused unless the mapping file names the
    sheet ([bladen]); two sheets with the same name are refused (a reader would take the first).
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(_XLSX_UNREADABLE) from exc
    with archive:
        try:
            sheets = _sheets(archive)
        except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError) as exc:
            raise FileRejected(_XLSX_UNREADABLE) from exc
        names = [s.name.lower() for s in sheets]
        if len(set(names)) != len(names):
            raise FileRejected(
                "het Excel-bestand heeft twee bladen met dezelfde naam; geef elk blad een eigen "
                "naam en sla het opnieuw op."
            )
        visible = [s for s in sheets if s.state == "visible"]
        if wanted is not None:
            chosen = next((s for s in sheets if s.name.lower() == wanted.lower()), None)
            if chosen is None or chosen.state != "visible":
                found = ", ".join(f"'{s.name}'" for s in visible) or "geen"
                raise FileRejected(
                    f"het blad '{wanted}' (uit het koppelbestand) staat niet zichtbaar in dit "
                    f"Excel-bestand; zichtbare bladen: {found}. Pas het koppelbestand of de "
                    "export aan."
                )
        elif not visible:
            raise FileRejected(
                "het Excel-bestand heeft geen zichtbaar blad; maak het blad met de gegevens "
                "zichtbaar."
            )
        elif len(visible) > 1:
            listed = ", ".join(f"'{s.name}'" for s in visible)
            raise FileRejected(
                f"het Excel-bestand heeft {len(visible)} zichtbare bladen ({listed}); het is "
                "niet zeker welk blad de export is. Lever een bestand met één zichtbaar blad, "
                "of noem het blad in het koppelbestand (VTHMONITOR_KOPPELINGEN, tabel [bladen])."
            )
        else:
            chosen = visible[0]
        first_row = _check_parts(path, archive, chosen.part)
    return XlsxPlan(chosen.name, first_row)


def _sheets(archive: zipfile.ZipFile) -> list[_Sheet]:
    def small_part(name: str) -> bytes:
        info = archive.getinfo(name)
        if info.file_size > 16 * 1024**2 or info.compress_size > 16 * 1024**2:
            raise ValueError(name)
        data = archive.read(name)
        if b"<!DOCTYPE" in data[:4096]:  # OOXML has no DTDs; entity tricks are refused
            raise ValueError(name)
        return data

    workbook = ET.fromstring(small_part("xl/workbook.xml"))
    if workbook.tag != f"{{{_XLSX_NS['m']}}}workbook":
        raise FileRejected(
            "dit Excel-bestand is opgeslagen als 'Strict Open XML' (of een ander formaat); sla "
            "het op als gewone Excel-werkmap (.xlsx)."
        )
    rels = ET.fromstring(small_part("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _XLSX_NS)}
    sheets = []
    for node in workbook.iterfind("m:sheets/m:sheet", _XLSX_NS):
        target = targets.get(node.get(f"{{{_XLSX_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        sheets.append(_Sheet(node.get("name", ""), node.get("state", "visible"), part))
    return sheets


_LOCAL_HEADER = struct.Struct("<4s5H3I2H")  # signature ... name length, extra length


def _check_parts(path: Path, archive: zipfile.ZipFile, sheet_part: str) -> int:
    """Inflate every part (capped), compare with the sizes the zip states, and measure the used
    range of `sheet_part`; returns its first row with data (1-based)."""
    total = 0
    scan = _RangeScan()
    with open(path, "rb") as raw:
        for info in archive.infolist():
            produced = 0
            for data in _inflated(raw, info):
                produced += len(data)
                total += len(data)
                if total > MAX_XLSX_UNPACKED:
                    raise FileRejected(
                        f"het Excel-bestand pakt uit tot meer dan "
                        f"{MAX_XLSX_UNPACKED // 1024**2} MB; een export is veel kleiner. "
                        "Sla alleen het blad met de gegevens op, als .xlsx of CSV."
                    )
                if info.filename == sheet_part and data:
                    scan.feed(data)
            if produced != info.file_size:
                raise FileRejected(_XLSX_DAMAGED)
    return scan.finish()


def _inflated(raw, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The bytes of one part, from its local header on, in pieces of at most CHUNK bytes."""
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise FileRejected(_XLSX_DAMAGED)
    fields = _LOCAL_HEADER.unpack(header)
    flags, method, local_sizes = fields[2], fields[3], (fields[7], fields[8])
    raw.seek(fields[9] + fields[10], os.SEEK_CUR)
    # Sizes in the local header must be the central directory's, unless they follow the data
    # (flag 0x08) or live in a zip64 field: two readers could otherwise read two different files.
    stated = (info.compress_size, info.file_size)
    if not flags & 0x08 and 0xFFFFFFFF not in local_sizes and local_sizes != stated:
        raise FileRejected(_XLSX_DAMAGED)
    if method not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        raise FileRejected(_XLSX_UNREADABLE)
    inflate = zlib.decompressobj(-15) if method == zipfile.ZIP_DEFLATED else None
    left = info.compress_size
    try:
        while left > 0:
            chunk = raw.read(min(CHUNK, left))
            if not chunk:
                raise FileRejected(_XLSX_DAMAGED)
            left -= len(chunk)
            if inflate is None:
                yield chunk
                continue
            yield inflate.decompress(chunk, CHUNK)
            while inflate.unconsumed_tail:  # max_length keeps every piece small
                yield inflate.decompress(inflate.unconsumed_tail, CHUNK)
        if inflate is not None:
            yield inflate.flush()
    except zlib.error as exc:
        raise FileRejected(_XLSX_DAMAGED) from exc


class _RangeScan:
    """The used range of a sheet, from its XML as it streams in: rows and cells with or
    without a reference, any namespace prefix, any quoting (an XML parser, not a pattern).
    Refuses a sheet beyond the limits as soon as it sees it. Only start tags are handled, by
    expat itself, without building elements: a sheet of a million cells takes about a second."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartElementHandler = self._start
        # OOXML has no DTD: a document type or entity declaration is a trick, not a sheet
        self.parser.StartDoctypeDeclHandler = self._refuse
        self.parser.EntityDeclHandler = self._refuse
        self.row = self.col = self.max_row = self.max_col = 0
        self.first_row = 0

    def feed(self, data: bytes) -> None:
        try:
            self.parser.Parse(data, False)
        except expat.ExpatError as exc:
            raise FileRejected(_XLSX_UNREADABLE) from exc

    def finish(self) -> int:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise FileRejected(_XLSX_UNREADABLE) from exc
        return self.first_row or 1

    @staticmethod
    def _refuse(*_args) -> None:
        raise FileRejected(_XLSX_UNREADABLE)

    def _start(self, name: str, attrs: dict) -> None:
        tag = name.rpartition("}")[2]
        if tag == "c":
            ref = _CELL_REF.match(attrs.get("r") or "")
            if ref:
                self.col = _column_number(ref.group(1))
                self.row = max(self.row, int(ref.group(2)))
            else:
                self.col += 1
            if self.col > self.max_col or self.row > self.max_row:
                self.max_col = max(self.max_col, self.col)
                self.max_row = max(self.max_row, self.row)
                self._check()
        elif tag == "row":
            given = attrs.get("r")
            self.row = int(given) if given and given.isdigit() else self.row + 1
            self.col = 0
        elif tag in ("v", "is") and not self.first_row:
            self.first_row = self.row  # the first cell with a value: where the table starts

    def _check(self) -> None:
        if self.max_col > MAX_COLUMNS:
            raise FileRejected(
                f"het blad gebruikt meer dan {MAX_COLUMNS} kolommen; een export heeft er "
                "hooguit zoveel. Verwijder lege of opgemaakte kolommen rechts van de gegevens."
            )
        if self.max_row * self.max_col > MAX_XLSX_CELLS:
            raise FileRejected(
                f"het blad beslaat {self.max_row:,} rijen bij {self.max_col:,} kolommen; dat is "
                "meer dan een export kan zijn. Verwijder lege of opgemaakte rijen en kolommen "
                "buiten de gegevens, of lever CSV.".replace(",", ".")
            )


def read_xlsx(
    path: Path, source: Source, aliases: Mapping[str, str], sheet: str | None = None
) -> RawTable:
    """The one visible sheet (or the sheet the mapping names) of an Excel file, every cell as
    text (no type guessing, which would empty a text cell in a column that looks numeric), with
    the sheet's own row numbers. The header row is read as data, so a duplicated or empty
    header cell is judged by map_header exactly as in a CSV file."""
    plan = inspect_xlsx(path, sheet)
    try:
        frame = pl.read_excel(
            path,
            sheet_name=plan.sheet,
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
        )
    except Exception as exc:  # fastexcel raises its own types; any failure means unreadable
        raise FileRejected(_XLSX_UNREADABLE) from exc
    if frame.height == 0:
        raise FileRejected("het Excel-blad is leeg; exporteer opnieuw.")
    header = [v or "" for v in frame.row(0)]
    body = frame.slice(1)
    # A header cell without a name with nothing below it is only formatting: left out. With
    # data below, it is a column without a name (map_header refuses it).
    keep = [
        i
        for i, name in enumerate(header)
        if name.strip() or body[body.columns[i]].drop_nulls().str.strip_chars().ne("").any()
    ]
    body = body.select(body.columns[i] for i in keep)
    canonical, extras = map_header([header[i] for i in keep], source, aliases)
    body.columns = canonical
    # The sheet's own row numbers: the first row with data is the header.
    table = body.with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + plan.first_row + 1).alias("_regel")
    ).filter(~pl.all_horizontal(pl.col(canonical).is_null() | (pl.col(canonical) == "")))
    return RawTable(table, "xlsx", table.height, pl.DataFrame(schema=ERROR_SCHEMA), tuple(extras))


def read_file(
    path: Path,
    source: Source,
    aliases: Mapping[str, str],
    workdir: Path | None = None,
    sheet: str | None = None,
    suffix: str | None = None,
) -> RawTable:
    """Read `path` as an export of `source`. `suffix` is the delivered file's extension when
    `path` is a copy under another name (pipelines/load.py reads a staged copy)."""
    suffix = (suffix or path.suffix).lower()
    if suffix == ".xlsx":
        if "xlsx" not in source.formats:
            raise FileRejected(
                f"{source.title} wordt als CSV aangeleverd, niet als Excel; exporteer als CSV."
            )
        return read_xlsx(path, source, aliases, sheet)
    if suffix in (".csv", ".txt"):
        return read_csv(path, source, aliases, workdir)
    raise FileRejected(
        f"onbekend bestandstype '{suffix or '(geen extensie)'}'; lever .csv"
        + (" of .xlsx" if "xlsx" in source.formats else "")
        + " aan."
    )
