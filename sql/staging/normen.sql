-- Normen (referentiedata): per KPI de norm (operator en waarde) met de datum vanaf wanneer die geldt, de deadline en de bron.
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
