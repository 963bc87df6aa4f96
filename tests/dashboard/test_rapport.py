"""The account-meeting report (docs/rapport.md): `vthmonitor rapport` run as a user would, the PDF
read back with poppler's pdftotext and pdfinfo, compared with kpi.waarden in the warehouse."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.rapport import RapportFout, maak
from dashboard.viewer import ScopeError, Viewer
from tests.dashboard.conftest import downloaded_file, open_page
from vthmonitor.abonnementen import Abonnementen
from vthmonitor.cli import main
from vthmonitor.lake import LakePaths, connect_reader, published_warehouse
from vthmonitor.settings import Settings
from vthmonitor.toegang import Toegang

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HENGELO = "GM0164"

# Decimals per unit as the report writes them (docs/rapport.md: as in the app): the oracle of
# the Dutch notation, written out here instead of calling the code under test.
DECIMALEN = {
    "procent": 1,
    "aantal": 0,
    "uren": 0,
    "dagen": 0,
    "per 1.000 inwoners": 2,
    "EUR": 0,
    "kWh": 0,
    "m3 gas": 0,
    "score": 0,
    "fte": 1,
}


def nl(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def pdf_info(path: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip()
        for k, v in (line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    }


def warehouse(settings) -> duckdb.DuckDBPyConnection:
    return connect_reader(published_warehouse(LakePaths(settings.lake_dir)))


@pytest.fixture
def hengelo_pdf(lake_env, tmp_path) -> Path:
    out = tmp_path / "hengelo.pdf"
    code = main(
        [
            "rapport",
            "--deelnemer",
            HENGELO,
            "--periode",
            "2025-Q4",
            "--out",
            str(out),
            "--lake",
            str(lake_env.lake_dir),
        ]
    )
    assert code == 0
    return out


def test_the_report_holds_every_value_of_the_deelnemer_and_period_in_dutch_notation(
    lake_env, hengelo_pdf
):
    text = pdf_text(hengelo_pdf)
    with warehouse(lake_env) as con:
        rows = con.execute(
            "select w.kpi_id, c.naam, c.eenheid, w.waarde, w.waarde_tekst from kpi.waarden w "
            "join kpi.catalogus c using (kpi_id) where w.deelnemer_code = ? "
            "and w.periode = '2025-Q4' and (w.waarde is not null or w.waarde_tekst is not null)",
            [HENGELO],
        ).fetchall()
    assert len(rows) >= 20  # every KPI of the sample that has a quarter value
    missing = []
    for kpi_id, naam, eenheid, waarde, waarde_tekst in rows:
        if waarde_tekst:
            expected = waarde_tekst
        elif eenheid == "EUR" and abs(waarde) >= 1_000_000:
            expected = f"€ {nl(waarde / 1_000_000, 1)} mln"
        else:
            expected = nl(waarde, DECIMALEN[eenheid]) + ("%" if eenheid == "procent" else "")
        if naam not in text or expected not in text:
            missing.append((kpi_id, naam, expected))
    assert missing == []
    # the headline values, written out by hand from the sample (Hengelo, 2025-Q4)
    assert "Accountrapport Hengelo" in text and "01-10-2025 t/m 31-12-2025" in text


def test_the_report_names_no_other_deelnemer(lake_env, hengelo_pdf):
    text = pdf_text(hengelo_pdf)
    with warehouse(lake_env) as con:
        others = [
            r[0]
            for r in con.execute(
                "select naam from staging.deelnemers where code != ?", [HENGELO]
            ).fetchall()
        ]
        codes = [
            r[0]
            for r in con.execute(
                "select code from staging.deelnemers where code != ?", [HENGELO]
            ).fetchall()
        ]
    assert len(others) == 14
    assert [n for n in others + codes if n in text] == []


def test_the_pdf_is_tagged_with_title_and_a_few_pages(hengelo_pdf):
    info = pdf_info(hengelo_pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Accountrapport Hengelo 2025-Q4"
    assert info["Page size"].endswith("(A4)")
    assert 4 <= int(info["Pages"]) <= 6  # "at most ~6" (issue 14)
    raw = hengelo_pdf.read_bytes()
    assert b"/Lang (nl" in raw or b"/Lang(nl" in raw
    # a look at the pages (docs/testen.md): the cover and the summary as PNG
    ARTIFACTS.mkdir(exist_ok=True)
    for pagina in (1, 2):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                str(pagina),
                "-l",
                str(pagina),
                "-singlefile",
                str(hengelo_pdf),
                str(ARTIFACTS / f"rapport-hengelo-{pagina}"),
            ],
            check=True,
        )
        assert (ARTIFACTS / f"rapport-hengelo-{pagina}.png").stat().st_size > 10_000


def test_an_incomplete_period_says_so_on_the_cover(lake_env, tmp_path):
    out = tmp_path / "q1.pdf"
    assert (
        main(
            [
                "rapport",
                "--deelnemer",
                HENGELO,
                "--periode",
                "2026-Q1",
                "--out",
                str(out),
                "--lake",
                str(lake_env.lake_dir),
            ]
        )
        == 0
    )
    text = pdf_text(out)
    # the sample's zaken reach 31-01-2026, the other exports 31-12-2025
    assert "Onvolledige periode" in text
    assert "onvolledig: gegevens t/m 31-01-2026" in text
    assert "geen gegevens" in text


def test_whoever_asks_gets_the_accounthouders_report_and_only_of_their_own(lake_env):
    mt = maak(Viewer("mt", gebruiker="mt@odt.nl"), HENGELO, "2025-Q4")
    eigen = maak(Viewer("accounthouder", (HENGELO,), gebruiker="anna@odt.nl"), HENGELO, "2025-Q4")
    assert mt.bestandsnaam == eigen.bestandsnaam == "hengelo_accountrapport_2025-Q4.pdf"
    assert len(mt.pdf) == len(eigen.pdf)
    with pytest.raises(ScopeError):
        maak(Viewer("accounthouder", ("GM0153",), gebruiker="erik@odt.nl"), HENGELO, "2025-Q4")


@pytest.mark.parametrize(
    ("code", "periode", "fout"),
    [
        ("GM9999", "2025-Q4", "geen deelnemer"),
        ("TOTAAL", "2025-Q4", "geen deelnemer"),
        (HENGELO, "2025-Q5", "geen periode"),
        (HENGELO, "2025-Q4'; drop table x", "geen periode"),
        (HENGELO, "2040", "geen kengetallen"),
    ],
)
def test_a_report_that_cannot_be_made_says_why_in_dutch(lake_env, code, periode, fout):
    with pytest.raises(RapportFout, match=fout):
        maak(Viewer("beheerder"), code, periode)


def test_every_deelnemer_at_once_into_a_folder(lake_env, tmp_path, capsys):
    assert (
        main(
            [
                "rapport",
                "--alle",
                "--periode",
                "2025",
                "--map",
                str(tmp_path / "r"),
                "--lake",
                str(lake_env.lake_dir),
            ]
        )
        == 0
    )
    files = sorted(p.name for p in (tmp_path / "r").iterdir())
    assert len(files) == 15
    assert "hengelo_accountrapport_2025.pdf" in files
    assert all(re.fullmatch(r"[a-z_-]+_accountrapport_2025\.pdf", f) for f in files)
    assert "Hengelo 2025:" in capsys.readouterr().out


def test_the_cli_refuses_half_a_request(lake_env, capsys):
    assert main(["rapport", "--periode", "2025-Q4", "--lake", str(lake_env.lake_dir)]) == 2
    assert "--deelnemer CODE --out" in capsys.readouterr().err


def test_pdftotext_is_there():  # the tests above need poppler-utils (Makefile: make pdftools)
    assert shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")


# --- in the app -------------------------------------------------------------------------------
@pytest.fixture
def state_file(lake_env, tmp_path, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_APP_STATE", str(tmp_path / "app.sqlite3"))


def test_the_deelnemer_page_gives_the_same_report_as_the_cli(
    state_file, media, hengelo_pdf, tmp_path
):
    at = open_page("deelnemer", "accounthouder", HENGELO, query={"periode": "2025-Q4"})
    bestand = downloaded_file(at, media, "rapport-pdf")
    assert bestand.filename == "hengelo_accountrapport_2025-Q4.pdf"
    (tmp_path / "app.pdf").write_bytes(bestand.content)
    assert pdf_text(tmp_path / "app.pdf") == pdf_text(hengelo_pdf)
    # the download is in the activity trail, with its deelnemer
    trail = Toegang(Settings.from_env()).activiteit(actie="download")
    # both: the CLI's (fixture hengelo_pdf) and the page's, each with its deelnemer
    assert sorted(zip(trail["rol"], trail["deelnemers"], trail["omschrijving"], strict=True)) == [
        ("accounthouder", HENGELO, "hengelo_accountrapport_2025-Q4.pdf"),
        ("cli", HENGELO, "hengelo_accountrapport_2025-Q4.pdf"),
    ]


def test_an_accounthouder_subscribes_themselves_and_the_beheerder_sees_it(state_file):
    ident = "anna@hengelo.example"
    at = open_page("deelnemer", "accounthouder", HENGELO, user=ident)
    at.toggle(key="abonnement-rapport-GM0164").set_value(True).run()
    at.toggle(key="abonnement-signalen-GM0164").set_value(True).run()
    store = Abonnementen(Toegang(Settings.from_env()))
    assert [(a.soort, a.deelnemer_code) for a in store.lijst(ident)] == [
        ("rapport", HENGELO),
        ("signalen", HENGELO),
    ]
    at.toggle(key="abonnement-signalen-GM0164").set_value(False).run()
    assert [a.soort for a in store.lijst(ident)] == ["rapport"]
    beheer = open_page("beheer", "beheerder")
    tabel = next(d.value for d in beheer.dataframe if "Soort" in d.value.columns)
    assert list(tabel["E-mail"]) == [ident]
    assert list(tabel["Deelnemer"]) == ["Hengelo"]
    # the beheerder ends it: the page shows that on its next run and does not re-create it
    [rapport] = store.lijst(ident)
    store.verwijderen(rapport.id, ("beheer", "beheerder"))
    at.run()
    assert at.toggle(key="abonnement-rapport-GM0164").value is False
    at.run()
    assert store.lijst(ident) == []


def test_the_beheer_form_refuses_an_empty_address_instead_of_subscribing_the_beheerder(
    state_file,
):
    beheer = open_page("beheer", "beheerder", user="beheer@odt.example")
    beheer.selectbox(key="ab_soort").set_value("signalen")
    next(b for b in beheer.button if b.label == "Abonneren").click()
    beheer.run()
    assert any("geen e-mailadres" in e.value for e in beheer.error)
    assert Abonnementen(Toegang(Settings.from_env())).lijst() == []


def test_a_demo_user_is_told_why_there_is_no_subscription(state_file):
    at = open_page("deelnemer", "accounthouder", HENGELO)  # identity without e-mail address
    assert not at.toggle
    assert any("e-mailadres waarmee u inlogt" in c.value for c in at.caption)


def test_the_report_is_made_under_the_servers_address_space_limit(lake_env, project_env):
    """The dashboard runs under VTHMONITOR_APP_GEHEUGEN (cli.limit_memory); vl-convert's V8
    cannot start under it and once took the whole server down with it. The charts are drawn
    in a worker process of their own (vthmonitor/grafiek_svg.py)."""
    script = (
        "import sys, streamlit.logger; streamlit.logger.set_log_level('error');"
        "from vthmonitor.cli import limit_memory; limit_memory(8 * 1024**3);"
        "from dashboard.rapport import maak; from dashboard.viewer import Viewer;"
        "sys.stdout.buffer.write(maak(Viewer('mt'), 'GM0164', '2025-Q4').pdf[:5])"
    )
    env = project_env | {"VTHMONITOR_LAKE": str(lake_env.lake_dir)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout == b"%PDF-"
