-- Mijlpalen (referentiedata): de kwalitatieve robuustheidscriteria en de aanbevelingen van het verbeterplan (visitatie 2024) met planning, deadline en status.
with referentie as (
    select * from raw.mijlpalen
),

final as (
    select
        mijlpaal_id,
        plan,
        titel,
        gepland,
        deadline,
        status,
        laatste_update,
        toelichting,
        bron
    from referentie
)

select * from final
