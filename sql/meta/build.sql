-- Deze build van het warehouse: wanneer gebouwd, welke ladingen erin zitten en van welke definitie (referentiedata, SQL en bouwcode). Eén rij.
-- kolom build_id: naam van deze build: W<laatste lading>-<tijdstempel>
-- kolom gebouwd_op: tijdstip waarop deze build gemaakt is
-- kolom laatste_load: id van de laatste lading in deze build (bijv. L000012); L000000 = nog geen
-- kolom laadids: ids van alle vastgelegde ladingen die in deze build zitten, oplopend
-- kolom definitie: SHA-256 van referentiedata, SQL en bouwcode; gewijzigd = volledige herbouw
with build as (
    select * from raw.build
),

final as (
    select build_id, gebouwd_op, laatste_load, laadids, definitie from build
)

select * from final
