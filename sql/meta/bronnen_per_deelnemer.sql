-- Bronnen per deelnemer: per deelnemer en bron het aantal actuele rijen en wanneer de nieuwste lading met rijen voor die deelnemer klaar was. deelnemer_code leeg = hele organisatie (HR, indirecte uren, organisatiebrede begroting).
-- kolom deelnemer_code: CBS-code van de deelnemer (bijv. GM0153); leeg = hele organisatie
-- kolom deelnemer: naam van de deelnemer; 'Hele organisatie' als deelnemer_code leeg is
-- kolom bron: bron (naam van de staging-tabel), bijv. zaken, uren of begroting
-- kolom rijen: aantal actuele rijen van deze bron voor deze deelnemer
-- kolom laatste_lading: tijdstip waarop de nieuwste lading met rijen voor deze deelnemer en bron klaar was
with rijen as (
    -- every row of every source of the data contract, generated from it (docs/datacontract.md)
    select bron, deelnemer_code, load_id from staging.bron_rijen
),

loads as (
    select distinct load_id, klaar from raw.loads
),

deelnemers as (
    select code, naam from staging.deelnemers
),

final as (
    select
        rijen.deelnemer_code,
        coalesce(deelnemers.naam, 'Hele organisatie') as deelnemer,
        rijen.bron,
        count(*) as rijen,
        max(loads.klaar) as laatste_lading
    from rijen
    left join loads using (load_id)
    left join deelnemers on deelnemers.code = rijen.deelnemer_code
    group by all
)

select * from final
