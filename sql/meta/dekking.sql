-- Dekking: per bron met gebeurtenissen (staging.bronnen.dekking) en per deelnemer (en TOTAAL) de dagen die de geladen exports dekken: vanaf 1 januari van het jaar van de eerste gebeurtenis in de bron tot en met de nieuwste stand per (meta.loads) van haar exports. Een export dekt alle deelnemers, ook die zonder rijen erin (geen rij = er gebeurde niets); alleen een export waarvan de naam één deelnemer noemt (klachten_GM0164_20250930.csv) dekt alleen die deelnemer. Een periode buiten de dekking van een bron heeft geen waarde voor de KPI's uit die bron; een periode die er half in valt is onvolledig (kpi.waarden, docs/kpis.md "Dekking").
-- kolom bron: naam van de bron, bijv. klachten
-- kolom deelnemer_code: CBS-code van de deelnemer, of TOTAAL (alle deelnemers samen: gedekt tot de vroegste stand van de deelnemers)
-- kolom gedekt_vanaf: 1 januari van het jaar van de vroegste gebeurtenis in de bron
-- kolom gedekt_tot: de nieuwste stand per van de exports van de bron die deze deelnemer dekken (ook een export met dezelfde inhoud als een eerdere, al_geladen); leeg = geen export dekt deze deelnemer (dan ook niet TOTAAL)
with bronnen as (
    select bron from staging.bronnen where dekking
),

-- every export of a source that was taken in (also one whose content was loaded before: its
-- date still says how far the source reaches); refused, excluded or removed ones do not count
exports as (
    select loads.bron, loads.stand_per, loads.voor_deelnemer
    from raw.loads as loads
    semi join bronnen using (bron)
    where loads.status in ('geladen', 'al_geladen') and loads.stand_per is not null
),

per_bron as (
    -- a year is the unit exports and plans are made in: a source whose first event falls in
    -- February (a sparse one, such as training costs) still covers that January
    select rijen.bron, date_trunc('year', min(rijen.datum))::date as vanaf
    from staging.bron_rijen as rijen
    semi join bronnen using (bron)
    group by rijen.bron
),

per_deelnemer as (
    select
        per_bron.bron,
        deelnemers.code as deelnemer_code,
        per_bron.vanaf,
        max(exports.stand_per) as tot
    from per_bron
    cross join staging.deelnemers as deelnemers
    left join exports
        on exports.bron = per_bron.bron
        and (exports.voor_deelnemer is null or exports.voor_deelnemer = deelnemers.code)
    group by per_bron.bron, deelnemers.code, per_bron.vanaf
),

final as (
    select bron, deelnemer_code, vanaf as gedekt_vanaf, tot as gedekt_tot
    from per_deelnemer
    union all
    -- all deelnemers together are covered as far as the least covered one, and not at all
    -- while one of them has no export
    select bron, 'TOTAAL', min(vanaf), case when count(tot) = count(*) then min(tot) end
    from per_deelnemer
    group by bron
)

select * from final
order by bron, deelnemer_code
