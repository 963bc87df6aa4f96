-- Controles (PowerBrowser): de actuele versie van elke controle (sleutel controle_id). LHSO-score = zwaarste bevinding van die controle.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.controles.
with versies as (
    select * from raw.controles
),

final as (
    select
        controle_id,
        zaaknummer,
        inrichting_id,
        bevoegd_gezag,
        datum_controle,
        soort,
        thema,
        aantal_overtredingen,
        lhso_gevolgen,
        lhso_gedrag,
        energiebesparing_kwh,
        energiebesparing_m3_gas,
        toezichthouder_id,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by controle_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
