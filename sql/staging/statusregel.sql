-- Statusregel (referentiedata): de marge waarbinnen een KPI-waarde die haar norm niet haalt oranje (bijna) is in plaats van rood. Eén rij; kpi.waarden past haar toe.
-- kolom oranje_marge_pct: marge in procenten van de norm (relatief), bijv. 10 = binnen 10% van de norm
-- kolom toelichting: uitleg van de regel (vrije tekst)
with referentie as (
    select * from raw.statusregel
),

final as (
    select
        oranje_marge_pct,
        toelichting
    from referentie
)

select * from final
