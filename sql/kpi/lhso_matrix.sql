-- LHSO-matrix: per deelnemer en jaar het aantal controles per LHSO-cel (gevolgen A-D x gedrag 1-4), ingedeeld naar de zwaarste bevinding van elke controle (alleen controles met overtredingen hebben een cel). Alle 16 cellen staan er voor elke deelnemer en elk jaar binnen het bereik van de controledata, ook als het aantal 0 is, zodat de matrix altijd compleet is. Rijen met deelnemer_code TOTAAL zijn de som over alle deelnemers (de hele regio): tel ze niet op bij de deelnemerrijen. De zwaarste cel per periode staat als lhso_zwaarste in kpi.waarden.
-- kolom deelnemer_code: CBS-code van de deelnemer (bevoegd gezag van de controle), of TOTAAL voor alle deelnemers samen
-- kolom jaar: kalenderjaar van datum_controle (een controle op 31-12 om 23:30 hoort bij dat jaar)
-- kolom lhso_gevolgen: LHSO-gevolgen van de cel: A aanzienlijk/onomkeerbaar, B van belang, C beperkt, D vrijwel nihil
-- kolom lhso_gedrag: LHSO-gedrag van de cel: 1 goedwillend, 2 onverschillig, 3 calculerend, 4 bewust en structureel
-- kolom lhso_code: de cel als code, bijv. B3
-- kolom lhso_score: ernst van de cel: 4 x (D=0, C=1, B=2, A=3) + gedrag, dus 1 = D1 (lichtst) ... 16 = A4 (zwaarst); gelijk aan de waarde van lhso_zwaarste
-- kolom aantal_controles: aantal controles in het jaar waarvan de zwaarste bevinding in deze cel valt (actuele versie van elke controle); 0 als er geen zijn
with controles as (
    select
        bevoegd_gezag as deelnemer_code,
        year(datum_controle::date) as jaar,
        lhso_gevolgen,
        lhso_gedrag
    from staging.controles
    -- the contract guarantees a cell exactly when aantal_overtredingen > 0
    where aantal_overtredingen > 0
),

bereik as (
    select min(datum_controle::date) as van, max(datum_controle::date) as tot
    from staging.controles
),

cellen as (
    select
        gevolgen.lhso_gevolgen,
        gedrag.lhso_gedrag,
        gevolgen.lhso_gevolgen || gedrag.lhso_gedrag as lhso_code,
        4 * gevolgen.rang + gedrag.lhso_gedrag::integer as lhso_score
    from (values ('A', 3), ('B', 2), ('C', 1), ('D', 0)) as gevolgen(lhso_gevolgen, rang)
    cross join (values ('1'), ('2'), ('3'), ('4')) as gedrag(lhso_gedrag)
),

-- every deelnemer and TOTAAL x every year that overlaps the controles data x every cell
raster as (
    select dp.deelnemer_code, dp.jaar, cellen.*
    from marts.deelnemer_perioden as dp, bereik
    cross join cellen
    where dp.periode_type = 'jaar' and dp.einde >= bereik.van and dp.begin <= bereik.tot
),

tellingen as (
    select
        coalesce(deelnemer_code, 'TOTAAL') as deelnemer_code,
        jaar,
        lhso_gevolgen,
        lhso_gedrag,
        count(*) as aantal_controles
    from controles
    group by grouping sets (
        (deelnemer_code, jaar, lhso_gevolgen, lhso_gedrag), (jaar, lhso_gevolgen, lhso_gedrag)
    )
),

final as (
    select
        raster.deelnemer_code,
        raster.jaar,
        raster.lhso_gevolgen,
        raster.lhso_gedrag,
        raster.lhso_code,
        raster.lhso_score,
        coalesce(tellingen.aantal_controles, 0) as aantal_controles
    from raster
    left join tellingen using (deelnemer_code, jaar, lhso_gevolgen, lhso_gedrag)
)

select * from final
order by deelnemer_code, jaar, lhso_score desc
