-- Uitvoeringsprogramma: gepland aantal producten en uren per jaar, deelnemer en product.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.programma.
-- kolom jaar: programmajaar (2000-2100)
-- kolom deelnemer: CBS-code van de deelnemer (bijv. GM0153, PV23)
-- kolom product: productnaam (PDC), zoals in staging.zaken.product
-- kolom gepland_aantal: gepland aantal producten (geheel getal >= 0)
-- kolom geplande_uren: geplande uren (>= 0); leeg = niet opgegeven
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.programma
),

final as (
    select
        jaar,
        deelnemer,
        product,
        gepland_aantal,
        geplande_uren,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by jaar, deelnemer, product
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
