-- Onderbouwing controles: elke controle met wat telt voor het naleefpercentage, de overtredingen en de LHSO-matrix, zodat een gebruiker van een kengetal naar de controles erachter kan doorklikken (en ze kan downloaden). Zonder persoonsgegevens: geen toezichthouder, geen naam of adres van de inrichting, alleen haar nummer en branche.
-- kolom controle_id: nummer van de controle in PowerBrowser
-- kolom deelnemer_code: CBS-code van de deelnemer (bevoegd gezag)
-- kolom datum: kalenderdag van de controle (een controle op 31-12 om 23:30 hoort bij dat jaar)
-- kolom soort: periodiek, hercontrole, handhavingscontrole of een andere soort uit de export
-- kolom thema: thema van de controle
-- kolom inrichting_id: nummer van de inrichting
-- kolom branche: branche van de inrichting; NULL als de inrichting niet in het inrichtingenbestand staat
-- kolom aantal_overtredingen: aantal overtredingen bij deze controle
-- kolom lhso_code: de LHSO-cel van de zwaarste bevinding (bijv. B3); NULL zonder overtreding
-- kolom telt_voor_naleefpercentage: true voor een periodieke controle: de noemer van naleefpercentage
-- kolom zonder_overtreding: true als de controle geen overtreding vond (bij een periodieke controle: de teller van naleefpercentage)
with controles as (
    select * from staging.controles
),

inrichtingen as (
    select inrichting_id, any_value(branche) as branche
    from staging.inrichtingen
    group by inrichting_id
),

final as (
    select
        controles.controle_id,
        controles.bevoegd_gezag as deelnemer_code,
        controles.datum_controle::date as datum,
        controles.soort,
        controles.thema,
        controles.inrichting_id,
        inrichtingen.branche,
        controles.aantal_overtredingen,
        case
            when controles.aantal_overtredingen > 0
                then controles.lhso_gevolgen || controles.lhso_gedrag
        end as lhso_code,
        controles.soort = 'periodiek' as telt_voor_naleefpercentage,
        controles.aantal_overtredingen = 0 as zonder_overtreding
    from controles
    left join inrichtingen using (inrichting_id)
)

select * from final
order by deelnemer_code, datum, controle_id
