-- Uren per product
-- Geschreven uren per deelnemer, jaar en product uit kpi.uren_per_product (directe uren; TOTAAL is de hele organisatie).
select
    u.jaar,
    coalesce(d.naam, 'Alle deelnemers') as deelnemer,
    u.product,
    u.taakpakket,
    round(u.uren, 1) as uren
from kpi.uren_per_product as u
left join staging.deelnemers as d on d.code = u.deelnemer_code
order by u.jaar desc, deelnemer, u.uren desc
