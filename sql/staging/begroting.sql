-- Begroting (financien): bedragen en uren per jaar, deelnemer (leeg = hele organisatie), taakpakket en post.
-- Een later aangeleverde regel met dezelfde sleutel vervangt de eerdere; alle versies staan in raw.begroting.
-- kolom jaar: begrotingssjaar (2000-2100)
-- kolom deelnemer: CBS-code van de deelnemer (bijv. GM0153, PV23); leeg = hele organisatie
-- kolom taakpakket: basistaken, plustaken, facultatief, spuk of organisatie
-- kolom post: bijdrage, loonsom, opleiding, innovatie, inhuur of overig
-- kolom maand: maand 1-12; in de begroting normaal leeg (jaarbedrag)
-- kolom bedrag: begroot bedrag in EUR
-- kolom uren: begrote uren (>= 0); leeg = niet opgegeven
-- kolom load_id: id van de lading (bijv. L000012) die de actuele versie van deze regel leverde; zie meta.loads
-- kolom bestand: naam van het bestand waaruit de actuele versie komt, zoals aangeleverd
-- kolom regel: regelnummer van deze regel in dat bestand (kopregel = 1; bij Excel de rij in het eerste blad)
with versies as (
    select * from raw.begroting
),

final as (
    select
        jaar,
        maand,
        deelnemer,
        taakpakket,
        post,
        bedrag,
        uren,
        _load_id as load_id,
        _bestand as bestand,
        _regel as regel
    from versies
    -- latest load first; within a load the later file, within a file the later line
    qualify row_number() over (
        partition by jaar, maand, deelnemer, taakpakket, post
        order by _load_id desc, _bestand_seq desc, _regel desc
    ) = 1
)

select * from final
