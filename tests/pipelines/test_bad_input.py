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
from tests.pipelines.shared_load import SharedLoad
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

# Most tests below offer one small file and look only at what became of it: they share one load
# (tests/pipelines/shared_load.py), each under its own file name and keys.
SHARED = SharedLoad(TODAY)
shared = SHARED.fixture()


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
GOOD_FILE = SHARED.add("klachten_goed.csv", [KLACHTEN_HEADER, GOOD_KLACHT])

REJECTED = {
    "missing_required_column": (
        "klachten_zonder_aard.csv",
        b"klacht_id;datum_melding;bevoegd_gezag\nK9;01-02-2024;GM0153\n",
        "verplichte kolom ontbreekt: aard.",
    ),
    "empty_file": ("klachten_leeg.csv", b"", "het bestand is leeg"),
    "binary_file": (
        "klachten_binair.csv",
        b"\x00\x01\x02K9\x00;\xff\xfe\x00\x00" * 20,
        "het is geen tekstbestand (het bevat binaire gegevens)",
    ),
    "unknown_kind": (
        "onzin_2024.csv",
        f"{KLACHTEN_HEADER}\nK9;01-02-2024;GM0153;geur\n".encode(),
        "onbekende soort bestand",
    ),
    "comma_delimiter": (
        "klachten_komma.csv",
        b"klacht_id,datum_melding,bevoegd_gezag,aard\nK9,01-02-2024,GM0153,geur\n",
        "het scheidingsteken is een komma",
    ),
}
for _name, _data, _reason in REJECTED.values():
    SHARED.add(_name, _data)


@pytest.mark.parametrize("case", REJECTED.values(), ids=REJECTED.keys())
def test_rejected_file_is_not_published(shared, case):
    name, _data, reason = case
    lake, report = shared.settings, shared.report

    accepted(shared.file(GOOD_FILE), regels=1, geladen=1, quarantaine=0)
    result = shared.file(name)
    assert result.status == GEWEIGERD
    assert reason in result.melding
    assert result.line().startswith(f"geweigerd: {name}: ")
    assert (result.geladen, result.quarantaine, result.raw) == (0, 0, None)
    assert report.any_rejected
    # the good file of the same load is published, nothing of the rejected one is
    assert report.published is not None
    assert query(
        lake, "select klacht_id from staging.klachten where bestand in (?, ?)", [GOOD_FILE, name]
    ) == [("K1",)]
    assert query(lake, "select count(*) from raw.klachten where _bestand = ?", [name]) == [(0,)]
    assert quarantine(lake, name) == []
    assert loads_log(lake, name) == [(GEWEIGERD, 0, 0, 0, result.melding)]


MISSING_COLUMNS = SHARED.add("uren_2024.csv", ["regel_id;medewerker_id;datum;product;uren"])


def test_missing_column_message_names_file_and_every_column(shared):
    lake = shared.settings
    result = shared.file(MISSING_COLUMNS)
    assert result.status == GEWEIGERD
    assert result.melding.startswith("verplichte kolommen ontbreken: taakpakket, declarabel.")
    assert result.line().startswith("geweigerd: uren_2024.csv: verplichte kolommen ontbreken")
    assert query(
        lake, "select count(*) from staging.uren where bestand = ?", [MISSING_COLUMNS]
    ) == [(0,)]
    assert query(lake, "select status from meta.loads where bestand = ?", [MISSING_COLUMNS]) == [
        (GEWEIGERD,)
    ]


UTF16 = SHARED.add("klachten_utf16.csv", f"{KLACHTEN_HEADER}\n{GOOD_KLACHT}\n".encode("utf-16"))


def test_utf16_file_is_rejected_with_a_hint_to_save_as_utf8(shared):
    # Excel's "Unicode-tekst" export. detect_encoding has a specific UTF-16 message, but
    # read_csv runs looks_binary first, and UTF-16 text is full of NUL bytes, so the user is told
    # the file "is not a text file (contains binary data)" instead.
    result = shared.file(UTF16)
    assert result.status == GEWEIGERD
    assert query(
        shared.settings, "select count(*) from staging.klachten where bestand = ?", [UTF16]
    ) == [(0,)]
    assert "UTF-16" in result.melding


# --- rows quarantined, the rest loaded ------------------------------------------------------

UNKNOWN_DEELNEMER = SHARED.add(
    "klachten_deelnemer.csv",
    [
        KLACHTEN_HEADER,
        "KD1;01-02-2024;GM0153;geur",
        "KD2;02-02-2024;Zwolle;geluid",
        "KD3;03-02-2024;Gemeente Hengelo;stof",
    ],
)


def test_unknown_deelnemer_is_quarantined(shared):
    lake = shared.settings
    result = shared.file(UNKNOWN_DEELNEMER)
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert result.melding == (
        "eerste: regel 3, kolom bevoegd_gezag: "
        "onbekende deelnemer (niet in de referentielijst deelnemers)"
    )
    assert quarantine(lake, UNKNOWN_DEELNEMER) == [
        (3, "bevoegd_gezag", "onbekende deelnemer (niet in de referentielijst deelnemers)")
    ]
    assert query(
        lake, "select waarde from meta.quarantaine where bestand = ?", [UNKNOWN_DEELNEMER]
    ) == [("(niet getoond: 6 tekens, mogelijk persoonsgegevens; zie het bestand)",)]
    assert query(
        lake,
        "select klacht_id, bevoegd_gezag from staging.klachten where bestand = ? order by 1",
        [UNKNOWN_DEELNEMER],
    ) == [("KD1", "GM0153"), ("KD3", "GM0164")]


BAD_DATES = {
    "invalid": ("32-01-2024", BAD_DATE),
    "impossible": ("31-02-2024", BAD_DATE),
    "wrong_format": ("2024/02/01", BAD_DATE),
    "future": ("01-02-2026", "datum ligt in de toekomst (na 31-01-2026)"),
}
for _case, (_datum, _reason) in BAD_DATES.items():
    SHARED.add(
        f"klachten_datum_{_case}.csv",
        [KLACHTEN_HEADER, f"{_case}-1;01-02-2024;GM0153;geur", f"{_case}-2;{_datum};GM0153;geur"],
    )


@pytest.mark.parametrize("case", BAD_DATES)
def test_bad_date_is_quarantined(shared, case):
    lake, (_datum, reason) = shared.settings, BAD_DATES[case]
    name = f"klachten_datum_{case}.csv"
    result = shared.file(name)
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(lake, name) == [(3, "datum_melding", reason)]
    assert query(
        lake, "select klacht_id, datum_melding from staging.klachten where bestand = ?", [name]
    ) == [(f"{case}-1", dt.datetime(2024, 2, 1))]


BAD_HOURS = {
    "negative": ("-3", "moet groter zijn dan 0"),
    "zero": ("0", "moet groter zijn dan 0"),
    "just_over_24": ("24,5", "mag niet groter zijn dan 24"),
    "over_24": ("25", "mag niet groter zijn dan 24"),
    "text": ("acht", "geen getal (verwacht bijvoorbeeld 1.234,5 met een komma als decimaalteken)"),
}
for _case, (_uren, _reason) in BAD_HOURS.items():
    SHARED.add(
        f"uren_{_case}.csv",
        [
            UREN_HEADER,
            f"{_case}-U1;M001;01-02-2024;GM0153;Controle milieu;basistaak;7,5;Ja",
            f"{_case}-U2;M001;02-02-2024;GM0153;Controle milieu;basistaak;{_uren};Ja",
            f"{_case}-U3;M002;02-02-2024;;Teamoverleg;basistaak;24;Nee",
        ],
    )


@pytest.mark.parametrize("case", BAD_HOURS)
def test_bad_hours_are_quarantined(shared, case):
    lake, (_uren, reason) = shared.settings, BAD_HOURS[case]
    name = f"uren_{case}.csv"
    result = shared.file(name)
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert quarantine(lake, name) == [(3, "uren", reason)]
    assert query(
        lake,
        "select regel_id, uren, declarabel, bevoegd_gezag from staging.uren where bestand = ? "
        "order by 1",
        [name],
    ) == [(f"{case}-U1", 7.5, True, "GM0153"), (f"{case}-U3", 24.0, False, None)]


TEXT_IN_INTEGER = SHARED.add(
    "controles_getal.csv",
    [
        CONTROLES_HEADER,
        "C1;I1;GM0153;01-02-2024;periodiek;0;;",
        "C2;I2;GM0153;01-02-2024;periodiek;twee;B;2",
    ],
)


def test_text_in_integer_column_is_quarantined(shared):
    lake = shared.settings
    result = shared.file(TEXT_IN_INTEGER)
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(lake, TEXT_IN_INTEGER) == [(3, "aantal_overtredingen", "geen geheel getal")]
    assert query(
        lake,
        "select controle_id, aantal_overtredingen from staging.controles where bestand = ?",
        [TEXT_IN_INTEGER],
    ) == [("C1", 0)]


LHSO_OUTSIDE = {
    "gevolgen_E": ("1;E;2", "lhso_gevolgen", "toegestaan: A, B, C, D"),
    "missing_with_overtreding": ("1;;", "lhso_gevolgen", "precies als"),
    "present_without": ("0;A;1", "lhso_gevolgen", "precies als"),
}
for _case, (_end, _column, _reason) in LHSO_OUTSIDE.items():
    SHARED.add(
        f"controles_lhso_{_case}.csv",
        [
            CONTROLES_HEADER,
            f"{_case}-C1;I1;GM0153;01-02-2024;periodiek;2;C;3",
            f"{_case}-C2;I2;GM0153;02-02-2024;periodiek;{_end}",
        ],
    )


@pytest.mark.parametrize("case", LHSO_OUTSIDE)
def test_lhso_outside_matrix_is_quarantined(shared, case):
    lake, (_end, column, reason) = shared.settings, LHSO_OUTSIDE[case]
    name = f"controles_lhso_{case}.csv"
    result = shared.file(name)
    accepted(result, regels=2, geladen=1, quarantaine=1)
    rows = quarantine(lake, name)
    assert [(regel, kolom) for regel, kolom, _ in rows] == [(3, column)]
    assert reason in rows[0][2]
    assert query(
        lake,
        "select controle_id, lhso_gevolgen, lhso_gedrag from staging.controles where bestand = ?",
        [name],
    ) == [(f"{case}-C1", "C", "3")]


INVALID_GEDRAG = SHARED.add(
    "controles_gedrag.csv",
    [
        CONTROLES_HEADER,
        "CG1;I1;GM0153;01-02-2024;periodiek;2;C;3",
        "CG2;I2;GM0153;02-02-2024;periodiek;1;B;5",
    ],
)


def test_invalid_lhso_gedrag_is_reported_once_on_its_own_column(shared):
    # lhso_gedrag '5' is outside the matrix. The enum check reports it on lhso_gedrag; the
    # cross-field check lhso_bij_overtreding then sees the (unparsed, so null) gedrag and also
    # reports "LHSO-score ... hoort ingevuld te zijn" on lhso_gevolgen, although both fields are
    # filled in. parse.py promises cross-field checks "only where both values parsed".
    result = shared.file(INVALID_GEDRAG)
    accepted(result, regels=2, geladen=1, quarantaine=1)
    assert quarantine(shared.settings, INVALID_GEDRAG) == [
        (3, "lhso_gedrag", "onbekende waarde; toegestaan: 1, 2, 3, 4")
    ]


DUPLICATE_KEY = SHARED.add(
    "klachten_dubbel.csv",
    [
        KLACHTEN_HEADER,
        "KK1;01-02-2024;GM0153;geur",
        "KK2;02-02-2024;GM0153;geluid",
        "KK1;03-02-2024;GM0153;stof",
    ],
)


def test_duplicate_key_in_one_file_keeps_the_first(shared):
    lake = shared.settings
    result = shared.file(DUPLICATE_KEY)
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert quarantine(lake, DUPLICATE_KEY) == [
        (4, "klacht_id", "dubbele sleutel: dezelfde sleutel staat al op regel 2")
    ]
    assert query(
        lake,
        "select klacht_id, aard, regel from staging.klachten where bestand = ? order by 1",
        [DUPLICATE_KEY],
    ) == [("KK1", "geur", 2), ("KK2", "geluid", 3)]
    assert query(lake, "select count(*) from raw.klachten where klacht_id = 'KK1'") == [(1,)]


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


TRUNCATED = {
    "unquoted": (
        "03-02-2024;GM01",
        "de regel heeft 3 velden, verwacht 5 (de regel is afgebroken)",
    ),
    "inside_quotes": (
        '03-02-2024;GM0153;geur;"Stank bij de',
        "de regel is afgebroken (een aanhalingsteken wordt niet gesloten); "
        "corrigeer of exporteer opnieuw",
    ),
}
for _case, (_rest, _reason) in TRUNCATED.items():
    SHARED.add(
        f"klachten_afgebroken_{_case}.csv",
        [
            f"{KLACHTEN_HEADER};omschrijving",
            f"{_case}-1;01-02-2024;GM0153;geur;Stank",
            f"{_case}-2;02-02-2024;GM0153;geluid;Lawaai",
            f"{_case}-3;{_rest}",
        ],
        newline_at_end=False,
    )


@pytest.mark.parametrize("case", TRUNCATED)
def test_truncated_last_line_is_quarantined(shared, case):
    lake, (_rest, reason) = shared.settings, TRUNCATED[case]
    name = f"klachten_afgebroken_{case}.csv"
    result = shared.file(name)
    accepted(result, regels=3, geladen=2, quarantaine=1)
    assert quarantine(lake, name) == [(4, "(hele regel)", reason)]
    assert query(
        lake, "select klacht_id, regel from staging.klachten where bestand = ? order by 1", [name]
    ) == [(f"{case}-1", 2), (f"{case}-2", 3)]


def _inrichtingen(key: str) -> str:
    return (
        "inrichting_id;naam;plaats;bevoegd_gezag\r\n"
        f"{key};Café 't Hoekje;Enschede;Enschede\r\n"
        f"{key}b;Coöperatie Crème;Hengelo;GM0164\r\n"
    )


CP1252 = SHARED.add("inrichtingen_cp1252.csv", _inrichtingen("I-1").encode("cp1252"))
BOM = SHARED.add("inrichtingen_utf8bom.csv", codecs.BOM_UTF8 + _inrichtingen("I-2").encode("utf-8"))


def test_windows_1252_and_utf8_bom_give_the_same_text(shared):
    files = [shared.file(CP1252), shared.file(BOM)]
    for result in files:
        accepted(result, regels=2, geladen=2, quarantaine=0)
    assert [f.codering for f in files] == ["cp1252", "utf-8-sig"]
    assert query(
        shared.settings,
        "select inrichting_id, naam, bevoegd_gezag from staging.inrichtingen "
        "where bestand in (?, ?) order by 1",
        [CP1252, BOM],
    ) == [
        ("I-1", "Café 't Hoekje", "GM0153"),
        ("I-1b", "Coöperatie Crème", "GM0164"),
        ("I-2", "Café 't Hoekje", "GM0153"),
        ("I-2b", "Coöperatie Crème", "GM0164"),
    ]


def _quoted_newlines(reader: str) -> list[str]:
    lines = [
        f"{KLACHTEN_HEADER};omschrijving",
        f'{reader}-K1;01-02-2024;GM0153;geur;"Stank sinds\nvanochtend"',  # lines 2-3
        f"{reader}-K2;02-02-2024;Zwolle;geluid;Lawaai",  # line 4: unknown deelnemer
        f'{reader}-K3;03-02-2024;GM0153;stof;"Stof\nop de\nauto"',  # lines 5-7
        f"{reader}-K4;04-02-2024;GM0153;licht;Felle lamp",  # line 8
    ]
    if reader == "exact":
        # a broken row makes DuckDB's strict reader refuse the file: Python's csv takes over
        lines.append(f"{reader}-K5;05-02-2024")  # line 9
    return lines


for _reader in ("fast", "exact"):
    SHARED.add(f"klachten_regels_{_reader}.csv", _quoted_newlines(_reader))


@pytest.mark.parametrize("reader", ["fast", "exact"])
def test_quoted_newline_keeps_line_numbers(shared, reader):
    lake, name = shared.settings, f"klachten_regels_{reader}.csv"
    expected_q = [
        (4, "bevoegd_gezag", "onbekende deelnemer (niet in de referentielijst deelnemers)")
    ]
    regels, geladen = 4, 3
    if reader == "exact":
        expected_q.append(
            (9, "(hele regel)", "de regel heeft 2 velden, verwacht 5 (de regel is afgebroken)")
        )
        regels = 5

    result = shared.file(name)

    accepted(result, regels=regels, geladen=geladen, quarantaine=len(expected_q))
    assert quarantine(lake, name) == expected_q
    assert query(
        lake, "select klacht_id, regel from staging.klachten where bestand = ? order by 1", [name]
    ) == [(f"{reader}-K1", 2), (f"{reader}-K3", 5), (f"{reader}-K4", 8)]


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
