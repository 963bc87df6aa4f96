"""Data for the Deelnemer page: one deelnemer's figures for the monthly accountoverleg.

Every function takes the Viewer and the requested deelnemer code and passes it through
allowed() (an accounthouder asking for another deelnemer gets a ScopeError); the checked code
goes into the query as a bound parameter. Period ranges are bound as dates.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.data import TOTAAL, allowed, breakdown_code, query, waarden_bron
from dashboard.labels import GEDRAG, GEVOLGEN, INSTRUMENTEN
from dashboard.perioden import maandnummer, periode_uit
from dashboard.viewer import Viewer

# The summary: what an account meeting opens with (docs/kpis.md, "Overzicht"), with the count
# of complaints rather than the rate, as the municipality asks "how many".
SAMENVATTING = (
    "naleefpercentage",
    "binnen_termijn_pct",
    "programma_voortgang_pct",
    "uren_prognose_begroting_pct",
    "werkvoorraad_open",
    "klachten_aantal",
)
BLOKKEN = {
    "Producten en programma": (
        "producten_gerealiseerd",
        "programma_voortgang_pct",
        "programma_realisatie_pct",
    ),
    "Uren en begroting": (
        "uren_gerealiseerd",
        "uren_begroot",
        "uren_realisatie_pct",
        "uren_prognose_jaareinde",
        "uren_prognose_begroting_pct",
    ),
    "Werkvoorraad en termijnen": (
        "werkvoorraad_open",
        "binnen_termijn_pct",
        "doorlooptijd_mediaan_dagen",
    ),
    "Naleving": (
        "naleefpercentage",
        "controles_aantal",
        "overtredingen_aantal",
        "lhso_zwaarste",
        "hercontrole_ratio",
    ),
    "Klachten": (
        "klachten_aantal",
        "klachten_per_1000_inwoners",
        "klachten_gegrond_pct",
        "klachten_afhandelduur_mediaan_dagen",
    ),
    "Handhaving": ("strafrecht_per_inrichting_pct", "dwangsom_invordering_pct"),
}
ALLE_KPIS = tuple(dict.fromkeys(k for ids in (SAMENVATTING, *BLOKKEN.values()) for k in ids))


def _code(viewer: Viewer, code: str) -> str:
    """The one deelnemer code to query, checked against the viewer's scope (ScopeError
    otherwise; TOTAAL only for viewers who see every deelnemer, see breakdown_code). Bound as
    `= ?`: on the large staging tables an equality filter is about twice as fast as a list
    lookup."""
    return breakdown_code(viewer, code)


def reeksen(viewer: Viewer, code: str, series: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    """Several trend series in one query: for each (kpi_id, periode_type, tot_periode, aantal)
    the last `aantal` periods of that type up to and including tot_periode, for the deelnemer
    and TOTAAL: kpi_id, periode_type, deelnemer_code, periode, waarde, waarde_tekst, norm,
    status, onderdrukt (TOTAAL withheld from this viewer, see data.waarden_bron), dekking and
    gedekt_tot (docs/kpis.md, "Dekking"), and
    cumulatief: the running sum of waarde from the first period of the same calendar year in
    the series (for hours against the budget over the months of a year; NULL where waarde is
    NULL, and from a withheld period on, which a running sum would otherwise reveal). Periods
    of one type sort as text ('2024-Q4' < '2025-Q1'), so a range is `between`."""
    van = [
        periode_uit(t, maandnummer(t, tot) - {"jaar": 12, "kwartaal": 3, "maand": 1}[t] * (n - 1))
        for _, t, tot, n in series
    ]
    bron, bron_params = waarden_bron(viewer)
    return query(
        f"""
        with {bron},

        gevraagd as (
            select
                unnest(?::varchar[]) as kpi_id,
                unnest(?::varchar[]) as periode_type,
                unnest(?::varchar[]) as van,
                unnest(?::varchar[]) as tot
        )

        select
            w.kpi_id, w.periode_type, w.deelnemer_code, w.periode, w.waarde, w.waarde_tekst,
            w.norm, w.status, w.onderdrukt, w.dekking, w.gedekt_vanaf, w.gedekt_tot,
            case
                when w.waarde is not null and not bool_or(w.onderdrukt) over jaar
                    then sum(w.waarde) over jaar
            end as cumulatief
        from zichtbaar as w
        join gevraagd as g
            on w.kpi_id = g.kpi_id
            and w.periode_type = g.periode_type
            and w.periode between g.van and g.tot
        where list_contains(?::varchar[], w.deelnemer_code)
            and list_contains(?::varchar[], w.kpi_id)
        window jaar as (
            partition by w.kpi_id, w.periode_type, w.deelnemer_code, left(w.periode, 4)
            order by w.periode
        )
        order by w.kpi_id, w.periode_type, w.deelnemer_code, w.periode
        """,
        [
            *bron_params,
            [k for k, _, _, _ in series],
            [t for _, t, _, _ in series],
            van,
            [tot for _, _, tot, _ in series],
            allowed(viewer, [code, TOTAAL]),
            sorted({k for k, _, _, _ in series}),
        ],
    )


def producten_per_product(viewer: Viewer, code: str, jaar: int, tot: dt.date) -> pl.DataFrame:
    """Products in the uitvoeringsprogramma of the year against closed zaken decided from
    1 January up to and including `tot` (same matching as programma_realisatie_pct: by
    product name). Products closed but not in the programme are listed with gepland NULL."""
    checked = _code(viewer, code)
    return query(
        """
        with plan as (
            select
                product,
                sum(gepland_aantal)::bigint as gepland,
                sum(geplande_uren) as geplande_uren
            from staging.programma
            where jaar = ? and deelnemer = ?
            group by product
        ),

        gerealiseerd as (
            select product, count(*) as gerealiseerd
            from staging.zaken
            where bevoegd_gezag = ?
                and status = 'afgesloten'
                and datum_besluit >= ? and datum_besluit < ?
            group by product
        )

        select
            coalesce(plan.product, gerealiseerd.product) as product,
            plan.gepland,
            coalesce(gerealiseerd.gerealiseerd, 0) as gerealiseerd,
            case when plan.gepland > 0
                then 100.0 * coalesce(gerealiseerd.gerealiseerd, 0) / plan.gepland end
                as realisatie_pct,
            plan.geplande_uren
        from plan
        full join gerealiseerd on plan.product = gerealiseerd.product
        order by plan.gepland desc nulls last, product
        """,
        [jaar, checked, checked, dt.date(jaar, 1, 1), tot + dt.timedelta(days=1)],
    )


def uren_per_product(viewer: Viewer, code: str, jaar: int) -> pl.DataFrame:
    """Hours written per product and taakpakket in the year (kpi.uren_per_product), with the
    hours planned for that product in the uitvoeringsprogramma."""
    checked = _code(viewer, code)
    return query(
        """
        with geschreven as (
            select product, taakpakket, sum(uren) as uren
            from kpi.uren_per_product
            where jaar = ? and deelnemer_code = ?
            group by product, taakpakket
        ),

        gepland as (
            select product, sum(geplande_uren) as geplande_uren
            from staging.programma
            where jaar = ? and deelnemer = ?
            group by product
        )

        select
            coalesce(geschreven.product, gepland.product) as product,
            geschreven.taakpakket,
            gepland.geplande_uren,
            coalesce(geschreven.uren, 0) as uren
        from geschreven
        full join gepland on geschreven.product = gepland.product
        order by uren desc, product
        """,
        [jaar, checked, jaar, checked],
    )


def klachten_per_aard(viewer: Viewer, code: str, perioden: list[str]) -> pl.DataFrame:
    """Complaints per aard for these periods (kpi.klachten_per_aard; a label names its type:
    2025, 2025-Q3, 2025-07): periode_type, periode, aard, aantal, gegrond, aandeel_pct."""
    return query(
        "select periode_type, periode, aard, aantal, gegrond, aandeel_pct "
        "from kpi.klachten_per_aard "
        "where list_contains(?::varchar[], periode) "
        "and deelnemer_code = ? "
        "order by periode, aantal desc, aard",
        [perioden, _code(viewer, code)],
    )


def handhaving_instrumenten(
    viewer: Viewer, code: str, begin: dt.date, eind: dt.date
) -> pl.DataFrame:
    """Enforcement decisions of the deelnemer from `begin` to `eind` (inclusive) per
    instrument: number of besluiten and the dwangsom amounts imposed, forfeited (verbeurd) and
    collected (ingevorderd), in EUR. There is no kpi view per instrument, so this reads
    staging.handhaving (current version of each besluit)."""
    return query(
        "select instrument, count(*) as besluiten, "
        "sum(dwangsom_bedrag) as dwangsom_opgelegd, sum(verbeurd_bedrag) as verbeurd, "
        # a forfeited dwangsom with nothing collected is 0 collected, not unknown
        "case when count(verbeurd_bedrag) > 0 then coalesce(sum(ingevorderd_bedrag), 0) end "
        "as ingevorderd "
        "from staging.handhaving "
        "where bevoegd_gezag = ? "
        "and datum_besluit >= ? and datum_besluit < ? "
        "group by instrument order by besluiten desc, instrument",
        [_code(viewer, code), begin, eind + dt.timedelta(days=1)],
    )


# --- drill-through: from a KPI to the rows behind it (docs/dashboard.md, "Doorklikken") ---------
# Which rows are behind which KPI. Each list is exactly what the KPI counts in the period: the
# controles of the period (naleefpercentage = the periodieke among them without a violation),
# the zaken open on the period's last day (werkvoorraad_open), the zaken decided in the period
# (binnen_termijn_pct), the complaints reported in the period (klachten_aantal).
ONDERBOUWING = {
    "naleefpercentage": "controles",
    "controles_aantal": "controles",
    "overtredingen_aantal": "controles",
    "hercontrole_ratio": "controles",
    "lhso_zwaarste": "controles",
    "werkvoorraad_open": "werkvoorraad",
    "binnen_termijn_pct": "besluiten",
    "doorlooptijd_mediaan_dagen": "besluiten",
    "klachten_aantal": "klachten",
    "klachten_per_1000_inwoners": "klachten",
    "klachten_gegrond_pct": "klachten",
}
ONDERBOUWING_TITEL = {
    "controles": "Controles",
    "werkvoorraad": "Open zaken",
    "besluiten": "Besluiten",
    "klachten": "Klachten",
}

_JA_NEE = "case when {0} then 'Ja' when not {0} then 'Nee' end"

_ONDERBOUWING_SQL = {
    # the controles of the period; the KPI counts the periodieke (noemer) and, among them, those
    # without a violation (teller)
    "controles": f"""
        select
            controle_id as "Controle",
            datum as "Datum",
            soort as "Soort",
            thema as "Thema",
            inrichting_id as "Inrichting",
            branche as "Branche",
            aantal_overtredingen as "Overtredingen",
            lhso_code as "LHSO-cel",
            {_JA_NEE.format("telt_voor_naleefpercentage")} as "Telt voor naleefpercentage",
            {_JA_NEE.format("zonder_overtreding")} as "Zonder overtreding"
        from kpi.onderbouwing_controles
        where deelnemer_code = ? and datum between ? and ?
        order by datum, controle_id
    """,
    # open on the period's last day: received by then, not decided by then, not withdrawn
    "werkvoorraad": f"""
        select
            zaaknummer as "Zaak",
            zaaktype as "Zaaktype",
            product as "Product",
            taakveld as "Taakveld",
            datum_ontvangst as "Ontvangen",
            termijn_einde as "Uiterste beslisdatum",
            (?::date - datum_ontvangst) as "Dagen open",
            {_JA_NEE.format("termijn_einde < ?::date")} as "Termijn verstreken"
        from kpi.onderbouwing_zaken
        where deelnemer_code = ? and telt_voor_werkvoorraad
            and datum_ontvangst <= ?::date
            and coalesce(datum_besluit, date '9999-12-31') > ?::date
        order by datum_ontvangst, zaaknummer
    """,
    "besluiten": f"""
        select
            zaaknummer as "Zaak",
            zaaktype as "Zaaktype",
            product as "Product",
            datum_ontvangst as "Ontvangen",
            datum_besluit as "Besluit",
            termijn_einde as "Uiterste beslisdatum",
            {_JA_NEE.format("datum_besluit <= termijn_einde")} as "Binnen termijn",
            (datum_besluit - datum_ontvangst) as "Doorlooptijd (dagen)",
            status as "Status"
        from kpi.onderbouwing_zaken
        where deelnemer_code = ? and datum_besluit between ? and ?
        order by datum_besluit, zaaknummer
    """,
    "klachten": """
        select
            klacht_id as "Klacht",
            datum_melding as "Gemeld",
            datum_afgehandeld as "Afgehandeld",
            aard as "Aard",
            gegrond as "Gegrond",
            inrichting_id as "Inrichting",
            afhandelduur_dagen as "Afhandelduur (dagen)"
        from kpi.onderbouwing_klachten
        where deelnemer_code = ? and datum_melding between ? and ?
        order by datum_melding, klacht_id
    """,
}


def onderbouwing(
    viewer: Viewer, code: str, soort: str, begin: dt.date, einde: dt.date
) -> pl.DataFrame:
    """The rows behind a KPI of one deelnemer in the period `begin`..`einde` (inclusive), as a
    Dutch table without personal data (the kpi.onderbouwing_* relations): `soort` is a value of
    ONDERBOUWING. Scoped like every breakdown: an accounthouder gets their own deelnemer only."""
    checked = _code(viewer, code)
    if soort == "werkvoorraad":
        params = [einde, einde, einde, checked, einde, einde]
    else:
        params = [checked, begin, einde]
    return query(_ONDERBOUWING_SQL[soort], params)


def onderbouwing_telling(frame: pl.DataFrame, soort: str) -> dict[str, int]:
    """What a drill-through list adds up to, to show beside the KPI's own value: the number of
    rows and, per soort, the counts the KPI is a fraction of."""
    telling = {"rijen": frame.height}
    if soort == "controles":
        periodiek = frame.filter(pl.col("Telt voor naleefpercentage") == "Ja")
        telling["periodiek"] = periodiek.height
        telling["periodiek_zonder_overtreding"] = periodiek.filter(
            pl.col("Zonder overtreding") == "Ja"
        ).height
        telling["met_overtreding"] = frame.filter(pl.col("Overtredingen") > 0).height
    elif soort == "werkvoorraad":
        telling["termijn_verstreken"] = frame.filter(pl.col("Termijn verstreken") == "Ja").height
    elif soort == "besluiten":
        telling["met_termijn"] = frame.filter(pl.col("Binnen termijn").is_not_null()).height
        telling["binnen_termijn"] = frame.filter(pl.col("Binnen termijn") == "Ja").height
    elif soort == "klachten":
        telling["gegrond"] = frame.filter(pl.col("Gegrond") == "Ja").height
    return telling


def lhso_cellen(viewer: Viewer, code: str, begin: dt.date, einde: dt.date) -> pl.DataFrame:
    """The 16 LHSO cells for the controles of one deelnemer in the period (inclusive): each
    controle with violations counts once, in the cell of its most severe finding, as in
    kpi.lhso_matrix, but for any period, so the Deelnemer page shows the period it was asked
    for and not its year."""
    return query(
        """
        with cellen as (
            select gevolgen.g as lhso_gevolgen, gedrag.d as lhso_gedrag, g || d as lhso_code
            from (values ('A'), ('B'), ('C'), ('D')) as gevolgen(g)
            cross join (values ('1'), ('2'), ('3'), ('4')) as gedrag(d)
        ),

        telling as (
            select lhso_code, count(*) as aantal_controles
            from kpi.onderbouwing_controles
            where deelnemer_code = ? and datum between ? and ? and lhso_code is not null
            group by lhso_code
        )

        select cellen.*, coalesce(telling.aantal_controles, 0) as aantal_controles
        from cellen left join telling using (lhso_code)
        order by lhso_gevolgen, lhso_gedrag
        """,
        [_code(viewer, code), begin, einde],
    )


KLACHTEN_CEL_METER = 1000  # 1 km squares: fine enough to show a hotspot, coarse enough to
# say nothing about one address (docs/dashboard.md, "Klachtenkaart")


def klachten_raster(
    viewer: Viewer,
    code: str | list[str],
    begin: dt.date,
    einde: dt.date,
    aarden: list[str] | None = None,
) -> pl.DataFrame:
    """Complaints reported in the period (inclusive) with a known location, counted per square
    of KLACHTEN_CEL_METER on the RD New grid: the lower-left corner (x, y) of each square with
    complaints, the number of complaints and of those gegrond. Aggregated on the server, so the
    browser gets a few hundred squares instead of every complaint's coordinates. `code`: one
    deelnemer, or several (the Klachten page: every deelnemer in scope), each checked against
    the scope; `aarden`: only complaints of these aarden (None: all)."""
    cel = KLACHTEN_CEL_METER
    codes = [_code(viewer, c) for c in ([code] if isinstance(code, str) else code)]
    return query(
        """
        select
            floor(x / ?) * ? as x,
            floor(y / ?) * ? as y,
            count(*) as klachten,
            count(*) filter (where gegrond = 'Ja') as gegrond
        from kpi.klachten_locaties
        where list_contains(?::varchar[], deelnemer_code) and datum between ? and ?
            and x is not null and y is not null
            and (?::varchar[] is null or list_contains(?::varchar[], aard))
        group by all
        order by x, y
        """,
        [cel, cel, cel, cel, codes, begin, einde, aarden, aarden],
    )


def klachten_raster_tabel(raster: pl.DataFrame) -> pl.DataFrame:
    """The squares of klachten_raster as the table under the map."""
    return raster.rename(
        {"x": "RD x (m)", "y": "RD y (m)", "klachten": "Klachten", "gegrond": "Gegrond"}
    )


UREN = ("uren_gerealiseerd", "uren_begroot", "uren_prognose_jaareinde")


def uren_verloop(viewer: Viewer, code: str, jaar: int) -> pl.DataFrame:
    """Hours of the deelnemer per month of the year: realised, budgeted (pro rata), both
    cumulative, the year-end projection after each month, and the year's budget (one query):
    periode, gerealiseerd, begroot, prognose, gerealiseerd_cumulatief, begroot_cumulatief,
    jaarbegroting."""
    reeks = reeksen(
        viewer,
        code,
        [(k, "maand", f"{jaar}-12", 12) for k in UREN] + [("uren_begroot", "jaar", str(jaar), 1)],
    ).filter(pl.col("deelnemer_code") == code)
    maanden = reeks.filter(pl.col("periode_type") == "maand")
    verloop = pl.DataFrame({"periode": [f"{jaar}-{m:02d}" for m in range(1, 13)]})
    for kpi_id, kolom in zip(UREN, ("gerealiseerd", "begroot", "prognose"), strict=True):
        verloop = verloop.join(
            maanden.filter(pl.col("kpi_id") == kpi_id).select(
                "periode",
                pl.col("waarde").alias(kolom),
                pl.col("cumulatief").alias(f"{kolom}_cumulatief"),
            ),
            on="periode",
            how="left",
        )
    jaar_rij = reeks.filter(
        (pl.col("periode_type") == "jaar") & (pl.col("kpi_id") == "uren_begroot")
    )
    begroting = jaar_rij["waarde"][0] if jaar_rij.height else None
    return verloop.drop("prognose_cumulatief").with_columns(
        pl.lit(begroting, dtype=pl.Float64).alias("jaarbegroting")
    )


def uren_verloop_lang(verloop: pl.DataFrame) -> pl.DataFrame:
    """uren_verloop as chart series (reeks, uren), with the year's budget as the norm line."""
    return verloop.unpivot(
        index=["periode", "jaarbegroting"],
        on=["gerealiseerd_cumulatief", "begroot_cumulatief", "prognose"],
        variable_name="reeks",
        value_name="uren",
    ).with_columns(
        pl.col("reeks").replace_strict(
            {
                "gerealiseerd_cumulatief": "Gerealiseerd (cumulatief)",
                "begroot_cumulatief": "Begroot (cumulatief, naar rato)",
                "prognose": "Prognose 31 december",
            }
        ),
        pl.col("jaarbegroting").alias("norm"),
    )


def uren_verloop_tabel(verloop: pl.DataFrame) -> pl.DataFrame:
    return verloop.select(
        pl.col("periode").alias("Maand"),
        pl.col("gerealiseerd").round(1).alias("Gerealiseerd"),
        pl.col("begroot").round(1).alias("Begroot"),
        pl.col("gerealiseerd_cumulatief").round(1).alias("Gerealiseerd cumulatief"),
        pl.col("begroot_cumulatief").round(1).alias("Begroot cumulatief"),
        pl.col("prognose").round(0).alias("Prognose 31 december"),
        pl.col("jaarbegroting").alias("Begroting jaar"),
    )


def lhso_tabel(cellen: pl.DataFrame) -> pl.DataFrame:
    """The LHSO cells as a matrix table: gevolgen per row, gedrag per column."""
    return (
        cellen.with_columns(pl.col("lhso_gevolgen").replace_strict(GEVOLGEN).alias("Gevolgen"))
        .pivot(on="lhso_gedrag", index="Gevolgen", values="aantal_controles")
        .rename({k: f"Gedrag {v}" for k, v in GEDRAG.items()}, strict=False)
    )


def kpi_tabel(
    frame: pl.DataFrame,
    kpi_namen: dict[str, str],
    namen: dict[str, str],
    status_labels: dict[str, str],
    onderdrukt: str,
) -> pl.DataFrame:
    """Comparison rows (overzicht.vergelijking: this deelnemer and TOTAAL) as the table behind a
    block's KPI cards: numbers stay numbers (downloads sum in Excel), a withheld TOTAAL says
    why in its status, TOTAAL last per KPI."""
    return frame.select(
        pl.col("kpi_id").replace_strict(kpi_namen, default=pl.col("kpi_id")).alias("Kengetal"),
        pl.col("deelnemer_code")
        .replace_strict(namen, default=pl.col("deelnemer_code"))
        .alias("Deelnemer"),
        pl.col("periode").alias("Periode"),
        pl.col("waarde").round(2).alias("Waarde"),
        pl.col("waarde_tekst").alias("Code"),  # the LHSO cell of lhso_zwaarste
        pl.col("vorige_periode").alias("Vorige periode"),
        pl.col("verschil_vorige").round(2).alias("Verschil t.o.v. vorige periode"),
        pl.col("vorig_jaar_periode").alias("Zelfde periode vorig jaar"),
        pl.col("verschil_vorig_jaar").round(2).alias("Verschil t.o.v. vorig jaar"),
        pl.col("norm").alias("Norm"),
        pl.when(pl.col("onderdrukt"))
        .then(pl.lit(onderdrukt))
        .otherwise(pl.col("status").replace_strict(status_labels, default=None))
        .alias("Status"),
    ).sort("Kengetal", pl.col("Deelnemer") == namen.get(TOTAAL))


def met_deelnemer_naam(frame: pl.DataFrame, namen: dict[str, str]) -> pl.DataFrame:
    """A trend (reeksen) with the deelnemer's name as `deelnemer`, the series of its chart."""
    return frame.with_columns(
        pl.col("deelnemer_code")
        .replace_strict(namen, default=pl.col("deelnemer_code"))
        .alias("deelnemer")
    )


def klachten_aard_tabel(per_aard: pl.DataFrame) -> pl.DataFrame:
    """klachten_per_aard as the table and chart of the Klachten block and report section."""
    return per_aard.select(
        pl.col("aard").alias("Aard"),
        pl.col("aantal").alias("Klachten"),
        pl.col("gegrond").alias("Gegrond"),
        pl.col("aandeel_pct").round(1).alias("Aandeel (%)"),
    )


def handhaving_tabel(instrumenten: pl.DataFrame) -> pl.DataFrame:
    """handhaving_instrumenten with the instruments' Dutch names, as table and chart."""
    return instrumenten.select(
        pl.col("instrument")
        .replace_strict(
            INSTRUMENTEN,
            default=pl.col("instrument").str.replace_all("_", " ").str.to_titlecase(),
        )
        .alias("Instrument"),
        pl.col("besluiten").alias("Besluiten"),
        pl.col("dwangsom_opgelegd").alias("Dwangsom opgelegd (€)"),
        pl.col("verbeurd").alias("Verbeurd (€)"),
        pl.col("ingevorderd").alias("Ingevorderd (€)"),
    )
