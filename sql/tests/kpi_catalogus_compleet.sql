-- Every KPI in kpi.waarden is in the catalogue with a name and definition, and every KPI of the catalogue has values.
select 'niet in catalogus' as probleem, kpi_id
from (select distinct kpi_id from kpi.waarden)
where kpi_id not in (select kpi_id from kpi.catalogus)
union all
select 'geen waarden', kpi_id
from kpi.catalogus
where kpi_id not in (select distinct kpi_id from kpi.waarden)
union all
select 'naam of definitie ontbreekt', kpi_id
from kpi.catalogus
where coalesce(trim(naam), '') = '' or coalesce(trim(definitie), '') = ''
