-- Every deelnemer and TOTAAL is present for every period of a KPI that is reported per deelnemer (missing data is a NULL value, never a missing row), and no row is there twice.
with per_deelnemer as (
    select distinct kpi_id from kpi.waarden where deelnemer_code <> 'TOTAAL'
),

verwacht as (
    select count(*) + 1 as aantal from staging.deelnemers
)

select kpi_id, periode_type, periode, count(*) as rijen, count(distinct deelnemer_code) as deelnemers
from kpi.waarden
where kpi_id in (select kpi_id from per_deelnemer)
group by all
having count(*) <> (select aantal from verwacht)
    or count(distinct deelnemer_code) <> (select aantal from verwacht)
