-- Onderbouwing zaken: elke zaak met de datums die bepalen of zij op een dag in de werkvoorraad zit en of zij binnen de wettelijke termijn is besloten, zodat een gebruiker van werkvoorraad_open of binnen_termijn_pct naar de zaken erachter kan doorklikken. Een zaak is open op dag d als datum_ontvangst <= d en (datum_besluit is NULL of > d) en zij niet is ingetrokken: precies de telling van werkvoorraad_open. Zonder persoonsgegevens: geen aanvrager, alleen het nummer van de inrichting.
-- kolom zaaknummer: nummer van de zaak in PowerBrowser
-- kolom deelnemer_code: CBS-code van de deelnemer (bevoegd gezag)
-- kolom zaaktype: zaaktype uit PowerBrowser
-- kolom product: product uit de productenlijst
-- kolom taakveld: taakveld (Vergunningverlening, Toezicht, Handhaving ...)
-- kolom procedure: regulier of uitgebreid; NULL als onbekend
-- kolom inrichting_id: nummer van de inrichting; NULL als de zaak er geen heeft
-- kolom datum_ontvangst: kalenderdag van ontvangst
-- kolom datum_besluit: kalenderdag van het besluit; NULL zolang de zaak open is
-- kolom termijn_einde: uiterste beslisdatum verlengd met de opschorting; NULL als de zaak geen wettelijke termijn heeft
-- kolom status: status in PowerBrowser
-- kolom telt_voor_werkvoorraad: false voor een ingetrokken zaak, die nooit in de werkvoorraad telt
with zaken as (
    select * from staging.zaken
),

final as (
    select
        zaaknummer,
        bevoegd_gezag as deelnemer_code,
        zaaktype,
        product,
        taakveld,
        procedure,
        inrichting_id,
        datum_ontvangst::date as datum_ontvangst,
        datum_besluit::date as datum_besluit,
        uiterste_beslisdatum + coalesce(opschorting_dagen, 0)::integer as termijn_einde,
        status,
        status <> 'ingetrokken' as telt_voor_werkvoorraad
    from zaken
)

select * from final
order by deelnemer_code, datum_ontvangst, zaaknummer
