-- Bijdragers aan TOTAAL: per KPI en periode van kpi.waarden hoeveel en welke deelnemers gegevens hebben. Een deelnemer draagt bij als zijn rij voor die KPI en periode een teller heeft die niet NULL en niet 0 is (zonder teller: een waarde die niet NULL en niet 0 is). Het dashboard toont een accounthouder TOTAAL niet waar minder dan 3 andere deelnemers dan de eigen bijdragen: dan is TOTAAL min het eigen cijfer (bijna) het cijfer van één andere deelnemer (docs/vergelijking-totaal.md).
-- kolom kpi_id: id uit kpi.catalogus
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom per_deelnemer: true als de KPI rijen per deelnemer heeft (in welke periode ook); false voor KPI's van de organisatie als geheel (robuustheid, HR), waar TOTAAL geen optelling van deelnemers is
-- kolom bijdragers: aantal deelnemers dat bijdraagt (0 als niemand bijdraagt); NULL als per_deelnemer false is
-- kolom deelnemers: de CBS-codes van die deelnemers, gesorteerd; NULL als per_deelnemer false is
with waarden as (
    select kpi_id, deelnemer_code, periode_type, periode, teller, waarde
    from kpi.waarden
),

soort as (
    select kpi_id, bool_or(deelnemer_code <> 'TOTAAL') as per_deelnemer
    from waarden
    group by kpi_id
),

bijdragen as (
    select
        kpi_id,
        periode_type,
        periode,
        list(deelnemer_code order by deelnemer_code) filter (
            where deelnemer_code <> 'TOTAAL' and coalesce(teller, waarde) <> 0
        ) as deelnemers
    from waarden
    group by kpi_id, periode_type, periode
),

final as (
    select
        bijdragen.kpi_id,
        bijdragen.periode_type,
        bijdragen.periode,
        soort.per_deelnemer,
        case when soort.per_deelnemer then len(coalesce(bijdragen.deelnemers, [])) end
            as bijdragers,
        case when soort.per_deelnemer then coalesce(bijdragen.deelnemers, []) end as deelnemers
    from bijdragen
    join soort using (kpi_id)
)

select * from final
order by kpi_id, periode_type, periode
