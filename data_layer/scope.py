"""Who sees what: the ONE scoping function every read of incidents, surveys and actions goes through."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, or_, true
from sqlalchemy.sql.elements import ColumnElement, True_

from data_layer.db import resolve_min_count
from data_layer.models import ROLES, Action, Incident, Survey, SurveyPlaceMark, SurveyResult
from data_layer.permissions import allowed


@dataclass(frozen=True)
class Scope:
    """The current user's identity as far as visibility is concerned; hashable, so it can key caches."""

    user_id: int
    role: str
    organisation_id: int

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Okänd roll: {self.role!r}")

    def can(self, resource: str, operation: str) -> bool:
        """True when this user's role may perform `operation` on `resource`."""
        return allowed(self.role, resource, operation)


_RESOURCE_OF = {Incident: "incident", Survey: "survey", SurveyResult: "survey", SurveyPlaceMark: "survey", Action: "action"}

# The coordinators run the forum's register: they edit every action and may make any organisation its owner. Other
# roles that may edit actions (analytiker, medlem) act for their own organisation: they edit the actions it owns or
# that name them responsible, and an action they create or hand over is owned by their organisation.
ACTION_EDIT_ANY_ROLES = frozenset({"admin", "samordnare"})


def min_count(scope: Scope) -> int:
    """The smallest count `scope` is shown: the configured threshold (LAGESBILD_MIN_COUNT, default 3) for roles that
    may only count incidents (no incident read_detail: lasare, rapportor), 1 (every count) for the others."""
    return resolve_min_count() if not scope.can("incident", "read_detail") else 1


def suppresses_small_counts(scope: Scope) -> bool:
    """True when counts 1..threshold-1 are hidden from `scope` in every table, chart, map and export it sees."""
    return min_count(scope) > 1


def may_own_action(scope: Scope, owner_org_id: int) -> bool:
    """True when `scope` may make `owner_org_id` the owner of an action (on creation or by changing the owner)."""
    if not scope.can("action", "edit"):
        return False
    return scope.role in ACTION_EDIT_ANY_ROLES or owner_org_id == scope.organisation_id


def counts_everything(scope: Scope) -> bool:
    """True when `scope`'s list-visibility of incidents is unrestricted (visible(...) is TRUE), so its counts may be
    read from the rollups (data_layer/rollups.py), which hold every incident."""
    return isinstance(visible(Incident, scope, operation="list"), True_)


def visible(model: type, scope: Scope, *, operation: str = "list") -> ColumnElement[bool]:
    """Return the WHERE clause limiting `model` rows to those `scope` may see for `operation`.

    "list" is what aggregates count (everything the role may count, sensitive rows included);
    "read_detail" is what may be shown row by row (sensitive rows only to the reporting organisation or
    to roles granted them; reporters only their own reports); "edit" of actions is limited to the organisation's own
    (see ACTION_EDIT_ANY_ROLES). Unknown models are refused, not passed.
    """
    resource = _RESOURCE_OF.get(model)
    if resource is None:
        raise TypeError(f"No scoping rule for {model.__name__}")
    if not scope.can(resource, operation):
        if model is Incident and operation == "read_detail" and scope.role == "rapportor":
            return Incident.reporter_user_id == scope.user_id
        return false()
    if model is Incident and operation != "list":
        if scope.can("sensitive_incident", operation):
            return true()
        return or_(Incident.sensitive.is_(False), Incident.source_org_id == scope.organisation_id)
    if model is Action and operation == "edit" and scope.role not in ACTION_EDIT_ANY_ROLES:
        return or_(Action.owner_org_id == scope.organisation_id, Action.responsible_user_id == scope.user_id)
    return true()

