-- Verwijderingen: elke sleutel die met 'vthmonitor erase' is verwijderd (een zaak die per vergissing is geregistreerd, een klacht onder een AVG-verzoek), met wie, wanneer en waarom. Rijen met zo'n sleutel staan niet in raw, staging, marts of kpi, en een latere export die de sleutel opnieuw levert, gaat naar quarantaine (docs/verwijderen.md).
-- kolom load_id: id van de lading die de verwijdering vastlegde (zie meta.loads)
-- kolom bron: de bron waaruit verwijderd is, bijv. klachten
-- kolom sleutel: de sleutel als JSON, zoals raw hem bewaart (persoonsgegevens gepseudonimiseerd), bijv. {"klacht_id": "K-2024-0173"}
-- kolom reden: waarom, zoals de beheerder het opgaf (bijv. AVG-verzoek 2026-014)
-- kolom door: gebruikersnaam van wie de verwijdering uitvoerde
-- kolom op: tijdstip van de verwijdering
-- kolom rijen_in_raw: aantal rijen (alle versies) dat bij de verwijdering uit raw werd gehaald
with verwijderingen as (
    select * from raw.verwijderingen
),

final as (
    select load_id, bron, sleutel, reden, door, op, rijen_in_raw
    from verwijderingen
)

select * from final
order by load_id, bron, sleutel
