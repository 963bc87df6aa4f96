"""Deleting rows (issue 9, problem 11): `vthmonitor erase` writes a tombstone through a load;
raw, the warehouse (also rebuilt from raw) and the landing zone honour it, a later export does
not bring the key back, and meta.verwijderingen is the audit trail."""

from __future__ import annotations

import subprocess

import polars as pl
import pytest

from pipelines.erasure import EraseError, blank_csv_lines, erase
from pipelines.load import AL_GELADEN
from tests.pipelines.test_bad_input import accepted, query, run, vthmonitor, write
from vthmonitor.lake import LakePaths

HEADER = "klacht_id;datum_melding;bevoegd_gezag;aard;melder_naam;omschrijving"


def cli(settings, *args: str) -> subprocess.CompletedProcess:
    return vthmonitor(*args, lake=settings.lake_dir)


@pytest.mark.slow  # five builds, two in `vthmonitor` processes
def test_an_erased_complaint_leaves_raw_warehouse_and_landing_and_stays_out(tmp_path, settings):
    first = write(
        tmp_path,
        "klachten_2024.csv",
        [
            HEADER,
            'K1;01-02-2024;GM0153;geur;Jan Jansen;"Stank bij\nde buren"',  # lines 2-3
            "K2;02-02-2024;GM0153;geluid;Piet;Lawaai",  # line 4
        ],
    )
    second = write(
        tmp_path, "klachten_2024b.csv", [HEADER, "K1;01-02-2024;GM0153;stof;Jan Jansen;Stof"]
    )
    run(settings, first)
    run(settings, second)
    assert query(settings, "select count(*) from raw.klachten where klacht_id = 'K1'") == [(2,)]

    done = cli(settings, "erase", "klachten", "K1", "--reden", "AVG-verzoek 2026-014")

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith(
        "Verwijderd als lading L000003: 1 sleutel uit klachten; 2 rijen uit raw gehaald, "
        "3 regels in de landing zone gewist."
    )
    assert query(settings, "select klacht_id, regel from staging.klachten") == [("K2", 4)]
    assert query(settings, "select count(*) from raw.klachten where klacht_id = 'K1'") == [(0,)]
    paths = LakePaths(settings.lake_dir)
    on_disk = pl.read_parquet(list(paths.raw.glob("klachten/*.parquet")))
    assert on_disk["klacht_id"].to_list() == ["K2"]
    landing = sorted(paths.landing.glob("klachten/*.csv"))
    texts = sorted(p.read_text() for p in landing)
    assert "Jan Jansen" not in "".join(texts)
    assert f"{HEADER}\n\n\nK2;02-02-2024;GM0153;geluid;Piet;Lawaai\n" in texts
    ((load_id, bron, sleutel, reden, rijen),) = query(
        settings, "select load_id, bron, sleutel, reden, rijen_in_raw from meta.verwijderingen"
    )
    assert (load_id, bron, sleutel, reden, rijen) == (
        "L000003",
        "klachten",
        '{"klacht_id": "K1"}',
        "AVG-verzoek 2026-014",
        2,
    )

    # the original file again changes nothing; a new export with the key quarantines it
    assert run(settings, first).files[0].status == AL_GELADEN
    third = write(
        tmp_path,
        "klachten_2025.csv",
        [HEADER, "K3;01-01-2025;GM0153;geur;;", "K1;01-02-2024;GM0153;geur;Jan Jansen;"],
    )
    accepted(run(settings, third).files[0], regels=2, geladen=1, quarantaine=1)
    assert query(
        settings, "select regel, kolom, reden, waarde from meta.quarantaine where regel = 3"
    ) == [
        (
            3,
            "klacht_id",
            "deze sleutel is verwijderd (lading L000003, vthmonitor erase) en wordt niet "
            "opnieuw opgenomen",
            "K1",
        )
    ]

    # a full rebuild from raw honours it too
    assert cli(settings, "rebuild").returncode == 0
    assert query(settings, "select klacht_id from staging.klachten order by 1") == [
        ("K2",),
        ("K3",),
    ]


def test_a_composite_key_with_a_pseudonymised_part_is_found(tmp_path, settings):
    header = "peildatum;medewerker_id;functie;team;fte;dienstverband"
    path = write(
        tmp_path,
        "medewerkers_2024.csv",
        [
            header,
            "31-12-2024;M1;toezichthouder;Milieu;1,0;vast",
            "31-12-2024;M2;jurist;Juridisch;0,8;vast",
        ],
    )
    run(settings, path)
    done = erase(settings, "medewerkers", ["peildatum=31-12-2024,medewerker_id=M1"], "fout", "bh")
    assert done.rows == 1
    assert query(settings, "select functie from staging.medewerkers") == [("jurist",)]


@pytest.mark.parametrize(
    ("bron", "sleutels", "message"),
    [
        ("klagten", ["K1"], "onbekende bron 'klagten'"),
        ("medewerkers", ["M1"], "de sleutel van medewerkers bestaat uit peildatum, medewerker_id"),
        ("medewerkers", ["peildatum=31-02-2024,medewerker_id=M1"], "geen geldige peildatum"),
    ],
)
def test_a_wrong_call_gets_a_dutch_answer(settings, bron, sleutels, message):
    with pytest.raises(EraseError, match=message):
        erase(settings, bron, sleutels, "reden", "bh")


def test_the_command_line_demands_a_reason(settings):
    done = cli(settings, "erase", "klachten", "K1")
    assert done.returncode == 2
    assert "--reden" in done.stderr


def test_blanking_keeps_every_other_line_number(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(
        'a;b\r\n1;"twee\r\nregels"\r\n2;Café\r\n3;drie\r\n'.encode("cp1252"),
    )
    assert blank_csv_lines(path, [2, 5], "cp1252") == 3
    assert path.read_bytes() == "a;b\r\n\r\n\r\n2;Café\r\n\r\n".encode("cp1252")
