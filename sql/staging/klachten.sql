-- Klachten (PowerBrowser): de actuele versie van elke klacht (sleutel klacht_id). Melder-gegevens zijn gepseudonimiseerd (HMAC); de omschrijving wordt nooit geladen; van de postcode alleen de 4 cijfers.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.klachten.
-- kolom klacht_id: sleutel: id van de klacht in PowerBrowser
-- kolom datum_melding: datum en tijd van de melding (nooit in de toekomst)
-- kolom bevoegd_gezag: CBS-code van de deelnemer die bevoegd gezag is (bijv. GM0153, PV23); zie staging.deelnemers
-- kolom aard: geur, geluid, stof, licht, trilling, afval, water, bodem, asbest, lucht of overig
-- kolom inrichting_id: vermoedelijke veroorzaker (staging.inrichtingen); leeg = onbekend
-- kolom x: X-coordinaat van de plek van de overlast in RD New (EPSG:28992), meter
-- kolom y: Y-coordinaat van de plek van de overlast in RD New (EPSG:28992), meter
-- kolom melder_naam: pseudoniem (HMAC) van de naam van de melder; nooit de echte waarde
-- kolom melder_telefoon: pseudoniem (HMAC) van het telefoonnummer van de melder; nooit de echte waarde
-- kolom melder_email: pseudoniem (HMAC) van het e-mailadres van de melder; nooit de echte waarde
-- kolom melder_postcode: alleen de 4 cijfers van de postcode van de melder (privacy); nooit de letters
-- kolom datum_afgehandeld: datum en tijd van afhandeling; leeg = nog niet afgehandeld
-- kolom gegrond: Ja, Nee of Onbekend (tekst); leeg = niet ingevuld
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.klachten
),

final as (
    select
        klacht_id,
        datum_melding,
        bevoegd_gezag,
        aard,
        inrichting_id,
        x,
        y,
        melder_naam,
        melder_telefoon,
        melder_email,
        melder_postcode,
        datum_afgehandeld,
        gegrond,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by klacht_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
