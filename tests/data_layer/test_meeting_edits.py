"""Meeting mode's writes on both stores: start, generate the agenda from the data, edit it, record minutes and
decisions that become actions in one transaction, close (freeze) the meeting; and the events register."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_layer import event_edits, meeting_edits as me
from data_layer.action_edits import ActionValidationError
from data_layer.db import session_scope
from data_layer.meeting_agenda import AGENDA_KINDS
from data_layer.models import (Action, ActionUpdate, AgendaItem, Area, Decision, Event, Incident, Meeting, Place,
                               StoreInfo)
from data_layer.queries.comparison import coming_events
from data_layer.queries.meetings import agenda_items, meeting_decisions, meeting_detail
from data_layer.scope import Scope
from tests.data_layer.factories import add_incident, make_orgs_and_users

TODAY = date(2026, 11, 24)


@pytest.fixture
def store(engine):
    """Two organisations with users, an area with a place, a meeting held a week ago, an overdue action, reports."""
    ids = make_orgs_and_users(engine)
    with session_scope(engine) as session:
        area = Area(code="centrum", name="Centrum", level="omrade")
        session.add(area)
        session.flush()
        place = Place(name="Torget", kind="torg", lat=57.65, lon=14.69, area_id=area.id)
        held = Meeting(forum="Trygghetsforum", held_on=TODAY - timedelta(days=7), status="avslutat")
        session.add_all([place, held])
        session.flush()
        ids.update(area=area.id, place=place.id, held=held.id)
        now = datetime(2026, 11, 1, tzinfo=timezone.utc)
        session.add(Action(title="Belysning i tunneln", owner_org_id=ids["org_a"], status="pågår",
                           due_date=TODAY - timedelta(days=3), created_at=now, updated_at=now))
        session.add(Action(title="Klar sedan länge", owner_org_id=ids["org_a"], status="klar",
                           due_date=TODAY - timedelta(days=30), created_at=now, updated_at=now))
    for k in range(5):  # reporter-judged serious reports since the last meeting; one sensitive, one too old
        iid = add_incident(engine, source_org_id=ids["org_b"], external_id=f"r{k}", reporter_user_id=ids["rapportor_b"],
                           sensitive=(k == 4), local_date=TODAY - timedelta(days=(1, 3, 5, 10, 2)[k]),
                           occurred_at=datetime(2026, 11, 20, tzinfo=timezone.utc))
        with session_scope(engine) as session:
            row = session.get(Incident, iid)
            row.assessment, row.area_id = 3, ids["area"]
    event_edits.add_event(engine, scope=_scope(ids, "samordnare"), title="Fotbollsmatch", kind="match",
                          starts_at=datetime(2026, 11, 28, 15, 0), place_id=ids["place"])
    return engine, ids


def _scope(ids, username):
    role = {"medlem_b": "medlem", "medlem_a": "medlem", "rapportor_b": "rapportor"}.get(username, username)
    return Scope(user_id=ids[username], role=role, organisation_id=ids["org_b" if username.endswith("_b") else "org_a"])


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def _started_with_agenda(engine, ids):
    scope = _scope(ids, "samordnare")
    mid = me.start_meeting(engine, scope=scope, forum="Trygghetsforum", held_on=TODAY, participants=["org_a", "org_b"])
    items = me.generate_agenda(engine, scope=scope, meeting_id=mid, today=TODAY)
    return scope, mid, items


def test_a_started_meeting_gets_six_items_written_from_the_data_in_order(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    agenda = agenda_items(engine, scope=scope, meeting_id=mid)
    assert list(agenda["kind"]) == list(AGENDA_KINDS) and list(agenda["position"]) == [1, 2, 3, 4, 5, 6]
    body = dict(zip(agenda["kind"], agenda["body"]))
    assert "Belysning i tunneln" in body["uppfoljning"] and "Klar sedan länge" not in body["uppfoljning"]
    assert "Fotbollsmatch" in body["handelser"] and "Torget" in body["handelser"]
    links = dict(zip(agenda["kind"], agenda["link"]))
    assert links["hotspots"] == f"/karta?from={TODAY - timedelta(days=7)}&to={TODAY}"
    assert links["uppfoljning"].startswith("/atgarder?from=")


def test_the_reports_item_counts_what_an_independent_sql_count_finds(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    figures = json.loads(meeting_detail(engine, scope=scope, meeting_id=mid)["snapshot"].iloc[0])["figures"]
    reports = figures[str(items[AGENDA_KINDS.index("rapporter")])]
    with engine.connect() as conn:
        expected = conn.execute(select(func.count()).select_from(Incident).where(
            Incident.assessment == 3, Incident.sensitive.is_(False), Incident.reporter_user_id.is_not(None),
            Incident.occurred_date >= TODAY - timedelta(days=7), Incident.occurred_date <= TODAY)).scalar_one()
    assert reports["count"] == expected == 3
    follow = figures[str(items[0])]
    assert [a["title"] for a in follow["actions"]] == ["Belysning i tunneln"] and follow["overdue"] == 1


def test_a_second_generation_is_refused_unless_replacing_and_keeps_items_with_decisions(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    with pytest.raises(me.MeetingValidationError):
        me.generate_agenda(engine, scope=scope, meeting_id=mid, today=TODAY)
    me.record_decision(engine, scope=scope, meeting_id=mid, agenda_item_id=items[0], text="Följ upp belysningen.")
    me.generate_agenda(engine, scope=scope, meeting_id=mid, today=TODAY, replace=True)
    agenda = agenda_items(engine, scope=scope, meeting_id=mid)
    assert len(agenda) == 7 and agenda["id"].iloc[0] == items[0] and list(agenda["position"]) == list(range(1, 8))


def test_the_agenda_can_be_edited_reordered_extended_and_shortened(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    me.edit_item(engine, scope=scope, item_id=items[5], title="Övrigt: valvaka", body="<b>inte markup</b>")
    me.move_item(engine, scope=scope, item_id=items[5], step=-1)
    new = me.add_item(engine, scope=scope, meeting_id=mid, title="Skolans läge")
    me.delete_item(engine, scope=scope, item_id=items[2])
    agenda = agenda_items(engine, scope=scope, meeting_id=mid)
    assert list(agenda["id"]) == [items[0], items[1], items[3], items[5], items[4], new]
    assert list(agenda["position"]) == [1, 2, 3, 4, 5, 6]
    assert agenda.set_index("id").loc[items[5], "body"] == "<b>inte markup</b>"
    with pytest.raises(me.MeetingValidationError, match="Rubrik"):
        me.edit_item(engine, scope=scope, item_id=new, title="  ", body=None)


def test_a_decision_becomes_a_linked_action_in_one_step(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    me.record_minutes(engine, scope=scope, item_id=items[2], minutes="Polisen ser samma bild.")
    decision_id, action_id = me.record_decision(
        engine, scope=scope, meeting_id=mid, agenda_item_id=items[2], text="Trygghetsvandring vid Torget.",
        make_action={"title": "Trygghetsvandring vid Torget", "owner_org_id": ids["org_b"], "place_id": ids["place"],
                     "due_date": TODAY + timedelta(days=14)})
    with session_scope(engine) as session:
        action, decision = session.get(Action, action_id), session.get(Decision, decision_id)
        assert (decision.action_id, decision.agenda_item_id, action.decided_meeting_id) == (action_id, items[2], mid)
        assert (action.status, action.owner_org_id, action.area_id) == ("beslutad", ids["org_b"], ids["area"])
        assert session.get(Meeting, mid).status == "pågår"
        assert session.get(AgendaItem, items[2]).minutes == "Polisen ser samma bild."
    decisions = meeting_decisions(engine, scope=scope, meeting_id=mid)
    assert decisions["action_title"].tolist() == ["Trygghetsvandring vid Torget"]


def test_a_refused_action_leaves_neither_decision_nor_action_nor_history(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    before = [_count(engine, m) for m in (Action, ActionUpdate, Decision)]
    with pytest.raises(ActionValidationError, match="Slutdatum"):
        me.record_decision(engine, scope=scope, meeting_id=mid, agenda_item_id=items[0], text="Beslut",
                           make_action={"title": "Fel datum", "start_date": TODAY, "due_date": TODAY - timedelta(1)})
    with pytest.raises(me.MeetingValidationError, match="Dagordningspunkt"):
        me.record_decision(engine, scope=scope, meeting_id=mid, agenda_item_id=10_000, text="Beslut",
                           make_action={"title": "Bra åtgärd"})
    assert [_count(engine, m) for m in (Action, ActionUpdate, Decision)] == before


def test_a_failed_decision_after_the_action_rolls_the_action_back(store, monkeypatch):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    before = [_count(engine, m) for m in (Action, ActionUpdate, Decision)]
    version = _data_version(engine)

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(me.audit, "record", broken)  # fails after create_action has written its rows
    with pytest.raises(RuntimeError):
        me.record_decision(engine, scope=scope, meeting_id=mid, agenda_item_id=items[0], text="Beslut",
                           make_action={"title": "Halv åtgärd"})
    assert [_count(engine, m) for m in (Action, ActionUpdate, Decision)] == before
    assert _data_version(engine) == version


def _data_version(engine):
    with engine.connect() as conn:
        return conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")).scalar_one_or_none()


def test_closing_freezes_what_was_shown_and_locks_the_meeting(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    me.edit_item(engine, scope=scope, item_id=items[4], title="Rapporter", body="Tre allvarliga rapporter.")
    me.record_decision(engine, scope=scope, meeting_id=mid, agenda_item_id=items[4], text="Ta upp i nästa möte.")
    me.close_meeting(engine, scope=scope, meeting_id=mid)
    add_incident(engine, source_org_id=ids["org_b"], external_id="late", reporter_user_id=ids["rapportor_b"],
                 local_date=TODAY - timedelta(days=1))
    detail = meeting_detail(engine, scope=scope, meeting_id=mid).iloc[0]
    snap = json.loads(detail["snapshot"])
    assert detail["status"] == "avslutat" and detail["closed_at"] is not None and snap["frozen"] is True
    frozen = {i["kind"]: i for i in snap["items"]}
    assert frozen["rapporter"]["body"] == "Tre allvarliga rapporter." and frozen["rapporter"]["figures"]["count"] == 3
    assert [d["text"] for d in snap["decisions"]] == ["Ta upp i nästa möte."]
    for write in (lambda: me.record_minutes(engine, scope=scope, item_id=items[0], minutes="x"),
                  lambda: me.add_item(engine, scope=scope, meeting_id=mid, title="x"),
                  lambda: me.close_meeting(engine, scope=scope, meeting_id=mid)):
        with pytest.raises(me.MeetingClosed):
            write()


def test_members_and_viewers_may_read_but_not_run_a_meeting(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    for username in ("medlem_a", "lasare", "rapportor_b"):
        with pytest.raises(me.MeetingPermissionError):
            me.start_meeting(engine, scope=_scope(ids, username), forum="x", held_on=TODAY)
        with pytest.raises(me.MeetingPermissionError):
            me.record_decision(engine, scope=_scope(ids, username), meeting_id=mid, agenda_item_id=None, text="x")
    assert len(agenda_items(engine, scope=_scope(ids, "lasare"), meeting_id=mid)) == 6
    assert agenda_items(engine, scope=_scope(ids, "rapportor_b"), meeting_id=mid).empty


def test_a_meeting_with_an_unknown_organisation_or_bad_date_is_refused_by_name(store):
    engine, ids = store
    scope = _scope(ids, "samordnare")
    with pytest.raises(me.MeetingValidationError, match="Deltagande organisationer: okänd organisation 'nope'"):
        me.start_meeting(engine, scope=scope, forum="Forum", held_on=TODAY, participants=["org_a", "nope"])
    with pytest.raises(me.MeetingValidationError, match="Mötesdatum"):
        me.start_meeting(engine, scope=scope, forum="Forum", held_on="24/11")
    assert _count(engine, Meeting) == 1


def test_events_are_added_edited_and_deleted_and_show_on_the_agenda_window(store):
    engine, ids = store
    scope = _scope(ids, "samordnare")
    eid = event_edits.add_event(engine, scope=scope, title="Lucia", kind="högtid",
                                starts_at=datetime(2026, 12, 13, 7, 0), area_code="centrum")
    event_edits.edit_event(engine, scope=scope, event_id=eid, title="Luciatåg", kind="högtid",
                           starts_at="2026-12-13T08:00", area_code="centrum")
    shown = coming_events(engine, scope=scope, start=TODAY, days=21)
    assert "Luciatåg" in shown["title"].tolist() and shown.set_index("title").loc["Luciatåg", "area_code"] == "centrum"
    with pytest.raises(event_edits.EventError, match="Typ"):
        event_edits.add_event(engine, scope=scope, title="X", kind="fest", starts_at=datetime(2026, 12, 1, 12),
                              area_code="centrum")
    with pytest.raises(event_edits.EventError, match="Sluttid"):
        event_edits.add_event(engine, scope=scope, title="X", kind="match", starts_at=datetime(2026, 12, 1, 12),
                              ends_at=datetime(2026, 12, 1, 11), place_id=ids["place"])
    with pytest.raises(event_edits.EventError):
        event_edits.add_event(engine, scope=_scope(ids, "lasare"), title="X", kind="match",
                              starts_at=datetime(2026, 12, 1, 12), place_id=ids["place"])
    event_edits.delete_event(engine, scope=scope, event_id=eid)
    assert _count(engine, Event) == 1


def test_an_agenda_written_days_after_the_last_meeting_still_looks_back_a_whole_week():
    from datetime import date

    from data_layer.meeting_agenda import agenda_period

    today = date(2026, 11, 26)
    assert agenda_period(date(2026, 11, 24), today).start == date(2026, 11, 20)
    assert agenda_period(date(2026, 11, 12), today).start == date(2026, 11, 12)
    assert agenda_period(None, today).end == today


def test_members_and_viewers_read_titles_and_decisions_but_no_bodies_or_minutes(store):
    engine, ids = store
    scope, mid, items = _started_with_agenda(engine, ids)
    me.edit_item(engine, scope=scope, item_id=items[4], title="Rapporter", body="Hemlig kropp.")
    me.record_minutes(engine, scope=scope, item_id=items[4], minutes="Hemliga anteckningar.")
    me.set_meeting_minutes(engine, scope=scope, meeting_id=mid, minutes="Hemlig sammanfattning.")
    me.record_decision(engine, scope=scope, meeting_id=mid, agenda_item_id=items[4], text="Ta upp i nästa möte.")
    me.close_meeting(engine, scope=scope, meeting_id=mid)
    full = agenda_items(engine, scope=scope, meeting_id=mid)
    assert "Hemlig kropp." in set(full["body"]) and "Hemliga anteckningar." in set(full["minutes"])
    for username in ("medlem_a", "lasare"):
        reader = _scope(ids, username)
        agenda = agenda_items(engine, scope=reader, meeting_id=mid)
        assert list(agenda["title"]) == list(full["title"])
        assert agenda["body"].isna().all() and agenda["minutes"].isna().all()
        detail = meeting_detail(engine, scope=reader, meeting_id=mid).iloc[0]
        assert pd.isna(detail["minutes"])
        assert "Hemlig" not in detail["snapshot"] and json.loads(detail["snapshot"])["items"]
        assert list(meeting_decisions(engine, scope=reader, meeting_id=mid)["text"]) == ["Ta upp i nästa möte."]
