"""The audit trail: append-only facts about logins, sensitive looks, exports, imports and edits (never free text)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import Session

from data_layer.models import AuditLog

AUDIT_EVENTS = ("login", "login_failed", "logout", "view_sensitive", "export", "import", "edit", "role_change", "user_add")


def record(session: Session, *, event: str, user_id: int | None = None, username: str | None = None,
           organisation_id: int | None = None, object_type: str | None = None, object_id: str | int | None = None,
           detail: str | None = None) -> AuditLog:
    """Add one audit row to `session` (committed with the caller's transaction)."""
    if event not in AUDIT_EVENTS:
        raise ValueError(f"Okänd granskningshändelse: {event}")
    row = AuditLog(at=datetime.now(timezone.utc), user_id=user_id, username=username, organisation_id=organisation_id,
                   event=event, object_type=object_type, object_id=None if object_id is None else str(object_id),
                   detail=detail[:500] if detail else None)
    session.add(row)
    return row
