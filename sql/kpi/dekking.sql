-- KPI-dekking: per KPI met gegevensbronnen (kpi.catalogus) en per deelnemer (en TOTAAL) de dagen die de exports van al haar bronnen samen dekken: de overlap van hun dekking in meta.dekking. kpi.waarden leidt hieruit per periode volledig, onvolledig of geen af; de app bepaalt er de standaardperiode mee (docs/kpis.md, "Dekking").
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: CBS-code van de deelnemer, of TOTAAL
-- kolom gedekt_vanaf: de laatste gedekt_vanaf van de gegevensbronnen van de KPI
-- kolom gedekt_tot: de vroegste gedekt_tot van de gegevensbronnen van de KPI die gedekt zijn; leeg = geen enkele
-- kolom alle_bronnen: true = elke gegevensbron van de KPI is gedekt; false = een bron is nooit geladen of dekt deze deelnemer niet, dan dekt niets de KPI
with kpi_bronnen as (
    select kpi_id, trim(unnest(string_split(gegevensbronnen, ','))) as bron
    from staging.kpi_catalogus
    where nullif(trim(gegevensbronnen), '') is not null
),

deelnemers as (
    select code as deelnemer_code from staging.deelnemers
    union all
    select 'TOTAAL'
),

final as (
    select
        kpi_bronnen.kpi_id,
        deelnemers.deelnemer_code,
        max(dekking.gedekt_vanaf) as gedekt_vanaf,
        min(dekking.gedekt_tot) as gedekt_tot,
        count(dekking.gedekt_tot) = count(*) as alle_bronnen
    from kpi_bronnen
    cross join deelnemers
    left join meta.dekking as dekking
        on dekking.bron = kpi_bronnen.bron and dekking.deelnemer_code = deelnemers.deelnemer_code
    group by kpi_bronnen.kpi_id, deelnemers.deelnemer_code
)

select * from final
order by kpi_id, deelnemer_code
