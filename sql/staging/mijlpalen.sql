-- Mijlpalen (referentiedata): de kwalitatieve robuustheidscriteria en de aanbevelingen van het verbeterplan (visitatie 2024) met planning, deadline en status.
-- kolom mijlpaal_id: sleutel: id van de mijlpaal, bijv. vaste_dienst_90 of vp_3a
-- kolom plan: robuustheid (robuustheidscriteria) of verbeterplan (aanbevelingen visitatie 2024)
-- kolom titel: omschrijving van de mijlpaal
-- kolom gepland: geplande datum of kwartaal als tekst, bijv. 2026-01-01 of 2025-Q3
-- kolom deadline: uiterste datum waarop de mijlpaal bereikt moet zijn
-- kolom status: gereed, op_schema, risico of vertraagd
-- kolom laatste_update: datum van de laatste statusupdate; leeg = onbekend
-- kolom toelichting: toelichting op de status (vrije tekst)
-- kolom bron: brondocument van de mijlpaal, bijv. Plan van Aanpak Robuustheid Omgevingsdienst Twente (2024), tabel KPI's
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
