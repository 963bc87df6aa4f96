-- Klachten (PowerBrowser): de actuele versie van elke klacht (sleutel klacht_id). Melder-gegevens zijn gepseudonimiseerd (HMAC); de omschrijving wordt nooit geladen; van de postcode alleen de 4 cijfers.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.klachten.
with versies as (
    select * from raw.klachten
),

final as (
    select
        klacht_id,
        datum_melding,
        bevoegd_gezag,
        aard,
        inrichting_id,
        x,
        y,
        melder_naam,
        melder_telefoon,
        melder_email,
        melder_postcode,
        datum_afgehandeld,
        gegrond,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by klacht_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
