"""The events register: planned public happenings (evenemang, högtider, skolavslutningar, matcher, …) with a place or
area and a time. Shown on the meeting agenda (queries/comparison.coming_events) and on the map (queries/map.map_events).

Writes need Scope.can("meeting", "edit") (the forum's coordinators and analysts keep the register); each is one
transaction that bumps the data version and writes an "edit" audit row. Naive times mean Europe/Stockholm.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, select

from data_layer import audit
from data_layer.db import session_scope
from data_layer.models import Area, Event, Place
from data_layer.queries._common import frame
from data_layer.reference import bump_data_version
from data_layer.scope import Scope

STOCKHOLM = ZoneInfo("Europe/Stockholm")
EVENT_KINDS = ("evenemang", "högtid", "skolavslutning", "match", "konsert", "marknad")
MAX_TITLE = 300
LABELS = {"title": "Rubrik", "kind": "Typ", "starts_at": "Starttid", "ends_at": "Sluttid", "place_id": "Plats",
          "area_code": "Område"}


class EventError(Exception):
    """A refused event write; `field` names the offending field. Nothing was written."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _invalid(name: str, reason: str) -> EventError:
    return EventError(f"{LABELS.get(name, name)}: {reason}", field=name)


def _aware(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise _invalid(name, f"'{value}' är ingen tid (ÅÅÅÅ-MM-DD TT:MM).") from None
    if not isinstance(value, datetime):
        raise _invalid(name, "måste vara en tidpunkt.")
    return (value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)).astimezone(timezone.utc)


def _values(session, *, title: str, kind: str, starts_at, ends_at, place_id: int | None,
            area_code: str | None) -> dict[str, Any]:
    text = title.strip() if isinstance(title, str) else ""
    if not text:
        raise _invalid("title", "får inte vara tom.")
    if len(text) > MAX_TITLE:
        raise _invalid("title", f"får vara högst {MAX_TITLE} tecken.")
    if kind not in EVENT_KINDS:
        raise _invalid("kind", f"'{kind}' finns inte; välj en av {', '.join(EVENT_KINDS)}.")
    start, end = _aware("starts_at", starts_at), _aware("ends_at", ends_at)
    if start is None:
        raise _invalid("starts_at", "saknas.")
    if end is not None and end < start:
        raise _invalid("ends_at", "ligger före starttiden.")
    place = session.get(Place, place_id) if place_id is not None else None
    if place_id is not None and place is None:
        raise _invalid("place_id", f"{place_id} finns inte.")
    area_id = None
    if area_code:
        area_id = session.execute(select(Area.id).where(Area.code == area_code)).scalar_one_or_none()
        if area_id is None:
            raise _invalid("area_code", f"okänt område '{area_code}'.")
    if place is None and area_id is None:
        raise _invalid("place_id", "välj en plats eller ett område.")
    return dict(title=text, kind=kind, starts_at=start, ends_at=end, place_id=place_id,
                area_id=area_id if area_id is not None else place.area_id,
                lat=place.lat if place is not None else None, lon=place.lon if place is not None else None)


def _check(scope: Scope) -> None:
    if not scope.can("meeting", "edit"):
        raise EventError("Din roll får inte ändra i händelseregistret.")


def add_event(engine: Engine, *, scope: Scope, title: str, kind: str, starts_at, ends_at=None,
              place_id: int | None = None, area_code: str | None = None) -> int:
    """Store an event at a place (its position and area) or on an area; return its id."""
    _check(scope)
    with session_scope(engine) as session:
        row = Event(**_values(session, title=title, kind=kind, starts_at=starts_at, ends_at=ends_at,
                              place_id=place_id, area_code=area_code), organisation_id=scope.organisation_id)
        session.add(row)
        session.flush()
        bump_data_version(session)
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="event", object_id=row.id, detail="create")
        return row.id


def edit_event(engine: Engine, *, scope: Scope, event_id: int, title: str, kind: str, starts_at, ends_at=None,
               place_id: int | None = None, area_code: str | None = None) -> None:
    """Replace every field of an event."""
    _check(scope)
    with session_scope(engine) as session:
        row = session.get(Event, event_id)
        if row is None:
            raise EventError(f"Händelse {event_id} finns inte.")
        for name, value in _values(session, title=title, kind=kind, starts_at=starts_at, ends_at=ends_at,
                                   place_id=place_id, area_code=area_code).items():
            setattr(row, name, value)
        bump_data_version(session)
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="event", object_id=event_id, detail="update")


def delete_event(engine: Engine, *, scope: Scope, event_id: int) -> None:
    """Remove an event from the register."""
    _check(scope)
    with session_scope(engine) as session:
        row = session.get(Event, event_id)
        if row is None:
            raise EventError(f"Händelse {event_id} finns inte.")
        session.delete(row)
        bump_data_version(session)
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="event", object_id=event_id, detail="delete")


EVENT_LIST_COLUMNS = ["id", "title", "kind", "starts_at", "ends_at", "place_id", "place_name", "area_code"]


def events_from(engine: Engine, *, scope: Scope, start: datetime, limit: int = 200) -> pd.DataFrame:
    """Events starting at or after `start`, soonest first, with the ids an edit needs (every role may see events)."""
    stmt = (select(Event.id, Event.title, Event.kind, Event.starts_at, Event.ends_at, Event.place_id, Place.name,
                   Area.code)
            .outerjoin(Place, Place.id == Event.place_id).outerjoin(Area, Area.id == Event.area_id)
            .where(Event.starts_at >= _aware("starts_at", start)).order_by(Event.starts_at, Event.id).limit(limit))
    return frame(engine, stmt, EVENT_LIST_COLUMNS)
