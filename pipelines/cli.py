"""`vthmonitor`: the command-line interface (sample, load, rebuild, sql, serve).

Exit codes: 0 = everything accepted, 1 = a file was rejected or a query failed, 2 = usage error.
Messages are Dutch and say what to do; no stack traces for expected errors.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
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


def cmd_sql(args: argparse.Namespace) -> int:
    from pipelines.lake import NoLake, PublishedLake

    lake = PublishedLake(_settings(args))
    try:
        cursor = lake.cursor()
        if args.format == "csv":
            cursor.execute(args.query)
            if cursor.description is None:
                raise duckdb.InvalidInputException("de opdracht gaf geen resultaat")
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow([d[0] for d in cursor.description])
            while batch := cursor.fetchmany(10_000):
                writer.writerows(batch)
        else:
            frame = cursor.sql(args.query).pl()
            with pl.Config(tbl_rows=args.max_rows, tbl_cols=-1, fmt_str_lengths=60):
                print(frame)
    except NoLake as exc:
        print(f"vthmonitor sql: {exc}", file=sys.stderr)
        return 1
    except (duckdb.Error, AttributeError) as exc:
        # AttributeError: a statement without a result (e.g. a failed DDL) has no .pl()
        print(
            "vthmonitor sql: de query kon niet worden uitgevoerd. Controleer de SQL.\n"
            f"DuckDB meldt: {exc}",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    env["VTHMONITOR_LAKE"] = str(_settings(args).lake_dir)
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
    return subprocess.call(command, env=env)


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

    p = sub.add_parser("sql", help="voer een alleen-lezen query uit op de gepubliceerde datalake")
    p.add_argument("query")
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
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
