"""Progress lines of long work (vthmonitor/voortgang.py; issue 15)."""

from __future__ import annotations

import io

from vthmonitor import voortgang


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_one_plain_line_per_step_with_the_seconds():
    out = io.StringIO()
    with voortgang.toon(out):
        voortgang.meld("staging bouwen (18 tabellen en views)")
        voortgang.meld("kpi bouwen (16 tabellen en views)")
    assert out.getvalue().splitlines() == [
        "  staging bouwen (18 tabellen en views) (0 s)",
        "  kpi bouwen (16 tabellen en views) (0 s)",
    ]


def test_a_terminal_gets_one_line_that_is_overwritten_and_cleared_at_the_end():
    out = _Terminal()
    with voortgang.toon(out):
        voortgang.meld("staging bouwen")
        voortgang.meld("kpi")
    text = out.getvalue()
    assert "\n" not in text
    assert text.count("\r") == 4  # one per step, two to clear the line at the end
    assert text.endswith("\r")


def test_nobody_listening_shows_nothing(capsys):
    voortgang.meld("staging bouwen")
    assert capsys.readouterr() == ("", "")


def test_a_step_that_says_how_far_it_is_gets_a_bar_on_a_terminal_and_a_count_in_a_log():
    log, terminal = io.StringIO(), _Terminal()
    for out in (log, terminal):
        with voortgang.toon(out):
            voortgang.meld("zaken_2025.csv lezen en controleren", (1, 4))
            voortgang.regel("geladen: zaken_2025.csv (zaken): 10 rijen geladen")
            voortgang.meld("uren_2025.csv lezen en controleren", (2, 4))
    assert log.getvalue().splitlines() == [
        "  [1/4] zaken_2025.csv lezen en controleren (0 s)",
        "geladen: zaken_2025.csv (zaken): 10 rijen geladen",
        "  [2/4] uren_2025.csv lezen en controleren (0 s)",
    ]
    text = terminal.getvalue()
    assert "[█████░░░░░░░░░░░░░░░] 1/4 zaken_2025.csv" in text
    assert "[██████████░░░░░░░░░░] 2/4 uren_2025.csv" in text
    # the line that stays is on a line of its own, and the bar is drawn again after it
    assert text.count("\n") == 1
    stays = text.split("\n")[0].split("\r")[-1]
    assert stays.startswith("geladen: zaken_2025.csv (zaken): 10 rijen geladen")
    assert text.split("\n")[1].startswith("\r  [█████░░░░░░░░░░░░░░░] 1/4")
