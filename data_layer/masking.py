"""Masking personal data in free text: find the reports whose description seems to hold personal data, and let a
coordinator replace each item with a placeholder ("[personnummer]", "[telefon]", "[e-post]", "[regnr]").

Detection is data_layer/personal_data.py's: each candidate the patterns find is masked only when that module
accepts it on its own (date part and check digit of a personnummer, digit count of a phone number, …), so what is
masked is exactly what the reporter was warned about. The audit trail records which kinds were masked, never text.
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
from sqlalchemy import Engine, or_, select, update

from data_layer import personal_data as personal
from data_layer.audit import record
from data_layer.db import session_scope
from data_layer.models import Category, Incident
from data_layer.reference import bump_data_version
from data_layer.rls import acting_as, for_operation
from data_layer.scope import Scope, visible

PLACEHOLDERS = {personal.EMAIL: "[e-post]", personal.PERSONNUMMER: "[personnummer]", personal.PHONE: "[telefon]",
                personal.PLATE: "[regnr]"}
# E-mail first: a plate-like "abc123" inside an address must go with the address; then the digit patterns, longest
# (personnummer) before phone numbers.
_ORDER = ((personal.EMAIL, (personal._EMAIL,)), (personal.PERSONNUMMER, (personal._PNR,)), (personal.PHONE, (personal._PHONE,)),
          (personal.PLATE, (personal._PLATE_UPPER, personal._PLATE_LOWER)))
FLAGGED_COLUMNS = ["id", "occurred_date", "category_code", "kinds", "description"]
SCAN_BATCH = 500


class MaskingRefused(Exception):
    """The user may not mask this report (role or visibility), or it does not exist; nothing was changed."""


def _mask_kind(text: str, kind: str, patterns: tuple[re.Pattern, ...]) -> str:
    for pattern in patterns:
        text = pattern.sub(lambda m: PLACEHOLDERS[kind] if kind in personal.personal_data_kinds(m.group(0))
                           else m.group(0), text)
    return text


def mask_text(text: str) -> str:
    """`text` with every detected personnummer, phone number, e-mail address and registration plate replaced by its
    placeholder; everything else unchanged."""
    for kind, patterns in _ORDER:
        text = _mask_kind(text, kind, patterns)
    return text


def _may_mask(scope: Scope) -> bool:
    return scope.can("incident", "edit") and scope.can("incident", "free_text")


def _candidates():
    """SQL prefilter: every kind detected needs a digit or an '@' (e-mail), so rows without them are never read."""
    return or_(Incident.description.contains("@"), *[Incident.description.contains(str(d)) for d in range(10)])


@for_operation("read_detail")  # row by row: the store's own policies filter too (rls.py)
def incidents_with_personal_data(engine: Engine, *, scope: Scope, limit: int = 50) -> pd.DataFrame:
    """The newest reports (at most `limit`) that `scope` may read and mask whose description seems to hold personal
    data, with the kinds found; empty for roles that may not edit incidents or read free text."""
    if not _may_mask(scope):
        return pd.DataFrame(columns=FLAGGED_COLUMNS)
    found: list[tuple] = []
    last_id = None
    with engine.connect() as conn:
        while len(found) < limit:
            stmt = (select(Incident.id, Incident.occurred_date, Category.code, Incident.description)
                    .join(Category, Incident.category_id == Category.id)
                    .where(visible(Incident, scope, operation="read_detail"), Incident.description.is_not(None),
                           _candidates())
                    .order_by(Incident.id.desc()).limit(SCAN_BATCH))
            if last_id is not None:
                stmt = stmt.where(Incident.id < last_id)
            batch = conn.execute(stmt).all()
            if not batch:
                break
            for row_id, day, code, text in batch:
                kinds = personal.personal_data_kinds(text)
                if kinds:
                    found.append((row_id, day, code, ", ".join(kinds), text))
            last_id = batch[-1][0]
    df = pd.DataFrame(found[:limit], columns=FLAGGED_COLUMNS)
    df["occurred_date"] = df["occurred_date"].map(lambda d: d if isinstance(d, date) else date.fromisoformat(str(d)))
    return df


def mask_incident(engine: Engine, *, scope: Scope, incident_id: int) -> list[str]:
    """Replace the personal data in incident `incident_id`'s description with placeholders and return the kinds
    masked ([] when none was found: nothing changes). Audited with the kinds only. Refuses roles without incident
    edit and free_text rights and reports the scope may not read (MaskingRefused)."""
    if not _may_mask(scope):
        raise MaskingRefused("Din roll får inte maskera fritext.")
    with acting_as(scope, "read_detail"), session_scope(engine) as session:
        text = session.execute(select(Incident.description).where(
            Incident.id == incident_id, visible(Incident, scope, operation="read_detail")).with_for_update()
        ).one_or_none()
        if text is None:
            raise MaskingRefused(f"Rapport {incident_id} finns inte eller syns inte för dig.")
        kinds = personal.personal_data_kinds(text[0])
        if not kinds:
            return []
        session.execute(update(Incident).where(Incident.id == incident_id).values(description=mask_text(text[0])))
        bump_data_version(session)
        record(session, event="edit", user_id=scope.user_id, organisation_id=scope.organisation_id,
               object_type="incident", object_id=incident_id, detail="maskerade: " + ", ".join(kinds))
    return kinds
