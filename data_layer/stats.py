"""Store-wide facts for operators (the `stats` command): row counts, date range, areas. Counts only, no row content."""
from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from data_layer.models import Area, Incident, Organisation, StoreInfo


def store_stats(engine: Engine) -> dict:
    """Return {'tables': {name: rows}, 'incidents': {...}, 'areas': [...], 'store': {...}} computed in SQL."""
    with engine.connect() as conn:
        tables = {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                  for name, table in sorted(SQLModel.metadata.tables.items())}
        first, last = conn.execute(select(func.min(Incident.occurred_date), func.max(Incident.occurred_date))).one()
        by_precision = dict(conn.execute(
            select(Incident.location_precision, func.count()).group_by(Incident.location_precision)).all())
        sources = conn.execute(
            select(Organisation.code, func.count(Incident.id))
            .join(Incident, Incident.source_org_id == Organisation.id)
            .group_by(Organisation.code).order_by(Organisation.code)).all()
        areas = conn.execute(select(Area.code, Area.name, Area.level).order_by(Area.code)).all()
        info = dict(conn.execute(select(StoreInfo.key, StoreInfo.value)).all())
    years = ((last - first).days + 1) / 365.25 if first else 0
    return {
        "tables": tables,
        "incidents": {
            "total": tables.get("incident", 0),
            "first_date": first.isoformat() if first else None,
            "last_date": last.isoformat() if last else None,
            "years_covered": round(years, 2),
            "by_location_precision": by_precision,
            "by_source": {code: n for code, n in sources},
        },
        "areas": [{"code": c, "name": n, "level": lvl} for c, n, lvl in areas],
        "store": {k: v for k, v in info.items() if k.startswith(("demo", "data_version"))},
    }
