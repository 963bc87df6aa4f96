-- Normen (referentiedata): per KPI de norm (operator en waarde) met de datum vanaf wanneer die geldt, de deadline en de bron.
-- kolom kpi_id: KPI waarvoor de norm geldt (zie kpi.catalogus), bijv. rob_vaste_dienst
-- kolom operator: >=, <= of =: hoe de KPI-waarde zich tot de normwaarde moet verhouden
-- kolom waarde: normwaarde in de eenheid van de KPI (bijv. 80 = 80%; 16500000 = EUR)
-- kolom geldig_vanaf: datum vanaf wanneer deze norm geldt (sleutel met kpi_id)
-- kolom deadline: datum waarop aan de norm voldaan moet zijn; leeg = geen deadline
-- kolom bron: herkomst van de norm: document en vindplaats
-- kolom geverifieerd: true = de norm is gecontroleerd tegen de bron
-- kolom toelichting: toelichting op de norm (vrije tekst)
with referentie as (
    select * from raw.normen
),

final as (
    select
        kpi_id,
        operator,
        waarde,
        geldig_vanaf,
        deadline,
        bron,
        geverifieerd,
        toelichting
    from referentie
)

select * from final
