"""Who may use the app, with which role and deelnemers, and what they did (docs/toegang.md).

The users list and the activity trail live in the app-state database (werkbank/app_state.py),
beside the saved queries: they must survive every load, rebuild and upgrade, and several
processes write to them. An identity is the e-mail claim of the ID token the identity provider
signed (the subject claim when there is no e-mail), lowercased; never a value the browser can
set. The beheerder keeps the list on the Beheer page; the bootstrap beheerder from
configuration (VTHMONITOR_BEHEERDER) always has access, so the list can never lock everyone out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from vthmonitor.settings import Settings
from vthmonitor.werkbank.app_state import AppState

ROLLEN: dict[str, str] = {
    "mt": "MT (management)",
    "accounthouder": "Accounthouder",
    "analist": "Analist",
    "beheerder": "Beheerder",
}

# What the activity trail records (docs/toegang.md, "Activiteitenlog").
# 'abonnement': a subscription made or ended; 'verzonden': a report or an alert e-mailed
# (docs/rapport.md).
ACTIES = (
    "inloggen",
    "uitloggen",
    "pagina",
    "download",
    "query",
    "geweigerd",
    "beheer",
    "abonnement",
    "verzonden",
)

_IDENTITY = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$|^[A-Za-z0-9._:|-]{1,200}$")
_TEXT_MAX = 500


class ToegangFout(ValueError):
    """A users-list change that cannot be made (Dutch message for the beheerder)."""


@dataclass(frozen=True)
class Gebruiker:
    identiteit: str  # lowercased e-mail (or subject claim)
    naam: str
    rol: str
    deelnemers: tuple[str, ...] = ()  # an accounthouder's deelnemers (CBS codes)
    actief: bool = True


def identiteit(value: str | None) -> str:
    """An identity as stored and compared: trimmed and lowercased. Raises ToegangFout for text
    that is no e-mail address and no subject identifier."""
    text = (value or "").strip().lower()
    if not _IDENTITY.match(text):
        raise ToegangFout(
            f"'{text[:80]}' is geen e-mailadres (zoals naam@odtwente.nl) en geen subject-id."
        )
    return text


def _now() -> str:  # the format of the workbench's audit log, so the two sort together
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Toegang:
    """The users list and the activity trail of one app-state database."""

    def __init__(self, settings: Settings, state: AppState | None = None):
        self.settings = settings
        self.state = state or AppState(settings.app_state_file)

    # --- users ---------------------------------------------------------------------------------
    def gebruiker(self, ident: str) -> Gebruiker | None:
        """The user with this identity, or None when unknown. The bootstrap beheerder is always
        an active beheerder, whatever the list says."""
        try:
            key = identiteit(ident)
        except ToegangFout:
            return None
        if self.settings.beheerder_bootstrap and key == self.settings.beheerder_bootstrap:
            return Gebruiker(key, "Beheerder (configuratie)", "beheerder")
        with self.state.transaction() as con:
            row = con.execute(
                "select identiteit, naam, rol, actief from gebruiker where identiteit = ?", (key,)
            ).fetchone()
            if row is None:
                return None
            codes = [
                r[0]
                for r in con.execute(
                    "select deelnemer_code from gebruiker_deelnemer where identiteit = ? "
                    "order by deelnemer_code",
                    (key,),
                )
            ]
        return Gebruiker(row[0], row[1], row[2], tuple(codes), bool(row[3]))

    def gebruikers(self) -> pl.DataFrame:
        """The users list for the Beheer page, deelnemers as one comma-separated text."""
        with self.state.transaction() as con:
            rows = con.execute(
                "select g.identiteit, g.naam, g.rol, "
                "coalesce(group_concat(d.deelnemer_code, ', '), ''), g.actief, "
                "g.gewijzigd_op, g.gewijzigd_door "
                "from gebruiker g left join gebruiker_deelnemer d using (identiteit) "
                "group by g.identiteit order by g.identiteit"
            ).fetchall()
        schema = {
            "identiteit": pl.String,
            "naam": pl.String,
            "rol": pl.String,
            "deelnemers": pl.String,
            "actief": pl.Boolean,
            "gewijzigd_op": pl.String,
            "gewijzigd_door": pl.String,
        }
        return pl.DataFrame(
            [(*r[:4], bool(r[4]), *r[5:]) for r in rows], schema=schema, orient="row"
        )

    def opslaan(self, gebruiker: Gebruiker, door: str, bekende_deelnemers: Iterable[str]) -> None:
        """Add or change a user. An accounthouder needs at least one deelnemer from the
        reference list; other roles see every deelnemer and keep none."""
        key = identiteit(gebruiker.identiteit)
        if gebruiker.rol not in ROLLEN:
            raise ToegangFout(f"onbekende rol '{gebruiker.rol}'; kies uit {', '.join(ROLLEN)}.")
        known = set(bekende_deelnemers)
        codes = sorted(set(gebruiker.deelnemers))
        if gebruiker.rol == "accounthouder":
            if not codes:
                raise ToegangFout("een accounthouder heeft ten minste één deelnemer nodig.")
            onbekend = [c for c in codes if c not in known]
            if onbekend:
                raise ToegangFout(f"onbekende deelnemer(s): {', '.join(onbekend)}.")
        else:
            codes = []
        naam = gebruiker.naam.strip()[:200]
        with self.state.transaction() as con:
            con.execute(
                "insert into gebruiker (identiteit, naam, rol, actief, gewijzigd_op, "
                "gewijzigd_door) values (?, ?, ?, ?, ?, ?) on conflict (identiteit) do update "
                "set naam = excluded.naam, rol = excluded.rol, actief = excluded.actief, "
                "gewijzigd_op = excluded.gewijzigd_op, gewijzigd_door = excluded.gewijzigd_door",
                (key, naam, gebruiker.rol, int(gebruiker.actief), _now(), door),
            )
            con.execute("delete from gebruiker_deelnemer where identiteit = ?", (key,))
            con.executemany(
                "insert into gebruiker_deelnemer (identiteit, deelnemer_code) values (?, ?)",
                [(key, c) for c in codes],
            )
        self.registreer(
            door,
            "beheerder",
            "beheer",
            omschrijving=(
                f"gebruiker {key} opgeslagen: rol {gebruiker.rol}"
                + (f", deelnemers {', '.join(codes)}" if codes else "")
                + ("" if gebruiker.actief else ", uitgeschakeld")
            ),
        )

    # --- activity trail ------------------------------------------------------------------------
    def registreer(
        self,
        gebruiker: str,
        rol: str,
        actie: str,
        *,
        pagina: str | None = None,
        deelnemers: Iterable[str] = (),
        selectie: dict | None = None,
        omschrijving: str | None = None,
        rijen: int | None = None,
    ) -> None:
        """Write one line of the activity trail (and purge old lines at most once a day)."""
        if actie not in ACTIES:
            raise ValueError(f"onbekende actie {actie!r}")
        with self.state.transaction() as con:
            con.execute(
                "insert into activiteit (tijdstip, gebruiker, rol, actie, pagina, deelnemers, "
                "selectie, omschrijving, rijen) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    gebruiker[:_TEXT_MAX],
                    rol,
                    actie,
                    (pagina or None) and pagina[:_TEXT_MAX],
                    ",".join(sorted(set(deelnemers)))[:_TEXT_MAX] or None,
                    json.dumps(selectie, ensure_ascii=False, default=str)[:_TEXT_MAX]
                    if selectie
                    else None,
                    (omschrijving or None) and omschrijving[:_TEXT_MAX],
                    rijen,
                ),
            )
        self.opschonen()

    def activiteit(
        self,
        gebruiker: str | None = None,
        actie: str | None = None,
        deelnemer: str | None = None,
        vanaf: dt.datetime | None = None,
        tot: dt.datetime | None = None,
        limiet: int = 10_000,
    ) -> pl.DataFrame:
        """The trail, newest first, filtered (all optional; `vanaf` <= tijdstip < `tot`, both
        timezone-aware).

        The ad-hoc SQL of the workbench has its own log (auditlog); its runs appear here as
        action 'query', so one list answers "who did what"."""
        where, params = [], []
        if gebruiker:
            where.append("gebruiker = ?")
            params.append(gebruiker.strip().lower())
        if actie:
            where.append("actie = ?")
            params.append(actie)
        if deelnemer:
            # '*': an ad-hoc result that can hold any deelnemer's rows (docs/toegang.md)
            where.append("((',' || coalesce(deelnemers, '') || ',') like ? or deelnemers = '*')")
            params.append(f"%,{deelnemer},%")
        if vanaf:
            where.append("tijdstip >= ?")
            params.append(vanaf.astimezone(dt.UTC).isoformat(timespec="milliseconds"))
        if tot:
            where.append("tijdstip < ?")
            params.append(tot.astimezone(dt.UTC).isoformat(timespec="milliseconds"))
        sql = (
            "select tijdstip, gebruiker, rol, actie, pagina, deelnemers, selectie, omschrijving, "
            "rijen from (select tijdstip, gebruiker, rol, actie, pagina, deelnemers, selectie, "
            "omschrijving, rijen, id * 2 as volgorde from activiteit union all "
            "select tijdstip, lower(gebruiker), rol, 'query', "
            "case kanaal when 'cli' then 'vthmonitor sql (gebruiker van het systeem)' "
            "else 'SQL-werkbank' end, null, null, "
            "status || ': ' || substr(sql, 1, 200), rijen, id * 2 + 1 from auditlog) "
            + ("where " + " and ".join(where) if where else "")
            + " order by tijdstip desc, volgorde desc limit ?"
        )
        params.append(limiet)
        schema = {
            "tijdstip": pl.String,
            "gebruiker": pl.String,
            "rol": pl.String,
            "actie": pl.String,
            "pagina": pl.String,
            "deelnemers": pl.String,
            "selectie": pl.String,
            "omschrijving": pl.String,
            "rijen": pl.Int64,
        }
        with self.state.transaction() as con:
            rows = con.execute(sql, params).fetchall()
        frame = pl.DataFrame(rows, schema=schema, orient="row")
        return frame.with_columns(
            pl.col("tijdstip").str.to_datetime(time_zone="UTC").alias("tijdstip")
        )

    def opschonen(self, nu: dt.datetime | None = None, force: bool = False) -> int:
        """Remove trail lines (and workbench audit rows) older than the retention setting.
        Runs by itself from `registreer`, at most once a day; returns the rows removed."""
        nu = nu or dt.datetime.now(dt.UTC)
        grens = (nu - dt.timedelta(days=self.settings.audit_bewaardagen)).isoformat(
            timespec="milliseconds"
        )
        with self.state.transaction() as con:
            last = con.execute("select laatst from onderhoud where naam = 'opschonen'").fetchone()
            if not force and last and last[0] > (nu - dt.timedelta(days=1)).isoformat():
                return 0
            removed = con.execute("delete from activiteit where tijdstip < ?", (grens,)).rowcount
            # a run left 'bezig' by a killed process goes a day after the others of its time
            removed += con.execute(
                "delete from auditlog where tijdstip < ? and (status != 'bezig' or tijdstip < ?)",
                (grens, (dt.datetime.fromisoformat(grens) - dt.timedelta(days=1)).isoformat()),
            ).rowcount
            con.execute(
                "insert into onderhoud (naam, laatst) values ('opschonen', ?) "
                "on conflict (naam) do update set laatst = excluded.laatst",
                (nu.isoformat(timespec="milliseconds"),),
            )
        return removed
