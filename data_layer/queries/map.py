"""Scoped map queries: incidents per H3 cell (never raw points for aggregation), area-level events per area, the
few precise points a role may see, and what the map's side panel shows for one cell or area."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, and_, case, func, null, or_, select, union_all

from analysis.periods import hotspot_windows
from data_layer import rollups
from data_layer.models import (Action, ActionCategory, Area, Category, Event, Incident, IncidentH3Weekly, Place,
                               SurveyPlaceMark)
from data_layer.queries._common import frame
from data_layer.queries.actions import OPEN_STATUSES
from data_layer.queries.filters import IncidentFilter, area_ids_matching, incident_conditions
from data_layer.queries.incidents import DETAIL_COLUMNS, _detail_statement, area_for_point
from data_layer.queries.sqlfuncs import date_bucket, string_agg
from data_layer.rls import for_operation
from data_layer.scope import Scope, visible

RESOLUTIONS = (7, 8, 9)
HEX_COLUMNS = ["cell", "category_code", "count"]
WINDOW_COLUMNS = ["cell", "recent", "before", "last_year"]
AREA_LEVEL_COLUMNS = ["area_code", "category_code", "count"]
POINT_COLUMNS = ["lat", "lon", "category_code", "occurred_date"]
PANEL_WEEK_COLUMNS = ["week_start", "category_code", "count"]
MAP_EVENT_COLUMNS = ["title", "kind", "starts_at", "lat", "lon"]
MAP_ACTION_COLUMNS = ["id", "title", "status", "overdue", "area_code", "area_name", "lat", "lon", "h3_cells",
                      "categories"]
MARK_COLUMNS = ["lat", "lon", "reasons", "source"]
STOCKHOLM = ZoneInfo("Europe/Stockholm")
POINT_LIMIT = 3000  # the point layer shows at most this many (the newest); the page says so (keeps the deck < 1 MB)


def _cell_column(resolution: int):
    if resolution not in RESOLUTIONS:
        raise ValueError(f"H3-upplösning {resolution} finns inte förberäknad (bara {RESOLUTIONS}).")
    return getattr(Incident, f"h3_r{resolution}")


def _located(scope: Scope, flt: IncidentFilter, *, period: bool = True) -> list:
    """Rows that belong in a hexagon: point precision (area-level events such as police events never do)."""
    return [visible(Incident, scope, operation="list"), *incident_conditions(flt, period=period),
            Incident.location_precision == "point"]


def hex_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter, resolution: int = 8) -> pd.DataFrame:
    """Point-precision incidents in the period per H3 cell (at `resolution`) and category."""
    cells = _cell_day_counts(engine, scope=scope, flt=flt, resolution=resolution, ranges=[(flt.start, flt.end)])
    stmt = (select(cells.c.cell, Category.code, func.sum(cells.c.n))
            .select_from(cells).join(Category, cells.c.category_id == Category.id)
            .group_by(cells.c.cell, Category.code)
            .order_by(cells.c.cell, Category.code))
    return frame(engine, stmt, HEX_COLUMNS).astype({"count": "int64"})


def hex_window_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter, resolution: int = 8) -> pd.DataFrame:
    """Point-precision incidents per cell in the hotspot trend windows ending on the filter's last day: the last 4
    weeks (recent), the 12 weeks before (before) and the same 4 weeks a year earlier (last_year)."""
    windows = hotspot_windows(flt.end)
    names = ("recent", "before", "last_year")
    cells = _cell_day_counts(engine, scope=scope, flt=flt, resolution=resolution,
                             ranges=[windows[name] for name in names], by_category=False)
    counters = [func.sum(case((cells.c.day.between(*windows[name]), cells.c.n), else_=0)).label(name)
                for name in names]
    stmt = select(cells.c.cell, *counters).group_by(cells.c.cell).order_by(cells.c.cell)
    return frame(engine, stmt, WINDOW_COLUMNS).astype({"recent": "int64", "before": "int64", "last_year": "int64"})


def _whole_weeks(lo: date, hi: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """(Mondays of the ISO weeks lying wholly in [lo, hi] as a range, or None; the days outside them as ranges)."""
    first = lo + timedelta(days=(7 - lo.weekday()) % 7)
    last = hi - timedelta(days=(hi.weekday() + 1) % 7 + 6)
    if first > last:
        return None, [(lo, hi)]
    edges = [(lo, first - timedelta(days=1)), (last + timedelta(days=7), hi)]
    return (first, last), [(a, b) for a, b in edges if a <= b]


def _cell_day_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter, resolution: int,
                     ranges: list[tuple[date, date]], by_category: bool = True):
    """A subquery (cell, category_id, day, n) of point incidents in `ranges` (non-overlapping): whole ISO weeks from
    the weekly H3 rollup (day = the Monday, inside its range) when it may answer for `scope`, the rest raw. Without
    `by_category` there is no category_id column (fewer rows to sum)."""
    cell = _cell_column(resolution)
    weeks, raw_days = [], list(ranges)
    if rollups.readable(engine, scope):
        split = [_whole_weeks(lo, hi) for lo, hi in ranges]
        weeks = [w for w, _ in split if w is not None]
        raw_days = [days for _, edges in split for days in edges]
    # One part per range (ranges are not empty, so some part exists): with an OR of ranges SQLite scanned the whole
    # rollup, or walked a whole H3 index of incident for the GROUP BY, instead of searching a few weeks or days.
    w = IncidentH3Weekly
    rollup_cell, category = getattr(w, f"h3_r{resolution}"), [w.category_id] if by_category else []
    parts = [select(rollup_cell.label("cell"), *[c.label("category_id") for c in category],
                    w.week_start.label("day"), func.sum(w.n).label("n"))
             .where(w.week_start.between(a, b), *rollups.conditions(w, flt, period=False))
             .group_by(rollup_cell, *category, w.week_start) for a, b in weeks]
    category = [Incident.category_id] if by_category else []
    parts += [select(cell.label("cell"), *[c.label("category_id") for c in category],
                     Incident.occurred_date.label("day"), func.count(Incident.id).label("n"))
              .where(*_located(scope, flt, period=False), cell.is_not(None), Incident.occurred_date.between(a, b))
              .group_by(cell, *category, Incident.occurred_date) for a, b in raw_days]
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("cell_days")


def area_level_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents placed only on an area (police events: municipality or county) per area and category."""
    src, n, conds = rollups.counted(engine, scope, flt)
    stmt = (select(Area.code, Category.code, n)
            .select_from(src).join(Category, src.category_id == Category.id)
            .join(Area, src.area_id == Area.id)
            .where(*conds, src.location_precision == "area")
            .group_by(Area.code, Category.code)
            .order_by(Area.code, Category.code))
    return frame(engine, stmt, AREA_LEVEL_COLUMNS).astype({"count": "int64"})


@for_operation("precise_location")  # row by row: the store's own policies filter too (rls.py)
def precise_points(engine: Engine, *, scope: Scope, flt: IncidentFilter, limit: int = POINT_LIMIT) -> pd.DataFrame:
    """The newest point-precision incidents whose position the scope may see (none for roles without
    precise_location; sensitive rows only where the scope may see them), at most `limit`."""
    stmt = (select(Incident.lat, Incident.lon, Category.code, Incident.occurred_date)
            .select_from(Incident).join(Category, Incident.category_id == Category.id)
            .where(visible(Incident, scope, operation="precise_location"), *incident_conditions(flt),
                   Incident.location_precision == "point", Incident.lat.is_not(None))
            .order_by(Incident.occurred_at.desc(), Incident.id.desc())
            .limit(limit))
    return frame(engine, stmt, POINT_COLUMNS)


def _selection(flt: IncidentFilter, *, cell: str | None, resolution: int, area_code: str | None) -> list:
    """WHERE for the side panel's selection: one H3 cell (point incidents) or one area and the areas below it."""
    if cell is not None:
        return [_cell_column(resolution) == cell, Incident.location_precision == "point"]
    if area_code is not None:
        return [Incident.area_id.in_(area_ids_matching((area_code,)))]
    raise ValueError("Välj en ruta eller ett område.")


def selection_weekly(engine: Engine, *, scope: Scope, flt: IncidentFilter, cell: str | None = None,
                     resolution: int = 8, area_code: str | None = None) -> pd.DataFrame:
    """Incidents per ISO week (Monday) and category in the period for the selected cell or area."""
    bucket = date_bucket(Incident.occurred_date, "week").label("bucket")
    stmt = (select(bucket, Category.code, func.count(Incident.id))
            .select_from(Incident).join(Category, Incident.category_id == Category.id)
            .where(visible(Incident, scope, operation="list"), *incident_conditions(flt),
                   *_selection(flt, cell=cell, resolution=resolution, area_code=area_code))
            .group_by(bucket, Category.code)
            .order_by(bucket, Category.code))
    df = frame(engine, stmt, PANEL_WEEK_COLUMNS)
    df["week_start"] = pd.to_datetime(df["week_start"]).dt.date if len(df) else df["week_start"]
    return df.astype({"count": "int64"})


@for_operation("read_detail")
def selection_incidents(engine: Engine, *, scope: Scope, flt: IncidentFilter, cell: str | None = None,
                        resolution: int = 8, area_code: str | None = None, limit: int = 50) -> pd.DataFrame:
    """The newest incidents behind the selected cell or area that the scope may read row by row (position and
    text blanked where it may not see them)."""
    conds = [visible(Incident, scope, operation="read_detail"), *incident_conditions(flt),
             *_selection(flt, cell=cell, resolution=resolution, area_code=area_code)]
    return frame(engine, _detail_statement(scope, conds, limit), DETAIL_COLUMNS)


def map_actions(engine: Engine, *, scope: Scope, flt: IncidentFilter, today: date,
                open_only: bool = False) -> pd.DataFrame:
    """Actions the scope may read that have a place, an area or chosen cells, with a position to draw them at
    (the place, else the area's centre) and their target categories."""
    cats = (select(ActionCategory.action_id, string_agg(Category.code, ",").label("codes"))
            .join(Category, ActionCategory.category_id == Category.id)
            .group_by(ActionCategory.action_id).subquery())
    overdue = case((and_(Action.due_date < today, Action.status.in_(OPEN_STATUSES)), True), else_=False)
    # Without action precise_location an action is drawn at its area's centre only: no place, no cells.
    precise = scope.can("action", "precise_location")
    conds = [visible(Action, scope, operation="read_detail"),
             or_(Action.area_id.is_not(None), Action.place_id.is_not(None), Action.h3_cells.is_not(None))
             if precise else Action.area_id.is_not(None)]
    if flt.area_codes:
        conds.append(Action.area_id.in_(area_ids_matching(flt.area_codes)))
    if open_only:
        conds.append(Action.status.in_(OPEN_STATUSES))
    stmt = (select(Action.id, Action.title, Action.status, overdue, Area.code, Area.name,
                   func.coalesce(Place.lat, Area.centroid_lat) if precise else Area.centroid_lat,
                   func.coalesce(Place.lon, Area.centroid_lon) if precise else Area.centroid_lon,
                   Action.h3_cells if precise else null(), cats.c.codes)
            .outerjoin(Area, Action.area_id == Area.id)
            .outerjoin(Place, Action.place_id == Place.id)
            .outerjoin(cats, cats.c.action_id == Action.id)
            .where(*conds)
            .order_by(Action.id))
    df = frame(engine, stmt, MAP_ACTION_COLUMNS)
    df["overdue"] = df["overdue"].astype(bool)
    df["categories"] = df["categories"].map(lambda s: ",".join(sorted(s.split(","))) if isinstance(s, str) else "")
    return df


def survey_marks(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Residents' "unsafe here" pins (surveys, safety walks), in the filter's areas: none without survey
    precise_location (those roles get data_layer/queries/surveys.survey_mark_counts instead)."""
    conds = [visible(SurveyPlaceMark, scope, operation="precise_location")]
    if flt.area_codes:
        conds.append(SurveyPlaceMark.area_id.in_(area_ids_matching(flt.area_codes)))
    stmt = (select(SurveyPlaceMark.lat, SurveyPlaceMark.lon, SurveyPlaceMark.reasons, SurveyPlaceMark.source)
            .where(*conds).order_by(SurveyPlaceMark.id))
    return frame(engine, stmt, MARK_COLUMNS)


def map_events(engine: Engine, *, scope: Scope, start: date, days: int = 14) -> pd.DataFrame:
    """Coming events (planned public happenings, visible to every role) starting in [start, start + days), at their
    own position, else their place's, else their area's centre."""
    lo = datetime.combine(start, time(0), STOCKHOLM)
    hi = datetime.combine(start + timedelta(days=days), time(0), STOCKHOLM)
    stmt = (select(Event.title, Event.kind, Event.starts_at,
                   func.coalesce(Event.lat, Place.lat, Area.centroid_lat),
                   func.coalesce(Event.lon, Place.lon, Area.centroid_lon))
            .outerjoin(Place, Place.id == Event.place_id)
            .outerjoin(Area, Area.id == Event.area_id)
            .where(Event.starts_at >= lo, Event.starts_at < hi)
            .order_by(Event.starts_at, Event.id))
    return frame(engine, stmt, MAP_EVENT_COLUMNS)


AREA_AT_COLUMNS = ["code", "name"]


def area_at(engine: Engine, *, scope: Scope, lat: float, lon: float) -> pd.DataFrame:
    """The finest area holding the point (the importers' rules, nearest as fallback); areas are reference data, the
    same for every scope. Empty when the store has no area geometry."""
    with engine.connect() as conn:
        area_id, _ = area_for_point(conn, lat, lon)
    if area_id is None:
        return pd.DataFrame(columns=AREA_AT_COLUMNS)
    return frame(engine, select(Area.code, Area.name).where(Area.id == area_id), AREA_AT_COLUMNS)
