"""Robustness criteria, their norms and deadlines, and the milestones (robuustheid and the
verbeterplan after the 2024 visitation).

All of it is organisation-level: the KPI values exist only for TOTAAL (which every viewer may
see; the scope and the TOTAAL rule still go through allowed() and data.waarden_bron() so the
rules live in one place), and normen and
mijlpalen are reference data without deelnemer rows.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.data import TOTAAL, allowed, query, waarden_bron
from dashboard.format import OPERATOR, datum, eenheid_tekst, getal, voorbij
from dashboard.labels import MIJLPAAL_STATUS
from dashboard.viewer import Viewer

# The criteria are the robustness KPIs that are not a milestone: the milestones have their own
# rows in kpi.mijlpalen (and a rob_mijlpaal_<id> value each in kpi.waarden).
_CRITERIA = (
    "select kpi_id from kpi.catalogus where groep = 'robuustheid' "
    "and kpi_id not in (select kpi_id from kpi.mijlpalen)"
)


def stand(viewer: Viewer) -> pl.DataFrame:
    """Per criterion the newest year's value judged against the norm in force now
    (kpi.stand_robuustheid: norm, operator, geldig_vanaf, deadline, deadline_voorbij, status),
    with the year's own norm and status beside it; name and unit from the catalogue.
    Organisation-level (TOTAAL), which every viewer may see; the rule still goes through
    allowed()."""
    if TOTAAL not in allowed(viewer, [TOTAAL]):
        return query("select * from kpi.stand_robuustheid limit 0")
    return query(
        """
        select stand.*, catalogus.naam, catalogus.eenheid, catalogus.richting
        from kpi.stand_robuustheid as stand
        join kpi.catalogus as catalogus using (kpi_id)
        order by catalogus.naam
        """
    )


def criterium_waarden(viewer: Viewer) -> pl.DataFrame:
    """Every year's value of every criterion (TOTAAL), with the norm in force at the end of the
    year, its operator (>=, <=, =) and the status, as kpi.waarden holds them; name, unit and
    direction from the catalogue. Ordered by name, then year."""
    codes = allowed(viewer, [TOTAAL])
    bron, bron_params = waarden_bron(viewer)
    return query(
        f"""
        with {bron},

        waarden as (
            select kpi_id, deelnemer_code, periode, waarde, teller, noemer, norm, status,
                dekking, gedekt_vanaf, gedekt_tot, make_date(periode::integer, 12, 31) as einde
            from zichtbaar
            where kpi_id in ({_CRITERIA})
              and periode_type = 'jaar'
              and deelnemer_code in (select unnest(?::varchar[]))
        )
        select waarden.kpi_id, catalogus.naam, catalogus.eenheid, catalogus.richting,
            waarden.deelnemer_code,
            waarden.periode, waarden.waarde, waarden.teller, waarden.noemer, waarden.norm,
            normen.operator, waarden.status, waarden.dekking, waarden.gedekt_vanaf,
            waarden.gedekt_tot, 'jaar' as periode_type
        from waarden
        join kpi.catalogus as catalogus using (kpi_id)
        asof left join staging.normen as normen
            on waarden.kpi_id = normen.kpi_id and waarden.einde >= normen.geldig_vanaf
        order by catalogus.naam, waarden.periode
        """,
        [*bron_params, codes],
    )


def normen() -> pl.DataFrame:
    """The norms of the criteria (reference data) with their deadline, and whether that
    deadline lies before `peildatum`: the build date of the warehouse, the same date
    kpi.mijlpalen judges its deadlines against."""
    return query(
        f"""
        select normen.kpi_id, catalogus.naam, normen.operator, normen.waarde as norm,
            normen.geldig_vanaf, normen.deadline, normen.bron, normen.toelichting,
            normen.deadline < build.peildatum as deadline_voorbij, build.peildatum
        from staging.normen as normen
        join kpi.catalogus as catalogus using (kpi_id)
        cross join (
            select coalesce(
                (select max(bepaald_op) from kpi.mijlpalen),
                (select gebouwd_op::date from meta.build)
            ) as peildatum
        ) as build
        where normen.kpi_id in ({_CRITERIA})
        order by catalogus.naam, normen.geldig_vanaf
        """
    )


def mijlpalen(plan: str) -> pl.DataFrame:
    """The milestones of one plan (`robuustheid` or `verbeterplan`) from kpi.mijlpalen, with
    `status` as shown (kpi.mijlpalen.status_nu: 'verstreken' past the deadline and not done;
    the reference data's own word is `status_plan`),
    the planned period as a date range (a quarter like 2025-Q3 becomes 1 July - 30 September)
    and, for the verbeterplan, the number of the recommendation (from the source reference)."""
    return query(
        r"""
        with mijlpalen as (
            select *,
                regexp_matches(gepland, '^\d{4}-Q[1-4]$') as is_kwartaal,
                nullif(regexp_extract(bron, 'aanbeveling\s+(\S+)', 1), '') as aanbeveling
            from kpi.mijlpalen
            where plan = ?
        )
        select mijlpaal_id, kpi_id, plan, coalesce(aanbeveling, mijlpaal_id) as aanbeveling,
            titel, gepland,
            case when is_kwartaal
                then make_date(left(gepland, 4)::integer,
                               right(gepland, 1)::integer * 3 - 2, 1)
                else try_cast(gepland as date) end as gepland_van,
            case when is_kwartaal
                then last_day(make_date(left(gepland, 4)::integer,
                                        right(gepland, 1)::integer * 3, 1))
                else try_cast(gepland as date) end as gepland_tot,
            deadline, status_nu as status, status as status_plan, laatste_update, toelichting,
            bron, deadline_verstreken,
            deadline < bepaald_op as deadline_voorbij, bepaald_op
        from mijlpalen
        -- recommendations by number (1, 2, 3a, 3b, ...), other milestones by deadline
        order by try_cast(regexp_extract(mijlpalen.aanbeveling, '^\d+') as integer) nulls last,
            case when mijlpalen.aanbeveling is null then mijlpalen.deadline end,
            mijlpalen.aanbeveling, mijlpalen.deadline, mijlpalen.mijlpaal_id
        """,
        [plan],
    )


def mijlpalen_gereed_per_jaar(viewer: Viewer, plan: str) -> pl.DataFrame:
    """Per year: how many milestones of the plan were gereed at the end of it (the sum of their
    rob_mijlpaal_<id> values in kpi.waarden, TOTAAL) out of how many."""
    codes = allowed(viewer, [TOTAAL])
    bron, bron_params = waarden_bron(viewer)
    return query(
        f"""
        with {bron}
        select waarden.deelnemer_code, waarden.periode, sum(waarden.waarde) as gereed,
            count(*) as mijlpalen
        from zichtbaar as waarden
        join kpi.mijlpalen as mijlpalen using (kpi_id)
        where mijlpalen.plan = ?
          and waarden.periode_type = 'jaar'
          and waarden.deelnemer_code in (select unnest(?::varchar[]))
        group by all
        order by waarden.periode
        """,
        [*bron_params, plan, codes],
    )


# --- milestones for display (Robuustheid and Verbeterplan): pure, no queries ------------------
def gepland_tekst(van: dt.date | None, tot: dt.date | None, tekst: str) -> str:
    """A planned quarter as '3e kwartaal 2025', a planned day as 01-07-2025; the reference
    data's own text when it is neither."""
    if van is None:
        return tekst
    if tot is not None and tot != van:
        return f"{(van.month - 1) // 3 + 1}e kwartaal {van.year}"
    return datum(van)


def _gepland() -> pl.Expr:
    return pl.struct("gepland_van", "gepland_tot", "gepland").map_elements(
        lambda r: gepland_tekst(r["gepland_van"], r["gepland_tot"], r["gepland"]),
        return_dtype=pl.String,
    )


def aanbeveling_label(aanbeveling: str, titel: str, lengte: int = 70) -> str:
    """'3a. <titel>' with the title cut at `lengte` characters, for the axis of the timeline."""
    kort = titel if len(titel) <= lengte else titel[: lengte - 1].rstrip() + "…"
    return f"{aanbeveling}. {kort}"


def tijdlijn_rijen(mijlpalen: pl.DataFrame) -> pl.DataFrame:
    """The milestones (mijlpalen()) with what the timeline shows: the row label (`regel`), the
    planned period as text and as a bar (a planned day is a bar of one day: `gepland_eind` is
    the day after `gepland_tot`), the status in words and the dates as Dutch text."""
    return mijlpalen.with_columns(
        pl.struct("aanbeveling", "titel")
        .map_elements(
            lambda r: aanbeveling_label(r["aanbeveling"], r["titel"]), return_dtype=pl.String
        )
        .alias("regel"),
        _gepland().alias("gepland_label"),
        pl.col("status")
        .replace_strict(MIJLPAAL_STATUS, default=pl.col("status"))
        .alias("status_label"),
        pl.col("gepland_tot").dt.offset_by("1d").alias("gepland_eind"),
        pl.col("laatste_update")
        .map_elements(datum, return_dtype=pl.String)
        .fill_null("onbekend")
        .alias("update_label"),
        pl.col("deadline").map_elements(datum, return_dtype=pl.String).alias("deadline_label"),
    )


def mijlpalen_tabel(mijlpalen: pl.DataFrame, eerste: str = "Mijlpaal") -> pl.DataFrame:
    """The milestones as a Dutch table (and download): the title under `eerste` (for the
    verbeterplan the recommendation's number comes first and the title is the
    'Omschrijving'), planned, deadline and the last update as dates, the status in words and
    whether the deadline passed. Dates stay dates, so a download sorts and filters in Excel."""
    titel = (
        [pl.col("aanbeveling").alias(eerste), pl.col("titel").alias("Omschrijving")]
        if eerste == "Aanbeveling"
        else [pl.col("titel").alias(eerste)]
    )
    return mijlpalen.select(
        *titel,
        _gepland().alias("Gepland"),
        pl.col("deadline").alias("Deadline"),
        pl.col("status").replace_strict(MIJLPAAL_STATUS, default=pl.col("status")).alias("Status"),
        pl.when(pl.col("deadline_verstreken"))
        .then(pl.lit("⚠ verstreken, niet gereed"))
        .when(pl.col("deadline_voorbij"))
        .then(pl.lit("voorbij, gereed"))
        .otherwise(pl.lit("nog niet voorbij"))
        .alias("Deadline verstreken"),
        pl.col("laatste_update").alias("Laatste update"),
        pl.col("toelichting").fill_null("").alias("Toelichting"),
    )


def status_telling(mijlpalen: pl.DataFrame) -> list[tuple[str, int]]:
    """How many milestones there are, then how many have each status (every status of
    MIJLPAAL_STATUS, also those with none), as (label, number)."""
    per_status = dict(mijlpalen.group_by("status").len().iter_rows())
    return [("Aanbevelingen", mijlpalen.height)] + [
        (tekst, per_status.get(status, 0)) for status, tekst in MIJLPAAL_STATUS.items()
    ]


def voortgang_stand(voortgang: pl.DataFrame, peildatum: dt.date) -> dict | None:
    """The progress metric from mijlpalen_gereed_per_jaar(): the newest year (label, the number
    gereed as waarde, '4 van 12' as waarde_tekst) and the year before it to compare with. A
    year still running on the peildatum has no end yet: its label says 'tot nu' and there is no
    comparison (docs/kpis.md, "Dekking")."""
    if voortgang.height == 0:
        return None
    laatste = voortgang.row(-1, named=True)
    lopend = int(laatste["periode"]) >= peildatum.year
    vorige = voortgang.row(-2, named=True) if voortgang.height > 1 and not lopend else None
    label = (
        f"Gereed in {laatste['periode']} tot nu ({datum(peildatum)})"
        if lopend
        else f"Gereed aan het eind van {laatste['periode']}"
    )
    return {
        "label": label,
        "waarde": laatste["gereed"],
        "waarde_tekst": f"{getal(laatste['gereed'])} van {getal(laatste['mijlpalen'])}",
        "vorige": {"waarde": vorige["gereed"], "periode": vorige["periode"]} if vorige else None,
    }


def stand_tabel(stand: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """stand() as a Dutch table (and download): per criterion the newest year's value and the
    norm in force now as numbers, with the test (≥, ≤, =) and the unit in columns of their own so
    the download sums in Excel (docs/exports.md); the deadline as a date and how far it is from
    the peildatum; the status in words (`labels`: components.status_labels)."""
    peildatum = stand["bepaald_op"][0] if stand.height else None
    return stand.select(
        pl.col("naam").alias("Criterium"),
        pl.col("periode").fill_null("–").alias("Jaar"),
        pl.col("waarde").alias("Waarde"),
        pl.col("operator").replace_strict(OPERATOR, default=pl.col("operator")).alias("Toets"),
        pl.col("norm").alias("Norm nu"),
        pl.col("eenheid").map_elements(eenheid_tekst, return_dtype=pl.String).alias("Eenheid"),
        pl.col("deadline").alias("Deadline"),
        pl.col("deadline")
        .map_elements(lambda d: voorbij(d, peildatum), return_dtype=pl.String)
        .fill_null("–")
        .alias("Deadline voorbij"),
        pl.col("status")
        .replace_strict(labels, default=pl.col("status"))
        .fill_null("– nog geen waarde")
        .alias("Status nu"),
    )
