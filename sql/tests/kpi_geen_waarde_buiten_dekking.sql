-- Buiten de dekking geen waarde: een KPI-rij voor een periode die de exports van haar gegevensbronnen niet dekken (dekking = geen) heeft geen waarde, teller of noemer, en een onvolledige periode zegt tot wanneer ze gedekt is (docs/kpis.md, "Dekking").
select kpi_id, deelnemer_code, periode_type, periode, waarde, teller, noemer, dekking, gedekt_tot
from kpi.waarden
where (dekking = 'geen' and (waarde is not null or teller is not null or noemer is not null))
    or (dekking = 'onvolledig' and (gedekt_tot is null or gedekt_vanaf is null))
    or dekking is null
