-- Opleidingen (HR): kosten en uren per opleidingsregel (sleutel regel_id). De omschrijving wordt nooit geladen.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.opleidingen.
with versies as (
    select * from raw.opleidingen
),

final as (
    select
        regel_id,
        medewerker_id,
        datum,
        kosten,
        uren,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by regel_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
