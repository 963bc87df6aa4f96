-- Deelnemers (referentiedata): de deelnemende gemeenten en provincie met CBS-code, soort en inwonertal.
-- kolom code: sleutel: CBS-code van de deelnemer (GM + 4 cijfers voor een gemeente, PV + 2 voor de provincie)
-- kolom naam: naam van de deelnemer, bijv. Enschede of Provincie Overijssel
-- kolom soort: gemeente of provincie
-- kolom inwoners: aantal inwoners (geheel getal >= 0)
-- kolom aliases: andere schrijfwijzen, gescheiden door '|', waaraan de deelnemer in bestanden herkend wordt
with referentie as (
    select * from raw.deelnemers
),

final as (
    select
        code,
        naam,
        soort,
        inwoners,
        aliases
    from referentie
)

select * from final
