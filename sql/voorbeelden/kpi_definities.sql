-- KPI-definities
-- Alle KPI's met hun definitie, eenheid, richting (hoger of lager is beter) en bron: dezelfde teksten als in de schemaverkenner en bij elke grafiek.
select kpi_id, naam, groep, definitie, eenheid, richting, bron
from kpi.catalogus
order by groep, kpi_id
