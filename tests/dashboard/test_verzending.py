"""Subscriptions and alerts by e-mail (docs/rapport.md), received by a real SMTP server on
localhost (aiosmtpd) and read back as a mail client would."""

from __future__ import annotations

import email
import shutil
import socket
import subprocess
from email import policy
from pathlib import Path

import polars as pl
import pytest
from aiosmtpd.controller import Controller

from dashboard.rapport.verzending import veranderd
from tests.dashboard.test_rapport import warehouse
from vthmonitor.abonnementen import Abonnementen
from vthmonitor.cli import main
from vthmonitor.mail import MailFout, bericht
from vthmonitor.settings import Settings
from vthmonitor.toegang import Gebruiker, Toegang, ToegangFout

ANNA = "anna@hengelo.example"  # accounthouder Hengelo
ERIK = "erik@enschede.example"  # accounthouder Enschede
MARIA = "maria@odt.example"  # MT
OUD = "oud@odt.example"  # switched off


class _Inbox:
    def __init__(self) -> None:
        self.berichten: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        msg["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.berichten.append(msg)
        return "250 OK"

    def aan(self, adres: str) -> list[email.message.EmailMessage]:
        return [m for m in self.berichten if m["X-Envelope-To"] == adres]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(monkeypatch):
    box = _Inbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("VTHMONITOR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("VTHMONITOR_SMTP_PORT", str(port))
    monkeypatch.setenv("VTHMONITOR_SMTP_TLS", "geen")
    monkeypatch.setenv("VTHMONITOR_SMTP_AFZENDER", "vth-monitor@odt.example")
    monkeypatch.setenv("VTHMONITOR_APP_URL", "https://monitor.odt.example")
    yield box
    controller.stop()


@pytest.fixture
def gebruikers(private_lake) -> Settings:
    settings = Settings.from_env()
    toegang = Toegang(settings)
    codes = ["GM0164", "GM0153"]
    for g in (
        Gebruiker(ANNA, "Anna", "accounthouder", ("GM0164",)),
        Gebruiker(ERIK, "Erik", "accounthouder", ("GM0153",)),
        Gebruiker(MARIA, "Maria", "mt"),
        Gebruiker(OUD, "Oud", "accounthouder", ("GM0164",)),
    ):
        toegang.opslaan(g, "test", codes)
    return settings


def _abonneer(settings: Settings, email_: str, soort: str, deelnemer: str | None) -> list[str]:
    args = ["abonnement", "toevoegen", "--email", email_, "--soort", soort]
    args += ["--deelnemer", deelnemer] if deelnemer else []
    return args + ["--lake", str(settings.lake_dir)]


def _pdf_text(inhoud: bytes, tmp_path: Path) -> str:
    path = tmp_path / "bijlage.pdf"
    path.write_bytes(inhoud)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def test_each_subscriber_gets_exactly_their_own_deelnemers_report(
    gebruikers, inbox, tmp_path, capsys
):
    lake = str(gebruikers.lake_dir)
    assert main(_abonneer(gebruikers, ANNA, "rapport", "GM0164")) == 0
    assert main(_abonneer(gebruikers, ERIK, "rapport", "GM0153")) == 0
    assert main(_abonneer(gebruikers, MARIA, "rapport", "GM0164")) == 0
    assert main(_abonneer(gebruikers, OUD, "rapport", "GM0164")) == 0
    # an accounthouder cannot be subscribed to another municipality's figures
    assert main(_abonneer(gebruikers, ERIK, "rapport", "GM0164")) == 1
    assert "mag de cijfers van GM0164 niet ontvangen" in capsys.readouterr().err
    Toegang(gebruikers).opslaan(
        Gebruiker(OUD, "Oud", "accounthouder", ("GM0164",), actief=False), "test", ["GM0164"]
    )

    assert main(["verzend", "--periode", "2025-Q4", "--lake", lake]) == 0
    assert sorted(m["X-Envelope-To"] for m in inbox.berichten) == sorted([ANNA, ERIK, MARIA])
    for adres, naam, andere in (
        (ANNA, "Hengelo", "Enschede"),
        (ERIK, "Enschede", "Hengelo"),
        (MARIA, "Hengelo", "Enschede"),
    ):
        [msg] = inbox.aan(adres)
        assert msg["Subject"] == f"Accountrapport {naam} 2025-Q4"
        assert msg["From"] == "vth-monitor@odt.example"
        [bijlage] = list(msg.iter_attachments())
        assert bijlage.get_filename() == f"{naam.lower()}_accountrapport_2025-Q4.pdf"
        assert bijlage.get_content_type() == "application/pdf"
        tekst = _pdf_text(bijlage.get_content(), tmp_path)
        assert f"Accountrapport {naam} 2025-Q4" in tekst
        assert andere not in tekst
        body = msg.get_body(("plain",)).get_content()
        assert "https://monitor.odt.example/deelnemer?deelnemer=" in body
    out = capsys.readouterr()
    assert "3 rapport(en) verzonden." in out.out
    assert f"Overgeslagen: {OUD}: niet (meer) actief" in out.err

    # every report sent is in the activity trail, under its recipient and deelnemer
    trail = Toegang(gebruikers).activiteit(actie="verzonden")
    assert sorted(zip(trail["gebruiker"], trail["deelnemers"], strict=True)) == [
        (ANNA, "GM0164"),
        (ERIK, "GM0153"),
        (MARIA, "GM0164"),
    ]
    assert all("per e-mail aan" in o for o in trail["omschrijving"])


def test_a_user_moved_to_another_municipality_no_longer_gets_the_old_ones_report(
    gebruikers, inbox, capsys
):
    assert main(_abonneer(gebruikers, ANNA, "rapport", "GM0164")) == 0
    Toegang(gebruikers).opslaan(
        Gebruiker(ANNA, "Anna", "accounthouder", ("GM0153",)), "test", ["GM0153", "GM0164"]
    )
    assert main(["verzend", "--periode", "2025-Q4", "--lake", str(gebruikers.lake_dir)]) == 0
    assert inbox.berichten == []
    assert "mag de cijfers van GM0164 niet (meer) zien" in capsys.readouterr().err


def test_without_a_mail_server_verzend_says_what_to_set(gebruikers, monkeypatch, capsys):
    monkeypatch.delenv("VTHMONITOR_SMTP_HOST", raising=False)
    assert main(_abonneer(gebruikers, ANNA, "rapport", "GM0164")) == 0
    assert main(["verzend", "--lake", str(gebruikers.lake_dir)]) == 1
    assert "zet VTHMONITOR_SMTP_HOST" in capsys.readouterr().err


def test_a_subscription_is_for_a_user_of_the_list_and_not_twice(gebruikers):
    store = Abonnementen(Toegang(gebruikers))
    with pytest.raises(ToegangFout, match="niet \\(actief\\) in de gebruikerslijst"):
        store.toevoegen("vreemde@x.example", "rapport", "GM0164", ("t", "beheerder"), ["GM0164"])
    with pytest.raises(ToegangFout, match="voor één deelnemer"):
        store.toevoegen(ANNA, "rapport", None, ("t", "beheerder"), ["GM0164"])
    for _ in range(2):
        store.toevoegen(MARIA, "signalen", None, ("t", "beheerder"), ["GM0164"])
    assert [(a.identiteit, a.deelnemer_code) for a in store.lijst(soort="signalen")] == [
        (MARIA, None)
    ]


def _status(rows):
    return pl.DataFrame(
        rows,
        schema={
            "kpi_id": pl.String,
            "deelnemer_code": pl.String,
            "periode_type": pl.String,
            "periode": pl.String,
            "status": pl.String,
        },
        orient="row",
    )


def test_only_what_got_worse_is_an_alert():
    vorige = _status(
        [
            ("a", "GM1", "jaar", "2025", "groen"),
            ("b", "GM1", "jaar", "2025", "oranje"),
            ("c", "GM1", "jaar", "2025", "rood"),
            ("d", "GM1", "jaar", "2025", "groen"),
            ("e", "GM1", "jaar", "2025", "rood"),
        ]
    )
    nu = _status(
        [
            ("a", "GM1", "jaar", "2025", "rood"),  # groen -> rood: alert
            ("b", "GM1", "jaar", "2025", "rood"),  # oranje -> rood: alert
            ("c", "GM1", "jaar", "2025", "oranje"),  # rood -> oranje: better, no alert
            ("d", "GM1", "jaar", "2025", "groen"),  # unchanged
            ("e", "GM1", "jaar", "2025", "rood"),  # unchanged red: told before
            ("f", "GM1", "jaar", "2025", "oranje"),  # new, orange: alert
            ("a", "GM1", "jaar", "2026", "groen"),  # new, green: no alert
        ]
    )
    result = veranderd(vorige, nu)
    assert list(zip(result["kpi_id"], result["status"], result["vorige_status"], strict=True)) == [
        ("a", "rood", "groen"),
        ("b", "rood", "oranje"),
        ("f", "oranje", None),
    ]


@pytest.mark.slow  # a build of the warehouse
@pytest.mark.parametrize("eerdere_run", [True, False], ids=["na-een-eerdere-run", "eerste-run"])
def test_after_a_load_subscribers_hear_exactly_what_turned_red_in_their_scope(
    gebruikers, inbox, tmp_path, monkeypatch, capsys, eerdere_run
):
    """With an earlier alert run, the statuses it remembered are the baseline; without one
    (the first load after subscribing), the previous build that the lake still keeps is."""
    lake = str(gebruikers.lake_dir)
    assert main(_abonneer(gebruikers, ANNA, "signalen", None)) == 0
    assert main(_abonneer(gebruikers, MARIA, "signalen", None)) == 0
    if eerdere_run:
        assert main(["signaleer", "--lake", lake]) == 0  # the first run only remembers
        assert inbox.berichten == []
        assert "eerste stand" in capsys.readouterr().out

    # the hand-made change: from 2026 on, the MT sets a norm for the work in stock of at most 1
    # open zaak; every value of a period ending in 2026 is then far above it (red)
    reference = tmp_path / "reference"
    shutil.copytree(Path(__file__).resolve().parents[2] / "reference", reference)
    with (reference / "normen.csv").open("a", encoding="utf-8") as f:
        f.write("werkvoorraad_open;<=;1;01-01-2026;;test: strenger;Ja;streng\n")
    monkeypatch.setenv("VTHMONITOR_REFERENTIE", str(reference))
    assert main(["rebuild", "--lake", lake]) == 0

    with warehouse(gebruikers) as con:
        rood = con.execute(
            "select deelnemer_code, periode from kpi.waarden where kpi_id = 'werkvoorraad_open' "
            "and status = 'rood' order by all"
        ).fetchall()
        andere = con.execute(
            "select count(*) from kpi.waarden where kpi_id != 'werkvoorraad_open' "
            "and status in ('rood', 'oranje')"
        ).fetchone()[0]
    # by hand: the sample's zaken reach January 2026, so 2026, 2026-Q1 and 2026-01
    assert sorted({p for c, p in rood if c == "GM0164"}) == ["2026", "2026-01", "2026-Q1"]
    assert andere > 0  # other KPIs were red before too, and are not news

    [anna] = inbox.aan(ANNA)
    body = anna.get_body(("plain",)).get_content()
    regels = [r for r in body.splitlines() if r.startswith("- ")]
    # January is complete; the quarter and the year are not, and say so
    assert regels == [
        "- Hengelo · Werkvoorraad · 2026 (onvolledige periode)",
        "- Hengelo · Werkvoorraad · 2026-01",
        "- Hengelo · Werkvoorraad · 2026-Q1 (onvolledige periode)",
    ]
    assert "Enschede" not in body and "Alle deelnemers" not in body
    assert "norm ≤ 1" in body and "was geen status" in body
    assert (
        "https://monitor.odt.example/deelnemer?deelnemer=GM0164&soort=kwartaal&periode=2026-Q1"
        in body
    )
    assert anna["Subject"] == "VTH-monitor: 3 rood na de laatste lading"

    [maria] = inbox.aan(MARIA)
    regels = [
        r for r in maria.get_body(("plain",)).get_content().splitlines() if r.startswith("- ")
    ]
    assert len(regels) == len(rood)  # every deelnemer and all deelnemers together
    assert inbox.aan(ERIK) == []  # no subscription

    trail = Toegang(gebruikers).activiteit(actie="verzonden")
    assert sorted(trail["gebruiker"]) == [ANNA, MARIA]
    assert dict(zip(trail["gebruiker"], trail["rijen"], strict=True)) == {ANNA: 3, MARIA: len(rood)}

    # nothing new: nothing sent again
    assert main(["signaleer", "--lake", lake]) == 0
    assert len(inbox.berichten) == 2


@pytest.mark.parametrize(
    "adres", ["jan@gemeente.nl,extern@x.nl", '"x"<y>@a.nl', "jan@gemeente.nl\nBcc: x@y.nl"]
)
def test_a_message_goes_to_exactly_one_plain_address(adres):
    with pytest.raises(MailFout, match="geen enkel e-mailadres"):
        bericht(Settings(lake_dir=Path("lake")), adres, "onderwerp", "tekst")


def test_the_beheerder_keeps_the_users_list_from_the_command_line(private_lake, capsys):
    lake = ["--lake", str(private_lake.lake_dir)]
    assert (
        main(
            [
                "gebruiker",
                "toevoegen",
                "--email",
                "Piet@Hengelo.example",
                "--rol",
                "accounthouder",
                "--deelnemer",
                "GM0164",
                "--naam",
                "Piet",
                *lake,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "gebruiker",
                "toevoegen",
                "--email",
                "zonder@x.example",
                "--rol",
                "accounthouder",
                *lake,
            ]
        )
        == 1
    )
    assert "ten minste één deelnemer" in capsys.readouterr().err
    toegang = Toegang(Settings.from_env())
    piet = toegang.gebruiker("piet@hengelo.example")
    assert (piet.rol, piet.deelnemers, piet.actief) == ("accounthouder", ("GM0164",), True)
    assert main(["gebruiker", "uitschakelen", "--email", "piet@hengelo.example", *lake]) == 0
    assert toegang.gebruiker("piet@hengelo.example").actief is False
    assert main(["gebruiker", "lijst", *lake]) == 0
    assert "piet@hengelo.example  accounthouder  GM0164  uitgeschakeld" in capsys.readouterr().out


def _naleving(settings: Settings) -> dict[tuple[str, str], tuple[float, float, str]]:
    """(deelnemer, periode) -> (teller, noemer, status) of the compliance rate of Hengelo and
    all deelnemers in 2025-Q4 and 2025."""
    with warehouse(settings) as con:
        rows = con.execute(
            "select deelnemer_code, periode, teller, noemer, status from kpi.waarden "
            "where kpi_id = 'naleefpercentage' and deelnemer_code in ('GM0164', 'TOTAAL') "
            "and periode in ('2025-Q4', '2025')"
        ).fetchall()
    return {(c, p): (t, n, s) for c, p, t, n, s in rows}


def _oordeel(pct: float) -> str:
    """The status rule by hand (reference/normen.csv: naleefpercentage >= 80; statusregel:
    oranje within 10% of the norm, so from 72)."""
    return "groen" if pct >= 80 else "oranje" if pct >= 72 else "rood"


@pytest.mark.slow  # a load and a build of the warehouse
def test_a_hand_made_load_of_failed_inspections_is_reported_to_exactly_its_subscribers(
    gebruikers, inbox, tmp_path
):
    lake = ["--lake", str(gebruikers.lake_dir)]
    assert main(_abonneer(gebruikers, ANNA, "signalen", "GM0164")) == 0
    assert main(_abonneer(gebruikers, ERIK, "signalen", None)) == 0  # Enschede only
    assert main(_abonneer(gebruikers, MARIA, "signalen", None)) == 0
    assert main(["signaleer", *lake]) == 0  # remembers the statuses of the sample
    voor = _naleving(gebruikers)
    teller, noemer, _ = voor[("GM0164", "2025-Q4")]
    # enough periodic inspections with a violation to take Hengelo's quarter below 72%
    extra = int(100 * teller / 71 - noemer) + 1
    assert 100 * teller / (noemer + extra) < 72
    export = tmp_path / "controles_extra.csv"
    export.write_text(
        "controle_id;inrichting_id;datum_controle;soort;aantal_overtredingen;lhso_gevolgen;"
        "lhso_gedrag;toezichthouder_id;bevoegd_gezag\n"
        + "".join(
            f"CX-{i:04d};INR000001;{10 + i % 15:02d}-11-2025 10:00;periodiek;1;C;2;T001;GM0164\n"
            for i in range(extra)
        ),
        encoding="utf-8",
    )
    assert (
        main(["load", str(export), "--kind", "controles", "--stand-per", "31-12-2025", *lake]) == 0
    )

    na = _naleving(gebruikers)
    verwacht = []
    for (code, periode), (t, n, status) in sorted(voor.items()):
        nieuw = _oordeel(100 * t / (n + extra))
        assert na[(code, periode)][:2] == (t, n + extra)  # the load did what it should
        assert na[(code, periode)][2] == nieuw
        if nieuw == "rood" and status != "rood" or nieuw == "oranje" and status == "groen":
            verwacht.append((code, periode))
    assert ("GM0164", "2025-Q4") in verwacht

    def genoemd(adres):
        [msg] = inbox.aan(adres)
        regels = [
            r for r in msg.get_body(("plain",)).get_content().splitlines() if r.startswith("- ")
        ]
        return sorted(tuple(r[2:].split(" · ")[0::2]) for r in regels)

    namen = {"GM0164": "Hengelo", "TOTAAL": "Alle deelnemers"}
    assert genoemd(ANNA) == sorted((namen[c], p) for c, p in verwacht if c == "GM0164")
    assert genoemd(MARIA) == sorted((namen[c], p) for c, p in verwacht)
    assert inbox.aan(ERIK) == []  # nothing changed for Enschede


@pytest.mark.slow  # a build of the warehouse
def test_without_alert_subscribers_a_load_compares_nothing_and_forgets_the_old_stand(
    gebruikers, capsys
):
    # A stand remembered long ago must not be the baseline of the first alert after someone
    # subscribes: without subscribers the load forgets it (docs/rapport.md, "Signalen").
    lake = str(gebruikers.lake_dir)
    store = Abonnementen(Toegang(gebruikers))
    assert main(["signaleer", "--lake", lake]) == 0
    assert store.vorige_statussen() is not None
    capsys.readouterr()
    assert main(["rebuild", "--lake", lake]) == 0
    assert "er zijn geen abonnees op signalen; niets vergeleken" in capsys.readouterr().out
    assert store.vorige_statussen() is None
    # with a subscriber, the next rebuild compares again (here: with the previous build)
    assert main(_abonneer(gebruikers, MARIA, "signalen", None)) == 0
    assert main(["rebuild", "--lake", lake]) == 0
    out = capsys.readouterr().out
    assert "Signalen: 0 kengetal(len) rood of oranje geworden" in out
    assert store.vorige_statussen() is not None
