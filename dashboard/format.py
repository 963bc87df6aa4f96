"""Dutch formatting for display: 1.234,5 and 31-12-2025 (not the browser's locale)."""

from __future__ import annotations

import datetime as dt

from vthmonitor.tijd import AMSTERDAM


def getal(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def datum(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    if value is None:
        return "–"
    if with_time and isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def tijdstip(value: dt.datetime | None) -> str:
    """A moment stored with a time zone (the app state keeps UTC) as Dutch local time."""
    if value is None:
        return "–"
    return datum(value.astimezone(AMSTERDAM), with_time=True)


# The one unit table: per unit of kpi.catalogus.eenheid, the decimals shown and how the unit is
# written around the number. Display only: values and downloads keep full precision.
EENHEDEN: dict[str, tuple[int, str]] = {
    "procent": (1, "{}%"),
    "aantal": (0, "{}"),
    "uren": (0, "{} uur"),
    "dagen": (0, "{} dagen"),
    "per 1.000 inwoners": (2, "{} per 1.000 inwoners"),
    "aantal per fte": (2, "{} per fte"),
    "EUR": (0, "€ {}"),
    "kWh": (0, "{} kWh"),
    "m3 gas": (0, "{} m³ gas"),
    "fte": (1, "{} fte"),
    "score": (0, "{}"),
    "ja/nee (1/0)": (0, "{}"),
}
MILJOEN = 1_000_000


def decimalen(eenheid: str | None) -> int:
    """Decimals shown for a unit (1 for a unit the table does not know)."""
    return EENHEDEN.get(eenheid or "", (1, ""))[0]


def met_eenheid(value: float | None, eenheid: str | None) -> str:
    """A KPI value in Dutch notation with its unit: 87,7%, 1.234 uur, € 16,8 mln (amounts of a
    million or more in millions), '–' for no value."""
    if value is None:
        return "–"
    if eenheid == "EUR" and abs(value) >= MILJOEN:
        return f"€ {getal(value / MILJOEN, 1)} mln"
    aantal, vorm = EENHEDEN.get(eenheid or "", (1, "{} " + (eenheid or "")))
    return vorm.format(getal(value, aantal)).strip()


def verschil(value: float | None, eenheid: str | None) -> str:
    """A change with its sign: +2,5 / −1 / 0 (in the unit of the KPI; percentages in
    procentpunten)."""
    if value is None:
        return "–"
    aantal = decimalen(eenheid)
    if eenheid == "EUR" and abs(value) >= MILJOEN:
        return f"{'+' if value > 0 else ''}{getal(value / MILJOEN, 1)} mln"
    if round(value, aantal) == 0:
        return getal(0, aantal)
    return f"{'+' if value > 0 else ''}{getal(value, aantal)}"


OPERATOR = {">=": "≥", "<=": "≤", "=": "="}


def norm_tekst(operator: str | None, norm: float | None, eenheid: str | None) -> str:
    """A norm as Dutch text: '≥ 90,0%', 'geen norm'."""
    if norm is None:
        return "geen norm"
    return f"{OPERATOR.get(operator or '', operator or '')} {met_eenheid(norm, eenheid)}"


def eenheid_tekst(eenheid: str | None) -> str | None:
    """How a unit reads in a column of its own ("Eenheid", beside a column of plain numbers so a
    download sums in Excel, docs/exports.md): the unit of its form in EENHEDEN ('%', '€', 'uur',
    'per fte'), or the unit's own name where the form has none ('aantal', 'score')."""
    if eenheid is None:
        return None
    vorm = EENHEDEN.get(eenheid, (1, ""))[1]
    return vorm.replace("{}", "").strip() or eenheid


def voorbij(deadline: dt.date, peildatum: dt.date) -> str:
    """A deadline seen from the peildatum: 'voorbij' or 'nog 12 dagen'."""
    return "voorbij" if deadline < peildatum else f"nog {(deadline - peildatum).days} dagen"
