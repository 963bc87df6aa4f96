-- KPI-waarden HR (hr_bezetting_fte, hr_formatie_fte, hr_bezettingsgraad_pct, hr_inhuur_pct, hr_boa_fte, hr_instroom, hr_uitstroom) voor TOTAAL (de hele organisatie), per jaar en kwartaal; definities in kpi.catalogus. Medewerkers is een momentopname per peildatum: de stand-KPI's gebruiken de laatste peildatum binnen de periode (geen peildatum in de periode = NULL). Formatie is per jaar; een kwartaal krijgt de formatie van zijn jaar. In- en uitstroom tellen elke medewerker (pseudoniem) één keer per periode, op datum_in / datum_uit zoals die in een van de momentopnamen staat, alle dienstverbanden (ook stagiairs); 0 in een periode binnen het bereik zonder in- of uitstroom. Alleen perioden binnen het bereik van de HR-gegevens (peildata en formatiejaren).
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: altijd TOTAAL (HR is organisatiebreed)
-- kolom periode_type: jaar of kwartaal
-- kolom periode: 2024 of 2024-Q3
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn (geen peildatum in de periode, geen formatie voor het jaar)
-- kolom waarde_tekst: altijd NULL in deze familie
-- kolom teller: teller van de breuk, of de som / het aantal zelf
-- kolom noemer: noemer van de breuk (formatie of bezetting in fte); NULL bij sommen en aantallen
with medewerkers as (
    select
        peildatum,
        medewerker_id,
        fte,
        dienstverband,
        datum_in,
        datum_uit,
        boa
    from staging.medewerkers
),

formatie as (
    select jaar, sum(formatie_fte) as formatie_fte
    from staging.formatie
    group by jaar
),

bereik as (
    select min(datum) as van, max(datum) as tot
    from (
        select peildatum as datum from medewerkers
        union all
        select make_date(jaar, 1, 1) from formatie
        union all
        select make_date(jaar, 12, 31) from formatie
    )
),

raster as (
    select perioden.*
    from marts.perioden as perioden, bereik
    where
        perioden.periode_type in ('jaar', 'kwartaal')
        and perioden.einde >= bereik.van
        and perioden.begin <= bereik.tot
),

-- the snapshot a period is measured on: its last peildatum
laatste_peildatum as (
    select raster.periode_type, raster.periode, max(peildata.peildatum) as peildatum
    from raster
    join (select distinct peildatum from medewerkers) as peildata
        on peildata.peildatum between raster.begin and raster.einde
    group by raster.periode_type, raster.periode
),

stand as (
    select
        laatste_peildatum.periode_type,
        laatste_peildatum.periode,
        -- a snapshot exists, so sums over no matching rows are a true 0
        coalesce(sum(fte) filter (where dienstverband <> 'stagiair'), 0) as bezetting,
        coalesce(
            sum(fte) filter (where dienstverband in ('vast', 'tijdelijk', 'trainee')), 0
        ) as eigen_personeel,
        coalesce(sum(fte) filter (where dienstverband in ('inhuur', 'detachering')), 0) as inhuur,
        coalesce(sum(fte) filter (where boa), 0) as boa
    from laatste_peildatum
    join medewerkers using (peildatum)
    group by laatste_peildatum.periode_type, laatste_peildatum.periode
),

-- every snapshot's datum_in / datum_uit; a medewerker counts once per period
instroom as (
    select raster.periode_type, raster.periode, count(distinct medewerkers.medewerker_id) as aantal
    from medewerkers
    join raster on medewerkers.datum_in between raster.begin and raster.einde
    group by raster.periode_type, raster.periode
),

uitstroom as (
    select raster.periode_type, raster.periode, count(distinct medewerkers.medewerker_id) as aantal
    from medewerkers
    join raster on medewerkers.datum_uit between raster.begin and raster.einde
    group by raster.periode_type, raster.periode
),

per_cel as (
    select
        'TOTAAL' as deelnemer_code,
        raster.periode_type,
        raster.periode,
        stand.bezetting,
        stand.eigen_personeel,
        stand.inhuur,
        stand.boa,
        formatie.formatie_fte,
        coalesce(instroom.aantal, 0) as instroom,
        coalesce(uitstroom.aantal, 0) as uitstroom
    from raster
    left join stand using (periode_type, periode)
    left join formatie on raster.jaar = formatie.jaar
    left join instroom using (periode_type, periode)
    left join uitstroom using (periode_type, periode)
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
                ('hr_bezetting_fte', bezetting, bezetting, null),
                ('hr_formatie_fte', formatie_fte, formatie_fte, null),
                (
                    'hr_bezettingsgraad_pct',
                    eigen_personeel / nullif(formatie_fte, 0) * 100,
                    eigen_personeel,
                    formatie_fte
                ),
                ('hr_inhuur_pct', inhuur / nullif(bezetting, 0) * 100, inhuur, bezetting),
                ('hr_boa_fte', boa, boa, null),
                ('hr_instroom', instroom, instroom, null),
                ('hr_uitstroom', uitstroom, uitstroom, null)
        ) as kpi(kpi_id, waarde, teller, noemer)
)

select * from final
