"""Own survey indices: defined from questions by roles with survey edit rights, stored for everyone, audited.

An own index is a name, the question codes it averages, its scale 0–`scale_max` and its direction; how its value is
computed is analysis.survey_indices.compute_index, as for the shipped indices. Saving and deleting each run in one
transaction with an "edit" audit row (structured facts only: the index id and what was done, never the name).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, delete, func, select

from data_layer import audit
from data_layer.db import session_scope
from data_layer.models import SurveyOwnIndex, SurveyQuestion
from data_layer.scope import Scope

MAX_NAME = 80
MAX_COMPONENTS = 30
MAX_SCALE = 1000.0


class OwnIndexError(Exception):
    """A refused save or delete; the message is Swedish and names the field (nothing was written)."""


@dataclass(frozen=True)
class OwnIndex:
    """A stored own index."""

    id: int
    name: str
    components: tuple[str, ...]
    scale_max: float
    higher_is_worse: bool

    @property
    def code(self) -> str:
        """The measure key the survey page uses (never clashes with a question or shipped index code)."""
        return f"custom:{self.id}"


def list_own_indices(engine: Engine) -> list[OwnIndex]:
    """Every stored own index, by name (everyone sees them: they hold definitions, not data)."""
    with engine.connect() as conn:
        rows = conn.execute(select(SurveyOwnIndex.id, SurveyOwnIndex.name, SurveyOwnIndex.components,
                                   SurveyOwnIndex.scale_max, SurveyOwnIndex.higher_is_worse)
                            .order_by(SurveyOwnIndex.name, SurveyOwnIndex.id)).all()
    return [OwnIndex(r.id, r.name, tuple(json.loads(r.components)), float(r.scale_max), bool(r.higher_is_worse))
            for r in rows]


def _require_edit(scope: Scope) -> None:
    if not scope.can("survey", "edit"):
        raise OwnIndexError("Din roll får inte ändra egna index för trygghetsmätningar.")


def save_own_index(engine: Engine, *, scope: Scope, name: str, components: list[str] | tuple[str, ...],
                   scale_max: float = 100.0, higher_is_worse: bool = True) -> int:
    """Store a new own index and return its id (raises OwnIndexError for a refused role or bad input)."""
    _require_edit(scope)
    name = " ".join((name or "").split())
    codes = list(dict.fromkeys(c.strip() for c in components if c and c.strip()))
    if not name or len(name) > MAX_NAME:
        raise OwnIndexError(f"Namn: ange 1–{MAX_NAME} tecken.")
    if not codes or len(codes) > MAX_COMPONENTS:
        raise OwnIndexError(f"Frågor: välj 1–{MAX_COMPONENTS} frågor.")
    if not 1.0 <= float(scale_max) <= MAX_SCALE:
        raise OwnIndexError(f"Skalans största värde: ange ett tal mellan 1 och {MAX_SCALE:g}.")
    with session_scope(engine) as session:
        known = set(session.execute(select(SurveyQuestion.code).where(SurveyQuestion.code.in_(codes))).scalars())
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise OwnIndexError(f"Frågor: okända frågekoder {', '.join(unknown)}.")
        taken = session.execute(select(func.count()).select_from(SurveyOwnIndex)
                                .where(func.lower(SurveyOwnIndex.name) == name.lower())).scalar_one()
        if taken:
            raise OwnIndexError(f"Namn: det finns redan ett eget index som heter '{name}'.")
        row = SurveyOwnIndex(name=name, components=json.dumps(codes, ensure_ascii=False), scale_max=float(scale_max),
                             higher_is_worse=bool(higher_is_worse), created_by=scope.user_id,
                             created_at=datetime.now(timezone.utc))
        session.add(row)
        session.flush()
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="survey_index", object_id=row.id, detail=f"create {len(codes)} frågor")
        return row.id


def delete_own_index(engine: Engine, *, scope: Scope, index_id: int) -> None:
    """Delete one own index (raises OwnIndexError for a refused role or an unknown id)."""
    _require_edit(scope)
    with session_scope(engine) as session:
        deleted = session.execute(delete(SurveyOwnIndex).where(SurveyOwnIndex.id == index_id)).rowcount
        if not deleted:
            raise OwnIndexError(f"Det finns inget eget index med nummer {index_id}.")
        audit.record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
                     object_type="survey_index", object_id=index_id, detail="delete")
