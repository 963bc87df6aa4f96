"""Deelnemer (accounthouder): one deelnemer's figures for the monthly accountoverleg. One
choice of period holds for every block; the summary of the headline KPIs is on the first
screen; below it one tab per subject, drawn only when open. From a KPI the user opens the rows
behind it (drill-through), scoped and without personal data, downloadable. The parts are in
dashboard/deelnemer_blokken.py; docs/dashboard.md, "Deelnemer".
"""

from __future__ import annotations

from dashboard import components
from dashboard import deelnemer_blokken as blokken

keuze = blokken.keuze(components.viewer())
if keuze is not None:
    blokken.toelichting(keuze)
    blokken.samenvatting(keuze)
    blokken.blokken(keuze)
    blokken.abonnementen(keuze)
