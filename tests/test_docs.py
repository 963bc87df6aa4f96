"""The repository documents itself: nothing cites a document outside it (docs/README.md).

- No comment, caption, reference row or README line cites the customer's documents by their
  intake number or the design notes that lived outside the repository; the documents are named
  by title (docs/domein.md, Bronnen) and the notes are now docs/*.md.
- Every pitfall cited in code ("valkuil N", "docs/valkuilen.md §N") is a numbered section of
  docs/valkuilen.md.
- Every docs/*.md that code, reference data or the README points at exists, and so does every
  page a document in docs/ links to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SUFFIXES = {".py", ".sql", ".md", ".csv", ".toml"}
# Not the project's text: the environment, git, the data lake and test output. Of lake/ only
# the README is in the repository.
SKIP_TOP = {".venv", ".git", "lake", "test-artifacts"}
SKIP_ANYWHERE = {"__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"}

# Written in pieces so this file does not match itself.
SEED = "seed" + " 0"
OUTSIDE = ("shared" + "/design", "shared" + "/seeds", "../" + "shared/")
# The old design notes by name; in code and data only (docs/ may link its own pages by name).
OLD_NOTES = re.compile(
    r"(?<![\w/.-])(?:data-contract|architecture|pitfalls|quality|domain|kpis)\.md\b"
)
UNNUMBERED_PITFALL = re.compile(r"\bpitfalls?\s+\d", re.IGNORECASE)
CODE_AND_DATA = {".py", ".sql", ".csv", ".toml"}

# "valkuil 3", "valkuilen 1, 2 en 6", "valkuil 3 and 6", "docs/valkuilen.md §1, §2, §6"
CITED_BY_WORD = re.compile(r"\bvalkuil(?:en)?\s+(\d+(?:\s*(?:,|en|and)\s*\d+)*)", re.IGNORECASE)
CITED_BY_SECTION = re.compile(r"valkuilen\.md\s*((?:§\s*\d+\s*,?\s*)+)")
HEADING = re.compile(r"^## (\d+)\. \S", re.MULTILINE)
DOCS_LINK = re.compile(r"\bdocs/([\w.-]+\.md)\b")
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")


def project_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in SKIP_TOP and rel != Path("lake/README.md"):
            continue
        if SKIP_ANYWHERE & set(rel.parts) or not path.is_file():
            continue
        if path.suffix in SUFFIXES:
            yield path


FILES = list(project_files())


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def where(path: Path, source: str, index: int) -> str:
    line = source.count("\n", 0, index) + 1
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_walk_sees_the_project():
    # Guards every check below against passing on an empty or wrong file list.
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert {"README.md", "docs/valkuilen.md", "sql/kpi/waarden.sql"} <= names
    assert any(name.endswith("kpi_catalogus.csv") for name in names)
    assert not any(name.startswith((".venv/", ".git/")) for name in names)


def test_nothing_cites_documents_outside_the_repository():
    found = []
    for path in FILES:
        source = text(path)
        lowered = source.lower()
        for needle in (SEED, *OUTSIDE):
            start = lowered.find(needle)
            while start != -1:
                found.append(f"{where(path, source, start)}: '{needle}'")
                start = lowered.find(needle, start + 1)
        for match in UNNUMBERED_PITFALL.finditer(source):
            found.append(f"{where(path, source, match.start())}: '{match.group()}' (cite valkuil)")
        if path.suffix in CODE_AND_DATA:
            for match in OLD_NOTES.finditer(source):
                found.append(f"{where(path, source, match.start())}: '{match.group()}' (docs/...)")
    assert not found, "verwijzingen naar documenten buiten de repository:\n" + "\n".join(found)


def valkuil_sections() -> list[int]:
    return [int(n) for n in HEADING.findall(text(DOCS / "valkuilen.md"))]


def test_valkuilen_are_numbered_from_one_without_gaps():
    sections = valkuil_sections()
    assert sections == list(range(1, len(sections) + 1))
    assert len(sections) >= 10  # the numbering the code has cited since the first pitfalls


def cited_valkuilen() -> list[tuple[str, int]]:
    cited = []
    for path in FILES:
        if path == DOCS / "valkuilen.md":
            continue
        source = text(path)
        for pattern in (CITED_BY_WORD, CITED_BY_SECTION):
            for match in pattern.finditer(source):
                for number in re.findall(r"\d+", match.group(1)):
                    cited.append((where(path, source, match.start()), int(number)))
    return cited


def test_every_cited_valkuil_is_a_section_of_valkuilen_md():
    cited = cited_valkuilen()
    code = [c for c in cited if c[0].split(":")[0].endswith((".py", ".sql"))]
    assert len(code) >= 10, "the pattern no longer finds the citations in the code"
    sections = set(valkuil_sections())
    missing = [f"{at}: valkuil {n}" for at, n in cited if n not in sections]
    assert not missing, "valkuilen zonder sectie in docs/valkuilen.md:\n" + "\n".join(missing)


def test_every_docs_link_in_code_and_readme_exists():
    linked, missing = 0, []
    for path in FILES:
        if path.parent == DOCS:
            continue  # links between documents: next test
        source = text(path)
        for match in DOCS_LINK.finditer(source):
            linked += 1
            if not (DOCS / match.group(1)).is_file():
                missing.append(f"{where(path, source, match.start())}: docs/{match.group(1)}")
    assert linked >= 10, "the pattern no longer finds the docs/ links"
    assert not missing, "verwijzingen naar ontbrekende documenten:\n" + "\n".join(missing)


@pytest.mark.parametrize("doc", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_links_between_documents_exist(doc):
    source = text(doc)
    missing = [
        f"{where(doc, source, m.start())}: {m.group(1)}"
        for m in MARKDOWN_LINK.finditer(source)
        if not (doc.parent / m.group(1)).resolve().is_file()
    ]
    assert not missing, "\n".join(missing)


def test_the_index_lists_every_document():
    index = text(DOCS / "README.md")
    listed = set(MARKDOWN_LINK.findall(index))
    documents = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert documents <= listed, f"niet in docs/README.md: {sorted(documents - listed)}"
