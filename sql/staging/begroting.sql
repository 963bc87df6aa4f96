-- Begroting (financien): bedragen en uren per jaar, deelnemer (leeg = hele organisatie), taakpakket en post.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.begroting.
with versies as (
    select * from raw.begroting
),

final as (
    select
        jaar,
        maand,
        deelnemer,
        taakpakket,
        post,
        bedrag,
        uren,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by jaar, maand, deelnemer, taakpakket, post
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
