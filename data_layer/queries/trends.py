"""Scoped counts behind the trends page: bucket × group series, day × hour (points and windows), counts per place.

Every function counts in SQL (GROUP BY) and returns pre-aggregated rows; none returns incident rows. Date columns
come back as datetime.date on both backends (SQLAlchemy's Date type converts SQLite's text).
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine, case, func, literal, null, or_, select, union_all

from data_layer import rollups
from data_layer.models import Area, Category, Incident, IncidentDaily, IncidentHourly, Organisation, Place
from data_layer.queries._common import frame
from data_layer.queries.filters import IncidentFilter, incident_conditions
from data_layer.queries.sqlfuncs import date_bucket, epoch_seconds, iso_weekday
from data_layer.scope import Scope, visible

SPLITS = ("category", "area", "source")
TOTAL = "total"  # `by` for one series of everything, its group column NULL
SERIES_COLUMNS = ["bucket", "group", "count"]
FIRST_COLUMNS = ["group", "first_date"]
POINT_COLUMNS = ["weekday", "hour", "count"]
WINDOW_COLUMNS = ["start_date", "start_hour", "slots", "count"]
CELL_COLUMNS = ["cell", "place_id", "place_name", "area_name", "count"]
MAX_SLOTS = 7 * 24  # windows touching more hour slots come back with slots = -1 (weekday and hour unknown)
# split -> (the Incident column naming the group, the table it points at, that table's code, outer join?)
_GROUPS = {"category": (Incident.category_id, Category, Category.code, False),
           "area": (Incident.area_id, Area, Area.code, True),  # finest area; NULL when the area is unknown
           "source": (Incident.source_org_id, Organisation, Organisation.code, False)}


def _split(by: str):
    if by not in _GROUPS:
        raise ValueError(f"Okänd uppdelning: {by!r}")
    return _GROUPS[by]


def _merged(ranges: tuple[tuple[date, date], ...]) -> list[tuple[date, date]]:
    """The ranges sorted with overlapping or touching ones joined, so no day is counted twice."""
    if not ranges:
        raise ValueError("at least one date range is needed")
    out: list[list[date]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1] + timedelta(days=1):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def series_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter, period: str = "week", by: str = "category",
                  ranges: tuple[tuple[date, date], ...]) -> pd.DataFrame:
    """Incidents per bucket (Monday of the ISO week, or first of month) × group code over the given date ranges.

    The filter's code lists apply; its own period does not (`ranges`, from analysis.trends.series_ranges or
    year_over_year_range, replace it). by=TOTAL gives one series with group NULL.
    """
    column, table, code, outer = _split(by) if by != TOTAL else (null(), None, null(), False)
    if rollups.readable(engine, scope):  # the daily rollup: the same counts in fewer rows once days hold many
        src, n, base = IncidentDaily, func.sum(IncidentDaily.n), rollups.conditions(IncidentDaily, flt, period=False)
        column = getattr(IncidentDaily, column.key) if table is not None else column
    else:
        src, n = Incident, func.count(Incident.id)
        base = [visible(Incident, scope), *incident_conditions(flt, period=False)]
    # Count per day first, one range at a time (an OR of ranges would make SQLite scan the whole index): each
    # GROUP BY walks the (occurred_date, …) indexes in order, leaving days × groups rows for the bucket and join.
    parts = [select(src.occurred_date.label("day"), column.label("gid"), n.label("n"))
             .where(*base, src.occurred_date >= start, src.occurred_date <= end)
             .group_by(src.occurred_date, *([column] if table is not None else []))
             for start, end in _merged(ranges)]
    days = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    bucket = date_bucket(days.c.day, period).label("bucket")
    stmt = select(bucket, code, func.sum(days.c.n)).select_from(days)
    extra = [code] if table is not None else []
    if table is not None:
        stmt = stmt.join(table, days.c.gid == table.id, isouter=outer)
    stmt = stmt.group_by(bucket, *extra).order_by(bucket, *extra)
    return frame(engine, stmt, SERIES_COLUMNS).astype({"count": "int64"})


def data_start(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> date | None:
    """The first incident date over ALL dates (the filter's code lists apply, its period does not), or None."""
    src, _, conds = rollups.counted(engine, scope, flt, period=False)
    stmt = select(func.min(src.occurred_date)).where(*conds)
    with engine.connect() as conn:
        value = conn.execute(stmt).scalar()
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value)[:10])


def first_dates(engine: Engine, *, scope: Scope, flt: IncidentFilter, by: str = "source") -> pd.DataFrame:
    """The first incident date of each group code over ALL dates (the filter's code lists apply, its period not).

    Reads every row of the daily rollup, or of the visible incidents (no index leads with the group column): cache
    it by data version.
    """
    column, table, code, outer = _split(by)
    src, _, conds = rollups.counted(engine, scope, flt, period=False)
    column = getattr(src, column.key)
    stmt = (select(code, func.min(src.occurred_date)).select_from(src)
            .join(table, column == table.id, isouter=outer)
            .where(*conds)
            .group_by(code).order_by(code))
    return frame(engine, stmt, FIRST_COLUMNS)


def day_hour_points(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents known to the hour (no window) per local weekday (0 = Monday) × local hour."""
    if rollups.readable(engine, scope):
        src, n = IncidentHourly, func.sum(IncidentHourly.n)
        conds = [*rollups.conditions(IncidentHourly, flt), IncidentHourly.windowed.is_(False)]
    else:
        src, n = Incident, func.count(Incident.id)
        conds = [visible(Incident, scope), *incident_conditions(flt), Incident.occurred_to.is_(None)]
    weekday = iso_weekday(src.occurred_date).label("weekday")
    stmt = (select(weekday, src.occurred_hour, n).where(*conds)
            .group_by(weekday, src.occurred_hour).order_by(weekday, src.occurred_hour))
    return frame(engine, stmt, POINT_COLUMNS).astype("int64")


def day_hour_windows(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents known only as a window, per local start date × start hour × clock-hour slots touched.

    slots = ceil((end − start of the start's hour) / 1 h), so [22:13, 06:51) touches 9 slots (22 … 06); a window
    touching more than MAX_SLOTS comes back as slots = −1. analysis.aoristic spreads these rows over the hours.
    """
    start = epoch_seconds(Incident.occurred_at)
    span = epoch_seconds(Incident.occurred_to) - (start - start % 3600)
    raw = (span + 3599) // 3600  # integer division on both backends: the ceiling for positive spans
    slots = case((raw > MAX_SLOTS, literal(-1)), else_=raw).label("slots")
    stmt = (select(Incident.occurred_date, Incident.occurred_hour, slots, func.count(Incident.id))
            .where(visible(Incident, scope), *incident_conditions(flt), Incident.occurred_to.is_not(None))
            .group_by(Incident.occurred_date, Incident.occurred_hour, slots)
            .order_by(Incident.occurred_date, Incident.occurred_hour, slots))
    return frame(engine, stmt, WINDOW_COLUMNS).astype({"start_hour": "int64", "slots": "int64", "count": "int64"})


def place_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents with an exact position per place: the named place where the incident has one (cell NULL), else
    its H3 resolution-9 cell (place NULL); per area too, so each place can be shown with its most frequent area."""
    cell = case((Incident.place_id.is_(None), Incident.h3_r9), else_=null())
    stmt = (select(cell, Incident.place_id, Place.name, Area.name, func.count(Incident.id))
            .select_from(Incident)
            .outerjoin(Place, Incident.place_id == Place.id)
            .outerjoin(Area, Incident.area_id == Area.id)
            .where(visible(Incident, scope), *incident_conditions(flt), Incident.location_precision == "point",
                   or_(Incident.place_id.is_not(None), Incident.h3_r9.is_not(None)))
            .group_by(cell, Incident.place_id, Place.name, Area.name)
            .order_by(cell, Incident.place_id, Area.name))
    df = frame(engine, stmt, CELL_COLUMNS)
    return df.astype({"count": "int64", "place_id": "Int64"})
