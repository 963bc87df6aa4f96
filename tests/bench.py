"""`make bench`: load throughput, files-to-published time and peak memory at scales 1 and 10,
against the floor of DuckDB's own read_csv of the same CSV files without any checks.

Each measured load runs in a fresh process (peak RSS of that process = the load's peak memory)
on a fresh lake. Medians over BENCH_RUNS runs at scale 1 (default 3) and one run at scale 10;
this machine is shared and noisy, so compare medians, not single runs.
"""

from __future__ import annotations

import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from pipelines.sample import as_text, write_csv, write_sample
from tests.bench_browser import browser_timings
from tests.bench_rapport import rapport_timings
from vthmonitor.lake import LakePaths, published_warehouse

WORK = Path(os.environ.get("BENCH_DIR", Path(tempfile.gettempdir()) / "vthmonitor-bench"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
RUNS_10 = int(os.environ.get("BENCH_RUNS_10", "3"))
# BENCH_ONLY=load: only the loads (files -> published, the monthly export, the no-op), not the
# app, the browser and the report
ONLY_LOAD = os.environ.get("BENCH_ONLY") == "load"
SCALES = [float(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
ENV = {**os.environ, "VTHMONITOR_PSEUDONYM_KEY": "bench"}


def sample(scale: float) -> Path:
    out = WORK / f"sample-{scale:g}"
    marker = out / ".klaar"
    if not marker.exists():
        started = time.perf_counter()
        write_sample(out, scale=scale, seed=2026)
        marker.touch()
        print(f"  sample scale {scale:g} written in {time.perf_counter() - started:.1f} s")
    return out


def rows_in(folder: Path) -> int:
    con = duckdb.connect()
    total = 0
    for f in sorted(folder.rglob("*.csv")):
        total += con.execute(
            f"select count(*) from read_csv('{f}', delim=';', header=true, "
            "all_varchar=true, encoding='latin-1')"
        ).fetchone()[0]
    for f in sorted(folder.rglob("*.xlsx")):
        total += pl.read_excel(f).height
    return total


def timed_load(paths: list[Path], lake: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `vthmonitor load` in its own process; the peak is that
    process's own (os.wait4), not the largest of every child so far."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "vthmonitor.cli", "load", *map(str, paths), "--lake", str(lake)],
            env=ENV,
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            err.seek(0)
            raise SystemExit(f"load failed:\n{out.read()[-2000:]}\n{err.read()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def floor(folder: Path) -> float:
    """DuckDB read_csv of the same CSV files into tables, no checks, no types (the floor)."""
    con = duckdb.connect()
    started = time.perf_counter()
    for i, f in enumerate(sorted(folder.rglob("*.csv"))):
        con.execute(
            f"create table t{i} as select * from read_csv('{f}', delim=';', "
            "header=true, all_varchar=true, encoding='latin-1')"
        )
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def monthly_export(folder: Path) -> Path:
    """One extra month of hours (the largest monthly export), as a later file would bring."""
    target = WORK / "maand" / "uren_20260228.csv"
    if not target.exists():
        december = pl.read_csv(
            folder / "powerbrowser" / "uren_20251231.csv",
            separator=";",
            infer_schema=False,
            encoding="utf8-lossy",
        ).filter(pl.col("datum").str.contains("-12-2025"))
        shifted = december.with_columns(
            pl.col("regel_id").str.replace("U2025-", "U2026-"),
            pl.col("datum").str.replace("-12-2025", "-01-2026"),
        )
        write_csv(as_text(shifted), target)
    return target


def monthly_loads(month: Path, lake: Path, runs: int) -> dict:
    """The same monthly export into `lake` `runs` times (each a fresh copy under a new name: the
    same bytes would be a no-op), the warehouse file's growth per load, then one no-op."""
    times, growth = [], []
    for i in range(runs):
        copy = month.with_name(f"uren_202602{10 + i}.csv")
        # new keys each time, so every load adds a month of rows as a real one does
        copy.write_bytes(month.read_bytes().replace(b"U2026-", f"U{2100 + i}-".encode()))
        before = _warehouse_size(lake)
        times.append(timed_load([copy], lake)[0])
        growth.append(_warehouse_size(lake) - before)
    noop = timed_load([copy], lake)[0]
    return {
        "extra_month_s": statistics.median(times),
        "extra_month_spread_s": f"{min(times):.1f}-{max(times):.1f}",
        "growth_per_month_mb": statistics.median(growth) / 2**20,
        "warehouse_mb": _warehouse_size(lake) / 2**20,
        "noop_s": noop,
    }


def _warehouse_size(lake: Path) -> int:
    return published_warehouse(LakePaths(lake)).stat().st_size


def query_latency(lake: Path) -> list[tuple[str, float, float]]:
    """(query, median ms, p95 ms) of the KPI lookups a page does, on the published warehouse.

    DuckDB keeps no result cache, so every run is uncached; 25 runs each, over the deelnemers.
    """
    from vthmonitor.lake import LakePaths, connect_reader, published_warehouse

    con = connect_reader(published_warehouse(LakePaths(lake)))
    codes = [r[0] for r in con.execute("select code from staging.deelnemers").fetchall()]
    queries = [("kpi.waarden, one deelnemer", "select * from kpi.waarden where deelnemer_code = ?")]
    for (view,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'kpi' "
        "and table_name not in ('waarden', 'catalogus') order by 1"
    ).fetchall():
        columns = {d[0] for d in con.execute(f"select * from kpi.{view} limit 0").description}
        where = " where deelnemer_code = ?" if "deelnemer_code" in columns else ""
        queries.append(
            (
                f"kpi.{view}" + (", one deelnemer" if where else ""),
                f"select * from kpi.{view}{where}",
            )
        )
    results = []
    for label, sql in queries:
        timings = []
        for i in range(25):
            params = [codes[i % len(codes)]] if "?" in sql else []
            started = time.perf_counter()
            con.execute(sql, params).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results.append((label, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]))
    con.close()
    return results


def page_latency(lake: Path, runs: int = 10) -> list[tuple[str, int, float, float]]:
    """(page, queries per run, median ms, p95 ms) of each page's queries, uncached.

    Every page is run under AppTest as the MT (who sees every page and deelnemer), or as the
    page's own role when the MT does not see it (the SQL-werkbank: analysts), with the data
    layer's cache replaced by a timed direct query, so each run pays for every query."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import dashboard.data as data

    os.environ["VTHMONITOR_LAKE"] = str(lake)
    os.environ["VTHMONITOR_DEMO"] = "1"  # demo users: no identity provider here
    # AppTest outside a server logs "missing ScriptRunContext" for every cached call
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    timings: list[float] = []

    def timed(build_id: str, sql: str, params: tuple):
        started = time.perf_counter()
        frame = data.lake().cursor().sql(sql, params=list(params) or None).pl()
        timings.append((time.perf_counter() - started) * 1000)
        return frame

    data._cached = timed
    app = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
    from dashboard.inlog import DEMO_GEBRUIKERS
    from dashboard.navigation import PAGES

    DEMO_USER = {g.rol: key for key, g in reversed(DEMO_GEBRUIKERS.items())}
    results = []
    for name, path, _title, roles in PAGES:
        role = "mt" if "mt" in roles else roles[0]
        totals, counts = [], []
        for _ in range(runs):
            st.cache_resource.clear()
            at = AppTest.from_file(app, default_timeout=120)
            at.query_params["demo"] = DEMO_USER[role]  # demo mode: no identity provider
            at.run()
            at.switch_page(path)
            timings.clear()
            at.run()
            # a failure is a Dutch notice now (dashboard/fouten.py), not an exception
            notices = [e.value for e in at.error if "Code " in e.value]
            if at.exception or notices:
                raise SystemExit(f"page {name} failed: {at.exception or notices}")
            totals.append(sum(timings))
            counts.append(len(timings))
        totals.sort()
        results.append(
            (
                name,
                max(counts),
                statistics.median(totals),
                totals[max(0, int(len(totals) * 0.95) - 1)],
            )
        )
    return results


def workbench_latency(lake: Path, runs: int = 10) -> list[tuple[str, float, float]]:
    """(query, median ms, p95 ms) of ad-hoc SQL through the workbench's worker processes (check +
    run + row cap + Arrow hand-over), for the example queries; plus the check alone, a trivial
    query with a warm spare and with a cold worker, and a capped 10 M-row result.

    Every timed run but the cold one starts with the spare ready, as for an analyst who reads a
    result before running the next query; a back-to-back run is listed too."""
    from vthmonitor.lake import LakePaths, connect_reader, published_warehouse
    from vthmonitor.settings import Settings
    from vthmonitor.werkbank.sandbox import Limits, check
    from vthmonitor.werkbank.service import examples
    from vthmonitor.werkbank.worker import Workers

    settings = Settings(lake_dir=lake)
    workers = Workers(settings, spares=1)
    con = connect_reader(published_warehouse(LakePaths(lake)))
    cases = [("select 1 (warme reserve)", "select 1")]
    cases += [(f"voorbeeld {e.name}", e.sql) for e in examples()]
    cases.append(("10 M rijen, afgekapt op 10.000", "select * from range(10000000)"))
    results = []

    def measure(label: str, action, times: int = runs, before=None) -> None:
        timings = []
        for _ in range(times):
            if before is not None:
                before()
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results.append((label, statistics.median(timings), timings[max(0, int(times * 0.95) - 1)]))

    join = next(sql for label, sql in cases if "klachten_per_inrichting" in label)
    measure("alleen de controle (voorbeeld klachten_per_inrichting)", lambda: check(con, join))
    con.close()
    for label, sql in cases:
        measure(label, lambda sql=sql: workers.run(sql, Limits()), before=workers.wait_ready)
    measure(
        "select 1, direct na elkaar (reserve nog niet klaar)",
        lambda: workers.run("select 1", Limits()),
    )

    def cold() -> None:
        single = Workers(settings, spares=0)  # what `vthmonitor sql` does
        try:
            single.run("select 1", Limits())
        finally:
            single.close()

    measure("select 1, koud gestart werkproces (vthmonitor sql)", cold, times=5)
    workers.close()
    return results


# The review's runaway queries (item 9): in the app's process they ran 180 s, 146 s / 4.7 GB and
# peaked at 4.8 GB under a 10 s limit.
RUNAWAYS = [
    ("lpad('x', 2e9, 'y')", "select lpad('x', 2000000000, 'y')"),
    ("list_sort(range(1e8))", "select list_sort(range(100000000))"),
    ("resultaat van 4 GB aan tekst", "select repeat('x', 2000000) as s from range(2500)"),
    (
        "oneindige cross join",
        "select count(*) from range(100000) a, range(100000) b, range(100000) c",
    ),
]


def workbench_runaways(lake: Path) -> list[tuple[str, str, float, float | None]]:
    """(case, outcome, seconds until stopped, the worker's peak memory in MB) under a 2 s limit
    and the default worker memory cap."""
    from vthmonitor.settings import Settings
    from vthmonitor.werkbank.sandbox import Limits, SandboxError
    from vthmonitor.werkbank.worker import Workers

    settings = Settings(lake_dir=lake)
    workers = Workers(settings, spares=1)
    found = []
    for label, sql in RUNAWAYS:
        workers.wait_ready()
        started = time.perf_counter()
        try:
            result = workers.run(
                sql, Limits(time_limit_s=2, memory_bytes=settings.sql_worker_memory_bytes)
            )
            outcome, peak = f"klaar ({result.rows} rijen)", result.peak_memory_bytes
        except SandboxError as exc:
            outcome, peak = f"{type(exc).__name__}: {exc.status}", exc.peak_memory_bytes
        elapsed = time.perf_counter() - started
        found.append((label, outcome, elapsed, peak / 1024**2 if peak else None))
    workers.close()
    return found


def main() -> None:
    latencies: list[tuple[str, float, float]] = []
    workbench: list[tuple[str, float, float]] = []
    runaways: list[tuple[str, str, float, float | None]] = []
    pages: list[tuple[str, int, float, float]] = []
    browser: dict[float, list[tuple]] = {}
    rapporten: dict[float, dict] = {}
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"Benchmark in {WORK} (runs at scale 1: {RUNS}); machine: {os.cpu_count()} cores")
    results = []
    for scale in SCALES:
        folder = sample(scale)
        rows = rows_in(folder)
        runs = RUNS if scale <= 1 else RUNS_10
        times, peaks, floors = [], [], []
        for run in range(runs):
            # alternating, so a busy spell of this shared machine hits both alike
            lake = WORK / f"lake-{scale:g}-{run}"
            subprocess.run(["rm", "-rf", str(lake)], check=True)
            elapsed, peak = timed_load([folder], lake)
            times.append(elapsed)
            peaks.append(peak)
            floors.append(floor(folder))
        median, floor_median = statistics.median(times), statistics.median(floors)
        line = {
            "scale": scale,
            "rows": rows,
            "files_to_published_s": median,
            "spread_s": f"{min(times):.1f}-{max(times):.1f}",
            "rows_per_s": rows / median,
            "peak_rss_mb": statistics.median(peaks),
            "peak_rss_max_mb": max(peaks),
            "duckdb_read_csv_floor_s": floor_median,
            "ratio": median / floor_median,
            "ratio_spread": f"{min(times) / max(floors):.1f}-{max(times) / min(floors):.1f}",
        }
        line |= monthly_loads(monthly_export(sample(1)), WORK / f"lake-{scale:g}-0", runs=3)
        results.append(line)
        print(f"  scale {scale:g}: " + ", ".join(f"{k}={_fmt(v)}" for k, v in line.items()))
        if ONLY_LOAD:
            continue
        # in chromium, warm server: every page and the interactions (issue 13)
        browser[scale] = browser_timings(WORK / f"lake-{scale:g}-0")
        rapporten[scale] = rapport_timings(WORK / f"lake-{scale:g}-0")
        if scale == max(SCALES):
            latencies = query_latency(WORK / f"lake-{scale:g}-0")
            pages = page_latency(WORK / f"lake-{scale:g}-0")
            workbench = workbench_latency(WORK / f"lake-{scale:g}-0")
            runaways = workbench_runaways(WORK / f"lake-{scale:g}-0")

    if rapporten:
        print("\nAccount-meeting report (issue 14; targets: < 2 s warm, all 15 < 30 s):")
        print("| scale | first (s) | warm median (s) | warm max (s) | all, one process (s) |")
        print("|---|---|---|---|---|")
    for scale, r in rapporten.items():
        print(
            f"| {scale:g} | {r['first_s']:.2f} | {r['warm_median_s']:.2f} | "
            f"{r['warm_max_s']:.2f} | {r['alle_median_s']:.1f} ({r['alle_reports']} reports) |"
        )

    print("\nLoads (medians; spread = lowest-highest):")
    print(
        "| scale | rows | files->published (s) | spread (s) | rows/s | peak RSS (MB, max) "
        "| read_csv floor (s) | ratio | ratio spread | extra month (s) | spread (s) "
        "| growth/month (MB) | warehouse (MB) | no-op (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['scale']:g} | {r['rows']:,} | {r['files_to_published_s']:.1f} | "
            f"{r['spread_s']} | {r['rows_per_s']:,.0f} | "
            f"{r['peak_rss_mb']:.0f} ({r['peak_rss_max_mb']:.0f}) | "
            f"{r['duckdb_read_csv_floor_s']:.2f} | {r['ratio']:.1f}x | {r['ratio_spread']} | "
            f"{r['extra_month_s']:.2f} | {r['extra_month_spread_s']} | "
            f"{r['growth_per_month_mb']:.1f} | {r['warehouse_mb']:.0f} | {r['noop_s']:.2f} |"
        )
    print(
        "Targets (README.md, issue 15): files->published scale 1 <= 20 s, scale 10 <= 150 s; "
        "ratio to the read_csv floor <= 3x; peak RSS at scale 10 <= 1,5 GiB; the same monthly "
        "export <= 3 s into the scale-1 lake and <= 5 s into the scale-10 lake; growth per "
        "month about the data it adds; no-op <= 1 s."
    )
    if ONLY_LOAD:
        return
    print(f"\nQuery latency at scale {max(SCALES):g} (uncached, 25 runs):")
    print("| query | median (ms) | p95 (ms) |")
    print("|---|---|---|")
    for label, median_ms, p95_ms in latencies:
        print(f"| {label} | {median_ms:.1f} | {p95_ms:.1f} |")
    print(
        f"\nSQL-werkbank at scale {max(SCALES):g} (worker process: sandbox check + run + row cap + "
        "Arrow hand-over, 10 runs):"
    )
    print("| query | median (ms) | p95 (ms) |")
    print("|---|---|---|")
    for label, median_ms, p95_ms in workbench:
        print(f"| {label} | {median_ms:.1f} | {p95_ms:.1f} |")
    print("\nSQL-werkbank runaway queries (time limit 2 s, default worker memory cap):")
    print("| query | outcome | stopped after (s) | worker peak RSS (MB) |")
    print("|---|---|---|---|")
    for label, outcome, seconds, peak_mb in runaways:
        print(f"| {label} | {outcome} | {seconds:.2f} | {_fmt(peak_mb)} |")
    print(
        f"\nPage queries at scale {max(SCALES):g} (uncached, all queries of one page run, as MT "
        "or the page's own role):"
    )
    print("| page | queries | median (ms) | p95 (ms) |")
    print("|---|---|---|---|")
    for name, count, median_ms, p95_ms in pages:
        print(f"| {name} | {count} | {median_ms:.0f} | {p95_ms:.0f} |")
    for scale, rows in browser.items():
        print(
            f"\nIn the browser at scale {scale:g} (chromium, warm server, {5} runs: from the "
            "click or navigation until the run has finished and is drawn; bytes over the "
            "websocket):"
        )
        print("| what | median (s) | max (s) | median (kB) | max (kB) |")
        print("|---|---|---|---|---|")
        for what, median_s, max_s, median_kb, max_kb in rows:
            print(f"| {what} | {median_s:.2f} | {max_s:.2f} | {median_kb:.0f} | {max_kb:.0f} |")
    print(
        "Targets (README.md): KPI lookup for one deelnemer "
        "<= 30 ms; every page's queries p95 <= 150 ms; in the browser every page drawn "
        "within 1 s, every interaction within 0,5 s, at most ~300 kB per page."
    )


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


if __name__ == "__main__":
    main()
