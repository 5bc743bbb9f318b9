"""The trend queries count what an independent count of the raw rows gives, on SQLite and PostgreSQL: Stockholm weeks
and months across daylight saving and ISO week 53, weekday × hour, window slots and places."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import h3
import numpy as np
import pytest

from analysis import aoristic
from data_layer.db import session_scope
from data_layer.importers.rows import complete_row
from data_layer.models import Area, Incident, Place
from data_layer.queries import trends as q
from data_layer.queries.filters import IncidentFilter
from data_layer.reference import ensure_categories
from data_layer.scope import Scope
from tests.data_layer.factories import make_orgs_and_users

UTC = timezone.utc
STOCKHOLM = ZoneInfo("Europe/Stockholm")
CATEGORIES = ("skadegorelse", "klotter", "stold")
EVERYTHING = IncidentFilter(start=date(2022, 1, 1), end=date(2027, 12, 31))
# Instants (UTC) on the edges that matter: ISO week 13 of 2026 holds the spring DST change (29 March), ISO week 53
# of 2026 runs 28 Dec 2026 – 3 Jan 2027, and 1 April 00:30 local is still 31 March in UTC.
EDGES = (datetime(2026, 3, 22, 23, 30, tzinfo=UTC),  # Mon 23 Mar 00:30 CET: week 13, though Sunday in UTC
         datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # Sun 29 Mar 01:59 CET, just before the change
         datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Sun 29 Mar 03:00 CEST, just after
         datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # Sun 23:59 CEST: still week 13
         datetime(2026, 3, 29, 22, 30, tzinfo=UTC),  # Mon 30 Mar 00:30 CEST: week 14
         datetime(2026, 3, 31, 22, 30, tzinfo=UTC),  # 1 April 00:30 local: April
         datetime(2026, 12, 27, 23, 30, tzinfo=UTC),  # Mon 28 Dec 00:30: week 53 of 2026
         datetime(2027, 1, 3, 22, 59, tzinfo=UTC),  # Sun 3 Jan 23:59: still week 53 of 2026
         datetime(2027, 1, 3, 23, 30, tzinfo=UTC),  # Mon 4 Jan 00:30: week 1 of 2027
         datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # Sun 25 Oct 02:30 CEST, the autumn change's first 02:30


@dataclass
class Raw:
    """One inserted incident as the test knows it (independent of what the store derived)."""

    at: datetime
    to: datetime | None
    category: str
    org: str
    area: str | None
    place: bool
    point: bool


def _raw_rows(rng) -> list[Raw]:
    starts = list(EDGES)
    for anchor in (datetime(2026, 3, 26, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC),
                   datetime(2025, 3, 26, tzinfo=UTC), datetime(2024, 3, 26, tzinfo=UTC),
                   datetime(2023, 3, 26, tzinfo=UTC), datetime(2025, 12, 26, tzinfo=UTC)):
        starts += [anchor + timedelta(minutes=int(m)) for m in rng.integers(-9 * 24 * 60, 9 * 24 * 60, 60)]
    rows = []
    for i, at in enumerate(starts):
        kind = i % 9
        to = None
        if kind == 3:
            to = at + timedelta(hours=int(rng.integers(1, 14)), minutes=int(rng.integers(0, 60)))
        elif kind == 6:
            to = at + timedelta(days=20)  # a police.uk-style month: weekday and hour unknown
        rows.append(Raw(at, to, CATEGORIES[i % 3], ("org_a", "org_b")[i % 2], (None, "norr", "soder")[i % 3 if
                        i % 4 else 1], place=i % 5 == 0, point=i % 7 != 0))
    rows.append(Raw(datetime(2026, 3, 28, 21, 0, tzinfo=UTC), datetime(2026, 3, 29, 4, 0, tzinfo=UTC),
                    "stold", "org_a", "norr", place=False, point=True))  # across the spring change
    return rows


@pytest.fixture
def store(engine):
    """Orgs, two areas, one named place and ~370 incidents around the DST and week-53 edges."""
    ids = make_orgs_and_users(engine)
    raw = _raw_rows(np.random.default_rng(13))
    with session_scope(engine) as s:
        cats = ensure_categories(s)
        areas = {}
        for code in ("norr", "soder"):
            area = Area(code=code, name=code.title(), level="omrade")
            s.add(area)
            s.flush()
            areas[code] = area.id
        place = Place(name="Torget", kind="torg", lat=57.66, lon=14.70, area_id=areas["norr"])
        s.add(place)
        s.flush()
        for n, r in enumerate(raw):
            lat, lon = ((place.lat, place.lon) if r.place else (57.60 + (n % 17) * 0.004, 14.60)) if r.point \
                else (None, None)
            s.add(Incident(**complete_row(dict(
                source_org_id=ids[r.org], external_id=f"t{n}", category_id=cats[r.category], occurred_at=r.at,
                occurred_to=r.to, lat=lat, lon=lon, location_precision="point" if r.point else "area",
                area_id=areas.get(r.area), place_id=place.id if r.place and r.point else None,
                sensitive=n % 11 == 0))))
    return ids, raw


def scope(ids) -> Scope:
    return Scope(user_id=ids["samordnare"], role="samordnare", organisation_id=ids["org_a"])


def local(instant: datetime) -> datetime:
    return instant.astimezone(STOCKHOLM)


def bucket_of(instant: datetime, period: str) -> date:
    d = local(instant).date()
    return d - timedelta(days=d.weekday()) if period == "week" else d.replace(day=1)


def group_of(r: Raw, by: str):
    return {"category": r.category, "area": r.area, "source": r.org, "total": None}[by]


@pytest.mark.parametrize("period", ["week", "month"])
@pytest.mark.parametrize("by", ["category", "area", "source", "total"])
def test_series_counts_equal_an_independent_count_of_stockholm_buckets(store, engine, period, by):
    ids, raw = store
    ranges = ((date(2022, 1, 3), date(2027, 12, 31)),)
    got = q.series_counts(engine, scope=scope(ids), flt=EVERYTHING, period=period, by=by, ranges=ranges)
    expected = Counter((bucket_of(r.at, period), group_of(r, by)) for r in raw)
    missing_as_none = {(b, g if isinstance(g, str) else None): c for b, g, c in got.itertuples(index=False)}
    assert missing_as_none == dict(expected)
    assert all(isinstance(b, date) for b in got["bucket"])


def test_iso_week_13_of_2026_holds_the_dst_night_and_week_53_spans_new_year(store, engine):
    ids, raw = store
    got = q.series_counts(engine, scope=scope(ids), flt=EVERYTHING, by="total",
                          ranges=((date(2026, 3, 16), date(2026, 4, 5)), (date(2026, 12, 21), date(2027, 1, 10))))
    weeks = {b.isocalendar()[:2]: c for b, _, c in got.itertuples(index=False)}
    in_week = Counter(local(r.at).isocalendar()[:2] for r in raw)
    assert weeks[(2026, 13)] == in_week[(2026, 13)] and weeks[(2026, 53)] == in_week[(2026, 53)]
    assert weeks[(2026, 53)] >= 2 and (2027, 1) in weeks  # EDGES put rows on both sides of week 53's end


def test_only_days_inside_the_ranges_count_and_none_twice(store, engine):
    ids, raw = store
    ranges = ((date(2026, 3, 23), date(2026, 3, 29)), (date(2026, 3, 26), date(2026, 4, 5)),
              (date(2025, 3, 24), date(2025, 3, 30)))
    got = q.series_counts(engine, scope=scope(ids), flt=EVERYTHING, by="total", ranges=ranges)
    inside = [r for r in raw if any(a <= local(r.at).date() <= b for a, b in ranges)]
    assert int(got["count"].sum()) == len(inside)


def test_the_filters_code_lists_apply_to_the_series(store, engine):
    ids, raw = store
    flt = IncidentFilter(start=date(2000, 1, 1), end=date(2000, 1, 1), area_codes=("norr",),
                         category_codes=("stold",), source_codes=("org_a",))
    got = q.series_counts(engine, scope=scope(ids), flt=flt, by="category", ranges=((date(2022, 1, 3),
                                                                                       date(2027, 12, 31)),))
    kept = [r for r in raw if r.area == "norr" and r.category == "stold" and r.org == "org_a"]
    assert int(got["count"].sum()) == len(kept) and set(got["group"]) == {"stold"}


def test_a_split_by_an_unknown_column_is_refused(store, engine):
    ids, _ = store
    with pytest.raises(ValueError, match="Okänd uppdelning"):
        q.series_counts(engine, scope=scope(ids), flt=EVERYTHING, by="colour", ranges=((date(2026, 1, 1),
                                                                                          date(2026, 2, 1)),))


def test_data_start_and_first_dates_are_the_earliest_local_dates(store, engine):
    ids, raw = store
    assert q.data_start(engine, scope=scope(ids), flt=EVERYTHING) == min(local(r.at).date() for r in raw)
    firsts = q.first_dates(engine, scope=scope(ids), flt=EVERYTHING, by="source").set_index("group")["first_date"]
    for org in ("org_a", "org_b"):
        assert firsts[org] == min(local(r.at).date() for r in raw if r.org == org)


WEEK_13 = IncidentFilter(start=date(2026, 3, 16), end=date(2026, 4, 5))


def test_point_incidents_count_by_local_weekday_and_hour(store, engine):
    ids, raw = store
    got = q.day_hour_points(engine, scope=scope(ids), flt=WEEK_13)
    expected = Counter((local(r.at).weekday(), local(r.at).hour) for r in raw
                       if r.to is None and WEEK_13.start <= local(r.at).date() <= WEEK_13.end)
    assert {(d, h): c for d, h, c in got.itertuples(index=False)} == dict(expected)


def test_windows_come_back_with_the_hour_slots_they_touch_and_long_ones_as_unknown(store, engine):
    ids, raw = store
    got = q.day_hour_windows(engine, scope=scope(ids), flt=WEEK_13)
    expected = Counter()
    for r in raw:
        if r.to is None or not WEEK_13.start <= local(r.at).date() <= WEEK_13.end:
            continue
        slots = aoristic.window_slots(int(r.at.timestamp()), int(r.to.timestamp()))
        expected[(local(r.at).date(), local(r.at).hour, slots if slots <= aoristic.MAX_SLOTS else -1)] += 1
    assert {(d, h, s): c for d, h, s, c in got.itertuples(index=False)} == dict(expected)
    assert -1 in set(got["slots"]) and (date(2026, 3, 28), 22, 7) in expected  # the DST night: 7 real hours


def test_the_day_hour_grid_holds_every_incident_of_the_period_once(store, engine):
    ids, raw = store
    result = aoristic.day_hour_weights(q.day_hour_points(engine, scope=scope(ids), flt=WEEK_13),
                                       q.day_hour_windows(engine, scope=scope(ids), flt=WEEK_13))
    in_period = [r for r in raw if WEEK_13.start <= local(r.at).date() <= WEEK_13.end]
    assert result.points + result.spread + result.left_out == len(in_period)
    assert result.total == pytest.approx(result.points + result.spread)


def test_places_are_the_named_place_or_else_the_resolution_9_cell(store, engine):
    ids, raw = store
    got = q.place_counts(engine, scope=scope(ids), flt=EVERYTHING)
    named = got[got["place_id"].notna()]
    assert set(named["place_name"]) == {"Torget"} and named["cell"].isna().all()
    assert int(named["count"].sum()) == sum(1 for r in raw if r.place and r.point)
    assert int(got["count"].sum()) == sum(1 for r in raw if r.point)
    assert all(h3.get_resolution(c) == 9 for c in got["cell"].dropna())
