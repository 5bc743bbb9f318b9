"""Writes of meeting mode: start a meeting, generate and edit its agenda, minutes, decisions, close (freeze) it.

Semantics (the meeting protocol in data_layer/reports reads these tables):

- Meeting: one forum meeting on `held_on`; `participants` a JSON list of organisation codes; status planerat (started,
  not yet discussed) → pågår (minutes or decisions recorded) → avslutat (closed: `closed_at` set, read-only).
  `minutes` is the meeting's general minutes (free text). `snapshot` is JSON:
  {"frozen": bool, "since": ISO date | null, "generated_on": ISO date | null, "figures": {agenda item id: figures}}
  while open (the figures behind each generated item, as generated), and at close additionally
  {"frozen": true, "closed_at": ISO, "items": [{id, position, kind, title, body, link, minutes, figures}],
   "decisions": [{id, agenda_item_id, text, action_id}]}: what the forum saw and decided, never changed afterwards.
- AgendaItem: ordered by `position` (1, 2, … without gaps); `kind` one of meeting_agenda.AGENDA_KINDS; `title`, `body`
  (plain text: data, never markup), `link` (the view that shows it: URL path + query), `minutes` (free text).
- Decision: a decision under one agenda item (`agenda_item_id`, may be None for the meeting as a whole); `action_id`
  the action it created in the register (whose `decided_meeting_id` is this meeting), None for a decision without one.

Every write checks Scope.can("meeting", "edit"), refuses changes to a closed meeting, bumps the store's data version
and writes an "edit" audit row (structured facts only) in the same transaction.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any, Iterator

from sqlalchemy import Engine, delete, func, select, update
from sqlmodel import Session

from data_layer import audit
from data_layer.action_edits import create_action
from data_layer.db import session_scope
from data_layer.meeting_agenda import AGENDA_KINDS, build_agenda
from data_layer.models import AgendaItem, Decision, Meeting, Organisation, Place
from data_layer.queries.meetings import last_held_meeting
from data_layer.reference import bump_data_version
from data_layer.scope import Scope

MAX_FORUM = 200
MAX_TITLE = 300
MAX_TEXT = 20_000
MAX_LINK = 500
FIELD_LABELS = {"forum": "Forum", "held_on": "Mötesdatum", "participants": "Deltagande organisationer",
                "title": "Rubrik", "body": "Text", "minutes": "Anteckningar", "kind": "Typ", "text": "Beslut",
                "agenda_item_id": "Dagordningspunkt", "link": "Länk", "meeting_id": "Möte"}


class MeetingError(Exception):
    """Base of every refusal from this module; `field` names the offending field (None when it is not one field)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MeetingValidationError(MeetingError):
    """Bad input: the message names the field (Swedish label) and the reason; nothing was written."""


class MeetingPermissionError(MeetingError):
    """The user's role may not run meetings; nothing was written."""


class MeetingNotFound(MeetingError):
    """No meeting or agenda item with that id."""


class MeetingClosed(MeetingError):
    """The meeting is closed (avslutat): its agenda, minutes and decisions are frozen."""


def _invalid(name: str, reason: str) -> MeetingValidationError:
    return MeetingValidationError(f"{FIELD_LABELS.get(name, name)}: {reason}", field=name)


def _check_can(scope: Scope) -> None:
    if not scope.can("meeting", "edit"):
        raise MeetingPermissionError("Din roll får inte leda eller ändra möten.")


@contextmanager
def _writing(engine: Engine, scope: Scope, detail: str, object_id: int | None = None) -> Iterator[Session]:
    """One transaction that bumps the data version and writes one audit row when the body succeeds."""
    with session_scope(engine) as session:
        if engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")  # reads and writes as one unit (see action_edits)
        yield session
        bump_data_version(session)
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="meeting", object_id=object_id, detail=detail)


def _text(name: str, value: Any, *, required: bool, limit: int = MAX_TEXT) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _invalid(name, "måste vara text.")
    text = (value or "").strip()
    if required and not text:
        raise _invalid(name, "får inte vara tom.")
    if len(text) > limit:
        raise _invalid(name, f"får vara högst {limit} tecken (är {len(text)}).")
    return text or None


def _open_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise MeetingNotFound(f"Möte {meeting_id} finns inte.")
    if meeting.status == "avslutat":
        raise MeetingClosed(f"Mötet {meeting.held_on.isoformat()} är avslutat; dess dagordning och beslut är låsta.")
    return meeting


def _item(session: Session, item_id: int) -> tuple[AgendaItem, Meeting]:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise MeetingNotFound(f"Dagordningspunkt {item_id} finns inte.")
    return item, _open_meeting(session, item.meeting_id)


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    return json.loads(meeting.snapshot) if meeting.snapshot else {"frozen": False, "figures": {}}


def _renumber(session: Session, meeting_id: int) -> None:
    """Positions 1, 2, … in the current order (position, then id)."""
    ids = session.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)
                          .order_by(AgendaItem.position, AgendaItem.id)).scalars().all()
    for pos, item_id in enumerate(ids, start=1):
        session.execute(update(AgendaItem).where(AgendaItem.id == item_id).values(position=pos))


def _started(meeting: Meeting) -> None:
    if meeting.status == "planerat":
        meeting.status = "pågår"


# --- meetings ------------------------------------------------------------------------------------------------------

def start_meeting(engine: Engine, *, scope: Scope, forum: str, held_on: date | str,
                  participants: list[str] | tuple[str, ...] = ()) -> int:
    """Store a new meeting (status planerat, empty agenda) and return its id; participants are organisation codes."""
    _check_can(scope)
    forum_text = _text("forum", forum, required=True, limit=MAX_FORUM)
    if isinstance(held_on, str):
        try:
            held_on = date.fromisoformat(held_on)
        except ValueError:
            raise _invalid("held_on", f"'{held_on}' är inget datum (ÅÅÅÅ-MM-DD).") from None
    if not isinstance(held_on, date):
        raise _invalid("held_on", "saknas.")
    codes = list(dict.fromkeys(participants))
    with _writing(engine, scope, "start") as session:
        known = set(session.execute(select(Organisation.code).where(Organisation.code.in_(codes))).scalars())
        missing = [c for c in codes if c not in known]
        if missing:
            raise _invalid("participants", f"okänd organisation '{missing[0]}'.")
        row = Meeting(forum=forum_text, held_on=held_on, status="planerat", participants=json.dumps(codes),
                      snapshot=json.dumps({"frozen": False, "figures": {}}))
        session.add(row)
        session.flush()
        return row.id


def generate_agenda(engine: Engine, *, scope: Scope, meeting_id: int, today: date,
                    replace: bool = False) -> list[int]:
    """Write the six generated items (meeting_agenda.build_agenda, data since the last meeting held before this one, up
    to `today`) and keep their figures in the snapshot; return the item ids. An agenda that already has items is
    refused unless `replace` (which deletes the items that carry no decision and appends the new ones after the rest).
    """
    _check_can(scope)
    with session_scope(engine) as session:
        meeting = _open_meeting(session, meeting_id)
        held_on = meeting.held_on
    before = last_held_meeting(engine, scope=scope, today=min(held_on, today))
    since = None if before.empty else before["held_on"].iloc[0]
    since = None if since is None else (since if isinstance(since, date) else date.fromisoformat(str(since)))
    drafts = build_agenda(engine, scope=scope, today=today, since=since, meeting_day=held_on)
    with _writing(engine, scope, "agenda", meeting_id) as session:
        meeting = _open_meeting(session, meeting_id)
        existing = session.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)).scalars().all()
        if existing and not replace:
            raise MeetingValidationError("Mötet har redan en dagordning; välj att ersätta den.", field="meeting_id")
        decided = set(session.execute(select(Decision.agenda_item_id).where(Decision.meeting_id == meeting_id))
                      .scalars())
        removable = [i for i in existing if i not in decided]
        if removable:
            session.execute(delete(AgendaItem).where(AgendaItem.id.in_(removable)))
        start = len(existing) - len(removable)
        snap = _snapshot(meeting)
        snap["figures"] = {k: v for k, v in snap.get("figures", {}).items() if int(k) not in removable}
        ids = []
        for pos, draft in enumerate(drafts, start=start + 1):
            row = AgendaItem(meeting_id=meeting_id, position=pos, kind=draft.kind, title=draft.title,
                             body=draft.body, link=draft.link)
            session.add(row)
            session.flush()
            ids.append(row.id)
            snap["figures"][str(row.id)] = draft.figures
        snap.update(since=None if since is None else since.isoformat(), generated_on=today.isoformat())
        meeting.snapshot = json.dumps(snap, ensure_ascii=False, default=str)
        _renumber(session, meeting_id)
        return ids


def set_meeting_minutes(engine: Engine, *, scope: Scope, meeting_id: int, minutes: str | None) -> None:
    """Store the meeting's general minutes (free text; empty clears them)."""
    _check_can(scope)
    text = _text("minutes", minutes, required=False)
    with _writing(engine, scope, "minutes", meeting_id) as session:
        meeting = _open_meeting(session, meeting_id)
        meeting.minutes = text
        _started(meeting)


def close_meeting(engine: Engine, *, scope: Scope, meeting_id: int, now: datetime | None = None) -> None:
    """Freeze the snapshot (every item with its figures as generated, and the decisions), set status avslutat and
    closed_at. A closed meeting is read-only from then on."""
    _check_can(scope)
    now = now or datetime.now(timezone.utc)
    with _writing(engine, scope, "close", meeting_id) as session:
        meeting = _open_meeting(session, meeting_id)
        snap = _snapshot(meeting)
        figures = snap.get("figures", {})
        items = session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                                .order_by(AgendaItem.position, AgendaItem.id)).scalars().all()
        decisions = session.execute(select(Decision).where(Decision.meeting_id == meeting_id)
                                    .order_by(Decision.id)).scalars().all()
        snap.update(frozen=True, closed_at=now.isoformat(),
                    items=[{"id": i.id, "position": i.position, "kind": i.kind, "title": i.title, "body": i.body,
                            "link": i.link, "minutes": i.minutes, "figures": figures.get(str(i.id), {})}
                           for i in items],
                    decisions=[{"id": d.id, "agenda_item_id": d.agenda_item_id, "text": d.text,
                                "action_id": d.action_id} for d in decisions])
        meeting.snapshot = json.dumps(snap, ensure_ascii=False, default=str)
        meeting.status = "avslutat"
        meeting.closed_at = now


# --- agenda items --------------------------------------------------------------------------------------------------

def add_item(engine: Engine, *, scope: Scope, meeting_id: int, title: str, body: str | None = None,
             kind: str = "ovrigt", link: str | None = None) -> int:
    """Append an item to the agenda and return its id."""
    _check_can(scope)
    if kind not in AGENDA_KINDS:
        raise _invalid("kind", f"'{kind}' finns inte; välj en av {', '.join(AGENDA_KINDS)}.")
    title_text = _text("title", title, required=True, limit=MAX_TITLE)
    body_text = _text("body", body, required=False)
    link_text = _text("link", link, required=False, limit=MAX_LINK)
    if link_text is not None and not link_text.startswith("/"):
        raise _invalid("link", "måste vara en sida i appen (börja med /).")
    with _writing(engine, scope, "item_add", meeting_id) as session:
        _open_meeting(session, meeting_id)
        last = session.execute(select(func.max(AgendaItem.position))
                               .where(AgendaItem.meeting_id == meeting_id)).scalar() or 0
        row = AgendaItem(meeting_id=meeting_id, position=last + 1, kind=kind, title=title_text, body=body_text,
                         link=link_text)
        session.add(row)
        session.flush()
        return row.id


def edit_item(engine: Engine, *, scope: Scope, item_id: int, title: str, body: str | None) -> None:
    """Replace an item's title and body (the generated figures stay as they were generated)."""
    _check_can(scope)
    title_text = _text("title", title, required=True, limit=MAX_TITLE)
    body_text = _text("body", body, required=False)
    with _writing(engine, scope, "item_edit", item_id) as session:
        item, _meeting = _item(session, item_id)
        item.title, item.body = title_text, body_text


def move_item(engine: Engine, *, scope: Scope, item_id: int, step: int) -> None:
    """Move an item `step` places (-1 up, +1 down) in its agenda; at either end nothing moves."""
    _check_can(scope)
    if step not in (-1, 1):
        raise _invalid("position", "flytta ett steg upp (-1) eller ned (1).")
    with _writing(engine, scope, "item_move", item_id) as session:
        item, meeting = _item(session, item_id)
        _renumber(session, meeting.id)
        ids = session.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
                              .order_by(AgendaItem.position)).scalars().all()
        k = ids.index(item_id)
        j = k + step
        if 0 <= j < len(ids):
            ids[k], ids[j] = ids[j], ids[k]
            for pos, other in enumerate(ids, start=1):
                session.execute(update(AgendaItem).where(AgendaItem.id == other).values(position=pos))


def delete_item(engine: Engine, *, scope: Scope, item_id: int) -> None:
    """Remove an item that carries no decision (decisions keep their item) and close the gap in the numbering."""
    _check_can(scope)
    with _writing(engine, scope, "item_delete", item_id) as session:
        item, meeting = _item(session, item_id)
        if session.execute(select(Decision.id).where(Decision.agenda_item_id == item_id)).first() is not None:
            raise MeetingValidationError("Punkten har beslut och kan inte tas bort; ändra rubriken i stället.",
                                         field="agenda_item_id")
        snap = _snapshot(meeting)
        snap.get("figures", {}).pop(str(item_id), None)
        meeting.snapshot = json.dumps(snap, ensure_ascii=False, default=str)
        session.delete(item)
        session.flush()
        _renumber(session, meeting.id)


def record_minutes(engine: Engine, *, scope: Scope, item_id: int, minutes: str | None) -> None:
    """Store the minutes of one agenda item (free text; empty clears them); the meeting is then under way."""
    _check_can(scope)
    text = _text("minutes", minutes, required=False)
    with _writing(engine, scope, "item_minutes", item_id) as session:
        item, meeting = _item(session, item_id)
        item.minutes = text
        _started(meeting)


# --- decisions -----------------------------------------------------------------------------------------------------

ACTION_KEYS = frozenset({"title", "description", "area_code", "place_id", "h3_cells", "category_codes",
                         "owner_org_id", "responsible_user_id", "status", "priority", "start_date", "due_date"})


def record_decision(engine: Engine, *, scope: Scope, meeting_id: int, agenda_item_id: int | None, text: str,
                    make_action: dict[str, Any] | None = None) -> tuple[int, int | None]:
    """Store a decision and, with `make_action` (create_action's keyword arguments), the action it decides, linked both
    ways (Decision.action_id, Action.decided_meeting_id); return (decision id, action id or None).

    One transaction: the decision and the action are written on one connection whose transaction create_action joins
    (its session commits only into ours), so a refused action or a failed decision leaves nothing behind. The action
    starts as "beslutad" unless make_action names another open status.
    """
    _check_can(scope)
    text_value = _text("text", text, required=True)
    if make_action is not None:
        unknown = sorted(set(make_action) - ACTION_KEYS)
        if unknown:
            raise _invalid("make_action", f"okänt fält '{unknown[0]}'.")
    with engine.connect() as conn:
        # Reads first: on SQLite create_action opens the write transaction itself (BEGIN IMMEDIATE), which must be the
        # connection's first transaction statement; our writes follow on the same connection and transaction.
        with conn.begin():
            session = Session(conn)
            meeting = _open_meeting(session, meeting_id)
            if agenda_item_id is not None:
                item = session.get(AgendaItem, agenda_item_id)
                if item is None or item.meeting_id != meeting_id:
                    raise _invalid("agenda_item_id", f"punkt {agenda_item_id} hör inte till mötet.")
            action_id = None
            if make_action is not None:
                values = {"status": "beslutad", **make_action, "decided_meeting_id": meeting_id}
                action_id = create_action(conn, scope=scope, **values)  # joins conn's transaction (see docstring)
            elif conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            decision = Decision(meeting_id=meeting_id, agenda_item_id=agenda_item_id, text=text_value,
                                action_id=action_id)
            session.add(decision)
            _started(meeting)
            session.flush()
            bump_data_version(session)
            audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                         object_type="meeting", object_id=meeting_id,
                         detail=f"decision {decision.id}" + (f" action {action_id}" if action_id else ""))
            session.flush()
            decision_id = decision.id
            session.close()
    return decision_id, action_id


def prefill_action(engine: Engine, *, item_id: int) -> dict[str, Any]:
    """Suggested create_action fields for a decision under an item: its title, and the place/area its figures name
    (the first changed area, or the first hotspot cell's place's area and cells)."""
    with session_scope(engine) as session:
        item = session.get(AgendaItem, item_id)
        if item is None:
            raise MeetingNotFound(f"Dagordningspunkt {item_id} finns inte.")
        meeting = session.get(Meeting, item.meeting_id)
        figures = _snapshot(meeting).get("figures", {}).get(str(item_id), {})
        out: dict[str, Any] = {"title": item.title}
        if item.kind == "forandringar" and figures.get("changes"):
            first = figures["changes"][0]
            out.update(area_code=first.get("area_code"), category_codes=[first["category_code"]])
        elif item.kind == "hotspots" and figures.get("cells"):
            first = figures["cells"][0]
            out["h3_cells"] = [first["cell"]]
            names = [n for n in first.get("places", []) if not n.startswith("nära ")]
            if names:
                place = session.execute(select(Place.id).where(Place.name == names[0])).scalars().first()
                out["place_id"] = place
        elif item.kind == "rapporter" and figures.get("cells"):
            first = figures["cells"][0]
            out.update(area_code=first.get("area_code"), category_codes=[first["category_code"]])
        return {k: v for k, v in out.items() if v not in (None, [], "")}
