"""`vthmonitor`: the command-line interface (sample, load, rebuild, sql, serve).

Exit codes: 0 = everything accepted, 1 = a file was rejected or a query failed, 2 = usage error,
130 = `sql` stopped with Ctrl-C (the shell's convention for SIGINT; the query's worker process is
killed and its audit row completed as 'afgebroken').
Messages are Dutch and say what to do; no stack traces for expected errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

# The one CSV writer of every download (formula injection neutralised, docs/exports.md); it
# imports no Streamlit, so the CLI stays light.
from vthmonitor import tijd, voortgang
from vthmonitor.export import csv_text
from vthmonitor.settings import PROJECT_DIR, Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(getattr(args, "lake", None))


def cmd_sample(args: argparse.Namespace) -> int:
    from pipelines.sample import write_sample

    def gedaan(bron: str, rijen: int, klaar: int, totaal: int) -> None:
        # the whole sample takes ~25 s at scale 1: a bar on a terminal, a line per source in a log
        voortgang.meld(f"{bron}: {rijen} rijen", (klaar, totaal))

    with voortgang.toon():
        counts = write_sample(Path(args.out), scale=args.scale, seed=args.seed, progress=gedaan)
    total = sum(counts.values())
    print(f"Voorbeeldexports geschreven naar {args.out}: {total} rijen in totaal.")
    return 0


def _stand_per(text: str) -> dt.date:
    """--stand-per: 31-08-2025 (as the app writes dates) or 2025-08-31."""
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        f"'{text[:40]}' is geen datum; schrijf de datum van de export als dd-mm-jjjj (31-08-2025)"
    )


def cmd_load(args: argparse.Namespace) -> int:
    from pipelines.build import BuildError
    from pipelines.load import UsageError, load
    from pipelines.publishing import BuildFailed

    settings = _settings(args)
    try:
        with voortgang.toon():
            report = load(
                settings,
                [Path(p) for p in args.paths],
                kind=args.kind,
                progress=lambda result: voortgang.regel(result.line()),
                stand_per=args.stand_per,
                stap=lambda tekst: voortgang.regel(f"Bezig: {tekst} ..."),
            )
    except UsageError as exc:
        print(f"vthmonitor load: {exc}", file=sys.stderr)
        return 2
    except (BuildError, BuildFailed) as exc:
        print(
            f"vthmonitor load: het warehouse kon niet worden gebouwd: {exc}. Tot het bouwen "
            "lukt, blijven de vorige gegevens zichtbaar.",
            file=sys.stderr,
        )
        return 1
    if report.excluded:
        ids = ", ".join(report.excluded)
        print(
            f"Niet gepubliceerd: lading {ids}. Het warehouse kon er niet mee worden gebouwd "
            f"({report.exclusion_reason}). De lading telt niet mee; de andere gegevens zijn "
            f"gepubliceerd. Verwijder haar met 'vthmonitor unload {report.excluded[0]} --reden "
            "...', of herstel het bestand en laad het opnieuw.",
            file=sys.stderr,
        )
    if report.published:
        print(f"Gepubliceerd: {report.published}")
        print(f"Gebouwd omdat: {'; '.join(report.rebuilt_because)}.")
        _na_publicatie(settings)
    else:
        print("Niets nieuws: de gepubliceerde datalake is ongewijzigd.")
    return 1 if report.any_rejected or report.excluded else 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from pipelines.build import BuildError
    from pipelines.publishing import BuildFailed, publish_lake
    from vthmonitor.lake import LakePaths, exclusive_lock

    settings = _settings(args)
    paths = LakePaths(settings.lake_dir)
    print("Bezig: het warehouse opnieuw opbouwen uit raw ...", flush=True)
    try:
        with exclusive_lock(paths), voortgang.toon():
            outcome = publish_lake(settings, paths, full=True)
    except (BuildError, BuildFailed) as exc:
        print(f"vthmonitor rebuild: het warehouse kon niet worden gebouwd: {exc}.", file=sys.stderr)
        return 1
    if outcome.excluded:
        print(
            f"Niet gepubliceerd: lading {', '.join(outcome.excluded)} ({outcome.reason}); "
            "verwijder haar met 'vthmonitor unload'.",
            file=sys.stderr,
        )
    print(f"Opnieuw opgebouwd uit raw en gepubliceerd: {outcome.warehouse.name}")
    _na_publicatie(settings)  # a rebuild can change statuses too (a new norm in reference/)
    return 1 if outcome.excluded else 0


def cmd_unload(args: argparse.Namespace) -> int:
    from pipelines.publishing import BuildFailed, UnknownLoad, unload

    settings = _settings(args)
    try:
        done = unload(settings, args.load_id, args.reden or "", _os_user())
    except UnknownLoad as exc:
        print(f"vthmonitor unload: {exc}", file=sys.stderr)
        return 2
    except BuildFailed as exc:
        print(
            f"vthmonitor unload: de lading is verwijderd, maar het warehouse kon niet worden "
            f"gebouwd: {exc}.",
            file=sys.stderr,
        )
        return 1
    files = ", ".join(done.files) or "geen geladen bestanden"
    print(f"Lading {done.load_id} verwijderd ({files}; {done.rows} rijen).")
    if done.published.warehouse is not None:
        print(f"Gepubliceerd: {done.published.warehouse.name}")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from pipelines.erasure import EraseError, erase
    from pipelines.publishing import BuildFailed

    settings = _settings(args)
    try:
        done = erase(settings, args.bron, args.sleutels, args.reden or "", _os_user())
    except EraseError as exc:
        print(f"vthmonitor erase: {exc}", file=sys.stderr)
        return 2
    except BuildFailed as exc:
        print(
            "vthmonitor erase: de verwijdering is vastgelegd en uit raw gehaald, maar het "
            f"warehouse kon niet worden gebouwd: {exc}. Het volgende bouwen neemt haar mee.",
            file=sys.stderr,
        )
        return 1
    keys = len(args.sleutels)
    print(
        f"Verwijderd als lading {done.load_id}: {keys} sleutel{'s' if keys > 1 else ''} uit "
        f"{args.bron}; {done.rows} rijen uit raw gehaald, {done.landing_lines} regels in de "
        "landing zone gewist."
    )
    if done.rows == 0:
        print(
            "Let op: geen rij met deze sleutel gevonden. De verwijdering geldt wel: een latere "
            "export met deze sleutel gaat naar quarantaine.",
            file=sys.stderr,
        )
    for name in done.not_blanked:
        print(
            f"Let op: het Excel-bestand {name} in de landing zone bevat de gegevens nog; "
            "verwijder of vervang het met de hand (zie docs/verwijderen.md).",
            file=sys.stderr,
        )
    if done.published and done.published.warehouse is not None:
        print(f"Gepubliceerd: {done.published.warehouse.name}")
    return 0


def limit_memory(limit_bytes: int) -> None:
    """Cap this process's address space (VTHMONITOR_APP_GEHEUGEN): an allocation beyond it fails
    inside DuckDB or Python with a memory error that the app reports, instead of the kernel
    killing the process and with it every user's session."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit_bytes = min(limit_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, hard))


def _os_user() -> str:
    """Who runs `vthmonitor sql`, for the audit log: the login name of the shell user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no USER variable and no passwd entry (some containers)
        return f"uid-{os.getuid()}"


def _interrupt_once(signum, frame) -> None:
    """Ctrl-C stops the query; a second Ctrl-C must not break off killing the worker and
    completing the audit row, so from now on it is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def cmd_sql(args: argparse.Namespace) -> int:
    """Ad-hoc SQL in the same sandbox as the dashboard's workbench, logged under the OS user."""
    from vthmonitor.werkbank.app_state import AppState, InvalidSavedQuery
    from vthmonitor.werkbank.sandbox import QueryFailed, Refused
    from vthmonitor.werkbank.service import limits, run_logged
    from vthmonitor.werkbank.worker import Workers

    settings = _settings(args)
    limit_memory(settings.app_memory_bytes)
    state = AppState(settings.app_state_file)
    user = _os_user()
    if args.lijst:
        saved = state.saved()
        if saved.height == 0:
            print("Er zijn nog geen opgeslagen query's.")
        for row in saved.iter_rows(named=True):
            print(f"{row['naam']}  ({row['auteur']}, {row['opgeslagen_op']:%d-%m-%Y %H:%M} UTC)")
        return 0
    if args.opgeslagen:
        found = state.saved_by_name(args.opgeslagen)
        if found.height == 0:
            print(
                f"vthmonitor sql: er is geen opgeslagen query '{args.opgeslagen}'. "
                "Bekijk de namen met 'vthmonitor sql --lijst'.",
                file=sys.stderr,
            )
            return 1
        sql = found["sql"][0]
    elif args.query:
        sql = args.query
    else:
        print("vthmonitor sql: geef een query, --opgeslagen NAAM of --lijst.", file=sys.stderr)
        return 2

    def write(result) -> None:
        """The result on stdout; the audit row is completed only after this succeeded."""
        try:
            if args.format == "csv":
                sys.stdout.write(csv_text(result.frame, separator=",", decimal_comma=False))
            else:
                with pl.Config(tbl_rows=args.max_rows, tbl_cols=-1, fmt_str_lengths=60):
                    print(result.frame)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`| head`): nothing more reaches it, and Python must not
            # try to flush stdout again at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise

    workers = Workers(settings, spares=0)  # one query: no spare to keep warm
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        result = run_logged(
            workers,
            state,
            sql,
            limits(settings),
            gebruiker=user,
            rol="cli",
            kanaal="cli",
            deliver=write,
        )
    except KeyboardInterrupt:
        print(
            "\nvthmonitor sql: afgebroken met Ctrl-C. De query is gestopt en staat als "
            "'afgebroken' in het auditlog.",
            file=sys.stderr,
        )
        return 130
    except Refused as exc:
        print(f"vthmonitor sql: geweigerd. {exc}", file=sys.stderr)
        return 1
    except QueryFailed as exc:
        detail = f"\nMelding: {exc.detail}" if exc.detail else ""
        print(f"vthmonitor sql: {exc.message}{detail}", file=sys.stderr)
        return 1
    finally:
        workers.close()

    if result.truncated:
        print(
            f"Let op: {result.cut_note(limits(settings))} "
            "(Het maximum aantal rijen is instelbaar met VTHMONITOR_SQL_MAX_RIJEN.)",
            file=sys.stderr,
        )
    if args.opslaan:
        try:
            state.save(args.opslaan, sql, user)
        except InvalidSavedQuery as exc:
            print(f"vthmonitor sql: {exc}", file=sys.stderr)
            return 2
        print(f"Opgeslagen als '{args.opslaan}' (auteur {user}).", file=sys.stderr)
    return 0


def _dashboard_data(settings: Settings) -> None:
    """Let the dashboard's data layer read this lake outside a Streamlit server (the report, the
    e-mails): it reads the lake from the environment, like `serve`. Streamlit's notices about
    running without a server are for developers, not for the beheerder."""
    import streamlit.logger

    os.environ["VTHMONITOR_LAKE"] = str(settings.lake_dir)
    streamlit.logger.set_log_level("error")


def cmd_rapport(args: argparse.Namespace) -> int:
    """The account-meeting report as PDF: one deelnemer, or every one (docs/rapport.md)."""
    settings = _settings(args)
    _dashboard_data(settings)
    from dashboard import data
    from dashboard.rapport import RapportFout, maak
    from dashboard.viewer import ScopeError, Viewer
    from vthmonitor.toegang import Toegang

    if (
        bool(args.alle) == bool(args.deelnemer)
        or (args.alle and not args.map)
        or (args.deelnemer and not args.out)
    ):
        print(
            "vthmonitor rapport: geef --deelnemer CODE --out BESTAND.pdf, of --alle --map MAP.",
            file=sys.stderr,
        )
        return 2
    viewer = Viewer("beheerder", gebruiker=_os_user())
    codes = data.allowed(viewer, totaal=False) if args.alle else [args.deelnemer.strip()]
    toegang = Toegang(settings)

    def maken(code: str):
        try:
            return maak(viewer, code, args.periode)
        except (RapportFout, ScopeError) as exc:
            return exc

    # two at a time: one report's charts are drawn in the chart worker while the next one's
    # figures are read (docs/rapport.md, "Hoe"); the files and lines come in the usual order
    with ThreadPoolExecutor(max_workers=2) as pool:
        for code, rapport in zip(codes, pool.map(maken, codes), strict=True):
            if isinstance(rapport, Exception):
                print(f"vthmonitor rapport: {rapport}", file=sys.stderr)
                return 1
            if not _rapport_schrijven(args, toegang, viewer.gebruiker, code, rapport):
                return 1
    return 0


def _rapport_schrijven(args, toegang, wie: str, code: str, rapport) -> bool:
    doel = Path(args.map) / rapport.bestandsnaam if args.alle else Path(args.out)
    try:
        doel.parent.mkdir(parents=True, exist_ok=True)
        doel.write_bytes(rapport.pdf)
    except OSError as exc:
        print(
            f"vthmonitor rapport: {doel} kan niet worden geschreven ({exc.strerror or exc}); "
            "kies een andere map of bestandsnaam.",
            file=sys.stderr,
        )
        return False
    # who took which deelnemer's figures out of the app, as a download from the dashboard
    toegang.registreer(
        wie,
        "cli",
        "download",
        pagina="vthmonitor rapport",
        deelnemers=[code],
        omschrijving=rapport.bestandsnaam,
    )
    print(f"{rapport.naam} {rapport.periode}: {doel}")
    return True


def cmd_gebruiker(args: argparse.Namespace) -> int:
    """The users list from the command line, as on the Beheer page (docs/toegang.md): for a
    script that sets up the first users, and for subscriptions, which name users."""
    from vthmonitor.toegang import Gebruiker, Toegang, ToegangFout

    settings = _settings(args)
    toegang = Toegang(settings)
    door = _os_user()
    if args.actie == "lijst":
        lijst = toegang.gebruikers()
        if lijst.height == 0:
            print("Er staan nog geen gebruikers in de lijst.")
        for r in lijst.iter_rows(named=True):
            status = "actief" if r["actief"] else "uitgeschakeld"
            print(f"{r['identiteit']}  {r['rol']}  {r['deelnemers'] or '-'}  {status}")
        return 0
    if not args.email:
        print(f"vthmonitor gebruiker {args.actie}: geef --email.", file=sys.stderr)
        return 2
    try:
        if args.actie == "uitschakelen":
            bestaand = toegang.gebruiker(args.email)
            if bestaand is None:
                print(
                    f"vthmonitor gebruiker: {args.email} staat niet in de lijst.", file=sys.stderr
                )
                return 1
            nieuw = Gebruiker(
                bestaand.identiteit, bestaand.naam, bestaand.rol, bestaand.deelnemers, False
            )
            toegang.opslaan(nieuw, door, bestaand.deelnemers)
            print(f"{bestaand.identiteit} is uitgeschakeld.")
            return 0
        _dashboard_data(settings)
        from dashboard import data

        toegang.opslaan(
            Gebruiker(args.email, args.naam or "", args.rol, tuple(args.deelnemer or ())),
            door,
            data.deelnemers()["code"].to_list(),
        )
    except ToegangFout as exc:
        print(f"vthmonitor gebruiker: {exc}", file=sys.stderr)
        return 1
    print(f"{args.email.strip().lower()} opgeslagen als {args.rol}.")
    return 0


def cmd_abonnement(args: argparse.Namespace) -> int:
    """Subscriptions to the report and the alerts, for the beheerder (docs/rapport.md)."""
    from vthmonitor.abonnementen import Abonnementen
    from vthmonitor.toegang import Toegang, ToegangFout

    settings = _settings(args)
    store = Abonnementen(Toegang(settings))
    door = (_os_user(), "beheerder")
    if args.actie == "lijst":
        lijst = store.lijst()
        if not lijst:
            print("Er zijn nog geen abonnementen.")
        for a in lijst:
            wat = a.deelnemer_code or "alle deelnemers die de gebruiker mag zien"
            extra = f", per {a.periode_type}" if a.soort == "rapport" else ""
            print(f"{a.id}  {a.identiteit}  {a.soort}  {wat}{extra}")
        return 0
    if args.actie == "verwijderen":
        if args.id is None:
            print("vthmonitor abonnement verwijderen: geef --id (zie 'lijst').", file=sys.stderr)
            return 2
        if not store.verwijderen(args.id, door):
            print(f"vthmonitor abonnement: er is geen abonnement {args.id}.", file=sys.stderr)
            return 1
        print(f"Abonnement {args.id} beëindigd.")
        return 0
    if not args.email:
        print("vthmonitor abonnement toevoegen: geef --email.", file=sys.stderr)
        return 2
    _dashboard_data(settings)
    from dashboard import data

    try:
        a = store.toevoegen(
            args.email,
            args.soort,
            args.deelnemer,
            door,
            data.deelnemers()["code"].to_list(),
            args.periode_soort,
        )
    except ToegangFout as exc:
        print(f"vthmonitor abonnement: {exc}", file=sys.stderr)
        return 1
    print(
        f"Abonnement {a.id}: {a.identiteit} krijgt {a.soort} van "
        f"{a.deelnemer_code or 'alle deelnemers die hij mag zien'}."
    )
    return 0


def _uitslag(command: str, uitslag) -> int:
    for regel in uitslag.overgeslagen:
        print(f"Overgeslagen: {regel}", file=sys.stderr)
    for regel in uitslag.fouten:
        print(f"vthmonitor {command}: {regel}", file=sys.stderr)
    return 1 if uitslag.fouten else 0


def cmd_verzend(args: argparse.Namespace) -> int:
    """E-mail every subscriber their own deelnemer's report (docs/rapport.md)."""
    settings = _settings(args)
    _dashboard_data(settings)
    from dashboard.rapport.verzending import verzend
    from vthmonitor.mail import MailFout

    try:
        uitslag = verzend(settings, args.periode, door=f"vthmonitor verzend ({_os_user()})")
    except MailFout as exc:
        print(f"vthmonitor verzend: {exc}", file=sys.stderr)
        return 1
    print(f"{len(uitslag.verzonden)} rapport(en) verzonden.")
    return _uitslag("verzend", uitslag)


def cmd_signaleer(args: argparse.Namespace) -> int:
    settings = _settings(args)
    return _signaleer(settings)


def _na_publicatie(settings: Settings) -> None:
    """The alerts after a load or rebuild. A failed alert run does not fail the load: the data
    are published, and the next run compares with the statuses the last good run saw."""
    try:
        if _zonder_signaalabonnees(settings):
            print("Signalen: er zijn geen abonnees op signalen; niets vergeleken.")
            return
        _signaleer(settings)
    except Exception as exc:  # noqa: BLE001 - the load itself succeeded; say so, in Dutch
        print(
            f"Let op: de signalen konden niet worden bepaald ({type(exc).__name__}: {exc}); "
            "de gegevens zijn wel gepubliceerd. Draai later 'vthmonitor signaleer'.",
            file=sys.stderr,
        )


def _zonder_signaalabonnees(settings: Settings) -> bool:
    """True when nobody subscribes to alerts; then the remembered statuses are forgotten, so
    the run after the first subscription compares with the build before its load, not with a
    stand from long ago (docs/rapport.md, "Signalen"). Saves the app's imports and the
    comparison on every load (~2 s)."""
    from vthmonitor.abonnementen import Abonnementen
    from vthmonitor.toegang import Toegang

    store = Abonnementen(Toegang(settings))
    if store.lijst(soort="signalen"):
        return False
    store.statussen_vergeten()
    return True


def _signaleer(settings: Settings) -> int:
    """The alerts after a load: also run by `load` after it published (docs/rapport.md)."""
    _dashboard_data(settings)
    from dashboard.rapport.verzending import signaleer
    from vthmonitor.mail import MailFout

    try:
        uitslag = signaleer(settings, door=f"vthmonitor signaleer ({_os_user()})")
    except MailFout as exc:
        print(
            f"vthmonitor signaleer: {exc} De signalen zijn niet verzonden; de volgende run "
            "vergelijkt opnieuw met de vorige stand.",
            file=sys.stderr,
        )
        return 1
    return _uitslag("signaleer", uitslag)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    env = dict(os.environ)
    env["VTHMONITOR_LAKE"] = str(settings.lake_dir)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_DIR / "dashboard" / "app.py"),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--client.toolbarMode",
        "minimal",
        "--browser.gatherUsageStats",
        "false",
        # Streamlit's own table toolbar would download (and copy) cells as they are, formulas
        # included; every table has the app's neutralised downloads instead (docs/exports.md).
        "--client.disableDataExport",
        "true",
        # A server, not a development session: no watching of source files for changes, and
        # no full garbage collection after every run (each took a fifth to a third of the
        # server's time per click; Python's own collector still runs). docs/dashboard.md,
        # "Snelheid".
        "--server.fileWatcherType",
        "none",
        "--runner.postScriptGC",
        "false",
        # no traceback ever reaches a user; the app shows a Dutch notice (docs/dashboard.md)
        "--client.showErrorDetails",
        "none",
        # contrast of at least 4,5:1 for captions and selected options (.streamlit/config.toml)
        "--theme.base",
        "light",
        "--theme.textColor",
        "#0e1117",
        "--theme.primaryColor",
        "#0b5394",
    ]
    limit_memory(settings.app_memory_bytes)  # inherited by the program exec'd below
    # exec, not a child process: whoever stops `vthmonitor serve` (a test, systemd, Ctrl-C)
    # stops the server itself, instead of leaving an orphaned Streamlit process behind.
    os.execve(sys.executable, command, env)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="vthmonitor", description="VTH-monitor: datalake en dashboard voor omgevingsdiensten."
    )
    sub = root.add_subparsers(dest="command", required=True)
    lake_help = "map van de datalake (standaard: lake/ of VTHMONITOR_LAKE)"

    p = sub.add_parser("sample", help="schrijf voorbeeldexports van alle bronnen")
    p.add_argument("--out", required=True, help="map waarin de exports komen")
    p.add_argument("--scale", type=float, default=1.0, help="schaal (1 = ~1 mln rijen)")
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("load", help="laad bestanden of mappen in de datalake")
    p.add_argument("paths", nargs="+", help="bestanden of mappen")
    p.add_argument("--kind", help="de bron van alle bestanden (anders afgeleid uit de naam)")
    p.add_argument(
        "--stand-per",
        type=_stand_per,
        help="de datum van de export (dd-mm-jjjj) voor alle bestanden; gaat boven de datum in "
        "de bestandsnaam (<bron>_<jjjjmmdd>) en het koppelbestand",
    )
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("rebuild", help="bouw het warehouse opnieuw op uit de raw-laag")
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_rebuild)

    p = sub.add_parser(
        "unload",
        help="verwijder een lading (bijv. een uitgesloten lading) uit raw en het warehouse; "
        "het logboek van de lading blijft",
    )
    p.add_argument("load_id", help="id van de lading, bijv. L000012 (zie meta.loads)")
    p.add_argument("--reden", required=True, help="waarom (komt in het logboek)")
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_unload)

    p = sub.add_parser(
        "erase",
        help="verwijder rijen op sleutel (een per vergissing geregistreerde zaak, een klacht "
        "onder een AVG-verzoek): uit raw, het warehouse en de landing zone, met logboek",
    )
    p.add_argument("bron", help="de bron, bijv. zaken of klachten")
    p.add_argument(
        "sleutels",
        nargs="+",
        metavar="SLEUTEL",
        help="de sleutel (bijv. K-2024-0173); bij een sleutel van meer kolommen "
        "kolom=waarde,kolom=waarde",
    )
    p.add_argument(
        "--reden",
        required=True,
        help="waarom, bijv. 'AVG-verzoek 2026-014' (komt in het logboek; geen namen)",
    )
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_erase)

    p = sub.add_parser(
        "sql",
        help="voer een alleen-lezen query uit op de gepubliceerde datalake (zelfde regels en "
        "auditlog als de SQL-werkbank van het dashboard)",
    )
    p.add_argument("query", nargs="?", help="één SELECT-query")
    p.add_argument("--opgeslagen", metavar="NAAM", help="voer een opgeslagen query uit")
    p.add_argument("--opslaan", metavar="NAAM", help="sla de query na een geslaagde run op")
    p.add_argument("--lijst", action="store_true", help="toon de opgeslagen query's")
    p.add_argument("--format", choices=("csv", "table"), default="table")
    p.add_argument("--max-rows", type=int, default=40, help="rijen in tabelweergave")
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser(
        "rapport", help="het accountrapport (PDF) van een deelnemer, of van alle deelnemers"
    )
    p.add_argument("--deelnemer", help="CBS-code van de deelnemer, bijv. GM0164")
    p.add_argument("--alle", action="store_true", help="een rapport voor elke deelnemer")
    p.add_argument(
        "--periode", required=True, help="jaar (2025), kwartaal (2025-Q4) of maand (2025-11)"
    )
    p.add_argument("--out", help="het PDF-bestand (bij --deelnemer)")
    p.add_argument("--map", help="de map voor de rapporten (bij --alle)")
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_rapport)

    p = sub.add_parser(
        "gebruiker", help="de gebruikerslijst: toevoegen of wijzigen, lijst, uitschakelen"
    )
    p.add_argument("actie", choices=("toevoegen", "lijst", "uitschakelen"))
    p.add_argument("--email", help="het e-mailadres waarmee de gebruiker inlogt")
    p.add_argument("--naam", help="de naam zoals de app die toont")
    p.add_argument(
        "--rol", choices=("mt", "accounthouder", "analist", "beheerder"), default="accounthouder"
    )
    p.add_argument(
        "--deelnemer",
        action="append",
        help="CBS-code van een deelnemer van een accounthouder (herhaal voor meer)",
    )
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_gebruiker)

    p = sub.add_parser(
        "abonnement", help="abonnementen op het maandelijkse rapport en op signalen beheren"
    )
    p.add_argument("actie", choices=("toevoegen", "verwijderen", "lijst"))
    p.add_argument("--email", help="e-mailadres van een gebruiker uit de gebruikerslijst")
    p.add_argument("--soort", choices=("rapport", "signalen"), default="rapport")
    p.add_argument(
        "--deelnemer",
        help="CBS-code; bij signalen zonder deze optie: alle deelnemers die de gebruiker mag zien",
    )
    p.add_argument(
        "--periode-soort",
        choices=("kwartaal", "maand", "jaar"),
        default="kwartaal",
        help="de periode van het rapport (standaard het nieuwste volledige kwartaal)",
    )
    p.add_argument("--id", type=int, help="het abonnement (bij verwijderen; zie lijst)")
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_abonnement)

    p = sub.add_parser(
        "verzend", help="mail elke abonnee het rapport van de eigen deelnemer (maandelijks)"
    )
    p.add_argument(
        "--periode",
        help="de periode van alle rapporten (standaard per abonnement de nieuwste volledige)",
    )
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_verzend)

    p = sub.add_parser(
        "signaleer",
        help="vergelijk de statussen met de vorige lading en mail wat rood of oranje werd "
        "(draait ook vanzelf na elke lading)",
    )
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_signaleer)

    p = sub.add_parser("serve", help="start het dashboard")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_serve)
    return root


def main(argv: list[str] | None = None) -> int:
    from vthmonitor.settings import SettingsError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        print(f"vthmonitor {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nvthmonitor {args.command}: afgebroken met Ctrl-C.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user
        return _unexpected(args, exc)


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    """An error nobody foresaw: a Dutch sentence for the user, the traceback in a file for the
    beheerder (docs/invoer.md). A load or rebuild never published anything half."""
    import traceback

    from pipelines.publishing import describe_failure

    where = ""
    try:
        # in the lake, next to the landing zone: a message may quote a value from an export
        folder = _settings(args).lake_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = tijd.nu().strftime("%Y%m%dT%H%M%S")
        log = folder / f"fout-{args.command}-{stamp}-{os.getpid()}.txt"
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = f" Technische details voor de beheerder: {log}."
    except Exception:  # noqa: BLE001 - a full disk: the sentence alone must do
        pass
    print(
        f"vthmonitor {args.command}: {describe_failure(exc, '')}. Er is niets half gepubliceerd; "
        f"de vorige gegevens blijven zichtbaar.{where}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
