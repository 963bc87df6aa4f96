-- KPI-catalogus (referentiedata): per KPI de naam, definitie, eenheid, richting, bron en groep; toelichting op alle KPI's in docs/kpis.md.
-- kolom kpi_id: id van de KPI, zoals in kpi.waarden
-- kolom naam: Nederlandse naam
-- kolom definitie: definitie in één of twee zinnen, precies genoeg om met de hand na te rekenen
-- kolom eenheid: eenheid van de waarde (procent, aantal, uren, fte, dagen, EUR ...)
-- kolom richting: hoger_is_beter, lager_is_beter of neutraal
-- kolom bron: het document of de wet waar de KPI vandaan komt
-- kolom groep: robuustheid, output, naleving, klachten, hr of financien
-- kolom gegevensbronnen: de bronnen (gescheiden door komma's) waarvan de dekking de perioden van de KPI begrenst (meta.dekking); leeg = geen (plannen, referentiedata)
with referentie as (
    select * from raw.kpi_catalogus
),

final as (
    select
        kpi_id,
        naam,
        definitie,
        eenheid,
        richting,
        bron,
        groep,
        gegevensbronnen
    from referentie
)

select * from final
