-- Zaken (PowerBrowser): de actuele versie van elke zaak (sleutel zaaknummer).
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.zaken.
with versies as (
    select * from raw.zaken
),

final as (
    select
        zaaknummer,
        zaaktype,
        product,
        taakveld,
        taakpakket,
        bevoegd_gezag,
        inrichting_id,
        procedure,
        datum_ontvangst,
        datum_besluit,
        uiterste_beslisdatum,
        opschorting_dagen,
        status,
        resultaat,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by zaaknummer
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
