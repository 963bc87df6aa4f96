-- KPI-waarden naleving (controles_aantal, naleefpercentage, hercontrole_ratio, overtredingen_aantal, lhso_zwaarste, strafrecht_per_inrichting_pct, strafrecht_per_boa_fte, dwangsom_invordering_pct, energiebesparing_kwh, energiebesparing_m3_gas) per deelnemer en TOTAAL, per jaar en kwartaal; definities in kpi.catalogus. Perioden van het eerste tot het laatste kwartaal waarin controles of handhavingsbesluiten voorkomen; een KPI uit een bron die de periode niet dekt (bijv. handhaving bij alleen controles) is NULL. Aantallen zijn 0 in een gedekte periode zonder controles of besluiten, niet NULL; de energiebesparing is NULL als geen controle in de periode een besparing heeft ingevuld. strafrecht_per_boa_fte alleen voor TOTAAL.
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: CBS-code of TOTAAL
-- kolom periode_type: jaar of kwartaal
-- kolom periode: 2024 of 2024-Q3
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn; bij lhso_zwaarste 4 x (D=0, C=1, B=2, A=3) + gedrag (1 = D1 ... 16 = A4), NULL als geen controle in de periode een overtreding had
-- kolom waarde_tekst: bij lhso_zwaarste de LHSO-code (bijv. B3), anders NULL
-- kolom teller: teller van de breuk, of het aantal / de som; NULL bij lhso_zwaarste
-- kolom noemer: noemer van de breuk; NULL bij aantallen, sommen en lhso_zwaarste
with controles as (
    select
        bevoegd_gezag as deelnemer_code,
        -- the period is the inspection's own calendar day: 31-12 23:30 belongs to that year
        datum_controle::date as datum,
        soort,
        aantal_overtredingen,
        -- LHSO cell as one ordered score: gevolgen first (A worst), gedrag breaks ties (4 worst)
        case
            when aantal_overtredingen > 0
                then 4 * (4 - position(lhso_gevolgen in 'ABCD')) + lhso_gedrag::integer
        end as lhso_score,
        energiebesparing_kwh,
        energiebesparing_m3_gas
    from staging.controles
),

handhaving as (
    select
        bevoegd_gezag as deelnemer_code,
        datum_besluit::date as datum,
        instrument in ('bsbm', 'proces_verbaal', 'strafbeschikking') as strafrechtelijk,
        verbeurd_bedrag,
        ingevorderd_bedrag
    from staging.handhaving
),

inrichtingen_bc as (
    select bevoegd_gezag as deelnemer_code, datum_start, datum_einde
    from staging.inrichtingen
    where inrichtingstype in ('B', 'C')
),

perioden as (
    select * from marts.perioden where periode_type in ('jaar', 'kwartaal')
),

bereik as (
    select
        (select min(datum) from controles) as controles_van,
        (select max(datum) from controles) as controles_tot,
        (select min(datum) from handhaving) as handhaving_van,
        (select max(datum) from handhaving) as handhaving_tot
),

-- every deelnemer and TOTAAL x every period that overlaps the data of either source
raster as (
    select
        dp.deelnemer_code,
        dp.periode_type,
        dp.periode,
        coalesce(dp.einde >= bereik.controles_van and dp.begin <= bereik.controles_tot, false)
            as controles_gedekt,
        coalesce(dp.einde >= bereik.handhaving_van and dp.begin <= bereik.handhaving_tot, false)
            as handhaving_gedekt
    from marts.deelnemer_perioden as dp, bereik
    where dp.periode_type in ('jaar', 'kwartaal')
),

raster_gedekt as (
    select * from raster where controles_gedekt or handhaving_gedekt
),

controle_cijfers as (
    select
        coalesce(controles.deelnemer_code, 'TOTAAL') as deelnemer_code,
        p.periode_type,
        p.periode,
        count(*) as aantal,
        count(*) filter (where soort = 'periodiek') as periodiek,
        count(*) filter (where soort = 'periodiek' and aantal_overtredingen = 0)
            as periodiek_zonder_overtreding,
        count(*) filter (where soort in ('hercontrole', 'handhavingscontrole')) as her_handhaving,
        sum(aantal_overtredingen) as overtredingen,
        max(lhso_score) as lhso_score,
        sum(energiebesparing_kwh) as kwh,
        sum(energiebesparing_m3_gas) as m3_gas
    from controles
    join perioden as p on controles.datum between p.begin and p.einde
    group by grouping sets (
        (controles.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode)
    )
),

handhaving_cijfers as (
    select
        coalesce(handhaving.deelnemer_code, 'TOTAAL') as deelnemer_code,
        p.periode_type,
        p.periode,
        count(*) filter (where strafrechtelijk) as strafrechtelijk,
        sum(verbeurd_bedrag) as verbeurd,
        sum(ingevorderd_bedrag) as ingevorderd
    from handhaving
    join perioden as p on handhaving.datum between p.begin and p.einde
    group by grouping sets (
        (handhaving.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode)
    )
),

-- type B/C establishments active on the last day of the period (empty start = already active)
actieve_inrichtingen as (
    select
        coalesce(i.deelnemer_code, 'TOTAAL') as deelnemer_code,
        p.periode_type,
        p.periode,
        count(*) as aantal
    from inrichtingen_bc as i
    join perioden as p
        on (i.datum_start is null or i.datum_start <= p.einde)
        and (i.datum_einde is null or i.datum_einde > p.einde)
    group by grouping sets ((i.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode))
),

laatste_peildatum as (
    select p.periode_type, p.periode, max(m.peildatum) as peildatum
    from perioden as p
    join (select distinct peildatum from staging.medewerkers) as m
        on m.peildatum between p.begin and p.einde
    group by p.periode_type, p.periode
),

-- boa FTE exists for the organisation as a whole only; NULL when the period has no peildatum
boa as (
    select
        'TOTAAL' as deelnemer_code,
        lp.periode_type,
        lp.periode,
        coalesce(sum(m.fte) filter (where m.boa), 0) as boa_fte
    from laatste_peildatum as lp
    join staging.medewerkers as m using (peildatum)
    group by lp.periode_type, lp.periode
),

-- Counts are 0 inside a source's range and NULL outside it. Energy savings
-- (energiebesparing_kwh, energiebesparing_m3_gas) are NULL when no controle of the period has
-- a saving filled in: an empty field is missing data (data contract), and docs/kpis.md asks for
-- NULL, never 0 by default, when there is no data. TOTAAL still adds up (sum ignores NULL).
per_cel as (
    select
        r.deelnemer_code,
        r.periode_type,
        r.periode,
        case when r.controles_gedekt then coalesce(c.aantal, 0) end as controles,
        case when r.controles_gedekt then coalesce(c.periodiek, 0) end as periodiek,
        case when r.controles_gedekt then coalesce(c.periodiek_zonder_overtreding, 0) end
            as periodiek_zonder_overtreding,
        case when r.controles_gedekt then coalesce(c.her_handhaving, 0) end as her_handhaving,
        case when r.controles_gedekt then coalesce(c.overtredingen, 0) end as overtredingen,
        c.lhso_score,
        c.kwh,
        c.m3_gas,
        case when r.handhaving_gedekt then coalesce(h.strafrechtelijk, 0) end as strafrechtelijk,
        case when r.handhaving_gedekt then coalesce(h.verbeurd, 0) end as verbeurd,
        case when r.handhaving_gedekt then coalesce(h.ingevorderd, 0) end as ingevorderd,
        coalesce(a.aantal, 0) as actieve_inrichtingen,
        boa.boa_fte
    from raster_gedekt as r
    left join controle_cijfers as c using (deelnemer_code, periode_type, periode)
    left join handhaving_cijfers as h using (deelnemer_code, periode_type, periode)
    left join actieve_inrichtingen as a using (deelnemer_code, periode_type, periode)
    left join boa using (deelnemer_code, periode_type, periode)
),

final as (
    select
        kpi.kpi_id,
        deelnemer_code,
        periode_type,
        periode,
        kpi.waarde::double as waarde,
        kpi.waarde_tekst::varchar as waarde_tekst,
        kpi.teller::double as teller,
        kpi.noemer::double as noemer
    from per_cel,
        lateral (
            values
                ('controles_aantal', controles, null, controles, null),
                (
                    'naleefpercentage',
                    periodiek_zonder_overtreding / nullif(periodiek, 0) * 100,
                    null,
                    periodiek_zonder_overtreding,
                    periodiek
                ),
                (
                    'hercontrole_ratio',
                    her_handhaving / nullif(periodiek, 0) * 100,
                    null,
                    her_handhaving,
                    periodiek
                ),
                ('overtredingen_aantal', overtredingen, null, overtredingen, null),
                (
                    'lhso_zwaarste',
                    lhso_score,
                    -- score 1..16 back to its cell: 1-4 = D, 5-8 = C, 9-12 = B, 13-16 = A
                    substr('DCBA', (lhso_score - 1) // 4 + 1, 1) || ((lhso_score - 1) % 4 + 1),
                    null,
                    null
                ),
                (
                    'strafrecht_per_inrichting_pct',
                    strafrechtelijk / nullif(actieve_inrichtingen, 0) * 100,
                    null,
                    strafrechtelijk,
                    actieve_inrichtingen
                ),
                (
                    'strafrecht_per_boa_fte',
                    strafrechtelijk / nullif(boa_fte, 0),
                    null,
                    strafrechtelijk,
                    boa_fte
                ),
                (
                    'dwangsom_invordering_pct',
                    ingevorderd / nullif(verbeurd, 0) * 100,
                    null,
                    ingevorderd,
                    verbeurd
                ),
                ('energiebesparing_kwh', kwh, null, kwh, null),
                ('energiebesparing_m3_gas', m3_gas, null, m3_gas, null)
        ) as kpi(kpi_id, waarde, waarde_tekst, teller, noemer)
    -- boa FTE is not attributed to deelnemers (docs/kpis.md: TOTAAL only)
    where kpi.kpi_id <> 'strafrecht_per_boa_fte' or deelnemer_code = 'TOTAAL'
)

select * from final
