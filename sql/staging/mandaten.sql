-- Mandaten (referentiedata): per deelnemer en besluittype of de directeur gemandateerd is.
-- kolom deelnemer: CBS-code van de deelnemer (bijv. GM0153, PV23)
-- kolom besluittype: soort besluit, bijv. omgevingsvergunning, melding, handhavingsbesluit
-- kolom gemandateerd: true = de directeur heeft van deze deelnemer mandaat voor dit besluittype
-- kolom datum: datum van het mandaat(besluit); leeg = onbekend
with referentie as (
    select * from raw.mandaten
),

final as (
    select
        deelnemer,
        besluittype,
        gemandateerd,
        datum
    from referentie
)

select * from final
