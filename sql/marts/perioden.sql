-- Perioden: elk jaar, kwartaal en elke maand van het eerste tot en met het laatste jaar waarin de bronnen gebeurtenissen bevatten. De KPI's gebruiken dit als kalender, zodat elke deelnemer voor elke periode een rij krijgt.
-- kolom periode_type: jaar, kwartaal of maand
-- kolom periode: de periode als tekst: 2024, 2024-Q3 of 2024-07
-- kolom jaar: het kalenderjaar van de periode
-- kolom begin: eerste dag van de periode
-- kolom einde: laatste dag van de periode (inclusief)
with datums as (
    -- the calendar columns the data contract names per source (docs/datacontract.md)
    select datum from staging.kalenderdatums
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
