-- Versheid per bron: aantal actuele rijen, de datum van de nieuwste gebeurtenis (bijv. datum_melding) en wanneer de bron voor het laatst is geladen, zodat gebruikers zien hoe actueel de cijfers zijn.
-- kolom bron: bron (naam van de staging-tabel), bijv. zaken
-- kolom titel: naam van de bron zoals de app die toont, bijv. Urenregistratie
-- kolom rijen: aantal actuele rijen in de staging-tabel
-- kolom nieuwste_gebeurtenis: datum van de nieuwste gebeurtenis, bijv. datum_melding; leeg = bron zonder datum
-- kolom laatst_geladen: tijdstip waarop de laatste geslaagde lading voor deze bron klaar was; leeg = nooit
with bronnen as (
    select 'inrichtingen' as bron, 'Inrichtingen' as titel, count(*) as rijen, max(datum_start)::date as nieuwste_gebeurtenis from staging.inrichtingen
    union all
    select 'zaken' as bron, 'Zaken' as titel, count(*) as rijen, max(datum_ontvangst)::date as nieuwste_gebeurtenis from staging.zaken
    union all
    select 'controles' as bron, 'Controles' as titel, count(*) as rijen, max(datum_controle)::date as nieuwste_gebeurtenis from staging.controles
    union all
    select 'klachten' as bron, 'Klachten' as titel, count(*) as rijen, max(datum_melding)::date as nieuwste_gebeurtenis from staging.klachten
    union all
    select 'handhaving' as bron, 'Handhavingsbesluiten' as titel, count(*) as rijen, max(datum_besluit)::date as nieuwste_gebeurtenis from staging.handhaving
    union all
    select 'uren' as bron, 'Urenregistratie' as titel, count(*) as rijen, max(datum)::date as nieuwste_gebeurtenis from staging.uren
    union all
    select 'medewerkers' as bron, 'Medewerkers (HR)' as titel, count(*) as rijen, max(peildatum)::date as nieuwste_gebeurtenis from staging.medewerkers
    union all
    select 'formatie' as bron, 'Formatie (HR)' as titel, count(*) as rijen, null::date as nieuwste_gebeurtenis from staging.formatie
    union all
    select 'opleidingen' as bron, 'Opleidingen (HR)' as titel, count(*) as rijen, max(datum)::date as nieuwste_gebeurtenis from staging.opleidingen
    union all
    select 'begroting' as bron, 'Begroting' as titel, count(*) as rijen, null::date as nieuwste_gebeurtenis from staging.begroting
    union all
    select 'realisatie' as bron, 'Realisatie' as titel, count(*) as rijen, null::date as nieuwste_gebeurtenis from staging.realisatie
    union all
    select 'programma' as bron, 'Uitvoeringsprogramma' as titel, count(*) as rijen, null::date as nieuwste_gebeurtenis from staging.programma
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
        bronnen.rijen,
        bronnen.nieuwste_gebeurtenis,
        laatste_lading.laatst_geladen
    from bronnen
    left join laatste_lading using (bron)
)

select * from final
