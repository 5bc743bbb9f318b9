"""The rollup floor: each aggregate query behind a page against the same aggregation read straight off a rollup table.

Issue 9's target: no page query more than 3× the same aggregation on the rollup floor, measured in the same run. Per
probe the page's query function runs once with its SQL recorded; the recorded statements are then replayed bare and
the floor statement (a plain GROUP BY over the rollup, no scoping, joins or names) is run, each `repeat` times; the
report gives both medians and their ratio. Bare SQL against bare SQL: Python and pandas around the query are in the
page render figures, not here. Scope: samordnare (counts everything); period: the bench's (the last 28 days).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Callable

from sqlalchemy import Engine, case, func, select

from analysis.periods import hotspot_windows
from analysis.trends import series_ranges
from data_layer.models import IncidentDaily, IncidentH3Weekly, IncidentHourly, IncidentReporterDaily
from data_layer.queries import incidents as iq
from data_layer.queries import map as mq
from data_layer.queries import trends as tq
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.sqlfuncs import date_bucket, iso_weekday
from data_layer.scope import Scope

MAX_RATIO = 3.0


@dataclass(frozen=True)
class Probe:
    """One page query and the same aggregation on a rollup."""

    name: str
    page: str
    call: Callable[[], object]
    floor: object  # a SELECT


def _between(column, lo: date, hi: date):
    return column.between(lo, hi)


def _daily_series(ranges) -> object:
    days = [select(IncidentDaily.occurred_date.label("day"), IncidentDaily.category_id.label("gid"),
                   func.sum(IncidentDaily.n).label("n"))
            .where(_between(IncidentDaily.occurred_date, lo, hi))
            .group_by(IncidentDaily.occurred_date, IncidentDaily.category_id) for lo, hi in ranges]
    sub = (days[0] if len(days) == 1 else days[0].union_all(*days[1:])).subquery()
    bucket = date_bucket(sub.c.day, "week")
    return select(bucket, sub.c.gid, func.sum(sub.c.n)).group_by(bucket, sub.c.gid)


def _per_source(flt: IncidentFilter) -> object:
    d, r = IncidentDaily, IncidentReporterDaily
    counts = (select(d.source_org_id.label("org"), func.sum(d.n).label("n"), func.max(d.occurred_date).label("last"))
              .where(_between(d.occurred_date, flt.start, flt.end)).group_by(d.source_org_id).subquery())
    people = (select(r.source_org_id.label("org"), func.count(func.distinct(r.reporter_user_id)).label("n"))
              .where(_between(r.occurred_date, flt.start, flt.end)).group_by(r.source_org_id).subquery())
    return select(counts.c.org, counts.c.n, people.c.n, counts.c.last).outerjoin(people, people.c.org == counts.c.org)


def probes(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> list[Probe]:
    """The aggregate queries of overview, map and trends with their floors, for `flt`."""
    prev = flt.previous()
    d, h, w, r = IncidentDaily, IncidentHourly, IncidentH3Weekly, IncidentReporterDaily
    now = d.occurred_date >= flt.start
    series = series_ranges(flt.start, flt.end, period="week")
    windows = hotspot_windows(flt.end)
    in_period = _between(d.occurred_date, flt.start, flt.end)
    kw = dict(scope=scope, flt=flt)
    return [
        Probe("headline (now, before, reporters, areas)", "overview", lambda: iq.headline(engine, **kw),
              select(func.sum(case((now, d.n), else_=0)), func.sum(case((now, 0), else_=d.n)),
                     select(func.count(func.distinct(r.reporter_user_id)))
                     .where(_between(r.occurred_date, flt.start, flt.end)).scalar_subquery(),
                     func.count(func.distinct(case((now, d.area_id)))))
              .where(_between(d.occurred_date, prev.start, flt.end))),
        Probe("area × category, two periods", "overview", lambda: iq.counts_by_area_category(engine, **kw),
              select(d.area_id, d.category_id, func.sum(case((now, d.n), else_=0)), func.sum(case((now, 0), else_=d.n)))
              .where(_between(d.occurred_date, prev.start, flt.end)).group_by(d.area_id, d.category_id)),
        Probe("weekly × category", "overview", lambda: iq.weekly_counts(engine, **kw),
              select(date_bucket(d.occurred_date, "week"), d.category_id, func.sum(d.n)).where(in_period)
              .group_by(date_bucket(d.occurred_date, "week"), d.category_id)),
        Probe("per source (incidents, reporters, last date)", "overview",
              lambda: iq.coverage_by_source(engine, **kw), _per_source(flt)),
        Probe("location precision", "map", lambda: iq.precision_counts(engine, **kw),
              select(d.location_precision, func.sum(d.n)).where(in_period).group_by(d.location_precision)),
        Probe("H3 r8 cells × category", "map", lambda: mq.hex_counts(engine, **kw),
              select(w.h3_r8, w.category_id, func.sum(w.n))
              .where(_between(w.week_start, flt.start, flt.end)).group_by(w.h3_r8, w.category_id)),
        Probe("H3 r8 hotspot windows", "map", lambda: mq.hex_window_counts(engine, **kw),
              select(w.h3_r8, *[func.sum(case((_between(w.week_start, *windows[k]), w.n), else_=0))
                                for k in ("recent", "before", "last_year")])
              .where(_between(w.week_start, windows["before"][0], windows["recent"][1])
                     | _between(w.week_start, *windows["last_year"])).group_by(w.h3_r8)),
        Probe("trend series week × category (3 years back)", "trends",
              lambda: tq.series_counts(engine, **kw, period="week", by="category", ranges=series),
              _daily_series(series)),
        Probe("first date per source", "trends", lambda: tq.first_dates(engine, **kw, by="source"),
              select(d.source_org_id, func.min(d.occurred_date)).group_by(d.source_org_id)),
        Probe("weekday × hour", "trends", lambda: tq.day_hour_points(engine, **kw),
              select(iso_weekday(h.occurred_date), h.occurred_hour, func.sum(h.n))
              .where(_between(h.occurred_date, flt.start, flt.end), h.windowed.is_(False))
              .group_by(iso_weekday(h.occurred_date), h.occurred_hour)),
    ]


def _timed(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return median(times)


def measure(engine: Engine, recorder, *, scope: Scope, flt: IncidentFilter, repeat: int) -> list[dict]:
    """Per probe: median bare seconds of the page query's statements and of its floor, and their ratio."""
    rows = []
    for probe in probes(engine, scope=scope, flt=flt):
        with recorder.capture():
            probe.call()
        statements = list(recorder.statements)

        def replay(statements=statements) -> None:
            with engine.connect() as conn:
                for statement, parameters in statements:
                    conn.exec_driver_sql(statement, parameters).fetchall()

        def floor(stmt=probe.floor) -> None:
            with engine.connect() as conn:
                conn.execute(stmt).fetchall()

        query_s, floor_s = _timed(replay, repeat), _timed(floor, repeat)
        ratio = query_s / floor_s if floor_s else float("inf")
        rows.append({"query": probe.name, "page": probe.page, "query_median_s": round(query_s, 4),
                     "floor_median_s": round(floor_s, 4), "ratio": round(ratio, 2), "target_met": ratio <= MAX_RATIO})
    return rows
