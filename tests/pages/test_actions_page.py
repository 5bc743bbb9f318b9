"""The action register on a copy of the demo store: each view lists what the store holds, an edit is saved and shows in
the history, two people editing the same action get a conflict naming the other's change (and can re-apply), a member
cannot edit another organisation's action, a link prefills a new action, and the effect is stated honestly."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
import streamlit as st

from analysis.periods import today_stockholm
from data_layer.db import make_engine
from data_layer.demo import load_demo
from data_layer.migrate import upgrade_to_head
from tests.pages.test_pages_render import logged_in, sql, store  # noqa: F401 (fixture)

OPEN = "('föreslagen','beslutad','pågår')"


def open_actions(username: str = "samordnare", query_params: dict | None = None):
    at = logged_in(username, query_params)
    at.switch_page("pages/actions.py").run()
    assert not at.exception, at.exception
    return at


def pick(at, action_id: int):
    at.selectbox(key="actions_pick").set_value(action_id).run()
    assert not at.exception, at.exception
    return at


def form_widget(at, kind: str, action_id: int, field: str):
    """The edit form's widget for `field` (keys are actform_<id>_<generation>_<field>)."""
    found = [w for w in getattr(at, kind) if w.key and w.key.startswith(f"actform_{action_id}_")
             and w.key.endswith(f"_{field}")]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]


def click(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def rows(path: str, query: str, *params) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query, params).fetchall()


def org_action(path: str, org_code: str, status: str = "pågår") -> int:
    return sql(path, "SELECT a.id FROM action a JOIN organisation o ON o.id = a.owner_org_id "
                     "WHERE o.code = ? AND a.status = ? ORDER BY a.id LIMIT 1", org_code, status)


# --- views ---------------------------------------------------------------------------------------------------------

def test_a_coordinator_sees_all_actions_and_the_overdue_view_lists_exactly_the_overdue_ones(store):
    at = open_actions("samordnare")
    assert at.radio(key="actions_view").value == "all"
    assert len(at.dataframe[0].value) == sql(store, "SELECT COUNT(*) FROM action")
    at.radio(key="actions_view").set_value("overdue").run()
    table = at.dataframe[0].value
    overdue = rows(store, f"SELECT title FROM action WHERE due_date < ? AND status IN {OPEN}",
                   today_stockholm().isoformat())
    assert sorted(table["Åtgärd"]) == sorted(t for (t,) in overdue)
    assert (table["Försenad"] == "Försenad").all() and (table["Dagar försenad"] > 0).all()
    buttons = at.get("download_button")  # the exports hold what is listed (their bytes: tests/data_layer)
    assert [b.proto.label for b in buttons] == ["Ladda ner CSV", "Ladda ner Excel"]
    assert all(b.proto.help.startswith(f"De {len(overdue)} åtgärderna i listan") for b in buttons)


def test_an_area_manager_opens_their_organisations_actions_first(store):
    at = open_actions("omradeschef")
    assert at.radio(key="actions_view").value == "own"
    own = rows(store, "SELECT a.title FROM action a JOIN organisation o ON o.id = a.owner_org_id JOIN user u "
                      "ON u.organisation_id = o.id WHERE u.username = 'omradeschef'")
    assert sorted(at.dataframe[0].value["Åtgärd"]) == sorted(t for (t,) in own)


def test_the_area_view_counts_open_and_overdue_actions_per_area(store):
    at = open_actions()
    at.radio(key="actions_view").set_value("area").run()
    summary = at.dataframe[0].value  # the summary comes before the list
    assert summary["Öppna"].sum() == sql(store, f"SELECT COUNT(*) FROM action WHERE status IN {OPEN}")
    area, n_open = rows(store, f"SELECT ar.name, COUNT(*) FROM action a JOIN area ar ON ar.id = a.area_id "
                               f"WHERE a.status IN {OPEN} GROUP BY ar.name ORDER BY 2 DESC, 1 LIMIT 1")[0]
    assert int(summary.loc[summary["Område"] == area, "Öppna"].iloc[0]) == n_open


def test_the_board_has_a_column_per_status_with_the_store_counts_and_cards_that_open_the_action(store):
    at = open_actions()
    at.radio(key="actions_view").set_value("board").run()
    headers = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith(")")]
    for status, label in (("föreslagen", "Föreslagen"), ("beslutad", "Beslutad"), ("pågår", "Pågår"),
                          ("klar", "Klar"), ("avbruten", "Avbruten")):
        n = sql(store, "SELECT COUNT(*) FROM action WHERE status = ?", status)
        assert f"**{label}** ({n})" in headers
    action_id = sql(store, "SELECT id FROM action WHERE status = 'pågår' ORDER BY due_date LIMIT 1")
    at.button(key=f"board_open_{action_id}").click().run()
    assert at.session_state["actions_pick"] == action_id
    assert any(w.key and w.key.startswith(f"actform_{action_id}_") for w in at.text_input)


def test_the_sidebar_area_filter_limits_the_list(store):
    code, name = rows(store, "SELECT ar.code, ar.name FROM action a JOIN area ar ON ar.id = a.area_id "
                             "WHERE ar.level = 'omrade' GROUP BY ar.code ORDER BY COUNT(*) DESC LIMIT 1")[0]
    at = open_actions(query_params={"areas": code})
    table = at.dataframe[0].value
    assert len(table) == sql(store, "SELECT COUNT(*) FROM action a JOIN area ar ON ar.id = a.area_id "
                                    "WHERE ar.code = ?", code)
    assert set(table["Område"]) == {name}


# --- editing ---------------------------------------------------------------------------------------------------------

def test_an_edit_is_saved_with_a_new_version_and_shows_in_the_history(own_store):
    action_id = org_action(own_store, "kommunen")
    version, before = rows(own_store, "SELECT version, priority FROM action WHERE id = ?", action_id)[0]
    after = 3 if before != 3 else 1
    at = pick(open_actions(), action_id)
    form_widget(at, "text_input", action_id, "title").input("Fältassistenter även helger")
    form_widget(at, "selectbox", action_id, "priority").set_value(after)
    click(at, "Spara ändringar")
    assert rows(own_store, "SELECT title, priority, version FROM action WHERE id = ?", action_id) == [
        ("Fältassistenter även helger", after, version + 1)]
    assert any("Ändringarna är sparade" in s.value for s in at.success)
    history = at.dataframe[-1].value  # the history is the last table
    assert history["Vem"].iloc[0] == "Trygghetssamordnare (demo) (Sjöbacka kommun)"
    names = {1: "Hög", 2: "Normal", 3: "Låg"}
    assert history["Vad"].iloc[0] == "Ändrad"
    assert f"Prioritet: {names[before]} → {names[after]}" in history["Ändringar"].iloc[0]
    assert "→ Fältassistenter även helger" in history["Ändringar"].iloc[0]
    # the form reopened on the new version: saving again is no conflict
    form_widget(at, "date_input", action_id, "due").set_value(date.today() + timedelta(days=30))
    click(at, "Spara ändringar")
    assert sql(own_store, "SELECT version FROM action WHERE id = ?", action_id) == version + 2
    assert not at.warning


def test_a_status_step_back_without_a_note_is_refused_with_the_reason_and_nothing_changes(own_store):
    action_id = org_action(own_store, "kommunen")
    at = pick(open_actions(), action_id)
    status = form_widget(at, "selectbox", action_id, "status")
    assert status.options == ["Pågår", "Klar", "Avbruten", "Föreslagen (kräver anteckning)",
                              "Beslutad (kräver anteckning)"]
    status.set_value("beslutad")
    click(at, "Spara ändringar")
    assert at.error and "nteckning" in at.error[0].value
    assert sql(own_store, "SELECT status FROM action WHERE id = ?", action_id) == "pågår"
    form_widget(at, "text_area", action_id, "note").input("Vänta på nytt beslut i forumet")
    click(at, "Spara ändringar")
    assert sql(own_store, "SELECT status FROM action WHERE id = ?", action_id) == "beslutad"


def test_two_people_editing_the_same_action_get_a_conflict_and_can_re_apply(own_store):
    action_id = org_action(own_store, "bostadsbolaget_a")
    coordinator = pick(open_actions("samordnare"), action_id)
    manager = pick(open_actions("omradeschef"), action_id)
    new_due = date.today() + timedelta(days=45)

    form_widget(coordinator, "selectbox", action_id, "status").set_value("klar")
    click(coordinator, "Spara ändringar")
    assert sql(own_store, "SELECT status FROM action WHERE id = ?", action_id) == "klar"

    form_widget(manager, "date_input", action_id, "due").set_value(new_due)
    form_widget(manager, "text_input", action_id, "title").input("Låsbyte i alla källarförråd")
    click(manager, "Spara ändringar")
    warning = manager.warning[0].value.replace("\\", "")  # names are escaped as text
    assert "Trygghetssamordnare (demo) ändrade status från pågår till klar" in warning
    assert sql(own_store, "SELECT title FROM action WHERE id = ?", action_id) != "Låsbyte i alla källarförråd"
    assert form_widget(manager, "text_input", action_id, "title").value == "Låsbyte i alla källarförråd"  # kept

    click(manager, "Skriv över med mina ändringar")
    assert rows(own_store, "SELECT title, due_date, status, version FROM action WHERE id = ?", action_id) == [
        ("Låsbyte i alla källarförråd", new_due.isoformat(), "klar", 3)]  # the coordinator's status stays
    assert not manager.warning


def test_reload_after_a_conflict_drops_my_input_and_shows_the_current_action(own_store):
    action_id = org_action(own_store, "kommunen")
    first, second = pick(open_actions(), action_id), pick(open_actions(), action_id)
    form_widget(first, "text_input", action_id, "title").input("Först")
    click(first, "Spara ändringar")
    form_widget(second, "text_input", action_id, "title").input("Sist")
    click(second, "Spara ändringar")
    assert second.warning
    click(second, "Ladda om")
    assert form_widget(second, "text_input", action_id, "title").value == "Först"
    assert not second.warning and sql(own_store, "SELECT title FROM action WHERE id = ?", action_id) == "Först"


def test_a_member_cannot_edit_another_organisations_action(store):
    action_id = org_action(store, "kommunen")
    at = open_actions("omradeschef")
    at.radio(key="actions_view").set_value("all").run()
    pick(at, action_id)
    assert any("Du kan inte ändra den här åtgärden: den ägs av Sjöbacka kommun" in i.value for i in at.info)
    assert not [w for w in at.text_input if w.key and w.key.startswith(f"actform_{action_id}_")]
    assert "Spara ändringar" not in [b.label for b in at.button]


def test_a_viewer_reads_an_action_but_gets_no_forms_and_no_exports(store):
    at = open_actions("lasare")
    assert not at.get("download_button")
    pick(at, org_action(store, "kommunen"))
    assert any("kan se åtgärder men inte ändra dem" in i.value for i in at.info)
    assert not [b for b in at.button if b.label in ("Spara ändringar", "Lägg till åtgärden")]


def test_a_link_prefills_a_new_action_that_lands_in_the_register(own_store):
    cell = rows(own_store, "SELECT h3_r9 FROM incident WHERE h3_r9 IS NOT NULL LIMIT 1")[0][0]
    area = sql(own_store, "SELECT code FROM area WHERE level = 'omrade' ORDER BY code LIMIT 1")
    at = open_actions(query_params={"area": area, "cell": cell, "categories": "klotter",
                                    "title": "Klotter vid skolan"})
    assert at.expander[0].proto.expanded
    title = next(w for w in at.text_input if w.key and w.key.startswith("action_new_") and w.key.endswith("_title"))
    assert title.value == "Klotter vid skolan"
    click(at, "Lägg till åtgärden")
    (action_id, cells, status, area_id), = rows(own_store, "SELECT id, h3_cells, status, area_id FROM action "
                                                           "WHERE title = 'Klotter vid skolan'")
    assert (cells, status) == (cell, "föreslagen")
    assert sql(own_store, "SELECT code FROM area WHERE id = ?", area_id) == area
    cats = rows(own_store, "SELECT c.code FROM actioncategory ac JOIN category c ON c.id = ac.category_id "
                           "WHERE ac.action_id = ? ORDER BY c.code", action_id)
    assert cats == [("klotter",)]  # through the sidebar's category filter, which keeps the link's codes
    assert at.session_state["actions_pick"] == action_id  # the new action opens at once


# --- effect --------------------------------------------------------------------------------------------------------

def test_the_effect_section_gives_a_verdict_or_says_why_it_cannot(store):
    with_place = sql(store, "SELECT id FROM action WHERE start_date IS NOT NULL AND start_date < ? AND "
                            "(place_id IS NOT NULL OR area_id IS NOT NULL) ORDER BY start_date DESC LIMIT 1",
                     (today_stockholm() - timedelta(days=70)).isoformat())
    at = pick(open_actions(), with_place)
    verdict = next(m.value for m in at.markdown if "Bedömning:" in m.value)
    assert any(v in verdict for v in ("tydlig minskning", "trolig minskning", "ingen säker förändring",
                                      "trolig ökning", "tydlig ökning", "för lite data"))
    assert any(m.value.startswith("Jämförelsen gäller hela veckor") for m in at.caption)
    no_start = sql(store, "SELECT id FROM action WHERE start_date IS NULL LIMIT 1")
    pick(at, no_start)
    assert any(i.value.startswith("Effekten kan bedömas när åtgärden har en plats") for i in at.info)


DEMO_TODAY = date(2026, 11, 25)  # as tests/data_layer/queries/test_effects.py: fixed, so the verdict is too


@pytest.fixture(scope="module")
def full_scale_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("actions_full") / "demo.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade_to_head(eng)
    load_demo(eng, seed=7, today=DEMO_TODAY, scale=1.0)
    eng.dispose()
    return str(path)


def test_the_demos_station_lighting_comes_out_as_a_clear_decrease_with_a_chart(full_scale_store, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DB_URL", f"sqlite:///{full_scale_store}")
    monkeypatch.setattr("ui.state.today_stockholm", lambda: DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()
    effective = json.loads(sql(full_scale_store, "SELECT value FROM storeinfo WHERE key = 'demo_effective_actions'"))
    action_id = sql(full_scale_store, "SELECT id FROM action WHERE title LIKE 'Ny belysning vid gångtunneln%'")
    assert action_id in effective
    at = pick(open_actions(), action_id)
    assert any(m.value.endswith("**Bedömning: tydlig minskning**") for m in at.markdown)
    assert "Bedömning: tydlig minskning" in at.get("plotly_chart")[0].proto.alt  # the chart's text alternative
    assert any(m.value.startswith("Förändring jämfört med jämförelseområdena: -") for m in at.markdown)
    st.cache_data.clear()


def test_a_board_card_moves_one_step_on_and_a_stale_card_reports_the_conflict_instead(own_store):
    first, second = (sql(own_store, "SELECT id FROM action WHERE status = 'beslutad' ORDER BY id LIMIT 1 OFFSET ?", n)
                     for n in (0, 1))
    at = open_actions()
    at.radio(key="actions_view").set_value("board").run()
    at.button(key=f"board_move_{first}").click().run()
    assert not at.exception, at.exception
    assert sql(own_store, "SELECT status FROM action WHERE id = ?", first) == "pågår"
    assert at.success[0].value == "Åtgärden flyttades till Pågår."
    # someone else edits the second card after this board was drawn
    other = pick(open_actions("samordnare"), second)
    form_widget(other, "selectbox", second, "priority").set_value(1 if sql(
        own_store, "SELECT priority FROM action WHERE id = ?", second) != 1 else 3)
    click(other, "Spara ändringar")
    at.button(key=f"board_move_{second}").click().run()
    assert sql(own_store, "SELECT status FROM action WHERE id = ?", second) == "beslutad"
    assert "Trygghetssamordnare (demo) ändrade prioritet" in at.warning[0].value


def test_a_viewer_reads_an_action_without_its_description_and_place_and_is_told_so(store):
    action_id = sql(store, "SELECT id FROM action WHERE description IS NOT NULL AND description <> '' ORDER BY id")
    description = sql(store, "SELECT description FROM action WHERE id = ?", action_id)
    at = pick(open_actions("lasare"), action_id)
    assert description not in [x.value for x in at.text]
    assert any(c.value == "Beskrivning: visas inte för din roll" for c in at.caption)
    manager = pick(open_actions("omradeschef"), action_id)
    assert description in [x.value for x in manager.text]


def test_a_reader_gets_the_verdict_but_no_weekly_counts_at_the_place(full_scale_store, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DB_URL", f"sqlite:///{full_scale_store}")
    monkeypatch.setattr("ui.state.today_stockholm", lambda: DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()
    action_id = sql(full_scale_store, "SELECT id FROM action WHERE title LIKE 'Ny belysning vid gångtunneln%'")
    at = pick(open_actions("lasare"), action_id)
    assert not at.exception, at.exception
    assert any("Bedömning:" in m.value for m in at.markdown)
    assert not at.get("plotly_chart") and "action_effect_table" not in [d.key for d in at.dataframe]
    st.cache_data.clear()
