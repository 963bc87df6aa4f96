-- KPI-waarden: alle KPI's in één lange tabel, één rij per (kpi_id, deelnemer_code, periode). Definities en statusregel in kpi.catalogus. TOTAAL is berekend uit de detailrijen (som tellers / som noemers), niet als gemiddelde van percentages.
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: CBS-code van de deelnemer (GM0153, PV23) of TOTAAL voor alle deelnemers samen / de hele organisatie
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn (nooit standaard 0)
-- kolom waarde_tekst: tekstvorm als de waarde een code is (de LHSO-cel, bijv. B3), anders NULL
-- kolom teller: teller van de breuk (of het aantal), zodat totalen na te rekenen zijn
-- kolom noemer: noemer van de breuk; NULL bij aantallen, sommen en medianen
-- kolom norm: de norm die geldt aan het einde van de periode (referentiedata normen), anders NULL
-- kolom status: groen, oranje (niet gehaald maar binnen de marge van staging.statusregel), rood, geen_norm; NULL als er geen waarde is
with families as (
    -- every marts.kpi_<family> model, unioned by pipelines/models.py
    select * from marts.kpi_families
),

normen as (
    select kpi_id, operator, waarde as norm, geldig_vanaf from staging.normen
    union all
    -- a milestone's norm is 1 (gereed) from its deadline on
    select 'rob_mijlpaal_' || mijlpaal_id, '>=', 1, deadline from staging.mijlpalen
),

met_einde as (
    select families.*, perioden.einde
    from families
    join marts.perioden as perioden using (periode_type, periode)
),

met_norm as (
    select met_einde.*, normen.operator, normen.norm, regel.oranje_marge_pct / 100 as marge
    from met_einde
    asof left join normen
        on met_einde.kpi_id = normen.kpi_id and met_einde.einde >= normen.geldig_vanaf
    cross join staging.statusregel as regel
),

final as (
    select
        kpi_id,
        deelnemer_code,
        periode_type,
        periode,
        waarde,
        waarde_tekst,
        teller,
        noemer,
        norm,
        case
            when norm is null then 'geen_norm'
            when waarde is null then null
            when operator = '>=' then
                case
                    when waarde >= norm then 'groen'
                    when waarde >= norm - abs(norm) * marge then 'oranje'
                    else 'rood'
                end
            when operator = '<=' then
                case
                    when waarde <= norm then 'groen'
                    when waarde <= norm + abs(norm) * marge then 'oranje'
                    else 'rood'
                end
            else
                case
                    when waarde = norm then 'groen'
                    when abs(waarde - norm) <= abs(norm) * marge then 'oranje'
                    else 'rood'
                end
        end as status
    from met_norm
)

select * from final
order by kpi_id, deelnemer_code, periode_type, periode
