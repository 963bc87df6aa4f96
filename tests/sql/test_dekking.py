"""Coverage (docs/kpis.md, "Dekking"): a KPI has a value only for the days its sources' exports
cover; a period partly covered says so; a covered period without events is a real 0. Hand-made
exports through the real pipeline, hand-computed expectations."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.load import GEWEIGERD, load
from tests.sql.kpi_harness import TODAY, build_lake, kpi, write_export
from tests.sql.test_kpi_klachten import klacht
from vthmonitor.lake import PublishedLake
from vthmonitor.settings import Settings

HENGELO, ENSCHEDE = "GM0164", "GM0153"


@pytest.fixture(scope="module")
def cur(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dekking")
    august = [
        # Hengelo: the last complaint reported in June, one closed in August
        klacht("K1", "15-01-2025", afgehandeld="01-02-2025", gegrond="Ja"),
        klacht("K2", "10-06-2025", afgehandeld="20-08-2025", gegrond="Nee"),
        klacht("K3", "03-03-2025", deelnemer="Enschede"),
    ]
    # a later export of Enschede's own (its CBS code in the name): it covers Enschede only
    november = [klacht("K4", "05-10-2025", deelnemer="Enschede")]
    return build_lake(
        tmp, ("klachten_20250831.csv", august), ("klachten_GM0153_20251130.csv", november)
    )


def test_months_after_the_last_complaint_but_before_the_export_date_are_real_zeros(cur):
    for maand in ("2025-07", "2025-08"):
        row = kpi(cur, "klachten_aantal", HENGELO, maand)
        assert (row["waarde"], row["dekking"]) == (0, "volledig"), maand
    assert kpi(cur, "klachten_aantal", HENGELO, "2025-06")["waarde"] == 1


def test_a_period_partly_covered_is_incomplete_and_says_until_when(cur):
    row = kpi(cur, "klachten_aantal", HENGELO, "2025-Q3")
    assert (row["waarde"], row["dekking"], row["gedekt_tot"]) == (
        0,
        "onvolledig",
        dt.date(2025, 8, 31),
    )
    jaar = kpi(cur, "klachten_aantal", HENGELO, "2025")
    assert (jaar["waarde"], jaar["dekking"]) == (2, "onvolledig")
    # the closing in August counts in an incomplete quarter, with its flag
    duur = kpi(cur, "klachten_afhandelduur_mediaan_dagen", HENGELO, "2025-Q3")
    assert (duur["waarde"], duur["dekking"]) == (71, "onvolledig")  # 10-06 -> 20-08


def test_a_period_after_the_export_date_has_no_value_not_zero(cur):
    # Enschede's October complaint makes the family compute these periods for everyone
    for periode in ("2025-09", "2025-10", "2025-Q4"):
        row = kpi(cur, "klachten_aantal", HENGELO, periode)
        assert (row["waarde"], row["teller"], row["dekking"]) == (None, None, "geen"), periode
        assert row["status"] == "geen_norm"  # klachten have no norm; a value would not either
    # after every event of the source the family computes no period at all: no row, no value
    assert kpi(cur, "klachten_aantal", HENGELO, "2025-12") is None


def test_an_export_named_for_one_deelnemer_covers_only_that_deelnemer(cur):
    row = kpi(cur, "klachten_aantal", ENSCHEDE, "2025-10")
    assert (row["waarde"], row["dekking"]) == (1, "volledig")
    assert kpi(cur, "klachten_aantal", ENSCHEDE, "2025-Q4")["gedekt_tot"] == dt.date(2025, 11, 30)
    # all deelnemers together: only as far as the least covered one (Hengelo, 31-08)
    totaal = kpi(cur, "klachten_aantal", "TOTAAL", "2025-10")
    assert (totaal["waarde"], totaal["dekking"]) == (None, "geen")
    assert kpi(cur, "klachten_aantal", "TOTAAL", "2025-08")["waarde"] == 0
    # any other deelnemer is covered by the August export of all deelnemers, also without rows
    assert kpi(cur, "klachten_aantal", "GM0141", "2025-08")["waarde"] == 0
    assert kpi(cur, "klachten_aantal", "GM0141", "2025-10")["dekking"] == "geen"


def test_meta_dekking_and_meta_loads_show_the_snapshot_dates(cur):
    dekking = dict(
        cur.execute(
            "select deelnemer_code, gedekt_tot from meta.dekking where bron = 'klachten' "
            "and deelnemer_code in ('GM0164', 'GM0153', 'TOTAAL')"
        ).fetchall()
    )
    assert dekking == {
        HENGELO: dt.date(2025, 8, 31),
        ENSCHEDE: dt.date(2025, 11, 30),
        "TOTAAL": dt.date(2025, 8, 31),
    }
    loads = cur.execute(
        "select bestand, stand_per, stand_per_herkomst from meta.loads order by load_id"
    ).fetchall()
    assert loads == [
        ("klachten_20250831.csv", dt.date(2025, 8, 31), "bestandsnaam"),
        ("klachten_GM0153_20251130.csv", dt.date(2025, 11, 30), "bestandsnaam"),
    ]


def _settings(tmp_path) -> Settings:
    return Settings(lake_dir=tmp_path / "lake", pseudonym_key_value="kpi-test")


def test_an_event_after_the_exports_date_is_quarantined_with_a_dutch_reason(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    rows = [
        klacht("K1", "10-06-2025", afgehandeld="02-09-2025"),  # closed after 31-08
        klacht("K2", "01-09-2025"),  # reported after 31-08
        klacht("K3", "31-08-2025 23:59"),  # on the export's own date: fine
    ]
    path = write_export(folder, "klachten_20250831.csv", rows)
    report = load(_settings(tmp_path), [path], today=TODAY)
    result = report.files[0]
    assert (result.geladen, result.quarantaine) == (1, 2)
    reasons = (
        PublishedLake(_settings(tmp_path))
        .cursor()
        .execute("select regel, kolom, reden from meta.quarantaine order by regel")
        .fetchall()
    )
    assert [(r, k) for r, k, _ in reasons] == [(2, "datum_afgehandeld"), (3, "datum_melding")]
    assert reasons[0][2].startswith(
        "datum ligt na de stand van de export (31-08-2025, uit de bestandsnaam)"
    )


def test_stand_per_on_the_command_wins_over_the_file_name(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    path = write_export(folder, "klachten_20250831.csv", [klacht("K1", "15-09-2025")])
    report = load(_settings(tmp_path), [path], today=TODAY, stand_per=dt.date(2025, 9, 30))
    result = report.files[0]
    assert (result.stand_per, result.stand_per_herkomst, result.quarantaine) == (
        "2025-09-30",
        "opdracht",
        0,
    )


def test_the_mapping_file_gives_the_date_when_the_name_has_none(tmp_path):
    mapping = tmp_path / "koppeling.toml"
    mapping.write_text("[stand_per]\nklachten = 2025-06-30\n", encoding="utf-8")
    folder = tmp_path / "exports"
    folder.mkdir()
    settings = Settings(
        lake_dir=tmp_path / "lake", pseudonym_key_value="kpi-test", mapping_file=mapping
    )
    named = write_export(folder, "klachten_20250531.csv", [klacht("K1", "15-05-2025")])
    plain = write_export(folder, "klachten.csv", [klacht("K2", "15-06-2025")])
    report = load(settings, [named, plain], today=TODAY)
    assert [(f.stand_per, f.stand_per_herkomst) for f in report.files] == [
        ("2025-05-31", "bestandsnaam"),  # the file name wins over the mapping file
        ("2025-06-30", "koppelbestand"),
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("klachten_20251332.csv", "de datum in de bestandsnaam (20251332) bestaat niet"),
        ("klachten_20991231.csv", "de datum van de export (31-12-2099, uit de bestandsnaam) ligt"),
    ],
)
def test_a_file_name_with_an_impossible_or_future_date_is_refused(tmp_path, name, reason):
    folder = tmp_path / "exports"
    folder.mkdir()
    path = write_export(folder, name, [klacht("K1", "15-05-2025")])
    result = load(_settings(tmp_path), [path], today=TODAY).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith(reason), result.melding


def test_an_export_with_rows_of_one_deelnemer_still_covers_every_deelnemer(tmp_path):
    """No CBS code in the name: an export of all deelnemers in which only Hengelo had
    complaints. The others had none: real zeros, for them and for all together."""
    cur = build_lake(tmp_path, ("klachten_20250630.csv", [klacht("K1", "10-06-2025")]))
    for code, expected in (("GM0164", 1), ("GM0153", 0), ("TOTAAL", 1)):
        row = kpi(cur, "klachten_aantal", code, "2025-06")
        assert (row["waarde"], row["dekking"]) == (expected, "volledig"), code


def test_a_re_delivered_export_keeps_the_coverage_of_the_first(tmp_path):
    """A later export of all deelnemers that re-delivers some rows does not narrow anything:
    every export covers every deelnemer up to its own date."""
    cur = build_lake(
        tmp_path,
        (
            "klachten_20250831.csv",
            [klacht("K1", "10-06-2025"), klacht("K2", "11-06-2025", "GM0153")],
        ),
        ("klachten_20250930.csv", [klacht("K2", "11-06-2025", "GM0153", afgehandeld="01-09-2025")]),
    )
    dekking = dict(
        cur.execute(
            "select deelnemer_code, gedekt_tot from meta.dekking where bron = 'klachten'"
        ).fetchall()
    )
    assert set(dekking.values()) == {dt.date(2025, 9, 30)}
    assert kpi(cur, "klachten_aantal", "TOTAAL", "2025-Q2")["waarde"] == 2


@pytest.mark.parametrize(
    ("name", "stand"),
    [
        ("uren_20250801_20250831.csv", dt.date(2025, 8, 31)),  # a period: its last day
        ("klachten_2025-08-31.csv", dt.date(2025, 8, 31)),
        ("klachten_19990101.csv", None),  # no export year: no date
        ("klachten_٢٠٢٥٠٨٣١.csv", None),  # only ASCII digits make a date
        ("klachten_120250831.csv", None),  # part of a longer number
    ],
)
def test_the_date_in_a_file_name(name, stand):
    from pipelines.parse import stand_from_filename

    assert stand_from_filename(name) == stand


def test_a_file_name_naming_an_unknown_deelnemer_is_refused(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    path = write_export(folder, "klachten_GM9999_20250831.csv", [klacht("K1", "15-05-2025")])
    result = load(_settings(tmp_path), [path], today=TODAY).files[0]
    assert result.status == GEWEIGERD
    assert result.melding.startswith("de bestandsnaam noemt deelnemer GM9999")
