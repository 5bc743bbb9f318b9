"""Administration queries: users, import batches and the audit log (gated by the matrix's user/import/audit rights)."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, func, select

from data_layer.models import AuditLog, ImportBatch, Incident, Organisation, User
from data_layer.queries._common import empty, frame
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope, visible

USER_COLUMNS = ["id", "username", "display_name", "org_code", "org_name", "role", "active", "locked_until",
                "created_at", "email", "sso"]
BATCH_COLUMNS = ["id", "created_at", "source_kind", "org_code", "file_name", "rows_accepted", "rows_rejected",
                 "username", "undone_at"]
AUDIT_COLUMNS = ["at", "username", "event", "object_type", "object_id", "detail"]


def users_list(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """All accounts with organisation, role, e-mail and whether single sign-on is tied to them (never password hashes
    or identity subjects); empty without user rights."""
    if not scope.can("user", "list"):
        return empty(USER_COLUMNS)
    stmt = (select(User.id, User.username, User.display_name, Organisation.code, Organisation.name, User.role,
                   User.active, User.locked_until, User.created_at, User.email, User.oidc_subject.is_not(None))
            .join(Organisation, User.organisation_id == Organisation.id).order_by(User.username))
    return frame(engine, stmt, USER_COLUMNS)


def import_batches(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None,
                   limit: int = 200) -> pd.DataFrame:
    """The latest import batches (newest first) with row counts; empty without import rights."""
    if not scope.can("import", "list"):
        return empty(BATCH_COLUMNS)
    stmt = (select(ImportBatch.id, ImportBatch.created_at, ImportBatch.source_kind, Organisation.code,
                   ImportBatch.file_name, ImportBatch.rows_accepted, ImportBatch.rows_rejected, User.username,
                   ImportBatch.undone_at)
            .outerjoin(Organisation, ImportBatch.organisation_id == Organisation.id)
            .outerjoin(User, ImportBatch.user_id == User.id)
            .order_by(ImportBatch.id.desc()).limit(limit))  # insertion order: clocks and the demo's stamps may disagree
    return frame(engine, stmt, BATCH_COLUMNS)


REJECTION_COLUMNS = ["row", "column", "reason"]
SOURCE_TYPE_COLUMNS = ["source_type", "incidents"]


def batch_rejections(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None,
                     batch_id: int) -> pd.DataFrame:
    """The rows one import batch skipped, with column and reason (from its rejected_detail); empty without rights."""
    if not scope.can("import", "read_detail"):
        return empty(REJECTION_COLUMNS)
    with engine.connect() as conn:
        detail = conn.execute(select(ImportBatch.rejected_detail).where(ImportBatch.id == batch_id)).scalar()
    rows = json.loads(detail) if detail else []
    return pd.DataFrame([(r.get("row"), r.get("column"), r.get("reason")) for r in rows], columns=REJECTION_COLUMNS)


def source_type_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None,
                       source_kind: str) -> pd.DataFrame:
    """How many incidents imported by `source_kind` carry each source type (most first); empty without import rights."""
    if not scope.can("import", "list"):
        return empty(SOURCE_TYPE_COLUMNS)
    n = func.count(Incident.id)
    stmt = (select(Incident.source_type, n).join(ImportBatch, Incident.import_batch_id == ImportBatch.id)
            .where(ImportBatch.source_kind == source_kind, Incident.source_type.is_not(None),
                   visible(Incident, scope))
            .group_by(Incident.source_type).order_by(n.desc(), Incident.source_type))
    return frame(engine, stmt, SOURCE_TYPE_COLUMNS)


def audit_log(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None, limit: int = 200,
              username: str | None = None, event: str | None = None, date_from: date | None = None,
              date_to: date | None = None) -> pd.DataFrame:
    """The latest audit rows (newest first), optionally only one user's, one event type's, or those within a range
    of Europe/Stockholm calendar days (both ends included); empty without audit rights."""
    if not scope.can("audit", "list"):
        return empty(AUDIT_COLUMNS)
    stmt = select(AuditLog.at, AuditLog.username, AuditLog.event, AuditLog.object_type, AuditLog.object_id,
                  AuditLog.detail)
    if username:
        stmt = stmt.where(AuditLog.username == username)
    if event:
        stmt = stmt.where(AuditLog.event == event)
    if date_from is not None:
        stmt = stmt.where(AuditLog.at >= _stockholm_midnight(date_from))
    if date_to is not None:
        stmt = stmt.where(AuditLog.at < _stockholm_midnight(date_to + timedelta(days=1)))
    return frame(engine, stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit), AUDIT_COLUMNS)


def _stockholm_midnight(day: date) -> datetime:
    """The UTC instant a Europe/Stockholm calendar day starts (stored times are UTC)."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(timezone.utc)
