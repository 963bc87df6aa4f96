"""`vthmonitor`: the command-line interface (sample, load, rebuild, sql, serve).

Exit codes: 0 = everything accepted, 1 = a file was rejected or a query failed, 2 = usage error,
130 = `sql` stopped with Ctrl-C (the shell's convention for SIGINT; the query's worker process is
killed and its audit row completed as 'afgebroken').
Messages are Dutch and say what to do; no stack traces for expected errors.
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
from pathlib import Path

import polars as pl

from pipelines.settings import PROJECT_DIR, Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(getattr(args, "lake", None))


def cmd_sample(args: argparse.Namespace) -> int:
    from pipelines.sample import write_sample

    counts = write_sample(Path(args.out), scale=args.scale, seed=args.seed)
    total = sum(counts.values())
    for name, rows in counts.items():
        print(f"{name}: {rows} rijen")
    print(f"Voorbeeldexports geschreven naar {args.out}: {total} rijen in totaal.")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from pipelines.build import BuildError
    from pipelines.load import UsageError, load

    settings = _settings(args)
    try:
        report = load(
            settings,
            [Path(p) for p in args.paths],
            kind=args.kind,
            progress=lambda result: print(result.line(), flush=True),
        )
    except UsageError as exc:
        print(f"vthmonitor load: {exc}", file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"vthmonitor load: {exc}", file=sys.stderr)
        return 1
    if report.published:
        print(f"Gepubliceerd: {report.published}")
    else:
        print("Niets nieuws: de gepubliceerde datalake is ongewijzigd.")
    return 1 if report.any_rejected else 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from pipelines.build import BuildError, build_and_publish
    from pipelines.lake import LakePaths, exclusive_lock

    settings = _settings(args)
    try:
        with exclusive_lock(LakePaths(settings.lake_dir)):
            built = build_and_publish(settings, incremental=False)
    except BuildError as exc:
        print(f"vthmonitor rebuild: {exc}", file=sys.stderr)
        return 1
    print(f"Opnieuw opgebouwd uit raw en gepubliceerd: {built.name}")
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
    from dashboard import export
    from pipelines.app_state import AppState, InvalidSavedQuery
    from pipelines.sandbox import QueryFailed, Refused
    from pipelines.sql_worker import Workers
    from pipelines.workbench import limits, run_logged

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
                sys.stdout.write(export._excel_safe(result.frame).write_csv())
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
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("rebuild", help="bouw het warehouse opnieuw op uit de raw-laag")
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_rebuild)

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

    p = sub.add_parser("serve", help="start het dashboard")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--lake", help=lake_help)
    p.set_defaults(func=cmd_serve)
    return root


def main(argv: list[str] | None = None) -> int:
    from pipelines.settings import SettingsError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        print(f"vthmonitor {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nvthmonitor {args.command}: afgebroken met Ctrl-C.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
