-- TOTAAL numerator = sum of the deelnemers' numerators, for every KPI that has deelnemer rows, except those whose TOTAAL is defined otherwise in the catalogue (medians, the worst LHSO cell, repeat complainants counted over all deelnemers, projections).
with deelnemers as (
    select kpi_id, periode_type, periode, sum(teller) as som
    from kpi.waarden
    where deelnemer_code <> 'TOTAAL'
    group by all
),

totaal as (
    select kpi_id, periode_type, periode, teller
    from kpi.waarden
    where deelnemer_code = 'TOTAAL'
)

select totaal.kpi_id, totaal.periode, totaal.teller, deelnemers.som
from totaal
join deelnemers using (kpi_id, periode_type, periode)
where totaal.kpi_id not in (
        'klachten_herhaalmelders_pct', 'lhso_zwaarste', 'uren_prognose_jaareinde',
        'doorlooptijd_mediaan_dagen', 'klachten_afhandelduur_mediaan_dagen'
    )
    and abs(coalesce(totaal.teller, 0) - coalesce(deelnemers.som, 0)) > 1e-6 * greatest(1, abs(deelnemers.som))
