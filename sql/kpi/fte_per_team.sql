-- FTE per team: per peildatum (elke momentopname van medewerkers), team en dienstverband de som van de fte en het aantal medewerkers. Alle dienstverbanden staan erin, ook stagiair (hr_bezetting_fte telt stagiairs niet mee). De HR- en robuustheid-KPI's gebruiken de laatste peildatum van de periode: filter op laatste_in_jaar of laatste_in_kwartaal om dezelfde stand te zien.
-- kolom peildatum: datum van de momentopname uit het HR-systeem
-- kolom jaar: kalenderjaar van de peildatum
-- kolom kwartaal: kwartaal van de peildatum, bijv. 2025-Q4
-- kolom laatste_in_jaar: true = dit is de laatste peildatum van het jaar (de stand van de jaar-KPI's)
-- kolom laatste_in_kwartaal: true = dit is de laatste peildatum van het kwartaal (de stand van de kwartaal-KPI's)
-- kolom team: team (tekst uit het HR-systeem), bijv. Vergunningverlening
-- kolom dienstverband: vast, tijdelijk, inhuur, detachering, trainee of stagiair
-- kolom fte: som van de fte van de medewerkers van dit team en dienstverband op de peildatum (1 fte = 36 uur per week)
-- kolom medewerkers: aantal medewerkers (verschillende pseudoniemen) van dit team en dienstverband op de peildatum
with medewerkers as (
    select peildatum, medewerker_id, team, fte, dienstverband from staging.medewerkers
),

peildata as (
    select
        peildatum,
        year(peildatum) as jaar,
        year(peildatum) || '-Q' || quarter(peildatum) as kwartaal,
        peildatum = max(peildatum) over (partition by year(peildatum)) as laatste_in_jaar,
        peildatum = max(peildatum) over (partition by year(peildatum), quarter(peildatum))
            as laatste_in_kwartaal
    from (select distinct peildatum from medewerkers)
),

final as (
    select
        peildata.peildatum,
        peildata.jaar,
        peildata.kwartaal,
        peildata.laatste_in_jaar,
        peildata.laatste_in_kwartaal,
        medewerkers.team,
        medewerkers.dienstverband,
        sum(medewerkers.fte) as fte,
        count(distinct medewerkers.medewerker_id) as medewerkers
    from medewerkers
    join peildata using (peildatum)
    group by all
)

select * from final
order by peildatum, team, dienstverband
