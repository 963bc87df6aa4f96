-- Medewerkers (HR): per peildatum de actuele versie per medewerker (sleutel peildatum + medewerker_id). Naam en geboortedatum worden nooit geladen; medewerker_id is een pseudoniem.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.medewerkers.
with versies as (
    select * from raw.medewerkers
),

final as (
    select
        peildatum,
        medewerker_id,
        functie,
        team,
        fte,
        dienstverband,
        datum_in,
        datum_uit,
        kwaliteitscriteria,
        boa,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by peildatum, medewerker_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
