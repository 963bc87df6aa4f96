-- Handhavingsbesluiten (PowerBrowser): de actuele versie van elk besluit (sleutel besluit_id). Bedragen in EUR.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.handhaving.
with versies as (
    select * from raw.handhaving
),

final as (
    select
        besluit_id,
        zaaknummer,
        inrichting_id,
        bevoegd_gezag,
        datum_besluit,
        instrument,
        lhso_gevolgen,
        lhso_gedrag,
        dwangsom_bedrag,
        verbeurd_bedrag,
        ingevorderd_bedrag,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by besluit_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
