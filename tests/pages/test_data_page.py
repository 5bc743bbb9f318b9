"""The Data page's import tools, driven through AppTest on a private copy of the demo store (checked with raw SQL)."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_layer.db import make_engine
from data_layer.importers.registry import run_import_kind
from tests.conftest import PROJECT_ROOT, SHARED_DATA
from tests.data_layer.importers.helpers import POLICE_OCTOBER, UK_CSV
from tests.pages.test_pages_render import APP, PASSWORD

EXAMPLES = PROJECT_ROOT / "import_profiles"
UK_NAME = "west-yorkshire-juli.csv"


@pytest.fixture
def store(demo_store_url, tmp_path, monkeypatch):
    """A private copy of the demo store (imports write), with the app pointed at it and Streamlit's caches empty."""
    source = demo_store_url.split("///", 1)[1]
    path = tmp_path / "store.db"
    with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    monkeypatch.setenv("LAGESBILD_DB_URL", f"sqlite:///{path}")
    st.cache_data.clear()
    st.cache_resource.clear()
    return str(path)


def sql(path: str, query: str, *params):
    with sqlite3.connect(path) as conn:
        return conn.execute(query, params).fetchone()[0]


def nothing_written(path: str) -> tuple:
    return (sql(path, "SELECT COUNT(*) FROM incident"), sql(path, "SELECT COUNT(*) FROM importbatch"),
            sql(path, "SELECT value FROM storeinfo WHERE key = 'data_version'"))


def uk_csv(rows: int = 7, bad: dict[int, tuple[str, str]] | None = None) -> bytes:
    """The first `rows` rows of the real police.uk file; `bad` {file row number: (column, value)} spoils some cells."""
    lines = UK_CSV.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    out = [lines[0]]
    for number, line in enumerate(lines[1:rows + 1], start=2):
        cells = line.split(",")
        for column, value in [(bad or {}).get(number, (None, None))]:
            if column:
                cells[header.index(column)] = value
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode("utf-8")


BAD_ROWS = {3: ("Month", "2016-13"), 6: ("Latitude", "norr")}


def data_page(username: str = "samordnare") -> AppTest:
    """Log in and open the Data page (what the landing page shows is another test's business)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, kind: str, name: str, data: bytes) -> AppTest:
    at.selectbox(key="import_kind").set_value(kind).run()
    at.file_uploader(key=f"import_file_{kind}").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str):
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert tables, f"no table with a column {column!r}"
    return tables[0]


def texts(elements) -> list[str]:
    """Shown texts without Markdown escapes, with Swedish no-break spaces as plain spaces ("1 540")."""
    return [e.value.replace("\\", "").replace("\u00a0", " ") for e in elements]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label).replace("\u00a0", "")


def test_a_preview_of_a_file_with_bad_rows_names_each_row_and_column_and_writes_nothing(store):
    at = upload(data_page(), "police-uk-csv", UK_NAME, uk_csv(bad=BAD_ROWS))
    before = nothing_written(store)
    click(at, "import_preview_btn")
    assert nothing_written(store) == before
    rejected = table_with(at, "Orsak")
    assert list(rejected["Rad"]) == ["3", "6"]
    assert list(rejected["Kolumn"]) == ["Month", "Latitude"]
    assert "2016-13" in rejected["Orsak"][0] and "norr" in rejected["Orsak"][1]
    assert [metric(at, n) for n in ("Lästa rader", "Godtas", "Avvisas")] == ["7", "5", "2"]
    assert texts(at.error) == [f"Av 7 rader i {UK_NAME} kan 2 rader inte läsas. Som inställningarna är nu avvisas "
                               "hela filen och ingenting sparas. Rätta filen, eller kryssa i ”Hoppa över ogiltiga "
                               "rader” ovan för att läsa in de giltiga (5 rader)."]
    assert at.button(key="import_run_btn").disabled


def test_a_file_without_a_required_column_is_refused_whole_even_when_skipping_invalid_rows(store):
    data = uk_csv().replace(b"Crime type", b"Brottstyp", 1)
    at = upload(data_page(), "police-uk-csv", UK_NAME, data)
    at.checkbox(key="import_skip_invalid").check().run()
    before = nothing_written(store)
    click(at, "import_preview_btn")
    assert nothing_written(store) == before
    assert "kan inte läsas in" in texts(at.error)[0]
    refused = table_with(at, "Orsak")
    assert list(refused["Rad"]) == ["hela filen"] and list(refused["Kolumn"]) == ["Crime type"]
    assert "import_run_btn" not in [b.key for b in at.button]


def test_importing_with_skip_invalid_writes_one_batch_with_the_rejected_rows_and_the_counts_refresh(store):
    at = upload(data_page(), "police-uk-csv", UK_NAME, uk_csv(bad=BAD_ROWS))
    at.checkbox(key="import_skip_invalid").check().run()
    click(at, "import_preview_btn")
    assert texts(at.warning)[0] == "5 rader läses in. 2 rader hoppas över och sparas med sin orsak i inläsningens logg."
    incidents_before = sql(store, "SELECT COUNT(*) FROM incident")
    assert at.button(key="import_run_btn").label == "Läs in 5 rader"
    click(at, "import_run_btn")
    batch = sqlite3.connect(store).execute(
        "SELECT b.id, b.source_kind, b.file_name, b.rows_accepted, b.rows_rejected, b.rejected_detail, u.username "
        "FROM importbatch b JOIN user u ON u.id = b.user_id ORDER BY b.id DESC LIMIT 1").fetchone()
    batch_id, kind, file_name, accepted, rejected, detail, username = batch
    assert (kind, file_name, accepted, rejected, username) == ("police-uk-csv", UK_NAME, 5, 2, "samordnare")
    assert [(p["row"], p["column"]) for p in json.loads(detail)] == [(3, "Month"), (6, "Latitude")]
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 5
    assert texts(at.success) == [f"Inläsning nr {batch_id} är klar: 5 rader från {UK_NAME} finns nu i databasen."]
    assert metric(at, "Händelser totalt") == str(incidents_before + 5) == str(sql(store, "SELECT COUNT(*) FROM incident"))
    assert sql(store, "SELECT COUNT(*) FROM auditlog WHERE event = 'import' AND object_id = ?", str(batch_id)) == 1
    assert at.button(key="import_undo_last")


def test_undo_from_the_import_receipt_asks_first_and_then_removes_the_whole_batch(store):
    at = upload(data_page(), "police-uk-csv", UK_NAME, uk_csv())
    click(click(at, "import_preview_btn"), "import_run_btn")
    batch_id = sql(store, "SELECT MAX(id) FROM importbatch")
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 7
    click(at, "import_undo_last")
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 7  # not yet
    assert f"Inläsning nr {batch_id} ({UK_NAME}) tas bort: 7 händelser" in texts(at.warning)[0]
    click(at, "import_undo_last_yes")
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 0
    assert sql(store, "SELECT undone_at IS NOT NULL FROM importbatch WHERE id = ?", batch_id) == 1
    assert texts(at.success) == [f"Inläsning nr {batch_id} är ångrad: 7 händelser togs bort."]
    assert metric(at, "Händelser totalt") == str(sql(store, "SELECT COUNT(*) FROM incident"))
    assert "import_undo_last" not in [b.key for b in at.button]


def test_the_batch_list_shows_skipped_rows_and_undoes_a_batch_after_confirmation(store):
    engine = make_engine(f"sqlite:///{store}")
    path = store.rsplit("/", 1)[0] + "/" + UK_NAME
    with open(path, "wb") as fh:
        fh.write(uk_csv(bad=BAD_ROWS))
    batch_id = run_import_kind(engine, "police-uk-csv", path, skip_invalid=True).batch_id
    engine.dispose()
    at = data_page()
    listed = table_with(at, "Nr")
    assert listed.loc[listed["Nr"] == batch_id, "Fil"].tolist() == [UK_NAME]
    assert listed.loc[listed["Nr"] == batch_id, "Avvisade"].tolist() == [2]
    at.selectbox(key="batch_rejections_choice").set_value(batch_id).run()
    skipped = table_with(at, "Orsak")
    assert list(skipped["Rad"]) == ["3", "6"] and list(skipped["Kolumn"]) == ["Month", "Latitude"]
    offered = at.selectbox(key="batch_undo_choice").options
    assert len(offered) == 1 and offered[0].startswith(f"Nr {batch_id}: {UK_NAME} (")  # not the demo batch
    at.selectbox(key="batch_undo_choice").set_value(batch_id).run()
    click(at, f"batch_undo_{batch_id}")
    click(at, f"batch_undo_{batch_id}_cancel")
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 5
    click(at, f"batch_undo_{batch_id}")
    click(at, f"batch_undo_{batch_id}_yes")
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 0
    assert texts(at.success) == [f"Inläsning nr {batch_id} är ångrad: 5 händelser togs bort."]


def test_a_mapping_edit_refiles_the_incidents_already_imported_with_that_type(store):
    engine = make_engine(f"sqlite:///{store}")
    path = store.rsplit("/", 1)[0] + "/uk.csv"
    with open(path, "wb") as fh:
        fh.write(uk_csv(rows=300))
    run_import_kind(engine, "police-uk-csv", path)
    engine.dispose()
    violent = ("SELECT COUNT(*) FROM incident i JOIN category c ON c.id = i.category_id "
               "WHERE i.source_type = 'Violence and sexual offences' AND c.code = ?")
    n = sql(store, violent, "vald_hot")
    assert n > 0
    at = data_page()
    at.selectbox(key="mapping_kind").set_value("police-uk-csv").run()
    editor = next(d for d in at.data_editor if d.key == "mapping_editor_police-uk-csv_0")
    table = editor.value
    row = int(table.index[table["source_type"] == "Violence and sexual offences"][0])
    assert table.loc[row, "incidents"] == n and table.loc[row, "category_code"] == "vald_hot"
    at.session_state["mapping_editor_police-uk-csv_0"] = {
        "edited_rows": {row: {"category_code": "ordningsstorning"}}, "added_rows": [], "deleted_rows": []}
    click(at, "mapping_save")
    assert sql(store, violent, "vald_hot") == 0 and sql(store, violent, "ordningsstorning") == n
    assert texts(at.success) == [f"1 typ fick ny kategori; {n} händelser som redan var inlästa flyttades."]
    assert sql(store, "SELECT edited FROM categorymapping WHERE source_kind = 'police-uk-csv' "
                      "AND source_type = 'Violence and sexual offences'") == 1
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE source_type = 'Violence and sexual offences'") == n


def test_a_police_events_preview_explains_the_conversions_in_swedish_and_writes_nothing(store):
    at = upload(data_page(), "polisen-json", POLICE_OCTOBER.name, POLICE_OCTOBER.read_bytes())
    before = nothing_written(store)
    click(at, "import_preview_btn")
    assert nothing_written(store) == before
    assert metric(at, "Lästa rader") == "2148"
    read_as = "\n".join(m.value.replace("\\", "") for m in at.markdown)
    assert "händelser fick tidpunkten ur rubriken" in read_as
    assert "har bara en ungefärlig plats (ett område som kommun eller län), ingen exakt punkt" in read_as
    assert "Ingen av raderna hamnar i något område i databasen." in texts(at.warning)[0]  # the demo lacks them
    categories = table_with(at, "Kategori")
    assert categories["Händelser"].sum() == int(metric(at, "Godtas"))


def test_a_profile_saved_in_the_editor_is_offered_by_the_wizard_and_reads_the_partners_file(store):
    at = data_page()
    at.selectbox(key="profile_new_kind").set_value("incidents").run()
    at.selectbox(key="profile_example").set_value("sjobackahem-felanmalan.toml").run()
    at.text_input(key="profile_new_name_0").input("sjobackahem").run()
    click(at, "profile_save")
    assert texts(at.success) == ["Profilen sjobackahem är sparad."]
    assert sql(store, "SELECT kind FROM importprofile WHERE name = 'sjobackahem'") == "incidents"
    csv = EXAMPLES / "examples" / "sjobackahem_felanmalan_2026-03.csv"
    upload(at, "incidents", csv.name, csv.read_bytes())
    assert at.selectbox(key="import_opt_incidents_profile").value == "sjobackahem"
    click(at, "import_preview_btn")
    assert not at.error
    assert metric(at, "Godtas") == metric(at, "Lästa rader") != "0"
    assert "koordinater: SWEREF 99 TM → WGS84" in "\n".join(m.value.replace("\\", "") for m in at.markdown)


def test_an_invalid_profile_is_explained_and_not_saved(store):
    at = data_page()
    at.text_input(key="profile_new_name_0").input("trasig").run()
    body = next(a for a in at.text_area if a.key.startswith("profile_body_"))
    body.input('kind = "incidents"\n[columns]\ntidpunkt = "Datum"\n').run()
    click(at, "profile_save")
    assert texts(at.error) == [texts(at.error)[0]] and "fel" in texts(at.error)[0]
    assert sql(store, "SELECT COUNT(*) FROM importprofile") == 0


def test_deleting_a_profile_asks_first(store):
    at = data_page()
    at.text_input(key="profile_new_name_0").input("enkat").run()
    click(at, "profile_save")
    assert at.selectbox(key="profile_choice").value == "enkat"
    click(at, "profile_delete")
    assert sql(store, "SELECT COUNT(*) FROM importprofile") == 1
    click(at, "profile_delete_yes")
    assert sql(store, "SELECT COUNT(*) FROM importprofile") == 0
    assert texts(at.success) == ["Profilen enkat är borttagen."]


def test_an_area_file_offers_its_own_property_names(store, tmp_path):
    geojson = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"namn": "Norra", "kod": "N"},
               "geometry": {"type": "Polygon", "coordinates": [[[12.0, 57.0], [12.1, 57.0], [12.1, 57.1], [12.0, 57.0]]]}}]}
    at = upload(data_page(), "areas", "omraden.geojson", json.dumps(geojson).encode())
    assert at.selectbox(key="import_opt_areas_name_field").options == ["namn", "kod"]
    at.selectbox(key="import_opt_areas_name_field").set_value("namn").run()
    click(at, "import_preview_btn")
    assert metric(at, "Nya områden") == "1"
    assert sql(store, "SELECT COUNT(*) FROM area WHERE name = 'Norra'") == 0


@pytest.mark.parametrize("username", ["lasare", "ombud"])
def test_readers_and_reporters_see_the_counts_but_no_import_tools(store, username):
    at = data_page(username)
    assert metric(at, "Händelser totalt") == str(sql(store, "SELECT COUNT(*) FROM incident"))
    assert not at.file_uploader and not at.tabs and not at.get("data_editor")
    assert "Din roll ser inte inläsningarna." in texts(at.caption)


def test_the_police_liaison_analyst_may_import(store):
    at = data_page("polis")
    assert [tab.label for tab in at.tabs] == ["Läs in fil", "Senaste inläsningar", "Kategorier per källa",
                                              "Importprofiler"]
    assert at.file_uploader


def test_a_survey_file_is_read_with_a_saved_profile_and_its_results_are_shown_and_undone(store):
    surveys = SHARED_DATA / "surveys"
    areas = surveys / "chicago_community_areas.geojson"
    at = upload(data_page(), "areas", areas.name, areas.read_bytes())
    at.selectbox(key="import_opt_areas_name_field").set_value("community").run()
    click(click(at, "import_preview_btn"), "import_run_btn")
    assert sql(store, "SELECT COUNT(*) FROM area WHERE level = 'omrade'") >= 77
    assert "import_undo_last" not in [b.key for b in at.button]  # areas are not undone as a whole
    profile = (EXAMPLES / "chicago-police-sentiment.toml").read_text(encoding="utf-8")
    at.selectbox(key="profile_new_kind").set_value("survey").run()
    at.text_input(key="profile_new_name_0").input("chicago").run()
    assert next(a for a in at.text_area if a.key.startswith("profile_body_")).value == profile
    click(at, "profile_save")
    results = surveys / "ChicagoPolice_Sentiment_community_year.csv"
    upload(at, "survey", results.name, results.read_bytes())
    assert at.selectbox(key="import_opt_survey_profile").value == "chicago"
    click(at, "import_preview_btn")
    assert sql(store, "SELECT COUNT(*) FROM surveyresult sr JOIN surveyquestion q ON q.id = sr.question_id "
                      "WHERE q.code LIKE 'chicago_%'") == 0
    would = int(metric(at, "Godtas"))
    assert would > 0 and metric(at, "Varav utan värde") != "0"
    assert "Kolumner som inte lästes in" in "\n".join(m.value for m in at.markdown)
    click(at, "import_run_btn")
    batch_id = sql(store, "SELECT MAX(id) FROM importbatch")
    assert sql(store, "SELECT COUNT(*) FROM surveyresult WHERE import_batch_id = ?", batch_id) == would
    click(click(at, "import_undo_last"), "import_undo_last_yes")
    grouped = f"{would:,}".replace(",", " ")
    assert texts(at.success) == [f"Inläsning nr {batch_id} är ångrad: {grouped} enkätresultat togs bort."]
    assert sql(store, "SELECT COUNT(*) FROM surveyresult WHERE import_batch_id = ?", batch_id) == 0


def test_a_police_type_missing_from_the_mapping_shows_as_other_and_can_be_mapped(store):
    engine = make_engine(f"sqlite:///{store}")
    run_import_kind(engine, "polisen-json", POLICE_OCTOBER)
    engine.dispose()
    fraud = ("SELECT COUNT(*) FROM incident i JOIN category c ON c.id = i.category_id "
             "WHERE i.source_type = 'Bedrägeri' AND c.code = ?")
    n = sql(store, fraud, "ovrigt")
    assert n > 0 and sql(store, "SELECT COUNT(*) FROM categorymapping WHERE source_type = 'Bedrägeri'") == 0
    at = data_page()
    table = next(d for d in at.data_editor if d.key == "mapping_editor_polisen-json_0").value
    row = int(table.index[table["source_type"] == "Bedrägeri"][0])
    assert (table.loc[row, "category_code"], table.loc[row, "incidents"], table.loc[row, "edited"]) == ("ovrigt", n,
                                                                                                      False)
    at.session_state["mapping_editor_polisen-json_0"] = {
        "edited_rows": {row: {"category_code": "stold"}}, "added_rows": [], "deleted_rows": []}
    click(at, "mapping_save")
    assert sql(store, fraud, "stold") == n
    assert sql(store, "SELECT category_code FROM categorymapping WHERE source_kind = 'polisen-json' "
                      "AND source_type = 'Bedrägeri'") == "stold"
