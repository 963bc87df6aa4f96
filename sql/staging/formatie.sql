-- Formatie (HR): geplande fte per jaar, team en functie.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.formatie.
-- kolom jaar: jaar waarvoor de formatie geldt (2000-2100)
-- kolom team: team (tekst uit het HR-systeem), bijv. Vergunningverlening
-- kolom functie: functie (tekst uit het HR-systeem), bijv. juridisch adviseur
-- kolom formatie_fte: geplande formatie in fte (>= 0; 1 fte = 36 uur per week)
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.formatie
),

final as (
    select
        jaar,
        team,
        functie,
        formatie_fte,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by jaar, team, functie
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
