"""Who is looking: identity, role and deelnemers. Scoping is enforced in dashboard/data/, not in
widgets; who the viewer is comes from the login or demo mode (dashboard/inlog.py), never from
a query parameter or a widget value the browser could forge (docs/toegang.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vthmonitor.toegang import ROLLEN

Role = Literal["accounthouder", "mt", "analist", "beheerder"]

ROLES: dict[str, str] = ROLLEN


@dataclass(frozen=True)
class Viewer:
    role: Role
    deelnemers: tuple[str, ...] = ()  # CBS codes an accounthouder may see; others see all
    # Who this is (the identity of the login, or the demo user), for the activity trail, the
    # audit log, saved queries and history of the SQL workbench; `naam` is shown in the sidebar.
    gebruiker: str = ""
    naam: str = ""

    @property
    def sees_all(self) -> bool:
        return self.role != "accounthouder"

    @property
    def sees_internal(self) -> bool:
        """The TOP-X list of establishments with most complaints is internal (Zelfevaluatie
        OD Twente 2024; docs/domein.md, TOP-X)."""
        return self.role in ("mt", "analist")

    @property
    def runs_sql(self) -> bool:
        """Only analysts use the SQL workbench (docs/domein.md): ad-hoc SQL sees every deelnemer."""
        return self.role == "analist"

    @property
    def sees_audit_log(self) -> bool:
        """The beheerder oversees who ran which ad-hoc query and keeps the users list."""
        return self.role == "beheerder"

    def label(self, names: dict[str, str]) -> str:
        if self.sees_all:
            return ROLES[self.role]
        return f"{ROLES[self.role]} {', '.join(names.get(c, c) for c in self.deelnemers)}"


class ScopeError(PermissionError):
    """A viewer asked for a deelnemer outside their scope."""
