-- Klachten per aard: aantal klachten per deelnemer (en TOTAAL), periode en aard van de overlast (geur, geluid, stof ...), op datum_melding. Voor de klachtenanalyse naar aard en in de tijd (per maand: seizoenspatroon). Alleen combinaties met klachten.
-- kolom deelnemer_code: CBS-code van de deelnemer, of TOTAAL
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom aard: aard van de overlast: geur, geluid, stof, licht, trilling, afval, water, bodem, asbest, lucht, overig
-- kolom aantal: aantal klachten met datum_melding in de periode
-- kolom gegrond: aantal daarvan met gegrond = Ja
-- kolom aandeel_pct: aandeel van deze aard in alle klachten van de deelnemer in de periode, x 100
with klachten as (
    select bevoegd_gezag as deelnemer_code, datum_melding::date as datum, aard, gegrond
    from staging.klachten
),

per_aard as (
    select
        coalesce(klachten.deelnemer_code, 'TOTAAL') as deelnemer_code,
        p.periode_type,
        p.periode,
        klachten.aard,
        count(*) as aantal,
        count(*) filter (where klachten.gegrond = 'Ja') as gegrond
    from klachten
    join marts.perioden as p on klachten.datum between p.begin and p.einde
    group by grouping sets (
        (klachten.deelnemer_code, p.periode_type, p.periode, klachten.aard),
        (p.periode_type, p.periode, klachten.aard)
    )
),

final as (
    select
        deelnemer_code,
        periode_type,
        periode,
        aard,
        aantal,
        gegrond,
        aantal * 100.0 / sum(aantal) over (partition by deelnemer_code, periode_type, periode)
            as aandeel_pct
    from per_aard
)

select * from final
order by deelnemer_code, periode_type, periode, aard
