-- Controles (PowerBrowser): de actuele versie van elke controle (sleutel controle_id). LHSO-score = zwaarste bevinding van die controle.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.controles.
-- kolom controle_id: sleutel: id van de controle in PowerBrowser
-- kolom zaaknummer: zaak waar de controle bij hoort (staging.zaken); kan leeg zijn
-- kolom inrichting_id: gecontroleerde inrichting (staging.inrichtingen)
-- kolom bevoegd_gezag: CBS-code van de deelnemer die bevoegd gezag is (bijv. GM0153, PV23); zie staging.deelnemers
-- kolom datum_controle: datum en tijd van de controle (nooit in de toekomst)
-- kolom soort: periodiek, hercontrole, handhavingscontrole, klachtcontrole, themacontrole of administratief
-- kolom thema: thema van de controle (vrije tekst), bijv. energie, asbest, afval, bodem, ZZS, overig
-- kolom aantal_overtredingen: aantal gevonden overtredingen (geheel getal >= 0)
-- kolom lhso_gevolgen: LHSO-gevolgen zwaarste overtreding: A aanzienlijk, B van belang, C beperkt, D vrijwel nihil; anders leeg
-- kolom lhso_gedrag: LHSO-gedrag zwaarste overtreding: 1 goedwillend, 2 onverschillig, 3 calculerend, 4 bewust; anders leeg
-- kolom energiebesparing_kwh: potentiele besparing in kWh elektriciteit van de gevonden maatregelen (>= 0)
-- kolom energiebesparing_m3_gas: potentiele besparing in m3 aardgas van de gevonden maatregelen (>= 0)
-- kolom toezichthouder_id: pseudoniem (HMAC) van de toezichthouder; nooit de echte waarde; niet te koppelen aan medewerker_id
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.controles
),

final as (
    select
        controle_id,
        zaaknummer,
        inrichting_id,
        bevoegd_gezag,
        datum_controle,
        soort,
        thema,
        aantal_overtredingen,
        lhso_gevolgen,
        lhso_gedrag,
        energiebesparing_kwh,
        energiebesparing_m3_gas,
        toezichthouder_id,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by controle_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
