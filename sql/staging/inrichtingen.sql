-- Inrichtingen (PowerBrowser): de actuele versie van elke inrichting (sleutel inrichting_id).
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.inrichtingen.
-- kolom inrichting_id: sleutel: id van de inrichting (bedrijfslocatie onder toezicht) in PowerBrowser
-- kolom naam: naam van de inrichting (bedrijfsnaam)
-- kolom straat: straat van het adres van de inrichting
-- kolom huisnummer: huisnummer, met eventuele toevoeging (tekst)
-- kolom postcode: postcode van het adres van de inrichting
-- kolom plaats: plaats van het adres van de inrichting
-- kolom bevoegd_gezag: CBS-code van de deelnemer die bevoegd gezag is (bijv. GM0153, PV23); zie staging.deelnemers
-- kolom sbi_code: SBI-code (Standaard Bedrijfsindeling van het CBS) van de activiteit
-- kolom branche: branche (vrije tekst)
-- kolom inrichtingstype: A, B of C (indeling Activiteitenbesluit)
-- kolom risicoklasse: risicoklasse 1 t/m 5
-- kolom x: X-coordinaat in RD New (EPSG:28992), meter
-- kolom y: Y-coordinaat in RD New (EPSG:28992), meter
-- kolom datum_start: startdatum van de inrichting
-- kolom datum_einde: einddatum van de inrichting; leeg = nog actief
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.inrichtingen
),

final as (
    select
        inrichting_id,
        naam,
        straat,
        huisnummer,
        postcode,
        plaats,
        bevoegd_gezag,
        sbi_code,
        branche,
        inrichtingstype,
        risicoklasse,
        x,
        y,
        datum_start,
        datum_einde,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by inrichting_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
