"""The reporter's form in AppTest: a report with a window and a named place, the personal-data warning and its
second confirmation, the draft surviving a page switch, and a reader who may not report."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.pages.test_pages_render import logged_in, sql, store  # noqa: F401 - store is a fixture

STOCKHOLM = ZoneInfo("Europe/Stockholm")
THANKS = "Tack! Rapporten är sparad."


def report_page(username: str = "ombud"):
    at = logged_in(username)
    at.switch_page("pages/report.py").run()
    assert not at.exception, at.exception
    return at


def my_count(path: str, username: str = "ombud") -> int:
    return sql(path, "SELECT COUNT(*) FROM incident i JOIN user u ON u.id = i.reporter_user_id WHERE u.username = ?",
               username)


def sqlite_rows(path: str, query: str, *params) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query, params).fetchall()


def a_place(path: str) -> tuple[int, str, str]:
    return sqlite_rows(path, "SELECT p.id, p.name, a.code FROM place p JOIN area a ON a.id = p.area_id "
                             "ORDER BY p.name LIMIT 1")[0]


def alerts(at) -> list[str]:
    return [a.value for a in (*at.error, *at.warning, *at.success)]


def test_a_reporter_files_a_report_with_a_time_window_and_a_named_place(store):
    at = report_page()
    before = my_count(store)
    place_id, place_name, area_code = a_place(store)
    start = (datetime.now(STOCKHOLM) - timedelta(hours=3)).replace(second=0, microsecond=0)
    end = start + timedelta(hours=1)
    at.pills(key="report_category").set_value("klotter").run()
    at.segmented_control(key="report_when").set_value("mellan").run()
    at.date_input(key="report_from_day").set_value(start.date())
    at.time_input(key="report_from_time").set_value(start.time())
    at.date_input(key="report_to_day").set_value(end.date())
    at.time_input(key="report_to_time").set_value(end.time())
    at.selectbox(key="report_place").set_value(place_id).run()
    assert at.selectbox(key="report_area").value == area_code  # a named place brings its area along
    assert any(place_name in s for s in alerts(at))  # the summary says what will be saved
    at.text_area(key="report_description").input("Klotter på busskuren, cirka 2 x 3 m")
    at.segmented_control(key="report_assessment").set_value(2)
    at.button(key="report_submit").click().run()
    assert not at.exception, at.exception
    assert THANKS in [s.value for s in at.success]
    assert my_count(store) == before + 1
    row = sqlite_rows(store, "SELECT i.place_id, i.occurred_at, i.occurred_to, i.assessment, i.description, "
                             "i.location_precision FROM incident i JOIN user u ON u.id = i.reporter_user_id "
                             "WHERE u.username = 'ombud' ORDER BY i.id DESC LIMIT 1")[0]
    assert row[0] == place_id and row[3] == 2 and row[4] == "Klotter på busskuren, cirka 2 x 3 m"
    assert row[5] == "point"
    stored_from, stored_to = (datetime.fromisoformat(v).replace(tzinfo=timezone.utc) for v in row[1:3])
    assert stored_from == start.astimezone(timezone.utc) and stored_to - stored_from == timedelta(hours=1)
    # the form is empty again, and the new report heads my list with its place and status
    assert at.pills(key="report_category").value is None
    assert at.text_area(key="report_description").value == ""
    newest = at.get_by_key(f"report_card_{sql(store, 'SELECT MAX(id) FROM incident')}")
    card_text = " ".join(m.value for m in newest.markdown) + " ".join(c.value for c in newest.caption)
    assert "Klotter på busskuren" in card_text and place_name in card_text


def test_a_phone_number_in_the_description_warns_and_asks_once_more_before_saving(store):
    at = report_page()
    before = my_count(store)
    at.pills(key="report_category").set_value("ordningsstorning").run()
    area = sql(store, "SELECT code FROM area WHERE level = 'omrade' ORDER BY code LIMIT 1")
    at.selectbox(key="report_area").set_value(area).run()
    at.text_area(key="report_description").input("Bråk i trapphuset, ring 070-123 45 67").run()
    assert [w.value for w in at.warning] == [
        "Texten ser ut att innehålla ett telefonnummer. Skriv hellre vad som hände än vem det var – ta bort "
        "uppgifter som kan peka ut en person."]
    at.button(key="report_submit").click().run()
    assert my_count(store) == before  # not yet: the reporter is asked first
    assert at.button(key="report_confirm").label == "Skicka ändå"
    at.button(key="report_confirm").click().run()
    assert not at.exception, at.exception
    assert THANKS in [s.value for s in at.success]
    assert my_count(store) == before + 1


def test_changing_the_text_after_the_warning_needs_no_confirmation_once_it_is_clean(store):
    at = report_page()
    before = my_count(store)
    at.pills(key="report_category").set_value("klotter").run()
    at.selectbox(key="report_area").set_value(sql(store, "SELECT code FROM area ORDER BY code LIMIT 1")).run()
    at.text_area(key="report_description").input("Bil ABC 123 stod på gräset").run()
    at.button(key="report_submit").click().run()
    assert at.button(key="report_confirm") and my_count(store) == before
    at.text_area(key="report_description").input("En bil stod på gräset").run()
    assert not at.warning and not [b for b in at.button if b.key == "report_confirm"]
    at.button(key="report_submit").click().run()
    assert my_count(store) == before + 1


@pytest.mark.parametrize("missing, message", [
    ("category", "Välj vad som hände innan du skickar."),
    ("place", "Ange var det hände innan du skickar: tryck på kartan, eller välj ett område eller en plats."),
])
def test_a_report_without_category_or_place_is_not_sent_and_says_why(store, missing, message):
    at = report_page()
    before = my_count(store)
    if missing != "category":
        at.pills(key="report_category").set_value("klotter").run()
    if missing != "place":
        at.selectbox(key="report_area").set_value(sql(store, "SELECT code FROM area ORDER BY code LIMIT 1")).run()
    at.text_area(key="report_description").input("Något hände")
    at.button(key="report_submit").click().run()
    assert [e.value for e in at.error] == [message]
    assert my_count(store) == before
    assert at.text_area(key="report_description").value == "Något hände"  # nothing typed is lost


def test_a_window_that_ends_before_it_starts_is_refused_and_the_draft_is_kept(store):
    at = report_page()
    before = my_count(store)
    at.pills(key="report_category").set_value("klotter").run()
    at.segmented_control(key="report_when").set_value("mellan").run()
    at.selectbox(key="report_area").set_value(sql(store, "SELECT code FROM area ORDER BY code LIMIT 1")).run()
    now = datetime.now(STOCKHOLM)
    at.date_input(key="report_from_day").set_value(now.date())
    at.time_input(key="report_from_time").set_value((now - timedelta(minutes=30)).time().replace(second=0,
                                                                                                 microsecond=0))
    at.date_input(key="report_to_day").set_value((now - timedelta(days=1)).date())
    at.button(key="report_submit").click().run()
    assert [e.value for e in at.error] == ["Sluttiden måste vara samma som eller senare än starttiden."]
    assert my_count(store) == before
    assert at.pills(key="report_category").value == "klotter"


def test_the_draft_survives_a_visit_to_another_page(store):
    at = report_page()
    at.pills(key="report_category").set_value("samling").run()
    at.text_area(key="report_description").input("Halvklar text").run()
    at.switch_page("pages/map.py").run()
    at.switch_page("pages/report.py").run()
    assert at.pills(key="report_category").value == "samling"
    assert at.text_area(key="report_description").value == "Halvklar text"


def test_a_reader_sees_why_they_cannot_report_and_no_form(store):
    at = report_page("lasare")
    assert [i.value for i in at.info] == [
        "Din roll kan inte rapportera händelser. Kontakta samordnaren om du behöver kunna det."]
    assert not [b for b in at.button if b.key == "report_submit"]
    assert not at.pills and not at.text_area


LATEST_OWN = """SELECT i.id FROM incident i JOIN user u ON u.id = i.reporter_user_id WHERE u.username = 'ombud'
                ORDER BY i.occurred_at DESC, i.id DESC LIMIT 20"""
ANSWERED = """EXISTS (SELECT 1 FROM action a JOIN actioncategory ac ON ac.action_id = a.id
                      WHERE ac.category_id = i.category_id AND a.status IN ('föreslagen', 'beslutad', 'pågår')
                      AND (a.area_id = i.area_id OR a.area_id = (SELECT parent_id FROM area WHERE id = i.area_id)))"""


def card_status(at, incident_id: int) -> str:
    return at.get_by_key(f"report_card_{incident_id}").caption[-1].value


def test_my_reports_are_cards_whose_status_names_the_open_action_in_the_area_or_says_received(store):
    at = report_page()
    latest = [r[0] for r in sqlite_rows(store, LATEST_OWN)]
    assert latest, "the demo reporter has reports"
    for incident_id in latest:
        answered = sql(store, f"SELECT {ANSWERED} FROM incident i WHERE i.id = ?", incident_id)
        status = card_status(at, incident_id)
        if answered:
            assert "i området:" in status and status.split(" ", 1)[1].startswith("Åtgärd"), status
        else:
            assert status.endswith("Mottagen"), status
