"""The organisation's export mapping: which export column is which contract column.

The shipped file `pipelines/mappings/powerbrowser.toml` holds PowerBrowser's defaults; an
organisation adds its own with VTHMONITOR_KOPPELINGEN (docs/invoer.md). Besides column aliases
per source it may admit extra columns into raw (`[extra_kolommen]`) and name the sheet of a
workbook (`[bladen]`). Everything in it is checked when it is read, because the names reach SQL.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.contract import SOURCES
from pipelines.parse import looks_personal, normalise_name
from vthmonitor.settings import Settings, SettingsError

DEFAULT_MAPPING = Path(__file__).resolve().parent / "mappings" / "powerbrowser.toml"

# A column name that may reach the raw layer or SQL: lower case ASCII, digits and `_`, starting
# with a letter. Names in the mapping file are checked against it when it is read; names in an
# export never need to be, because only contract columns and admitted extras reach raw
# (docs/invoer.md, "Kolommen").
SAFE_COLUMN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Tables of the mapping file that are not a source's column aliases.
_EXTRA_TABLE, _SHEET_TABLE, _STAND_TABLE = "extra_kolommen", "bladen", "stand_per"


@dataclass(frozen=True)
class ExportMapping:
    """How an organisation's exports map onto the data contract (docs/invoer.md):

    - aliases: per source, normalised export column name -> canonical column name;
    - extra_columns: per source, the unknown columns admitted into raw (as text); every other
      unknown column stays in the landing zone only, because it may hold personal data;
    - sheets: per source, the name of the Excel sheet to read when a workbook has several;
    - stand_per: per source, the snapshot date of its exports when their file names carry none
      (a file name's date and --stand-per win; docs/invoer.md, "Stand per").
    """

    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    extra_columns: dict[str, frozenset[str]] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)
    stand_per: dict[str, dt.date] = field(default_factory=dict)

    @classmethod
    def from_files(cls, paths: list[Path | None]) -> ExportMapping:
        aliases: dict[str, dict[str, str]] = {}
        extras: dict[str, set[str]] = {}
        sheets: dict[str, str] = {}
        stands: dict[str, dt.date] = {}
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
                elif table == _STAND_TABLE:
                    for source, value in content.items():
                        if source not in SOURCES:
                            raise bad(f"onbekende bron '{source}' in [{_STAND_TABLE}]")
                        stands[source] = _stand_value(
                            value,
                            bad(
                                f"[{_STAND_TABLE}] {source} moet een datum zijn (bijv. 2025-08-31)"
                            ),
                        )
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
                        f"[{_EXTRA_TABLE}], [{_SHEET_TABLE}] of [{_STAND_TABLE}]"
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
        return cls(aliases, {k: frozenset(v) for k, v in extras.items()}, sheets, stands)


def _stand_value(value: object, error: SettingsError) -> dt.date:
    """A TOML date (2025-08-31) or the same as text; a date and time is not a snapshot date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise error


def export_mapping(settings: Settings) -> ExportMapping:
    """The shipped mapping file with the organisation's own (VTHMONITOR_KOPPELINGEN) on top."""
    return ExportMapping.from_files([DEFAULT_MAPPING, settings.mapping_file])
