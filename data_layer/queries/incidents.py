"""Scoped incident queries: every aggregate is a GROUP BY in SQL; row lists are limited and privacy-blanked."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Engine, and_, case, distinct, func, null, or_, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from data_layer import rollups
from data_layer.db import session_scope
from data_layer.importers.area_index import AreaIndex
from data_layer.importers.rows import complete_row
from data_layer.models import (ROLLUP_NO_AREA, Action, ActionCategory, Area, Category, Incident, IncidentDaily,
                               IncidentReporterDaily, Organisation, Place)
from data_layer.queries._common import frame
from data_layer.queries.actions import OPEN_STATUSES
from data_layer.queries.filters import IncidentFilter, incident_conditions
from data_layer.queries.sqlfuncs import date_bucket
from data_layer.reference import bump_data_version
from data_layer.rls import for_operation
from data_layer.scope import Scope, visible

AREA_CATEGORY_COLUMNS = ["area_code", "area_name", "category_code", "current", "previous"]
SERIES_COLUMNS = ["week_start", "category_code", "count"]
COVERAGE_COLUMNS = ["org_code", "org_name", "org_kind", "incidents", "reporters", "last_date"]
HEADLINE_COLUMNS = ["current", "previous", "active_reporters", "areas"]
PRECISION_COLUMNS = ["location_precision", "count"]
DETAIL_COLUMNS = ["id", "occurred_at", "occurred_date", "category_code", "area_code", "area_name", "source_org",
                  "location_precision", "lat", "lon", "description", "assessment", "sensitive"]


def _where(scope: Scope, flt: IncidentFilter, operation: str = "list", *, period: bool = True) -> list:
    return [visible(Incident, scope, operation=operation), *incident_conditions(flt, period=period)]


def _both_periods(flt: IncidentFilter, src=Incident):
    """WHERE for current + previous period, and the two SUM(CASE) counters (of rows, or of a rollup's n)."""
    prev = flt.previous()
    one = 1 if src is Incident else src.n
    conds = [src.occurred_date >= prev.start, src.occurred_date <= flt.end]
    current = func.sum(case((src.occurred_date >= flt.start, one), else_=0))
    previous = func.sum(case((src.occurred_date < flt.start, one), else_=0))
    return conds, current, previous


def counts_by_area_category(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents per area × category in the period and in the equally long period before it."""
    src, _, conds = rollups.counted(engine, scope, flt, period=False)
    period_conds, current, previous = _both_periods(flt, src)
    stmt = (select(Area.code, Area.name, Category.code, current.label("current"), previous.label("previous"))
            .select_from(src)
            .join(Category, src.category_id == Category.id)
            .outerjoin(Area, src.area_id == Area.id)
            .where(*conds, *period_conds)
            .group_by(Area.code, Area.name, Category.code)
            .order_by(Area.code, Category.code))
    df = frame(engine, stmt, AREA_CATEGORY_COLUMNS)
    return df.astype({"current": "int64", "previous": "int64"})


def headline(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """One row: incidents now and in the previous period, distinct active reporters and areas with incidents now."""
    src, _, conds = rollups.counted(engine, scope, flt, period=False)
    period_conds, current, previous = _both_periods(flt, src)
    now = src.occurred_date >= flt.start
    if src is Incident:
        reporters = func.count(distinct(case((now, Incident.reporter_user_id))))
        areas = func.count(distinct(case((now, Incident.area_id))))
    else:  # reporters from their own rollup; the rollups' "no area" is not an area
        rep = IncidentReporterDaily
        reporters = select(func.count(distinct(rep.reporter_user_id))) \
            .where(*rollups.conditions(rep, flt)).scalar_subquery()
        areas = func.count(distinct(case((and_(now, src.area_id != ROLLUP_NO_AREA), src.area_id))))
    stmt = (select(func.coalesce(current, 0), func.coalesce(previous, 0), reporters, areas)
            .where(*conds, *period_conds))
    return frame(engine, stmt, HEADLINE_COLUMNS).astype("int64")


def weekly_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter, period: str = "week") -> pd.DataFrame:
    """Incidents per calendar bucket (Monday of the ISO week, or first of month) and category."""
    src, n, conds = rollups.counted(engine, scope, flt)
    bucket = date_bucket(src.occurred_date, period).label("bucket")
    stmt = (select(bucket, Category.code, n)
            .select_from(src).join(Category, src.category_id == Category.id)
            .where(*conds)
            .group_by(bucket, Category.code)
            .order_by(bucket, Category.code))
    df = frame(engine, stmt, SERIES_COLUMNS)
    df["week_start"] = pd.to_datetime(df["week_start"]).dt.date if len(df) else df["week_start"]
    return df.astype({"count": "int64"})


def precision_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents per location precision (point, area, none) in the period."""
    src, n, conds = rollups.counted(engine, scope, flt)
    stmt = (select(src.location_precision, n)
            .where(*conds)
            .group_by(src.location_precision)
            .order_by(src.location_precision))
    return frame(engine, stmt, PRECISION_COLUMNS).astype({"count": "int64"})


def coverage_by_source(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Per source organisation: incidents in the period, distinct reporters and the latest incident date."""
    if rollups.readable(engine, scope):
        d, rep = IncidentDaily, IncidentReporterDaily
        counts = (select(d.source_org_id.label("org"), func.sum(d.n).label("n"),
                         func.max(d.occurred_date).label("last"))
                  .where(*rollups.conditions(d, flt)).group_by(d.source_org_id).subquery())
        people = (select(rep.source_org_id.label("org"), func.count(distinct(rep.reporter_user_id)).label("n"))
                  .where(*rollups.conditions(rep, flt)).group_by(rep.source_org_id).subquery())
        stmt = (select(Organisation.code, Organisation.name, Organisation.kind, counts.c.n,
                       func.coalesce(people.c.n, 0), counts.c.last)
                .select_from(counts).join(Organisation, Organisation.id == counts.c.org)
                .outerjoin(people, people.c.org == counts.c.org)
                .order_by(counts.c.n.desc(), Organisation.code))
    else:
        stmt = (select(Organisation.code, Organisation.name, Organisation.kind, func.count(Incident.id),
                       func.count(distinct(Incident.reporter_user_id)), func.max(Incident.occurred_date))
                .select_from(Incident).join(Organisation, Incident.source_org_id == Organisation.id)
                .where(*_where(scope, flt))
                .group_by(Organisation.code, Organisation.name, Organisation.kind)
                .order_by(func.count(Incident.id).desc(), Organisation.code))
    return frame(engine, stmt, COVERAGE_COLUMNS).astype({"incidents": "int64", "reporters": "int64"})


def _own(scope: Scope) -> ColumnElement[bool]:
    return Incident.reporter_user_id == scope.user_id


def _shown_if(scope: Scope, operation: str) -> ColumnElement[bool]:
    """May this row's `operation` field (precise_location | free_text) be shown to `scope`? Own reports always."""
    if not scope.can("incident", operation):
        return _own(scope)
    if scope.can("sensitive_incident", operation):
        return true()
    return or_(Incident.sensitive.is_(False), Incident.source_org_id == scope.organisation_id, _own(scope))


def _detail_statement(scope: Scope, conds: list, limit: int):
    """Row-level incidents with lat/lon and description blanked IN SQL where the scope may not see them."""
    loc_ok, text_ok = _shown_if(scope, "precise_location"), _shown_if(scope, "free_text")
    lat = case((loc_ok, Incident.lat), else_=null()).label("lat")
    lon = case((loc_ok, Incident.lon), else_=null()).label("lon")
    desc = case((text_ok, Incident.description), else_=null()).label("description")
    source = select(Organisation.code).where(Organisation.id == Incident.source_org_id).scalar_subquery()
    return (select(Incident.id, Incident.occurred_at, Incident.occurred_date, Category.code, Area.code, Area.name,
                   source.label("source_org"), Incident.location_precision, lat, lon, desc, Incident.assessment,
                   Incident.sensitive)
            .select_from(Incident).join(Category, Incident.category_id == Category.id)
            .outerjoin(Area, Incident.area_id == Area.id)
            .where(*conds)
            .order_by(Incident.occurred_at.desc(), Incident.id.desc())
            .limit(limit))


@for_operation("read_detail")  # row by row: the store's own policies filter too (rls.py)
def recent_incidents(engine: Engine, *, scope: Scope, flt: IncidentFilter, limit: int = 50) -> pd.DataFrame:
    """The latest incidents in the period that the scope may see row by row (read_detail), newest first."""
    return frame(engine, _detail_statement(scope, _where(scope, flt, "read_detail"), limit), DETAIL_COLUMNS)


MY_REPORT_COLUMNS = [*DETAIL_COLUMNS, "occurred_to", "place_name", "action_title", "action_status"]
_STATUS_RANK = {"pågår": 0, "beslutad": 1, "föreslagen": 2}


def _open_action(scope: Scope, column):
    """Correlated subquery: `column` of the open action (pågår before beslutad before föreslagen, newest first) the
    scope may read that targets the incident's category in its area or that area's parent area."""
    own_area = aliased(Area)  # not the outer query's Area: this lookup must not be correlated to it
    parent = (select(own_area.parent_id).where(own_area.id == Incident.area_id)
              .correlate(Incident).scalar_subquery())
    rank = case(*((Action.status == status, rank) for status, rank in _STATUS_RANK.items()), else_=9)
    return (select(column)
            .join(ActionCategory, ActionCategory.action_id == Action.id)
            .where(visible(Action, scope, operation="read_detail"), Action.status.in_(OPEN_STATUSES),
                   ActionCategory.category_id == Incident.category_id,
                   or_(Action.area_id == Incident.area_id, Action.area_id == parent))
            .order_by(rank, Action.id.desc()).limit(1)
            .correlate(Incident).scalar_subquery())


@for_operation("read_detail")
def my_recent_reports(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None,
                      limit: int = 20) -> pd.DataFrame:
    """The current user's own latest reports (in the filter's period when one is given), newest first, with the
    window's end, the named place and the open action (title, status) that answers each one, if any."""
    conds = [visible(Incident, scope, operation="read_detail"), _own(scope)]
    if flt is not None:
        conds += incident_conditions(flt)
    stmt = (_detail_statement(scope, conds, limit)
            .outerjoin(Place, Place.id == Incident.place_id)
            .add_columns(Incident.occurred_to, Place.name, _open_action(scope, Action.title),
                         _open_action(scope, Action.status)))
    return frame(engine, stmt, MY_REPORT_COLUMNS)


# --- the reporter form's write -------------------------------------------------------------------------------------

STOCKHOLM = "Europe/Stockholm"
MAX_DESCRIPTION = 2000
REPORT_PLACE_COLUMNS = ["id", "name", "kind", "area_code", "lat", "lon"]
_FUTURE_TOLERANCE = timedelta(minutes=10)


class ReportError(ValueError):
    """A problem with a submitted report, in Swedish, naming the field."""


def area_for_point(conn: Connection, lat: float, lon: float) -> tuple[int | None, bool]:
    """(area id, whether the store has any area geometry) for a point: the importers' AreaIndex rules, so a point
    placed on the form gets the area an imported point at the same spot would get (finest level, then nearest)."""
    index = AreaIndex.load(conn)
    return index.assign([(lat, lon)]).area_ids[0], bool(index.levels)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(STOCKHOLM))


def _check_time(occurred_at: datetime, occurred_to: datetime | None, now: datetime) -> None:
    """Refuse a start or end in the future and a window that ends before it starts (messages in Swedish)."""
    if occurred_at.astimezone(timezone.utc) > now + _FUTURE_TOLERANCE:
        raise ReportError("Tidpunkten ligger i framtiden.")
    if occurred_to is None:
        return
    if occurred_to.astimezone(timezone.utc) > now + _FUTURE_TOLERANCE:
        raise ReportError("Sluttiden ligger i framtiden.")
    if occurred_to < occurred_at:
        raise ReportError("Sluttiden måste vara samma som eller senare än starttiden.")


def create_incident(engine: Engine, *, scope: Scope, category_code: str, occurred_at: datetime,
                    occurred_to: datetime | None = None, area_code: str | None = None, lat: float | None = None,
                    lon: float | None = None, place_id: int | None = None, description: str | None = None,
                    assessment: int | None = None, police_reported: bool = False) -> int:
    """Store one report from the form as the user's organisation's incident and return its id (raises ReportError).

    Where: a named place gives its point and area; else an area code gives the area; else a point is placed in an
    area by the importers' rules and refused when it lies outside every area of the store. Naive times are
    Europe/Stockholm; occurred_to (optional) ends a window that started at occurred_at.
    """
    if not scope.can("incident", "edit"):
        raise ReportError("Din roll får inte rapportera händelser.")
    if assessment is not None and assessment not in (1, 2, 3):
        raise ReportError("Bedömningen måste vara 1, 2 eller 3.")
    description = (description or "").strip() or None
    if description and len(description) > MAX_DESCRIPTION:
        raise ReportError(f"Beskrivningen får vara högst {MAX_DESCRIPTION} tecken.")
    if (lat is None) != (lon is None):
        raise ReportError("Ange både latitud och longitud, eller ingen av dem.")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ReportError("Positionen ligger utanför giltiga koordinater.")
    occurred_at = _aware(occurred_at)
    occurred_to = _aware(occurred_to) if occurred_to is not None else None
    now = datetime.now(timezone.utc)
    _check_time(occurred_at, occurred_to, now)
    with session_scope(engine) as session:
        category_id = session.execute(select(Category.id).where(Category.code == category_code)).scalar_one_or_none()
        if category_id is None:
            raise ReportError(f"Okänd kategori '{category_code}'.")
        sensitive = bool(session.execute(select(Category.sensitive_default)
                                         .where(Category.id == category_id)).scalar_one())
        area_id = None
        if place_id is not None:
            place = session.get(Place, place_id)
            if place is None:
                raise ReportError("Den valda platsen finns inte.")
            lat, lon, area_id = place.lat, place.lon, place.area_id
        if area_code:
            area_id = session.execute(select(Area.id).where(Area.code == area_code)).scalar_one_or_none()
            if area_id is None:
                raise ReportError(f"Okänt område '{area_code}'.")
        if lat is not None and area_id is None:
            area_id, store_has_areas = area_for_point(session.connection(), lat, lon)
            if area_id is None and store_has_areas:
                raise ReportError("Platsen på kartan ligger utanför alla områden i Lägesbild. "
                                  "Välj ett område eller en namngiven plats i stället.")
        row = Incident(**complete_row(dict(
            source_org_id=scope.organisation_id, external_id=f"form-{uuid.uuid4()}", category_id=category_id,
            occurred_at=occurred_at, occurred_to=occurred_to, reported_at=now, lat=lat, lon=lon,
            location_precision="point" if lat is not None else ("area" if area_id else "none"),
            area_id=area_id, place_id=place_id, description=description, assessment=assessment,
            police_reported=police_reported, sensitive=sensitive, reporter_user_id=scope.user_id,
            import_batch_id=None)))
        session.add(row)
        session.flush()
        # add just this row's counts: a recount of its day would see only what the writer's row-level security shows
        rollups.apply_rows(session.connection(), where=[Incident.id == row.id])
        bump_data_version(session)
        return row.id


def report_places(engine: Engine) -> pd.DataFrame:
    """Named places for the report form's map and list: id, name, kind, area code, lat, lon; ordered by name."""
    stmt = (select(Place.id, Place.name, Place.kind, Area.code, Place.lat, Place.lon)
            .outerjoin(Area, Place.area_id == Area.id).order_by(Place.name, Place.id))
    return frame(engine, stmt, REPORT_PLACE_COLUMNS)


SUMMARY_COLUMNS = ["incidents", "first_date", "last_date", "sources", "with_point", "from_forms"]


def store_summary(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """One row over ALL dates (the filter's code lists apply, its period does not): counts, date range, sources."""
    src, n, conds = rollups.counted(engine, scope, flt, period=False)
    one = 1 if src is Incident else src.n
    # reports from forms (no import batch): few, found through the import_batch_id index, never in a rollup
    forms = select(func.count(Incident.id)).where(*_where(scope, flt, period=False),
                                                  Incident.import_batch_id.is_(None)).scalar_subquery()
    stmt = (select(n, func.min(src.occurred_date), func.max(src.occurred_date), func.count(distinct(src.source_org_id)),
                   func.sum(case((src.location_precision == "point", one), else_=0)), forms)
            .where(*conds))
    df = frame(engine, stmt, SUMMARY_COLUMNS)
    return df.fillna({"incidents": 0, "with_point": 0, "from_forms": 0}).astype(
        {"incidents": "int64", "sources": "int64", "with_point": "int64", "from_forms": "int64"})
