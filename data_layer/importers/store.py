"""Small get-or-create writes an import needs inside its transaction: organisation, categories, data version."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from data_layer.models import Category, Organisation, StoreInfo
from data_layer.reference import CATEGORIES


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


def ensure_category_ids(conn: Connection) -> dict[str, int]:
    """Create the missing standard categories and return {code: id}."""
    have = dict(conn.execute(select(Category.code, Category.id)).all())
    for code, sv, en, group, sensitive in CATEGORIES:
        if code not in have:
            have[code] = conn.execute(insert(Category).values(code=code, label_sv=sv, label_en=en, group=group,
                                                              sensitive_default=sensitive)).inserted_primary_key[0]
    return have


def bump_data_version(conn: Connection) -> None:
    """Increase StoreInfo "data_version" by one (created as "1"), so cached figures are recomputed."""
    row = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version").with_for_update()
                       ).scalar_one_or_none()
    if row is None:
        conn.execute(insert(StoreInfo).values(key="data_version", value="1"))
    else:
        new = str(int(row) + 1) if row.isdigit() else "1"
        conn.execute(update(StoreInfo).where(StoreInfo.key == "data_version").values(value=new))
