-- Klachten per postcodegebied: aantal klachten per deelnemer, jaar, 4-cijferig postcodegebied van de melder en aard. Alleen de 4 cijfers worden bewaard (AVG); gebieden met minder dan 3 klachten in een jaar worden samengevoegd tot 'overig' zodat geen melder herleidbaar is.
-- kolom deelnemer_code: CBS-code van de deelnemer
-- kolom jaar: jaar van de melding
-- kolom postcode4: 4-cijferig postcodegebied van de melder, of 'overig' (minder dan 3 klachten) of 'onbekend'
-- kolom aard: aard van de overlast
-- kolom aantal: aantal klachten
with klachten as (
    select
        bevoegd_gezag as deelnemer_code,
        year(datum_melding) as jaar,
        coalesce(melder_postcode, 'onbekend') as postcode4,
        aard
    from staging.klachten
),

per_gebied as (
    select
        *,
        count(*) over (partition by deelnemer_code, jaar, postcode4) as in_gebied
    from klachten
),

final as (
    select
        deelnemer_code,
        jaar,
        case when in_gebied < 3 and postcode4 <> 'onbekend' then 'overig' else postcode4 end
            as postcode4,
        aard,
        count(*) as aantal
    from per_gebied
    group by all
)

select * from final
order by deelnemer_code, jaar, postcode4, aard
