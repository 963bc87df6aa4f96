-- Deelnemer-perioden: elke deelnemer en TOTAAL (alle deelnemers samen) maal elke periode; het raster waarop de KPI's worden berekend, zodat ontbrekende gegevens een rij met NULL of 0 geven in plaats van een ontbrekende rij.
-- kolom deelnemer_code: CBS-code van de deelnemer, of TOTAAL
-- kolom inwoners: inwonertal van de deelnemer; bij TOTAAL de som over alle deelnemers, de provincie inbegrepen (som van de noemers, zoals de regel voor TOTAAL voorschrijft: som van de tellers gedeeld door som van de noemers)
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom jaar: het kalenderjaar van de periode
-- kolom begin: eerste dag van de periode
-- kolom einde: laatste dag van de periode (inclusief)
with deelnemers as (
    select code as deelnemer_code, inwoners from staging.deelnemers
    union all
    select 'TOTAAL', sum(inwoners) from staging.deelnemers
),

final as (
    select
        deelnemers.deelnemer_code,
        deelnemers.inwoners,
        perioden.periode_type,
        perioden.periode,
        perioden.jaar,
        perioden.begin,
        perioden.einde
    from deelnemers
    cross join marts.perioden as perioden
)

select * from final
