-- Quarantaine: regels die een controle niet doorstonden, met bestand, regelnummer, kolom en reden. Waarden van persoonsgegevens worden niet getoond.
with quarantaine as (
    select * from raw.quarantaine
),

loads as (
    select distinct load_id, klaar from raw.loads
),

final as (
    select
        quarantaine.load_id,
        loads.klaar as geladen_op,
        quarantaine.bron,
        quarantaine.bestand,
        quarantaine.regel,
        quarantaine.kolom,
        quarantaine.reden,
        quarantaine.waarde
    from quarantaine
    left join loads using (load_id)
)

select * from final
