-- KPI-waarden output (uren_gerealiseerd, uren_begroot, uren_realisatie_pct, uren_prognose_jaareinde, uren_prognose_begroting_pct, producten_gerealiseerd, programma_realisatie_pct, programma_voortgang_pct, binnen_termijn_pct, doorlooptijd_mediaan_dagen, werkvoorraad_open) per deelnemer en TOTAAL, per jaar, kwartaal en maand (programma_realisatie_pct alleen per jaar); definities in kpi.catalogus. Elke KPI alleen voor perioden binnen het bereik van zijn eigen bron: de uren-KPI's binnen de urenregistratie, uren_begroot binnen de jaren van de begroting, de zaken-KPI's binnen de zakendata. Indirecte uren (zonder bevoegd gezag) horen bij geen deelnemer en tellen ook in TOTAAL niet mee: TOTAAL is de som over de deelnemers. Zo ook bij uren_begroot: begrotingsregels zonder deelnemer (hele organisatie) tellen niet mee, en een deelnemer zonder begrote uren heeft NULL. programma_realisatie_pct telt alleen afgesloten zaken van een product dat in het programma van die deelnemer voor dat jaar staat. uren_prognose_jaareinde rekent tot de peildatum: het einde van de periode, of de dag tot waar de urenexports de deelnemer dekken (meta.dekking) als die eerder is; uren_prognose_begroting_pct zet die prognose af tegen de begrote uren van het hele jaar. programma_voortgang_pct vergelijkt het gerealiseerde programma van 1 januari tot het einde van de periode met het deel van het jaarprogramma dat naar rato hoort bij de dagen tot dan die de zakenexports dekken (meta.dekking).
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: CBS-code of TOTAAL
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn
-- kolom waarde_tekst: altijd NULL in deze familie
-- kolom teller: teller van de breuk, of het aantal / de som; bij uren_prognose_jaareinde de gerealiseerde uren van 1 januari tot en met de peildatum
-- kolom noemer: noemer van de breuk; NULL bij aantallen, sommen en medianen; bij uren_prognose_jaareinde het aandeel (0-1) van de jaaruren dat op de peildatum geboekt hoort te zijn, zodat waarde = teller / noemer
with zaken as (
    select
        zaaknummer,
        bevoegd_gezag as deelnemer_code,
        product,
        status,
        -- periods and durations go by calendar day: a decision at 31-12 23:30 is in that year
        datum_ontvangst::date as datum_ontvangst,
        datum_besluit::date as datum_besluit,
        -- the legal deadline, extended by the suspension (missing = 0 days)
        uiterste_beslisdatum + coalesce(opschorting_dagen, 0)::integer as termijn_einde,
        uiterste_beslisdatum is not null as heeft_termijn
    from staging.zaken
),

uren as (
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

programma as (
    select jaar, deelnemer as deelnemer_code, product, gepland_aantal from staging.programma
),

-- each source's own data range; a KPI is published only for periods that overlap it
bereik as (
    select
        (select min(datum_ontvangst) from zaken) as zaken_van,
        (select greatest(max(datum_ontvangst), max(datum_besluit)) from zaken) as zaken_tot,
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
        coalesce(dp.einde >= bereik.zaken_van and dp.begin <= bereik.zaken_tot, false)
            as in_zaken,
        coalesce(dp.einde >= bereik.uren_van and dp.begin <= bereik.uren_tot, false) as in_uren,
        coalesce(dp.jaar between bereik.begroting_van and bereik.begroting_tot, false)
            as in_begroting,
        -- the day up to which hours are known: the end of the period, or the day up to which
        -- the hour exports cover this deelnemer when that is earlier (the running year is not
        -- complete yet; meta.dekking, docs/kpis.md "Dekking"), else the registration's last day
        least(dp.einde, coalesce(dekking.gedekt_tot, bereik.uren_tot)) as peildatum
    from marts.deelnemer_perioden as dp
    cross join bereik
    left join meta.dekking as dekking
        on dekking.bron = 'uren' and dekking.deelnemer_code = dp.deelnemer_code
),

-- zaken decided in the period (by their own datum_besluit)
besloten as (
    select
        case when grouping(zaken.deelnemer_code) = 1 then 'TOTAAL' else zaken.deelnemer_code end
            as deelnemer_code,
        p.periode_type,
        p.periode,
        count(*) filter (where zaken.status = 'afgesloten') as producten,
        count(*) filter (where zaken.heeft_termijn) as met_termijn,
        count(*) filter (
            where zaken.heeft_termijn and zaken.datum_besluit <= zaken.termijn_einde
        ) as binnen_termijn,
        median(zaken.datum_besluit - zaken.datum_ontvangst) as doorlooptijd_mediaan
    from zaken
    join marts.perioden as p on zaken.datum_besluit between p.begin and p.einde
    group by grouping sets (
        (zaken.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode)
    )
),

-- work in stock at the end of the period; a withdrawn zaak is no work
voorraad as (
    select
        case when grouping(zaken.deelnemer_code) = 1 then 'TOTAAL' else zaken.deelnemer_code end
            as deelnemer_code,
        p.periode_type,
        p.periode,
        count(*) as open
    from zaken
    join marts.perioden as p
        on zaken.datum_ontvangst <= p.einde
        and coalesce(zaken.datum_besluit, date '9999-12-31') > p.einde
    where zaken.status <> 'ingetrokken'
    group by grouping sets (
        (zaken.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode)
    )
),

-- programme realisation per year: closed zaken of a product in that deelnemer's programme
programma_per_deelnemer as (
    select jaar, deelnemer_code, sum(gepland_aantal) as gepland
    from programma
    group by jaar, deelnemer_code
),

-- programme progress: closed zaken of a programme product from 1 January to the period's end,
-- against the year's programme pro rata by the days up to the period's end that the case
-- exports cover (meta.dekking, docs/kpis.md "Dekking")
programma_ytd as (
    select
        case when grouping(zaken.deelnemer_code) = 1 then 'TOTAAL' else zaken.deelnemer_code end
            as deelnemer_code,
        p.periode_type,
        p.periode,
        count(*) as gerealiseerd
    from zaken
    semi join programma
        on programma.jaar = year(zaken.datum_besluit)
        and programma.deelnemer_code = zaken.deelnemer_code
        and programma.product = zaken.product
    join marts.perioden as p
        on zaken.datum_besluit between make_date(p.jaar, 1, 1) and p.einde
    where zaken.status = 'afgesloten'
    group by grouping sets (
        (zaken.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode)
    )
),

programma_jaar as (
    select
        case when grouping(deelnemer_code) = 1 then 'TOTAAL' else deelnemer_code end
            as deelnemer_code,
        jaar,
        sum(gepland) as gepland
    from programma_per_deelnemer
    group by grouping sets ((deelnemer_code, jaar), (jaar))
),

-- the year's realisation: the progress rows of whole years (from 1 January to 31 December)
programma_realisatie as (
    select
        jaar.deelnemer_code,
        'jaar' as periode_type,
        jaar.jaar::varchar as periode,
        coalesce(ytd.gerealiseerd, 0) as gerealiseerd,
        jaar.gepland
    from programma_jaar as jaar
    left join programma_ytd as ytd
        on ytd.deelnemer_code = jaar.deelnemer_code
        and ytd.periode_type = 'jaar'
        and ytd.periode = jaar.jaar::varchar
),

programma_voortgang as (
    select
        dekking.deelnemer_code,
        p.periode_type,
        p.periode,
        coalesce(ytd.gerealiseerd, 0) as gerealiseerd,
        jaar.gepland
        * greatest(least(dekking.gedekt_tot, p.einde) - make_date(p.jaar, 1, 1) + 1, 0)::double
        / (make_date(p.jaar, 12, 31) - make_date(p.jaar, 1, 1) + 1) as naar_rato
    from meta.dekking as dekking
    cross join marts.perioden as p
    join programma_jaar as jaar
        on jaar.deelnemer_code = dekking.deelnemer_code and jaar.jaar = p.jaar
    left join programma_ytd as ytd
        on ytd.deelnemer_code = dekking.deelnemer_code
        and ytd.periode_type = p.periode_type
        and ytd.periode = p.periode
    where dekking.bron = 'zaken'
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
        raster.in_zaken,
        raster.in_uren,
        raster.in_begroting,
        coalesce(besloten.producten, 0) as producten,
        coalesce(besloten.met_termijn, 0) as met_termijn,
        coalesce(besloten.binnen_termijn, 0) as binnen_termijn,
        besloten.doorlooptijd_mediaan,
        coalesce(voorraad.open, 0) as werkvoorraad,
        programma_realisatie.gepland as programma_gepland,
        coalesce(programma_realisatie.gerealiseerd, 0) as programma_gerealiseerd,
        coalesce(geboekt.uren, 0) as uren_gerealiseerd,
        -- kwartaal and maand get the annual budget pro rata by the days of the period
        begroot_jaar.uren
        * (raster.einde - raster.begin + 1)::double
        / (make_date(raster.jaar, 12, 31) - make_date(raster.jaar, 1, 1) + 1) as uren_begroot,
        begroot_jaar.uren as uren_begroot_jaar,
        programma_voortgang.gerealiseerd as voortgang_gerealiseerd,
        programma_voortgang.naar_rato as voortgang_naar_rato,
        prognose.tot_peildatum as prognose_teller,
        prognose.aandeel as prognose_aandeel
    from raster
    left join besloten using (deelnemer_code, periode_type, periode)
    left join voorraad using (deelnemer_code, periode_type, periode)
    left join programma_realisatie using (deelnemer_code, periode_type, periode)
    left join geboekt using (deelnemer_code, periode_type, periode)
    left join begroot_jaar using (deelnemer_code, jaar)
    left join prognose using (deelnemer_code, periode_type, periode)
    left join programma_voortgang using (deelnemer_code, periode_type, periode)
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
                ),
                ('producten_gerealiseerd', producten, producten, null, in_zaken),
                (
                    'programma_voortgang_pct',
                    voortgang_gerealiseerd / nullif(voortgang_naar_rato, 0) * 100,
                    voortgang_gerealiseerd,
                    voortgang_naar_rato,
                    in_zaken
                ),
                (
                    'programma_realisatie_pct',
                    programma_gerealiseerd / nullif(programma_gepland, 0) * 100,
                    programma_gerealiseerd,
                    programma_gepland,
                    in_zaken and periode_type = 'jaar'
                ),
                (
                    'binnen_termijn_pct',
                    binnen_termijn / nullif(met_termijn, 0) * 100,
                    binnen_termijn,
                    met_termijn,
                    in_zaken
                ),
                ('doorlooptijd_mediaan_dagen', doorlooptijd_mediaan, null, null, in_zaken),
                ('werkvoorraad_open', werkvoorraad, werkvoorraad, null, in_zaken)
        ) as kpi(kpi_id, waarde, teller, noemer, in_bereik)
    where kpi.in_bereik
)

select * from final
