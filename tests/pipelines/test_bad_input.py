"""Bad input end to end: a tiny file through `pipelines.load.load` on a temporary lake.

Each test checks what the user is told (FileResult status and melding), that nothing is dropped
silently (geladen + quarantaine = regels), and what the published warehouse shows: the rows in
staging and raw, the line and column in meta.quarantaine, and the load log in meta.loads.
"""

from __future__ import annotations

import codecs
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.load import AL_GELADEN, GELADEN, GEWEIGERD, FileResult, LoadReport, load
from vthmonitor.lake import LakePaths, PublishedLake
from vthmonitor.settings import Settings

TODAY = dt.date(2026, 1, 31)

KLACHTEN_HEADER = "klacht_id;datum_melding;bevoegd_gezag;aard"
UREN_HEADER = "regel_id;medewerker_id;datum;bevoegd_gezag;product;taakpakket;uren;declarabel"
CONTROLES_HEADER = (
    "controle_id;inrichting_id;bevoegd_gezag;datum_controle;soort;aantal_overtredingen;"
    "lhso_gevolgen;lhso_gedrag"
)
ZAKEN_HEADER = (
    "zaaknummer;zaaktype;product;taakveld;taakpakket;bevoegd_gezag;datum_ontvangst;"
    "datum_besluit;status"
)
BAD_DATE = "ongeldige of onmogelijke datum (verwacht dd-mm-jjjj)"


@pytest.fixture
def lake(tmp_path) -> Settings:
    return Settings(lake_dir=tmp_path / "lake", pseudonym_key_value="test")


def write(folder: Path, name: str, lines: list[str], newline_at_end: bool = True) -> Path:
    path = folder / name
    text = "\n".join(lines) + ("\n" if newline_at_end else "")
    path.write_bytes(text.encode("utf-8"))
    return path


def run(settings: Settings, *paths: Path) -> LoadReport:
    return load(settings, list(paths), kind=None, today=TODAY)


def vthmonitor(*args: str, lake: Path, **options) -> subprocess.CompletedProcess:
    """`vthmonitor ARGS --lake LAKE` as its own process, as a user runs it; `options` go to
    subprocess.run (env, preexec_fn)."""
    return subprocess.run(
        [sys.executable, "-m", "vthmonitor.cli", *args, "--lake", str(lake)],
        capture_output=True,
        text=True,
        **options,
    )


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    reader = PublishedLake(settings)
    try:
        return reader.cursor().execute(sql, params or []).fetchall()
    finally:
        reader.close()


def quarantine(settings: Settings, bestand: str) -> list[tuple]:
    return query(
        settings,
        "select regel, kolom, reden from meta.quarantaine where bestand = ? order by regel, kolom",
        [bestand],
    )


def loads_log(settings: Settings, bestand: str) -> list[tuple]:
    return query(
        settings,
        "select status, regels, geladen, quarantaine, melding from meta.loads "
        "where bestand = ? order by load_id",
        [bestand],
    )


def accepted(result: FileResult, regels: int, geladen: int, quarantaine: int) -> None:
    assert result.status == GELADEN, result.melding
    assert (result.regels, result.geladen, result.quarantaine) == (regels, geladen, quarantaine)
    assert result.geladen + result.quarantaine == result.regels


# --- files rejected as a whole --------------------------------------------------------------

GOOD_KLACHT = "K1;01-02-2024;GM0153;geur"

REJECTED = {
    "missing_required_column": (
        "klachten_2024.csv",
        b"klacht_id;datum_melding;bevoegd_gezag\nK9;01-02-2024;GM0153\n",
        "verplichte kolom ontbreekt: aard.",
    ),
    "empty_file": ("klachten_2024.csv", b"", "het bestand is leeg"),
    "binary_file": (
        "klachten_2024.csv",
        b"\x00\x01\x02K9\x00;\xff\xfe\x00\x00" * 20,
        "het is geen tekstbestand (het bevat binaire gegevens)",
    ),
    "unknown_kind": (
        "onzin_2024.csv",
        f"{KLACHTEN_HEADER}\nK9;01-02-2024;GM0153;geur\n".encode(),
        "onbekende soort bestand",
    ),
    "comma_delimiter": (
        "klachten_2024.csv",
        b"klacht_id,datum_melding,bevoegd_gezag,aard\nK9,01-02-2024,GM0153,geur\n",
        "het scheidingsteken is een komma",
    ),
}


@pytest.mark.parametrize("case", REJECTED.values(), ids=REJECTED.keys())
def test_rejected_file_is_not_published(tmp_path, lake, case):
    name, data, reason = case
    good = write(tmp_path, "klachten_goed.csv", [KLACHTEN_HEADER, GOOD_KLACHT])
    bad = tmp_path / name
    bad.write_bytes(data)

    report = run(lake, good, bad)

    accepted(report.files[0], regels=1, geladen=1, quarantaine=0)
    result = report.files[1]
    assert result.status == GEWEIGERD
    assert reason in result.melding
    assert result.line().startswith(f"geweigerd: {name}: ")
    assert (result.geladen, result.quarantaine, result.raw) == (0, 0, None)
    assert report.any_rejected
    # the good file of the same load is published, nothing of the rejected one is
    assert report.published is not None
    assert query(lake, "select klacht_id from staging.klachten") == [("K1",)]
    assert query(lake, "select count(*) from raw.klachten where _bestand = ?", [name]) == [(0,)]
    assert quarantine(lake, name) == []
    assert loads_log(lake, name) == [(GEWEIGERD, 0, 0, 0, result.melding)]


def test_missing_column_message_names_file_and_every_column(tmp_path, lake):
    path = write(tmp_path, "uren_2024.csv", ["regel_id;medewerker_id;datum;product;uren"])
    result = run(lake, path).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith("verplichte kolommen ontbreken: taakpakket, declarabel.")
    assert result.line().startswith("geweigerd: uren_2024.csv: verplichte kolommen ontbreken")
    assert query(lake, "select count(*) from staging.uren") == [(0,)]
    assert query(lake, "select status from meta.loads") == [(GEWEIGERD,)]


def test_utf16_file_is_rejected_with_a_hint_to_save_as_utf8(tmp_path, lake):
    # Excel's "Unicode-tekst" export. detect_encoding has a specific UTF-16 message, but
    # read_csv runs looks_binary first, and UTF-16 text is full of NUL bytes, so the user is told
    # the file "is not a text file (contains binary data)" instead.
    path = tmp_path / "klachten_2024.csv"
    path.write_bytes(f"{KLACHTEN_HEADER}\n{GOOD_KLACHT}\n".encode("utf-16"))
    result = run(lake, path).files[0]
    assert result.status == GEWEIGERD
    assert query(lake, "select count(*) from staging.klachten") == [(0,)]
    assert "UTF-16" in result.melding


# --- rows quarantined, the rest loaded ------------------------------------------------------


def test_unknown_deelnemer_is_quarantined(tmp_path, lake):
    path = write(
        tmp_path,
        "klachten_2024.csv",
        [
            KLACHTEN_HEADER,
            "K1;01-02-2024;GM0153;geur",
            "K2;02-02-2024;Zwolle;geluid",
            "K3;03-02-2024;Gemeente Hengelo;stof",
        ],
    )
    result = run(lake, path).files[0]
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert result.melding == (
        "eerste: regel 3, kolom bevoegd_gezag: "
        "onbekende deelnemer (niet in de referentielijst deelnemers)"
    )
    assert quarantine(lake, "klachten_2024.csv") == [
        (3, "bevoegd_gezag", "onbekende deelnemer (niet in de referentielijst deelnemers)")
    ]
    assert query(
        lake, "select waarde from meta.quarantaine where bestand = ?", ["klachten_2024.csv"]
    ) == [("(niet getoond: 6 tekens, mogelijk persoonsgegevens; zie het bestand)",)]
    assert query(lake, "select klacht_id, bevoegd_gezag from staging.klachten order by 1") == [
        ("K1", "GM0153"),
        ("K3", "GM0164"),
    ]


@pytest.mark.parametrize(
    ("datum", "reason"),
    [
        ("32-01-2024", BAD_DATE),
        ("31-02-2024", BAD_DATE),
        ("2024/02/01", BAD_DATE),
        ("01-02-2026", "datum ligt in de toekomst (na 31-01-2026)"),
    ],
    ids=["invalid", "impossible", "wrong_format", "future"],
)
def test_bad_date_is_quarantined(tmp_path, lake, datum, reason):
    path = write(
        tmp_path,
        "klachten_2024.csv",
        [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur", f"K2;{datum};GM0153;geur"],
    )
    result = run(lake, path).files[0]
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(lake, "klachten_2024.csv") == [(3, "datum_melding", reason)]
    assert query(lake, "select klacht_id, datum_melding from staging.klachten") == [
        ("K1", dt.datetime(2024, 2, 1))
    ]


@pytest.mark.parametrize(
    ("uren", "reason"),
    [
        ("-3", "moet groter zijn dan 0"),
        ("0", "moet groter zijn dan 0"),
        ("24,5", "mag niet groter zijn dan 24"),
        ("25", "mag niet groter zijn dan 24"),
        ("acht", "geen getal (verwacht bijvoorbeeld 1.234,5 met een komma als decimaalteken)"),
    ],
    ids=["negative", "zero", "just_over_24", "over_24", "text"],
)
def test_bad_hours_are_quarantined(tmp_path, lake, uren, reason):
    path = write(
        tmp_path,
        "uren_2024.csv",
        [
            UREN_HEADER,
            "U1;M001;01-02-2024;GM0153;Controle milieu;basistaak;7,5;Ja",
            f"U2;M001;02-02-2024;GM0153;Controle milieu;basistaak;{uren};Ja",
            "U3;M002;02-02-2024;;Teamoverleg;basistaak;24;Nee",
        ],
    )
    result = run(lake, path).files[0]
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert quarantine(lake, "uren_2024.csv") == [(3, "uren", reason)]
    assert query(
        lake, "select regel_id, uren, declarabel, bevoegd_gezag from staging.uren order by 1"
    ) == [("U1", 7.5, True, "GM0153"), ("U3", 24.0, False, None)]


def test_text_in_integer_column_is_quarantined(tmp_path, lake):
    path = write(
        tmp_path,
        "controles_2024.csv",
        [
            CONTROLES_HEADER,
            "C1;I1;GM0153;01-02-2024;periodiek;0;;",
            "C2;I2;GM0153;01-02-2024;periodiek;twee;B;2",
        ],
    )
    result = run(lake, path).files[0]
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(lake, "controles_2024.csv") == [
        (3, "aantal_overtredingen", "geen geheel getal")
    ]
    assert query(lake, "select controle_id, aantal_overtredingen from staging.controles") == [
        ("C1", 0)
    ]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("C2;I2;GM0153;02-02-2024;periodiek;1;E;2", "lhso_gevolgen", "toegestaan: A, B, C, D"),
        ("C2;I2;GM0153;02-02-2024;periodiek;1;;", "lhso_gevolgen", "precies als"),
        ("C2;I2;GM0153;02-02-2024;periodiek;0;A;1", "lhso_gevolgen", "precies als"),
    ],
    ids=["gevolgen_E", "missing_with_overtreding", "present_without"],
)
def test_lhso_outside_matrix_is_quarantined(tmp_path, lake, row, column, reason):
    path = write(
        tmp_path,
        "controles_2024.csv",
        [CONTROLES_HEADER, "C1;I1;GM0153;01-02-2024;periodiek;2;C;3", row],
    )
    result = run(lake, path).files[0]
    accepted(result, regels=2, geladen=1, quarantaine=1)
    rows = quarantine(lake, "controles_2024.csv")
    assert [(regel, kolom) for regel, kolom, _ in rows] == [(3, column)]
    assert reason in rows[0][2]
    assert query(lake, "select controle_id, lhso_gevolgen, lhso_gedrag from staging.controles") == [
        ("C1", "C", "3")
    ]


def test_invalid_lhso_gedrag_is_reported_once_on_its_own_column(tmp_path, lake):
    # lhso_gedrag '5' is outside the matrix. The enum check reports it on lhso_gedrag; the
    # cross-field check lhso_bij_overtreding then sees the (unparsed, so null) gedrag and also
    # reports "LHSO-score ... hoort ingevuld te zijn" on lhso_gevolgen, although both fields are
    # filled in. parse.py promises cross-field checks "only where both values parsed".
    path = write(
        tmp_path,
        "controles_2024.csv",
        [
            CONTROLES_HEADER,
            "C1;I1;GM0153;01-02-2024;periodiek;2;C;3",
            "C2;I2;GM0153;02-02-2024;periodiek;1;B;5",
        ],
    )
    result = run(lake, path).files[0]
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(lake, "controles_2024.csv") == [
        (3, "lhso_gedrag", "onbekende waarde; toegestaan: 1, 2, 3, 4")
    ]


def test_duplicate_key_in_one_file_keeps_the_first(tmp_path, lake):
    path = write(
        tmp_path,
        "klachten_2024.csv",
        [
            KLACHTEN_HEADER,
            "K1;01-02-2024;GM0153;geur",
            "K2;02-02-2024;GM0153;geluid",
            "K1;03-02-2024;GM0153;stof",
        ],
    )
    result = run(lake, path).files[0]
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert quarantine(lake, "klachten_2024.csv") == [
        (4, "klacht_id", "dubbele sleutel: dezelfde sleutel staat al op regel 2")
    ]
    assert query(lake, "select klacht_id, aard, regel from staging.klachten order by 1") == [
        ("K1", "geur", 2),
        ("K2", "geluid", 3),
    ]
    assert query(lake, "select count(*) from raw.klachten where klacht_id = 'K1'") == [(1,)]


def test_redelivered_row_replaces_the_current_version_and_keeps_history(tmp_path, lake):
    first = write(
        tmp_path,
        "zaken_20250131.csv",
        [
            ZAKEN_HEADER,
            "Z-1;Controle uitvoeren;Controle milieu;Toezicht;basistaak;GM0153;06-01-2025;;open",
            "Z-2;Advies verstrekken;Advies;Advies;plustaak;GM0164;07-01-2025;;open",
        ],
    )
    second = write(
        tmp_path,
        "zaken_20250228.csv",
        [
            ZAKEN_HEADER,
            "Z-1;Controle uitvoeren;Controle milieu;Toezicht;basistaak;GM0153;06-01-2025;"
            "10-02-2025 14:00;afgesloten",
        ],
    )
    report_1 = run(lake, first)
    accepted(report_1.files[0], regels=2, geladen=2, quarantaine=0)
    report_2 = run(lake, second)
    accepted(report_2.files[0], regels=1, geladen=1, quarantaine=0)
    assert (report_1.load_id, report_2.load_id) == ("L000001", "L000002")

    assert query(
        lake, "select zaaknummer, status, datum_besluit, load_id from staging.zaken order by 1"
    ) == [
        ("Z-1", "afgesloten", dt.datetime(2025, 2, 10, 14, 0), "L000002"),
        ("Z-2", "open", None, "L000001"),
    ]
    assert query(lake, "select count(*) from raw.zaken where zaaknummer = ?", ["Z-1"]) == [(2,)]
    assert query(
        lake,
        "select _load_id, _bestand, status from raw.zaken where zaaknummer = ? order by 1",
        ["Z-1"],
    ) == [
        ("L000001", "zaken_20250131.csv", "open"),
        ("L000002", "zaken_20250228.csv", "afgesloten"),
    ]


@pytest.mark.parametrize(
    ("last_line", "reason"),
    [
        ("K3;03-02-2024;GM01", "de regel heeft 3 velden, verwacht 5 (de regel is afgebroken)"),
        (
            'K3;03-02-2024;GM0153;geur;"Stank bij de',
            "de regel is afgebroken (een aanhalingsteken wordt niet gesloten); "
            "corrigeer of exporteer opnieuw",
        ),
    ],
    ids=["unquoted", "inside_quotes"],
)
def test_truncated_last_line_is_quarantined(tmp_path, lake, last_line, reason):
    path = write(
        tmp_path,
        "klachten_2024.csv",
        [
            f"{KLACHTEN_HEADER};omschrijving",
            "K1;01-02-2024;GM0153;geur;Stank",
            "K2;02-02-2024;GM0153;geluid;Lawaai",
            last_line,
        ],
        newline_at_end=False,
    )
    result = run(lake, path).files[0]
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert quarantine(lake, "klachten_2024.csv") == [(4, "(hele regel)", reason)]
    assert query(lake, "select klacht_id, regel from staging.klachten order by 1") == [
        ("K1", 2),
        ("K2", 3),
    ]


def test_windows_1252_and_utf8_bom_give_the_same_text(tmp_path, lake):
    def content(key: str) -> str:
        return (
            "inrichting_id;naam;plaats;bevoegd_gezag\r\n"
            f"{key};Café 't Hoekje;Enschede;Enschede\r\n"
            f"{key}b;Coöperatie Crème;Hengelo;GM0164\r\n"
        )

    cp1252 = tmp_path / "inrichtingen_cp1252.csv"
    cp1252.write_bytes(content("I-1").encode("cp1252"))
    bom = tmp_path / "inrichtingen_utf8bom.csv"
    bom.write_bytes(codecs.BOM_UTF8 + content("I-2").encode("utf-8"))

    report = run(lake, cp1252, bom)

    for result in report.files:
        accepted(result, regels=2, geladen=2, quarantaine=0)
    assert [f.codering for f in report.files] == ["cp1252", "utf-8-sig"]
    assert query(
        lake, "select inrichting_id, naam, bevoegd_gezag from staging.inrichtingen order by 1"
    ) == [
        ("I-1", "Café 't Hoekje", "GM0153"),
        ("I-1b", "Coöperatie Crème", "GM0164"),
        ("I-2", "Café 't Hoekje", "GM0153"),
        ("I-2b", "Coöperatie Crème", "GM0164"),
    ]


@pytest.mark.parametrize("reader", ["fast", "exact"])
def test_quoted_newline_keeps_line_numbers(tmp_path, lake, reader):
    lines = [
        f"{KLACHTEN_HEADER};omschrijving",
        'K1;01-02-2024;GM0153;geur;"Stank sinds\nvanochtend"',  # lines 2-3
        "K2;02-02-2024;Zwolle;geluid;Lawaai",  # line 4: unknown deelnemer
        'K3;03-02-2024;GM0153;stof;"Stof\nop de\nauto"',  # lines 5-7
        "K4;04-02-2024;GM0153;licht;Felle lamp",  # line 8
    ]
    expected_q = [
        (4, "bevoegd_gezag", "onbekende deelnemer (niet in de referentielijst deelnemers)")
    ]
    regels, geladen = 4, 3
    if reader == "exact":
        # a broken row makes DuckDB's strict reader refuse the file: Python's csv takes over
        lines.append("K5;05-02-2024")  # line 9
        expected_q.append(
            (9, "(hele regel)", "de regel heeft 2 velden, verwacht 5 (de regel is afgebroken)")
        )
        regels = 5
    path = write(tmp_path, "klachten_2024.csv", lines)

    result = run(lake, path).files[0]

    accepted(result, regels=regels, geladen=geladen, quarantaine=len(expected_q))
    assert quarantine(lake, "klachten_2024.csv") == expected_q
    assert query(lake, "select klacht_id, regel from staging.klachten order by 1") == [
        ("K1", 2),
        ("K3", 5),
        ("K4", 8),
    ]


@pytest.mark.parametrize("second_name", ["klachten_2024.csv", "klachten_kopie.csv"])
def test_loading_the_same_bytes_twice_is_a_no_op(tmp_path, lake, second_name):
    data = f"{KLACHTEN_HEADER}\n{GOOD_KLACHT}\nK2;02-02-2024;Zwolle;geur\n".encode()
    original = tmp_path / "klachten_2024.csv"
    original.write_bytes(data)
    first = run(lake, original)
    accepted(first.files[0], regels=2, geladen=1, quarantaine=1)
    published = LakePaths(lake.lake_dir).current.read_text()
    assert published == first.published

    copy = tmp_path / "kopie" / second_name
    copy.parent.mkdir()
    copy.write_bytes(data)
    second = run(lake, copy)

    result = second.files[0]
    assert result.status == AL_GELADEN
    assert result.melding == (
        "dezelfde inhoud is al geladen als 'klachten_2024.csv'; er verandert niets."
    )
    assert (second.load_id, second.published) == (None, None)
    assert LakePaths(lake.lake_dir).current.read_text() == published
    assert sorted(p.name for p in LakePaths(lake.lake_dir).loads.glob("*.json")) == ["L000001.json"]
    reader = PublishedLake(lake)
    try:
        cursor = reader.cursor()
        assert reader.path is not None and reader.path.name == published
        assert cursor.execute("select load_id, status, bestand from meta.loads").fetchall() == [
            ("L000001", GELADEN, "klachten_2024.csv")
        ]
        assert cursor.execute("select count(*) from raw.klachten").fetchall() == [(1,)]
        assert cursor.execute("select count(*) from meta.quarantaine").fetchall() == [(1,)]
    finally:
        reader.close()
