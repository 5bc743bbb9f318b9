"""Scoped action queries: the action register with owner, area, status, due date, overdue flag and target categories."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, case, select

from data_layer.models import Action, ActionCategory, Area, Category, Organisation
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
