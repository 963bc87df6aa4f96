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
-- kolom operator: hoe de waarde aan de norm wordt getoetst: >= (minstens), <= (hoogstens) of = ; NULL zonder norm
-- kolom status: groen, oranje (niet gehaald maar binnen de marge van staging.statusregel), rood, geen_norm; NULL als er geen waarde is
-- kolom dekking: volledig (de exports van alle gegevensbronnen van de KPI dekken de hele periode), onvolledig (ze dekken een deel: zie gedekt_vanaf en gedekt_tot) of geen (de periode valt buiten wat de exports dekken: waarde, teller en noemer zijn dan NULL, nooit 0); zie meta.dekking
-- kolom gedekt_vanaf: eerste gedekte dag voor deze KPI en deelnemer (de laatste gedekt_vanaf van haar gegevensbronnen); bij een KPI zonder gegevensbronnen (plannen, referentiedata) in een lopende periode het begin van de periode, anders leeg
-- kolom gedekt_tot: laatste gedekte dag voor deze KPI en deelnemer (de vroegste stand per van haar gegevensbronnen); bij een KPI zonder gegevensbronnen in een lopende periode de bouwdatum (de periode is dan onvolledig), anders leeg
with families as (
    -- every marts.kpi_<family> model, unioned by pipelines/models.py
    select * from marts.kpi_families
),

-- the window all sources of a KPI cover for a deelnemer; a listed source without any
-- coverage (never loaded) leaves the KPI uncovered (docs/kpis.md, "Dekking")
kpi_dekking as (
    select * from kpi.dekking
),

normen as (
    select kpi_id, operator, waarde as norm, geldig_vanaf from staging.normen
    union all
    -- a milestone's norm is 1 (gereed) from its deadline on
    select 'rob_mijlpaal_' || mijlpaal_id, '>=', 1, deadline from staging.mijlpalen
),

gedekt as (
    select
        families.*,
        perioden.einde,
        -- a KPI without sources (plans, reference data) is known up to the build date: a
        -- period that has begun but not ended is still running (docs/kpis.md, "Dekking")
        case
            when kpi_dekking.kpi_id is null
                and perioden.begin <= current_date and perioden.einde > current_date
                then perioden.begin
            else kpi_dekking.gedekt_vanaf
        end as gedekt_vanaf,
        case
            when kpi_dekking.kpi_id is null
                and perioden.begin <= current_date and perioden.einde > current_date
                then current_date
            else kpi_dekking.gedekt_tot
        end as gedekt_tot,
        case
            when kpi_dekking.kpi_id is null
                and perioden.begin <= current_date and perioden.einde > current_date
                then 'onvolledig'
            when kpi_dekking.kpi_id is null then 'volledig'
            when not kpi_dekking.alle_bronnen then 'geen'
            when perioden.einde < kpi_dekking.gedekt_vanaf
                or perioden.begin > kpi_dekking.gedekt_tot then 'geen'
            when perioden.begin >= kpi_dekking.gedekt_vanaf
                and perioden.einde <= kpi_dekking.gedekt_tot then 'volledig'
            else 'onvolledig'
        end as dekking
    from families
    join marts.perioden as perioden using (periode_type, periode)
    left join kpi_dekking using (kpi_id, deelnemer_code)
),

-- outside the coverage a value is unknown, never 0 (docs/kpis.md, "Dekking")
met_einde as (
    select
        * replace (
            case when dekking = 'geen' then null else waarde end as waarde,
            case when dekking = 'geen' then null else waarde_tekst end as waarde_tekst,
            case when dekking = 'geen' then null else teller end as teller,
            case when dekking = 'geen' then null else noemer end as noemer
        )
    from gedekt
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
        case when norm is not null then operator end as operator,
        case
            when norm is null then 'geen_norm'
            when waarde is null then null
            -- the one status rule: sql/macros/status_oordeel.sql
            else status_oordeel(waarde, operator, norm, marge)
        end as status,
        dekking,
        gedekt_vanaf,
        gedekt_tot
    from met_norm
)

select * from final
order by kpi_id, deelnemer_code, periode_type, periode
