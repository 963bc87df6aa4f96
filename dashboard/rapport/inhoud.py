"""What the account-meeting report says: one deelnemer, one period, as plain data (texts already in
Dutch notation) for the Typst template (docs/rapport.md). No layout here, no Streamlit calls.

Scope: the report is made to be handed to the municipality, so it holds exactly what that
deelnemer's accounthouder may see, whoever asks for it: the data layer is called with an
accounthouder's viewer of this one deelnemer, which withholds a TOTAAL that would disclose other
deelnemers (docs/vergelijking-totaal.md). Whether the person asking may have the deelnemer at
all is checked before (dashboard/rapport/__init__.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

import polars as pl

from dashboard import charts, components, data, perioden
from dashboard.data import TOTAAL
from dashboard.data import deelnemer as dd
from dashboard.data import overzicht as ov
from dashboard.data.deelnemer import BLOKKEN, SAMENVATTING
from dashboard.format import datum, getal, met_eenheid, norm_tekst, verschil
from dashboard.labels import ONVOLLEDIG
from dashboard.viewer import Viewer

PERIODE = re.compile(r"^(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?$")
TREND_AANTAL = {"jaar": 6, "kwartaal": 8, "maand": 12}  # periods in a report's trend chart
MAX_PRODUCTEN = 12  # rows of the per-product table; the rest summed in one line


class RapportFout(ValueError):
    """A report that cannot be made as asked (Dutch message that says what to do)."""


def periode_type(periode: str) -> str:
    """'2025' -> jaar, '2025-Q4' -> kwartaal, '2025-11' -> maand."""
    found = PERIODE.match(periode.strip())
    if not found:
        raise RapportFout(
            f"'{periode[:20]}' is geen periode; schrijf een jaar (2025), een kwartaal (2025-Q4) "
            "of een maand (2025-11)."
        )
    if found.group(2) is None:
        return "jaar"
    return "kwartaal" if found.group(2).startswith("Q") else "maand"


def rapport_viewer(code: str, gebruiker: str = "", eigen: tuple[str, ...] = ()) -> Viewer:
    """The scope of every report of `code`: that deelnemer's accounthouder. An accounthouder of
    several deelnemers who asks gets TOTAAL withheld against all of them, as on their dashboard
    (`eigen`: the asker's own deelnemers; docs/vergelijking-totaal.md)."""
    deelnemers = tuple(sorted({code, *eigen}))
    return Viewer("accounthouder", deelnemers, gebruiker=gebruiker, naam="rapport")


@dataclass
class Tabel:
    kop: list[str]
    rijen: list[list[str]]
    uitlijning: str  # one letter per column: l(eft) or r(ight)
    titel: str = ""
    noot: str = ""


@dataclass
class Grafiek:
    spec: dict
    alt: str  # what the chart shows, for a screen reader (the table beside it has the numbers)


@dataclass
class Sectie:
    titel: str
    kengetallen: Tabel
    grafieken: list[Grafiek] = field(default_factory=list)
    tabellen: list[Tabel] = field(default_factory=list)
    noten: list[str] = field(default_factory=list)


@dataclass
class Inhoud:
    code: str
    naam: str
    periode_type: str
    periode: str
    titel: str
    periode_tekst: str
    gebouwd: str
    stand_per: str
    bronnen: Tabel
    onvolledig: list[str]
    samenvatting: Tabel
    overige: Tabel | None
    legenda: list[str]
    secties: list[Sectie]
    definities: list[dict]


# --- one KPI as text ----------------------------------------------------------------------------
class _Kpis:
    """The KPI rows of the period (deelnemer and TOTAAL, with the changes) and how to say them."""

    def __init__(self, viewer: Viewer, code: str, periode_type: str, periode: str):
        self.code, self.periode_type, self.periode = code, periode_type, periode
        self.info = data.kpi_info()
        # every KPI of the catalogue in one query; the ones with a value for this deelnemer
        # are the report's (the blocks' KPIs are shown even without one, and say why)
        self.frame = ov.vergelijking(viewer, list(self.info), periode_type, periode, [code, TOTAAL])
        eigen = self.frame.filter(
            (pl.col("deelnemer_code") == code)
            & (pl.col("waarde").is_not_null() | pl.col("waarde_tekst").is_not_null())
        )
        self.kpi_ids = [k for k in self.info if k in set(eigen["kpi_id"].to_list())]
        gevraagd = list(
            dict.fromkeys(
                [*SAMENVATTING, *[k for ids in BLOKKEN.values() for k in ids], *self.kpi_ids]
            )
        )
        self.soorten = data.periode_soorten()
        self.ongedekt = set(ov.ongedekt(gevraagd, periode_type, periode))
        self.voorbeeld = ov.voorbeeldnormen(gevraagd, periode_type, periode)
        self.labels = charts.status_labels(data.oranje_marge())
        self.vorige = perioden.vorige_periode(periode_type, periode)
        self.vorig_jaar = perioden.zelfde_periode_vorig_jaar(periode_type, periode)
        self.getoond: list[str] = []  # every KPI the report shows, for the definitions

    def rij(self, kpi_id: str, code: str) -> dict:
        found = self.frame.filter((pl.col("kpi_id") == kpi_id) & (pl.col("deelnemer_code") == code))
        return found.row(0, named=True) if found.height else {}

    def eenheid(self, kpi_id: str) -> str | None:
        return self.info.get(kpi_id, {}).get("eenheid")

    def naam(self, kpi_id: str) -> str:
        return self.info.get(kpi_id, {}).get("naam", kpi_id)

    def waarde(self, rij: dict, kpi_id: str) -> str:
        if not rij:
            return "–"
        return rij.get("waarde_tekst") or met_eenheid(rij.get("waarde"), self.eenheid(kpi_id))

    def heeft_waarde(self, rij: dict) -> bool:
        return bool(rij) and (rij.get("waarde") is not None or bool(rij.get("waarde_tekst")))

    def waarde_cel(self, kpi_id: str) -> str:
        """The value, or why there is none; an incomplete period says so."""
        rij = self.rij(kpi_id, self.code)
        soorten = self.soorten.get(kpi_id)
        if soorten and self.periode_type not in soorten:
            return f"– (niet {perioden.PER[self.periode_type]} berekend)"
        if not self.heeft_waarde(rij):
            if kpi_id in self.ongedekt or rij.get("dekking") == "geen":
                return "– (geen gegevens: de exports dekken deze periode niet)"
            return "–"
        tekst = self.waarde(rij, kpi_id)
        if rij.get("dekking") == "onvolledig":
            tekst += f" ({components.dekking_tekst(rij, self.periode_type, self.periode)})"
        return tekst

    def norm_woord(self, kpi_id: str) -> str:
        return "signaalwaarde" if kpi_id in self.voorbeeld else "norm"

    def status_cel(self, kpi_id: str) -> str:
        """Symbol and words, and the norm it was judged against: never colour alone."""
        rij = self.rij(kpi_id, self.code)
        if not self.heeft_waarde(rij) or rij.get("status") in (None, "geen_norm"):
            return "geen norm" if self.heeft_waarde(rij) else "–"
        woord = self.norm_woord(kpi_id)
        label = self.labels[rij["status"]].replace("norm", woord)
        norm = norm_tekst(rij.get("operator"), rij.get("norm"), self.eenheid(kpi_id))
        return f"{label}; {woord} {norm}"

    def verschil_cel(self, kpi_id: str, soort: str) -> str:
        """'+2,3 (was 85,1%)' against the previous period or the same period last year; no
        change is invented against or within an incomplete period."""
        rij = self.rij(kpi_id, self.code)
        if not rij:
            return "–"
        waarde = rij.get(f"{soort}_waarde")
        tekst = rij.get(f"{soort}_tekst")
        delta = rij.get("verschil_vorige" if soort == "vorige" else "verschil_vorig_jaar")
        was = tekst or met_eenheid(waarde, self.eenheid(kpi_id))
        if waarde is None and not tekst:
            return "–"
        if delta is None:
            onvolledig = (
                rij.get(f"{soort}_dekking") == "onvolledig" or rij.get("dekking") == "onvolledig"
            )
            return f"was {was}" + (" (onvolledig: geen verschil)" if onvolledig else "")
        return f"{verschil(delta, self.eenheid(kpi_id))} (was {was})"

    def totaal_cel(self, kpi_id: str) -> str:
        totaal = self.rij(kpi_id, TOTAAL)
        if totaal.get("onderdrukt"):
            return "niet getoond (te weinig andere deelnemers)"
        return self.waarde(totaal, kpi_id)

    def tabel(self, kpi_ids: tuple[str, ...] | list[str]) -> Tabel:
        self.getoond.extend(k for k in kpi_ids if k not in self.getoond)
        return Tabel(
            kop=[
                "Kengetal",
                self.periode,
                "Status",
                f"t.o.v. {self.vorige}",
                f"t.o.v. {self.vorig_jaar}",
                "Alle deelnemers",
            ],
            rijen=[
                [
                    self.naam(k),
                    self.waarde_cel(k),
                    self.status_cel(k),
                    self.verschil_cel(k, "vorige"),
                    self.verschil_cel(k, "vorig_jaar"),
                    self.totaal_cel(k),
                ]
                for k in kpi_ids
            ],
            uitlijning="lrlrrr",
        )


# --- charts and tables per section ---------------------------------------------------------------
def _spec(chart: partial, breedte: int = 420, hoogte: int = 180) -> dict:
    """The app's own chart (charts.<builder>), sized for paper."""
    spec = charts.spec(chart())
    spec["width"], spec["height"] = breedte, hoogte
    return spec


def _cellen(frame: pl.DataFrame, formaten: dict[str, int | None]) -> list[list[str]]:
    """Rows as Dutch text: numbers with the given decimals (None: as text), '–' for no value."""
    rijen = []
    for row in frame.iter_rows(named=True):
        cellen = []
        for kolom, value in row.items():
            decimals = formaten.get(kolom)
            if value is None:
                cellen.append("–")
            elif decimals is not None and isinstance(value, int | float):
                cellen.append(getal(value, decimals))
            else:
                cellen.append(str(value))
        rijen.append(cellen)
    return rijen


def _trend(
    viewer: Viewer, code: str, kpi_id: str, periode_type: str, periode: str, totaal: bool = True
) -> pl.DataFrame:
    frame = dd.reeksen(viewer, code, [(kpi_id, periode_type, periode, TREND_AANTAL[periode_type])])
    if not totaal:
        frame = frame.filter(pl.col("deelnemer_code") != TOTAAL)
    return dd.met_deelnemer_naam(frame, data.names())


def _trend_grafiek(reeks: pl.DataFrame, titel: str, eenheid: str, decimals: int) -> Grafiek:
    spec = _spec(
        partial(charts.trend, reeks, title=titel, y_title=eenheid, number_format=f",.{decimals}f")
    )
    return Grafiek(spec, f"Lijngrafiek: {titel}, per periode; de getallen staan in de tabel.")


def _trend_tabel(reeks: pl.DataFrame, titel: str, decimals: int, naam: str) -> Tabel:
    """A trend as one row per period: the deelnemer, all deelnemers and the norm."""
    breed = reeks.with_columns(
        pl.when(pl.col("onderdrukt")).then(None).otherwise(pl.col("waarde")).alias("waarde")
    ).pivot(on="deelnemer_code", index="periode", values="waarde", aggregate_function="first")
    normen = reeks.group_by("periode").agg(pl.col("norm").drop_nulls().first())
    breed = breed.join(normen, on="periode", how="left").sort("periode")
    kolommen = (
        ["periode"]
        + [c for c in (reeks["deelnemer_code"].unique().sort().to_list()) if c != TOTAAL]
        + ([TOTAAL] if TOTAAL in breed.columns else [])
        + ["norm"]
    )
    breed = breed.select([c for c in kolommen if c in breed.columns])
    kop = ["Periode"] + [
        naam if c not in (TOTAAL, "norm") else ("Alle deelnemers" if c == TOTAAL else "Norm")
        for c in breed.columns[1:]
    ]
    return Tabel(
        kop,
        _cellen(breed, {c: decimals for c in breed.columns[1:]}),
        "l" + "r" * (len(kop) - 1),
        titel,
    )


def _onvolledig_in(reeks: pl.DataFrame) -> list[str]:
    return sorted(set(reeks.filter(pl.col("dekking") == "onvolledig")["periode"].to_list()))


def sectie_producten(k: _Kpis, v: Viewer, einde) -> Sectie:
    reeks = _trend(v, k.code, "producten_gerealiseerd", k.periode_type, k.periode, totaal=False)
    jaar = int(k.periode[:4])
    producten = dd.producten_per_product(v, k.code, jaar, einde)
    rest = producten.slice(MAX_PRODUCTEN)
    tabel = Tabel(
        ["Product", "Gepland", "Gerealiseerd", "Realisatie"],
        [
            [
                r["product"],
                getal(r["gepland"]) if r["gepland"] is not None else "niet in programma",
                getal(r["gerealiseerd"]),
                f"{getal(r['realisatie_pct'], 1)}%" if r["realisatie_pct"] is not None else "–",
            ]
            for r in producten.head(MAX_PRODUCTEN).iter_rows(named=True)
        ],
        "lrrr",
        f"Per product, 1 januari t/m {datum(einde)}",
        f"En {rest.height} andere producten: {getal(rest['gerealiseerd'].sum())} gerealiseerd."
        if rest.height
        else "",
    )
    return Sectie(
        "Producten en programma",
        k.tabel(BLOKKEN["Producten en programma"]),
        [_trend_grafiek(reeks, "Gerealiseerde producten", "aantal", 0)],
        [tabel],
        _onvolledig_noot(reeks),
    )


def sectie_uren(k: _Kpis, v: Viewer) -> Sectie:
    jaar = int(k.periode[:4])
    verloop = dd.uren_verloop(v, k.code, jaar)
    spec = _spec(partial(charts.uren_verloop, dd.uren_verloop_lang(verloop), jaar))
    tabel = dd.uren_verloop_tabel(verloop).drop(
        "Gerealiseerd cumulatief", "Begroot cumulatief", "Begroting jaar"
    )
    noten = []
    begroting = verloop["jaarbegroting"][0] if verloop.height else None
    prognose = k.rij("uren_prognose_jaareinde", k.code).get("waarde")
    if begroting:
        noten.append(f"Begrote uren {jaar}: {met_eenheid(begroting, 'uren')}.")
        if prognose is not None:
            delta = prognose - begroting
            noten.append(
                f"Prognose 31 december na {k.periode}: {met_eenheid(prognose, 'uren')}, "
                f"{'+' if delta > 0 else ''}{getal(delta)} uur "
                f"({'+' if delta > 0 else ''}{getal(100 * delta / begroting, 1)}% van de "
                "begroting). De prognose volgt het seizoenspatroon van vorig jaar."
            )
    return Sectie(
        "Uren en begroting",
        k.tabel(BLOKKEN["Uren en begroting"]),
        [
            Grafiek(
                spec,
                f"Lijngrafiek: uren {jaar} per maand, gerealiseerd en begroot "
                "(cumulatief) en de prognose voor 31 december; stippellijn = begroting.",
            )
        ],
        [
            Tabel(
                list(tabel.columns),
                _cellen(tabel, {c: 0 for c in tabel.columns[1:]}),
                "lrrr" + "r",
                f"Uren per maand, {jaar}",
            )
        ],
        noten,
    )


def sectie_werkvoorraad(k: _Kpis, v: Viewer, naam: str) -> Sectie:
    termijn = _trend(v, k.code, "binnen_termijn_pct", k.periode_type, k.periode)
    voorraad = _trend(v, k.code, "werkvoorraad_open", k.periode_type, k.periode, totaal=False)
    eigen = termijn.filter(pl.col("deelnemer_code") == k.code).select(
        "periode", pl.col("waarde").alias("termijn")
    )
    breed = eigen.join(
        voorraad.select("periode", pl.col("waarde").alias("voorraad")),
        on="periode",
        how="full",
        coalesce=True,
    ).sort("periode")
    return Sectie(
        "Werkvoorraad en termijnen",
        k.tabel(BLOKKEN["Werkvoorraad en termijnen"]),
        [
            _trend_grafiek(termijn, "Besluiten binnen de termijn", "%", 1),
            _trend_grafiek(voorraad, "Werkvoorraad aan het einde van de periode", "open zaken", 0),
        ],
        [
            Tabel(
                ["Periode", "Binnen termijn (%)", "Open zaken"],
                _cellen(breed, {"termijn": 1, "voorraad": 0}),
                "lrr",
                f"Verloop, {naam}",
            )
        ],
        _onvolledig_noot(pl.concat([termijn, voorraad], how="diagonal_relaxed")),
    )


def _onvolledig_noot(reeks: pl.DataFrame) -> list[str]:
    lijst = _onvolledig_in(reeks)
    return [f"{ONVOLLEDIG} Onvolledige periode in de grafiek: {', '.join(lijst)}."] if lijst else []


def sectie_naleving(k: _Kpis, v: Viewer, naam: str) -> Sectie:
    begin, einde = perioden.grenzen(k.periode_type, k.periode)
    grafieken, tabellen, noten = [], [], []
    if k.periode_type == "maand":
        noten.append("Het naleefpercentage wordt per kwartaal en per jaar berekend.")
    else:
        reeks = _trend(v, k.code, "naleefpercentage", k.periode_type, k.periode)
        grafieken.append(_trend_grafiek(reeks, "Naleefpercentage", "%", 1))
        tabellen.append(_trend_tabel(reeks, "Naleefpercentage per periode", 1, naam))
        noten += _onvolledig_noot(reeks)
    cellen = dd.lhso_cellen(v, k.code, begin, einde)
    if cellen["aantal_controles"].sum() > 0:
        spec = _spec(partial(charts.lhso_matrix, cellen, f"LHSO-matrix {k.periode}"), 300, 170)
        grafieken.append(
            Grafiek(
                spec,
                f"Matrix: controles met overtredingen in {k.periode} naar "
                "de cel van hun zwaarste bevinding (gevolgen × gedrag).",
            )
        )
        matrix = dd.lhso_tabel(cellen)
        tabellen.append(
            Tabel(
                list(matrix.columns),
                _cellen(matrix, {c: 0 for c in matrix.columns[1:]}),
                "l" + "r" * (matrix.width - 1),
                f"LHSO-matrix {k.periode}",
                "Elke controle met overtredingen telt één keer, in de cel van haar "
                "zwaarste bevinding (gevolgen A = ernstigst, gedrag 4 = ernstigst).",
            )
        )
    else:
        noten.append(
            components.niet_gedekt(v, "controles", k.code, k.periode_type, k.periode)
            or f"Geen controles met een overtreding in {k.periode}."
        )
    return Sectie("Naleving", k.tabel(BLOKKEN["Naleving"]), grafieken, tabellen, noten)


def _staven(tabel: pl.DataFrame, x: str, y: str, titel: str, y_title: str) -> Grafiek:
    """A horizontal bar chart of the app (charts.bars), with its alternative text."""
    spec = _spec(
        partial(charts.bars, tabel, x=x, y=y, horizontal=True, title=titel, y_title=y_title)
    )
    return Grafiek(spec, f"Staafdiagram: {titel} ({y_title} per {x.lower()}).")


def sectie_klachten(k: _Kpis, v: Viewer) -> Sectie:
    tabel = dd.klachten_aard_tabel(dd.klachten_per_aard(v, k.code, [k.periode]))
    grafieken, tabellen, noten = [], [], []
    if tabel.height:
        grafieken.append(
            _staven(tabel, "Aard", "Klachten", f"Klachten per aard, {k.periode}", "klachten")
        )
        tabellen.append(
            Tabel(
                list(tabel.columns),
                _cellen(tabel, {"Klachten": 0, "Gegrond": 0, "Aandeel (%)": 1}),
                "lrrr",
                f"Klachten per aard, {k.periode}",
            )
        )
    else:
        noten.append(
            components.niet_gedekt(v, "klachten", k.code, k.periode_type, k.periode)
            or f"Geen klachten in {k.periode}."
        )
    return Sectie("Klachten", k.tabel(BLOKKEN["Klachten"]), grafieken, tabellen, noten)


def _bedrag(kolom: pl.Series) -> str:
    """A sum of amounts; unknown ('–') when no besluit has one, not € 0."""
    return met_eenheid(kolom.sum() if kolom.drop_nulls().len() else None, "EUR")


def sectie_handhaving(k: _Kpis, v: Viewer) -> Sectie:
    begin, einde = perioden.grenzen(k.periode_type, k.periode)
    tabel = dd.handhaving_tabel(dd.handhaving_instrumenten(v, k.code, begin, einde))
    grafieken, tabellen, noten = [], [], []
    if tabel.height:
        grafieken.append(
            _staven(
                tabel,
                "Instrument",
                "Besluiten",
                f"Handhavingsbesluiten per instrument, {k.periode}",
                "besluiten",
            )
        )
        tabellen.append(
            Tabel(
                list(tabel.columns),
                _cellen(tabel, {c: 0 for c in tabel.columns[1:]}),
                "lrrrr",
                f"Per instrument, {k.periode}",
            )
        )
        noten.append(
            f"Verbeurde dwangsommen: {_bedrag(tabel['Verbeurd (€)'])}; "
            f"daarvan ingevorderd: {_bedrag(tabel['Ingevorderd (€)'])}."
        )
    else:
        noten.append(
            components.niet_gedekt(v, "handhaving", k.code, k.periode_type, k.periode)
            or f"Geen handhavingsbesluiten in {k.periode}."
        )
    return Sectie("Handhaving", k.tabel(BLOKKEN["Handhaving"]), grafieken, tabellen, noten)


# --- the whole report ----------------------------------------------------------------------------
def inhoud(code: str, periode: str, gemaakt_door: str = "", eigen: tuple[str, ...] = ()) -> Inhoud:
    """The report of one deelnemer and period, in the scope of that deelnemer's accounthouder
    (and of the asker's own deelnemers, `eigen`, see rapport_viewer)."""
    soort = periode_type(periode)
    namen = data.names()
    lijst = data.perioden(soort)
    if periode not in lijst:
        raise RapportFout(
            f"voor {periode} zijn er geen kengetallen; kies een "
            f"{perioden.TYPE_LABELS[soort].lower()} "
            f"van {lijst[-1]} t/m {lijst[0]}."
            if lijst
            else f"er zijn geen kengetallen per {soort}."
        )
    v = rapport_viewer(code, gemaakt_door, eigen)
    naam = namen[code]
    k = _Kpis(v, code, soort, periode)
    begin, einde = perioden.grenzen(soort, periode)

    onvolledig = []
    for kpi_id in k.kpi_ids:
        rij = k.rij(kpi_id, code)
        if rij.get("dekking") == "onvolledig":
            onvolledig.append(
                f"{k.naam(kpi_id)}: {components.dekking_tekst(rij, k.periode_type, k.periode)}"
            )
    onvolledig += [
        f"{k.naam(kpi_id)}: geen gegevens, de geladen exports dekken {periode} niet"
        for kpi_id in sorted(k.ongedekt)
        if kpi_id in SAMENVATTING
    ]

    bronnen = data.bronnen_dekking(v, code)
    bron_rijen = []
    for r in bronnen.filter(pl.col("gedekt_tot").is_not_null()).iter_rows(named=True):
        if r["gedekt_tot"] < begin or r["gedekt_vanaf"] > einde:
            stand = f"geen gegevens voor {periode}"
        elif r["gedekt_vanaf"] <= begin and r["gedekt_tot"] >= einde:
            stand = "volledig"
        else:
            stand = f"{ONVOLLEDIG} onvolledig voor {periode}"
        bron_rijen.append(
            [r["titel"], f"{datum(r['gedekt_vanaf'])} t/m {datum(r['gedekt_tot'])}", stand]
        )
    gebouwd = data.build()["gebouwd_op"]
    # "stand per": the day up to which every export of this deelnemer reaches
    gedekt = bronnen.filter(pl.col("gedekt_tot").is_not_null())
    stand_per = (
        f"Stand per {datum(gedekt['gedekt_tot'].min())}"
        + (
            f" (de verste export reikt t/m {datum(gedekt['gedekt_tot'].max())})"
            if gedekt["gedekt_tot"].max() != gedekt["gedekt_tot"].min()
            else ""
        )
        if gedekt.height
        else "Stand per: geen export dekt deze deelnemer"
    )

    secties = [
        sectie_producten(k, v, einde),
        sectie_uren(k, v),
        sectie_werkvoorraad(k, v, naam),
        sectie_naleving(k, v, naam),
        sectie_klachten(k, v),
        sectie_handhaving(k, v),
    ]
    samenvatting = k.tabel(SAMENVATTING)
    # every other KPI with a value in this period, so the report holds them all; on the
    # summary page, which has room for them
    rest = [x for x in k.kpi_ids if x not in k.getoond]
    overige = k.tabel(rest) if rest else None

    legenda = [
        "Status: ✔ gehaald, ▲ bijna ("
        + k.labels["oranje"].split("(", 1)[-1].rstrip(")")
        + "), ✖ niet gehaald; steeds met de norm of signaalwaarde waartegen is getoetst.",
        "Verschil: in de eenheid van het kengetal (bij percentages in procentpunten); tegen of "
        "binnen een onvolledige periode wordt geen verschil berekend.",
        "Alle deelnemers: de hele organisatie samen (som van tellers en noemers), ter "
        "vergelijking; niet getoond waar minder dan "
        f"{data.MIN_ANDERE_BIJDRAGERS} andere deelnemers gegevens hebben.",
    ]
    if k.voorbeeld:
        bron = sorted(set(k.voorbeeld.values()))[0]
        legenda.append(f"Signaalwaarde: een waarde die nog geen vastgestelde norm is ({bron}).")
    catalogus = data.kpi_info()
    definities = [
        {
            "naam": catalogus[x]["naam"],
            "definitie": catalogus[x]["definitie"] or "",
            "eenheid": catalogus[x]["eenheid"] or "",
            "bron": catalogus[x]["bron"] or "",
        }
        for x in k.getoond
        if x in catalogus
    ]
    return Inhoud(
        code=code,
        naam=naam,
        periode_type=soort,
        periode=periode,
        titel=f"Accountrapport {naam} {periode}",
        periode_tekst=f"{perioden.TYPE_LABELS[soort]} {periode}: {datum(begin)} t/m {datum(einde)}",
        gebouwd=datum(gebouwd, with_time=True),
        stand_per=stand_per,
        bronnen=Tabel(["Bron", "Gegevens", f"Voor {periode}"], bron_rijen, "lll"),
        onvolledig=onvolledig,
        samenvatting=samenvatting,
        overige=overige,
        legenda=legenda,
        secties=secties,
        definities=definities,
    )
