"""Subscriptions to the account-meeting report and to the alerts, and the KPI statuses the last
alert run saw (docs/rapport.md).

They live in the app-state database beside the users list: a load or a rebuild never touches
them. A subscription names a user of the users list (their identity is the e-mail address the
report goes to), never a free address: who gets what is decided at sending time by that user's
role and deelnemers as they are *then*, so a user switched off or moved to another municipality
stops receiving the old one's figures (docs/rapport.md, "Wie krijgt wat").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from vthmonitor.toegang import Toegang, ToegangFout, identiteit

# One plain address, nothing a mail header could read as a second one or a display name.
ADRES = re.compile(r"[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}")
SOORTEN = {"rapport": "Rapport (PDF, maandelijks)", "signalen": "Signalen (na elke lading)"}
PERIODE_TYPES = ("kwartaal", "maand", "jaar")


@dataclass(frozen=True)
class Abonnement:
    id: int
    identiteit: str
    soort: str  # rapport | signalen
    deelnemer_code: str | None  # signalen: None = every deelnemer the user may see
    periode_type: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Abonnementen:
    """The subscriptions of one app-state database, through the users list (Toegang)."""

    def __init__(self, toegang: Toegang):
        self.toegang = toegang
        self.state = toegang.state

    def toevoegen(
        self,
        ident: str,
        soort: str,
        deelnemer: str | None,
        door: tuple[str, str],
        bekende_deelnemers: Iterable[str],
        periode_type: str = "kwartaal",
    ) -> Abonnement:
        """Subscribe a user of the users list. A report is always for one deelnemer; the user
        must be allowed to see it (an accounthouder only their own). Subscribing again changes
        the type of period; it never makes a second subscription. `door`: (identity, role) of
        who does it, for the activity trail."""
        key = identiteit(ident)
        if not ADRES.fullmatch(key):
            raise ToegangFout(
                f"'{key}' is geen e-mailadres; een rapport of signaal gaat naar het e-mailadres "
                "waarmee iemand inlogt."
            )
        if soort not in SOORTEN:
            raise ToegangFout(f"onbekende soort '{soort}'; kies rapport of signalen.")
        if periode_type not in PERIODE_TYPES:
            raise ToegangFout(
                f"onbekende soort periode '{periode_type}'; kies kwartaal, maand of jaar."
            )
        gebruiker = self.toegang.gebruiker(key)
        if gebruiker is None or not gebruiker.actief:
            raise ToegangFout(
                f"{key} staat niet (actief) in de gebruikerslijst; voeg de gebruiker eerst toe "
                "op de pagina Beheer."
            )
        if soort == "rapport" and not deelnemer:
            raise ToegangFout("een rapport is voor één deelnemer; kies de deelnemer.")
        if deelnemer is not None:
            if deelnemer not in set(bekende_deelnemers):
                raise ToegangFout(f"onbekende deelnemer '{deelnemer[:40]}'.")
            if gebruiker.rol == "accounthouder" and deelnemer not in gebruiker.deelnemers:
                raise ToegangFout(
                    f"{key} is accounthouder van {', '.join(gebruiker.deelnemers)} en mag de "
                    f"cijfers van {deelnemer} niet ontvangen."
                )
        with self.state.transaction() as con:
            con.execute(
                "insert into abonnement (identiteit, soort, deelnemer_code, periode_type, "
                "aangemaakt_op, aangemaakt_door) values (?, ?, ?, ?, ?, ?) "
                "on conflict (identiteit, soort, deelnemer_code) do update "
                "set periode_type = excluded.periode_type",
                (key, soort, deelnemer, periode_type, _now(), door[0]),
            )
            # SQLite's unique constraint treats NULLs as distinct: one 'all deelnemers' alert
            # subscription per user is kept by hand
            if deelnemer is None:
                con.execute(
                    "delete from abonnement where identiteit = ? and soort = ? and "
                    "deelnemer_code is null and id not in (select min(id) from abonnement "
                    "where identiteit = ? and soort = ? and deelnemer_code is null)",
                    (key, soort, key, soort),
                )
        self.toegang.registreer(
            *door,
            "abonnement",
            deelnemers=[deelnemer] if deelnemer else [],
            omschrijving=f"{key} geabonneerd op {soort}"
            + (f" van {deelnemer}" if deelnemer else " (alle deelnemers die hij mag zien)"),
        )
        return next(
            a for a in self.lijst(key) if a.soort == soort and a.deelnemer_code == deelnemer
        )

    def verwijderen(
        self, abonnement_id: int, door: tuple[str, str], alleen_van: str | None = None
    ) -> bool:
        """End a subscription; `alleen_van`: only if it is this user's own (self-service)."""
        with self.state.transaction() as con:
            row = con.execute(
                "select identiteit, soort, deelnemer_code from abonnement where id = ?",
                (abonnement_id,),
            ).fetchone()
            if row is None or (alleen_van is not None and row[0] != alleen_van):
                return False
            con.execute("delete from abonnement where id = ?", (abonnement_id,))
        self.toegang.registreer(
            *door,
            "abonnement",
            deelnemers=[row[2]] if row[2] else [],
            omschrijving=f"abonnement van {row[0]} op {row[1]} beëindigd",
        )
        return True

    def lijst(self, ident: str | None = None, soort: str | None = None) -> list[Abonnement]:
        sql = "select id, identiteit, soort, deelnemer_code, periode_type from abonnement"
        where, params = [], []
        if ident is not None:
            where.append("identiteit = ?")
            params.append(ident.strip().lower())
        if soort is not None:
            where.append("soort = ?")
            params.append(soort)
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by identiteit, soort, deelnemer_code"
        with self.state.transaction() as con:
            return [Abonnement(*row) for row in con.execute(sql, params).fetchall()]

    def tabel(self) -> pl.DataFrame:
        """Every subscription, for the Beheer page."""
        with self.state.transaction() as con:
            rows = con.execute(
                "select id, identiteit, soort, deelnemer_code, periode_type, aangemaakt_op, "
                "aangemaakt_door from abonnement order by identiteit, soort, deelnemer_code"
            ).fetchall()
        schema = {
            "id": pl.Int64,
            "identiteit": pl.String,
            "soort": pl.String,
            "deelnemer_code": pl.String,
            "periode_type": pl.String,
            "aangemaakt_op": pl.String,
            "aangemaakt_door": pl.String,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    # --- the statuses of the last alert run ------------------------------------------------------
    def vorige_statussen(self) -> pl.DataFrame | None:
        """The statuses the last alert run saw (None before the first run: nothing to compare)."""
        with self.state.transaction() as con:
            rows = con.execute(
                "select kpi_id, deelnemer_code, periode_type, periode, status, waarde, build_id "
                "from kpi_status"
            ).fetchall()
            gezien = con.execute("select laatst from onderhoud where naam = 'signalen'").fetchone()
        if gezien is None:
            return None
        return pl.DataFrame(
            rows,
            schema={
                "kpi_id": pl.String,
                "deelnemer_code": pl.String,
                "periode_type": pl.String,
                "periode": pl.String,
                "status": pl.String,
                "waarde": pl.Float64,
                "build_id": pl.String,
            },
            orient="row",
        )

    def statussen_vergeten(self) -> None:
        """Forget the remembered statuses: the next run compares with the previous build."""
        with self.state.transaction() as con:
            con.execute("delete from kpi_status")
            con.execute("delete from onderhoud where naam = 'signalen'")

    def statussen_opslaan(self, statussen: pl.DataFrame, build_id: str) -> None:
        """Replace the remembered statuses by those of this build, in one transaction."""
        with self.state.transaction() as con:
            con.execute("delete from kpi_status")
            con.executemany(
                "insert into kpi_status (kpi_id, deelnemer_code, periode_type, periode, status, "
                "waarde, build_id) values (?, ?, ?, ?, ?, ?, ?)",
                [
                    (*row, build_id)
                    for row in statussen.select(
                        "kpi_id", "deelnemer_code", "periode_type", "periode", "status", "waarde"
                    ).iter_rows()
                ],
            )
            con.execute(
                "insert into onderhoud (naam, laatst) values ('signalen', ?) "
                "on conflict (naam) do update set laatst = excluded.laatst",
                (build_id,),
            )
