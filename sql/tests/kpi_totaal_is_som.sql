-- TOTAAL numerator and denominator = the sums of the deelnemers' numerators and denominators, for every KPI that has deelnemer rows, except those whose TOTAAL is defined otherwise in the catalogue (medians, the worst LHSO cell, repeat complainants counted over all deelnemers, the projection whose denominator is a share, and the projection against the budget built on it).
with deelnemers as (
    select kpi_id, periode_type, periode, sum(teller) as teller, sum(noemer) as noemer
    from kpi.waarden
    where deelnemer_code <> 'TOTAAL'
    group by all
),

totaal as (
    select kpi_id, periode_type, periode, teller, noemer
    from kpi.waarden
    where deelnemer_code = 'TOTAAL'
),

vergelijk as (
    select
        totaal.kpi_id,
        totaal.periode,
        totaal.teller,
        deelnemers.teller as som_teller,
        totaal.noemer,
        deelnemers.noemer as som_noemer
    from totaal
    join deelnemers using (kpi_id, periode_type, periode)
    where totaal.kpi_id not in (
        'klachten_herhaalmelders_pct', 'lhso_zwaarste', 'uren_prognose_jaareinde',
        'uren_prognose_begroting_pct',
        'doorlooptijd_mediaan_dagen', 'klachten_afhandelduur_mediaan_dagen'
    )
)

select *
from vergelijk
where abs(coalesce(teller, 0) - coalesce(som_teller, 0)) > 1e-6 * greatest(1, abs(som_teller))
    or abs(coalesce(noemer, 0) - coalesce(som_noemer, 0)) > 1e-6 * greatest(1, abs(som_noemer))
