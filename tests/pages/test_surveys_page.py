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


def test_an_own_index_from_two_questions_becomes_a_measure_for_the_session(store):
    at = open_surveys()
    at.text_input(key="survey_custom_name").input("Klotter och skräp")
    at.multiselect(key="survey_custom_questions").select("problem_klotter").select("problem_nedskrapning")
    at.number_input(key="survey_custom_scale").set_value(10.0)
    at.button[[b.label for b in at.button].index("Skapa index")].click().run()
    assert not at.exception, at.exception
    options = at.selectbox(key="survey_measure").options
    assert "Eget index: Klotter och skräp" in options
    at.selectbox(key="survey_measure").select("custom:1").run()
    table = frame_with(at, "95 %-intervall")
    area, wave = table.iloc[0]["Område"], table.iloc[0]["Mätning"]
    values = dict(rows(store, "SELECT q.code, r.value FROM surveyresult r JOIN area a ON a.id = r.area_id "
                              "JOIN survey s ON s.id = r.survey_id JOIN surveyquestion q ON q.id = r.question_id "
                              "WHERE a.name = ? AND s.wave = ? AND q.code IN ('problem_klotter', "
                              "'problem_nedskrapning')", area, wave))
    expected = 10 * (values["problem_klotter"] + values["problem_nedskrapning"]) / 2
    assert table.iloc[0]["Värde"] == fmt_decimal(expected, 2)


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
