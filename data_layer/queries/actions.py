"""Scoped action queries: the action register with owner, area, status, due date, overdue flag and target categories."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, case, null, select

from data_layer.models import Action, ActionCategory, ActionUpdate, Area, Category, Organisation, User
from data_layer.queries._common import frame
from data_layer.queries.filters import IncidentFilter, area_ids_matching
from data_layer.queries.sqlfuncs import string_agg
from data_layer.scope import Scope, visible

ACTION_COLUMNS = ["id", "title", "status", "priority", "owner_org_code", "owner_org_name", "area_code", "area_name",
                  "start_date", "due_date", "overdue", "categories", "version"]
OPEN_STATUSES = ("föreslagen", "beslutad", "pågår")


def actions_list(engine: Engine, *, scope: Scope, flt: IncidentFilter, today: date,
                 own_org_only: bool = False, open_only: bool = False) -> pd.DataFrame:
    """Actions the scope may read (in the filter's areas), overdue first, then by due date."""
    cats = (select(ActionCategory.action_id, string_agg(Category.code, ",").label("codes"))
            .join(Category, ActionCategory.category_id == Category.id)
            .group_by(ActionCategory.action_id).subquery())
    overdue = case((and_(Action.due_date < today, Action.status.in_(OPEN_STATUSES)), True), else_=False)
    conds = [visible(Action, scope, operation="read_detail")]
    if flt.area_codes:
        conds.append(Action.area_id.in_(area_ids_matching(flt.area_codes)))
    if own_org_only:
        conds.append(Action.owner_org_id == scope.organisation_id)
    if open_only:
        conds.append(Action.status.in_(OPEN_STATUSES))
    stmt = (select(Action.id, Action.title, Action.status, Action.priority, Organisation.code, Organisation.name,
                   Area.code, Area.name, Action.start_date, Action.due_date, overdue.label("overdue"), cats.c.codes,
                   Action.version)
            .join(Organisation, Action.owner_org_id == Organisation.id)
            .outerjoin(Area, Action.area_id == Area.id)
            .outerjoin(cats, cats.c.action_id == Action.id)
            .where(*conds)
            .order_by(overdue.desc(), Action.due_date.is_(None), Action.due_date, Action.id))
    df = frame(engine, stmt, ACTION_COLUMNS)
    df["overdue"] = df["overdue"].astype(bool)
    df["categories"] = df["categories"].map(lambda s: ",".join(sorted(s.split(","))) if isinstance(s, str) else "")
    return df


HISTORY_COLUMNS = ["at", "user_name", "org", "kind", "version", "status_from", "status_to", "changes", "note"]


def action_history(engine: Engine, *, scope: Scope, action_id: int) -> pd.DataFrame:
    """The action's updates, oldest first, if the scope may read it: `changes` as {field: [old, new]} (empty for a
    note), `kind` skapad/ändrad/anteckning, `version` the action's version after the update (None for notes)."""
    note = ActionUpdate.note if scope.can("action", "free_text") else null()  # blanked in SQL, never sent
    stmt = (select(ActionUpdate.at, User.display_name, Organisation.name, ActionUpdate.status_from,
                   ActionUpdate.status_to, ActionUpdate.changes, note)
            .join(Action, ActionUpdate.action_id == Action.id)
            .outerjoin(User, ActionUpdate.user_id == User.id)
            .outerjoin(Organisation, User.organisation_id == Organisation.id)
            .where(Action.id == action_id, visible(Action, scope, operation="read_detail"))
            .order_by(ActionUpdate.at, ActionUpdate.id))
    with engine.connect() as conn:
        found = conn.execute(stmt).all()
    hidden = _hidden_fields(scope)
    rows = []
    for at, name, org, status_from, status_to, changes, note in found:
        fields = json.loads(changes) if changes else {}
        version = (fields.pop("version", None) or [None, None])[1]
        for name in hidden & fields.keys():  # the field changed, but its old and new values are not for this role
            fields[name] = [None, None]
        created = version == 1 or (status_from is None and status_to is not None)
        kind = "anteckning" if not fields and not status_to else ("skapad" if created else "ändrad")
        rows.append((at, name, org, kind, version, status_from, status_to, fields, note))
    df = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    df["at"] = pd.to_datetime(df["at"], utc=True)  # SQLite returns naive UTC, PostgreSQL aware
    df["version"] = df["version"].astype("Int64")
    return df


FREE_TEXT_FIELDS = frozenset({"description"})
LOCATION_FIELDS = frozenset({"place_id", "h3_cells"})


def _hidden_fields(scope: Scope) -> frozenset[str]:
    """The action fields whose values `scope` is not shown: free text and place/cells, per the matrix."""
    return ((frozenset() if scope.can("action", "free_text") else FREE_TEXT_FIELDS)
            | (frozenset() if scope.can("action", "precise_location") else LOCATION_FIELDS))


DETAIL_COLUMNS = ["id", "title", "description", "status", "priority", "owner_org_id", "owner_org_name",
                  "responsible_user_id", "responsible_name", "area_code", "place_id", "h3_cells", "category_codes",
                  "start_date", "due_date", "decided_meeting_id", "version", "can_edit"]


def action_detail(engine: Engine, *, scope: Scope, action_id: int) -> pd.DataFrame:
    """One row (none if unreadable) with every editable field in the form update_action accepts, the version to send
    back with an edit, and whether the scope may edit it. Without action free_text the description is None, without
    precise_location place_id and h3_cells are (blanked in SQL)."""
    cats = (select(string_agg(Category.code, ",")).join(ActionCategory, ActionCategory.category_id == Category.id)
            .where(ActionCategory.action_id == Action.id).correlate(Action).scalar_subquery())
    can_edit = case((visible(Action, scope, operation="edit"), True), else_=False)
    text = Action.description if scope.can("action", "free_text") else null()
    precise = scope.can("action", "precise_location")
    place, cells = (Action.place_id, Action.h3_cells) if precise else (null(), null())
    stmt = (select(Action.id, Action.title, text, Action.status, Action.priority, Action.owner_org_id,
                   Organisation.name, Action.responsible_user_id, User.display_name, Area.code, place,
                   cells, cats, Action.start_date, Action.due_date, Action.decided_meeting_id,
                   Action.version, can_edit)
            .join(Organisation, Action.owner_org_id == Organisation.id)
            .outerjoin(User, Action.responsible_user_id == User.id)
            .outerjoin(Area, Action.area_id == Area.id)
            .where(Action.id == action_id, visible(Action, scope, operation="read_detail")))
    df = frame(engine, stmt, DETAIL_COLUMNS)
    for col in ("h3_cells", "category_codes"):
        df[col] = df[col].map(lambda s: sorted(s.split(",")) if isinstance(s, str) and s else [])
    df["can_edit"] = df["can_edit"].astype(bool)
    return df
