-- KPI-waarden output (producten_gerealiseerd, programma_realisatie_pct, programma_voortgang_pct, binnen_termijn_pct, doorlooptijd_mediaan_dagen, werkvoorraad_open) per deelnemer en TOTAAL, per jaar, kwartaal en maand (programma_realisatie_pct alleen per jaar); definities in kpi.catalogus. Elke KPI alleen voor perioden binnen het bereik van de zakendata. programma_realisatie_pct telt alleen afgesloten zaken van een product dat in het programma van die deelnemer voor dat jaar staat. programma_voortgang_pct vergelijkt het gerealiseerde programma van 1 januari tot het einde van de periode met het deel van het jaarprogramma dat naar rato hoort bij de dagen tot dan die de zakenexports dekken (meta.dekking_zaken). De uren-KPI's staan in marts.kpi_uren.
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: CBS-code of TOTAAL
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn
-- kolom waarde_tekst: altijd NULL in deze familie
-- kolom teller: teller van de breuk, of het aantal
-- kolom noemer: noemer van de breuk; NULL bij aantallen en medianen
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

programma as (
    select jaar, deelnemer as deelnemer_code, product, gepland_aantal from staging.programma
),

-- each source's own data range; a KPI is published only for periods that overlap it
bereik as (
    select
        (select min(datum_ontvangst) from zaken) as zaken_van,
        (select greatest(max(datum_ontvangst), max(datum_besluit)) from zaken) as zaken_tot
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
            as in_zaken
    from marts.deelnemer_perioden as dp
    cross join bereik
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
-- exports cover (meta.dekking_zaken, docs/kpis.md "Dekking")
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
    from meta.dekking_zaken as dekking
    cross join marts.perioden as p
    join programma_jaar as jaar
        on jaar.deelnemer_code = dekking.deelnemer_code and jaar.jaar = p.jaar
    left join programma_ytd as ytd
        on ytd.deelnemer_code = dekking.deelnemer_code
        and ytd.periode_type = p.periode_type
        and ytd.periode = p.periode
),

per_cel as (
    select
        raster.deelnemer_code,
        raster.periode_type,
        raster.periode,
        raster.in_zaken,
        coalesce(besloten.producten, 0) as producten,
        coalesce(besloten.met_termijn, 0) as met_termijn,
        coalesce(besloten.binnen_termijn, 0) as binnen_termijn,
        besloten.doorlooptijd_mediaan,
        coalesce(voorraad.open, 0) as werkvoorraad,
        programma_realisatie.gepland as programma_gepland,
        coalesce(programma_realisatie.gerealiseerd, 0) as programma_gerealiseerd,
        programma_voortgang.gerealiseerd as voortgang_gerealiseerd,
        programma_voortgang.naar_rato as voortgang_naar_rato
    from raster
    left join besloten using (deelnemer_code, periode_type, periode)
    left join voorraad using (deelnemer_code, periode_type, periode)
    left join programma_realisatie using (deelnemer_code, periode_type, periode)
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
