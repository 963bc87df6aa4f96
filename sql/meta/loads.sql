-- Ladingen: elk aangeboden bestand per lading, met status (geladen, al_geladen, geweigerd), aantallen regels, geladen en in quarantaine, en de melding.
-- kolom load_id: id van de lading (bijv. L000012), oplopend; een lading kan meer bestanden bevatten
-- kolom gestart: tijdstip waarop de lading begon
-- kolom klaar: tijdstip waarop de lading werd vastgelegd
-- kolom volgnummer: volgnummer van het bestand binnen de lading
-- kolom bestand: bestandsnaam zoals aangeleverd
-- kolom bron: soort bestand (bijv. zaken, uren); leeg = soort niet herkend
-- kolom sha256: SHA-256 van de bestandsinhoud (hex); dezelfde inhoud opnieuw = al_geladen
-- kolom grootte_bytes: bestandsgrootte in bytes
-- kolom codering: utf-8, utf-8-sig (met BOM), cp1252 (Windows-1252) of xlsx; leeg = niet geladen
-- kolom status: geladen, al_geladen (zelfde inhoud al eerder geladen) of geweigerd (niets gepubliceerd)
-- kolom regels: aantal dataregels in het bestand (zonder kopregel)
-- kolom geladen: aantal geladen regels; geladen + quarantaine = regels
-- kolom quarantaine: aantal regels in quarantaine (zie meta.quarantaine)
-- kolom melding: toelichting: 'geen fouten', de eerste fout, of de reden van weigering
-- kolom stand_per: de datum van de export (stand per): geen gebeurtenis in het bestand mag later zijn; bepaalt tot wanneer de bron gegevens dekt (meta.dekking)
-- kolom stand_per_herkomst: waar die datum vandaan komt: opdracht (--stand-per), bestandsnaam (<bron>_<jjjjmmdd>), koppelbestand, of laaddatum (de dag van laden: het bestand noemde geen datum)
-- kolom voor_deelnemer: de deelnemer waarvan dit bestand de eigen export is (een CBS-code in de bestandsnaam, bijv. klachten_GM0164_20250930.csv); leeg = een export van alle deelnemers
-- kolom niet_overgenomen: onbekende kolommen van het bestand die alleen in de landing zone bleven (niet toegelaten in het koppelbestand), gescheiden door komma's; leeg = geen
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
        melding,
        stand_per,
        stand_per_herkomst,
        voor_deelnemer,
        nullif(array_to_string(niet_overgenomen, ', '), '') as niet_overgenomen
    from loads
)

select * from final
