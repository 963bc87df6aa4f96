-- Elke gegevensbron in de KPI-catalogus is een bron met dekking (staging.bronnen.dekking): een tikfout zou een KPI stil overal zonder waarde laten (docs/kpis.md, "Dekking").
with genoemd as (
    select kpi_id, trim(unnest(string_split(gegevensbronnen, ','))) as bron
    from kpi.catalogus
    where nullif(trim(gegevensbronnen), '') is not null
)

select genoemd.kpi_id, genoemd.bron
from genoemd
anti join (select bron from staging.bronnen where dekking) as bronnen using (bron)
