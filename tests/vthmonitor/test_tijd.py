"""The lake's one clock (docs/architectuur.md, "Tijd"): a load on a server that runs in UTC is
stamped in Amsterdam time, as users read every other time."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from zoneinfo import ZoneInfo

from pipelines.load import load
from vthmonitor import tijd
from vthmonitor.lake import PublishedLake


def test_a_load_on_a_utc_server_is_stamped_in_amsterdam_time(
    small_sample, settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        bestand = sorted((small_sample / "powerbrowser").glob("klachten*"))[0]
        folder = tmp_path / "aanlevering"
        folder.mkdir()
        shutil.copy(bestand, folder / bestand.name)
        voor = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).replace(tzinfo=None)
        load(settings, [folder])
        na = tijd.nu()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    lake = PublishedLake(settings)
    klaar, gebouwd = (
        lake.cursor()
        .execute("select (select max(klaar) from meta.loads), (select gebouwd_op from meta.build)")
        .fetchone()
    )
    # Amsterdam is 1 or 2 hours ahead of UTC: a UTC stamp would fall before `voor`
    assert voor - dt.timedelta(seconds=1) <= klaar <= na
    assert voor - dt.timedelta(seconds=1) <= gebouwd <= na
