"""Reference data as DataFrames: areas (with geometry and population), categories and organisations (not scoped)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from data_layer.models import Area, Category, Incident, Organisation, Place, StoreInfo
from data_layer.queries._common import frame

AREA_COLUMNS = ["code", "name", "level", "parent_code", "geometry", "centroid_lat", "centroid_lon", "population",
                "vulnerable"]
CATEGORY_COLUMNS = ["code", "label_sv", "label_en", "group", "sensitive_default"]
ORGANISATION_COLUMNS = ["code", "name", "kind"]
PLACE_COLUMNS = ["id", "name", "kind", "area_code"]


def areas(engine: Engine) -> pd.DataFrame:
    """All areas with level, parent code, GeoJSON geometry, centroid and population, ordered by level then name."""
    parent = aliased(Area)
    level_order = {"lan": 0, "kommun": 1, "stadsdel": 2, "omrade": 3}
    stmt = (select(Area.code, Area.name, Area.level, parent.code, Area.geometry, Area.centroid_lat, Area.centroid_lon,
                   Area.population, Area.vulnerable)
            .outerjoin(parent, Area.parent_id == parent.id).order_by(Area.name))
    df = frame(engine, stmt, AREA_COLUMNS)
    order = df["level"].map(level_order).fillna(9)
    return df.assign(_o=order).sort_values(["_o", "name"], kind="stable").drop(columns="_o").reset_index(drop=True)


def categories(engine: Engine) -> pd.DataFrame:
    """All incident categories with Swedish and English labels, ordered by Swedish label."""
    stmt = select(Category.code, Category.label_sv, Category.label_en, Category.group,
                  Category.sensitive_default).order_by(Category.label_sv)
    return frame(engine, stmt, CATEGORY_COLUMNS)


def organisations(engine: Engine) -> pd.DataFrame:
    """All organisations, ordered by name."""
    return frame(engine, select(Organisation.code, Organisation.name, Organisation.kind).order_by(Organisation.name),
                 ORGANISATION_COLUMNS)


def places(engine: Engine) -> pd.DataFrame:
    """Named places (torg, skola, park …) with their area code, ordered by name."""
    stmt = (select(Place.id, Place.name, Place.kind, Area.code).outerjoin(Area, Place.area_id == Area.id)
            .order_by(Place.name))
    return frame(engine, stmt, PLACE_COLUMNS)


def store_info(engine: Engine) -> dict[str, str]:
    """StoreInfo as a dict (demo flag, seed, data_version …)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(StoreInfo.key, StoreInfo.value)).all())


def incident_id_ceiling(engine: Engine) -> int:
    """The largest incident id, 0 when there is none: at least the number of incidents, found by one index lookup."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(Incident.id))).scalar() or 0)


def data_version(engine: Engine) -> str:
    """The store's data version: changes on every write that should invalidate cached figures."""
    with engine.connect() as conn:
        value = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")).scalar_one_or_none()
        if value is None:  # a store without the key: fall back to a cheap fingerprint of the incident table
            from data_layer.models import Incident
            n, top = conn.execute(select(func.count(Incident.id), func.max(Incident.id))).one()
            return f"n{n}-{top}"
        return value
