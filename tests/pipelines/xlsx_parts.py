"""Hand-written xlsx files for hostile-input tests: the XML parts are written as text, so a test
can put in exactly the trick it needs (quoting, prefixes, missing references, lying sizes)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def column(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def cells(rows: list[tuple[int, list[str]]], extra: str = "") -> str:
    """A worksheet with inline-string cells; `extra` goes at the end of sheetData."""
    body = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{column(i + 1)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(values)
        )
        + "</row>"
        for r, values in rows
    )
    return f'<worksheet xmlns="{MAIN}"><sheetData>{body}{extra}</sheetData></worksheet>'


def workbook(path: Path, sheets: list[tuple[str, str, str]], main_ns: str = MAIN) -> None:
    """sheets: (name, state, worksheet XML)."""
    listed = "".join(
        f'<sheet name="{name}" sheetId="{i}"'
        + (f' state="{state}"' if state != "visible" else "")
        + f' r:id="rId{i}"/>'
        for i, (name, state, _) in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{RELS_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.sheet.main+xml"/>{types}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{RELS_NS}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main_ns}" xmlns:r="{RELS_NS}"><sheets>{listed}</sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
        )
        for i, (_, _, xml) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)


def lie_about_size(path: Path, part: str, declared: int) -> None:
    """Make the zip say `part` inflates to `declared` bytes (both headers, with the CRC of that
    prefix), while its data still inflates to all of it."""
    data = bytearray(path.read_bytes())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo(part)
    crc = zlib.crc32(archive.read(part)[:declared])
    archive.close()
    local = info.header_offset
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, declared)
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]) == part.encode():
            break
        at += 4
    struct.pack_into("<I", data, at + 16, crc)
    struct.pack_into("<I", data, at + 24, declared)
    path.write_bytes(bytes(data))
