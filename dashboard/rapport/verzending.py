"""E-mail of the monthly reports and of the alerts after a load (docs/rapport.md).

Who gets what is decided now, from the users list: a subscription names a user, and the user's
role and deelnemers as they are today decide what they receive (an accounthouder only their own
deelnemer; a user switched off gets nothing). Every message sent is written in the activity
trail (action 'verzonden'), under the recipient, with the deelnemers it concerned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import polars as pl

from dashboard import charts, data
from dashboard.data import TOTAAL
from dashboard.data import overzicht as ov
from dashboard.data.deelnemer import ALLE_KPIS
from dashboard.format import met_eenheid, norm_tekst
from dashboard.rapport import Rapport, RapportFout, maak, periode_type
from dashboard.viewer import ScopeError, Viewer
from vthmonitor.abonnementen import Abonnement, Abonnementen
from vthmonitor.lake import LakePaths, previous_warehouse
from vthmonitor.mail import Bijlage, MailFout, Verzender, bericht
from vthmonitor.settings import Settings
from vthmonitor.toegang import Gebruiker, Toegang

# an alert is about a KPI that got worse: to rood from anything, to oranje from groen or from no
# status (a new period, a KPI that got a norm); rood -> oranje is an improvement, not an alert
SLECHTER = {"oranje": {None, "groen"}, "rood": {None, "groen", "oranje"}}
STATUS_WOORD = {"groen": "groen", "oranje": "oranje", "rood": "rood", None: "geen status"}


@dataclass
class Uitslag:
    verzonden: list[str] = field(default_factory=list)  # one line per message sent
    overgeslagen: list[str] = field(default_factory=list)  # and why not
    fouten: list[str] = field(default_factory=list)


def _viewer(gebruiker: Gebruiker) -> Viewer:
    return Viewer(
        gebruiker.rol, gebruiker.deelnemers, gebruiker=gebruiker.identiteit, naam=gebruiker.naam
    )


def _ontvanger(toegang: Toegang, abonnement: Abonnement) -> Gebruiker | None:
    gebruiker = toegang.gebruiker(abonnement.identiteit)
    if gebruiker is None or not gebruiker.actief:
        return None
    return gebruiker


# --- the monthly report -----------------------------------------------------------------------
def verzend(
    settings: Settings,
    periode: str | None = None,
    door: str = "vthmonitor verzend",
    melding: Callable[[str], None] = print,
) -> Uitslag:
    """Render and e-mail every report subscription: each subscriber their own deelnemer's
    report of `periode`, or of the newest complete period of the subscription's type. A report
    is rendered once per deelnemer and period, however many receive it."""
    toegang = Toegang(settings)
    abonnementen = Abonnementen(toegang).lijst(soort="rapport")
    uitslag = Uitslag()
    if not abonnementen:
        melding("Er zijn geen abonnementen op het rapport.")
        return uitslag
    gemaakt: dict[tuple[str, str], Rapport] = {}
    with Verzender(settings) as verzender:
        for abonnement in abonnementen:
            wie, code = abonnement.identiteit, abonnement.deelnemer_code or ""
            gebruiker = _ontvanger(toegang, abonnement)
            if gebruiker is None:
                uitslag.overgeslagen.append(f"{wie}: niet (meer) actief in de gebruikerslijst")
                continue
            kies = periode or ov.standaard_periode(abonnement.periode_type, ALLE_KPIS) or ""
            viewer = _viewer(gebruiker)
            # one rendering per deelnemer, period and scope (an accounthouder of several
            # deelnemers gets TOTAAL withheld against all of them: rapport.inhoud)
            sleutel = (code, kies, () if viewer.sees_all else viewer.deelnemers)
            try:
                rapport = gemaakt.get(sleutel)
                if rapport is None:
                    rapport = maak(viewer, code, kies)
                    gemaakt[sleutel] = rapport
                else:  # made for another subscriber: this one must be allowed it too
                    data.allowed(viewer, [code], totaal=False)
            except ScopeError:
                uitslag.overgeslagen.append(f"{wie}: mag de cijfers van {code} niet (meer) zien")
                continue
            except RapportFout as exc:
                uitslag.fouten.append(f"{wie} ({code}): {exc}")
                continue
            except Exception as exc:  # noqa: BLE001 - one report failing stops no other
                uitslag.fouten.append(
                    f"{wie} ({code}): het rapport kon niet worden gemaakt "
                    f"({type(exc).__name__}: {str(exc)[:200]})"
                )
                continue
            if _stuur(
                verzender,
                toegang,
                uitslag,
                gebruiker,
                f"Accountrapport {rapport.naam} {rapport.periode}",
                _rapport_tekst(gebruiker, rapport, settings),
                (Bijlage(rapport.bestandsnaam, rapport.pdf),),
                pagina=door,
                deelnemers=[code],
                selectie={"periode": rapport.periode, "soort": "rapport"},
                omschrijving=f"rapport {rapport.bestandsnaam} per e-mail aan {wie}",
            ):
                melding(f"Verzonden: {wie}: {rapport.bestandsnaam}")
    return uitslag


def _stuur(
    verzender: Verzender,
    toegang: Toegang,
    uitslag: Uitslag,
    gebruiker: Gebruiker,
    onderwerp: str,
    tekst: str,
    bijlagen: tuple[Bijlage, ...] = (),
    **spoor,
) -> bool:
    """Send one message to a user and write it in the activity trail (action 'verzonden',
    under the recipient, `spoor` as its details); a refusal is counted in `uitslag.fouten` and
    stops no one else."""
    try:
        verzender.stuur(
            bericht(verzender.settings, gebruiker.identiteit, onderwerp, tekst, bijlagen)
        )
    except MailFout as exc:
        uitslag.fouten.append(str(exc))
        return False
    toegang.registreer(gebruiker.identiteit, gebruiker.rol, "verzonden", **spoor)
    uitslag.verzonden.append(f"{gebruiker.identiteit}: {spoor.get('omschrijving', '')}")
    return True


def _rapport_tekst(gebruiker: Gebruiker, rapport: Rapport, settings: Settings) -> str:
    link = _link(settings, rapport.code, rapport.periode)
    return (
        f"Beste {gebruiker.naam or gebruiker.identiteit},\n\n"
        f"In de bijlage staat het accountrapport van {rapport.naam} over {rapport.periode}, "
        "voor het accountoverleg.\n\n"
        f"De cijfers in het dashboard: {link}\n\n"
        "U krijgt dit bericht omdat u geabonneerd bent op dit rapport. Opzeggen kan op de pagina "
        "Deelnemer van de VTH-monitor, of via de beheerder.\n\n"
        "VTH-monitor\n"
    )


def _link(settings: Settings, code: str, periode: str) -> str:
    if code == TOTAAL:
        return f"{settings.app_url}/overzicht"
    query = urlencode({"deelnemer": code, "soort": periode_type(periode), "periode": periode})
    return f"{settings.app_url}/deelnemer?{query}"


# --- alerts after a load ----------------------------------------------------------------------
def veranderd(vorige: pl.DataFrame, nu: pl.DataFrame) -> pl.DataFrame:
    """The KPI values whose status got worse since the previous run (SLECHTER): nu's rows
    with `vorige_status` (NULL: no status then). Pure, so it is tested on its own."""
    sleutel = ["kpi_id", "deelnemer_code", "periode_type", "periode"]
    samen = nu.join(
        vorige.select(*sleutel, pl.col("status").alias("vorige_status")), on=sleutel, how="left"
    )
    voorwaarde = pl.lit(False)
    for status, van in SLECHTER.items():
        eerdere = [s for s in van if s is not None]
        voorwaarde = voorwaarde | (
            (pl.col("status") == status)
            & (pl.col("vorige_status").is_in(eerdere) | pl.col("vorige_status").is_null())
        )
    return samen.filter(voorwaarde).sort("deelnemer_code", "kpi_id", "periode")


def signaleer(
    settings: Settings,
    door: str = "vthmonitor signaleer",
    melding: Callable[[str], None] = print,
) -> Uitslag:
    """Compare every KPI status with the previous run and e-mail each alert subscriber the KPIs
    that turned red or orange within their scope. The first run only remembers the statuses.
    When the mail server cannot be reached, nothing is remembered, so the next run compares
    again; a recipient the server refuses is reported and not retried."""
    toegang = Toegang(settings)
    store = Abonnementen(toegang)
    build_id = data.build()["build_id"]
    alles = Viewer("beheerder", gebruiker="signalen")  # read all; each recipient's scope below
    nu = data.kpi_statussen(alles)
    vorige = store.vorige_statussen()
    uitslag = Uitslag()
    if vorige is None:
        # no run remembered statuses yet: compare with the previous build, while it is kept
        vorig_bestand = previous_warehouse(LakePaths(settings.lake_dir))
        if vorig_bestand is not None and vorig_bestand.stem != build_id:
            vorige = data.kpi_statussen_van(
                Viewer("beheerder", gebruiker="signalen"), vorig_bestand
            )
    if vorige is None:
        store.statussen_opslaan(nu, build_id)
        melding(
            "Signalen: de eerste stand van de statussen is vastgelegd; vanaf de volgende "
            "lading krijgen abonnees bericht van wat rood of oranje wordt."
        )
        return uitslag
    if "build_id" in vorige.columns and vorige.height and vorige["build_id"][0] == build_id:
        melding("Signalen: deze stand is al vergeleken; er is niets nieuws.")
        return uitslag
    wijzigingen = veranderd(vorige, nu)
    abonnementen = store.lijst(soort="signalen")
    if wijzigingen.height and abonnementen:
        with Verzender(settings) as verzender:
            for ident, eigen in _per_ontvanger(abonnementen).items():
                gebruiker = toegang.gebruiker(ident)
                if gebruiker is None or not gebruiker.actief:
                    uitslag.overgeslagen.append(
                        f"{ident}: niet (meer) actief in de gebruikerslijst"
                    )
                    continue
                lijst = _binnen_bereik(_viewer(gebruiker), wijzigingen, eigen)
                if lijst.height == 0:
                    continue
                if _stuur(
                    verzender,
                    toegang,
                    uitslag,
                    gebruiker,
                    _signaal_onderwerp(lijst),
                    _signaal_tekst(gebruiker, lijst, settings),
                    pagina=door,
                    deelnemers=sorted(set(lijst["deelnemer_code"].to_list())),
                    selectie={"soort": "signalen", "build": build_id},
                    omschrijving=f"signaal per e-mail aan {ident}: {lijst.height} "
                    "kengetal(len) rood of oranje geworden",
                    rijen=lijst.height,
                ):
                    melding(f"Verzonden: signaal aan {ident} ({lijst.height} kengetallen)")
    # Remembered even when the server refused a recipient: otherwise every later load would
    # send these alerts again to everyone. The refusal is reported (exit code 1) so the
    # beheerder can fix the address; a server that cannot be reached at all raised MailFout
    # above, and then nothing is remembered and the next run compares again.
    store.statussen_opslaan(nu, build_id)
    melding(
        f"Signalen: {wijzigingen.height} kengetal(len) rood of oranje geworden; "
        f"{len(uitslag.verzonden)} bericht(en) verzonden."
    )
    return uitslag


def _per_ontvanger(abonnementen: list[Abonnement]) -> dict[str, set[str] | None]:
    """Per user the deelnemers of their alert subscriptions (None: every one in scope)."""
    per: dict[str, set[str] | None] = {}
    for a in abonnementen:
        if a.deelnemer_code is None or per.get(a.identiteit, set()) is None:
            per[a.identiteit] = None
        else:
            per.setdefault(a.identiteit, set()).add(a.deelnemer_code)
    return per


def _binnen_bereik(
    viewer: Viewer, wijzigingen: pl.DataFrame, eigen: set[str] | None
) -> pl.DataFrame:
    """The changes this user may see (data.allowed: an accounthouder only their own deelnemers,
    never TOTAAL) and asked for."""
    bereik = set(data.allowed(viewer, totaal=viewer.sees_all))
    if eigen is not None:
        bereik &= eigen
    return wijzigingen.filter(pl.col("deelnemer_code").is_in(sorted(bereik)))


def _signaal_onderwerp(lijst: pl.DataFrame) -> str:
    rood = lijst.filter(pl.col("status") == "rood").height
    oranje = lijst.height - rood
    delen = [f"{rood} rood" if rood else "", f"{oranje} oranje" if oranje else ""]
    return f"VTH-monitor: {' en '.join(d for d in delen if d)} na de laatste lading"


def _signaal_tekst(gebruiker: Gebruiker, lijst: pl.DataFrame, settings: Settings) -> str:
    namen = data.names()
    info = data.kpi_info()
    labels = charts.status_labels(data.oranje_marge())
    regels = []
    for r in lijst.iter_rows(named=True):
        eenheid = info.get(r["kpi_id"], {}).get("eenheid")
        waarde = r["waarde_tekst"] or met_eenheid(r["waarde"], eenheid)
        onvolledig = " (onvolledige periode)" if r["dekking"] == "onvolledig" else ""
        regels.append(
            f"- {namen.get(r['deelnemer_code'], r['deelnemer_code'])} · "
            f"{info.get(r['kpi_id'], {}).get('naam', r['kpi_id'])} · {r['periode']}{onvolledig}\n"
            f"  waarde {waarde}; {labels[r['status']]} "
            f"(norm {norm_tekst(r['operator'], r['norm'], eenheid)}); "
            f"was {STATUS_WOORD.get(r['vorige_status'], r['vorige_status'])}\n"
            f"  {_link(settings, r['deelnemer_code'], r['periode'])}"
        )
    return (
        f"Beste {gebruiker.naam or gebruiker.identiteit},\n\n"
        "Na de laatste lading van de VTH-monitor zijn deze kengetallen rood of oranje geworden:\n\n"
        + "\n".join(regels)
        + "\n\nRood: de norm is niet gehaald; oranje: niet gehaald, maar binnen de marge. "
        "U krijgt dit bericht omdat u geabonneerd bent op signalen; opzeggen kan op de pagina "
        "Deelnemer of via de beheerder.\n\nVTH-monitor\n"
    )
