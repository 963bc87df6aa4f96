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
