"""Scoped counts for the overview's comparison table, its drill-down, data coverage and coming events.

Every count is a GROUP BY in SQL over Incident.occurred_date (the Europe/Stockholm local date), so a week that
spans a daylight-saving change or the turn of the year is counted by its local dates on SQLite and PostgreSQL
alike. Windows are passed in as (name, start, end) tuples (analysis/periods.py builds them): one statement sums
every window with SUM(CASE …) over the union of the windows' dates.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, and_, case, distinct, func, literal, or_, select, union_all

from data_layer import rollups
from data_layer.models import (Area, Category, Event, Incident, IncidentMonthly, IncidentReporterDaily,
                               Organisation, Place)
from data_layer.queries._common import frame
from data_layer.queries.filters import IncidentFilter, incident_conditions
from data_layer.queries.incidents import DETAIL_COLUMNS, _detail_statement
from data_layer.queries.sqlfuncs import week_start
from data_layer.rls import for_operation
from data_layer.scope import Scope, visible

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CELL_COLUMNS = ["area_code", "area_name", "area_level", "population", "category_code"]
SOURCE_COLUMNS = ["source_code", "source_name"]
FIRST_DATE_COLUMNS = ["first_date"]
COVERAGE_COLUMNS = ["org_code", "org_name", "org_kind", "incidents", "history", "reporters", "history_reporters",
                    "last_date"]
EVENT_COLUMNS = ["title", "kind", "starts_at", "ends_at", "place_name", "area_code", "area_name"]
DRILL_LIMIT = 5000


def _check_windows(windows: tuple[tuple[str, date, date], ...]) -> None:
    names = [w[0] for w in windows]
    if not windows or len(set(names)) != len(names) or not all(n.isidentifier() for n in names):
        raise ValueError("windows must be non-empty (name, start, end) tuples with unique identifier names")
    if any(start > end for _, start, end in windows):
        raise ValueError("a window ends before it starts")


def comparison_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter,
                      windows: tuple[tuple[str, date, date], ...], by_source: bool = False) -> pd.DataFrame:
    """Incidents per area × category (× source organisation when `by_source`) in each named window; the filter's
    code lists apply, its period does not (the windows are the periods). Cells empty in every window are absent;
    incidents without an area form the row with area_code None."""
    _check_windows(windows)
    src, n, conds = rollups.counted(engine, scope, flt, period=False)
    d = src.occurred_date
    keys = [src.area_id, src.category_id] + ([src.source_org_id] if by_source else [])
    # One grouped count per window, glued with UNION ALL, then turned into one column per window. Each part is a
    # range scan of the (occurred_date, area_id, category_id) index; an OR of the ranges made SQLite collect and
    # de-duplicate row ids across the overlapping windows (year to date holds the period), three times slower.
    ranges = list(dict.fromkeys((start, end) for _, start, end in windows))  # a window repeated is counted once
    parts = []
    for k, (start, end) in enumerate(ranges):
        days = [(start, end)]
        if src is not Incident:  # whole months from the monthly rollup: year to date is ten rows, not 300, per cell
            months, days = rollups.whole_months(start, end)
            if months is not None:
                m = IncidentMonthly
                month_keys = [m.area_id, m.category_id] + ([m.source_org_id] if by_source else [])
                parts.append(select(*month_keys, literal(k).label("window"), func.sum(m.n).label("n"))
                             .where(*rollups.conditions(m, flt, period=False), m.month_start.between(*months))
                             .group_by(*month_keys))
        parts += [select(*keys, literal(k).label("window"), n.label("n"))
                  .where(*conds, d >= lo, d <= hi).group_by(*keys) for lo, hi in days]
    counted = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    group = [counted.c.area_id, counted.c.category_id] + ([counted.c.source_org_id] if by_source else [])
    sums = [func.sum(case((counted.c.window == ranges.index((start, end)), counted.c.n), else_=0)).label(name)
            for name, start, end in windows]
    inner = select(*group, *sums).group_by(*group).subquery()
    cols = [Area.code, Area.name, Area.level, Area.population, Category.code]
    stmt = select(*cols).select_from(inner).join(Category, Category.id == inner.c.category_id) \
        .outerjoin(Area, Area.id == inner.c.area_id)
    if by_source:
        stmt = stmt.join(Organisation, Organisation.id == inner.c.source_org_id) \
            .add_columns(Organisation.code, Organisation.name)
    stmt = stmt.add_columns(*[inner.c[name] for name, _, _ in windows]).order_by(Area.code, Category.code)
    if by_source:
        stmt = stmt.order_by(Organisation.code)
    names = [w[0] for w in windows]
    df = frame(engine, stmt, CELL_COLUMNS + (SOURCE_COLUMNS if by_source else []) + names)
    df["population"] = pd.to_numeric(df["population"], errors="coerce").astype("Float64")
    return df.astype({n: "int64" for n in names})


def first_incident_date(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """One row: the first local date with an incident from the filter's sources (all sources when none is chosen).
    Windows before it hold no data, rather than zero incidents, and are left out of comparisons."""
    sources = IncidentFilter(start=flt.start, end=flt.end, source_codes=flt.source_codes)
    src, _, conds = rollups.counted(engine, scope, sources, period=False)
    return frame(engine, select(func.min(src.occurred_date)).where(*conds), FIRST_DATE_COLUMNS)


def source_coverage(engine: Engine, *, scope: Scope, flt: IncidentFilter, history_days: int = 56) -> pd.DataFrame:
    """Per source organisation: incidents and distinct reporters in the period and in the `history_days` before it,
    and the latest incident date up to the period's end. Sources with no incident in either window are absent."""
    history = flt.with_period(flt.start - timedelta(days=history_days), flt.end)
    src, n, conds = rollups.counted(engine, scope, history)
    one = 1 if src is Incident else src.n
    now = src.occurred_date >= flt.start
    counts = [func.sum(case((now, one), else_=0)), func.sum(case((now, 0), else_=one)), func.max(src.occurred_date)]
    if src is Incident:
        stmt = (select(Organisation.code, Organisation.name, Organisation.kind, counts[0], counts[1],
                       func.count(distinct(case((now, Incident.reporter_user_id)))),
                       func.count(distinct(case((~now, Incident.reporter_user_id)))), counts[2])
                .select_from(Incident).join(Organisation, Incident.source_org_id == Organisation.id)
                .where(*conds)
                .group_by(Organisation.code, Organisation.name, Organisation.kind))
    else:  # counts from the daily rollup, reporters from theirs
        rep = IncidentReporterDaily
        rep_now = rep.occurred_date >= flt.start
        by_org = (select(src.source_org_id.label("org"), *[c.label(f"c{i}") for i, c in enumerate(counts)])
                  .where(*conds).group_by(src.source_org_id).subquery())
        people = (select(rep.source_org_id.label("org"),
                         func.count(distinct(case((rep_now, rep.reporter_user_id)))).label("now"),
                         func.count(distinct(case((~rep_now, rep.reporter_user_id)))).label("before"))
                  .where(*rollups.conditions(rep, history)).group_by(rep.source_org_id).subquery())
        stmt = (select(Organisation.code, Organisation.name, Organisation.kind, by_org.c.c0, by_org.c.c1,
                       func.coalesce(people.c.now, 0), func.coalesce(people.c.before, 0), by_org.c.c2)
                .select_from(by_org).join(Organisation, Organisation.id == by_org.c.org)
                .outerjoin(people, people.c.org == by_org.c.org))
    df = frame(engine, stmt.order_by(Organisation.name), COVERAGE_COLUMNS)
    return df.astype({c: "int64" for c in ("incidents", "history", "reporters", "history_reporters")})


@for_operation("read_detail")  # row by row: the store's own policies filter too (rls.py)
def cell_incidents(engine: Engine, *, scope: Scope, flt: IncidentFilter, category_code: str,
                   area_code: str | None, source_code: str | None = None, limit: int = DRILL_LIMIT,
                   operation: str = "read_detail") -> pd.DataFrame:
    """The incidents behind one cell of the comparison table in the filter's period, exactly: this category, this
    area (not its sub-areas; None = without area), this source if given, within the filter's code lists. Only rows
    the scope may read in detail (operation "export": may export; sensitive rows of other organisations need
    sensitive_incident export), with position and text blanked where it may not see them; newest first."""
    area_match = Incident.area_id.is_(None) if area_code is None else \
        Incident.area_id == select(Area.id).where(Area.code == area_code).scalar_subquery()
    conds = [visible(Incident, scope, operation=operation), *incident_conditions(flt), area_match,
             Incident.category_id == select(Category.id).where(Category.code == category_code).scalar_subquery()]
    if source_code is not None:
        conds.append(Incident.source_org_id ==
                     select(Organisation.id).where(Organisation.code == source_code).scalar_subquery())
    return frame(engine, _detail_statement(scope, conds, limit), DETAIL_COLUMNS)


def coming_events(engine: Engine, *, scope: Scope, start: date, days: int = 14) -> pd.DataFrame:
    """Events from the register starting on the Stockholm dates [start, start + days), soonest first (events are
    planned public happenings, not incidents: every logged-in role may see them)."""
    lo = datetime.combine(start, time(0), STOCKHOLM)
    hi = datetime.combine(start + timedelta(days=days), time(0), STOCKHOLM)
    stmt = (select(Event.title, Event.kind, Event.starts_at, Event.ends_at, Place.name, Area.code, Area.name)
            .outerjoin(Place, Place.id == Event.place_id)
            .outerjoin(Area, Area.id == Event.area_id)
            .where(Event.starts_at >= lo, Event.starts_at < hi)
            .order_by(Event.starts_at, Event.id))
    return frame(engine, stmt, EVENT_COLUMNS)


WEEKLY_CELL_COLUMNS = ["week_start", "area_code", "category_code", "count"]


def weekly_cell_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter,
                       cells: tuple[tuple[str | None, str], ...]) -> pd.DataFrame:
    """Incidents per ISO week (Monday, by local date) for each (area code or None, category code) cell in the
    filter's period, exactly that area (not its sub-areas); weeks without incidents are absent."""
    if not cells:
        return pd.DataFrame({c: [] for c in WEEKLY_CELL_COLUMNS})
    src, n, conds = rollups.counted(engine, scope, flt)
    bucket = week_start(src.occurred_date).label("week_start")
    match = or_(*[and_(Area.code.is_(None) if area is None else Area.code == area, Category.code == category)
                  for area, category in cells])
    stmt = (select(bucket, Area.code, Category.code, n)
            .select_from(src).join(Category, src.category_id == Category.id)
            .outerjoin(Area, src.area_id == Area.id)
            .where(*conds, match)
            .group_by(bucket, Area.code, Category.code)
            .order_by(bucket, Area.code, Category.code))
    df = frame(engine, stmt, WEEKLY_CELL_COLUMNS)
    df["week_start"] = pd.to_datetime(df["week_start"]).dt.date if len(df) else df["week_start"]
    return df.astype({"count": "int64"})
