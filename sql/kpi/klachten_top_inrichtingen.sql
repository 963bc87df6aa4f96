-- TOP-X inrichtingen met de meeste klachten in de laatste 12 maanden (tot en met de nieuwste datum_melding in de data), per deelnemer en voor TOTAAL, met rang 1 = meeste klachten. INTERNE LIJST: alleen voor MT en analisten (Zelfevaluatie OD Twente (2024): de TOP-X-lijst is primair voor intern gebruik), niet voor publicatie of accounthouders.
-- kolom deelnemer_code: CBS-code van de deelnemer, of TOTAAL (alle deelnemers)
-- kolom rang: rang binnen de deelnemer, 1 = meeste klachten (gelijke aantallen: zelfde rang)
-- kolom inrichting_id: de inrichting waarop de klachten als vermoedelijke bron wijzen
-- kolom naam: naam van de inrichting
-- kolom branche: branche van de inrichting
-- kolom aantal_klachten: klachten in de 12 maanden met deze inrichting als vermoedelijke bron
-- kolom aantal_gegrond: daarvan met gegrond = Ja
-- kolom meest_gemelde_aard: de aard die het vaakst werd gemeld; bij gelijke aantallen de eerste in alfabetische volgorde
-- kolom laatste_melding: datum van de laatste klacht
-- kolom periode_van: begin van de 12 maanden
-- kolom periode_tot: einde van de 12 maanden (de nieuwste datum_melding)
with venster as (
    select
        max(datum_melding)::date as tot,
        (max(datum_melding)::date - interval 12 month + interval 1 day)::date as van
    from staging.klachten
),

klachten as (
    select k.bevoegd_gezag as deelnemer_code, k.inrichting_id, k.aard, k.gegrond,
        k.datum_melding::date as datum, venster.van, venster.tot
    from staging.klachten as k, venster
    where k.inrichting_id is not null and k.datum_melding::date between venster.van and venster.tot
),

per_inrichting as (
    select
        coalesce(deelnemer_code, 'TOTAAL') as deelnemer_code,
        inrichting_id,
        count(*) as aantal_klachten,
        count(*) filter (where gegrond = 'Ja') as aantal_gegrond,
        max(datum) as laatste_melding,
        any_value(van) as periode_van,
        any_value(tot) as periode_tot
    from klachten
    group by grouping sets ((deelnemer_code, inrichting_id), (inrichting_id))
),

-- the most reported kind; a tie goes to the first in alphabetical order, so every build of the
-- same data names the same one (mode() picks any of them)
aard_per_inrichting as (
    select coalesce(deelnemer_code, 'TOTAAL') as deelnemer_code, inrichting_id, aard
    from klachten
    where aard is not null
    group by grouping sets ((deelnemer_code, inrichting_id, aard), (inrichting_id, aard))
    qualify row_number() over (
        partition by coalesce(deelnemer_code, 'TOTAAL'), inrichting_id
        order by count(*) desc, aard
    ) = 1
),

final as (
    select
        per_inrichting.deelnemer_code,
        rank() over (
            partition by per_inrichting.deelnemer_code order by per_inrichting.aantal_klachten desc
        ) as rang,
        per_inrichting.inrichting_id,
        inrichtingen.naam,
        inrichtingen.branche,
        per_inrichting.aantal_klachten,
        per_inrichting.aantal_gegrond,
        aard_per_inrichting.aard as meest_gemelde_aard,
        per_inrichting.laatste_melding,
        per_inrichting.periode_van,
        per_inrichting.periode_tot
    from per_inrichting
    left join aard_per_inrichting using (deelnemer_code, inrichting_id)
    left join staging.inrichtingen as inrichtingen using (inrichting_id)
)

select * from final
order by deelnemer_code, rang, inrichting_id
