-- Stand van de robuustheidscriteria (hele organisatie): per criterium de nieuwste volledig gedekte jaarwaarde (zonder zo'n jaar de nieuwste), beoordeeld tegen de norm die nu geldt (de norm met de laatste geldig_vanaf op of vóór bepaald_op, de bouwdatum), met de deadline van die norm. Een strengere norm waarvan de ingangsdatum voorbij is, geldt dus ook voor de laatste waarde van vóór die datum: dat is de stand die het MT wil weten. De norm en status van het jaar zelf staan ernaast, zoals kpi.waarden ze heeft.
-- kolom kpi_id: het criterium (kpi.catalogus, groep robuustheid, zonder de mijlpalen)
-- kolom periode: het jaar van de nieuwste volledig gedekte waarde (zonder zo'n jaar de nieuwste); leeg = nog geen waarde
-- kolom waarde: de nieuwste jaarwaarde (TOTAAL); leeg = nog geen waarde
-- kolom dekking: dekking van die jaarwaarde (kpi.waarden): volledig of onvolledig
-- kolom norm_periode: de norm die aan het einde van dat jaar gold (kpi.waarden)
-- kolom status_periode: het oordeel tegen die norm (kpi.waarden)
-- kolom operator: >=, <= of = van de norm die nu geldt
-- kolom norm: de norm die nu geldt; leeg = er geldt (nog) geen norm
-- kolom geldig_vanaf: sinds wanneer die norm geldt
-- kolom deadline: de deadline van die norm (referentiedata normen)
-- kolom deadline_voorbij: true = de deadline ligt vóór bepaald_op
-- kolom status: de nieuwste waarde tegen de norm die nu geldt (statusregel, sql/macros/status_oordeel.sql): groen, oranje, rood; geen_norm zonder norm; leeg zonder waarde
-- kolom bepaald_op: de datum waarop de geldende norm is bepaald: de bouwdatum van het warehouse (zoals kpi.mijlpalen)
with criteria as (
    select kpi_id from staging.kpi_catalogus where groep = 'robuustheid'
),

nu as (
    select current_date as bepaald_op
),

laatste as (
    select
        kpi_id,
        periode,
        waarde,
        dekking,
        norm as norm_periode,
        status as status_periode
    from kpi.waarden
    where deelnemer_code = 'TOTAAL'
        and periode_type = 'jaar'
        and waarde is not null
        and kpi_id in (select kpi_id from criteria)
    -- the newest complete year: a year the exports cover only partly (training costs to
    -- August against a whole year's salary bill) would be judged too harshly
    qualify row_number() over (
        partition by kpi_id order by dekking = 'volledig' desc, periode desc
    ) = 1
),

normen_nu as (
    select normen.kpi_id, normen.operator, normen.waarde as norm, normen.geldig_vanaf,
        normen.deadline
    from staging.normen as normen, nu
    where normen.geldig_vanaf <= nu.bepaald_op
    qualify row_number() over (partition by normen.kpi_id order by normen.geldig_vanaf desc) = 1
),

final as (
    select
        criteria.kpi_id,
        laatste.periode,
        laatste.waarde,
        laatste.dekking,
        laatste.norm_periode,
        laatste.status_periode,
        normen_nu.operator,
        normen_nu.norm,
        normen_nu.geldig_vanaf,
        normen_nu.deadline,
        normen_nu.deadline < nu.bepaald_op as deadline_voorbij,
        case
            when normen_nu.norm is null then 'geen_norm'
            when laatste.waarde is null then null
            else status_oordeel(
                laatste.waarde, normen_nu.operator, normen_nu.norm, regel.oranje_marge_pct / 100
            )
        end as status,
        nu.bepaald_op
    from criteria
    cross join nu
    cross join staging.statusregel as regel
    left join laatste using (kpi_id)
    left join normen_nu using (kpi_id)
)

select * from final
order by kpi_id
