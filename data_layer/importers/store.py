"""The get-or-create write an import needs inside its transaction: its source organisation."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from data_layer.models import Organisation


@dataclass(frozen=True)
class OrgSpec:
    """The organisation an import's incidents belong to (created on first use)."""

    code: str
    name: str
    kind: str


def get_or_create_org(conn: Connection, spec: OrgSpec) -> int:
    """Return the id of the organisation with `spec.code`, creating it when missing."""
    org_id = conn.execute(select(Organisation.id).where(Organisation.code == spec.code)).scalar_one_or_none()
    if org_id is None:
        org_id = conn.execute(insert(Organisation).values(code=spec.code, name=spec.name, kind=spec.kind)
                              ).inserted_primary_key[0]
    return org_id
