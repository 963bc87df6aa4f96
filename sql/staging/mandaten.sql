-- Mandaten (referentiedata): per deelnemer en besluittype of de directeur gemandateerd is.
with referentie as (
    select * from raw.mandaten
),

final as (
    select
        deelnemer,
        besluittype,
        gemandateerd,
        datum
    from referentie
)

select * from final
