-- Urenregistratie: de actuele versie van elke urenregel (sleutel regel_id). Lege bevoegd_gezag = indirecte uren. medewerker_id is een pseudoniem.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.uren.
with versies as (
    select * from raw.uren
),

final as (
    select
        regel_id,
        medewerker_id,
        datum,
        bevoegd_gezag,
        product,
        taakpakket,
        zaaknummer,
        uren,
        declarabel,
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
