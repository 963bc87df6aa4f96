-- An empty denominator gives NULL, never 0 or a number; and status is one of the documented values.
select kpi_id, deelnemer_code, periode, waarde, noemer, status
from kpi.waarden
where (noemer = 0 and waarde is not null)
    or status not in ('groen', 'oranje', 'rood', 'geen_norm')
    or (status is null and waarde is not null)
