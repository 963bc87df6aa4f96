"""Who is looking: role and deelnemers. Scoping is enforced in dashboard/data.py, not in widgets.

Until login exists (st.login, OIDC: a later issue) the app runs in a clearly marked demo mode in
which one picks a role and, for an accounthouder, a deelnemer. The choice lives in the session
only: URL query parameters never change who you are or what you may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["accounthouder", "mt", "analist", "beheerder"]

ROLES: dict[str, str] = {
    "mt": "MT (management)",
    "accounthouder": "Accounthouder",
    "analist": "Analist",
    "beheerder": "Beheerder",
}


@dataclass(frozen=True)
class Viewer:
    role: Role
    deelnemers: tuple[str, ...] = ()  # CBS codes an accounthouder may see; others see all
    # Who this is, for the audit log, saved queries and history of the SQL workbench. In demo
    # mode a name typed in the sidebar; with a login (later) the identity from the provider.
    gebruiker: str = ""

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
        """The beheerder oversees who ran which ad-hoc query."""
        return self.role == "beheerder"

    def label(self, names: dict[str, str]) -> str:
        if self.sees_all:
            return ROLES[self.role]
        return f"{ROLES[self.role]} {', '.join(names.get(c, c) for c in self.deelnemers)}"


class ScopeError(PermissionError):
    """A viewer asked for a deelnemer outside their scope."""
