-- Handhavingsbesluiten (PowerBrowser): de actuele versie van elk besluit (sleutel besluit_id). Bedragen in EUR.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.handhaving.
-- kolom besluit_id: sleutel: id van het handhavingsbesluit in PowerBrowser
-- kolom zaaknummer: zaak waar het besluit bij hoort (staging.zaken); kan leeg zijn
-- kolom inrichting_id: inrichting waartegen gehandhaafd wordt (staging.inrichtingen)
-- kolom bevoegd_gezag: CBS-code van de deelnemer die bevoegd gezag is (bijv. GM0153, PV23); zie staging.deelnemers
-- kolom datum_besluit: datum en tijd van het besluit (nooit in de toekomst)
-- kolom instrument: waarschuwing, voornemen, last_onder_dwangsom, last_onder_bestuursdwang, bestuurlijke_boete, stillegging, intrekking; strafrechtelijk spoor: bsbm, proces_verbaal, strafbeschikking
-- kolom lhso_gevolgen: LHSO-gevolgen: A aanzienlijk/onomkeerbaar, B van belang, C beperkt, D vrijwel nihil; kan leeg zijn
-- kolom lhso_gedrag: LHSO-gedrag: 1 goedwillend, 2 onverschillig, 3 calculerend, 4 bewust en structureel; kan leeg zijn
-- kolom dwangsom_bedrag: opgelegde dwangsom in EUR (>= 0); leeg = geen dwangsom
-- kolom verbeurd_bedrag: verbeurde dwangsom in EUR (>= 0)
-- kolom ingevorderd_bedrag: daadwerkelijk ingevorderd bedrag in EUR (>= 0)
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.handhaving
),

final as (
    select
        besluit_id,
        zaaknummer,
        inrichting_id,
        bevoegd_gezag,
        datum_besluit,
        instrument,
        lhso_gevolgen,
        lhso_gedrag,
        dwangsom_bedrag,
        verbeurd_bedrag,
        ingevorderd_bedrag,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by besluit_id
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
