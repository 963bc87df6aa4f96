"""Typed settings, read from the environment once (no scattered os.environ reads).

Everything has a local default, so a fresh clone runs without configuration:
- VTHMONITOR_LAKE: the lake folder (default `lake/` in the working directory; `--lake` overrides).
- VTHMONITOR_PSEUDONYM_KEY: the key of the keyed hash for personal data. Without it a random
  demo key is generated once and kept in `~/.config/vthmonitor/pseudoniem.key`, outside the lake
  and the repository (a rebuild from raw never needs it: raw holds pseudonyms only).
- VTHMONITOR_KOPPELINGEN: a TOML file that maps an organisation's export column names to the
  canonical ones, per source (see pipelines/mappings/powerbrowser.toml for the shipped defaults).
- VTHMONITOR_MEMORY_LIMIT: DuckDB memory limit for the warehouse build (default 1GB).
- The analysts' SQL workbench (dashboard page and `vthmonitor sql`, see pipelines/sandbox.py):
  VTHMONITOR_SQL_TIJDSLIMIET (seconds per query, default 10), VTHMONITOR_SQL_MAX_RIJEN (rows a
  query returns at most, default 10000), VTHMONITOR_SQL_GEHEUGEN (DuckDB memory limit of the
  process's reader of the published warehouse, default 2GB; the dashboard shares that reader).
- VTHMONITOR_APP_GEHEUGEN: the address-space limit of the app process (`vthmonitor serve`) and
  of `vthmonitor sql`, default 8GB. DuckDB's memory limit does not count every allocation (huge
  strings, some functions): with this limit such a query fails with a memory error instead of
  the kernel killing the whole app.
- VTHMONITOR_SQL_WERKER_GEHEUGEN: the address-space limit of each workbench query's own worker
  process (pipelines/sql_worker.py), default 4GB: a query that allocates more, inside or outside
  DuckDB's accounting, fails with a memory message in its worker; the app is not affected.
- VTHMONITOR_APP_STATE: the app-state database (saved queries, audit log of ad-hoc SQL); default
  `<lake>/app/werkbank.sqlite3`. It is not part of the published warehouse, so a load or a
  rebuild never touches it.
"""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SQL_DIR = PROJECT_DIR / "sql"
REFERENCE_DIR = PACKAGE_DIR / "reference"
DEFAULT_MAPPING = PACKAGE_DIR / "mappings" / "powerbrowser.toml"
# One configuration for every reader of a warehouse file in a process (docs/valkuilen.md §6),
# so connections opened without settings (tests, the build's peek) use this default too.
DEFAULT_READER_MEMORY = "2GB"
# A workbench query's worker: DuckDB's reader limit plus the process itself (~1 GB of address
# space for Python, DuckDB and Arrow) plus room for a 256 MB result and its Arrow copy.
DEFAULT_SQL_WORKER_MEMORY = "4GB"


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used (Dutch message)."""


_UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def parse_size(text: str) -> int:
    """'8GB', '1500 MB', '2g' -> bytes (binary units, as DuckDB's memory_limit)."""
    cleaned = text.strip().upper().replace(" ", "").replace(",", ".")
    number = cleaned.rstrip("KMGTB")
    unit = cleaned[len(number) :]
    unit = unit if unit.endswith("B") or not unit else unit + "B"
    try:
        value = float(number) * _UNITS[unit]
    except (ValueError, KeyError):
        value = 0
    if value <= 0:
        raise SettingsError(
            f"'{text}' is geen geheugengrootte; schrijf bijvoorbeeld 8GB of 1500MB."
        )
    return int(value)


def _size(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        parse_size(raw)
    except SettingsError as exc:
        raise SettingsError(f"{name}: {exc}") from None
    return raw


def _number(env: Mapping[str, str], name: str, default: float, kind: type = float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw.strip().replace(",", "."))
    except ValueError:
        value = 0
    if value <= 0:
        raise SettingsError(
            f"{name}={raw!r} is geen geldig positief getal; pas de omgevingsvariabele aan of "
            "verwijder haar (dan geldt de standaardwaarde)."
        )
    return value


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
    sql_time_limit_s: float = 10.0
    sql_max_rows: int = 10_000
    reader_memory_limit: str = DEFAULT_READER_MEMORY
    app_state_override: Path | None = None
    app_memory_limit: str = "8GB"
    sql_worker_memory_limit: str = DEFAULT_SQL_WORKER_MEMORY

    @property
    def app_memory_bytes(self) -> int:
        return parse_size(self.app_memory_limit)

    @property
    def sql_worker_memory_bytes(self) -> int:
        return parse_size(self.sql_worker_memory_limit)

    @property
    def app_state_file(self) -> Path:
        return self.app_state_override or self.lake_dir / "app" / "werkbank.sqlite3"

    @classmethod
    def from_env(cls, lake: str | os.PathLike | None = None) -> Settings:
        env = os.environ
        mapping = env.get("VTHMONITOR_KOPPELINGEN")
        state = env.get("VTHMONITOR_APP_STATE")
        lake_dir = Path(lake or env.get("VTHMONITOR_LAKE") or "lake").resolve()
        if any(ch in str(lake_dir) for ch in "?\\"):
            # DuckDB reads '?' in a database path as the start of options and '\\' as a
            # folder separator: a warehouse there can never be opened.
            raise SettingsError(
                f"de map van de datalake ({lake_dir}) bevat een ? of \\; kies een map zonder "
                "die tekens (--lake of VTHMONITOR_LAKE)."
            )
        return cls(
            lake_dir=lake_dir,
            pseudonym_key_value=env.get("VTHMONITOR_PSEUDONYM_KEY") or None,
            mapping_file=Path(mapping) if mapping else None,
            memory_limit=_size(env, "VTHMONITOR_MEMORY_LIMIT", "1GB"),
            sql_time_limit_s=_number(env, "VTHMONITOR_SQL_TIJDSLIMIET", 10.0),
            sql_max_rows=int(_number(env, "VTHMONITOR_SQL_MAX_RIJEN", 10_000, int)),
            reader_memory_limit=_size(env, "VTHMONITOR_SQL_GEHEUGEN", DEFAULT_READER_MEMORY),
            app_memory_limit=_size(env, "VTHMONITOR_APP_GEHEUGEN", "8GB"),
            sql_worker_memory_limit=_size(
                env, "VTHMONITOR_SQL_WERKER_GEHEUGEN", DEFAULT_SQL_WORKER_MEMORY
            ),
            app_state_override=Path(state).resolve() if state else None,
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

    def export_mapping(self) -> ExportMapping:
        """The shipped mapping file with the organisation's own (VTHMONITOR_KOPPELINGEN) on top."""
        return ExportMapping.from_files([DEFAULT_MAPPING, self.mapping_file])

    def header_aliases(self) -> dict[str, dict[str, str]]:
        """source -> {normalised export column name: canonical name}."""
        return self.export_mapping().aliases


# A column name that may reach the raw layer or SQL: lower case ASCII, digits and `_`, starting
# with a letter. Names in the mapping file are checked against it when it is read; names in an
# export never need to be, because only contract columns and admitted extras reach raw
# (docs/invoer.md, "Kolommen").
SAFE_COLUMN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Tables of the mapping file that are not a source's column aliases.
_EXTRA_TABLE, _SHEET_TABLE = "extra_kolommen", "bladen"


@dataclass(frozen=True)
class ExportMapping:
    """How an organisation's exports map onto the data contract (docs/invoer.md):

    - aliases: per source, normalised export column name -> canonical column name;
    - extra_columns: per source, the unknown columns admitted into raw (as text); every other
      unknown column stays in the landing zone only, because it may hold personal data;
    - sheets: per source, the name of the Excel sheet to read when a workbook has several.
    """

    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    extra_columns: dict[str, frozenset[str]] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_files(cls, paths: list[Path | None]) -> ExportMapping:
        from pipelines.contract import SOURCES
        from pipelines.parse import looks_personal, normalise_name

        aliases: dict[str, dict[str, str]] = {}
        extras: dict[str, set[str]] = {}
        sheets: dict[str, str] = {}
        for path in paths:
            if path is None:
                continue
            try:
                with open(path, "rb") as fh:
                    data = tomllib.load(fh)
            except OSError as exc:
                raise SettingsError(
                    f"koppelbestand {path} kan niet worden gelezen ({exc.strerror}); controleer "
                    "VTHMONITOR_KOPPELINGEN."
                ) from None
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(
                    f"koppelbestand {path.name} is geen geldige TOML ({exc}); corrigeer het."
                ) from None
            except UnicodeDecodeError:
                raise SettingsError(
                    f"koppelbestand {path.name} is geen UTF-8-tekst; sla het op als UTF-8."
                ) from None

            def bad(what: str, _path: Path = path) -> SettingsError:
                return SettingsError(f"koppelbestand {_path.name}: {what}; corrigeer het bestand.")

            for table, content in data.items():
                if not isinstance(content, dict):
                    raise bad(f"'{table}' moet een tabel zijn ([{table}])")
                if table == _EXTRA_TABLE:
                    for source, names in content.items():
                        if source not in SOURCES:
                            raise bad(f"onbekende bron '{source}' in [{_EXTRA_TABLE}]")
                        if not isinstance(names, list) or not all(
                            isinstance(n, str) for n in names
                        ):
                            raise bad(f"[{_EXTRA_TABLE}] {source} moet een lijst met namen zijn")
                        for name in names:
                            norm = normalise_name(name)
                            if not SAFE_COLUMN_NAME.match(norm):
                                raise bad(
                                    f"extra kolom '{name}' van {source}: gebruik alleen kleine "
                                    "letters, cijfers en _, beginnend met een letter"
                                )
                            if looks_personal(norm):
                                raise bad(
                                    f"extra kolom '{name}' van {source} lijkt persoonsgegevens "
                                    "of vrije tekst te bevatten; zulke kolommen blijven altijd "
                                    "in de landing zone"
                                )
                            extras.setdefault(source, set()).add(norm)
                elif table == _SHEET_TABLE:
                    for source, sheet in content.items():
                        if source not in SOURCES:
                            raise bad(f"onbekende bron '{source}' in [{_SHEET_TABLE}]")
                        if not isinstance(sheet, str) or not sheet.strip():
                            raise bad(f"[{_SHEET_TABLE}] {source} moet de naam van een blad zijn")
                        sheets[source] = sheet
                elif table in SOURCES:
                    target = aliases.setdefault(table, {})
                    for export_name, canonical in content.items():
                        if not isinstance(canonical, str) or not SAFE_COLUMN_NAME.match(canonical):
                            raise bad(
                                f"[{table}] '{export_name}' verwijst naar '{canonical}'; een "
                                "kolomnaam bestaat uit kleine letters, cijfers en _"
                            )
                        target[normalise_name(export_name)] = canonical
                else:
                    raise bad(
                        f"onbekende tabel [{table}]; gebruik de naam van een bron, "
                        f"[{_EXTRA_TABLE}] of [{_SHEET_TABLE}]"
                    )
        # An alias may not bring a column that looks personal in under another name:
        # "Naam aanvrager" = "kenmerk" plus an admitted "kenmerk" would put names in raw.
        for source, mapping in aliases.items():
            contract = {c.name for c in SOURCES[source].columns}
            for export_name, canonical in mapping.items():
                if canonical not in contract and looks_personal(export_name):
                    raise SettingsError(
                        f"koppelbestand: [{source}] '{export_name}' lijkt persoonsgegevens te "
                        f"bevatten en mag niet als '{canonical}' worden overgenomen; zulke "
                        "kolommen blijven altijd in de landing zone. Corrigeer het bestand."
                    )
        return cls(aliases, {k: frozenset(v) for k, v in extras.items()}, sheets)
