"""Unit tests of the pure parsing functions: every rule of the data contract, one value at a time.

Rows go through `parse_rows` for real sources of `pipelines.contract.SOURCES`, so each test also
checks that the contract wires the column to the rule it is about.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from pipelines.contract import SOURCES
from pipelines.mapping import export_mapping
from pipelines.parse import (
    ParseContext,
    Parsed,
    deelnemer_lookup,
    normalise_name,
    parse_rows,
    shown_value,
)
from pipelines.pseudonym import Pseudonymiser
from pipelines.readers import FileRejected, detect_encoding, map_header
from vthmonitor.settings import REFERENCE_DIR, Settings

TODAY = dt.date(2026, 1, 31)
DEELNEMERS_CSV = REFERENCE_DIR / "deelnemers.csv"

NOT_A_NUMBER = "geen getal (verwacht bijvoorbeeld 1.234,5 met een komma als decimaalteken)"
BAD_DATE = "ongeldige of onmogelijke datum (verwacht dd-mm-jjjj)"
UNKNOWN_DEELNEMER = "onbekende deelnemer (niet in de referentielijst deelnemers)"


def _deelnemers() -> dict[str, str]:
    with open(DEELNEMERS_CSV, newline="", encoding="utf-8") as fh:
        return deelnemer_lookup(csv.DictReader(fh, delimiter=";"))


LOOKUP = _deelnemers()


def context(key: bytes = b"testkey", dot_decimals: bool = False) -> ParseContext:
    return ParseContext(
        deelnemers=LOOKUP,
        pseudonymise=Pseudonymiser(key),
        today=TODAY,
        dot_decimals=dot_decimals,
    )


CTX = context()

# A valid row per source; tests override one field at a time.
DEFAULTS: dict[str, dict[str, str]] = {
    "klachten": {
        "klacht_id": "K1",
        "datum_melding": "01-02-2024",
        "bevoegd_gezag": "GM0153",
        "aard": "geur",
    },
    "uren": {
        "regel_id": "U1",
        "medewerker_id": "M001",
        "datum": "01-02-2024",
        "bevoegd_gezag": "GM0153",
        "product": "Controle milieu",
        "taakpakket": "basistaak",
        "uren": "7,5",
        "declarabel": "Ja",
    },
    "realisatie": {
        "jaar": "2024",
        "maand": "1",
        "deelnemer": "",
        "taakpakket": "basistaken",
        "post": "loonsom",
        "bedrag": "100",
    },
    "programma": {
        "jaar": "2025",
        "deelnemer": "GM0153",
        "product": "Controle milieu",
        "gepland_aantal": "10",
    },
}


def table(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    """Strings with canonical names plus `_regel` (the header is line 1, data from line 2)."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    data: dict[str, list] = {name: [row.get(name) for row in rows] for name in names}
    data["_regel"] = list(range(2, len(rows) + 2))
    return pl.DataFrame(data, schema={**dict.fromkeys(names, pl.String), "_regel": pl.Int64})


def parse(source: str, rows: list[dict[str, str]], ctx: ParseContext = CTX) -> Parsed:
    """Each row is the source's default row with the given fields replaced."""
    return parse_rows(table([{**DEFAULTS[source], **row} for row in rows]), SOURCES[source], ctx)


def errors_of(parsed: Parsed) -> list[tuple]:
    return parsed.errors.select("regel", "kolom", "reden").rows()


# --- decimals -------------------------------------------------------------------------------


def test_dutch_decimals_parse_with_comma_and_thousand_dots():
    parsed = parse(
        "realisatie",
        [
            {"maand": "1", "bedrag": "1.234,50"},
            {"maand": "2", "bedrag": "12,5"},
            {"maand": "3", "bedrag": "-3"},
            {"maand": "4", "bedrag": "1.000.000"},
        ],
    )
    assert errors_of(parsed) == []
    assert parsed.rows["bedrag"].to_list() == [1234.5, 12.5, -3.0, 1_000_000.0]


def test_dot_decimal_is_rejected_in_csv():
    parsed = parse("realisatie", [{"maand": "1", "bedrag": "12.5"}])
    assert parsed.rows.height == 0
    assert errors_of(parsed) == [(2, "bedrag", NOT_A_NUMBER)]
    assert parsed.errors["waarde"].to_list() == ["12.5"]


def test_dot_decimal_is_accepted_for_excel_input():
    parsed = parse(
        "realisatie",
        [{"maand": "1", "bedrag": "12.5"}, {"maand": "2", "bedrag": "1.234,50"}],
        context(dot_decimals=True),
    )
    assert errors_of(parsed) == []
    assert parsed.rows["bedrag"].to_list() == [12.5, 1234.5]


def test_excel_number_with_three_decimals_keeps_its_value():
    # An Excel cell holding 0.125 (e.g. formatie_fte) reaches the parser as "0.125"
    # (readers.read_xlsx casts the float to text). parse.py says that for xlsx input "1.234 cannot
    # mean one thousand two hundred and thirty four", but the Dutch thousands pattern is tried
    # first, so the value is read as 125 / 1234 without any error.
    parsed = parse(
        "realisatie",
        [{"maand": "1", "bedrag": "0.125"}, {"maand": "2", "bedrag": "1.234"}],
        context(dot_decimals=True),
    )
    assert errors_of(parsed) == []
    assert parsed.rows["bedrag"].to_list() == [0.125, 1.234]


def test_text_in_decimal_column_is_quarantined():
    parsed = parse("uren", [{"uren": "acht"}])
    assert errors_of(parsed) == [(2, "uren", NOT_A_NUMBER)]


# --- integers -------------------------------------------------------------------------------


def test_int_parsing():
    parsed = parse(
        "programma",
        [
            {"product": "a", "gepland_aantal": "12"},
            {"product": "b", "gepland_aantal": "+7"},
            {"product": "c", "gepland_aantal": " 0 "},
            {"product": "d", "gepland_aantal": "3,0"},
            {"product": "e", "gepland_aantal": "drie"},
            {"product": "f", "gepland_aantal": "-1"},
            {"product": "g", "gepland_aantal": ""},
        ],
    )
    assert parsed.rows["gepland_aantal"].to_list() == [12, 7, 0]
    assert parsed.rows["gepland_aantal"].dtype == pl.Int64
    assert errors_of(parsed) == [
        (5, "gepland_aantal", "geen geheel getal"),
        (6, "gepland_aantal", "geen geheel getal"),
        (7, "gepland_aantal", "mag niet kleiner zijn dan 0"),
        (8, "gepland_aantal", "verplicht veld is leeg"),
    ]


# --- dates ----------------------------------------------------------------------------------


def test_datetime_column_keeps_the_time():
    parsed = parse(
        "klachten",
        [
            {"klacht_id": "K1", "datum_melding": "31-12-2024 23:30"},
            {"klacht_id": "K2", "datum_melding": "31-12-2024 23:30:15"},
            {"klacht_id": "K3", "datum_melding": "2024-03-05T10:11:12"},
        ],
    )
    assert errors_of(parsed) == []
    assert parsed.rows["datum_melding"].to_list() == [
        dt.datetime(2024, 12, 31, 23, 30),
        dt.datetime(2024, 12, 31, 23, 30, 15),
        dt.datetime(2024, 3, 5, 10, 11, 12),
    ]


def test_date_column_drops_the_time():
    parsed = parse("uren", [{"datum": "31-12-2024 23:30"}])
    assert errors_of(parsed) == []
    assert parsed.rows["datum"].to_list() == [dt.date(2024, 12, 31)]
    assert parsed.rows["datum"].dtype == pl.Date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-2-2024", dt.date(2024, 2, 1)),
        ("01-02-2024", dt.date(2024, 2, 1)),
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("29-02-2024", dt.date(2024, 2, 29)),
        ("31-01-2026", TODAY),
    ],
)
def test_valid_dates(text, expected):
    parsed = parse("uren", [{"datum": text}])
    assert errors_of(parsed) == []
    assert parsed.rows["datum"].to_list() == [expected]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31-02-2024", BAD_DATE),
        ("30-13-2024", BAD_DATE),
        ("29-02-2023", BAD_DATE),
        ("2024-02-30", BAD_DATE),
        ("gisteren", BAD_DATE),
        ("05-03-24", "onmogelijke datum (vóór 1900)"),
        ("01-02-2026", "datum ligt in de toekomst (na 31-01-2026)"),
    ],
)
def test_invalid_dates_are_quarantined(text, reason):
    parsed = parse("uren", [{"datum": text}])
    assert parsed.rows.height == 0
    assert errors_of(parsed) == [(2, "datum", reason)]
    # a date-shaped value is shown (the beheerder fixes the export with it); words are not
    shown = text if text != "gisteren" else shown_value("gisteren")
    assert parsed.errors["waarde"].to_list() == [shown]


def test_future_is_relative_to_context_today():
    later = ParseContext(LOOKUP, Pseudonymiser(b"testkey"), dt.date(2026, 2, 1))
    rows = [{"klacht_id": "K1", "datum_melding": "01-02-2026 08:00"}]
    assert errors_of(parse("klachten", rows)) == [
        (2, "datum_melding", "datum ligt in de toekomst (na 31-01-2026)")
    ]
    assert parse("klachten", rows, later).rows["datum_melding"].to_list() == [
        dt.datetime(2026, 2, 1, 8, 0)
    ]


# --- booleans, enums, deelnemers, postcodes -------------------------------------------------


def test_booleans():
    spellings = ["Ja", "Nee", "J", "N", "1", "0", "true", "false", "ja", "NEE"]
    parsed = parse(
        "uren", [{"regel_id": f"U{i}", "declarabel": s} for i, s in enumerate(spellings)]
    )
    assert errors_of(parsed) == []
    assert parsed.rows["declarabel"].to_list() == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
    ]


def test_unknown_boolean_is_quarantined():
    parsed = parse("uren", [{"declarabel": "misschien"}])
    assert errors_of(parsed) == [(2, "declarabel", "geen ja/nee-waarde (verwacht Ja of Nee)")]


def test_enum_is_case_insensitive_and_stored_canonically():
    parsed = parse(
        "klachten",
        [
            {"klacht_id": "K1", "aard": "Geur", "gegrond": "ja"},
            {"klacht_id": "K2", "aard": "GELUID", "gegrond": "NEE"},
            {"klacht_id": "K3", "aard": " stof ", "gegrond": "onbekend"},
        ],
    )
    assert errors_of(parsed) == []
    assert parsed.rows["aard"].to_list() == ["geur", "geluid", "stof"]
    assert parsed.rows["gegrond"].to_list() == ["Ja", "Nee", "Onbekend"]


def test_unknown_enum_value_names_the_allowed_values():
    parsed = parse("klachten", [{"aard": "stank"}])
    assert errors_of(parsed) == [
        (
            2,
            "aard",
            "onbekende waarde; toegestaan: geur, geluid, stof, licht, trilling, afval, water, "
            "bodem, asbest, lucht, overig",
        )
    ]


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("GM0153", "GM0153"),
        ("gm0153", "GM0153"),
        ("Enschede", "GM0153"),
        ("Gemeente Enschede", "GM0153"),
        ("ENSCHEDE", "GM0153"),
        (" enschede ", "GM0153"),
        ("Provincie Overijssel", "PV23"),
        ("Overijssel", "PV23"),
        ("Rijssen-Holten", "GM1742"),
        ("Rijssen Holten", "GM1742"),
        ("Hengelo (O)", "GM0164"),
    ],
)
def test_deelnemer_spellings(spelling, code):
    parsed = parse("klachten", [{"bevoegd_gezag": spelling}])
    assert errors_of(parsed) == []
    assert parsed.rows["bevoegd_gezag"].to_list() == [code]


def test_unknown_deelnemer_is_quarantined_showing_only_a_near_miss():
    parsed = parse(
        "klachten",
        [
            {"klacht_id": "K1"},
            {"klacht_id": "K2", "bevoegd_gezag": "Zwolle"},
            {"klacht_id": "K3", "bevoegd_gezag": "Gemeente Hengeloo"},
        ],
    )
    assert parsed.rows["klacht_id"].to_list() == ["K1"]
    assert errors_of(parsed) == [
        (3, "bevoegd_gezag", UNKNOWN_DEELNEMER),
        (4, "bevoegd_gezag", UNKNOWN_DEELNEMER),
    ]
    # a typo of a known deelnemer is shown; any other text might be a name, so it is not
    assert parsed.errors["waarde"].to_list() == [shown_value("Zwolle"), "Gemeente Hengeloo"]
    assert parsed.errors["waarde"][0].startswith("(niet getoond: 6 tekens")


def test_deelnemer_lookup_covers_code_name_and_variants():
    assert LOOKUP["gm0153"] == "GM0153"
    assert LOOKUP["enschede"] == "GM0153"
    assert LOOKUP["gemeente_enschede"] == "GM0153"
    assert LOOKUP["provincie_overijssel"] == "PV23"
    assert "zwolle" not in LOOKUP


@pytest.mark.parametrize(
    ("text", "expected"), [("7511 AB", "7511"), ("7511AB", "7511"), ("7511", "7511")]
)
def test_postcode_keeps_four_digits(text, expected):
    parsed = parse("klachten", [{"melder_postcode": text}])
    assert errors_of(parsed) == []
    assert parsed.rows["melder_postcode"].to_list() == [expected]


def test_invalid_postcode_is_quarantined():
    parsed = parse("klachten", [{"melder_postcode": "751 AB"}])
    assert errors_of(parsed) == [(2, "melder_postcode", "ongeldige postcode")]


def test_invalid_postcode_is_not_shown_in_clear_in_quarantine():
    # melder_postcode is personal data (contract: keep only the 4 digits) but its Column has no
    # `pii`, so _collect_errors copies the raw value into `waarde`, which is published in
    # meta.quarantaine ("waarden van persoonsgegevens worden niet getoond").
    parsed = parse("klachten", [{"melder_postcode": "7511 AB 23"}])
    assert errors_of(parsed) == [(2, "melder_postcode", "ongeldige postcode")]
    waarde = parsed.errors["waarde"].to_list()[0]
    assert "AB" not in (waarde or "")


# --- names and headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  Bevoegd gezag ", "bevoegd_gezag"),
        ("Datum-Melding", "datum_melding"),
        ("KLACHT__ID", "klacht_id"),
        ("\ufeffklacht_id", "klacht_id"),
        ("Gemeente  Enschede", "gemeente_enschede"),
        ("Café", "café"),
        ("_uren_", "uren"),
    ],
)
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


KLACHTEN_ALIASES = export_mapping(Settings(lake_dir=Path("unused"))).aliases["klachten"]


def test_map_header_ignores_case_and_spaces_and_keeps_extras():
    canonical, extras = map_header(
        ["KLACHT_ID", " Datum melding ", "Bevoegd Gezag", "aard", "Extra info"],
        SOURCES["klachten"],
        {},
    )
    assert canonical == ["klacht_id", "datum_melding", "bevoegd_gezag", "aard", "extra_info"]
    assert extras == ["extra_info"]


def test_map_header_applies_aliases():
    canonical, extras = map_header(
        ["Klachtnummer", "Meldingsdatum", "bevoegd gezag", "Aard klacht"],
        SOURCES["klachten"],
        KLACHTEN_ALIASES,
    )
    assert canonical == ["klacht_id", "datum_melding", "bevoegd_gezag", "aard"]
    assert extras == []


def test_map_header_rejects_duplicate_column():
    with pytest.raises(FileRejected) as info:
        map_header(
            ["klacht_id", "datum_melding", "bevoegd_gezag", "aard", "Klacht ID"],
            SOURCES["klachten"],
            {},
        )
    message = str(info.value)
    assert "'klacht_id' komt twee keer voor" in message
    assert "kolom 1 en 5" in message


def test_map_header_rejects_alias_that_duplicates_a_column():
    with pytest.raises(FileRejected, match="'klacht_id' komt twee keer voor"):
        map_header(
            ["klacht_id", "Klachtnummer", "datum_melding", "bevoegd_gezag", "aard"],
            SOURCES["klachten"],
            KLACHTEN_ALIASES,
        )


def test_map_header_names_the_missing_required_column():
    with pytest.raises(FileRejected) as info:
        map_header(["klacht_id", "datum_melding", "bevoegd_gezag"], SOURCES["klachten"], {})
    assert str(info.value).startswith("verplichte kolom ontbreekt: aard.")


def test_map_header_names_all_missing_required_columns():
    with pytest.raises(FileRejected) as info:
        map_header(["regel_id", "medewerker_id", "datum", "product"], SOURCES["uren"], {})
    assert str(info.value).startswith(
        "verplichte kolommen ontbreken: taakpakket, uren, declarabel."
    )


def test_map_header_rejects_empty_header_name():
    with pytest.raises(FileRejected, match="kolom 2 van de kopregel heeft geen naam"):
        map_header(["klacht_id", " ", "datum_melding"], SOURCES["klachten"], {})


# --- encodings ------------------------------------------------------------------------------


def test_detect_encoding_plain_utf8():
    assert detect_encoding("klacht_id;naam\nK1;Café\n".encode()) == "utf-8"


def test_detect_encoding_utf8_with_bom():
    assert detect_encoding(codecs.BOM_UTF8 + "klacht_id;naam\nK1;Café\n".encode()) == "utf-8-sig"


def test_detect_encoding_windows_1252():
    data = "naam;bedrag\nCafé;€ 12,50\n".encode("cp1252")
    encoding = detect_encoding(data)
    assert encoding == "cp1252"
    assert data.decode(encoding) == "naam;bedrag\nCafé;€ 12,50\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_detect_encoding_rejects_utf16(codec):
    data = "klacht_id;aard\nK1;geur\n".encode(codec)
    if codec != "utf-16":  # the bare utf-16 codec writes its own BOM
        data = "\ufeff".encode(codec) + data
    with pytest.raises(FileRejected, match="UTF-16"):
        detect_encoding(data)


def test_detect_encoding_rejects_bytes_that_are_neither():
    # 0x81 is undefined in Windows-1252 and invalid as a UTF-8 start byte.
    with pytest.raises(FileRejected, match="tekencodering is niet te herkennen"):
        detect_encoding(b"naam\nab\x81c\n")


def test_detect_encoding_rejects_broken_utf8_after_bom():
    with pytest.raises(FileRejected, match="begint als UTF-8"):
        detect_encoding(codecs.BOM_UTF8 + "naam\nCafé\n".encode("cp1252"))


# --- personal data --------------------------------------------------------------------------

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def _melders(ctx: ParseContext = CTX) -> Parsed:
    return parse(
        "klachten",
        [
            {
                "klacht_id": "K1",
                "melder_email": "J.Jansen@Example.nl",
                "melder_naam": "Jan Jansen",
                "melder_telefoon": "06-12345678",
                "omschrijving": "Stank van Jansen's buurman",
            },
            {
                "klacht_id": "K2",
                "melder_email": " j.jansen@example.NL ",
                "melder_naam": "jan  JANSEN",
                "melder_telefoon": "+31 6 12345678",
                "omschrijving": "Weer stank",
            },
            {
                "klacht_id": "K3",
                "melder_email": "p.pietersen@example.nl",
                "melder_naam": "Piet Pietersen",
                "melder_telefoon": "053-1234567",
            },
        ],
        ctx,
    )


def test_same_person_in_different_spelling_gets_same_pseudonym():
    rows = _melders().rows
    for column in ("melder_email", "melder_naam", "melder_telefoon"):
        first, second, other = rows[column].to_list()
        assert HEX32.match(first), column
        assert first == second, column
        assert first != other, column


def test_clear_personal_data_never_appears_in_output():
    rows = _melders().rows
    assert "omschrijving" not in rows.columns
    cells = [str(v) for row in rows.rows() for v in row]
    for clear in ("jansen", "pietersen", "example", "12345678", "1234567", "stank"):
        assert not any(clear in cell.lower() for cell in cells), clear


def test_different_key_gives_different_pseudonym():
    ours = _melders().rows["melder_email"].to_list()
    theirs = _melders(context(key=b"andere-sleutel")).rows["melder_email"].to_list()
    assert ours[0] != theirs[0]
    assert theirs[0] == theirs[1]
    assert HEX32.match(theirs[0])


def test_medewerker_gets_the_same_pseudonym_in_uren_and_medewerkers():
    uren = parse("uren", [{"medewerker_id": "M001"}]).rows["medewerker_id"].to_list()
    medewerker = {
        "peildatum": "31-12-2024",
        "medewerker_id": " m001 ",
        "functie": "Toezichthouder",
        "team": "Toezicht",
        "fte": "0,8",
        "dienstverband": "vast",
    }
    hr = parse_rows(table([medewerker]), SOURCES["medewerkers"], CTX)
    assert errors_of(hr) == []
    assert hr.rows["medewerker_id"].to_list() == uren
    assert uren != ["M001"]


# --- duplicate keys and cross-field checks --------------------------------------------------


def test_duplicate_key_points_to_first_line():
    parsed = parse(
        "klachten",
        [
            {"klacht_id": "K1", "aard": "geur"},
            {"klacht_id": "K2"},
            {"klacht_id": "K1", "aard": "geluid"},
        ],
    )
    assert parsed.rows.select("klacht_id", "aard", "_regel").rows() == [
        ("K1", "geur", 2),
        ("K2", "geur", 3),
    ]
    assert errors_of(parsed) == [
        (4, "klacht_id", "dubbele sleutel: dezelfde sleutel staat al op regel 2")
    ]


def test_duplicate_key_after_invalid_first_occurrence_loads_the_valid_one():
    parsed = parse(
        "klachten",
        [{"klacht_id": "K1", "aard": "stank"}, {"klacht_id": "K1", "aard": "geluid"}],
    )
    assert parsed.rows.select("klacht_id", "aard", "_regel").rows() == [("K1", "geluid", 3)]
    assert [e[:2] for e in errors_of(parsed)] == [(2, "aard")]


def test_lhso_must_match_aantal_overtredingen():
    base = {
        "inrichting_id": "I1",
        "bevoegd_gezag": "GM0153",
        "datum_controle": "01-02-2024",
        "soort": "periodiek",
    }
    rows = [
        {**base, "controle_id": "C1", "aantal_overtredingen": "2", "lhso_gevolgen": "b"},
        {**base, "controle_id": "C1b", "aantal_overtredingen": "2", "lhso_gevolgen": "B"},
        {**base, "controle_id": "C2", "aantal_overtredingen": "0", "lhso_gevolgen": "A"},
        {**base, "controle_id": "C3", "aantal_overtredingen": "1", "lhso_gevolgen": "E"},
        {**base, "controle_id": "C4", "aantal_overtredingen": "0"},
    ]
    rows[0]["lhso_gedrag"] = "3"
    rows[2]["lhso_gedrag"] = "1"
    rows[3]["lhso_gedrag"] = "2"
    parsed = parse_rows(table(rows), SOURCES["controles"], CTX)
    assert parsed.rows.select("controle_id", "lhso_gevolgen", "lhso_gedrag").rows() == [
        ("C1", "B", "3"),
        ("C4", None, None),
    ]
    matrix = (
        "LHSO-score (gevolgen én gedrag) hoort ingevuld te zijn precies als "
        "aantal_overtredingen > 0"
    )
    assert errors_of(parsed) == [
        (3, "lhso_gevolgen", matrix),
        (4, "lhso_gevolgen", matrix),
        (5, "lhso_gevolgen", "onbekende waarde; toegestaan: A, B, C, D"),
    ]


def test_unknown_columns_stay_out_unless_admitted():
    rows = table([{**DEFAULTS["klachten"], "wijk": " Centrum ", "burgerservicenummer": "1"}])
    parsed = parse_rows(rows, SOURCES["klachten"], CTX)
    assert parsed.ignored == ("wijk", "burgerservicenummer")
    assert [c for c in parsed.rows.columns if c.startswith("extra_")] == []

    admitted = parse_rows(rows, SOURCES["klachten"], CTX, extra_columns={"wijk"})
    assert admitted.rows["extra_wijk"].to_list() == ["Centrum"]
    assert admitted.ignored == ("burgerservicenummer",)


def test_a_personal_looking_column_is_never_admitted():
    rows = table([{**DEFAULTS["klachten"], "gsm": "0612345678"}])
    parsed = parse_rows(rows, SOURCES["klachten"], CTX, extra_columns={"gsm"})
    assert parsed.ignored == ("gsm",)
    assert "extra_gsm" not in parsed.rows.columns


# Every value that a typed column of the contract can meet: valid in each accepted spelling,
# blank, whitespace, wrong, hostile, out of range; several rows share a value, as in an export.
ODD_VALUES = [
    None, "", "  ", "12-03-2025", " 12-03-2025 ", "2025-03-12", "12-03-2025 14:30", "31-02-2025",
    "01-01-1899", "12-03-2101", "1.234,5", "1,5", "2", "-3", "+4", "99999999999999999999",
    "1e400", "abc", "Ja", "nee", "JA", "Gemeente Hengelo", "GM0164", "hengelo ", "basistaak",
    "Basistaak", "plustaak", "\x00", "a\x07b", "12-03-2025\u200b", "7522 AB", "7522", "75",
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize(
    "ctx",
    [CTX, replace(context(dot_decimals=True), control_chars=False, long_fields=False)],
    ids=["csv", "xlsx-zonder-stuurtekens"],
)
def test_typing_once_per_distinct_value_equals_typing_every_row(name, ctx, monkeypatch):
    # parse.py types date, number, choice and deelnemer columns once per distinct text and
    # looks the result up per row; the row-by-row typing must give the same rows and the same
    # quarantine, value for value, for every column of every source.
    from pipelines import parse

    source = SOURCES[name]
    rows = 10 * len(ODD_VALUES)  # each slice repeats its values, as an export does
    table = pl.DataFrame(
        {
            c.name: [ODD_VALUES[(i + k) % len(ODD_VALUES)] for i in range(rows)]
            for k, c in enumerate(source.columns)
        },
        schema={c.name: pl.String for c in source.columns},
    ).with_columns(pl.int_range(2, rows + 2, dtype=pl.Int64).alias("_regel"))
    looked_up = []
    real = parse._typed_once
    monkeypatch.setattr(
        parse,
        "_typed_once",
        lambda *a: looked_up.append(a[1]) or real(*a),  # noqa: PLC2801
    )
    once = parse_rows(table, source, ctx, slice_rows=120)
    assert looked_up  # the lookup path ran
    monkeypatch.setattr(parse, "_TYPED_ONCE_PER_VALUE", ())
    every = parse_rows(table, source, ctx, slice_rows=120)
    assert once.rows.equals(every.rows, null_equal=True)
    assert once.errors.equals(every.errors, null_equal=True)
    assert once.errors.height > 0
