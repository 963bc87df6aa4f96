-- Onderbouwing klachten: elke klacht met wat telt voor de klachtkengetallen (aantal, gegrond, afhandelduur), zodat een gebruiker van klachten_aantal naar de klachten erachter kan doorklikken. Zonder persoonsgegevens: geen melder en geen plek van de melding, alleen de aard en het nummer van de vermoedelijke inrichting.
-- kolom klacht_id: nummer van de klacht in PowerBrowser
-- kolom deelnemer_code: CBS-code van de deelnemer (bevoegd gezag)
-- kolom datum_melding: kalenderdag van de melding: de periode waarin de klacht telt
-- kolom datum_afgehandeld: kalenderdag van de afhandeling; NULL zolang de klacht open is
-- kolom aard: aard van de overlast
-- kolom gegrond: Ja, Nee of Onbekend
-- kolom inrichting_id: de vermoedelijke bron, als die bekend is
-- kolom afhandelduur_dagen: dagen van melding tot afhandeling; NULL zolang de klacht open is
with klachten as (
    select * from staging.klachten
),

final as (
    select
        klacht_id,
        bevoegd_gezag as deelnemer_code,
        datum_melding::date as datum_melding,
        datum_afgehandeld::date as datum_afgehandeld,
        aard,
        gegrond,
        inrichting_id,
        datum_afgehandeld::date - datum_melding::date as afhandelduur_dagen
    from klachten
)

select * from final
order by deelnemer_code, datum_melding, klacht_id
