-- Deze build van het warehouse: wanneer gebouwd, welke ladingen erin zitten en van welke definitie (referentiedata, SQL en bouwcode). Eén rij.
-- kolom build_id: naam van deze build: W<laatste lading>-<tijdstempel>
-- kolom gebouwd_op: tijdstip waarop deze build gemaakt is
-- kolom laatste_load: id van de laatste lading in deze build (bijv. L000012); L000000 = nog geen
-- kolom laadids: ids van alle vastgelegde ladingen die in deze build zitten, oplopend
-- kolom definitie: SHA-256 van referentiedata, SQL en bouwcode; gewijzigd = volledige herbouw
-- kolom definitie_delen: JSON met per referentiebestand, SQL-bestand, de bouwcode en de toegelaten extra kolommen de SHA-256; zo zegt een load welk deel gewijzigd is
with build as (
    select * from raw.build
),

final as (
    select build_id, gebouwd_op, laatste_load, laadids, definitie, definitie_delen from build
)

select * from final
