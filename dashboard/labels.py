"""Dutch labels for codes in the data, in one place (pages, charts, tables and downloads say the
same thing)."""

from __future__ import annotations

# LHSO (Landelijke Handhavingsstrategie): gevolgen A worst, gedrag 4 worst.
GEVOLGEN = {"A": "A aanzienlijk", "B": "B van belang", "C": "C beperkt", "D": "D nihil"}
GEDRAG = {"1": "1 goedwillend", "2": "2 onverschillig", "3": "3 calculerend", "4": "4 bewust"}

INSTRUMENTEN = {
    "bsbm": "BSBM (bestuurlijke strafbeschikking milieu)",
    "proces_verbaal": "Proces-verbaal",
    "strafbeschikking": "Strafbeschikking",
    "last_onder_dwangsom": "Last onder dwangsom",
    "last_onder_bestuursdwang": "Last onder bestuursdwang",
    "bestuurlijke_boete": "Bestuurlijke boete",
}

# Month 1 ... 12 as on an axis or a column heading.
MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

# The aarden beyond the colours a chart can tell apart, together (data.klachten.groepeer_aarden).
OVERIGE_AARDEN = "overige aarden"


# The Dutch words for the milestone statuses of the reference data (kpi.mijlpalen), with a
# symbol so the status never depends on colour alone.
MIJLPAAL_STATUS = {
    "gereed": "✔ gereed",
    "op_schema": "● op schema",
    "risico": "▲ risico",
    "vertraagd": "✖ vertraagd",
    # kpi.mijlpalen.status_nu: past the deadline and not done, whatever the reference data say
    "verstreken": "✖ verstreken, niet gereed",
}

# With the text, never alone: an incomplete period (docs/kpis.md, "Dekking").
ONVOLLEDIG = "◐"
