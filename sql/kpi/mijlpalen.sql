-- Mijlpalen: de kwalitatieve robuustheidscriteria (Plan van Aanpak Robuustheid Omgevingsdienst Twente (2024)) en de aanbevelingen van het verbeterplan na de visitatie 2024 (Verbeterplan opvolging aanbevelingen visitatie OD Twente (2024)), met planning, deadline, status en de laatste statusupdate (referentiedata mijlpalen). deadline_verstreken zegt of de deadline voorbij is zonder dat de mijlpaal gereed is, bepaald op de datum waarop het warehouse is gebouwd (kolom bepaald_op). De jaarwaarde per mijlpaal staat in kpi.waarden onder kpi_id.
-- kolom mijlpaal_id: sleutel: id van de mijlpaal, bijv. vaste_dienst_90 of vp_3a
-- kolom kpi_id: de KPI van deze mijlpaal in kpi.waarden: rob_mijlpaal_<mijlpaal_id>
-- kolom plan: robuustheid (robuustheidscriteria, Plan van Aanpak Robuustheid Omgevingsdienst Twente) of verbeterplan (aanbevelingen visitatie 2024, Verbeterplan opvolging aanbevelingen visitatie OD Twente)
-- kolom titel: omschrijving van de mijlpaal
-- kolom gepland: geplande datum of kwartaal als tekst, bijv. 2026-01-01 of 2025-Q3
-- kolom deadline: uiterste datum waarop de mijlpaal bereikt moet zijn
-- kolom status: gereed, op_schema, risico of vertraagd
-- kolom laatste_update: datum van de laatste statusupdate; leeg = onbekend
-- kolom toelichting: toelichting op de status (vrije tekst)
-- kolom bron: brondocument van de mijlpaal, bijv. Plan van Aanpak Robuustheid Omgevingsdienst Twente (2024), tabel KPI's
-- kolom deadline_verstreken: true = de deadline ligt vóór bepaald_op en de status is niet gereed; false = gereed of de deadline is nog niet voorbij (op de deadline zelf nog niet verstreken)
-- kolom status_nu: de status zoals de app haar toont: verstreken als de deadline voorbij is en de mijlpaal niet gereed (een verstreken mijlpaal is nooit op schema, wat de referentiedata ook zeggen), anders status
-- kolom bepaald_op: de datum waartegen deadline_verstreken is bepaald: de bouwdatum van het warehouse
with mijlpalen as (
    select * from staging.mijlpalen
),

final as (
    select
        mijlpaal_id,
        'rob_mijlpaal_' || mijlpaal_id as kpi_id,
        plan,
        titel,
        gepland,
        deadline,
        status,
        laatste_update,
        toelichting,
        bron,
        deadline < current_date and status <> 'gereed' as deadline_verstreken,
        case
            when deadline < current_date and status <> 'gereed' then 'verstreken'
            else status
        end as status_nu,
        current_date as bepaald_op
    from mijlpalen
)

select * from final
order by plan, deadline, mijlpaal_id
