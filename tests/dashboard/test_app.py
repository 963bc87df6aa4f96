"""The app shell and the Datakwaliteit page, for every role."""

from __future__ import annotations

import pytest

from dashboard.format import getal
from tests.dashboard.conftest import new_app, open_page

ROLES = [("mt", None), ("accounthouder", "GM0164"), ("analist", None), ("beheerder", None)]


@pytest.mark.parametrize(("role", "deelnemer"), ROLES)
def test_datakwaliteit_renders_for_every_role(lake_env, role, deelnemer):
    at = open_page("datakwaliteit", role, deelnemer)
    assert not at.exception
    assert at.title[0].value == "Datakwaliteit"
    # freshness is shown on every page
    assert any("Gegevens bijgewerkt op" in c.value for c in at.caption)


def test_datakwaliteit_shows_the_warehouse_row_counts(lake_env, warehouse):
    at = open_page("datakwaliteit", "mt")
    expected = warehouse.execute(
        "select rijen from meta.bronnen_per_deelnemer "
        "where deelnemer_code = 'GM0164' and bron = 'zaken'"
    ).fetchone()[0]
    table = at.dataframe[-1].value
    hengelo = table[table["Deelnemer"] == "Hengelo"]
    assert hengelo["zaken"].iloc[0] == getal(expected)


def test_accounthouder_sees_only_own_deelnemer_rows(lake_env):
    at = open_page("datakwaliteit", "accounthouder", "GM0164")
    table = at.dataframe[-1].value
    assert set(table["Deelnemer"]) == {"Hengelo"}


def test_query_parameters_do_not_change_the_viewer(lake_env):
    at = open_page(
        "datakwaliteit", "accounthouder", "GM0164", query={"deelnemer": "GM0153", "rol": "mt"}
    )
    table = at.dataframe[-1].value
    assert set(table["Deelnemer"]) == {"Hengelo"}


def test_page_without_lake_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("VTHMONITOR_LAKE", str(tmp_path / "leeg"))
    at = new_app(timeout=60).run()
    assert not at.exception
    assert "vthmonitor load" in at.warning[0].value


def test_dutch_number_format():
    assert getal(1234567) == "1.234.567"
    assert getal(1234.5, 1) == "1.234,5"
    assert getal(None) == "–"


def test_app_follows_a_new_load_without_restart(tmp_path, monkeypatch):
    """A load publishes a new build while the app runs: the next page run shows it."""
    import streamlit as st

    from pipelines.load import load
    from tests.conftest import TEST_KEY, TODAY
    from vthmonitor.settings import Settings

    settings = Settings(lake_dir=tmp_path / "lake", pseudonym_key_value=TEST_KEY)
    first = tmp_path / "klachten_2024.csv"
    first.write_text(
        "klacht_id;datum_melding;bevoegd_gezag;aard\nK1;01-02-2024;GM0164;geur\n",
        encoding="utf-8",
    )
    load(settings, [first], today=TODAY)
    monkeypatch.setenv("VTHMONITOR_LAKE", str(settings.lake_dir))
    st.cache_resource.clear()
    st.cache_data.clear()

    at = open_page("datakwaliteit", "mt")
    table = at.dataframe[-1].value
    assert table[table["Deelnemer"] == "Hengelo"]["klachten"].iloc[0] == "1"

    second = tmp_path / "klachten_2025.csv"
    second.write_text(
        "klacht_id;datum_melding;bevoegd_gezag;aard\nK2;01-02-2025;GM0164;geluid\n",
        encoding="utf-8",
    )
    load(settings, [second], today=TODAY)
    at.run()  # the same session, no restart
    table = at.dataframe[-1].value
    assert table[table["Deelnemer"] == "Hengelo"]["klachten"].iloc[0] == "2"
    st.cache_resource.clear()


@pytest.mark.slow  # four builds: a load, a poisoned load and its rebuild, an erasure
def test_the_beheerder_sees_deletions_and_excluded_loads(tmp_path, monkeypatch):
    import streamlit as st

    from pipelines.erasure import erase
    from pipelines.load import load
    from tests.conftest import TEST_KEY, TODAY
    from tests.pipelines.test_build_failure import poisoned_load
    from vthmonitor.settings import Settings

    settings = Settings(lake_dir=tmp_path / "lake", pseudonym_key_value=TEST_KEY)
    export = tmp_path / "klachten_2024.csv"
    export.write_text(
        "klacht_id;datum_melding;bevoegd_gezag;aard\n"
        "K1;01-02-2024;GM0164;geur\nK2;02-02-2024;GM0164;geluid\n",
        encoding="utf-8",
    )
    load(settings, [export], today=TODAY)
    bad = poisoned_load(settings, tmp_path)
    erase(settings, "klachten", ["K1"], "AVG-verzoek 2026-014", "beheerder-test")
    monkeypatch.setenv("VTHMONITOR_LAKE", str(settings.lake_dir))
    st.cache_resource.clear()
    st.cache_data.clear()

    at = open_page("datakwaliteit", "beheerder")
    assert not at.exception
    assert "Verwijderingen" in [s.value for s in at.subheader]
    deletions = next(d.value for d in at.dataframe if "Sleutel" in d.value.columns)
    assert deletions[["Bron", "Sleutel", "Reden", "Door"]].values.tolist() == [
        ["klachten", '{"klacht_id": "K1"}', "AVG-verzoek 2026-014", "beheerder-test"]
    ]
    loads = next(
        d.value for d in at.dataframe if "Lading" in d.value.columns and "Status" in d.value.columns
    )
    assert loads[loads["Lading"] == bad]["Status"].tolist() == ["uitgesloten"]

    mt = open_page("datakwaliteit", "mt")
    assert "Verwijderingen" not in [s.value for s in mt.subheader]
    st.cache_resource.clear()


def test_quarantined_lines_are_shown_filtered_and_masked(lake_env, warehouse):
    from dashboard import data
    from dashboard.viewer import ScopeError, Viewer

    at = open_page("datakwaliteit", "beheerder")
    tabel = next(d.value for d in at.dataframe if "Regel" in d.value.columns)
    totaal = warehouse.execute("select count(*) from meta.quarantaine").fetchone()[0]
    assert len(tabel) == min(totaal, data.QUARANTAINE_TONEN) and totaal > 0
    reden, aantal = warehouse.execute(
        "select reden, count(*) from meta.quarantaine group by reden order by 2 desc limit 1"
    ).fetchone()
    at.multiselect(key="quarantaine_reden").set_value([reden]).run()
    tabel = next(d.value for d in at.dataframe if "Regel" in d.value.columns)
    assert set(tabel["Reden"]) == {reden} and len(tabel) == min(aantal, data.QUARANTAINE_TONEN)
    assert list(tabel.columns) == [
        "Lading", "Geladen op", "Bron", "Bestand", "Regel", "Kolom", "Reden", "Waarde",
    ]  # fmt: skip
    # a personal-data column never shows its value
    pii = warehouse.execute(
        "select count(*) from meta.quarantaine where kolom like 'melder%' and waarde not like '(%'"
    ).fetchone()[0]
    assert pii == 0
    # the history of one file: every load that offered it
    bestand = warehouse.execute("select bestand from meta.loads limit 1").fetchone()[0]
    at.selectbox(key="geschiedenis_bestand").set_value(bestand).run()
    geschiedenis = next(d.value for d in at.dataframe if "Stand per" in d.value.columns)
    keer = warehouse.execute("select count(*) from meta.loads where bestand = ?", [bestand])
    assert len(geschiedenis) == keer.fetchone()[0]
    # not for an accounthouder: file names can name another deelnemer
    eigen = open_page("datakwaliteit", "accounthouder", "GM0164")
    assert not [d for d in eigen.dataframe if "Regel" in d.value.columns]
    with pytest.raises(ScopeError):
        data.quarantaine_regels(Viewer("accounthouder", ("GM0164",)))


def test_a_lake_without_a_relation_every_page_reads_says_to_rebuild(private_lake, fouten_in_de_app):
    """What every page reads before the page itself (the viewer, the build, its freshness)
    fails too: the page says so in Dutch, with a code, instead of Streamlit's English box."""
    from dashboard.fouten import NOEM_DE_CODE
    from tests.dashboard.conftest import drop_relation

    drop_relation(private_lake, "meta", "versheid")
    at = open_page("datakwaliteit", "mt")
    assert not at.exception
    [notice] = [e.value for e in at.error]
    assert "vthmonitor rebuild" in notice and NOEM_DE_CODE in notice
    assert len(fouten_in_de_app) >= 1
    fouten_in_de_app.clear()


def test_the_page_shows_a_few_quarantined_lines_and_the_download_holds_them_all(
    lake_env, warehouse, media, monkeypatch
):
    """At scale 10 the table of 10 000 lines sent 2,3 MB to the browser: the page shows the
    first QUARANTAINE_TONEN, says how many there are, and the downloads hold them all."""
    import csv
    import io

    from dashboard import data
    from tests.dashboard.conftest import downloaded

    monkeypatch.setattr(data, "QUARANTAINE_TONEN", 5)
    totaal = warehouse.execute("select count(*) from meta.quarantaine").fetchone()[0]
    assert 5 < totaal <= data.QUARANTAINE_MAX
    at = open_page("datakwaliteit", "beheerder")
    tabel = next(d.value for d in at.dataframe if "Regel" in d.value.columns)
    assert len(tabel) == 5
    assert f"Hieronder de eerste 5 van {getal(totaal)} regels; de downloads bevatten alle " in (
        " ".join(c.value for c in at.caption)
    )
    inhoud = downloaded(at, media, "quarantaineregels-csv").decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(inhoud), delimiter=";"))) == totaal
