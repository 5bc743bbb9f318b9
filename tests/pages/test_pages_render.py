"""Every page renders for a logged-in user and shows something true about the store (checked with raw SQL)."""
from __future__ import annotations

import base64
import json
import sqlite3
from datetime import date, timedelta

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.periods import today_stockholm
from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
PASSWORD = "demo"
PAGES = ("overview", "map", "trends", "surveys", "actions", "meeting", "report", "data", "admin")


@pytest.fixture
def store(demo_store_url, monkeypatch):
    """The demo store's file path, with the app pointed at it and Streamlit's caches empty."""
    monkeypatch.setenv("LAGESBILD_DB_URL", demo_store_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return demo_store_url.split("///", 1)[1]


def sql(path: str, query: str, *params):
    with sqlite3.connect(path) as conn:
        return conn.execute(query, params).fetchone()[0]


def new_app(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    return at.run()


def logged_in(username: str = "samordnare", query_params: dict | None = None) -> AppTest:
    at = new_app(query_params)
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    assert "login_username" not in [w.key for w in at.text_input], "still on the login page"
    return at


def plotted(values) -> np.ndarray:
    """A plotly array from its JSON: a plain list, or plotly's typed-array form {dtype, bdata (base64)}."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def default_period() -> tuple[str, str]:
    today = today_stockholm()
    return (today - timedelta(days=27)).isoformat(), today.isoformat()


def incidents_between(path: str, start: str, end: str, extra: str = "") -> int:
    return sql(path, f"SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN ? AND ? {extra}", start, end)


def test_the_login_page_shows_username_password_and_submit(store):
    at = new_app()
    assert not at.exception
    assert at.text_input(key="login_username").label == "Användarnamn"
    assert at.text_input(key="login_password").label == "Lösenord"
    assert at.button(key="login_submit")


def test_a_wrong_password_gives_a_swedish_error_and_no_pages(store):
    at = new_app()
    at.text_input(key="login_username").input("samordnare")
    at.text_input(key="login_password").input("fel-lösenord")
    at.button(key="login_submit").click().run()
    assert [e.value for e in at.error] == ["Fel användarnamn eller lösenord"]
    assert at.text_input(key="login_username")  # still the login page
    assert not at.get("dataframe")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_the_coordinator_without_exceptions(store, page):
    at = logged_in()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"


def test_overview_table_total_equals_an_independent_count_for_the_default_period(store):
    at = logged_in()
    start, end = default_period()
    table = at.dataframe[0].value
    assert table["Perioden"].sum() == incidents_between(store, start, end)
    assert at.metric[0].value.replace("\u00a0", "") == str(incidents_between(store, start, end))
    assert "jämfört med föregående 28 dagar" in at.subheader[0].value


def test_the_period_and_areas_are_read_from_the_url(store):
    area_code, area_id = sqlite3.connect(store).execute(
        "SELECT a.code, a.id FROM area a JOIN incident i ON i.area_id = a.id GROUP BY a.id "
        "ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    monday = today_stockholm() - timedelta(days=today_stockholm().weekday() + 14)
    sunday = monday + timedelta(days=6)
    at = logged_in(query_params={"from": monday.isoformat(), "to": sunday.isoformat(), "areas": area_code})
    week = monday.isocalendar().week
    previous_week = (monday - timedelta(days=7)).isocalendar().week
    assert at.subheader[0].value == f"Vecka {week} jämfört med vecka {previous_week}"
    assert at.multiselect(key="areas").value == [area_code]
    table = at.dataframe[0].value
    assert table["Perioden"].sum() == incidents_between(store, monday.isoformat(), sunday.isoformat(),
                                                        f"AND area_id = {int(area_id)}")


def test_the_weekly_chart_adds_up_to_the_whole_weeks_of_the_period(store):
    at = logged_in()
    at.switch_page("pages/trends.py").run()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    start, end = (date.fromisoformat(d) for d in default_period())
    monday, sunday = start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())
    drawn = [trace for trace in figure["data"] if trace.get("name") in ("Antal", "Pågående vecka (hittills)")]
    assert sum(int(plotted(trace["y"]).sum()) for trace in drawn) == incidents_between(
        store, monday.isoformat(), sunday.isoformat())


def test_surveys_show_too_few_answers_instead_of_small_samples(store):
    at = logged_in()
    at.switch_page("pages/surveys.py").run()
    question = sql(store, "SELECT id FROM surveyquestion WHERE code = 'otrygg_kvall'")
    if question is None:
        pytest.skip("the demo store holds no otrygg_kvall question")
    table = at.dataframe[0].value
    assert len(table) == sql(store, "SELECT COUNT(*) FROM surveyresult WHERE question_id = ?", question)
    withheld = sql(store, "SELECT COUNT(*) FROM surveyresult WHERE question_id = ? AND "
                          "(n IS NULL OR n < 30 OR value IS NULL)", question)
    assert (table["Värde"] == "för få svar").sum() == withheld  # the demo has no result without n


def test_the_action_list_holds_every_action_with_overdue_ones_first(store):
    at = logged_in()
    at.switch_page("pages/actions.py").run()
    table = at.dataframe[0].value
    assert len(table) == sql(store, "SELECT COUNT(*) FROM action")
    overdue = sql(store, "SELECT COUNT(*) FROM action WHERE due_date < ? AND status IN ('föreslagen','beslutad','pågår')",
                  today_stockholm().isoformat())
    assert (table["Försenad"] == "Försenad").sum() == overdue
    assert list(table["Försenad"][:overdue]) == ["Försenad"] * overdue


def test_the_meeting_page_names_the_next_meeting(store):
    if not sql(store, "SELECT COUNT(*) FROM meeting"):
        pytest.skip("the demo store holds no meetings")
    at = logged_in()
    at.switch_page("pages/meeting.py").run()
    forum = sql(store, "SELECT forum FROM meeting WHERE held_on >= ? ORDER BY held_on LIMIT 1",
                today_stockholm().isoformat()) or sql(store, "SELECT forum FROM meeting ORDER BY held_on DESC LIMIT 1")
    assert forum in at.subheader[0].value


def test_the_data_page_counts_every_incident_in_the_store(store):
    at = logged_in()
    at.switch_page("pages/data.py").run()
    assert at.metric[0].value.replace("\u00a0", "") == str(sql(store, "SELECT COUNT(*) FROM incident"))


def test_the_admin_page_lists_every_account(store):
    at = logged_in()
    at.switch_page("pages/admin.py").run()
    assert len(at.dataframe[0].value) == sql(store, "SELECT COUNT(*) FROM user")


def test_a_reader_is_not_given_the_admin_page(store):
    at = logged_in("lasare")
    assert [t.value for t in at.title] == ["Lägesbild"]
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page("pages/admin.py")
    assert "pages/overview.py" in str(refused.value) and "pages/admin.py'" not in str(refused.value).split("Known")[1]


@pytest.mark.parametrize("page_name", PAGES)
def test_a_page_run_on_its_own_without_login_shows_only_the_login_form(store, page_name):
    """Regression: Streamlit's legacy multipage mode can run pages/<name>.py straight from its URL."""
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page_name}.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert [w.key for w in at.text_input] == ["login_username", "login_password"]
    assert len(at.dataframe) == 0 and len(at.metric) == 0 and not at.get("plotly_chart")


def test_a_viewer_running_the_admin_page_on_its_own_is_refused(store):
    from ui.state import USER_KEY

    viewer = logged_in("lasare").session_state[USER_KEY]
    direct = AppTest.from_file(str(PROJECT_ROOT / "pages" / "admin.py"), default_timeout=60)
    direct.session_state[USER_KEY] = viewer
    direct.run()
    assert direct.error and "behörighet" in direct.error[0].value
    assert len(direct.dataframe) == 0


def test_a_link_with_the_language_code_opens_the_app_in_that_language(store):
    at = new_app({"lang": "en"})
    assert at.selectbox(key="lang").value == "en"
    assert at.title[0].value == "Lägesbild (situational picture)"
    assert at.text_input(key="login_username").label == "Username"
