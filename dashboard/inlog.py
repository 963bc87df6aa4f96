"""Who is looking: the login (st.login, OIDC) or, without an identity provider, demo mode
(docs/toegang.md).

- With a provider configured (an [auth] section in .streamlit/secrets.toml) the identity is the
  e-mail claim (else the subject) of the ID token, which Streamlit keeps in a signed cookie; role
  and deelnemers come from the users list in the app-state database. Nothing the browser sends
  (query parameters, widget values) can change who someone is. Demo mode cannot be reached then.
- Without a provider (`make run`) the app says it is a demo and one picks one of the fixed demo
  users; the choice is kept in the URL (?demo=...), so a reload keeps it. Until one is chosen
  the app shows no data: it never falls back to a role by itself.
"""

from __future__ import annotations

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


def provider_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section: then only a login gives access."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all (Streamlit raises its own not-found error)
        return False


def viewer() -> Viewer:
    """The viewer of this run; stops the run (after saying why, in Dutch) when there is none."""
    return _logged_in_viewer() if provider_configured() else _demo_viewer()


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
