"""Login, roles from the users list, demo mode and the activity trail, through AppTest
(docs/toegang.md). The identity is what Streamlit reads from its signed login cookie
(`at.user`); the real redirect flow is tests/browser/test_inlog_browser.py."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.runtime.media_file_storage import MediaFileStorageError

from dashboard.navigation import PAGES
from dashboard.viewer import Viewer
from pipelines.build import read_reference
from tests.dashboard.conftest import (
    AUTH_SECRETS,
    add_user,
    downloaded,
    logged_in,
    new_app,
    open_page,
    texts,
)
from vthmonitor.settings import Settings
from vthmonitor.toegang import Gebruiker, Toegang


@pytest.fixture
def state_file(lake_env, tmp_path, monkeypatch):
    """Each test its own app-state database (users list, activity trail)."""
    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("VTHMONITOR_APP_STATE", str(path))
    return path


def trail() -> list[tuple]:
    frame = Toegang(Settings.from_env()).activiteit()
    return frame.select("gebruiker", "actie", "pagina", "deelnemers").rows()


def shows_no_data(at) -> bool:
    return not at.dataframe and not at.metric and not at.get("vega_lite_chart")


def test_not_logged_in_sees_a_login_button_and_no_data(state_file):
    at = new_app()
    at.secrets = AUTH_SECRETS
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Inloggen"]
    assert shows_no_data(at)


def test_an_unknown_identity_gets_no_data_and_is_told_whom_to_ask(state_file, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_BEHEERDER", "beheer@odtwente.nl")
    at = logged_in(new_app(), "vreemde@example.com")
    at.query_params["demo"] = "demo-mt"  # demo mode does not exist with a provider
    at.session_state["demo_gebruiker"] = "demo-mt"
    at.run()
    assert not at.exception
    assert "vreemde@example.com" in at.error[0].value
    assert "beheer@odtwente.nl" in at.error[0].value
    assert shows_no_data(at)
    assert "Overzicht" not in [t.value for t in at.title]
    assert trail() == [("vreemde@example.com", "geweigerd", None, None)]


def test_each_role_gets_its_own_pages(state_file):
    at = open_page(None, "accounthouder", "GM0164")
    assert at.title[0].value == "Deelnemer Hengelo"
    sidebar = [m.value for m in at.sidebar.markdown]
    assert any("Ingelogd als" in m for m in sidebar)
    # the menu: the groups of the pages this role may open, each page a link
    assert [m for m in sidebar if m.startswith("**") and m.endswith("**")] == [
        "**Overleg**",
        "**Trends en normen**",
        "**Gegevens en beheer**",
    ]
    links = [e.proto.label for e in at.sidebar.get("page_link")]
    assert links == ["Deelnemer", "Robuustheid", "Verbeterplan", "Datakwaliteit"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/overzicht.py").run()
    beheerder = open_page("beheer", "beheerder")
    assert beheerder.title[0].value == "Beheer"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page("beheer", "mt")


def test_forged_session_state_does_not_change_who_you_are(state_file):
    at = logged_in(new_app(), add_user("accounthouder", "GM0164"))
    at.session_state["_viewer"] = Viewer(role="mt")
    at.session_state["viewer_role"] = "mt"
    at.session_state["demo_gebruiker"] = "demo-mt"
    at.query_params["deelnemer"] = "GM0153"
    at.run()
    assert at.title[0].value == "Deelnemer Hengelo"
    assert at.session_state["_viewer"].role == "accounthouder"
    assert "Enschede" not in texts(at)


def test_a_disabled_user_is_logged_out_at_the_next_run(state_file):
    ident = add_user("mt")
    at = logged_in(new_app(), ident).run()
    assert at.title[0].value == "Overzicht"
    settings = Settings.from_env()
    Toegang(settings).opslaan(Gebruiker(ident, ident, "mt", (), actief=False), "test", [])
    at.run()
    assert not at.user.get("is_logged_in")  # st.logout() ran ...
    assert shows_no_data(at) and not at.title  # ... and nothing more of this run
    assert [(g, a) for g, a, _, _ in trail()][:2] == [(ident, "uitloggen"), ("test", "beheer")]


def test_the_role_survives_a_reload(state_file):
    ident = add_user("accounthouder", "GM0153")
    for _ in range(2):  # a reload is a new session with the same cookie
        at = logged_in(new_app(), ident).run()
        assert at.title[0].value == "Deelnemer Enschede"
    assert [a for _, a, _, _ in trail()].count("inloggen") == 2


def test_login_page_views_and_downloads_are_in_the_trail(state_file, media):
    at = open_page("deelnemer", "accounthouder", "GM0153")
    key = next(b.key for b in at.get("download_button") if b.key.endswith("-csv"))
    downloaded(at, media, key)
    ident = "accounthouder-gm0153"
    rows = trail()
    assert rows[0][:2] == (ident, "download") and rows[0][3] == "GM0153"
    assert (ident, "pagina", "Deelnemer", "GM0153") in rows
    assert (ident, "inloggen", None, None) in rows
    # one line per view, not per rerun
    at.run()
    assert len(trail()) == len(rows)


def test_the_beheerder_adds_a_user_who_then_logs_in_with_that_role(state_file):
    at = open_page("beheer", "beheerder")
    at.text_input(key="beheer_email").input("Nieuw@OdTwente.nl")
    at.text_input(key="beheer_naam").input("Nieuwe accounthouder")
    at.selectbox(key="beheer_rol").set_value("accounthouder")
    at.multiselect(key="beheer_deelnemers").set_value(["GM0141"])
    at.button[0].click()  # the form's submit button
    at.run()
    assert not at.exception
    users = Toegang(Settings.from_env()).gebruiker("nieuw@odtwente.nl")
    assert (users.rol, users.deelnemers) == ("accounthouder", ("GM0141",))
    nieuw = logged_in(new_app(), "nieuw@odtwente.nl").run()
    assert nieuw.title[0].value.startswith("Deelnemer ")
    assert "GM0141" in nieuw.session_state["_viewer"].deelnemers


def test_an_accounthouder_without_deelnemer_is_refused_on_the_beheer_page(state_file):
    at = open_page("beheer", "beheerder")
    at.text_input(key="beheer_email").input("ah@odtwente.nl")
    at.selectbox(key="beheer_rol").set_value("accounthouder")
    at.button[0].click()
    at.run()
    assert "ten minste één deelnemer" in at.error[0].value
    assert Toegang(Settings.from_env()).gebruiker("ah@odtwente.nl") is None


def test_the_beheerder_finds_who_downloaded_enschedes_rows(state_file, media):
    at = open_page("deelnemer", "accounthouder", "GM0153")
    key = next(b.key for b in at.get("download_button") if b.key.endswith("-xlsx"))
    downloaded(at, media, key)
    open_page("deelnemer", "accounthouder", "GM0164")  # someone else, another deelnemer
    beheer = open_page("beheer", "beheerder")
    beheer.selectbox(key="log_actie").set_value("download").run()
    beheer.selectbox(key="log_deelnemer").set_value("GM0153").run()
    log = next(d.value for d in beheer.dataframe if "Actie" in d.value.columns)
    assert list(log["Gebruiker"]) == ["accounthouder-gm0153"]
    assert list(log["Actie"]) == ["download"]
    assert log["Omschrijving"][0].endswith(".xlsx")


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("VTHMONITOR_DEMO", "1")


def test_without_a_provider_and_without_demo_mode_nothing_is_shown(state_file):
    at = new_app()
    at.query_params["demo"] = "demo-beheerder"
    at.run()
    assert not at.exception
    assert "geen inlog ingericht" in at.error[0].value
    assert shows_no_data(at) and not at.sidebar.selectbox


def test_an_unreadable_secrets_file_never_opens_demo_mode(state_file, demo, tmp_path, monkeypatch):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[auth]\nredirect_uri = "http://x\n')
    monkeypatch.chdir(tmp_path)  # Streamlit reads .streamlit/secrets.toml from here
    st.secrets._reset()
    try:
        at = new_app()
        at.query_params["demo"] = "demo-beheerder"
        at.run()
    finally:
        monkeypatch.undo()
        st.secrets._reset()
    assert not at.exception
    assert "niet te lezen" in at.error[0].value
    assert shows_no_data(at) and not at.sidebar.selectbox


def test_demo_mode_is_refused_beside_a_real_beheerder(state_file, demo, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_BEHEERDER", "beheer@odtwente.nl")
    at = new_app()
    at.query_params["demo"] = "demo-beheerder"
    at.run()
    assert "VTHMONITOR_DEMO" in at.error[0].value and shows_no_data(at)


def test_demo_mode_without_a_provider_asks_for_a_demo_user_and_shows_nothing_before(
    state_file, demo
):
    at = new_app().run()
    assert not at.exception
    assert "Demomodus" in at.sidebar.info[0].value
    assert shows_no_data(at)
    at.selectbox(key="demo_gebruiker").set_value("demo-accounthouder-hengelo").run()
    assert at.title[0].value == "Deelnemer Hengelo"
    assert at.query_params["demo"] == "demo-accounthouder-hengelo"


def test_demo_user_survives_a_reload_through_the_url(state_file, demo):
    at = new_app()
    at.query_params["demo"] = "demo-accounthouder-enschede"
    at.run()
    assert at.title[0].value == "Deelnemer Enschede"
    unknown = new_app()
    unknown.query_params["demo"] = "mt"  # not a demo user: no fallback to any role
    unknown.run()
    assert shows_no_data(unknown)


def test_a_link_reopens_the_same_view(state_file):
    at = open_page(
        "deelnemer", "mt", query={"deelnemer": "GM0153", "soort": "kwartaal", "periode": "2025-Q4"}
    )
    assert at.title[0].value == "Deelnemer Enschede"
    assert at.segmented_control(key="deelnemer_periode_type").value == "kwartaal"
    assert at.selectbox(key="deelnemer_periode_kwartaal").value == "2025-Q4"
    # the URL follows the selection, so copying it hands the new view on
    at.selectbox(key="deelnemer_periode_kwartaal").set_value("2025-Q3").run()
    assert at.query_params["periode"] == "2025-Q3"
    link = dict(at.query_params)
    again = open_page("deelnemer", "mt", query=link)
    assert again.selectbox(key="deelnemer_periode_kwartaal").value == "2025-Q3"
    assert again.title[0].value == "Deelnemer Enschede"


def test_a_link_reopens_the_overzicht_for_that_period(state_file):
    at = open_page("overzicht", "mt", query={"soort": "jaar", "periode": "2024"})
    assert at.radio(key="overzicht_periode_type").value == "jaar"
    assert at.selectbox(key="overzicht_periode_jaar").value == "2024"
    at.radio(key="overzicht_periode_type").set_value("kwartaal").run()
    assert at.query_params["soort"] == "kwartaal"
    again = open_page("overzicht", "mt", query=dict(at.query_params))
    assert again.selectbox(key="overzicht_periode_kwartaal").value == at.query_params["periode"]


@pytest.mark.parametrize("page", ["naleving", "klachten"])
def test_a_link_reopens_a_trend_page_with_its_deelnemers_period_type_and_detail(state_file, page):
    at = open_page(page, "mt")
    at.multiselect(key=f"{page}_deelnemers").set_value(["GM0153", "GM0164"]).run()
    at.radio(key=f"{page}_periode_type").set_value("kwartaal").run()
    at.selectbox(key=f"{page}_detail").set_value("GM0164").run()
    jaren = at.selectbox(key=f"{page}_jaar").options
    at.selectbox(key=f"{page}_jaar").set_value(int(jaren[-1])).run()
    assert dict(at.query_params) == {
        "deelnemers": "GM0153,GM0164",
        "soort": "kwartaal",
        "detail": "GM0164",
        "jaar": jaren[-1],
    }
    again = open_page(page, "analist", query=dict(at.query_params))
    assert not again.exception
    # no refusal of the link (the only warning is the TOP-X list's "intern" notice)
    assert not [w for w in again.warning if "Deze link" in w.value]
    assert again.multiselect(key=f"{page}_deelnemers").value == ["GM0153", "GM0164"]
    assert again.radio(key=f"{page}_periode_type").value == "kwartaal"
    assert again.selectbox(key=f"{page}_detail").value == "GM0164"
    assert again.selectbox(key=f"{page}_jaar").value == int(jaren[-1])


def test_a_link_to_an_unknown_deelnemer_on_a_trend_page_keeps_only_the_known_ones(state_file):
    at = open_page("klachten", "mt", query={"deelnemers": "GM9999,GM0153", "soort": "maand"})
    assert "(GM9999)" in at.warning[0].value
    assert at.multiselect(key="klachten_deelnemers").value == ["GM0153"]
    assert at.radio(key="klachten_periode_type").value == "maand"
    assert at.query_params["deelnemers"] == "GM0153"
    assert ("mt", "geweigerd", "Klachten", "GM9999") in trail()


def test_a_link_reopens_hr_financien_with_its_period_type_and_peildatum(state_file):
    at = open_page("hr_financien", "mt")
    assert dict(at.query_params) == {"soort": "jaar", "peildatum": "2025-12-31"}
    again = open_page("hr_financien", "mt", query={"soort": "kwartaal", "peildatum": "2023-06-30"})
    assert not again.exception and not again.warning
    assert again.get("segmented_control")[0].value == "kwartaal"
    assert again.selectbox(key="hr_peildatum").value.isoformat() == "2023-06-30"
    assert dict(again.query_params) == {"soort": "kwartaal", "peildatum": "2023-06-30"}


def test_a_link_to_another_deelnemer_gives_a_dutch_message_and_no_data(state_file):
    at = open_page(
        "deelnemer",
        "accounthouder",
        "GM0141",
        query={"deelnemer": "GM0153", "soort": "jaar", "periode": "2025"},
    )
    assert not at.exception
    assert "niet onder uw rechten valt" in at.warning[0].value
    assert at.title[0].value != "Deelnemer Enschede"
    assert "Enschede" not in texts(at)
    assert at.query_params["deelnemer"] == "GM0141"  # the URL now names what is shown
    assert ("accounthouder-gm0141", "geweigerd", "Deelnemer", "GM0153") in trail()


def test_datakwaliteit_shows_an_accounthouder_no_file_names_or_messages(state_file, media):
    def ladingen(at):
        return next(d.value for d in at.dataframe if "Bestand" in d.value.columns)

    mt = ladingen(open_page("datakwaliteit", "mt"))
    assert any(name.endswith((".csv", ".xlsx")) for name in mt["Bestand"])
    at = open_page("datakwaliteit", "accounthouder", "GM0164")
    table = ladingen(at)
    assert set(table["Bestand"]) == {"–"} and set(table["Melding"]) == {"–"}
    assert len(table) == len(mt)  # the counts per file stay
    csv = downloaded(at, media, "ladingen-csv").decode("utf-8-sig")
    assert ".csv" not in csv and ".xlsx" not in csv


def test_a_link_cannot_put_markdown_in_the_warning(state_file):
    at = open_page("deelnemer", "accounthouder", "GM0164", query={"deelnemer": "[Log in](//ev.il)"})
    warning = at.warning[0].value
    assert "](" not in warning and "//ev.il" not in warning
    assert "(Loginevil)" in warning


def test_a_download_is_refused_to_a_user_switched_off_after_the_page_was_drawn(state_file, media):
    ident = add_user("mt")
    at = logged_in(new_app(), ident).run()
    Toegang(Settings.from_env()).opslaan(Gebruiker(ident, ident, "mt", (), False), "test", [])
    # Streamlit answers the browser's request for the file with an error, not the bytes
    with pytest.raises(MediaFileStorageError, match="geen toegang"):
        downloaded(at, media, "overzicht-csv")
    assert "download" not in [a for _, a, _, _ in trail()]


def test_downloads_on_a_trend_page_are_attributed_to_the_deelnemer_in_detail(state_file, media):
    at = open_page("klachten", "mt")
    at.multiselect(key="klachten_deelnemers").set_value(["GM0164"]).run()
    key = "klachten-aard-csv"
    downloaded(at, media, key)
    line = next(r for r in trail() if r[1] == "download")
    assert line[2:] == ("Klachten", "GM0164")
    assert ("mt", "pagina", "Klachten", "GM0164") in trail()


@pytest.mark.slow  # opens every page of the accounthouder and clicks every download on it
def test_the_accounthouder_of_gm0141_gets_no_other_deelnemers_rows_through_any_door(
    state_file, media
):
    """Every page an accounthouder may open, with a crafted link and forged session state, and
    every download on it: no table or file names another deelnemer (docs/toegang.md)."""
    reference = read_reference(Settings.from_env(), "deelnemers", {})
    anderen = {c for c in reference["code"].to_list() if c != "GM0141"}
    andere_namen = {n for c, n in reference.select("code", "naam").rows() if c != "GM0141"}
    pages = [n for n, _, _, roles in PAGES if "accounthouder" in roles]
    assert pages == ["deelnemer", "robuustheid", "verbeterplan", "datakwaliteit"]
    for page in pages:
        at = open_page(page, "accounthouder", "GM0141", query={"deelnemer": "GM0153"})
        at.session_state["deelnemer_keuze"] = "GM0153"
        at.session_state["open_deelnemer"] = "GM0164"
        at.run()
        assert not at.exception, page
        for frame in (d.value for d in at.dataframe):
            cells = {str(v) for v in frame.astype(str).to_numpy().ravel()}
            assert not cells & (anderen | andere_namen), (page, cells & (anderen | andere_namen))
        for button in at.get("download_button"):
            if not button.key.endswith("-csv"):
                continue  # the Excel file holds the same frame
            text = downloaded(at, media, button.key).decode("utf-8-sig")
            cells = {cell for line in text.splitlines() for cell in line.split(";")}
            assert not cells & (anderen | andere_namen), (page, button.key)
