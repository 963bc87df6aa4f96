-- Inrichtingen (PowerBrowser): de actuele versie van elke inrichting (sleutel inrichting_id).
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.inrichtingen.
with versies as (
    select * from raw.inrichtingen
),

final as (
    select
        inrichting_id,
        naam,
        straat,
        huisnummer,
        postcode,
        plaats,
        bevoegd_gezag,
        sbi_code,
        branche,
        inrichtingstype,
        risicoklasse,
        x,
        y,
        datum_start,
        datum_einde,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by inrichting_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
