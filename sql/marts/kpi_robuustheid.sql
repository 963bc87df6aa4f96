-- KPI-waarden robuustheid (rob_omvang_begroting, rob_vaste_dienst, rob_kwaliteitscriteria, rob_innovatiebudget, rob_opleidingsbudget, rob_opleiding_realisatie, rob_mandaat en rob_mijlpaal_<mijlpaal_id> voor elke mijlpaal) voor TOTAAL, per jaar; definities in kpi.catalogus.
-- Elk jaar van de kalender (marts.perioden), zodat mijlpalen en mandaat ook een waarde hebben in een jaar zonder begroting of peildatum.
-- Begroting-KPI's: NULL voor een jaar zonder begroting; rob_omvang_begroting is ook NULL als de begroting van het jaar geen bijdrageregels voor basis- of plustaken heeft; heeft het jaar wel een begroting maar geen post innovatie of opleiding, dan is die teller 0 (er is dan geen budget voor).
-- Personeel-KPI's: de laatste peildatum van het jaar; NULL zonder peildatum in het jaar.
-- Opleidingsuitgaven: 0 in een jaar zonder opleidingsregels binnen het bereik van de opleidingsgegevens, daarbuiten NULL.
-- Mandaat (referentiedata mandaten, één stand): een besluittype telt voor een jaar als gemandateerd als gemandateerd = Ja en de mandaatdatum op of vóór 31 december ligt (lege datum: telt, datum onbekend); Nee telt in elk jaar als niet gemandateerd (mandaten worden niet verondersteld te worden ingetrokken). Een deelnemer zonder regel voor een besluittype dat in mandaten voorkomt, heeft daarvoor geen mandaat. De noemer is alle deelnemers (referentiedata deelnemers). Waarden vanaf het jaar van de vroegste mandaatdatum; eerdere jaren NULL (daarover zegt de referentiedata niets); zonder enige datum geldt de stand voor elk jaar.
-- Mijlpalen (referentiedata mijlpalen, één stand): 1 vanaf het jaar van laatste_update als de status gereed is (lege laatste_update: vanaf het jaar van de deadline), anders 0: eerdere statussen zijn niet bekend, en een mijlpaal die nu niet gereed is, was dat eerder ook niet.
-- kolom kpi_id: id uit kpi.catalogus (rob_mijlpaal_<mijlpaal_id> voor de mijlpalen)
-- kolom deelnemer_code: altijd TOTAAL (de hele organisatie)
-- kolom periode_type: altijd jaar
-- kolom periode: het jaar, bijv. 2025
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn
-- kolom waarde_tekst: altijd NULL in deze familie
-- kolom teller: teller van de breuk, of het bedrag / de mijlpaalwaarde zelf
-- kolom noemer: noemer van de breuk; NULL bij bedragen en mijlpalen
with begroting as (
    select
        jaar,
        -- no such rows means the contributions are not in the begroting yet: NULL, not 0
        sum(bedrag) filter (
            where taakpakket in ('basistaken', 'plustaken') and post = 'bijdrage'
        ) as omvang,
        sum(bedrag) as totaal,
        coalesce(sum(bedrag) filter (where post = 'innovatie'), 0) as innovatie,
        coalesce(sum(bedrag) filter (where post = 'opleiding'), 0) as opleiding,
        sum(bedrag) filter (where post = 'loonsom') as loonsom
    from staging.begroting
    group by jaar
),

medewerkers as (
    select peildatum, fte, dienstverband, kwaliteitscriteria from staging.medewerkers
),

-- only the last snapshot of each year counts
laatste_stand as (
    select *
    from medewerkers
    qualify peildatum = max(peildatum) over (partition by year(peildatum))
),

opleidingen as (
    select datum, kosten from staging.opleidingen
),

-- every year of the lake's calendar, not only those of begroting and HR: the milestones and the
-- mandate (reference data) also need a value in a year without a begroting or peildatum yet
raster as (
    select * from marts.perioden where periode_type = 'jaar'
),

personeel as (
    select
        year(peildatum) as jaar,
        coalesce(sum(fte) filter (where dienstverband = 'vast'), 0) as fte_vast,
        -- all dienstverbanden: inhuur, detachering, trainees and stagiairs included
        sum(fte) as fte_totaal,
        count(*) filter (
            where dienstverband <> 'inhuur' and kwaliteitscriteria = 'voldoet'
        ) as kwal_voldoet,
        -- n.v.t. and empty are not in the denominator
        count(*) filter (
            where
                dienstverband <> 'inhuur'
                and kwaliteitscriteria in ('voldoet', 'voldoet_deels', 'voldoet_niet')
        ) as kwal_beoordeeld
    from laatste_stand
    group by year(peildatum)
),

opleidingsbereik as (
    select year(min(datum)) as van, year(max(datum)) as tot from opleidingen
),

opleidingskosten as (
    select raster.jaar, sum(opleidingen.kosten) as kosten
    from raster
    left join opleidingen on year(opleidingen.datum) = raster.jaar
    group by raster.jaar
),

-- every besluittype that occurs in mandaten is required of every deelnemer
besluittypen as (
    select count(distinct besluittype) as aantal, year(min(datum)) as vanaf_jaar
    from staging.mandaten
),

mandaat_per_deelnemer as (
    select
        raster.jaar,
        deelnemers.code,
        count(mandaten.besluittype) filter (
            where mandaten.gemandateerd and coalesce(mandaten.datum, raster.einde) <= raster.einde
        ) as gemandateerd
    from raster
    cross join staging.deelnemers as deelnemers
    left join staging.mandaten as mandaten on mandaten.deelnemer = deelnemers.code
    group by raster.jaar, deelnemers.code
),

mandaat as (
    select
        mandaat_per_deelnemer.jaar,
        count(*) filter (where mandaat_per_deelnemer.gemandateerd = besluittypen.aantal)
            as volledig,
        count(*) as deelnemers
    from mandaat_per_deelnemer, besluittypen
    where
        besluittypen.aantal > 0
        and mandaat_per_deelnemer.jaar >= coalesce(besluittypen.vanaf_jaar, 0)
    group by mandaat_per_deelnemer.jaar
),

per_jaar as (
    select
        'TOTAAL' as deelnemer_code,
        raster.periode_type,
        raster.periode,
        begroting.omvang,
        begroting.totaal,
        begroting.innovatie,
        begroting.opleiding,
        begroting.loonsom,
        personeel.fte_vast,
        personeel.fte_totaal,
        personeel.kwal_voldoet,
        personeel.kwal_beoordeeld,
        case
            when raster.jaar between opleidingsbereik.van and opleidingsbereik.tot
                then coalesce(opleidingskosten.kosten, 0)
        end as opleidingskosten,
        mandaat.volledig as mandaat_volledig,
        mandaat.deelnemers as mandaat_deelnemers
    from raster
    cross join opleidingsbereik
    left join begroting on raster.jaar = begroting.jaar
    left join personeel on raster.jaar = personeel.jaar
    left join opleidingskosten on raster.jaar = opleidingskosten.jaar
    left join mandaat on raster.jaar = mandaat.jaar
),

cijfers as (
    select
        kpi.kpi_id,
        deelnemer_code,
        periode_type,
        periode,
        kpi.waarde::double as waarde,
        kpi.teller::double as teller,
        kpi.noemer::double as noemer
    from per_jaar,
        lateral (
            values
                ('rob_omvang_begroting', omvang, omvang, null),
                ('rob_vaste_dienst', fte_vast / nullif(fte_totaal, 0) * 100, fte_vast, fte_totaal),
                (
                    'rob_kwaliteitscriteria',
                    kwal_voldoet / nullif(kwal_beoordeeld, 0) * 100,
                    kwal_voldoet,
                    kwal_beoordeeld
                ),
                ('rob_innovatiebudget', innovatie / nullif(totaal, 0) * 100, innovatie, totaal),
                ('rob_opleidingsbudget', opleiding / nullif(loonsom, 0) * 100, opleiding, loonsom),
                (
                    'rob_opleiding_realisatie',
                    opleidingskosten / nullif(loonsom, 0) * 100,
                    opleidingskosten,
                    loonsom
                ),
                (
                    'rob_mandaat',
                    mandaat_volledig / nullif(mandaat_deelnemers, 0) * 100,
                    mandaat_volledig,
                    mandaat_deelnemers
                )
        ) as kpi(kpi_id, waarde, teller, noemer)
),

-- a milestone is gereed from the year of its last update (the status is known only as of then)
mijlpaal_waarden as (
    select
        'rob_mijlpaal_' || mijlpalen.mijlpaal_id as kpi_id,
        'TOTAAL' as deelnemer_code,
        raster.periode_type,
        raster.periode,
        case
            when
                mijlpalen.status = 'gereed'
                and coalesce(mijlpalen.laatste_update, mijlpalen.deadline) <= raster.einde
                then 1
            else 0
        end::double as waarde,
        null::double as noemer
    from raster
    cross join staging.mijlpalen as mijlpalen
),

final as (
    select
        kpi_id,
        deelnemer_code,
        periode_type,
        periode,
        waarde,
        null::varchar as waarde_tekst,
        teller,
        noemer
    from cijfers
    union all
    select
        kpi_id,
        deelnemer_code,
        periode_type,
        periode,
        waarde,
        null::varchar as waarde_tekst,
        waarde as teller,
        noemer
    from mijlpaal_waarden
)

select * from final
