-- Versheid per bron: aantal actuele rijen, de datum van de nieuwste gebeurtenis (bijv. datum_melding) en wanneer de bron voor het laatst is geladen, zodat gebruikers zien hoe actueel de cijfers zijn.
-- kolom bron: bron (naam van de staging-tabel), bijv. zaken
-- kolom titel: naam van de bron zoals de app die toont, bijv. Urenregistratie
-- kolom rijen: aantal actuele rijen in de staging-tabel
-- kolom nieuwste_gebeurtenis: datum van de nieuwste gebeurtenis, bijv. datum_melding; leeg = bron zonder datum
-- kolom gedekt_tot: tot en met welke dag de exports van de bron alle deelnemers samen dekken (meta.dekking, TOTAAL); leeg = een bron zonder gebeurtenissen met een stand (plannen, registers) of nog geen export
-- kolom laatst_geladen: tijdstip waarop de laatste geslaagde lading voor deze bron klaar was; leeg = nooit
with bronnen as (
    -- every source of the data contract, generated from it (docs/datacontract.md)
    select bron, titel, volgorde from staging.bronnen
),

rijen as (
    select bron, count(*) as rijen, max(datum) as nieuwste_gebeurtenis
    from staging.bron_rijen
    group by bron
),

laatste_lading as (
    select bron, max(klaar) as laatst_geladen
    from raw.loads
    where status = 'geladen'
    group by bron
),

final as (
    select
        bronnen.bron,
        bronnen.titel,
        coalesce(rijen.rijen, 0) as rijen,
        rijen.nieuwste_gebeurtenis,
        dekking.gedekt_tot,
        laatste_lading.laatst_geladen
    from bronnen
    left join rijen using (bron)
    left join laatste_lading using (bron)
    left join meta.dekking as dekking
        on dekking.bron = bronnen.bron and dekking.deelnemer_code = 'TOTAAL'
    order by bronnen.volgorde
)

select * from final
