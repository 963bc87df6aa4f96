"""Typed settings, read from the environment once (no scattered os.environ reads).

Everything has a local default, so a fresh clone runs without configuration:
- VTHMONITOR_LAKE: the lake folder (default `lake/` in the working directory; `--lake` overrides).
- VTHMONITOR_PSEUDONYM_KEY: the key of the keyed hash for personal data. Without it a random
  demo key is generated once and kept in `~/.config/vthmonitor/pseudoniem.key`, outside the lake
  and the repository (a rebuild from raw never needs it: raw holds pseudonyms only).
- VTHMONITOR_KOPPELINGEN: a TOML file that maps an organisation's export column names to the
  canonical ones, per source (see pipelines/mappings/powerbrowser.toml for the shipped defaults).
- VTHMONITOR_REFERENTIE: the folder with the reference data (default `reference/` in the
  project; reference/README.md says who edits which file). A change there is published by the
  next `vthmonitor load`.
- VTHMONITOR_MEMORY_LIMIT: DuckDB memory limit for the warehouse build (default 1GB).
- The analysts' SQL workbench (dashboard page and `vthmonitor sql`, see werkbank/sandbox.py):
  VTHMONITOR_SQL_TIJDSLIMIET (seconds per query, default 10), VTHMONITOR_SQL_MAX_RIJEN (rows a
  query returns at most, shown on the page, default 10000), VTHMONITOR_SQL_EXPORT_MAX_RIJEN (rows
  a CSV or Parquet download of the dashboard's workbench holds at most, default 1000000: such a
  download runs the query again and streams it to the file, docs/sql-werkbank.md; never below
  the first limit), VTHMONITOR_SQL_GEHEUGEN (DuckDB memory limit of the process's reader of the
  published warehouse, default 2GB; the dashboard shares that reader).
- VTHMONITOR_APP_GEHEUGEN: the address-space limit of the app process (`vthmonitor serve`) and
  of `vthmonitor sql`, default 8GB. DuckDB's memory limit does not count every allocation (huge
  strings, some functions): with this limit such a query fails with a memory error instead of
  the kernel killing the whole app.
- VTHMONITOR_SQL_WERKER_GEHEUGEN: the address-space limit of each workbench query's own worker
  process (werkbank/worker.py), default 4GB: a query that allocates more, inside or outside
  DuckDB's accounting, fails with a memory message in its worker; the app is not affected.
- VTHMONITOR_APP_STATE: the app-state database (saved queries, audit log of ad-hoc SQL, the
  users list and the activity trail); default `<lake>/app/werkbank.sqlite3`. It is not part of
  the published warehouse, so a load or a rebuild never touches it.
- VTHMONITOR_BEHEERDER: the e-mail address (as the identity provider gives it) of the bootstrap
  beheerder, who always has access and adds the other users on the Beheer page
  (docs/toegang.md). Only used when a login provider is configured.
- VTHMONITOR_DEMO: "1" lets the app run in demo mode (fixed demo users, no login) when no login
  provider is configured; `make run` sets it. Without it, an app without a provider shows no
  data: a missing or unreadable secrets file never opens the app to anyone (docs/toegang.md).
- VTHMONITOR_INLOG_UREN: after how many hours a login must be renewed (default 12): Streamlit's
  login cookie lasts 30 days, and someone switched off at the identity provider must not keep
  access that long.
- VTHMONITOR_AUDIT_BEWAARDAGEN: how many days the activity trail and the workbench's audit log
  are kept (default 400: a year and the month before it; at most 3650); older lines are removed
  by themselves, at most once a day.
- E-mail of reports and alerts (`vthmonitor verzend`, `vthmonitor signaleer`; docs/rapport.md):
  VTHMONITOR_SMTP_HOST (without it nothing is sent), VTHMONITOR_SMTP_PORT (default 587 with
  starttls, 465 with ssl, 25 without), VTHMONITOR_SMTP_TLS (starttls, ssl or geen; default
  starttls), VTHMONITOR_SMTP_AFZENDER (the From address), VTHMONITOR_SMTP_GEBRUIKER and
  VTHMONITOR_SMTP_WACHTWOORD (only when the server asks for a login).
- VTHMONITOR_APP_URL: the address users open the dashboard at (default http://localhost:8501),
  for the links in alerts.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SQL_DIR = PROJECT_DIR / "sql"
# Reference data the beheerder edits (reference/README.md); part of the definition hash, so a
# change is published by the next load.
REFERENCE_DIR = PROJECT_DIR / "reference"
# One configuration for every reader of a warehouse file in a process (docs/valkuilen.md §6),
# so connections opened without settings (tests, the build's peek) use this default too.
DEFAULT_READER_MEMORY = "2GB"
# A workbench query's worker: DuckDB's reader limit plus the process itself (~1 GB of address
# space for Python, DuckDB and Arrow) plus room for a 256 MB result and its Arrow copy.
DEFAULT_SQL_WORKER_MEMORY = "4GB"


# Retention of the activity trail is capped at ten years (a larger number meant "forever").
MAX_BEWAARDAGEN = 3650


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


SMTP_TLS = {"starttls": 587, "ssl": 465, "geen": 25}


def _smtp(env: Mapping[str, str]) -> dict:
    tls = (env.get("VTHMONITOR_SMTP_TLS") or "starttls").strip().lower()
    if tls not in SMTP_TLS:
        raise SettingsError(f"VTHMONITOR_SMTP_TLS={tls[:20]!r}: kies starttls, ssl of geen.")
    afzender = (env.get("VTHMONITOR_SMTP_AFZENDER") or "").strip()
    if afzender and ("@" not in afzender or any(c in afzender for c in "\r\n")):
        raise SettingsError(f"VTHMONITOR_SMTP_AFZENDER={afzender[:60]!r} is geen e-mailadres.")
    return {
        "smtp_host": (env.get("VTHMONITOR_SMTP_HOST") or "").strip() or None,
        "smtp_port": int(_number(env, "VTHMONITOR_SMTP_PORT", SMTP_TLS[tls], int)),
        "smtp_tls": tls,
        "smtp_afzender": afzender or "vth-monitor@localhost",
        "smtp_gebruiker": (env.get("VTHMONITOR_SMTP_GEBRUIKER") or "").strip() or None,
        "smtp_wachtwoord": env.get("VTHMONITOR_SMTP_WACHTWOORD") or None,
        "app_url": (env.get("VTHMONITOR_APP_URL") or "http://localhost:8501").strip().rstrip("/"),
    }


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
    sql_export_max_rows: int = 1_000_000
    reader_memory_limit: str = DEFAULT_READER_MEMORY
    app_state_override: Path | None = None
    app_memory_limit: str = "8GB"
    sql_worker_memory_limit: str = DEFAULT_SQL_WORKER_MEMORY
    beheerder_bootstrap: str | None = None  # lowercased e-mail
    audit_bewaardagen: int = 400
    demo: bool = False
    inlog_uren: float = 12.0
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_tls: str = "starttls"  # starttls | ssl | geen
    smtp_afzender: str = "vth-monitor@localhost"
    smtp_gebruiker: str | None = None
    smtp_wachtwoord: str | None = field(default=None, repr=False)
    app_url: str = "http://localhost:8501"

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
        reference = env.get("VTHMONITOR_REFERENTIE")
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
            sql_export_max_rows=int(
                _number(env, "VTHMONITOR_SQL_EXPORT_MAX_RIJEN", 1_000_000, int)
            ),
            reader_memory_limit=_size(env, "VTHMONITOR_SQL_GEHEUGEN", DEFAULT_READER_MEMORY),
            app_memory_limit=_size(env, "VTHMONITOR_APP_GEHEUGEN", "8GB"),
            sql_worker_memory_limit=_size(
                env, "VTHMONITOR_SQL_WERKER_GEHEUGEN", DEFAULT_SQL_WORKER_MEMORY
            ),
            app_state_override=Path(state).resolve() if state else None,
            reference_dir=Path(reference).resolve() if reference else REFERENCE_DIR,
            beheerder_bootstrap=(env.get("VTHMONITOR_BEHEERDER") or "").strip().lower() or None,
            audit_bewaardagen=min(
                int(_number(env, "VTHMONITOR_AUDIT_BEWAARDAGEN", 400, int)), MAX_BEWAARDAGEN
            ),
            demo=(env.get("VTHMONITOR_DEMO") or "").strip().lower() in ("1", "ja", "true"),
            inlog_uren=_number(env, "VTHMONITOR_INLOG_UREN", 12.0),
            **_smtp(env),
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
