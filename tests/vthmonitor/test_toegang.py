"""The users list and the activity trail in the app-state database (docs/toegang.md)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

import pytest

from vthmonitor.toegang import Gebruiker, Toegang, ToegangFout, identiteit
from vthmonitor.werkbank.app_state import AppState, Uitvoering

KNOWN = ["GM0153", "GM0164", "GM0141"]


@pytest.fixture
def toegang(settings) -> Toegang:
    return Toegang(replace(settings, beheerder_bootstrap="baas@odtwente.nl"))


def test_identity_is_trimmed_and_lowercased_and_must_look_like_one():
    assert identiteit("  Anna.de.Vries@ODTwente.nl ") == "anna.de.vries@odtwente.nl"
    assert identiteit("00u1ab-CD") == "00u1ab-cd"  # a subject claim
    for bad in ("", "anna de vries", "a@b", "x" * 300, "'; drop table gebruiker; --"):
        with pytest.raises(ToegangFout):
            identiteit(bad)


def test_a_saved_user_comes_back_with_role_and_deelnemers(toegang):
    toegang.opslaan(
        Gebruiker("Ank@OdTwente.nl", "Ank", "accounthouder", ("GM0164", "GM0153")), "baas", KNOWN
    )
    assert toegang.gebruiker("ank@odtwente.nl") == Gebruiker(
        "ank@odtwente.nl", "Ank", "accounthouder", ("GM0153", "GM0164"), True
    )
    assert toegang.gebruiker("ANK@odtwente.nl").rol == "accounthouder"
    assert toegang.gebruiker("iemand@odtwente.nl") is None


def test_changing_a_user_replaces_role_and_deelnemers(toegang):
    toegang.opslaan(Gebruiker("ank@odtwente.nl", "Ank", "accounthouder", ("GM0164",)), "b", KNOWN)
    toegang.opslaan(Gebruiker("ank@odtwente.nl", "Ank", "mt", ("GM0164",), False), "b", KNOWN)
    assert toegang.gebruiker("ank@odtwente.nl") == Gebruiker(
        "ank@odtwente.nl", "Ank", "mt", (), False
    )
    lijst = toegang.gebruikers()
    assert lijst.select("identiteit", "rol", "deelnemers", "actief").rows() == [
        ("ank@odtwente.nl", "mt", "", False)
    ]


@pytest.mark.parametrize(
    ("gebruiker", "message"),
    [
        (Gebruiker("a@odtwente.nl", "A", "accounthouder"), "ten minste één deelnemer"),
        (Gebruiker("a@odtwente.nl", "A", "accounthouder", ("GM9999",)), "onbekende deelnemer"),
        (Gebruiker("a@odtwente.nl", "A", "koning"), "onbekende rol 'koning'"),
        (Gebruiker("geen adres", "A", "mt"), "geen e-mailadres"),
    ],
)
def test_an_impossible_user_is_refused_in_dutch(toegang, gebruiker, message):
    with pytest.raises(ToegangFout, match=message):
        toegang.opslaan(gebruiker, "baas", KNOWN)
    assert toegang.gebruikers().height == 0


def test_the_bootstrap_beheerder_always_has_access(toegang):
    assert toegang.gebruiker("Baas@odtwente.nl").rol == "beheerder"
    # even when the list says otherwise
    toegang.opslaan(Gebruiker("baas@odtwente.nl", "Baas", "mt", (), False), "x", KNOWN)
    assert toegang.gebruiker("baas@odtwente.nl") == Gebruiker(
        "baas@odtwente.nl", "Beheerder (configuratie)", "beheerder"
    )


def test_the_trail_holds_actions_and_workbench_queries_and_filters_them(toegang):
    toegang.registreer("ank@odtwente.nl", "accounthouder", "inloggen")
    toegang.registreer(
        "ank@odtwente.nl",
        "accounthouder",
        "download",
        pagina="Deelnemer",
        deelnemers=["GM0153"],
        omschrijving="klachten.csv",
        rijen=12,
    )
    toegang.registreer("mt@odtwente.nl", "mt", "download", deelnemers=["GM0164", "GM0153"])
    toegang.registreer("mt@odtwente.nl", "mt", "download", deelnemers=["GM01530"])
    toegang.state.log(Uitvoering("Anna", "analist", "app", "select 1", "ok", rijen=1))
    alles = toegang.activiteit()
    assert alles["actie"].to_list() == ["query", "download", "download", "download", "inloggen"]
    assert alles["gebruiker"][0] == "anna"
    enschede = toegang.activiteit(actie="download", deelnemer="GM0153")
    assert enschede.select("gebruiker", "deelnemers", "rijen").rows() == [
        ("mt@odtwente.nl", "GM0153,GM0164", None),
        ("ank@odtwente.nl", "GM0153", 12),
    ]
    assert toegang.activiteit(gebruiker="ANK@odtwente.nl")["actie"].to_list() == [
        "download",
        "inloggen",
    ]
    now = dt.datetime.now(dt.UTC)
    assert toegang.activiteit(tot=now - dt.timedelta(hours=1)).height == 0
    assert toegang.activiteit(vanaf=now - dt.timedelta(hours=1)).height == 5


def test_old_lines_are_purged_by_themselves_once_a_day(toegang):
    state: AppState = toegang.state
    with sqlite3.connect(state.path) as con:
        con.execute(
            "insert into activiteit (tijdstip, gebruiker, rol, actie) values "
            "('2020-01-01T00:00:00.000+00:00', 'oud', 'mt', 'inloggen')"
        )
        # a run left 'bezig' (its process was killed) goes one day after the others
        net_binnen = (
            dt.datetime.now(dt.UTC)
            - dt.timedelta(days=toegang.settings.audit_bewaardagen, hours=12)
        ).isoformat(timespec="milliseconds")
        con.execute(
            "insert into auditlog (tijdstip, gebruiker, rol, kanaal, sql, status) values "
            "('2020-01-01T00:00:00.000+00:00', 'oud', 'analist', 'app', 'select 1', 'ok'), "
            "('2020-01-01T00:00:00.000+00:00', 'oud', 'analist', 'app', 'select 2', 'bezig'), "
            "(?, 'bijna', 'analist', 'app', 'select 3', 'bezig')",
            (net_binnen,),
        )
    toegang.registreer("nieuw@odtwente.nl", "mt", "inloggen")  # purges (first time today)
    assert toegang.activiteit()["gebruiker"].to_list() == ["nieuw@odtwente.nl", "bijna"]
    with sqlite3.connect(state.path) as con:
        con.execute(
            "insert into activiteit (tijdstip, gebruiker, rol, actie) values "
            "('2020-01-01T00:00:00.000+00:00', 'oud2', 'mt', 'inloggen')"
        )
    toegang.registreer("nieuw@odtwente.nl", "mt", "uitloggen")  # purged today already
    assert "oud2" in toegang.activiteit()["gebruiker"].to_list()
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=1)
    assert toegang.opschonen(nu=tomorrow) == 2  # oud2, and 'bijna' a day after its time
    assert toegang.activiteit()["gebruiker"].to_list() == ["nieuw@odtwente.nl"] * 2


def test_an_ad_hoc_result_counts_for_every_deelnemer_and_cli_runs_are_marked(toegang):
    toegang.registreer("anna", "analist", "download", deelnemers=["*"], omschrijving="q.csv")
    toegang.registreer("bert", "analist", "download", deelnemers=["GM0164"])
    assert toegang.activiteit(deelnemer="GM0153")["gebruiker"].to_list() == ["anna"]
    toegang.state.log(Uitvoering("root", "cli", "cli", "select 1", "ok"))
    assert toegang.activiteit(actie="query")["pagina"][0].startswith("vthmonitor sql")


def test_retention_comes_from_the_setting(toegang):
    short = Toegang(replace(toegang.settings, audit_bewaardagen=1), toegang.state)
    short.registreer("a@odtwente.nl", "mt", "inloggen")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert short.opschonen(nu=later, force=True) == 1
    assert short.activiteit().height == 0
