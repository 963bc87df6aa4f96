-- Naleefpercentage per deelnemer per kwartaal
-- Uit de publieke KPI-tabel: waarde, teller (controles zonder overtreding) en noemer (controles), met de naam van de deelnemer. TOTAAL is de hele organisatie.
select
    w.periode as kwartaal,
    coalesce(d.naam, 'Alle deelnemers') as deelnemer,
    round(w.waarde, 1) as naleefpercentage,
    w.teller as zonder_overtreding,
    w.noemer as controles
from kpi.waarden as w
left join staging.deelnemers as d on d.code = w.deelnemer_code
where w.kpi_id = 'naleefpercentage'
  and w.periode_type = 'kwartaal'
order by w.periode desc, deelnemer
