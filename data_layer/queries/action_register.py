"""What the action register page needs beyond actions_list: who is responsible, which rows the user may edit, and
whom an action can be given to."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, select

from data_layer.models import Action, Organisation, User
from data_layer.queries._common import frame
from data_layer.scope import Scope, visible

EXTRA_COLUMNS = ["id", "responsible_user_id", "responsible_name", "can_edit", "updated_at"]
PEOPLE_COLUMNS = ["id", "display_name", "org_id", "org_name"]
# Roles that take part in the forum's work; reporters and viewers are not handed actions.
RESPONSIBLE_ROLES = ("admin", "samordnare", "analytiker", "medlem")


def action_extras(engine: Engine, *, scope: Scope) -> pd.DataFrame:
    """Per action the scope may read: the responsible person and whether the scope may edit it (scope.py decides)."""
    can_edit = case((visible(Action, scope, operation="edit"), True), else_=False)
    stmt = (select(Action.id, Action.responsible_user_id, User.display_name, can_edit, Action.updated_at)
            .outerjoin(User, Action.responsible_user_id == User.id)
            .where(visible(Action, scope, operation="read_detail")))
    df = frame(engine, stmt, EXTRA_COLUMNS)
    df["can_edit"] = df["can_edit"].astype(bool)
    return df


def responsible_choices(engine: Engine, *, scope: Scope) -> pd.DataFrame:
    """Active accounts in roles that take on actions, by organisation then name (no usernames, no other details);
    empty for roles that may not edit actions."""
    if not scope.can("action", "edit"):
        return pd.DataFrame({c: [] for c in PEOPLE_COLUMNS})
    stmt = (select(User.id, User.display_name, Organisation.id, Organisation.name)
            .join(Organisation, User.organisation_id == Organisation.id)
            .where(User.active.is_(True), User.role.in_(RESPONSIBLE_ROLES))
            .order_by(Organisation.name, User.display_name, User.id))
    return frame(engine, stmt, PEOPLE_COLUMNS)


def organisation_choices(engine: Engine, *, scope: Scope) -> pd.DataFrame:
    """Every organisation by name with its id (what an action's owner is stored as)."""
    return frame(engine, select(Organisation.id, Organisation.name).order_by(Organisation.name), ["id", "name"])
