"""Administration queries: users, import batches and the audit log (gated by the matrix's user/import/audit rights)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from data_layer.models import AuditLog, ImportBatch, Organisation, User
from data_layer.queries._common import empty, frame
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope

USER_COLUMNS = ["id", "username", "display_name", "org_code", "org_name", "role", "active", "locked_until",
                "created_at"]
BATCH_COLUMNS = ["id", "created_at", "source_kind", "org_code", "file_name", "rows_accepted", "rows_rejected",
                 "username", "undone_at"]
AUDIT_COLUMNS = ["at", "username", "event", "object_type", "object_id", "detail"]


def users_list(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """All accounts with organisation and role (never password hashes); empty without user rights."""
    if not scope.can("user", "list"):
        return empty(USER_COLUMNS)
    stmt = (select(User.id, User.username, User.display_name, Organisation.code, Organisation.name, User.role,
                   User.active, User.locked_until, User.created_at)
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
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc()).limit(limit))
    return frame(engine, stmt, BATCH_COLUMNS)


def audit_log(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None, limit: int = 200) -> pd.DataFrame:
    """The latest audit rows (newest first); empty without audit rights."""
    if not scope.can("audit", "list"):
        return empty(AUDIT_COLUMNS)
    stmt = (select(AuditLog.at, AuditLog.username, AuditLog.event, AuditLog.object_type, AuditLog.object_id,
                   AuditLog.detail).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit))
    return frame(engine, stmt, AUDIT_COLUMNS)
