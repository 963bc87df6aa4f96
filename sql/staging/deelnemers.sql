-- Deelnemers (referentiedata): de deelnemende gemeenten en provincie met CBS-code, soort en inwonertal.
with referentie as (
    select * from raw.deelnemers
),

final as (
    select
        code,
        naam,
        soort,
        inwoners,
        aliases
    from referentie
)

select * from final
