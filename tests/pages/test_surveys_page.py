"""The survey page against independent computations: shown values, n and Wilson intervals of the demo's NTU share,
the perception quadrants singling out the demo's unsafe-but-calm and busy-but-safe areas, the "unsafe here" list, an
own index, and the real Chicago survey shown by area and year without intervals (no n) with NA kept missing."""
from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date, timedelta

import pytest
import streamlit as st
from statsmodels.stats.proportion import proportion_confint

from data_layer.db import make_engine
from data_layer.importers.areas import import_areas
from data_layer.importers.registry import run_import_kind
from data_layer.migrate import upgrade_to_head
from data_layer.users import add_user
from tests.conftest import PROJECT_ROOT, SHARED_DATA
from tests.pages.test_pages_render import logged_in, sql, store  # noqa: F401 (fixture)
from ui.formatting import fmt_decimal, fmt_int, fmt_pct

SURVEYS = SHARED_DATA / "surveys"


def open_surveys(username: str = "samordnare"):
    at = logged_in(username)
    at.switch_page("pages/surveys.py").run()
    assert not at.exception, at.exception
    return at


def frame_with(at, column: str):
    """The one table holding `column` (AppTest does not expose dataframe keys)."""
    (found,) = [df.value for df in at.dataframe if column in df.value.columns]
    return found


def rows(path: str, query: str, *params) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query, params).fetchall()


def test_each_area_and_wave_shows_the_stored_share_n_and_its_wilson_interval(store):
    at = open_surveys()
    table = frame_with(at, "95 %-intervall")
    raw = rows(store, "SELECT a.name, s.wave, r.n, r.value FROM surveyresult r JOIN area a ON a.id = r.area_id "
                      "JOIN survey s ON s.id = r.survey_id JOIN surveyquestion q ON q.id = r.question_id "
                      "WHERE q.code = 'otrygg_kvall'")
    assert len(table) == len(raw)
    shown = {(r["Område"], r["Mätning"]): r for _, r in table.iterrows()}
    withheld = 0
    for name, wave, n, value in raw:
        row = shown[(name, wave)]
        assert row["Svarande"] == fmt_int(n)
        if n < 30:
            withheld += 1
            assert row["Värde"] == "för få svar" and row["95 %-intervall"] == ""
            continue
        lo, hi = proportion_confint(round(value * n), n, method="wilson")
        assert row["Värde"] == fmt_pct(value)
        assert row["95 %-intervall"] == f"{fmt_pct(lo)}–{fmt_pct(hi)}"
    assert withheld > 0  # the demo's industrial area has too few answers


def test_the_small_multiples_draw_one_panel_per_area_with_withheld_waves_left_out(store):
    at = open_surveys()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {trace["name"]: trace for trace in figure["data"]}
    n_areas = sql(store, "SELECT COUNT(DISTINCT area_id) FROM surveyresult")
    assert len(traces) == n_areas
    few = rows(store, "SELECT DISTINCT a.name FROM surveyresult r JOIN area a ON a.id = r.area_id "
                      "JOIN surveyquestion q ON q.id = r.question_id WHERE q.code = 'otrygg_kvall' AND r.n < 30")
    for (name,) in few:
        assert all(y is None for y in traces[name]["y"])


def _perception(at):
    return frame_with(at, "Kvadrant")


def test_the_quadrants_single_out_the_demos_unsafe_but_calm_and_busy_but_safe_areas(store):
    facts = json.loads(sql(store, "SELECT value FROM storeinfo WHERE key = 'demo_facts'"))
    names = dict(rows(store, "SELECT code, name FROM area"))
    calm, busy = names[facts["unsafe_calm_area"]], names[facts["busy_safe_area"]]
    at = open_surveys()
    table = _perception(at).set_index("Område")
    assert table.loc[calm, "Kvadrant"] == "otrygg men få händelser"
    assert table.loc[busy, "Kvadrant"] == "många händelser men trygg"
    text = " ".join(m.value for m in at.markdown)
    assert f"**Otrygg men få händelser:** {calm}" in text and f"**Många händelser men trygg:** {busy}" in text


def test_the_scatter_names_the_striking_and_extreme_areas_away_from_the_cross_and_every_area_on_hover(store):
    facts = json.loads(sql(store, "SELECT value FROM storeinfo WHERE key = 'demo_facts'"))
    names = dict(rows(store, "SELECT code, name FROM area"))
    at = open_surveys()
    (figure,) = [f for f in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                 if "mot händelser per 1" in f["layout"]["title"]["text"]]
    printed = [n for trace in figure["data"] for n in trace["text"] if n]
    hovered = [n for trace in figure["data"] for n in trace["customdata"]]
    table = _perception(at)
    placed = table[table["Kvadrant"] != "–"]
    assert sorted(hovered) == sorted(placed["Område"])
    assert names[facts["unsafe_calm_area"]] in printed and names[facts["busy_safe_area"]] in printed
    assert len(printed) < len(hovered)  # the crowd near the median cross is left to hover and the table
    assert {trace["textposition"] for trace in figure["data"]} <= {"top left", "top right", "bottom left",
                                                                   "bottom right"}
    assert any("håll muspekaren över en punkt" in c.value for c in at.caption)


def test_a_composite_index_shows_a_bootstrap_interval_around_each_shown_value(store):
    at = open_surveys()
    at.selectbox(key="survey_measure").select("problemindex").run()
    assert not at.exception, at.exception
    table = frame_with(at, "95 %-intervall")
    shown = table[table["Värde"] != "för få svar"]
    assert len(shown) > 0 and (table["Värde"] == "för få svar").any()
    for _, row in shown.iterrows():
        lo, hi = (float(x.replace(",", ".")) for x in row["95 %-intervall"].split("–"))
        assert lo <= float(row["Värde"].replace(",", ".")) <= hi and lo < hi
        assert row["Anmärkning"].startswith("95 %-intervall genom bootstrap")


def test_incidents_per_1000_residents_count_the_12_months_before_the_waves_end(store):
    at = open_surveys()
    table = _perception(at).set_index("Område")
    wave_end = date.fromisoformat(sql(store, "SELECT MAX(fielded_to) FROM survey"))
    start = (wave_end - timedelta(days=364)).isoformat()
    for name, population, count in rows(
            store, "SELECT a.name, a.population, COUNT(i.id) FROM area a JOIN surveyresult r ON r.area_id = a.id "
                   "LEFT JOIN incident i ON i.area_id = a.id AND i.occurred_date BETWEEN ? AND ? "
                   "GROUP BY a.id", start, wave_end.isoformat()):
        # every result row joins once per question and wave: divide that out
        per_area = count // sql(store, "SELECT COUNT(*) FROM surveyresult r JOIN area a ON a.id = r.area_id "
                                       "WHERE a.name = ?", name)
        assert table.loc[name, "Händelser"] == fmt_int(per_area)
        assert table.loc[name, "Händelser per 1 000"] == fmt_decimal(1000 * per_area / population, 1)


def test_the_unsafe_places_list_counts_every_mark_and_links_to_a_prefilled_action(store):
    at = open_surveys()
    table = frame_with(at, "Markeringar")
    assert table["Markeringar"].sum() == sql(store, "SELECT COUNT(*) FROM surveyplacemark")
    top = table.iloc[0]
    code = sql(store, "SELECT code FROM area WHERE name = ?", top["Område"])
    assert top["Åtgärd"].startswith(f"/atgarder?area={code}&title=Otrygg+plats")
    assert "dålig belysning" in " ".join(table["Skäl"])


def test_a_viewer_gets_the_marks_counted_per_area_and_reason_and_no_place_list(store):
    at = open_surveys("lasare")
    assert not [df for df in at.dataframe if "Markeringar" in df.value.columns]  # no per-place list
    table = frame_with(at, "dålig belysning")
    shown = [(area, int(str(v).replace("\u00a0", ""))) for area, v in zip(table["Område"], table["dålig belysning"])
             if v != "–"]
    assert shown and all(n == 0 or n >= 3 for _, n in shown)
    for area, n in shown:
        assert n == sql(store, "SELECT COUNT(*) FROM surveyplacemark m JOIN area a ON a.id = m.area_id WHERE "
                               "a.name = ? AND (',' || m.reasons || ',') LIKE '%,belysning,%'", area)
    assert any(c.value.startswith("Markeringar per område och skäl") for c in at.caption)


@pytest.fixture
def own_store(demo_store_url, tmp_path, monkeypatch):
    """A private copy of the demo store (own indices are stored: the shared demo store must stay as it is)."""
    path = tmp_path / "own.db"
    with sqlite3.connect(demo_store_url.split("///", 1)[1]) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    monkeypatch.setenv("LAGESBILD_DB_URL", f"sqlite:///{path}")
    st.cache_data.clear()
    st.cache_resource.clear()
    return str(path)


def _create_own_index(at, name: str = "Klotter och skräp"):
    at.text_input(key="survey_custom_name").input(name)
    at.multiselect(key="survey_custom_questions").select("problem_klotter").select("problem_nedskrapning")
    at.number_input(key="survey_custom_scale").set_value(10.0)
    at.button[[b.label for b in at.button].index("Skapa index")].click().run()
    assert not at.exception, at.exception


def test_an_own_index_from_two_questions_is_stored_and_becomes_a_measure_for_everyone(own_store):
    at = open_surveys()
    _create_own_index(at)
    (index_id,) = [r[0] for r in rows(own_store, "SELECT id FROM surveyownindex")]
    assert rows(own_store, "SELECT event, object_type, object_id FROM auditlog WHERE object_type = 'survey_index'"
                ) == [("edit", "survey_index", str(index_id))]
    viewer = open_surveys("lasare")  # another user, another session: the index is there
    options = viewer.selectbox(key="survey_measure").options
    assert "Eget index: Klotter och skräp" in options
    assert "survey_custom_name" not in [w.key for w in viewer.text_input]  # viewers may not define indices
    assert any("roller som får ändra" in c.value for c in viewer.caption)
    viewer.selectbox(key="survey_measure").select(f"custom:{index_id}").run()
    table = frame_with(viewer, "95 %-intervall")
    area, wave = table.iloc[0]["Område"], table.iloc[0]["Mätning"]
    values = dict(rows(own_store, "SELECT q.code, r.value FROM surveyresult r JOIN area a ON a.id = r.area_id "
                                  "JOIN survey s ON s.id = r.survey_id JOIN surveyquestion q ON q.id = r.question_id "
                                  "WHERE a.name = ? AND s.wave = ? AND q.code IN ('problem_klotter', "
                                  "'problem_nedskrapning')", area, wave))
    expected = 10 * (values["problem_klotter"] + values["problem_nedskrapning"]) / 2
    assert table.iloc[0]["Värde"] == fmt_decimal(expected, 2)


def test_a_coordinator_deletes_an_own_index_and_a_duplicate_name_is_refused(own_store):
    at = open_surveys()
    _create_own_index(at)
    _create_own_index(at, "klotter OCH skräp")
    assert any("finns redan ett eget index" in e.value for e in at.error)
    (index_id,) = [r[0] for r in rows(own_store, "SELECT id FROM surveyownindex")]
    at.button(key=f"survey_custom_delete_{index_id}").click().run()
    assert not at.exception, at.exception
    assert rows(own_store, "SELECT id FROM surveyownindex") == []
    assert f"custom:{index_id}" not in at.selectbox(key="survey_measure").options


def test_raw_answers_uploaded_on_the_data_page_appear_aggregated_on_the_survey_page(own_store):
    from tests.pages.test_data_page import click, upload

    areas = [name for (name,) in rows(own_store, "SELECT DISTINCT a.name FROM area a JOIN surveyresult r "
                                                 "ON r.area_id = a.id ORDER BY a.name")][:2]
    answers = [(f"P{i:04d}", areas[i % 2], "1" if i % 5 in (0, 1) or (i % 2 and i % 5 == 2) else "0")
               for i in range(120)]
    body = "löpnummer;omrade;period;otrygg_kvall\n" + "".join(f"{i};{a};2019;{x}\n" for i, a, x in answers)
    at = upload(logged_in("samordnare").switch_page("pages/data.py").run(), "survey-answers", "svar.csv",
                body.encode("utf-8"))
    at.text_input(key="import_opt_survey-answers_survey_name").input("Enkätsvar 2019").run()
    at.text_input(key="import_opt_survey-answers_organisation").input("kommunen").run()
    click(click(at, "import_preview_btn"), "import_run_btn")
    assert not [r for r in rows(own_store, "SELECT rejected_detail FROM importbatch") if r[0] and "P0" in r[0]]
    survey = open_surveys()
    table = frame_with(survey, "95 %-intervall")
    for area in areas:
        mine = [x for _, a, x in answers if a == area]
        share = sum(x == "1" for x in mine) / len(mine)
        (row,) = [r for _, r in table.iterrows() if (r["Område"], r["Mätning"]) == (area, "2019")]
        assert (row["Värde"], row["Svarande"]) == (fmt_pct(share), fmt_int(len(mine)))
        lo, hi = proportion_confint(sum(x == "1" for x in mine), len(mine), method="wilson")
        assert row["95 %-intervall"] == f"{fmt_pct(lo)}–{fmt_pct(hi)}"


# --- the real Chicago survey -------------------------------------------------------------------------------------

@pytest.fixture
def chicago_store(tmp_path, monkeypatch):
    """Chicago's community areas and the Police Sentiment Scores, imported as the importer test does."""
    url = f"sqlite:///{tmp_path / 'chicago.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    import_areas(engine, SURVEYS / "chicago_community_areas.geojson", name_field="community", code_field=None,
                 level="omrade")
    run_import_kind(engine, "survey", SURVEYS / "ChicagoPolice_Sentiment_community_year.csv",
                    options={"profile": str(PROJECT_ROOT / "import_profiles" / "chicago-police-sentiment.toml")},
                    allow_server_files=True)
    add_user(engine, username="samordnare", role="samordnare", organisation_code="chicago_pd", password="demo")
    engine.dispose()
    monkeypatch.setenv("LAGESBILD_DB_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return str(tmp_path / "chicago.db")


@pytest.mark.parametrize("column, code", [("safety", "chicago_safety"), ("t_listen", "chicago_t_listen")])
def test_the_chicago_scores_show_by_area_and_year_without_intervals_and_keep_na_missing(chicago_store, column, code):
    at = open_surveys()
    at.selectbox(key="survey_measure").select(f"q:{code}").run()
    assert not at.exception, at.exception
    assert any("anger inte hur många som svarat" in i.value for i in at.info)
    table = frame_with(at, "95 %-intervall")
    shown = {(r["Område"].lower(), r["Mätning"]): r for _, r in table.iterrows()}
    with open(SURVEYS / "ChicagoPolice_Sentiment_community_year.csv", newline="", encoding="utf-8") as fh:
        expected = {(r["Community"].lower(), r["Year"]): r[column] for r in csv.DictReader(fh)}
    assert set(shown) == set(expected)
    assert len({year for _, year in expected}) > 1
    for key, cell in expected.items():
        row = shown[key]
        assert row["95 %-intervall"] == ""
        if cell in ("NA", ""):
            assert row["Värde"] == "saknas"
        else:
            assert row["Värde"] == fmt_decimal(float(cell), 1)
            assert row["Anmärkning"] == "inget intervall: antal svarande saknas i källan"
    missing = sum(cell in ("NA", "") for cell in expected.values())
    assert (table["Värde"] == "saknas").sum() == missing
    if missing < len(expected):
        text = " ".join(m.value for m in at.markdown)
        assert "Ingen test: antal svarande saknas i källan" in text
