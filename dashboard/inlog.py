"""Who is looking: the login (st.login, OIDC) or, without an identity provider, demo mode
(docs/toegang.md).

- With a provider configured (an [auth] section in .streamlit/secrets.toml) the identity is the
  e-mail claim (else the subject) of the ID token, which Streamlit keeps in a signed cookie; role
  and deelnemers come from the users list in the app-state database. Nothing the browser sends
  (query parameters, widget values) can change who someone is. Demo mode cannot be reached then.
- Without a provider and with VTHMONITOR_DEMO=1 (`make run`) the app says it is a demo and one
  picks one of the fixed demo users; the choice is kept in the URL (?demo=...), so a reload
  keeps it. Until one is chosen the app shows no data: it never falls back to a role by itself.
- Without a provider and without VTHMONITOR_DEMO, or with a secrets file that cannot be read,
  the app shows no data at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NoReturn

import streamlit as st

from dashboard.data import toegang
from dashboard.viewer import ROLES, Viewer
from vthmonitor.toegang import Gebruiker, ToegangFout, identiteit

DEMO_PARAM = "demo"
DEMO_NOTICE = (
    "**Demomodus** — er is geen inlog ingericht. Kies hieronder een demogebruiker; de rechten "
    "van die rol (welke pagina's en deelnemers u ziet) worden door de app afgedwongen."
)
# Fixed demo users (docs/toegang.md): one per role, two accounthouders to see the scoping.
DEMO_GEBRUIKERS: dict[str, Gebruiker] = {
    g.identiteit: g
    for g in (
        Gebruiker("demo-mt", "Demo MT", "mt"),
        Gebruiker(
            "demo-accounthouder-hengelo", "Demo accounthouder Hengelo", "accounthouder", ("GM0164",)
        ),
        Gebruiker(
            "demo-accounthouder-enschede",
            "Demo accounthouder Enschede",
            "accounthouder",
            ("GM0153",),
        ),
        Gebruiker("demo-analist", "Demo analist", "analist"),
        Gebruiker("demo-beheerder", "Demo beheerder", "beheerder"),
    )
}


class LoginMisconfigured(Exception):
    """The secrets file exists but cannot be read: the app refuses to run rather than guess."""


def provider_configured() -> bool:
    """True when the secrets hold an [auth] section: then only a login gives access. A secrets
    file that exists but cannot be read raises LoginMisconfigured: never fall back to demo
    mode because of a typo (docs/toegang.md)."""
    try:
        return "auth" in st.secrets
    except Exception as exc:  # Streamlit raises one error for a missing and a broken file
        files = [Path(p) for p in st.get_option("secrets.files")]
        if any(p.exists() for p in files):
            raise LoginMisconfigured(str(exc)) from None
        return False


def viewer() -> Viewer:
    """The viewer of this run; stops the run (after saying why, in Dutch) when there is none."""
    try:
        login = provider_configured()
    except LoginMisconfigured:
        _stop_with(
            "Het bestand .streamlit/secrets.toml bestaat maar is niet te lezen (een tikfout in "
            "de TOML, of geen leesrecht). Zonder geldige inlog toont de monitor niets; laat de "
            "beheerder het bestand nakijken (README, Inloggen)."
        )
    if login:
        return _logged_in_viewer()
    settings = toegang.settings()
    if not settings.demo:
        _stop_with(
            "Er is geen inlog ingericht, dus de monitor toont niets. Zet de inlogprovider in "
            ".streamlit/secrets.toml (README, Inloggen), of start voor een demonstratie met "
            "VTHMONITOR_DEMO=1 (zoals make run doet)."
        )
    if settings.beheerder_bootstrap:
        _stop_with(
            "VTHMONITOR_DEMO staat aan terwijl VTHMONITOR_BEHEERDER een echte beheerder noemt: "
            "de demomodus is er niet voor een echte installatie. Richt de inlog in of zet "
            "VTHMONITOR_DEMO uit."
        )
    return _demo_viewer()


def _stop_with(message: str) -> NoReturn:
    st.title("VTH-monitor")
    st.error(message, icon=":material/lock:")
    st.stop()


def _as_viewer(gebruiker: Gebruiker) -> Viewer:
    deelnemers = gebruiker.deelnemers if gebruiker.rol == "accounthouder" else ()
    return Viewer(
        role=gebruiker.rol,
        deelnemers=deelnemers,
        gebruiker=gebruiker.identiteit,
        naam=gebruiker.naam or gebruiker.identiteit,
    )


def _claimed_identity() -> str | None:
    for claim in ("email", "sub"):
        value = st.user.get(claim)
        if value:
            try:
                return identiteit(str(value))
            except ToegangFout:
                return None
    return None


def _logged_in_viewer() -> Viewer:
    if not st.user.is_logged_in:
        st.title("VTH-monitor")
        st.markdown(
            "Log in met uw account van de organisatie om de monitor te openen. Welke pagina's "
            "en deelnemers u ziet, hangt af van de rol die de beheerder u gaf."
        )
        st.button("Inloggen", on_click=st.login, type="primary", key="inloggen")
        st.stop()
    ident = _claimed_identity()
    gebruiker = toegang.gebruiker(ident) if ident else None
    if gebruiker is not None and _login_too_old():
        toegang.registreer(_as_viewer(gebruiker), "uitloggen", omschrijving="inlog verlopen")
        _log_out()
    if gebruiker is not None and not gebruiker.actief:
        toegang.registreer(_as_viewer(gebruiker), "uitloggen", omschrijving="account uitgeschakeld")
        _log_out()
    if gebruiker is None:
        _no_access(ident)
    chosen = _as_viewer(gebruiker)
    if st.session_state.get("_ingelogd") != chosen.gebruiker:
        st.session_state["_ingelogd"] = chosen.gebruiker
        toegang.registreer(chosen, "inloggen")
    with st.sidebar:
        st.markdown(f"Ingelogd als **{chosen.naam}** ({ROLES[chosen.role]})")
        if st.button("Uitloggen", key="uitloggen", icon=":material/logout:"):
            toegang.registreer(chosen, "uitloggen")
            _log_out()
    return chosen


def _log_out() -> None:
    """End the login and this run: st.logout() only clears the identity and sends the browser
    to the provider's logout; the rest of the script must not run as the old user."""
    st.session_state.pop("_viewer", None)
    st.session_state.pop("_ingelogd", None)
    st.logout()
    st.stop()


def _login_too_old() -> bool:
    """The ID token was issued longer ago than VTHMONITOR_INLOG_UREN: log in again, so that
    someone switched off at the identity provider loses access within hours, not after the
    30 days of Streamlit's login cookie."""
    issued = st.user.get("iat")
    if not isinstance(issued, int | float):
        return False
    age = dt.datetime.now(dt.UTC).timestamp() - float(issued)
    return age > toegang.settings().inlog_uren * 3600


def still_allowed(viewer_: Viewer) -> bool:
    """Whether this viewer may still do what the page offered when it was drawn (a download
    made on click runs without a new run of the page): same role and deelnemers, active."""
    if viewer_.gebruiker in DEMO_GEBRUIKERS:
        return toegang.settings().demo
    now = toegang.gebruiker(viewer_.gebruiker)
    return (
        now is not None
        and now.actief
        and now.rol == viewer_.role
        and (now.rol != "accounthouder" or set(viewer_.deelnemers) <= set(now.deelnemers))
    )


def _no_access(ident: str | None) -> None:
    contact = toegang.settings().beheerder_bootstrap
    wie = f"de beheerder van VTH-monitor ({contact})" if contact else "de beheerder van VTH-monitor"
    st.title("VTH-monitor")
    if ident is None:
        st.error(
            "Uw inlog gaf geen e-mailadres of gebruikers-id door, dus de monitor weet niet wie "
            f"u bent. Vraag {wie} om de inlog na te kijken."
        )
    else:
        st.error(
            f"Uw account ({ident}) heeft (nog) geen toegang tot VTH-monitor. Vraag {wie} om u "
            "toe te voegen, met de rol en de deelnemers die u nodig hebt."
        )
        if st.session_state.get("_geweigerd") != ident:
            st.session_state["_geweigerd"] = ident
            toegang.registreer(
                Viewer(role="onbekend", gebruiker=ident),
                "geweigerd",
                omschrijving="onbekende identiteit",
            )
    if st.button("Uitloggen", key="uitloggen_onbekend"):
        _log_out()
    st.stop()


def _demo_viewer() -> Viewer:
    options = list(DEMO_GEBRUIKERS)
    asked = st.query_params.get(DEMO_PARAM)
    with st.sidebar:
        st.info(DEMO_NOTICE)
        keuze = st.selectbox(
            "Demogebruiker",
            options,
            index=options.index(asked) if asked in DEMO_GEBRUIKERS else None,
            format_func=lambda key: DEMO_GEBRUIKERS[key].naam,
            placeholder="Kies een demogebruiker",
            key="demo_gebruiker",
        )
    if keuze is None:
        st.title("VTH-monitor (demo)")
        st.info("Kies links een demogebruiker om de monitor met de rechten van die rol te zien.")
        st.stop()
    st.query_params[DEMO_PARAM] = keuze  # a reload or a copied link keeps the demo user
    chosen = _as_viewer(DEMO_GEBRUIKERS[keuze])
    if st.session_state.get("_ingelogd") != chosen.gebruiker:
        st.session_state["_ingelogd"] = chosen.gebruiker
        toegang.registreer(chosen, "inloggen", omschrijving="demomodus")
    return chosen
