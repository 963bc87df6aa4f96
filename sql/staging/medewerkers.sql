-- Medewerkers (HR): per peildatum de actuele versie per medewerker (sleutel peildatum + medewerker_id). Naam en geboortedatum worden nooit geladen; medewerker_id is een pseudoniem.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.medewerkers.
-- kolom peildatum: datum van de momentopname uit het HR-systeem (sleutel met medewerker_id)
-- kolom medewerker_id: pseudoniem (HMAC) van de medewerker; nooit de echte waarde; gelijk in uren, medewerkers, opleidingen
-- kolom functie: functie (tekst uit het HR-systeem), bijv. juridisch adviseur
-- kolom team: team (tekst uit het HR-systeem), bijv. Vergunningverlening
-- kolom fte: omvang in fte op de peildatum (0 < fte <= 1,2; 1 fte = 36 uur per week)
-- kolom dienstverband: vast, tijdelijk, inhuur, detachering, trainee of stagiair
-- kolom datum_in: datum in dienst; leeg = onbekend
-- kolom datum_uit: datum uit dienst; leeg = nog in dienst
-- kolom kwaliteitscriteria: voldoet, voldoet_deels, voldoet_niet of n.v.t. (landelijke kwaliteitscriteria)
-- kolom boa: true = buitengewoon opsporingsambtenaar (boa)
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.medewerkers
),

final as (
    select
        peildatum,
        medewerker_id,
        functie,
        team,
        fte,
        dienstverband,
        datum_in,
        datum_uit,
        kwaliteitscriteria,
        boa,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by peildatum, medewerker_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
