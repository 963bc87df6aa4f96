"""A load whose build fails never bricks the lake (issue 9, problems 2 and 16): it is excluded
and reported, the next load publishes, `vthmonitor unload` removes it; a failure that is not the
data's fault (broken reference data) excludes nothing; no traceback reaches the user."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace

import duckdb
import pytest

from pipelines.load import GEWEIGERD
from pipelines.publishing import BuildFailed, describe_failure, unload
from tests.pipelines.test_bad_input import KLACHTEN_HEADER, query, run, vthmonitor, write
from vthmonitor.lake import LakePaths, committed_loads, published_warehouse
from vthmonitor.settings import REFERENCE_DIR


def poisoned_load(settings, tmp_path) -> str:
    """A committed load whose raw Parquet DuckDB cannot insert into raw.klachten (a date column
    holding text), as an earlier version could leave behind: its build failed after the commit,
    and from then on every load and rebuild failed with it."""
    paths = LakePaths(settings.lake_dir)
    load_id = f"L{len(committed_loads(paths)) + 1:06d}"
    target = paths.raw / "klachten" / f"{load_id}-0001.parquet"
    con = duckdb.connect()
    con.execute(
        "copy (select 'KX' as klacht_id, 'geen datum' as datum_melding, 'GM0153' as "
        "bevoegd_gezag, 'geur' as aard, 2::bigint as _regel, ? as _load_id, 1 as _bestand_seq, "
        "'klachten_oud.csv' as _bestand) to '" + str(target) + "' (format parquet)",
        [load_id],
    )
    con.close()
    record = {
        "load_id": load_id,
        "gestart": "2026-01-15T10:00:00",
        "klaar": "2026-01-15T10:00:01",
        "bestanden": [
            {
                "volgnummer": 1,
                "bestand": "klachten_oud.csv",
                "pad": "/tmp/klachten_oud.csv",
                "bron": "klachten",
                "sha256": "0" * 64,
                "grootte": 100,
                "status": "geladen",
                "melding": "geen fouten",
                "codering": "utf-8",
                "regels": 1,
                "geladen": 1,
                "quarantaine": 0,
                "raw": str(target.relative_to(paths.root)),
                "quarantaine_pad": None,
            }
        ],
    }
    (paths.loads / f"{load_id}.json").write_text(json.dumps(record))
    return load_id


@pytest.mark.slow  # four builds, one in a `vthmonitor rebuild` process
def test_a_load_whose_build_fails_is_excluded_and_the_lake_goes_on(tmp_path, settings):
    run(
        settings,
        write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"]),
    )
    bad = poisoned_load(settings, tmp_path)

    report = run(
        settings,
        write(tmp_path, "klachten_2025.csv", [KLACHTEN_HEADER, "K2;01-02-2025;GM0153;geur"]),
    )

    # only the poisoned load is kept out; the innocent new one is published
    assert report.excluded == [bad]
    assert report.exclusion_reason.startswith("DuckDB kon het warehouse niet bouwen (")
    assert report.published is not None
    assert query(settings, "select klacht_id from staging.klachten order by 1") == [
        ("K1",),
        ("K2",),
    ]
    status, melding = query(
        settings, "select status, melding from meta.loads where load_id = ?", [bad]
    )[0]
    assert status == "uitgesloten"
    assert melding.startswith(
        "niet gepubliceerd: het warehouse kon met deze lading niet worden gebouwd"
    )
    assert f"vthmonitor unload {bad}" in melding

    # the next load and a rebuild work as usual
    third = run(
        settings,
        write(tmp_path, "klachten_2026.csv", [KLACHTEN_HEADER, "K3;01-01-2026;GM0153;geur"]),
    )
    assert third.excluded == [] and third.published is not None
    cli = vthmonitor("rebuild", lake=settings.lake_dir)
    assert cli.returncode == 0, cli.stderr
    assert query(settings, "select count(*) from staging.klachten") == [(3,)]

    # and unload removes it for good, with the audit trail in its record
    done = unload(settings, bad, "bestand van een oude versie", "beheerder")
    assert (done.files, done.rows) == (["klachten_oud.csv"], 1)
    paths = LakePaths(settings.lake_dir)
    assert not (paths.raw / "klachten" / f"{bad}-0001.parquet").exists()
    record = json.loads((paths.loads / f"{bad}.json").read_text())
    assert record["verwijderd"]["door"] == "beheerder"
    assert record["verwijderd"]["reden"] == "bestand van een oude versie"
    assert query(settings, "select status from meta.loads where load_id = ?", [bad]) == [
        ("verwijderd",)
    ]


@pytest.mark.slow  # three builds, one in a `vthmonitor rebuild` process
def test_a_failure_that_is_not_the_data_excludes_nothing(tmp_path, settings):
    run(
        settings,
        write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"]),
    )
    before = published_warehouse(LakePaths(settings.lake_dir))
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    normen = reference / "normen.csv"
    normen.write_text(
        normen.read_text(encoding="utf-8") + "x;>>;1;01-01-2024;bron;Ja;\n", encoding="utf-8"
    )
    broken = replace(settings, reference_dir=reference)

    with pytest.raises(BuildFailed, match="Referentiebestand normen.csv"):
        run(
            broken,
            write(tmp_path, "klachten_2025.csv", [KLACHTEN_HEADER, "K2;01-02-2025;GM0153;geur"]),
        )

    paths = LakePaths(settings.lake_dir)
    assert published_warehouse(paths) == before
    assert not any(m.get("uitgesloten") for m in committed_loads(paths))
    # once the reference data is right again, the committed load is published
    cli = vthmonitor("rebuild", lake=settings.lake_dir)
    assert cli.returncode == 0, cli.stderr
    assert query(settings, "select count(*) from staging.klachten") == [(2,)]


def test_a_load_of_only_refused_files_publishes_nothing_new(tmp_path, settings):
    first = run(
        settings,
        write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"]),
    )
    bad = tmp_path / "klachten_kapot.csv"
    bad.write_bytes(b"klacht_id;datum_melding\nK2;01-02-2024\n")
    second = run(settings, bad)
    assert [f.status for f in second.files] == [GEWEIGERD]
    assert second.published is None
    assert published_warehouse(LakePaths(settings.lake_dir)).name == first.published


def test_a_changed_norm_is_published_by_the_next_load(tmp_path, settings):
    run(
        settings,
        write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"]),
    )
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    changed = replace(settings, reference_dir=reference)
    normen = reference / "normen.csv"
    normen.write_text(
        normen.read_text(encoding="utf-8").replace(
            "rob_vaste_dienst;>=;80;", "rob_vaste_dienst;>=;85;"
        ),
        encoding="utf-8",
    )
    # the same file again: nothing new to load, but the norm changed, so a new build
    again = run(
        changed,
        write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"]),
    )
    assert again.load_id is None
    assert again.published is not None
    assert query(
        changed,
        "select waarde from staging.normen where kpi_id = 'rob_vaste_dienst' "
        "order by geldig_vanaf limit 1",
    ) == [(85.0,)]


@pytest.mark.parametrize(
    ("exc", "start"),
    [
        (OSError(28, "No space left on device"), "de schijf is vol"),
        (MemoryError(), "er was niet genoeg geheugen"),
        (
            duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate"),
            "er was niet genoeg geheugen",
        ),
    ],
)
def test_describe_failure_says_what_happened(exc, start):
    assert describe_failure(exc).startswith(start)


def test_an_unexpected_error_reaches_the_user_as_dutch_not_a_traceback(tmp_path):
    lake = tmp_path / "lake"
    lake.write_text("dit is een bestand, geen map")
    export = write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"])
    cli = vthmonitor("load", str(export), lake=lake)
    assert cli.returncode == 1
    assert "Traceback" not in cli.stderr
    assert cli.stderr.startswith("vthmonitor load: onverwachte fout (")
    assert "Er is niets half gepubliceerd" in cli.stderr


@pytest.mark.slow  # two `vthmonitor load` processes
def test_a_full_disk_during_the_build_is_said_in_dutch_and_excludes_nothing(tmp_path, settings):
    """A real write failure: the load runs with a file-size limit (RLIMIT_FSIZE) that the new
    warehouse file exceeds, as on a full disk."""
    import resource

    export = write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"])

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    # no byte-code cache writes under the limit: a truncated .pyc would break later imports
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cli = vthmonitor("load", str(export), lake=settings.lake_dir, preexec_fn=small_files, env=env)
    assert cli.returncode == 1
    assert "Traceback" not in cli.stderr
    assert cli.stderr.startswith(
        "vthmonitor load: het warehouse kon niet worden gebouwd: de schijf is vol (of de "
        "bestandsgrootte is begrensd)."
    )
    paths = LakePaths(settings.lake_dir)
    assert [m.get("uitgesloten") for m in committed_loads(paths)] == [None]
    assert published_warehouse(paths) is None
    assert list(paths.tmp.glob("*.duckdb*")) == []
    # with room again, the committed load is published by the next command
    again = vthmonitor("load", str(export), lake=settings.lake_dir)
    assert again.returncode == 0, again.stderr
    assert query(settings, "select klacht_id from staging.klachten") == [("K1",)]


@pytest.mark.slow  # three builds, one of 3 000 rows under a 10 MB limit
def test_running_out_of_memory_excludes_nothing(tmp_path, settings):
    """A build that needs more memory than VTHMONITOR_MEMORY_LIMIT allows says so; the new load
    is not blamed (a lake that outgrew the limit needs a higher limit), and a later load with
    enough memory publishes it."""
    uren = [
        "regel_id;medewerker_id;datum;bevoegd_gezag;product;taakpakket;uren;declarabel",
        *(
            f"U{i};M{i % 50};0{1 + i % 9}-02-2024;GM0153;Controle;basistaak;7,5;Ja"
            for i in range(3000)
        ),
    ]
    run(
        settings,
        write(tmp_path, "klachten_2024.csv", [KLACHTEN_HEADER, "K1;01-02-2024;GM0153;geur"]),
    )
    small = replace(settings, memory_limit="10MB")
    export = write(tmp_path, "uren_2024.csv", uren)
    with pytest.raises(BuildFailed, match="er was niet genoeg geheugen") as info:
        run(small, export)
    assert "Lading L000002 is vastgelegd maar niet gepubliceerd" in str(info.value)
    paths = LakePaths(settings.lake_dir)
    assert [m.get("uitgesloten") for m in committed_loads(paths)] == [None, None]
    again = run(
        settings,
        write(tmp_path, "klachten_2025.csv", [KLACHTEN_HEADER, "K2;01-02-2025;GM0153;geur"]),
    )
    assert again.excluded == [] and again.published is not None
    assert query(settings, "select count(*) from staging.uren") == [(3000,)]
