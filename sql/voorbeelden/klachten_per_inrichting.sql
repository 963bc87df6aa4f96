-- Klachten gekoppeld aan inrichtingen
-- Koppelt klachten aan de inrichting waarover ze gaan (op inrichting_id) en telt per inrichting de klachten van de laatste twaalf maanden van de gegevens. Klachten zonder inrichting vallen weg (inner join).
with laatste as (
    select max(datum_melding) as tot from staging.klachten
)

select
    i.inrichting_id,
    i.naam as inrichting,
    i.plaats,
    i.branche,
    count(*) as klachten,
    count(*) filter (where k.gegrond = 'Ja') as gegrond,
    min(k.datum_melding)::date as eerste_melding,
    max(k.datum_melding)::date as laatste_melding
from staging.klachten as k
inner join staging.inrichtingen as i on i.inrichting_id = k.inrichting_id
cross join laatste
where k.datum_melding > laatste.tot - interval 12 month
group by all
order by klachten desc, i.inrichting_id
