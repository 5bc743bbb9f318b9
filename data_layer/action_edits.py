"""Writes to the action register: create, edit under optimistic locking, add notes; each one transaction with history.

Every write records an ActionUpdate row, bumps the store's data version and writes an "edit" audit row (structured
facts only), all in the same transaction. Who may edit which action is decided in data_layer/scope.py (`visible(Action,
scope, operation="edit")` and `may_own_action`), nowhere else.

History rows carry `changes` as JSON {field: [old, new]} in the same field names and value forms that `update_action`
accepts (area_code, category_codes as a list, h3_cells as a list, ids, ISO dates), so a user can re-apply a change
after a conflict. Rows that change fields also record {"version": [old, new]}: that is how a conflict finds the edits
made since the version the user saw. Notes (`add_note`) change no field and do not bump the action's version, so a
note never conflicts with a field edit.

Status rules: föreslagen → beslutad → pågår → klar one step at a time; avbruten from any open status; moving back
(e.g. pågår → beslutad) or reopening a closed action (klar/avbruten → an open status) is allowed with a note saying
why; skipping forward and klar ↔ avbruten are refused. A new action starts in an open status.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime, timezone
from typing import Any, Iterable, Iterator
from zoneinfo import ZoneInfo

import h3
from sqlalchemy import Engine, delete, select, update
from sqlmodel import Session

from data_layer import audit
from data_layer.db import session_scope
from data_layer.models import (ACTION_STATUSES, Action, ActionCategory, ActionUpdate, Area, Category, Meeting,
                               Organisation, Place, User)
from data_layer.reference import bump_data_version
from data_layer.scope import Scope, may_own_action, visible

STOCKHOLM = ZoneInfo("Europe/Stockholm")
OPEN_STATUSES = ("föreslagen", "beslutad", "pågår")
CLOSED_STATUSES = ("klar", "avbruten")
_NEXT = {"föreslagen": "beslutad", "beslutad": "pågår", "pågår": "klar"}
_CHAIN = ("föreslagen", "beslutad", "pågår", "klar")
MAX_TITLE = 300
MAX_TEXT = 10_000
MAX_CELLS = 500

# Field name (as update_action's `changes` keys and the history JSON use them) -> Swedish label for messages.
FIELD_LABELS = {
    "title": "Titel", "description": "Beskrivning", "area_code": "Område", "place_id": "Plats",
    "h3_cells": "Hexagoner", "category_codes": "Kategorier", "owner_org_id": "Ägande organisation",
    "responsible_user_id": "Ansvarig", "status": "Status", "priority": "Prioritet", "start_date": "Startdatum",
    "due_date": "Slutdatum", "decided_meeting_id": "Beslutsmöte", "note": "Anteckning",
}
EDITABLE_FIELDS = tuple(f for f in FIELD_LABELS if f != "note")
_SHOWN_VALUES = ("status", "priority", "start_date", "due_date", "area_code", "category_codes")  # in describe()


class ActionError(Exception):
    """Base of every refusal from this module; `field` names the offending field (None when it is not one field)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ActionValidationError(ActionError):
    """Bad input: the message names the field (Swedish label) and the reason; nothing was written."""


class ActionPermissionError(ActionError):
    """The user's role or organisation may not make this change; nothing was written."""


class ActionNotFound(ActionError):
    """No action with that id."""


@dataclass(frozen=True)
class ActionChange:
    """One edit made by someone else since the version the user saw: who, when, what changed (field: (old, new))."""

    version: int
    at: datetime
    user_id: int | None
    user_name: str | None
    org: str | None
    status_from: str | None
    status_to: str | None
    changes: dict[str, tuple[Any, Any]] = dc_field(default_factory=dict)
    note: str | None = None

    def describe(self, *, now: datetime | None = None) -> str:
        """Swedish one-liner, e.g. "Anna Berg ändrade status från beslutad till pågår kl. 10:42"."""
        parts = []
        for name, (old, new) in self.changes.items():
            label = FIELD_LABELS.get(name, name).lower()
            parts.append(f"{label} från {_shown(old)} till {_shown(new)}" if name in _SHOWN_VALUES else label)
        local = self.at.astimezone(STOCKHOLM)
        today = (now or datetime.now(timezone.utc)).astimezone(STOCKHOLM).date()
        when = f"kl. {local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
        return f"{self.user_name or 'Okänd användare'} ändrade {', '.join(parts) or 'åtgärden'} {when}"


class ActionConflict(ActionError):
    """The action changed since the version the user saw: `current_version` and the `changes` made since then."""

    def __init__(self, *, action_id: int, seen_version: int, current_version: int,
                 changes: list[ActionChange]) -> None:
        lines = "; ".join(c.describe() for c in changes)
        super().__init__(f"Åtgärden har ändrats av någon annan sedan du öppnade den (du såg version {seen_version}, "
                         f"nu version {current_version}){': ' + lines if lines else ''}. "
                         "Läs in den igen och gör om din ändring.", field="version")
        self.action_id = action_id
        self.seen_version = seen_version
        self.current_version = current_version
        self.changes = changes


def next_statuses(current: str) -> tuple[str, ...]:
    """Statuses reachable from `current` without a note: the next step of the chain, and avbruten while open."""
    steps = [_NEXT[current]] if current in _NEXT else []
    return tuple(steps + (["avbruten"] if current in OPEN_STATUSES else []))


def statuses_needing_note(current: str) -> tuple[str, ...]:
    """Statuses reachable from `current` only with a note: moving back along the chain, or reopening a closed action."""
    if current in CLOSED_STATUSES:
        return OPEN_STATUSES
    return _CHAIN[:_CHAIN.index(current)] if current in _CHAIN else ()


def create_action(engine: Engine, *, scope: Scope, title: str, description: str | None = None,
                  area_code: str | None = None, place_id: int | None = None, h3_cells: Iterable[str] | str = (),
                  category_codes: Iterable[str] | str = (), owner_org_id: int | None = None,
                  responsible_user_id: int | None = None, status: str = "föreslagen", priority: int = 2,
                  start_date: date | str | None = None, due_date: date | str | None = None,
                  decided_meeting_id: int | None = None, now: datetime | None = None) -> int:
    """Store a new action (version 1) with its "skapad" history row and return its id.

    The owner defaults to the user's organisation; only the roles in scope.ACTION_EDIT_ANY_ROLES may name another.
    With a place and no area the area is the place's. Raises ActionValidationError / ActionPermissionError.
    """
    if not scope.can("action", "edit"):
        raise ActionPermissionError("Din roll får inte lägga upp åtgärder.")
    owner = scope.organisation_id if owner_org_id is None else owner_org_id
    if not may_own_action(scope, owner):
        raise ActionPermissionError("Du kan bara lägga upp åtgärder som din egen organisation äger.",
                                    field="owner_org_id")
    if status not in OPEN_STATUSES:
        raise _invalid("status", f"en ny åtgärd måste ha status {', '.join(OPEN_STATUSES)}.")
    now = _utc(now)
    given = dict(title=title, description=description, area_code=area_code, place_id=place_id, h3_cells=h3_cells,
                 category_codes=category_codes, owner_org_id=owner, responsible_user_id=responsible_user_id,
                 status=status, priority=priority, start_date=start_date, due_date=due_date,
                 decided_meeting_id=decided_meeting_id)
    with _writing(engine) as session:
        values = {name: _normalise(session, name, value) for name, value in given.items()}
        if values["place_id"] is not None and values["area_code"] is None:
            values["area_code"] = session.execute(select(Area.code).join(Place, Place.area_id == Area.id)
                                                  .where(Place.id == values["place_id"])).scalar_one_or_none()
        _check_dates(values["start_date"], values["due_date"])
        columns = _columns(session, values)
        row = Action(**columns, version=1, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        _set_categories(session, row.id, values["category_codes"])
        recorded = {name: [None, value] for name, value in values.items() if value not in (None, [], "")}
        session.add(ActionUpdate(action_id=row.id, user_id=scope.user_id, at=now, status_from=None, status_to=status,
                                 changes=_dumps({**recorded, "version": [None, 1]})))
        bump_data_version(session)
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="action", object_id=row.id, detail="create")
        return row.id


def update_action(engine: Engine, *, scope: Scope, action_id: int, seen_version: int, changes: dict[str, Any],
                  note: str | None = None, now: datetime | None = None) -> int:
    """Apply `changes` ({field: new value}) if the action is still at `seen_version`; return the version it now has.

    One transaction: the row is locked, its version compared, then `UPDATE … SET version = version + 1 WHERE id = :id
    AND version = :seen`. A stale version raises ActionConflict (with the edits since) and writes nothing. Values equal
    to the current ones are no change; with nothing changed the version stays (a note alone is stored as a note).
    """
    if not scope.can("action", "edit"):
        raise ActionPermissionError("Din roll får inte ändra åtgärder.")
    unknown = [name for name in changes if name not in EDITABLE_FIELDS]
    if unknown:
        raise ActionValidationError(f"Fältet '{unknown[0]}' finns inte eller kan inte ändras.", field=unknown[0])
    note = _note(note, required=False)
    now = _utc(now)
    with _writing(engine) as session:
        action = _locked(session, scope, action_id)
        if action.version != seen_version:
            raise ActionConflict(action_id=action_id, seen_version=seen_version, current_version=action.version,
                                 changes=_changes_since(session, action_id, seen_version, action.version))
        current = _recorded(session, action)
        wanted = {name: _normalise(session, name, value) for name, value in changes.items()}
        diff = {name: [current[name], value] for name, value in wanted.items() if value != current[name]}
        if not diff:
            if note:
                _write_note(session, scope, action_id, note, now)
            return action.version
        _check_dates(wanted.get("start_date", current["start_date"]), wanted.get("due_date", current["due_date"]))
        if "status" in diff:
            _check_transition(*diff["status"], note)
        if "owner_org_id" in diff and not may_own_action(scope, diff["owner_org_id"][1]):
            raise ActionPermissionError("Du kan bara göra din egen organisation till ägare av åtgärden.",
                                        field="owner_org_id")
        columns = _columns(session, {name: new for name, (_old, new) in diff.items()})
        result = session.execute(
            update(Action)
            .where(Action.id == action_id, Action.version == seen_version, visible(Action, scope, operation="edit"))
            .values(**columns, version=Action.version + 1, updated_at=now)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:  # cannot happen under the row lock; kept so a lost update can never pass silently
            current_version = session.execute(select(Action.version).where(Action.id == action_id)).scalar_one()
            raise ActionConflict(action_id=action_id, seen_version=seen_version, current_version=current_version,
                                 changes=_changes_since(session, action_id, seen_version, current_version))
        if "category_codes" in diff:
            _set_categories(session, action_id, diff["category_codes"][1])
        status = diff.get("status", [None, None])
        session.add(ActionUpdate(action_id=action_id, user_id=scope.user_id, at=now, status_from=status[0],
                                 status_to=status[1], note=note,
                                 changes=_dumps({**diff, "version": [seen_version, seen_version + 1]})))
        bump_data_version(session)
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="action", object_id=action_id, detail="update " + ",".join(sorted(diff)))
        return seen_version + 1


def add_note(engine: Engine, *, scope: Scope, action_id: int, note: str, now: datetime | None = None) -> None:
    """Add a note to the action's history without touching its fields or version (so it never conflicts)."""
    if not scope.can("action", "edit"):
        raise ActionPermissionError("Din roll får inte skriva anteckningar på åtgärder.")
    note = _note(note, required=True)
    now = _utc(now)
    with _writing(engine) as session:
        _locked(session, scope, action_id, lock=False)
        _write_note(session, scope, action_id, note, now)


# --- one transaction ---------------------------------------------------------------------------------------------

@contextmanager
def _writing(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the store's write lock from its first statement on SQLite."""
    with session_scope(engine) as session:
        if engine.dialect.name == "sqlite":
            # pysqlite runs the reads before a transaction's first write outside any transaction, so the version
            # check, the old values for the history and the UPDATE would not be one unit. BEGIN IMMEDIATE takes the
            # write lock first: concurrent editors queue on the busy timeout and each sees the row as it is.
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def _locked(session: Session, scope: Scope, action_id: int, *, lock: bool = True) -> Action:
    """The action row (locked FOR UPDATE on PostgreSQL), after checking it exists and `scope` may edit it."""
    stmt = select(Action).where(Action.id == action_id)
    action = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
    if action is None:
        raise ActionNotFound(f"Åtgärd {action_id} finns inte.")
    editable = session.execute(select(Action.id).where(Action.id == action_id,
                                                       visible(Action, scope, operation="edit"))).first()
    if editable is None:
        raise ActionPermissionError("Du kan bara ändra åtgärder som din organisation äger "
                                    "eller som du är ansvarig för.")
    return action


def _write_note(session: Session, scope: Scope, action_id: int, note: str, now: datetime) -> None:
    session.add(ActionUpdate(action_id=action_id, user_id=scope.user_id, at=now, note=note))
    bump_data_version(session)
    audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                 object_type="action", object_id=action_id, detail="note")


def _changes_since(session: Session, action_id: int, seen_version: int, current_version: int) -> list[ActionChange]:
    """The field edits of `action_id` that produced versions after `seen_version`, oldest first."""
    # Each version bump writes exactly one row with changes, so only the newest (current - seen) such rows can
    # qualify; reading just those keeps a conflict cheap on an action with a long history.
    rows = session.execute(
        select(ActionUpdate.at, ActionUpdate.user_id, User.display_name, Organisation.name, ActionUpdate.status_from,
               ActionUpdate.status_to, ActionUpdate.changes, ActionUpdate.note)
        .outerjoin(User, ActionUpdate.user_id == User.id)
        .outerjoin(Organisation, User.organisation_id == Organisation.id)
        .where(ActionUpdate.action_id == action_id, ActionUpdate.changes.is_not(None))
        .order_by(ActionUpdate.id.desc()).limit(max(current_version - seen_version, 0))).all()
    out = []
    for at, user_id, name, org, status_from, status_to, changes, note in reversed(rows):
        fields = json.loads(changes)
        version = (fields.pop("version", None) or [None, None])[1]
        if version is not None and version > seen_version:
            out.append(ActionChange(version=version, at=_as_utc(at), user_id=user_id, user_name=name, org=org,
                                    status_from=status_from, status_to=status_to,
                                    changes={k: tuple(v) for k, v in fields.items()}, note=note))
    return out


# --- fields: one normal form for input, storage comparison and history ---------------------------------------------

def _normalise(session: Session, name: str, value: Any) -> Any:
    """Return `value` of field `name` in its recorded form (what history stores), or raise ActionValidationError."""
    if name == "title":
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            raise _invalid(name, "får inte vara tom.")
        if len(text) > MAX_TITLE:
            raise _invalid(name, f"får vara högst {MAX_TITLE} tecken (är {len(text)}).")
        return text
    if name == "description":
        if value is None:
            return None
        if not isinstance(value, str):
            raise _invalid(name, "måste vara text.")
        if len(value.strip()) > MAX_TEXT:
            raise _invalid(name, f"får vara högst {MAX_TEXT} tecken.")
        return value.strip() or None
    if name == "status":
        if value not in ACTION_STATUSES:
            raise _invalid(name, f"'{value}' är ingen status; välj en av {', '.join(ACTION_STATUSES)}.")
        return value
    if name == "priority":
        if isinstance(value, bool) or value not in (1, 2, 3):
            raise _invalid(name, f"måste vara 1 (hög), 2 (normal) eller 3 (låg), inte {value!r}.")
        return int(value)
    if name in ("start_date", "due_date"):
        return _date(name, value)
    if name == "h3_cells":
        cells = sorted(set(_items(name, value)))
        bad = [c for c in cells if not h3.is_valid_cell(c)]
        if bad:
            raise _invalid(name, f"'{bad[0]}' är ingen giltig H3-cell.")
        if len(cells) > MAX_CELLS:
            raise _invalid(name, f"högst {MAX_CELLS} hexagoner (valda: {len(cells)}).")
        return cells
    if name == "category_codes":
        codes = sorted(set(_items(name, value)))
        known = set(session.execute(select(Category.code).where(Category.code.in_(codes))).scalars())
        missing = [c for c in codes if c not in known]
        if missing:
            raise _invalid(name, f"okänd kategori '{missing[0]}'.")
        return codes
    if name == "area_code":
        if value in (None, ""):
            return None
        if session.execute(select(Area.id).where(Area.code == value)).scalar_one_or_none() is None:
            raise _invalid(name, f"okänt område '{value}'.")
        return value
    model = {"place_id": Place, "owner_org_id": Organisation, "responsible_user_id": User,
             "decided_meeting_id": Meeting}[name]
    if value is None and name != "owner_org_id":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(name, f"måste vara ett id (heltal), inte {value!r}.")
    row = session.get(model, value)
    if row is None:
        raise _invalid(name, f"{value} finns inte.")
    if model is User and not row.active:
        raise _invalid(name, f"användaren {row.display_name} är inte aktiv.")
    return value


def _recorded(session: Session, action: Action) -> dict[str, Any]:
    """The action's current values in recorded form, keyed like EDITABLE_FIELDS."""
    area = session.execute(select(Area.code).where(Area.id == action.area_id)).scalar_one_or_none() \
        if action.area_id is not None else None
    codes = sorted(session.execute(select(Category.code).join(ActionCategory, ActionCategory.category_id == Category.id)
                                   .where(ActionCategory.action_id == action.id)).scalars())
    return dict(title=action.title, description=action.description, area_code=area, place_id=action.place_id,
                h3_cells=sorted(action.h3_cells.split(",")) if action.h3_cells else [], category_codes=codes,
                owner_org_id=action.owner_org_id, responsible_user_id=action.responsible_user_id, status=action.status,
                priority=action.priority, start_date=_iso(action.start_date), due_date=_iso(action.due_date),
                decided_meeting_id=action.decided_meeting_id)


def _columns(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Recorded values -> Action column values (category_codes are a separate table and are left out)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "category_codes":
            continue
        if name == "area_code":
            out["area_id"] = None if value is None else session.execute(
                select(Area.id).where(Area.code == value)).scalar_one()
        elif name == "h3_cells":
            out["h3_cells"] = ",".join(value) or None
        elif name in ("start_date", "due_date"):
            out[name] = None if value is None else date.fromisoformat(value)
        else:
            out[name] = value
    return out


def _set_categories(session: Session, action_id: int, codes: list[str]) -> None:
    session.execute(delete(ActionCategory).where(ActionCategory.action_id == action_id))
    ids = session.execute(select(Category.id).where(Category.code.in_(codes))).scalars().all() if codes else []
    session.add_all(ActionCategory(action_id=action_id, category_id=cid) for cid in ids)


def _check_dates(start: str | None, due: str | None) -> None:
    if start is not None and due is not None and due < start:  # ISO dates compare as text
        raise _invalid("due_date", f"{due} ligger före startdatum {start}.")


def _check_transition(old: str, new: str, note: str | None) -> None:
    """Refuse a status move the rules do not allow; moves back and reopenings need a note."""
    if new in next_statuses(old):
        return
    if new in statuses_needing_note(old):
        if not note:
            raise _invalid("note", f"skriv varför åtgärden går från {old} tillbaka till {new}.")
        return
    allowed = ", ".join(next_statuses(old) + statuses_needing_note(old))
    raise _invalid("status", f"kan inte gå från {old} till {new} (möjligt: {allowed}).")


def _note(note: str | None, *, required: bool) -> str | None:
    text = note.strip() if isinstance(note, str) else ""
    if required and not text:
        raise _invalid("note", "får inte vara tom.")
    if len(text) > MAX_TEXT:
        raise _invalid("note", f"får vara högst {MAX_TEXT} tecken.")
    return text or None


def _items(name: str, value: Iterable[str] | str | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    items = list(value)
    if not all(isinstance(v, str) for v in items):
        raise _invalid(name, "måste vara en lista med koder.")
    return [v.strip() for v in items if v.strip()]


def _date(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _invalid(name, f"'{value}' är inget datum (ÅÅÅÅ-MM-DD).") from None


def _invalid(name: str, reason: str) -> ActionValidationError:
    return ActionValidationError(f"{FIELD_LABELS.get(name, name)}: {reason}", field=name)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _utc(now: datetime | None) -> datetime:
    """`now` as aware UTC (naive means Europe/Stockholm, as in the report form); default the current time."""
    if now is None:
        return datetime.now(timezone.utc)
    return (now if now.tzinfo else now.replace(tzinfo=STOCKHOLM)).astimezone(timezone.utc)


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _dumps(changes: dict[str, Any]) -> str:
    return json.dumps(changes, ensure_ascii=False, sort_keys=True)


def _shown(value: Any) -> str:
    if value in (None, [], ""):
        return "–"
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
