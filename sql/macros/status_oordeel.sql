-- Statusregel: het oordeel over een waarde ten opzichte van een norm, de enige plek van deze regel (docs/kpis.md, "Norm and status"). groen = norm gehaald; oranje = niet gehaald maar binnen de marge (relatief: marge x |norm|); rood = verder weg. marge is staging.statusregel.oranje_marge_pct / 100. kpi.waarden en kpi.stand_robuustheid gebruiken deze regel; zonder norm of waarde geven zij zelf geen_norm of NULL.
create or replace macro status_oordeel(waarde, operator, norm, marge) as
    case
        when operator = '>=' then
            case
                when waarde >= norm then 'groen'
                when waarde >= norm - abs(norm) * marge then 'oranje'
                else 'rood'
            end
        when operator = '<=' then
            case
                when waarde <= norm then 'groen'
                when waarde <= norm + abs(norm) * marge then 'oranje'
                else 'rood'
            end
        else
            case
                when waarde = norm then 'groen'
                when abs(waarde - norm) <= abs(norm) * marge then 'oranje'
                else 'rood'
            end
    end
