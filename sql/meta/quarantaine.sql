-- Quarantaine: regels die een controle niet doorstonden, met bestand, regelnummer, kolom en reden. Waarden van persoonsgegevens worden niet getoond.
-- kolom load_id: id van de lading waarin de regel werd aangeboden (zie meta.loads)
-- kolom geladen_op: tijdstip waarop die lading klaar was
-- kolom bron: soort bestand (naam van de bron), bijv. zaken
-- kolom bestand: bestandsnaam zoals aangeleverd
-- kolom regel: regelnummer in dat bestand (kopregel = 1); een regel met meer fouten staat er vaker in
-- kolom kolom: kolom met de fout, of '(hele regel)' als de regel zelf niet te lezen is
-- kolom reden: waarom de waarde is afgekeurd
-- kolom waarde: de afgekeurde waarde zoals aangeleverd; bij persoonsgegevens '(persoonsgegeven, niet getoond)'
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
