"""The scoped queries count what raw SQL counts, bucket weeks the ISO way, and blank what a role may not see."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import h3
import pytest
from sqlalchemy import select, text

from data_layer.db import session_scope
from data_layer.models import Action, ActionCategory, Area, Incident, StoreInfo
from data_layer.queries import actions as action_queries
from data_layer.queries import incidents as q
from data_layer.queries import map as mq
from data_layer.queries import reference
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.sqlfuncs import week_start
from data_layer.reference import ensure_categories
from data_layer.scope import Scope
from tests.data_layer.factories import make_orgs_and_users

UTC = timezone.utc
SQUARE = {"type": "Polygon", "coordinates": [[[14.60, 57.60], [14.80, 57.60], [14.80, 57.70], [14.60, 57.70],
                                              [14.60, 57.60]]]}


def _insert(engine, *, org: int, n: int, day: date, category: str = "skadegorelse", area_id: int | None = None,
            point: bool = True, sensitive: bool = False, reporter: int | None = None, text_: str = "Hemligt namn"):
    with session_scope(engine) as s:
        cats = ensure_categories(s)
        for i in range(n):
            lat, lon = (57.65 + i * 0.001, 14.69) if point else (None, None)
            s.add(Incident(source_org_id=org, external_id=f"{day}-{category}-{org}-{i}-{point}-{sensitive}-{reporter}",
                           category_id=cats[category], occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                           occurred_date=day, occurred_hour=13, reported_at=datetime.now(UTC), lat=lat, lon=lon,
                           location_precision="point" if point else "area", area_id=area_id, description=text_,
                           sensitive=sensitive, reporter_user_id=reporter,
                           h3_r8=h3.latlng_to_cell(lat, lon, 8) if point else None))


@pytest.fixture
def store(engine):
    ids = make_orgs_and_users(engine)
    with session_scope(engine) as s:
        area = Area(code="centrum", name="Centrum", level="omrade", geometry=json.dumps(SQUARE))
        s.add(area)
        s.flush()
        ids["centrum"] = area.id
    # November 2026: 1-28 is "now", 4-31 October is "before".
    _insert(engine, org=ids["org_a"], n=5, day=date(2026, 11, 10), area_id=ids["centrum"])
    _insert(engine, org=ids["org_b"], n=3, day=date(2026, 11, 28), category="klotter", point=False,
            area_id=ids["centrum"], reporter=ids["rapportor_b"])
    _insert(engine, org=ids["org_a"], n=2, day=date(2026, 10, 4), area_id=ids["centrum"])
    _insert(engine, org=ids["org_b"], n=1, day=date(2026, 11, 29))  # the day after the period: never counted
    _insert(engine, org=ids["org_b"], n=2, day=date(2026, 11, 15), category="oro_nara_relation", sensitive=True)
    return ids


NOV = IncidentFilter(start=date(2026, 11, 1), end=date(2026, 11, 28))


def _raw_count(engine, sql: str, **params) -> int:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _scope(ids, name: str, role: str, org: str) -> Scope:
    return Scope(user_id=ids[name], role=role, organisation_id=ids[org])


def test_area_category_counts_equal_raw_sql_for_the_period_and_the_one_before(engine, store):
    counts = q.counts_by_area_category(engine, scope=_scope(store, "samordnare", "samordnare", "org_a"), flt=NOV)
    assert counts["current"].sum() == _raw_count(
        engine, "SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN :a AND :b", a=NOV.start, b=NOV.end) == 10
    assert counts["previous"].sum() == _raw_count(
        engine, "SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN :a AND :b",
        a=date(2026, 10, 4), b=date(2026, 10, 31)) == 2
    row = counts[(counts["area_code"] == "centrum") & (counts["category_code"] == "skadegorelse")].iloc[0]
    assert (row["current"], row["previous"]) == (5, 2)


def test_every_role_counts_sensitive_incidents_in_aggregates(engine, store):
    lasare = _scope(store, "lasare", "lasare", "org_a")
    head = q.headline(engine, scope=lasare, flt=NOV).iloc[0]
    assert head["current"] == 10
    assert head["active_reporters"] == 1


def test_the_area_filter_and_the_category_filter_narrow_the_counts(engine, store):
    flt = IncidentFilter(start=NOV.start, end=NOV.end, area_codes=("centrum",), category_codes=("klotter",))
    counts = q.counts_by_area_category(engine, scope=_scope(store, "admin", "admin", "org_a"), flt=flt)
    assert counts["current"].sum() == 3


def test_a_sunday_and_the_following_monday_fall_into_different_weeks(engine):
    ids = make_orgs_and_users(engine)
    _insert(engine, org=ids["org_a"], n=1, day=date(2026, 11, 22))  # Sunday, week 47
    _insert(engine, org=ids["org_a"], n=2, day=date(2026, 11, 23))  # Monday, week 48
    series = q.weekly_counts(engine, scope=_scope(ids, "admin", "admin", "org_a"),
                             flt=IncidentFilter(start=date(2026, 11, 16), end=date(2026, 11, 29)))
    assert dict(zip(series["week_start"], series["count"])) == {date(2026, 11, 16): 1, date(2026, 11, 23): 2}


def test_week_53_of_2026_runs_from_28_december_to_3_january(engine):
    ids = make_orgs_and_users(engine)
    for day in (date(2026, 12, 27), date(2026, 12, 28), date(2027, 1, 1), date(2027, 1, 3), date(2027, 1, 4)):
        _insert(engine, org=ids["org_a"], n=1, day=day)
    scope = _scope(ids, "admin", "admin", "org_a")
    flt = IncidentFilter(start=date(2026, 12, 21), end=date(2027, 1, 10))
    series = q.weekly_counts(engine, scope=scope, flt=flt)
    assert dict(zip(series["week_start"], series["count"])) == {
        date(2026, 12, 21): 1, date(2026, 12, 28): 3, date(2027, 1, 4): 1}
    # The same statement shape bucketed by month must not reuse the weekly SQL from the statement cache.
    monthly = q.weekly_counts(engine, scope=scope, flt=flt, period="month")
    assert dict(zip(monthly["week_start"], monthly["count"])) == {date(2026, 12, 1): 2, date(2027, 1, 1): 3}


@pytest.mark.parametrize("session_zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_weekly_buckets_do_not_depend_on_the_postgresql_session_time_zone(engine, session_zone):
    if engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL has a session time zone")
    ids = make_orgs_and_users(engine)
    _insert(engine, org=ids["org_a"], n=1, day=date(2026, 11, 23))  # a Monday
    with engine.connect() as conn:
        conn.execute(text(f"SET TIME ZONE '{session_zone}'"))
        got = conn.execute(select(week_start(Incident.occurred_date))).scalar_one()
    assert got == date(2026, 11, 23)


def test_hexagon_counts_hold_only_point_incidents(engine, store):
    cells = mq.hex_counts(engine, scope=_scope(store, "samordnare", "samordnare", "org_a"), flt=NOV, resolution=8)
    assert cells["count"].sum() == _raw_count(
        engine, "SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN :a AND :b AND location_precision = 'point'",
        a=NOV.start, b=NOV.end) == 7
    assert set(cells.columns) == {"cell", "category_code", "count"}


def test_coverage_counts_incidents_and_distinct_reporters_per_source(engine, store):
    cov = q.coverage_by_source(engine, scope=_scope(store, "samordnare", "samordnare", "org_a"), flt=NOV)
    by_org = cov.set_index("org_code")
    assert (by_org.loc["org_a", "incidents"], by_org.loc["org_b", "incidents"]) == (5, 5)
    assert by_org.loc["org_b", "reporters"] == 1
    assert by_org.loc["org_b", "last_date"] == date(2026, 11, 28)


def test_a_member_without_free_text_sees_the_rows_but_no_description(engine, store):
    medlem = _scope(store, "medlem_a", "medlem", "org_a")
    rows = q.recent_incidents(engine, scope=medlem, flt=NOV, limit=100)
    counted = q.headline(engine, scope=medlem, flt=NOV).iloc[0]["current"]
    # Every counted row is listed except the other organisation's sensitive ones.
    assert len(rows) == counted - 2 == 8
    assert rows["description"].isna().all()
    assert rows.loc[rows["location_precision"] == "point", "lat"].notna().all()


def test_a_reader_counts_everything_but_gets_no_row_level_list(engine, store):
    lasare = _scope(store, "lasare", "lasare", "org_a")
    assert q.headline(engine, scope=lasare, flt=NOV).iloc[0]["current"] == 10
    rows = q.recent_incidents(engine, scope=lasare, flt=NOV)
    assert rows.empty  # scope.py grants lasare no read_detail on incidents
    assert list(rows.columns) == q.DETAIL_COLUMNS


def test_a_coordinator_reads_descriptions_and_sensitive_rows(engine, store):
    rows = q.recent_incidents(engine, scope=_scope(store, "samordnare", "samordnare", "org_a"), flt=NOV, limit=100)
    assert len(rows) == 10
    assert rows["description"].notna().all()


def test_a_reporter_sees_only_their_own_reports_with_their_own_text(engine, store):
    reporter = _scope(store, "rapportor_b", "rapportor", "org_b")
    mine = q.my_recent_reports(engine, scope=reporter)
    assert len(mine) == 3
    assert (mine["description"] == "Hemligt namn").all()
    assert len(q.recent_incidents(engine, scope=reporter, flt=NOV, limit=100)) == 3


def test_a_form_report_gets_stockholm_date_h3_cells_area_and_bumps_the_data_version(engine, store):
    with session_scope(engine) as s:
        s.add(StoreInfo(key="data_version", value="41"))
    reporter = _scope(store, "rapportor_b", "rapportor", "org_b")
    # 23:30 UTC on 31 Dec is 00:30 on New Year's Day in Stockholm.
    new_id = q.create_incident(engine, scope=reporter, category_code="brand",
                               occurred_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC), lat=57.65, lon=14.70,
                               description="  Brand i container  ", assessment=2)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT occurred_date, occurred_hour, h3_r8, area_id, source_org_id, reporter_user_id, "
                                "external_id, import_batch_id, description FROM incident WHERE id = :i"),
                           {"i": new_id}).one()
    assert str(row.occurred_date) == "2026-01-01" and row.occurred_hour == 0
    assert row.h3_r8 == h3.latlng_to_cell(57.65, 14.70, 8)
    assert row.area_id == store["centrum"]
    assert (row.source_org_id, row.reporter_user_id) == (store["org_b"], store["rapportor_b"])
    assert row.external_id.startswith("form-") and row.import_batch_id is None
    assert row.description == "Brand i container"
    assert reference.data_version(engine) == "42"


def test_a_reader_may_not_file_a_report(engine, store):
    with pytest.raises(q.ReportError):
        q.create_incident(engine, scope=_scope(store, "lasare", "lasare", "org_a"), category_code="brand",
                          occurred_at=datetime.now(UTC), area_code="centrum")


def test_an_unknown_category_is_refused_with_a_swedish_message(engine, store):
    with pytest.raises(q.ReportError, match="Okänd kategori"):
        q.create_incident(engine, scope=_scope(store, "samordnare", "samordnare", "org_a"), category_code="ufo",
                          occurred_at=datetime.now(UTC), area_code="centrum")


def test_overdue_actions_come_first_with_their_target_categories(engine, store):
    now = datetime.now(UTC)
    today = date(2026, 11, 25)
    with session_scope(engine) as s:
        cats = ensure_categories(s)
        late = Action(title="Belysning", owner_org_id=store["org_a"], status="pågår", due_date=today - timedelta(days=1),
                      created_at=now, updated_at=now)
        done = Action(title="Sanering", owner_org_id=store["org_b"], status="klar", due_date=today - timedelta(days=9),
                      created_at=now, updated_at=now)
        s.add_all([late, done])
        s.flush()
        s.add_all([ActionCategory(action_id=late.id, category_id=cats["stold"]),
                   ActionCategory(action_id=late.id, category_id=cats["klotter"])])
    df = action_queries.actions_list(engine, scope=_scope(store, "lasare", "lasare", "org_a"), flt=NOV, today=today)
    assert list(df["title"]) == ["Belysning", "Sanering"]
    assert list(df["overdue"]) == [True, False]
    assert df.iloc[0]["categories"] == "klotter,stold"
    own = action_queries.actions_list(engine, scope=_scope(store, "medlem_b", "medlem", "org_b"), flt=NOV, today=today,
                                      own_org_only=True)
    assert list(own["title"]) == ["Sanering"]
