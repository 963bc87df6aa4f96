-- Ladingen: elk aangeboden bestand per lading, met status (geladen, al_geladen, geweigerd), aantallen regels, geladen en in quarantaine, en de melding.
with loads as (
    select * from raw.loads
),

final as (
    select
        load_id,
        gestart,
        klaar,
        volgnummer,
        bestand,
        bron,
        sha256,
        grootte as grootte_bytes,
        codering,
        status,
        regels,
        geladen,
        quarantaine,
        melding
    from loads
)

select * from final
