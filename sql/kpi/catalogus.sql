-- KPI-catalogus: elke KPI in kpi.waarden met naam, definitie, eenheid, richting, bron en groep. Statusregel in kpi.waarden: groen = norm gehaald; oranje = niet gehaald maar binnen de marge (relatief, in procenten van de norm) uit de referentiedata statusregel; rood = verder van de norm; geen_norm = er geldt (nog) geen norm; leeg = geen waarde. De norm is die uit de referentiedata normen met de laatste geldig_vanaf op of vóór het einde van de periode; voor mijlpalen geldt norm 1 vanaf de deadline.
-- kolom kpi_id: id van de KPI, zoals in kpi.waarden
-- kolom naam: Nederlandse naam
-- kolom definitie: definitie in één of twee zinnen, precies genoeg om met de hand na te rekenen
-- kolom eenheid: eenheid van de waarde (procent, aantal, uren, fte, dagen, EUR ...)
-- kolom richting: hoger_is_beter, lager_is_beter of neutraal
-- kolom bron: het document of de wet waar de KPI vandaan komt
-- kolom groep: robuustheid, output, naleving, klachten, hr of financien
-- kolom gegevensbronnen: de bronnen (gescheiden door komma's) waarvan de dekking de perioden van de KPI begrenst (meta.dekking); leeg = geen (plannen, referentiedata)
with vast as (
    select * from staging.kpi_catalogus
),

mijlpalen as (
    select
        'rob_mijlpaal_' || mijlpaal_id as kpi_id,
        'Mijlpaal: ' || titel as naam,
        '1 als de status van de mijlpaal gereed is en de laatste update (zonder update: de deadline) op of vóór het einde van de periode ligt, anders 0. Gepland: '
        || gepland || '; deadline ' || strftime(deadline, '%d-%m-%Y') || '.' as definitie,
        'ja/nee (1/0)' as eenheid,
        'hoger_is_beter' as richting,
        coalesce(bron, 'referentiedata mijlpalen') as bron,
        'robuustheid' as groep,
        null::varchar as gegevensbronnen
    from staging.mijlpalen
),

final as (
    select * from vast
    union all by name
    select * from mijlpalen
)

select * from final
