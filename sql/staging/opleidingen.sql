-- Opleidingen (HR): kosten en uren per opleidingsregel (sleutel regel_id). De omschrijving wordt nooit geladen.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.opleidingen.
-- kolom regel_id: sleutel: id van de opleidingsregel
-- kolom medewerker_id: pseudoniem (HMAC) van de medewerker; nooit de echte waarde; gelijk in uren, medewerkers, opleidingen
-- kolom datum: datum van de opleidingsregel
-- kolom kosten: kosten in EUR (>= 0)
-- kolom uren: opleidingsuren (>= 0); leeg = niet opgegeven
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.opleidingen
),

final as (
    select
        regel_id,
        medewerker_id,
        datum,
        kosten,
        uren,
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
