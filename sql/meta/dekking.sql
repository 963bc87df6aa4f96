-- Dekking: per bron met gebeurtenissen (staging.bronnen.dekking) en per deelnemer (en TOTAAL) de dagen die de geladen exports dekken: vanaf 1 januari van het jaar van de eerste gebeurtenis in de bron tot en met de nieuwste stand per (meta.loads) van de exports waaruit de actuele rijen komen; een export met rijen van maar één deelnemer dekt alleen die deelnemer. Een periode buiten de dekking van een bron heeft geen waarde voor de KPI's uit die bron; een periode die er half in valt is onvolledig (kpi.waarden, docs/kpis.md "Dekking").
-- kolom bron: naam van de bron, bijv. klachten
-- kolom deelnemer_code: CBS-code van de deelnemer, of TOTAAL (alle deelnemers samen: gedekt tot de vroegste stand van de deelnemers)
-- kolom gedekt_vanaf: 1 januari van het jaar van de vroegste gebeurtenis in de bron
-- kolom gedekt_tot: de nieuwste stand per van de exports van de bron met actuele rijen; een export met rijen van maar één deelnemer telt alleen voor die deelnemer; leeg = geen export dekt deze deelnemer (dan ook niet TOTAAL)
with bronnen as (
    select bron from staging.bronnen where dekking
),

standen as (
    -- one stand per file; two files of one load with the same name take the later
    select load_id, bestand, max(stand_per) as stand_per
    from raw.loads
    where status = 'geladen'
    group by load_id, bestand
),

-- per file of a source: its stand, its first event, and the deelnemers it holds rows of
bestanden as (
    select
        rijen.bron,
        rijen.load_id,
        rijen.bestand,
        any_value(standen.stand_per) as stand_per,
        min(rijen.datum) as eerste,
        count(distinct rijen.deelnemer_code) as deelnemers,
        any_value(rijen.deelnemer_code) filter (where rijen.deelnemer_code is not null)
            as deelnemer_code
    from staging.bron_rijen as rijen
    semi join bronnen using (bron)
    join standen using (load_id, bestand)
    group by rijen.bron, rijen.load_id, rijen.bestand
),

per_bron as (
    -- a year is the unit exports and plans are made in: a source whose first event falls in
    -- February (a sparse one, such as training costs) still covers that January
    select bron, date_trunc('year', min(eerste))::date as vanaf
    from bestanden
    group by bron
),

-- An export with rows of one deelnemer only is that deelnemer's export and covers only it;
-- any other export covers every deelnemer (having no row of a deelnemer means nothing
-- happened there, not that the export left it out). docs/kpis.md, "Dekking".
per_deelnemer as (
    select
        per_bron.bron,
        deelnemers.code as deelnemer_code,
        per_bron.vanaf,
        max(bestanden.stand_per) as tot
    from per_bron
    cross join staging.deelnemers as deelnemers
    left join bestanden
        on bestanden.bron = per_bron.bron
        and (bestanden.deelnemers <> 1 or bestanden.deelnemer_code = deelnemers.code)
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
