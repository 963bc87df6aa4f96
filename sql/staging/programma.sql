-- Uitvoeringsprogramma: gepland aantal producten en uren per jaar, deelnemer en product.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.programma.
with versies as (
    select * from raw.programma
),

final as (
    select
        jaar,
        deelnemer,
        product,
        gepland_aantal,
        geplande_uren,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by jaar, deelnemer, product
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
