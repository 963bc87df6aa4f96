-- KPI-waarden uren (uren_gerealiseerd, uren_begroot, uren_realisatie_pct, uren_prognose_jaareinde, uren_prognose_begroting_pct) per deelnemer en TOTAAL, per jaar, kwartaal en maand; definities in kpi.catalogus. De uren-KPI's alleen voor perioden binnen de urenregistratie, uren_begroot binnen de jaren van de begroting. Indirecte uren (zonder bevoegd gezag) horen bij geen deelnemer en tellen ook in TOTAAL niet mee: TOTAAL is de som over de deelnemers. Zo ook bij uren_begroot: begrotingsregels zonder deelnemer (hele organisatie) tellen niet mee, en een deelnemer zonder begrote uren heeft NULL. uren_prognose_jaareinde rekent tot de peildatum: het einde van de periode, of de dag tot waar de urenexports de deelnemer dekken (meta.dekking_uren) als die eerder is; uren_prognose_begroting_pct zet die prognose af tegen de begrote uren van het hele jaar. Een eigen familie naast kpi_output, zodat een lading uren de zaken-KPI's niet herberekent (docs/architectuur.md, "Incrementeel bouwen").
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: CBS-code of TOTAAL
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn
-- kolom waarde_tekst: altijd NULL in deze familie
-- kolom teller: teller van de breuk, of het aantal / de som; bij uren_prognose_jaareinde de gerealiseerde uren van 1 januari tot en met de peildatum
-- kolom noemer: noemer van de breuk; NULL bij aantallen, sommen en medianen; bij uren_prognose_jaareinde het aandeel (0-1) van de jaaruren dat op de peildatum geboekt hoort te zijn, zodat waarde = teller / noemer
with uren as (
    -- indirect hours (no bevoegd_gezag) are nobody's; TOTAAL is the sum over the deelnemers,
    -- so they are left out here and count in no row of this family (see kpi.uren_per_product).
    -- Summed per day first: every hour KPI works on days, and the period join then handles
    -- ~30 000 day rows instead of millions of hour lines.
    select bevoegd_gezag as deelnemer_code, datum, sum(uren) as uren
    from staging.uren
    where bevoegd_gezag is not null
    group by all
),

begroting as (
    -- only budget lines of a deelnemer: organisation-wide lines (no deelnemer) are the
    -- counterpart of indirect hours and stay out of TOTAAL for the same reason
    select jaar, deelnemer as deelnemer_code, uren
    from staging.begroting
    where deelnemer is not null
),

-- each source's own data range; a KPI is published only for periods that overlap it
bereik as (
    select
        -- indirect hours count for the range: they show the registration was running
        (select min(datum) from staging.uren) as uren_van,
        (select max(datum) from staging.uren) as uren_tot,
        (select min(jaar) from staging.begroting) as begroting_van,
        (select max(jaar) from staging.begroting) as begroting_tot
),

raster as (
    select
        dp.deelnemer_code,
        dp.periode_type,
        dp.periode,
        dp.jaar,
        dp.begin,
        dp.einde,
        coalesce(dp.einde >= bereik.uren_van and dp.begin <= bereik.uren_tot, false) as in_uren,
        coalesce(dp.jaar between bereik.begroting_van and bereik.begroting_tot, false)
            as in_begroting,
        -- the day up to which hours are known: the end of the period, or the day up to which
        -- the hour exports cover this deelnemer when that is earlier (the running year is not
        -- complete yet; meta.dekking_uren, docs/kpis.md "Dekking"), else the registration's
        -- last day
        least(dp.einde, coalesce(dekking.gedekt_tot, bereik.uren_tot)) as peildatum
    from marts.deelnemer_perioden as dp
    cross join bereik
    left join meta.dekking_uren as dekking on dekking.deelnemer_code = dp.deelnemer_code
),

geboekt as (
    select
        case when grouping(uren.deelnemer_code) = 1 then 'TOTAAL' else uren.deelnemer_code end
            as deelnemer_code,
        p.periode_type,
        p.periode,
        sum(uren.uren) as uren
    from uren
    join marts.perioden as p on uren.datum between p.begin and p.einde
    group by grouping sets (
        (uren.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode)
    )
),

-- the annual budget; NULL (no data) when the deelnemer has no budgeted hours that year
begroot_jaar as (
    select
        case when grouping(deelnemer_code) = 1 then 'TOTAAL' else deelnemer_code end
            as deelnemer_code,
        jaar,
        sum(uren) as uren
    from begroting
    group by grouping sets ((deelnemer_code, jaar), (jaar))
),

uren_per_dag as (
    select
        case when grouping(deelnemer_code) = 1 then 'TOTAAL' else deelnemer_code end
            as deelnemer_code,
        datum,
        sum(uren) as uren
    from uren
    group by grouping sets ((deelnemer_code, datum), (datum))
),

-- year-end projection. Hours of this year up to the peildatum, divided by the share of last
-- year's hours that had been booked by the same day last year (seasonality). Without hours
-- last year up to that day, the share is the elapsed part of the year (pro rata by days). A
-- complete year (peildatum 31-12) is its own realisation: share 1.
prognose_basis as (
    select
        raster.deelnemer_code,
        raster.periode_type,
        raster.periode,
        raster.jaar,
        raster.peildatum,
        coalesce(sum(dag.uren) filter (where year(dag.datum) = raster.jaar), 0) as tot_peildatum,
        sum(dag.uren) filter (
            where
                year(dag.datum) = raster.jaar - 1
                -- the same day last year; 29 February maps to 28 February
                and dag.datum <= (raster.peildatum - interval 1 year)::date
        ) as vorig_jaar_tot_zelfde_dag,
        sum(dag.uren) filter (where year(dag.datum) = raster.jaar - 1) as vorig_jaar
    from raster
    left join uren_per_dag as dag
        on dag.deelnemer_code = raster.deelnemer_code
        and dag.datum between make_date(raster.jaar - 1, 1, 1) and raster.peildatum
    where raster.in_uren
    group by all
),

prognose as (
    select
        deelnemer_code,
        periode_type,
        periode,
        tot_peildatum,
        case
            when peildatum >= make_date(jaar, 12, 31) then 1.0
            when vorig_jaar_tot_zelfde_dag > 0 then vorig_jaar_tot_zelfde_dag / vorig_jaar
            else
                (peildatum - make_date(jaar, 1, 1) + 1)::double
                / (make_date(jaar, 12, 31) - make_date(jaar, 1, 1) + 1)
        end as aandeel
    from prognose_basis
),

per_cel as (
    select
        raster.deelnemer_code,
        raster.periode_type,
        raster.periode,
        raster.in_uren,
        raster.in_begroting,
        coalesce(geboekt.uren, 0) as uren_gerealiseerd,
        -- kwartaal and maand get the annual budget pro rata by the days of the period
        begroot_jaar.uren
        * (raster.einde - raster.begin + 1)::double
        / (make_date(raster.jaar, 12, 31) - make_date(raster.jaar, 1, 1) + 1) as uren_begroot,
        begroot_jaar.uren as uren_begroot_jaar,
        prognose.tot_peildatum as prognose_teller,
        prognose.aandeel as prognose_aandeel
    from raster
    left join geboekt using (deelnemer_code, periode_type, periode)
    left join begroot_jaar using (deelnemer_code, jaar)
    left join prognose using (deelnemer_code, periode_type, periode)
),

final as (
    select
        kpi.kpi_id,
        deelnemer_code,
        periode_type,
        periode,
        kpi.waarde::double as waarde,
        null::varchar as waarde_tekst,
        kpi.teller::double as teller,
        kpi.noemer::double as noemer
    from per_cel,
        lateral (
            values
                (
                    'uren_gerealiseerd',
                    uren_gerealiseerd,
                    uren_gerealiseerd,
                    null,
                    in_uren
                ),
                ('uren_begroot', uren_begroot, uren_begroot, null, in_begroting),
                (
                    'uren_realisatie_pct',
                    uren_gerealiseerd / nullif(uren_begroot, 0) * 100,
                    uren_gerealiseerd,
                    uren_begroot,
                    in_uren
                ),
                (
                    'uren_prognose_jaareinde',
                    prognose_teller / nullif(prognose_aandeel, 0),
                    prognose_teller,
                    prognose_aandeel,
                    in_uren
                ),
                (
                    'uren_prognose_begroting_pct',
                    prognose_teller / nullif(prognose_aandeel, 0)
                    / nullif(uren_begroot_jaar, 0) * 100,
                    prognose_teller / nullif(prognose_aandeel, 0),
                    uren_begroot_jaar,
                    in_uren and in_begroting
                )
        ) as kpi(kpi_id, waarde, teller, noemer, in_bereik)
    where kpi.in_bereik
)

select * from final
