-- Formatie (HR): geplande fte per jaar, team en functie.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.formatie.
with versies as (
    select * from raw.formatie
),

final as (
    select
        jaar,
        team,
        functie,
        formatie_fte,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by jaar, team, functie
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
