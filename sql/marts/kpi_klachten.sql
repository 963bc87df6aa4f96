-- KPI-waarden klachten (klachten_aantal, klachten_per_1000_inwoners, klachten_gegrond_pct, klachten_afhandelduur_mediaan_dagen, klachten_herhaalmelders_pct) per deelnemer en TOTAAL, per jaar, kwartaal en maand; definities in kpi.catalogus. Alleen perioden binnen het bereik van de klachtendata.
-- kolom kpi_id: id uit kpi.catalogus
-- kolom deelnemer_code: CBS-code of TOTAAL
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: 2024, 2024-Q3 of 2024-07
-- kolom waarde: de waarde; NULL als de noemer 0 is of er geen gegevens zijn
-- kolom waarde_tekst: altijd NULL in deze familie
-- kolom teller: teller van de breuk (of het aantal)
-- kolom noemer: noemer van de breuk; NULL bij aantallen en medianen
with klachten as (
    select
        klacht_id,
        bevoegd_gezag as deelnemer_code,
        datum_melding::date as datum_melding,
        datum_afgehandeld::date as datum_afgehandeld,
        gegrond,
        -- a melder is the e-mail pseudonym, else the phone's, else the name's (docs/kpis.md)
        coalesce(melder_email, melder_telefoon, melder_naam) as melder
    from staging.klachten
),

-- the range covers closing dates too: a complaint closed after the last report still counts
-- for the handling time of the period in which it was closed
bereik as (
    select
        min(datum_melding) as van,
        greatest(max(datum_melding), max(datum_afgehandeld)) as tot
    from klachten
),

raster as (
    select dp.*
    from marts.deelnemer_perioden as dp, bereik
    where dp.einde >= bereik.van and dp.begin <= bereik.tot
),

-- each complaint once per period type, in the period of its own datum_melding
gemeld as (
    select klachten.*, p.periode_type, p.periode
    from klachten
    join marts.perioden as p on klachten.datum_melding between p.begin and p.einde
),

herhaal as (
    select
        *,
        count(melder) over (partition by melder, deelnemer_code, periode_type, periode)
            as melder_deelnemer,
        count(melder) over (partition by melder, periode_type, periode) as melder_totaal
    from gemeld
),

meldingen as (
    select
        coalesce(deelnemer_code, 'TOTAAL') as deelnemer_code,
        periode_type,
        periode,
        count(*) as aantal,
        count(*) filter (where gegrond = 'Ja') as gegrond_ja,
        count(*) filter (where gegrond in ('Ja', 'Nee')) as gegrond_bekend,
        -- the scope of "the same period and scope" is the row's own: the deelnemer, or all
        case
            when grouping(deelnemer_code) = 0
                then count(*) filter (where melder_deelnemer >= 3)
            else count(*) filter (where melder_totaal >= 3)
        end as van_herhaalmelders
    from herhaal
    group by grouping sets ((deelnemer_code, periode_type, periode), (periode_type, periode))
),

-- handling time belongs to the period in which the complaint was closed
afgehandeld as (
    select
        coalesce(klachten.deelnemer_code, 'TOTAAL') as deelnemer_code,
        p.periode_type,
        p.periode,
        median(datum_afgehandeld - datum_melding) as mediaan_dagen
    from klachten
    join marts.perioden as p on klachten.datum_afgehandeld between p.begin and p.einde
    group by grouping sets (
        (klachten.deelnemer_code, p.periode_type, p.periode), (p.periode_type, p.periode)
    )
),

per_cel as (
    select
        raster.deelnemer_code,
        raster.periode_type,
        raster.periode,
        raster.inwoners,
        coalesce(meldingen.aantal, 0) as aantal,
        coalesce(meldingen.gegrond_ja, 0) as gegrond_ja,
        coalesce(meldingen.gegrond_bekend, 0) as gegrond_bekend,
        coalesce(meldingen.van_herhaalmelders, 0) as van_herhaalmelders,
        afgehandeld.mediaan_dagen
    from raster
    left join meldingen using (deelnemer_code, periode_type, periode)
    left join afgehandeld using (deelnemer_code, periode_type, periode)
),

final as (
    select
        kpi.kpi_id,
        deelnemer_code,
        periode_type,
        periode,
        kpi.waarde::double as waarde,
        null::varchar as waarde_tekst,
        kpi.teller::double as teller,
        kpi.noemer::double as noemer
    from per_cel,
        lateral (
            values
                ('klachten_aantal', aantal, aantal, null),
                (
                    'klachten_per_1000_inwoners',
                    aantal / nullif(inwoners, 0) * 1000,
                    aantal,
                    inwoners
                ),
                (
                    'klachten_gegrond_pct',
                    gegrond_ja / nullif(gegrond_bekend, 0) * 100,
                    gegrond_ja,
                    gegrond_bekend
                ),
                ('klachten_afhandelduur_mediaan_dagen', mediaan_dagen, null, null),
                (
                    'klachten_herhaalmelders_pct',
                    van_herhaalmelders / nullif(aantal, 0) * 100,
                    van_herhaalmelders,
                    aantal
                )
        ) as kpi(kpi_id, waarde, teller, noemer)
)

select * from final
