-- No KPI value outside its unit's range: nothing negative, shares (parts of a whole) at most 100, LHSO scores 1-16, milestones 0 or 1.
select kpi_id, deelnemer_code, periode, waarde
from kpi.waarden
join kpi.catalogus using (kpi_id)
where waarde < 0
    or (
        kpi_id in (
            'naleefpercentage', 'klachten_gegrond_pct', 'klachten_herhaalmelders_pct',
            'binnen_termijn_pct', 'rob_vaste_dienst', 'rob_kwaliteitscriteria', 'rob_mandaat',
            'hr_inhuur_pct', 'rob_innovatiebudget', 'rob_opleidingsbudget'
        )
        and waarde > 100
    )
    or (kpi_id = 'lhso_zwaarste' and (waarde not between 1 and 16 or (waarde is null) <> (waarde_tekst is null)))
    or (kpi_id like 'rob_mijlpaal_%' and waarde not in (0, 1))
    or isnan(waarde)
    or isinf(waarde)
