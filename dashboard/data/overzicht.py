"""Data for the Overzicht page (and the comparison on the Deelnemer page): KPI values of one
period side by side, with the change against the previous period and against the same period
a year earlier. The comparison is computed in SQL on kpi.waarden, within the viewer's scope.

Period arithmetic (labels, date ranges) is in dashboard/perioden.py. The second half shapes the
wide frame of overzicht() for the page (table, column headers, the summary in words): pure
functions, testable without the app.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from dashboard.data import TOTAAL, allowed, names, query, waarden_bron
from dashboard.format import decimalen, met_eenheid, norm_tekst
from dashboard.labels import ONVOLLEDIG
from dashboard.perioden import grenzen, vorige_periode, zelfde_periode_vorig_jaar
from dashboard.viewer import Viewer

# The headline KPIs the MT compares across deelnemers (docs/kpis.md: output, naleving, klachten):
# the ones with a norm or signal value say who is off track.
HEADLINE = (
    "naleefpercentage",
    "binnen_termijn_pct",
    "programma_voortgang_pct",
    "uren_prognose_begroting_pct",
    "werkvoorraad_open",
    "klachten_per_1000_inwoners",
)
# Short names for the headers of the Overzicht table, so a column says which KPI it belongs
# to and the headline set fits 1440 px (docs/kpis.md, "Overzicht").
KORT = {
    "naleefpercentage": "Naleving",
    "binnen_termijn_pct": "Termijn",
    "programma_voortgang_pct": "Programma",
    "uren_prognose_begroting_pct": "Uren",
    "werkvoorraad_open": "Voorraad",
    "klachten_per_1000_inwoners": "Klachten",
}


# The comparison. Each requested (kpi_id, periode_type, periode) comes with the labels of its
# previous period and of the same period a year earlier (period arithmetic below), so the
# changes are plain joins on kpi.waarden, restricted first to the few periods involved.
# list_contains on a bound list is several times faster here than `in (select unnest(?))`.
# The values come from `zichtbaar` (data.waarden_bron, prepended by vergelijking_per_kpi): a
# TOTAAL withheld from the viewer has no value, so no change against it either.
_VERGELIJKING = """
gevraagd as (
    select
        unnest(?::varchar[]) as kpi_id,
        unnest(?::varchar[]) as periode_type,
        unnest(?::varchar[]) as periode,
        unnest(?::varchar[]) as vorige,
        unnest(?::varchar[]) as vorig_jaar
),

w as (
    select
        kpi_id, deelnemer_code, periode_type, periode, waarde, waarde_tekst, teller, noemer,
        norm, operator, status, onderdrukt, dekking, gedekt_vanaf, gedekt_tot
    from zichtbaar
    where list_contains(?::varchar[], kpi_id)
        and list_contains(?::varchar[], deelnemer_code)
        and list_contains(?::varchar[], periode)
)

select
    g.kpi_id,
    h.deelnemer_code,
    g.periode_type,
    g.periode,
    h.waarde,
    h.waarde_tekst,
    h.teller,
    h.noemer,
    h.norm,
    h.operator,
    h.status,
    h.onderdrukt,
    h.dekking,
    h.gedekt_vanaf,
    h.gedekt_tot,
    g.vorige as vorige_periode,
    v.waarde as vorige_waarde,
    v.waarde_tekst as vorige_tekst,
    v.dekking as vorige_dekking,
    -- a change against or within an incomplete period is left out (docs/kpis.md, "Dekking")
    case when h.dekking = 'volledig' and v.dekking = 'volledig' then h.waarde - v.waarde end
        as verschil_vorige,
    g.vorig_jaar as vorig_jaar_periode,
    j.waarde as vorig_jaar_waarde,
    j.waarde_tekst as vorig_jaar_tekst,
    j.dekking as vorig_jaar_dekking,
    case when h.dekking = 'volledig' and j.dekking = 'volledig' then h.waarde - j.waarde end
        as verschil_vorig_jaar
from gevraagd as g
join w as h
    on h.kpi_id = g.kpi_id and h.periode_type = g.periode_type and h.periode = g.periode
left join w as v
    on v.kpi_id = g.kpi_id
    and v.periode_type = g.periode_type
    and v.periode = g.vorige
    and v.deelnemer_code = h.deelnemer_code
left join w as j
    on j.kpi_id = g.kpi_id
    and j.periode_type = g.periode_type
    and j.periode = g.vorig_jaar
    and j.deelnemer_code = h.deelnemer_code
order by g.kpi_id, h.deelnemer_code
"""


def vergelijking_per_kpi(
    viewer: Viewer,
    keuzes: list[tuple[str, str, str]],
    deelnemer_codes: list[str] | None = None,
) -> pl.DataFrame:
    """Like vergelijking(), for several (kpi_id, periode_type, periode) at once (one query):
    each KPI for its own period, e.g. a month for the hours and its quarter for naleving."""
    codes = allowed(viewer, deelnemer_codes)
    kpi_ids = [k for k, _, _ in keuzes]
    types = [t for _, t, _ in keuzes]
    perioden = [p for _, _, p in keuzes]
    vorige = [vorige_periode(t, p) for _, t, p in keuzes]
    vorig_jaar = [zelfde_periode_vorig_jaar(t, p) for _, t, p in keuzes]
    bron, bron_params = waarden_bron(viewer)
    return query(
        f"with {bron},\n{_VERGELIJKING}",
        [
            *bron_params,
            kpi_ids,
            types,
            perioden,
            vorige,
            vorig_jaar,
            sorted(set(kpi_ids)),
            codes,
            sorted(set(perioden + vorige + vorig_jaar)),
        ],
    )


def vergelijking(
    viewer: Viewer,
    kpi_ids: list[str] | tuple[str, ...],
    periode_type: str,
    periode: str,
    deelnemer_codes: list[str] | None = None,
) -> pl.DataFrame:
    """One row per (kpi_id, deelnemer_code) for this period, within the viewer's scope (all
    allowed deelnemers and TOTAAL unless codes are given): waarde, waarde_tekst, teller, noemer,
    norm, status, onderdrukt (TOTAAL withheld from this viewer, see data.waarden_bron), the
    coverage (dekking, gedekt_tot), the previous period (label, value, text, dekking) and the
    difference, the same period last year (label, value, text, dekking) and the difference.
    NULL where a value is missing or a period incomplete: no difference is invented."""
    return vergelijking_per_kpi(
        viewer, [(k, periode_type, periode) for k in kpi_ids], deelnemer_codes
    )


def standaard_periode(periode_type: str, kpi_ids: list[str] | tuple[str, ...]) -> str | None:
    """The newest complete period of this type for these KPIs: one with a value (all
    deelnemers together) that lies wholly inside what the exports of every source of these
    KPIs cover (kpi.dekking, TOTAAL; docs/kpis.md "Dekking"). Without such a period, the newest
    one with a value. Not scoped: it returns a period only."""
    frame = query(
        """
        with venster as (
            select max(gedekt_vanaf) as vanaf, min(gedekt_tot) as tot
            from kpi.dekking
            where list_contains(?::varchar[], kpi_id) and deelnemer_code = 'TOTAAL'
                and gedekt_tot is not null
        )

        select w.periode
        from kpi.waarden as w
        join marts.perioden as p using (periode_type, periode)
        cross join venster
        where w.periode_type = ? and list_contains(?::varchar[], w.kpi_id)
            and w.deelnemer_code = 'TOTAAL' and w.waarde is not null
        group by w.periode
        order by
            bool_and(
                venster.tot is null or (p.begin >= venster.vanaf and p.einde <= venster.tot)
            ) desc,
            w.periode desc
        limit 1
        """,
        [list(kpi_ids), periode_type, list(kpi_ids)],
    )
    return frame["periode"][0] if frame.height else None


def overzicht(viewer: Viewer, periode_type: str, periode: str) -> pl.DataFrame:
    """The Overzicht table: one row per deelnemer in scope plus TOTAAL (last), and per headline
    KPI its value, status, change against the previous period and against the same period
    last year. Columns: deelnemer_code, deelnemer, then <kpi_id>, <kpi_id>__status,
    <kpi_id>__vorige, <kpi_id>__vorig_jaar and the coverage (<kpi_id>__dekking, __gedekt_vanaf,
    __gedekt_tot) for each KPI in HEADLINE."""
    codes = allowed(viewer)
    lang = vergelijking(viewer, HEADLINE, periode_type, periode, codes)
    naam = names()
    rows = pl.DataFrame(
        {"deelnemer_code": codes, "deelnemer": [naam.get(c, c) for c in codes]},
        schema={"deelnemer_code": pl.String, "deelnemer": pl.String},
    )
    for kpi_id in HEADLINE:
        part = lang.filter(pl.col("kpi_id") == kpi_id).select(
            "deelnemer_code",
            pl.col("waarde").alias(kpi_id),
            pl.col("status").alias(f"{kpi_id}__status"),
            pl.col("verschil_vorige").alias(f"{kpi_id}__vorige"),
            pl.col("verschil_vorig_jaar").alias(f"{kpi_id}__vorig_jaar"),
            pl.col("norm").alias(f"{kpi_id}__norm"),
            pl.col("operator").alias(f"{kpi_id}__operator"),
            pl.col("dekking").alias(f"{kpi_id}__dekking"),
            pl.col("gedekt_vanaf").alias(f"{kpi_id}__gedekt_vanaf"),
            pl.col("gedekt_tot").alias(f"{kpi_id}__gedekt_tot"),
        )
        rows = rows.join(part, on="deelnemer_code", how="left")
    totaal_last = pl.col("deelnemer_code") == TOTAAL
    return rows.sort([totaal_last, "deelnemer"])


def voorbeeldnormen(kpi_ids: list[str] | tuple[str, ...], periode_type: str, periode: str):
    """The KPIs among these whose norm in force at the end of the period is an example value
    (reference data normen: not geverifieerd), with its source text: the page says so beside
    the status. Not scoped: reference data."""
    _, einde = grenzen(periode_type, periode)
    frame = query(
        """
        select kpi_id, bron from staging.normen
        where list_contains(?::varchar[], kpi_id) and geldig_vanaf <= ?::date
        qualify row_number() over (partition by kpi_id order by geldig_vanaf desc) = 1
            and not geverifieerd
        """,
        [list(kpi_ids), einde],
    )
    return dict(frame.iter_rows())


def ongedekt(kpi_ids: list[str] | tuple[str, ...], periode_type: str, periode: str) -> list[str]:
    """The KPIs of which no loaded export covers any day of this period (all deelnemers
    together, kpi.dekking): they have no value there, and the page says why. Not scoped: it
    names KPIs only. docs/kpis.md, "Dekking"."""
    begin, einde = grenzen(periode_type, periode)
    frame = query(
        "select kpi_id from kpi.dekking "
        "where list_contains(?::varchar[], kpi_id) and deelnemer_code = 'TOTAAL' "
        "and (not alle_bronnen or gedekt_vanaf > ?::date or gedekt_tot < ?::date)",
        [list(kpi_ids), einde, begin],
    )
    found = set(frame["kpi_id"].to_list())
    return [k for k in kpi_ids if k in found]


# --- the Overzicht page's table and texts: pure, no queries ---------------------------------------
# Status as colour + symbol + text, never colour alone. In the table a status is a symbol and
# one word (the column is narrow); the caption and each header's help give the full wording with
# the margin (components.status_labels).
STATUS_KLEUR = {"groen": "🟢", "oranje": "🟠", "rood": "🔴", "geen_norm": "⚪"}
STATUS_KORT = {
    s: f"{STATUS_KLEUR[s]} {tekst}"
    for s, tekst in {"groen": "✔ ja", "oranje": "▲ bijna", "rood": "✖ nee"}.items()
} | {"geen_norm": ""}
SYMBOOL = {"oranje": "▲", "rood": "✖"}
BUITEN = ("oranje", "rood")
MET_STATUS = ("groen", "oranje", "rood")


def met_norm(breed: pl.DataFrame) -> list[str]:
    """The headline KPIs with a norm in this period. Only they get a status column: a column
    saying "geen norm" in every row tells the MT nothing; the caption names the others."""
    return [k for k in HEADLINE if breed[f"{k}__status"].is_in(MET_STATUS).any()]


def onvolledige_dekking(breed: pl.DataFrame) -> dict[str, dict]:
    """Per headline KPI that this period is incomplete for: the coverage of the row whose
    exports reach least far (dekking, gedekt_vanaf, gedekt_tot; for components.dekking_tekst,
    docs/kpis.md "Dekking")."""
    found = {}
    for kpi_id in HEADLINE:
        regels = breed.filter(pl.col(f"{kpi_id}__dekking") == "onvolledig")
        if regels.height:
            eerste = regels.sort(f"{kpi_id}__gedekt_tot").row(0, named=True)
            prefix = f"{kpi_id}__"
            found[kpi_id] = {
                k.removeprefix(prefix): v for k, v in eerste.items() if k.startswith(prefix)
            }
    return found


@dataclass(frozen=True)
class Kolom:
    """What the page's column config needs for one column (components.kolommen_config)."""

    label: str
    help: str | None = None
    breedte: int | str | None = None
    getal: bool = False
    vast: bool = False  # pinned on the left while scrolling


@dataclass(frozen=True)
class Tabel:
    frame: pl.DataFrame  # every column; its names are unique and also the download's headers
    kolommen: dict[str, Kolom]
    volgorde: list[str]  # the columns shown, in order

    def download(self) -> pl.DataFrame:
        """The columns shown, plus the CBS code first (not the hidden ones)."""
        return self.frame.select(["Code", *[c for c in self.volgorde if c != "Code"]])


def tabel(
    breed: pl.DataFrame,
    catalogus: dict[str, dict],
    periode_type: str,
    periode: str,
    *,
    onvolledig: dict[str, str],
    status_uitleg: str,
    toon_vorige: bool = False,
    toon_vorig_jaar: bool = False,
) -> Tabel:
    """The Overzicht table from overzicht(): per headline KPI its value (rounded as displayed,
    sortable as a number, the unit in the header), its status as symbol text, and the change
    against the previous period and, for months and quarters, the same period last year, each
    with a short header and the full wording as help. `onvolledig` (KPI: coverage text) marks
    the value columns of KPIs this period is incomplete for; `status_uitleg` is the full
    wording of the statuses. Shown: the values, the status where a norm holds (met_norm), and
    the changes asked for."""
    vorige = vorige_periode(periode_type, periode)
    vorig_jaar = zelfde_periode_vorig_jaar(periode_type, periode)
    jaar_apart = periode_type != "jaar"  # for years the previous period is last year already
    normen = met_norm(breed)
    select = [pl.col("deelnemer").alias("Deelnemer"), pl.col("deelnemer_code").alias("Code")]
    kolommen = {
        "Deelnemer": Kolom("Deelnemer", breedte=130, vast=True),
        "Code": Kolom("Code", breedte="small"),
    }
    volgorde = ["Deelnemer"]
    for kpi_id in HEADLINE:
        info = catalogus.get(kpi_id, {"naam": kpi_id, "eenheid": "", "definitie": ""})
        aantal, naam = decimalen(info["eenheid"]), info["naam"]
        kort = KORT.get(kpi_id, naam)
        teken = f" {ONVOLLEDIG}" if kpi_id in onvolledig else ""
        waarde = f"{naam}{' (%)' if info['eenheid'] == 'procent' else ''}{teken}"
        status = f"{naam}: status"
        verschil_vorige = f"{naam}: verschil t.o.v. {vorige}"
        verschil_jaar = f"{naam}: verschil t.o.v. {vorig_jaar}"
        select += [
            pl.col(kpi_id).round(aantal).alias(waarde),
            pl.col(f"{kpi_id}__status").replace_strict(STATUS_KORT, default="").alias(status),
            pl.col(f"{kpi_id}__vorige").round(aantal).alias(verschil_vorige),
        ]
        # a short header that fits (the unit and the full name are in the help and the caption)
        kolommen[waarde] = Kolom(
            kort + teken, f"{naam} ({info['eenheid']}): {info['definitie']}", 80, getal=True
        )
        kolommen[status] = Kolom(
            "norm", f"{naam} ten opzichte van de norm of signaalwaarde: {status_uitleg}", 64
        )
        kolommen[verschil_vorige] = Kolom(
            f"Δ {kort}", f"{naam}: verschil met {vorige}", "small", getal=True
        )
        volgorde.append(waarde)
        if kpi_id in normen:
            volgorde.append(status)
        if toon_vorige:
            volgorde.append(verschil_vorige)
        if jaar_apart:
            select.append(pl.col(f"{kpi_id}__vorig_jaar").round(aantal).alias(verschil_jaar))
            kolommen[verschil_jaar] = Kolom(
                f"Δ {kort} ({vorig_jaar})", f"{naam}: verschil met {vorig_jaar}", "small", True
            )
            if toon_vorig_jaar:
                volgorde.append(verschil_jaar)
    return Tabel(breed.select(select), kolommen, volgorde)


def achterstand(
    breed: pl.DataFrame,
    catalogus: dict[str, dict],
    onvolledig: dict[str, str],
    ongedekt: list[str],
) -> str:
    """Who is off track, in words (docs/kpis.md, "Overzicht"): one line per KPI (not per
    deelnemer, so it fits one screen with 15 deelnemers) with the norm once and the deelnemers
    that miss it, worst first, with their value; then the KPIs without data for the period, so
    "3 of 15" is not read as "the other 12 are on track"."""
    deelnemers = breed.filter(pl.col("deelnemer_code") != TOTAAL)
    regels, achter = [], set()
    for kpi_id in HEADLINE:
        buiten = deelnemers.filter(pl.col(f"{kpi_id}__status").is_in(BUITEN))
        if buiten.height == 0:
            continue
        eenheid = catalogus.get(kpi_id, {}).get("eenheid", "")
        eerste = buiten.row(0, named=True)
        operator = eerste[f"{kpi_id}__operator"]
        norm = norm_tekst(operator, eerste[f"{kpi_id}__norm"], eenheid)
        buiten = buiten.sort(
            [pl.col(f"{kpi_id}__status") != "rood", pl.col(kpi_id)],
            descending=[False, operator == "<="],
        )
        namen_waarden = ", ".join(
            f"{SYMBOOL[r[f'{kpi_id}__status']]} {r['deelnemer']} {met_eenheid(r[kpi_id], eenheid)}"
            for r in buiten.iter_rows(named=True)
        )
        dekking = f" ({onvolledig[kpi_id]})" if kpi_id in onvolledig else ""
        regels.append(f"- **{KORT.get(kpi_id, kpi_id)}** (norm {norm}){dekking}: {namen_waarden}")
        achter |= set(buiten["deelnemer_code"].to_list())
    if ongedekt:
        regels.append(
            "- geen gegevens voor deze periode: "
            + ", ".join(KORT.get(k, k) for k in ongedekt)
            + " (de geladen exports dekken haar niet)"
        )
    if achter:
        return (
            f"**{len(achter)} van {deelnemers.height} deelnemers** hebben een kengetal buiten de "
            "norm of signaalwaarde (✖ niet gehaald, ▲ bijna):\n" + "\n".join(regels)
        )
    if regels:
        return "\n".join(regels)
    return (
        f"Alle {deelnemers.height} deelnemers halen de normen en signaalwaarden van deze periode."
    )


def dekking_waarschuwing(
    periode: str, catalogus: dict[str, dict], onvolledig: dict[str, str], ongedekt: list[str]
) -> str | None:
    """What the exports do not cover of this period, per KPI; None when they cover it all."""
    if not onvolledig and not ongedekt:
        return None

    def naam(kpi_id: str) -> str:
        return catalogus.get(kpi_id, {}).get("naam", kpi_id)

    return (
        f"{periode} is niet volledig gedekt door de geladen exports; verschillen met een "
        "onvolledige periode worden niet getoond.\n\n"
        + "\n".join(f"- {naam(k)}: {t}" for k, t in onvolledig.items())
        + "".join(f"\n- {naam(k)}: geen gegevens voor deze periode" for k in ongedekt)
    )


def legenda(catalogus: dict[str, dict], normen: list[str], status_labels: dict[str, str]) -> str:
    """The caption under the table: the statuses in full (with the lake's margin,
    `status_labels`), the KPIs without a norm, the short headers and what Δ and TOTAAL mean."""
    zonder_norm = [catalogus[k]["naam"] for k in HEADLINE if k not in normen and k in catalogus]
    statussen = " · ".join(f"{STATUS_KLEUR[s]} {label}" for s, label in status_labels.items())
    tekst = f"Status: {statussen} · leeg = geen waarde."
    if zonder_norm:
        tekst += f" Zonder norm in de referentiedata (dus zonder status): {', '.join(zonder_norm)}."
    return (
        tekst
        + " Kolommen: "
        + "; ".join(
            f"{KORT[k]} = {catalogus[k]['naam']} ({catalogus[k]['eenheid']})"
            for k in HEADLINE
            if k in catalogus
        )
        + "; 'norm' = de status van het kengetal links ervan."
        + " Δ = verschil in de eenheid van het kengetal (bij percentages in procentpunten). "
        "Naleving wordt niet per maand berekend. De laatste rij is TOTAAL: alle deelnemers samen "
        "(som van tellers en noemers, geen gemiddelde)."
    )
