-- Uren per product: geschreven uren per deelnemer, jaar, product en taakpakket, uit de actuele versie van elke urenregel (staging.uren). Indirecte uren (urenregels zonder bevoegd gezag) staan in eigen rijen met een lege deelnemer_code: ze horen bij geen deelnemer, net als in de KPI uren_gerealiseerd, waarvan TOTAAL ze niet bevat. De som over alle rijen met een deelnemer_code van een jaar is dus uren_gerealiseerd TOTAAL van dat jaar.
-- kolom deelnemer_code: CBS-code van de deelnemer voor wie gewerkt is (bijv. GM0153); leeg (NULL) = indirecte uren, voor geen deelnemer
-- kolom jaar: kalenderjaar van de datum van de urenregel
-- kolom product: product of activiteit zoals geregistreerd, bijv. Periodieke controle of Teamoverleg
-- kolom taakpakket: basistaak, plustaak of facultatief
-- kolom uren: som van de geschreven uren
-- kolom regels: aantal urenregels
with uren as (
    select
        bevoegd_gezag as deelnemer_code,
        year(datum) as jaar,
        product,
        taakpakket,
        uren
    from staging.uren
),

final as (
    select
        deelnemer_code,
        jaar,
        product,
        taakpakket,
        sum(uren) as uren,
        count(*) as regels
    from uren
    group by deelnemer_code, jaar, product, taakpakket
)

select * from final
order by jaar, deelnemer_code nulls last, product, taakpakket
