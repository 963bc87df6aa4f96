-- Zaken (PowerBrowser): de actuele versie van elke zaak (sleutel zaaknummer).
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.zaken.
-- kolom zaaknummer: sleutel: zaaknummer in PowerBrowser
-- kolom zaaktype: landelijk VTH-zaaktype, bijv. Controle uitvoeren of Handhavingsbesluit nemen
-- kolom product: productnaam (PDC)
-- kolom taakveld: Vergunningverlening, Toezicht, Handhaving, Advies, Klachten of Overig
-- kolom taakpakket: basistaak, plustaak of facultatief
-- kolom bevoegd_gezag: CBS-code van de deelnemer die bevoegd gezag is (bijv. GM0153, PV23); zie staging.deelnemers
-- kolom inrichting_id: betrokken inrichting (staging.inrichtingen); kan leeg zijn
-- kolom procedure: regulier (8 weken + 6) of uitgebreid (26 weken + 6); leeg = geen van beide
-- kolom datum_ontvangst: datum en tijd van ontvangst (nooit in de toekomst)
-- kolom datum_besluit: datum en tijd van het besluit; leeg = nog geen besluit
-- kolom uiterste_beslisdatum: wettelijke uiterste beslisdatum, zonder opschorting; kan leeg zijn
-- kolom opschorting_dagen: aantal dagen dat de beslistermijn is opgeschort (0-3650); leeg = geen
-- kolom status: open, afgesloten of ingetrokken
-- kolom resultaat: resultaat van de zaak (vrije tekst), bijv. verleend, geweigerd, afgerond
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.zaken
),

final as (
    select
        zaaknummer,
        zaaktype,
        product,
        taakveld,
        taakpakket,
        bevoegd_gezag,
        inrichting_id,
        procedure,
        datum_ontvangst,
        datum_besluit,
        uiterste_beslisdatum,
        opschorting_dagen,
        status,
        resultaat,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by zaaknummer
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
