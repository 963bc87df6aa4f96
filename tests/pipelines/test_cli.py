"""`vthmonitor` exit codes and output, run as a user would."""

from __future__ import annotations

import subprocess
import sys

from pipelines.cli import main


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_load_then_sql_csv(tmp_path, small_sample, project_env):
    lake = str(tmp_path / "lake")
    loaded = run("load", str(small_sample), "--lake", lake, env=project_env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.count("geladen: ") >= 10
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


def test_sql_is_read_only_and_has_no_file_access(tmp_path, small_sample, project_env):
    lake = str(tmp_path / "lake")
    assert run("load", str(small_sample), "--lake", lake, env=project_env).returncode == 0
    for query in (
        "create table x as select 1",
        "select * from read_csv('/etc/passwd')",
        "copy (select 1) to '/tmp/x.csv'",
    ):
        out = run("sql", query, "--lake", lake, env=project_env)
        assert out.returncode == 1, query
        assert "kon niet worden uitgevoerd" in out.stderr
        assert "Traceback" not in out.stderr


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
