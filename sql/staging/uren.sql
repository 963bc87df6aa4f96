-- Urenregistratie: de actuele versie van elke urenregel (sleutel regel_id). Lege bevoegd_gezag = indirecte uren. medewerker_id is een pseudoniem.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.uren.
-- kolom regel_id: sleutel: id van de urenregel
-- kolom medewerker_id: pseudoniem (HMAC) van de medewerker; nooit de echte waarde; gelijk in uren, medewerkers, opleidingen
-- kolom datum: datum waarop de uren gewerkt zijn (nooit in de toekomst)
-- kolom bevoegd_gezag: CBS-code van de deelnemer voor wie gewerkt is (bijv. GM0153); leeg = indirecte uren
-- kolom product: product of activiteit, bijv. Periodieke controle of Teamoverleg
-- kolom taakpakket: basistaak, plustaak of facultatief
-- kolom zaaknummer: zaak waarop de uren geschreven zijn (staging.zaken); leeg = niet op een zaak
-- kolom uren: aantal uren (0 < uren <= 24)
-- kolom declarabel: true = declarabele uren, false = niet declarabel
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.uren
),

final as (
    select
        regel_id,
        medewerker_id,
        datum,
        bevoegd_gezag,
        product,
        taakpakket,
        zaaknummer,
        uren,
        declarabel,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by regel_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
