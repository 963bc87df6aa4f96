"""`make bench`: the account-meeting report (issue 14, docs/rapport.md). One report warm: the
process has made one before (fonts, Typst and vl-convert loaded), and the query cache is
cleared before each run, so every query runs again, as on the first click after a load. And all
deelnemers in one `vthmonitor rapport --alle` process, start-up included. Targets: under 2 s
warm, all 15 under 30 s."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WARM = """
import json, os, statistics, sys, time
os.environ["VTHMONITOR_LAKE"] = sys.argv[1]
import streamlit.logger
streamlit.logger.set_log_level("error")
import streamlit as st
from dashboard.rapport import maak
from dashboard.viewer import Viewer
viewer = Viewer("beheerder")
t = time.perf_counter(); maak(viewer, "GM0164", "2025-Q4"); first = time.perf_counter() - t
warm = []
for periode in ("2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1", "2024-Q4"):
    st.cache_data.clear()  # uncached queries: the first click on a new build
    t = time.perf_counter(); maak(viewer, "GM0164", periode); warm.append(time.perf_counter() - t)
print(json.dumps({"first": first, "warm": warm}))
"""


def rapport_timings(lake: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _WARM, str(lake)], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    with tempfile.TemporaryDirectory() as folder:
        alle = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "vthmonitor.cli",
                    "rapport",
                    "--alle",
                    "--periode",
                    "2025-Q4",
                    "--map",
                    folder,
                    "--lake",
                    str(lake),
                ],
                capture_output=True,
                check=True,
            )
            alle.append(time.perf_counter() - t)
        count = len(list(Path(folder).glob("*.pdf")))
    return {
        "first_s": result["first"],
        "warm_median_s": statistics.median(result["warm"]),
        "warm_max_s": max(result["warm"]),
        "alle_median_s": statistics.median(alle),
        "alle_reports": count,
    }


if __name__ == "__main__":
    print(json.dumps(rapport_timings(Path(sys.argv[1])), indent=1))
