"""Meeting queries: the forum's meetings and one meeting's agenda (gated by the matrix's "meeting" rights)."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, func, null, or_, select

from data_layer.models import Action, AgendaItem, Decision, Meeting, Organisation
from data_layer.queries._common import empty, frame
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope, visible

MEETING_COLUMNS = ["id", "forum", "held_on", "status", "items", "decisions", "closed_at"]
AGENDA_COLUMNS = ["position", "kind", "title", "body", "minutes", "id", "link"]


def meetings_list(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """All meetings (newest first) with their number of agenda items and decisions; empty without meeting rights."""
    if not scope.can("meeting", "list"):
        return empty(MEETING_COLUMNS)
    items = select(func.count(AgendaItem.id)).where(AgendaItem.meeting_id == Meeting.id).scalar_subquery()
    decisions = select(func.count(Decision.id)).where(Decision.meeting_id == Meeting.id).scalar_subquery()
    stmt = (select(Meeting.id, Meeting.forum, Meeting.held_on, Meeting.status, items, decisions, Meeting.closed_at)
            .order_by(Meeting.held_on.desc(), Meeting.id.desc()))
    return frame(engine, stmt, MEETING_COLUMNS)


def agenda_items(engine: Engine, *, scope: Scope, meeting_id: int, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """The agenda items of one meeting in order; empty without the right to read meeting details; body and minutes
    None (blanked in SQL) without meeting free_text."""
    if not scope.can("meeting", "read_detail"):
        return empty(AGENDA_COLUMNS)
    free_text = scope.can("meeting", "free_text")
    body, minutes = (AgendaItem.body, AgendaItem.minutes) if free_text else (null(), null())
    stmt = (select(AgendaItem.position, AgendaItem.kind, AgendaItem.title, body, minutes,
                   AgendaItem.id, AgendaItem.link)
            .where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position, AgendaItem.id))
    return frame(engine, stmt, AGENDA_COLUMNS)


LAST_MEETING_COLUMNS = ["held_on", "forum"]


def last_held_meeting(engine: Engine, *, scope: Scope, today: date, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """The latest meeting already held on `today`: any meeting before today, or today's once it is closed (so at a
    meeting, "since the last meeting" still means since the one before). Empty without meeting rights or meetings."""
    if not scope.can("meeting", "list"):
        return empty(LAST_MEETING_COLUMNS)
    held = or_(Meeting.held_on < today, and_(Meeting.held_on == today, Meeting.status == "avslutat"))
    stmt = (select(Meeting.held_on, Meeting.forum).where(held)
            .order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(1))
    return frame(engine, stmt, LAST_MEETING_COLUMNS)


# meeting mode
MEETING_DETAIL_COLUMNS = ["id", "forum", "held_on", "status", "participants", "minutes", "snapshot", "closed_at"]
DECISION_COLUMNS = ["id", "agenda_item_id", "text", "action_id", "action_title", "action_status", "action_due",
                    "action_owner"]


def meeting_detail(engine: Engine, *, scope: Scope, meeting_id: int, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """One meeting row with participants and snapshot (JSON text, see data_layer/meeting_edits.py); empty without the
    right to read meeting details or when there is no such meeting; minutes None (blanked in SQL) without meeting
    free_text."""
    if not scope.can("meeting", "read_detail"):
        return empty(MEETING_DETAIL_COLUMNS)
    minutes = Meeting.minutes if scope.can("meeting", "free_text") else null()
    stmt = select(Meeting.id, Meeting.forum, Meeting.held_on, Meeting.status, Meeting.participants, minutes,
                  Meeting.snapshot, Meeting.closed_at).where(Meeting.id == meeting_id)
    df = frame(engine, stmt, MEETING_DETAIL_COLUMNS)
    if not scope.can("meeting", "free_text"):  # the frozen items carry their bodies and minutes too
        df["snapshot"] = df["snapshot"].map(_without_free_text)
    return df


def _without_free_text(raw):
    """A snapshot (JSON text) with the frozen items' bodies and minutes removed; anything unreadable as None."""
    if not isinstance(raw, str):
        return raw
    try:
        snap = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(snap, dict):
        return None
    for item in snap.get("items") or []:
        if isinstance(item, dict):
            item["body"] = item["minutes"] = None
    return json.dumps(snap, ensure_ascii=False)


def meeting_decisions(engine: Engine, *, scope: Scope, meeting_id: int,
                      flt: IncidentFilter | None = None) -> pd.DataFrame:
    """The meeting's decisions in order, with the linked action's title, status, due date and owner where the scope
    may read that action (else only its id)."""
    if not scope.can("meeting", "read_detail"):
        return empty(DECISION_COLUMNS)
    readable = select(Action.id).where(visible(Action, scope, operation="read_detail"))
    action = and_(Action.id == Decision.action_id, Action.id.in_(readable))
    stmt = (select(Decision.id, Decision.agenda_item_id, Decision.text, Decision.action_id, Action.title,
                   Action.status, Action.due_date, Organisation.name)
            .outerjoin(Action, action).outerjoin(Organisation, Organisation.id == Action.owner_org_id)
            .where(Decision.meeting_id == meeting_id).order_by(Decision.id))
    return frame(engine, stmt, DECISION_COLUMNS)


ORGANISATION_CHOICE_COLUMNS = ["id", "code", "name"]


def organisation_choices(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """Organisations with their ids (for a decision's owner and the participants), by name."""
    return frame(engine, select(Organisation.id, Organisation.code, Organisation.name).order_by(Organisation.name),
                 ORGANISATION_CHOICE_COLUMNS)
