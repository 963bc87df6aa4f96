-- Klachtlocaties: elke klacht als punt op de plek van de overlast (RD New-coördinaten, EPSG:28992), voor een kaart of spreidingsdiagram van Twente. Bevat geen persoonsgegevens: de plek is die van de overlast, de melder blijft buiten beeld.
-- kolom klacht_id: nummer van de klacht in PowerBrowser
-- kolom deelnemer_code: CBS-code van de deelnemer (bevoegd gezag)
-- kolom datum: datum van de melding
-- kolom jaar: jaar van de melding
-- kolom maand: maand van de melding als 2024-07
-- kolom aard: aard van de overlast
-- kolom x: RD-x van de overlast in meters; NULL als onbekend
-- kolom y: RD-y van de overlast in meters; NULL als onbekend
-- kolom inrichting_id: de vermoedelijke bron, als die bekend is
-- kolom gegrond: Ja, Nee of Onbekend
with klachten as (
    select * from staging.klachten
),

final as (
    select
        klacht_id,
        bevoegd_gezag as deelnemer_code,
        datum_melding::date as datum,
        year(datum_melding) as jaar,
        strftime(datum_melding, '%Y-%m') as maand,
        aard,
        x,
        y,
        inrichting_id,
        gegrond
    from klachten
)

select * from final
order by datum, klacht_id
