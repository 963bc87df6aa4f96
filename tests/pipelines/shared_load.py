"""One load for many small bad files: every load builds the whole warehouse (about 2 s), so
tests that each offer one file and then only look at what became of that file share a load.

A module makes one `SharedLoad`, registers each test's file(s) at import time with `add` (the
content sits next to the test that asserts on it), and exposes `shared.fixture()` as a
module-scoped fixture. The first test that asks for it writes all files into one folder and
loads them with a single `load` call; each test then asserts on its own file only: its
FileResult (by name), its quarantine rows and its rows in raw and staging (by `bestand`).

Rules that keep this equivalent to one load per file:
- file names differ (the kind still comes from the name's prefix);
- keys differ between files of one kind, so no file re-delivers another file's rows;
- no file's content equals another's (a second copy would be 'al geladen');
- tests that look at the lake as a whole (landing, load ids, CURRENT) keep a load of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.load import FileResult, LoadReport, load
from vthmonitor.settings import Settings


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    report: LoadReport
    folder: Path  # where the offered files were written

    def file(self, name: str) -> FileResult:
        (result,) = [f for f in self.report.files if f.bestand == name]
        return result


class SharedLoad:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.files: dict[str, bytes | Callable[[Path], None]] = {}

    def add(
        self,
        name: str,
        content: list[str] | bytes | Callable[[Path], None],
        newline_at_end: bool = True,
    ) -> str:
        """Offer this file in the shared load; its name. `content` is lines (joined with \\n,
        UTF-8), bytes, or a function that writes the file at the path it is given (xlsx)."""
        assert name not in self.files, f"{name} is already in the shared load"
        if isinstance(content, list):
            text = "\n".join(content) + ("\n" if newline_at_end else "")
            content = text.encode("utf-8")
        assert content not in self.files.values(), f"{name}: same bytes as another file"
        self.files[name] = content
        return name

    def fixture(self):
        @pytest.fixture(scope="module")
        def shared(tmp_path_factory) -> Loaded:
            folder = tmp_path_factory.mktemp("shared_load")
            paths: list[Path] = []
            exports = folder / "exports"
            exports.mkdir()
            for name, content in self.files.items():
                path = exports / name
                if callable(content):
                    content(path)
                else:
                    path.write_bytes(content)
                paths.append(path)
            settings = Settings(lake_dir=folder / "lake", pseudonym_key_value="test")
            report = load(settings, paths, kind=None, today=self.today)
            return Loaded(settings, report, exports)

        return shared
