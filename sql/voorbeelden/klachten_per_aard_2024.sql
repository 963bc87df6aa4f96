-- Klachten per aard in 2024
-- Telt de actuele klachten (staging, één versie per klacht) die in 2024 zijn gemeld, per aard, met het aantal gegronde en het aandeel van het totaal.
select
    aard,
    count(*) as klachten,
    count(*) filter (where gegrond = 'Ja') as gegrond,
    round(100.0 * count(*) / sum(count(*)) over (), 1) as aandeel_pct
from staging.klachten
where year(datum_melding) = 2024
group by aard
order by klachten desc
