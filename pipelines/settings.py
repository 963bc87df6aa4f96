"""Typed settings, read from the environment once (no scattered os.environ reads).

Everything has a local default, so a fresh clone runs without configuration:
- VTHMONITOR_LAKE: the lake folder (default `lake/` in the working directory; `--lake` overrides).
- VTHMONITOR_PSEUDONYM_KEY: the key of the keyed hash for personal data. Without it a random
  demo key is generated once and kept in `~/.config/vthmonitor/pseudoniem.key`, outside the lake
  and the repository (a rebuild from raw never needs it: raw holds pseudonyms only).
- VTHMONITOR_KOPPELINGEN: a TOML file that maps an organisation's export column names to the
  canonical ones, per source (see pipelines/mappings/powerbrowser.toml for the shipped defaults).
- VTHMONITOR_MEMORY_LIMIT: DuckDB memory limit for the warehouse build (default 1GB).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SQL_DIR = PROJECT_DIR / "sql"
REFERENCE_DIR = PACKAGE_DIR / "reference"
DEFAULT_MAPPING = PACKAGE_DIR / "mappings" / "powerbrowser.toml"


@dataclass(frozen=True)
class Settings:
    lake_dir: Path
    pseudonym_key_value: str | None = None
    key_file: Path = field(
        default_factory=lambda: (
            Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
            / "vthmonitor"
            / "pseudoniem.key"
        )
    )
    mapping_file: Path | None = None
    memory_limit: str = "1GB"
    reference_dir: Path = REFERENCE_DIR

    @classmethod
    def from_env(cls, lake: str | os.PathLike | None = None) -> Settings:
        env = os.environ
        mapping = env.get("VTHMONITOR_KOPPELINGEN")
        return cls(
            lake_dir=Path(lake or env.get("VTHMONITOR_LAKE") or "lake").resolve(),
            pseudonym_key_value=env.get("VTHMONITOR_PSEUDONYM_KEY") or None,
            mapping_file=Path(mapping) if mapping else None,
            memory_limit=env.get("VTHMONITOR_MEMORY_LIMIT", "1GB"),
        )

    def pseudonym_key(self) -> bytes:
        if self.pseudonym_key_value:
            return self.pseudonym_key_value.encode()
        if not self.key_file.exists():
            self.key_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.key_file.with_suffix(".tmp")
            tmp.write_text(secrets.token_hex(32))
            tmp.chmod(0o600)
            os.replace(tmp, self.key_file)
        return self.key_file.read_text().strip().encode()

    def header_aliases(self) -> dict[str, dict[str, str]]:
        """source -> {normalised export column name: canonical name}; shipped defaults first,
        the organisation's own file (VTHMONITOR_KOPPELINGEN) on top."""
        from pipelines.parse import normalise_name

        merged: dict[str, dict[str, str]] = {}
        for path in (DEFAULT_MAPPING, self.mapping_file):
            if path is None:
                continue
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
            for source, mapping in data.items():
                target = merged.setdefault(source, {})
                for export_name, canonical in mapping.items():
                    target[normalise_name(export_name)] = canonical
        return merged
