"""`vthmonitor` exit codes and output, run as a user would."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vthmonitor.cli import main
from vthmonitor.werkbank.app_state import AppState

RUNAWAY = "select count(*) from range(100000) a, range(100000) b, range(100000) c"


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vthmonitor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow  # loads the whole small sample twice through `vthmonitor load` processes
def test_load_then_sql_csv(tmp_path, small_sample, project_env):
    lake = str(tmp_path / "lake")
    loaded = run("load", str(small_sample), "--lake", lake, env=project_env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.count("geladen: ") >= 10
    # the build says it is busy after the files' lines (issue 15: long work shows progress)
    lines = loaded.stdout.splitlines()
    bezig = lines.index("Bezig: warehouse bouwen en publiceren ...")
    # then the build's steps, one plain line each in a log (not a terminal)
    stappen = [line.strip().split(" (")[0] for line in lines[bezig + 1 :]]
    assert stappen[:5] == [
        "raw-gegevens in het warehouse zetten",
        "staging bouwen",
        "meta bouwen",
        "marts bouwen",
        "kpi bouwen",
    ], lines[bezig:]
    assert any(line.startswith("Gepubliceerd: ") for line in lines[bezig:])
    assert "Gepubliceerd: " in loaded.stdout
    again = run("load", str(small_sample), "--lake", lake, env=project_env)
    assert again.returncode == 0
    assert "al geladen" in again.stdout and "ongewijzigd" in again.stdout

    out = run(
        "sql",
        "select code, naam from staging.deelnemers where code = 'GM0164'",
        "--format",
        "csv",
        "--lake",
        lake,
        env=project_env,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["code,naam", "GM0164,Hengelo"]


def test_sql_csv_neutralises_formulas_and_keeps_numbers(sample_lake, project_env):
    """The CSV of `vthmonitor sql` is made like every download (docs/exports.md): text a
    spreadsheet would evaluate gets an apostrophe, numbers and lists are written as such."""
    lake = sample_lake
    query = (
        "select '=1+1' as formule, '@SUM(A1)' as functie, '-2+3' as som, -12.5 as bedrag, "
        "-3 as aantal, '-12' as tekstgetal, '+31 6 12345678' as telefoon, "
        "'https://example.org/?a=1' as url, ['=1+1'] as lijst, 'x' as \"=kop\""
    )
    out = run("sql", query, "--format", "csv", "--lake", str(lake), env=project_env)
    assert out.returncode == 0, out.stderr
    assert out.stdout == (
        "formule,functie,som,bedrag,aantal,tekstgetal,telefoon,url,lijst,'=kop\n"
        "'=1+1,'@SUM(A1),'-2+3,-12.5,-3,-12,'+31 6 12345678,https://example.org/?a=1,"
        "['=1+1'],x\n"
    )


@pytest.mark.slow  # nine `vthmonitor sql` processes, one waits out a 1 s limit, one a ~5 GB query
def test_sql_uses_the_workbench_sandbox_and_logs_every_run(tmp_path, sample_lake, project_env):
    lake = str(sample_lake)
    for query, words in (
        ("create table x as select 1", "alleen-lezen: CREATE"),
        ("select * from read_csv('/etc/passwd')", "Bestanden lezen met read_csv()"),
        ("copy (select 1) to '/tmp/x.csv'", "COPY"),
        ("select * from raw.zaken", "raw-laag"),
    ):
        out = run("sql", query, "--lake", lake, env=project_env)
        assert out.returncode == 1, query
        assert out.stderr.startswith("vthmonitor sql: geweigerd.") and words in out.stderr
        assert "Traceback" not in out.stderr

    capped = run(
        "sql", "select * from range(25)", "--format", "csv", "--lake", lake,
        env=project_env | {"VTHMONITOR_SQL_MAX_RIJEN": "10"},
    )  # fmt: skip
    assert capped.returncode == 0
    assert capped.stdout.splitlines() == ["range"] + [str(i) for i in range(10)]
    assert "meer dan 10 rijen" in capped.stderr

    slow = run(
        "sql", "select count(*) from range(100000) a, range(100000) b, range(100000) c",
        "--lake", lake, env=project_env | {"VTHMONITOR_SQL_TIJDSLIMIET": "1"},
    )  # fmt: skip
    assert slow.returncode == 1 and "na 1 seconde gestopt" in slow.stderr

    # Beyond the worker's address-space limit a query fails with a Dutch memory message, not a
    # crash: this string distance needs ~5 GB outside DuckDB's own memory accounting.
    huge = run(
        "sql", "select damerau_levenshtein(repeat('a', 25000), repeat('b', 25000))",
        "--lake", lake,
        env=project_env
        | {"VTHMONITOR_SQL_WERKER_GEHEUGEN": "3GB", "VTHMONITOR_SQL_TIJDSLIMIET": "60"},
    )  # fmt: skip
    assert huge.returncode == 1 and "meer geheugen nodig" in huge.stderr, huge.stderr

    bad_setting = run(
        "sql", "select 1", "--lake", lake, env=project_env | {"VTHMONITOR_SQL_MAX_RIJEN": "veel"}
    )
    assert bad_setting.returncode == 2
    assert "VTHMONITOR_SQL_MAX_RIJEN='veel' is geen geldig positief getal" in bad_setting.stderr

    from vthmonitor.werkbank.app_state import AppState

    log = AppState(tmp_path / "lake" / "app" / "werkbank.sqlite3").auditlog()
    assert log["status"].to_list() == ["fout", "tijdslimiet", "ok"] + ["geweigerd"] * 4
    assert log["kanaal"].unique().to_list() == ["cli"]
    assert log.row(2, named=True)["rijen"] == 10 and log.row(2, named=True)["afgekapt"]


@pytest.mark.slow  # five `vthmonitor sql` processes in a row
def test_sql_saves_lists_and_reruns_a_query(sample_lake, project_env):
    lake = str(sample_lake)
    query = "select code, naam from staging.deelnemers where code = 'GM0153'"
    saved = run("sql", query, "--opslaan", "Enschede", "--lake", lake, env=project_env)
    assert saved.returncode == 0 and "Opgeslagen als 'Enschede'" in saved.stderr
    listed = run("sql", "--lijst", "--lake", lake, env=project_env)
    assert listed.stdout.startswith("Enschede  (")
    again = run(
        "sql", "--opgeslagen", "enschede", "--format", "csv", "--lake", lake, env=project_env
    )
    assert again.stdout.splitlines() == ["code,naam", "GM0153,Enschede"]
    missing = run("sql", "--opgeslagen", "bestaat niet", "--lake", lake, env=project_env)
    assert missing.returncode == 1 and "vthmonitor sql --lijst" in missing.stderr
    assert run("sql", "--lake", lake, env=project_env).returncode == 2


@pytest.mark.slow  # a `vthmonitor load` process that builds the (empty) warehouse
def test_rejected_file_exits_1(tmp_path, project_env):
    bad = tmp_path / "zaken_2024.csv"
    bad.write_text("zaaknummer;product\nZ1;x\n", encoding="utf-8")
    out = run("load", str(bad), "--lake", str(tmp_path / "lake"), env=project_env)
    assert out.returncode == 1
    assert "geweigerd: zaken_2024.csv" in out.stdout
    assert "zaaktype" in out.stdout  # the missing column is named


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["load", str(tmp_path / "bestaat-niet.csv"), "--lake", str(tmp_path)]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert main(["load", str(tmp_path), "--kind", "onzin", "--lake", str(tmp_path)]) == 2


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _busy_worker(cli: subprocess.Popen, state_file: Path) -> int:
    """Wait until `vthmonitor sql` has written its 'bezig' row and started its worker."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = []
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == cli.pid and b"vthmonitor.werkbank.worker" in cmdline:
                workers.append(int(entry.name))
        started = state_file.exists() and AppState(state_file).auditlog().height == 1
        if workers and started:
            time.sleep(2)  # started up and running the query
            return workers[0]
        time.sleep(0.1)
    raise AssertionError("vthmonitor sql did not start its query")


def _sql_in_background(lake: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "vthmonitor.cli", "sql", RUNAWAY, "--lake", lake],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a command in a terminal has
    )


@pytest.mark.slow  # lets the query run 2 s before the Ctrl-C, in a `vthmonitor sql` process
def test_ctrl_c_stops_the_query_and_completes_its_audit_row(tmp_path, sample_lake, project_env):
    lake = str(sample_lake)
    state_file = tmp_path / "lake" / "app" / "werkbank.sqlite3"
    cli = _sql_in_background(lake, project_env | {"VTHMONITOR_SQL_TIJDSLIMIET": "120"})
    worker = _busy_worker(cli, state_file)
    interrupted = time.monotonic()
    os.killpg(cli.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the foreground group
    _out, err = cli.communicate(timeout=60)
    assert time.monotonic() - interrupted < 10  # not the 120 s time limit
    assert cli.returncode == 130
    assert "afgebroken met Ctrl-C" in err and "Traceback" not in err
    assert not _running(worker)
    row = AppState(state_file).auditlog().row(0, named=True)
    assert row["status"] == "afgebroken" and "Ctrl-C" in row["melding"]
    assert 2_000 <= row["duur_ms"] < 60_000


@pytest.mark.slow  # waits for the orphaned worker's 6 s time limit
def test_a_killed_sql_leaves_its_row_and_its_worker_ends_by_itself(
    tmp_path, sample_lake, project_env
):
    lake = str(sample_lake)
    state_file = tmp_path / "lake" / "app" / "werkbank.sqlite3"
    cli = _sql_in_background(lake, project_env | {"VTHMONITOR_SQL_TIJDSLIMIET": "6"})
    worker = _busy_worker(cli, state_file)
    cli.kill()  # kill -9: no chance to complete anything
    cli.communicate(timeout=30)
    log = AppState(state_file).auditlog()
    assert log.select("status", "sql").rows() == [("bezig", RUNAWAY)]  # the run is on record
    # Without its parent, the worker still ends: its own alarm at the limit plus a grace.
    deadline = time.monotonic() + 30
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(worker)


def test_csv_of_nested_columns_is_written_as_text_and_then_logged(
    tmp_path, sample_lake, project_env
):
    # Review item 15: lists, structs and maps ended in a traceback, while the audit said 'ok'.
    lake = str(sample_lake)
    out = run(
        "sql",
        "select [1, 2] as l, {'a': 1, 'b': 'x'} as s, map {'k': 1} as m, [[1], [2, 3]] as ll, "
        "1 as a, 2 as a, 3 as a_2",
        "--format", "csv", "--lake", lake, env=project_env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows == [
        ["l", "s", "m", "ll", "a", "a_3", "a_2"],
        ["[1, 2]", "{'a': 1, 'b': 'x'}", "{'k': 1}", "[[1], [2, 3]]", "1", "2", "3"],
    ]
    state = AppState(tmp_path / "lake" / "app" / "werkbank.sqlite3")
    assert state.auditlog().select("status", "rijen").row(0) == ("ok", 1)


def test_a_failure_while_writing_the_output_is_logged_as_fout(tmp_path, sample_lake, project_env):
    lake = str(sample_lake)
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vthmonitor.cli",
            "sql",
            "select * from range(1000)",
            "--lake",
            lake,
        ],
        env=project_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    cli.stdout.close()  # the reader is gone before anything is written (`| head -0`)
    err = cli.stderr.read()
    cli.wait(timeout=120)
    assert cli.returncode == 1
    assert "resultaat kon niet worden weggeschreven" in err and "Traceback" not in err
    assert "Exception ignored" not in err
    row = AppState(tmp_path / "lake" / "app" / "werkbank.sqlite3").auditlog().row(0, named=True)
    assert row["status"] == "fout" and "BrokenPipeError" in row["melding"]


@pytest.mark.slow  # four loads through the CLI, each a process that builds the warehouse
def test_a_changed_norm_is_published_by_the_next_load_and_says_why(
    tmp_path, small_sample, project_env
):
    """The beheerder edits normen.csv and runs `vthmonitor load` (what `make run` does) on an
    unchanged lake: the new norm and the status judged against it are published."""
    import shutil

    from vthmonitor.settings import REFERENCE_DIR

    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    env = project_env | {"VTHMONITOR_REFERENTIE": str(reference)}
    lake = str(tmp_path / "lake")
    assert run("load", str(small_sample), "--lake", lake, env=env).returncode == 0

    def norm_and_statuses(norm: str) -> list[list[str]]:
        normen = reference / "normen.csv"
        lines = normen.read_text(encoding="utf-8").splitlines(keepends=True)
        first = next(i for i, line in enumerate(lines) if line.startswith("rob_vaste_dienst;"))
        fields = lines[first].split(";")
        fields[2] = norm
        lines[first] = ";".join(fields)
        normen.write_text("".join(lines), encoding="utf-8")
        again = run("load", str(small_sample), "--lake", lake, env=env)
        assert again.returncode == 0, again.stderr
        assert "al geladen" in again.stdout
        assert "Gebouwd omdat: gewijzigd: reference/normen.csv." in again.stdout
        out = run(
            "sql",
            "select distinct norm, status from kpi.waarden where kpi_id = 'rob_vaste_dienst' "
            "and waarde is not null and periode < '2026' order by all",
            "--format",
            "csv",
            "--lake",
            lake,
            env=env,
        )
        assert out.returncode == 0, out.stderr
        return [line.split(",") for line in out.stdout.splitlines()[1:]]

    # a share of staff is 0..100 %: norm 0 is met everywhere, norm 1000 nowhere, not even nearly
    assert norm_and_statuses("0") == [["0.0", "groen"]]
    assert norm_and_statuses("1000") == [["1000.0", "rood"]]
    # and nothing changed: nothing is built
    same = run("load", str(small_sample), "--lake", lake, env=env)
    assert "ongewijzigd" in same.stdout and "Gebouwd omdat" not in same.stdout


def test_sample_says_how_far_it_is(tmp_path, capsys):
    from pipelines.sample import EXPORTS

    assert main(["sample", "--out", str(tmp_path / "s"), "--scale", "0.002"]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = len(EXPORTS)
    # not a terminal: one plain line per source (a bar that is overwritten on a terminal)
    assert [line.strip().split("]")[0] + "]" for line in lines[:-1]] == [
        f"[{i}/{total}]" for i in range(1, total + 1)
    ]
    assert lines[0].startswith(f"  [1/{total}] {EXPORTS[0].source}: ")
    assert lines[-1].startswith("Voorbeeldexports geschreven naar ")
