"""The README stays true (docs/architectuur.md): every setting the code reads from the
environment, every CLI subcommand and every make target a newcomer needs is in it, and every
file or folder it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from vthmonitor.cli import parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE = ("vthmonitor", "pipelines", "dashboard")


def settings_read_from_the_environment() -> set[str]:
    found = set()
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            found |= set(re.findall(r"\bVTHMONITOR_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    return found


def test_every_setting_is_in_the_configuration_table():
    settings = settings_read_from_the_environment()
    assert "VTHMONITOR_LAKE" in settings and len(settings) >= 10  # the scan found them
    table = README[README.index("## Configuratie") :]
    missing = sorted(s for s in settings if f"| `{s}` |" not in table)
    assert missing == []


def test_every_cli_subcommand_is_in_the_readme():
    commands = parser()._subparsers._group_actions[0].choices  # argparse keeps them here
    assert {"load", "sql", "serve"} <= set(commands)
    assert sorted(c for c in commands if f"vthmonitor {c}" not in README) == []


def test_every_make_target_a_newcomer_uses_is_in_the_quickstart():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    quickstart = README[README.index("## Quickstart") : README.index("## Architectuur")]
    for target in ("run", "check", "test", "bench"):
        assert re.search(rf"^{target}:", makefile, re.M), target
        assert f"make {target}" in quickstart, target


def test_every_path_the_readme_names_exists():
    named = set(re.findall(r"`([\w./-]+/[\w./-]*|[\w-]+\.(?:py|md|csv|sql|toml))`", README))
    # lake/ and test-artifacts/ are written by the program and the tests, not in git
    outputs = ("lake/", "~", "test-artifacts/")
    candidates = {n for n in named if "<" not in n and not n.startswith(outputs)}
    assert len(candidates) > 30
    missing = []
    for name in sorted(candidates):
        path = name.rstrip("/")
        if "/" not in path:  # a bare name (`cli.py`, `sample/`): somewhere in the project
            folders = (*CODE, "sql", "docs", "reference", "tests")
            found = (ROOT / path).exists() or any(
                True for f in folders for _ in (ROOT / f).rglob(path)
            )
            if not found:
                missing.append(name)
        elif not (ROOT / path).exists():
            missing.append(name)
    assert missing == []
