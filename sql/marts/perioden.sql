-- Perioden: elk jaar, kwartaal en elke maand van het eerste tot en met het laatste jaar waarin de bronnen gebeurtenissen bevatten. De KPI's gebruiken dit als kalender, zodat elke deelnemer voor elke periode een rij krijgt.
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: de periode als tekst: 2024, 2024-Q3 of 2024-07
-- kolom jaar: het kalenderjaar van de periode
-- kolom begin: eerste dag van de periode
-- kolom einde: laatste dag van de periode (inclusief)
with datums as (
    select datum_ontvangst::date as datum from staging.zaken
    union all select datum_besluit::date from staging.zaken
    union all select datum_controle::date from staging.controles
    union all select datum_melding::date from staging.klachten
    union all select datum_afgehandeld::date from staging.klachten
    union all select datum_besluit::date from staging.handhaving
    union all select datum from staging.uren
    union all select peildatum from staging.medewerkers
    union all select make_date(jaar, 1, 1) from staging.begroting
),

jaren as (
    select unnest(range(year(min(datum)), year(max(datum)) + 1)) as jaar
    from datums
    where datum is not null
),

maanden as (
    select jaar, unnest(range(1, 13)) as maand from jaren
),

final as (
    select
        'jaar' as periode_type,
        jaar::varchar as periode,
        jaar,
        make_date(jaar, 1, 1) as begin,
        make_date(jaar, 12, 31) as einde
    from jaren
    union all
    select
        'kwartaal',
        jaar || '-Q' || kwartaal,
        jaar,
        make_date(jaar, 3 * kwartaal - 2, 1),
        (make_date(jaar, 3 * kwartaal - 2, 1) + interval 3 month - interval 1 day)::date
    from (select jaar, unnest(range(1, 5)) as kwartaal from jaren)
    union all
    select
        'maand',
        jaar || '-' || lpad(maand::varchar, 2, '0'),
        jaar,
        make_date(jaar, maand, 1),
        (make_date(jaar, maand, 1) + interval 1 month - interval 1 day)::date
    from maanden
)

select * from final
