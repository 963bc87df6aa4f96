"""The import rule of docs/architectuur.md, checked on the source tree.

`vthmonitor` is the kernel; `pipelines` (ingest and build) and `dashboard` (the app) both build on
it and never on each other: they meet only at the published lake. Only the composition root,
`vthmonitor/cli.py`, imports both. Every import counts, also one inside a function (a lazy
import is still a dependency) and `import x.y` as well as `from x import y`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("vthmonitor", "pipelines", "dashboard")
COMPOSITION_ROOT = "vthmonitor/cli.py"
# package -> the packages it may import
ALLOWED = {
    "vthmonitor": {"vthmonitor"},
    "pipelines": {"vthmonitor", "pipelines"},
    "dashboard": {"vthmonitor", "dashboard"},
}


def imported_packages(source: str, module: str) -> set[str]:
    """The top-level project packages a module's source imports (absolute or relative)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside the module's own package
                found.add(module.split("/")[0])
            elif node.module:
                found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


def violations(files: dict[str, str]) -> list[str]:
    """'path imports package' for every import that breaks the rule; files: path -> source."""
    out = []
    for path, source in sorted(files.items()):
        package = path.split("/")[0]
        allowed = set(PACKAGES) if path == COMPOSITION_ROOT else ALLOWED[package]
        for imported in sorted(imported_packages(source, path) - allowed):
            out.append(f"{path} importeert {imported}")
    return out


def project_sources() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
        for package in PACKAGES
        for p in sorted((ROOT / package).rglob("*.py"))
    }


def test_pipelines_and_dashboard_meet_only_through_the_kernel():
    sources = project_sources()
    assert len(sources) > 40  # the walk really found the project
    assert violations(sources) == []


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("pipelines/load.py", "from dashboard.data import query\n", ["importeert dashboard"]),
        ("dashboard/data/x.py", "import pipelines.contract\n", ["importeert pipelines"]),
        ("dashboard/x.py", "def f():\n    from pipelines import build\n", ["importeert pipelines"]),
        ("vthmonitor/lake.py", "from pipelines.build import X\n", ["importeert pipelines"]),
        ("vthmonitor/werkbank/x.py", "import dashboard\n", ["importeert dashboard"]),
    ],
)
def test_the_check_catches_every_kind_of_forbidden_import(path, source, expected):
    found = violations({path: source})
    assert [v.split(" ", 1)[1] for v in found] == expected


def test_the_composition_root_may_import_both():
    source = "from pipelines.load import load\nfrom dashboard import app\n"
    assert violations({COMPOSITION_ROOT: source}) == []
    assert violations({"vthmonitor/settings.py": source}) == [
        "vthmonitor/settings.py importeert dashboard",
        "vthmonitor/settings.py importeert pipelines",
    ]


def test_no_module_of_pipelines_is_imported_by_the_dashboard():
    dashboard = {p: s for p, s in project_sources().items() if p.startswith("dashboard/")}
    assert all("pipelines" not in imported_packages(s, p) for p, s in dashboard.items())


def test_pages_stay_thin_and_draw_charts_only_through_the_components():
    """docs/dashboard.md, "Opbouw van de code": no page over 300 lines and no Altair in a page;
    every chart is drawn by components.teken (cached spec, no schema check per run, and
    st.altair_chart would switch Altair's data transformer for all threads)."""
    pages = sorted((ROOT / "dashboard" / "app_pages").glob("*.py"))
    assert pages
    for page in pages:
        source = page.read_text()
        assert len(source.splitlines()) <= 300, page.name
        assert "altair" not in source, page.name
    for module in sorted((ROOT / "dashboard").rglob("*.py")):
        assert ".altair_chart(" not in module.read_text(), module
