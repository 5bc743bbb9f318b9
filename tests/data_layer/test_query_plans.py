"""The heavy page queries search an index on both stores (EXPLAIN of the SQL they actually send), so that dropping or
outgrowing an index fails a test instead of slowing a national store down."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, event, insert

from data_layer import rollups
from data_layer.models import StoreInfo
from data_layer.queries import comparison as cq
from data_layer.queries import incidents as iq
from data_layer.queries import map as mq
from data_layer.queries import trends as tq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope
from tests.data_layer.factories import demo_store_on

TODAY = date(2026, 3, 1)
DATE_INDEXES = ("ix_incident_date_area_category", "ix_incident_date_category")  # both lead with occurred_date
DAILY, HOURLY, WEEKLY_H3 = "incident_daily", "incident_hourly", "incident_h3_weekly"
REPORTERS, MONTHLY = "incident_reporter_daily", "incident_monthly"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def store(request, tmp_path_factory):
    """A demo store with planner statistics and trusted rollups, once per backend."""
    with demo_store_on(request.param, request, tmp_path_factory, seed=5, today=TODAY, scale=0.1) as engine:
        yield engine


def _last_statement(engine, call) -> tuple[str, object]:
    """The last SQL statement (and its parameters) `call()` sent: the query itself, after any look-ups."""
    sent = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return sent[-1]


def _plan(engine, call) -> list[str]:
    statement, parameters = _last_statement(engine, call)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        # A demo store is small enough for a sequential scan to win; forbid it to see which index would be used.
        conn.exec_driver_sql("SET enable_seqscan = off")
        return list(conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars())


SCOPE = Scope(user_id=1, role="samordnare", organisation_id=1)
FLT = IncidentFilter(start=TODAY - timedelta(days=90), end=TODAY)
RAGGED = IncidentFilter(start=TODAY - timedelta(days=88), end=TODAY - timedelta(days=3))  # Wednesday to Thursday
CALLS = {  # name -> (call, the table or tables it must read by a date range)
    "series on the daily rollup": (lambda e: tq.series_counts(e, scope=SCOPE, flt=FLT, by="area", ranges=(
        (TODAY - timedelta(days=400), TODAY),)), DAILY),
    "area × category on the daily rollup": (lambda e: iq.counts_by_area_category(e, scope=SCOPE, flt=FLT), DAILY),
    "weekly counts on the daily rollup": (lambda e: iq.weekly_counts(e, scope=SCOPE, flt=FLT), DAILY),
    "day × hour on the hourly rollup": (lambda e: tq.day_hour_points(e, scope=SCOPE, flt=FLT), HOURLY),
    # whole weeks from the weekly H3 rollup, the ragged ends from incident
    "hexagon counts": (lambda e: mq.hex_counts(e, scope=SCOPE, flt=RAGGED, resolution=8), (WEEKLY_H3, "incident")),
    "hexagon trend windows": (lambda e: mq.hex_window_counts(e, scope=SCOPE, flt=RAGGED, resolution=8),
                              (WEEKLY_H3, "incident")),
    "recent incidents": (lambda e: iq.recent_incidents(e, scope=SCOPE, flt=FLT), "incident"),
    "headline": (lambda e: iq.headline(e, scope=SCOPE, flt=FLT), (DAILY, REPORTERS)),
    "per source": (lambda e: iq.coverage_by_source(e, scope=SCOPE, flt=FLT), (DAILY, REPORTERS)),
    # the overview's windows: whole months of the year to date from the monthly rollup, the days around them daily
    "comparison windows": (lambda e: cq.comparison_counts(e, scope=SCOPE, flt=RAGGED, windows=(
        ("current", RAGGED.start, RAGGED.end), ("ytd", date(2025, 1, 1), RAGGED.end))), (DAILY, MONTHLY)),
}


def _assert_searches_by_date(engine, plan: list[str], table: str) -> None:
    text = "\n".join(plan)
    indexes = DATE_INDEXES if table == "incident" else (f"sqlite_autoindex_{table}_1", f"{table}_pkey")
    day = {WEEKLY_H3: "week_start", MONTHLY: "month_start"}.get(table, "occurred_date")
    if engine.dialect.name == "sqlite":
        assert not re.search(rf"\bSCAN {table}\b", text), f"a full scan of {table}:\n{text}"
        # a rollup is a WITHOUT ROWID table: its own primary key (the date first) is the index searched
        using = "PRIMARY KEY" if table != "incident" else "(?:COVERING )?INDEX (?:" + "|".join(indexes) + ")"
        assert re.search(rf"SEARCH {table} USING {using} \({day}>", text), \
            f"{table} is not searched by a date range:\n{text}"
    else:
        assert f"Seq Scan on {table}" not in text, text
        by_index = re.findall(rf"(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?(?:using|on) (\w+)", text)
        assert set(by_index) & set(indexes), f"none of {indexes} in the plan:\n{text}"
        assert re.search(rf"Index Cond: \(+{day} >=", text), text


@pytest.mark.parametrize("name", list(CALLS))
def test_each_heavy_query_searches_its_table_by_a_date_index(store, name):
    call, tables = CALLS[name]
    assert rollups.readable(store, SCOPE)
    plan = _plan(store, lambda: call(store))
    for table in (tables,) if isinstance(tables, str) else tables:
        _assert_searches_by_date(store, plan, table)


def test_the_raw_fallback_of_the_series_searches_incident_by_date_too(store):
    with store.begin() as conn:
        conn.execute(delete(StoreInfo).where(StoreInfo.key == rollups.TRUST_KEY))
    try:
        plan = _plan(store, lambda: CALLS["series on the daily rollup"][0](store))
    finally:
        with store.begin() as conn:
            conn.execute(insert(StoreInfo).values(key=rollups.TRUST_KEY, value=rollups.TRUSTED))
    _assert_searches_by_date(store, plan, "incident")
