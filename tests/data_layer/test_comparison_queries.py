"""The comparison queries count what an independent count of the raw rows says, on SQLite and PostgreSQL: per area ×
category × window, across the daylight-saving changes and week 53, scoped, and exact in the drill-down."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import text

from analysis.periods import Period, comparison_windows
from data_layer.db import session_scope
from data_layer.models import Event, Meeting
from data_layer.queries import comparison as cq
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.meetings import last_held_meeting
from data_layer.scope import Scope
from tests.data_layer.comparison_store import CATEGORIES, EDGE_INSTANTS, STOCKHOLM, build, count

UTC = timezone.utc
WEEK_13 = Period(date(2026, 3, 23), date(2026, 3, 29), "week")    # holds the change to summer time
WEEK_43 = Period(date(2026, 10, 19), date(2026, 10, 25), "week")   # holds the change back to winter time
WEEK_53 = Period(date(2026, 12, 28), date(2027, 1, 3), "week")
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31), "month")
DAYS_28 = Period(date(2026, 11, 1), date(2026, 11, 28), "days")
PERIODS = [WEEK_13, WEEK_43, WEEK_53, OCTOBER, DAYS_28]


@pytest.fixture
def store(engine):
    ids, rows = build(engine)
    return ids, rows


def scope_of(ids, name: str, role: str, org: str) -> Scope:
    return Scope(user_id=ids[name], role=role, organisation_id=ids[org])


def code(value) -> str | None:
    """A code from a query frame; pandas stores a missing area code as NaN."""
    return value if isinstance(value, str) else None


def coordinator(ids) -> Scope:
    return scope_of(ids, "samordnare", "samordnare", "org_a")


def test_the_edge_rows_have_the_local_dates_a_swede_would_give_them():
    local = [moment.astimezone(STOCKHOLM).date() for moment in EDGE_INSTANTS]
    assert local[5:7] == [date(2026, 3, 29), date(2026, 3, 30)]  # 23:30 CEST Sunday; 00:30 CEST Monday
    assert local[9:11] == [date(2026, 10, 25), date(2026, 10, 26)]
    assert local[12:] == [date(2026, 12, 28), date(2027, 1, 1), date(2027, 1, 3), date(2027, 1, 4)]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.kind}-{p.start}")
def test_every_cell_and_window_equals_an_independent_count_of_the_raw_rows(engine, store, period):
    ids, rows = store
    windows = comparison_windows(period).named()
    flt = IncidentFilter(start=period.start, end=period.end)
    df = cq.comparison_counts(engine, scope=coordinator(ids), flt=flt, windows=windows)
    got = {(code(r.area_code), r.category_code): r for r in df.itertuples()}
    for area in ("kommun", "norr", "syd", None):
        for category in CATEGORIES:
            expected = {name: count(rows, start, end, area=area, category=category) for name, start, end in windows}
            if not any(expected.values()):
                assert (area, category) not in got
                continue
            row = got[(area, category)]
            assert {name: getattr(row, name) for name in expected} == expected, (area, category)
    assert df["current"].sum() == count(rows, period.start, period.end)


def test_week_13_counts_sunday_night_after_the_clocks_go_forward_and_not_the_monday_after(engine, store):
    ids, rows = store
    flt = IncidentFilter(start=WEEK_13.start, end=WEEK_13.end)
    df = cq.comparison_counts(engine, scope=coordinator(ids), flt=flt, windows=(("w13", WEEK_13.start, WEEK_13.end),))
    by_utc_date = sum(1 for r in rows if WEEK_13.start <= r.at.date() <= WEEK_13.end)
    assert df["w13"].sum() == count(rows, WEEK_13.start, WEEK_13.end) != by_utc_date


def test_with_sources_split_the_cells_add_up_to_the_same_counts(engine, store):
    ids, rows = store
    windows = comparison_windows(WEEK_53).named()
    flt = IncidentFilter(start=WEEK_53.start, end=WEEK_53.end)
    split = cq.comparison_counts(engine, scope=coordinator(ids), flt=flt, windows=windows, by_source=True)
    for r in split.itertuples():
        area = code(r.area_code)
        assert r.current == count(rows, WEEK_53.start, WEEK_53.end, area=area, category=r.category_code,
                                  source=r.source_code)
    assert set(split["source_name"]) <= {"ORG_A", "ORG_B"}


@pytest.mark.parametrize("name, role, org", [("lasare", "lasare", "org_a"), ("rapportor_b", "rapportor", "org_b"),
                                             ("medlem_b", "medlem", "org_b")])
def test_every_role_counts_every_incident_sensitive_ones_included(engine, store, name, role, org):
    ids, rows = store
    flt = IncidentFilter(start=OCTOBER.start, end=OCTOBER.end)
    windows = (("current", OCTOBER.start, OCTOBER.end),)
    df = cq.comparison_counts(engine, scope=scope_of(ids, name, role, org), flt=flt, windows=windows)
    assert df["current"].sum() == count(rows, OCTOBER.start, OCTOBER.end)


def test_the_code_filters_apply_and_a_parent_area_takes_in_its_sub_areas(engine, store):
    ids, rows = store
    flt = IncidentFilter(start=OCTOBER.start, end=OCTOBER.end, area_codes=("kommun",), category_codes=("klotter",),
                         source_codes=("org_b",))
    october = (("current", OCTOBER.start, OCTOBER.end),)
    df = cq.comparison_counts(engine, scope=coordinator(ids), flt=flt, windows=october)
    assert set(df["area_code"]) <= {"kommun", "norr", "syd"}
    for r in df.itertuples():
        assert r.current == count(rows, OCTOBER.start, OCTOBER.end, area=r.area_code, category="klotter",
                                  source="org_b")
    assert df["current"].sum() == sum(count(rows, OCTOBER.start, OCTOBER.end, area=a, category="klotter",
                                            source="org_b") for a in ("kommun", "norr", "syd"))


def test_rows_carry_the_areas_population_and_level(engine, store):
    ids, _ = store
    df = cq.comparison_counts(engine, scope=coordinator(ids), flt=IncidentFilter(start=OCTOBER.start, end=OCTOBER.end),
                              windows=(("current", OCTOBER.start, OCTOBER.end),))
    facts = {r.area_code: (r.area_level, r.population) for r in df.itertuples() if isinstance(r.area_code, str)}
    assert facts["norr"] == ("omrade", 2000) and facts["kommun"] == ("kommun", 10_000)
    assert facts["syd"][0] == "omrade" and pd.isna(facts["syd"][1])


def test_bad_windows_are_refused(engine, store):
    ids, _ = store
    flt = IncidentFilter(start=OCTOBER.start, end=OCTOBER.end)
    for windows in ((), (("a", OCTOBER.start, OCTOBER.end), ("a", OCTOBER.start, OCTOBER.end)),
                    (("drop table", OCTOBER.start, OCTOBER.end),), (("a", OCTOBER.end, OCTOBER.start),)):
        with pytest.raises(ValueError):
            cq.comparison_counts(engine, scope=coordinator(ids), flt=flt, windows=windows)


def test_the_first_date_with_data_is_per_chosen_source(engine, store):
    ids, rows = store
    flt = IncidentFilter(start=OCTOBER.start, end=OCTOBER.end)
    first = cq.first_incident_date(engine, scope=coordinator(ids), flt=flt)["first_date"].iloc[0]
    assert first == min(r.local_date for r in rows)
    flt_b = IncidentFilter(start=OCTOBER.start, end=OCTOBER.end, source_codes=("org_b",), category_codes=("klotter",))
    first_b = cq.first_incident_date(engine, scope=coordinator(ids), flt=flt_b)["first_date"].iloc[0]
    assert first_b == min(r.local_date for r in rows if r.source == "org_b")  # categories do not move it


def test_source_coverage_counts_the_period_and_the_eight_weeks_before(engine, store):
    ids, rows = store
    flt = IncidentFilter(start=WEEK_13.start, end=WEEK_13.end)
    cov = cq.source_coverage(engine, scope=coordinator(ids), flt=flt, history_days=56)
    before = (WEEK_13.start - timedelta(days=56), WEEK_13.start - timedelta(days=1))
    for r in cov.itertuples():
        source = r.org_code
        assert r.incidents == count(rows, WEEK_13.start, WEEK_13.end, source=source)
        assert r.history == count(rows, *before, source=source)
        assert r.reporters == len({x.reporter for x in rows if x.source == source and x.reporter
                                   and WEEK_13.start <= x.local_date <= WEEK_13.end})
        assert r.last_date == max(x.local_date for x in rows if x.source == source
                                  and before[0] <= x.local_date <= WEEK_13.end)


def test_the_drill_down_lists_exactly_the_rows_behind_a_cell(engine, store):
    ids, rows = store
    flt = IncidentFilter(start=OCTOBER.start, end=OCTOBER.end)
    for area in ("kommun", "norr", None):
        got = cq.cell_incidents(engine, scope=coordinator(ids), flt=flt, category_code="klotter", area_code=area)
        expected = {r.id for r in rows if OCTOBER.start <= r.local_date <= OCTOBER.end and r.area == area
                    and r.category == "klotter"}
        assert set(got["id"]) == expected and len(got) == len(expected)  # the kommun row holds no sub-area rows
    by_source = cq.cell_incidents(engine, scope=coordinator(ids), flt=flt, category_code="klotter", area_code="norr",
                                  source_code="org_b")
    assert set(by_source["id"]) == {r.id for r in rows if OCTOBER.start <= r.local_date <= OCTOBER.end
                                    and r.area == "norr" and r.category == "klotter" and r.source == "org_b"}


def test_the_drill_down_shows_each_role_only_what_it_may_read(engine, store):
    ids, rows = store
    flt = IncidentFilter(start=date(2022, 1, 1), end=date(2027, 12, 31))

    def listed(name, role, org, category="oro_nara_relation"):
        return set(cq.cell_incidents(engine, scope=scope_of(ids, name, role, org), flt=flt, category_code=category,
                                     area_code="norr")["id"])

    sensitive = {r.id: r for r in rows if r.area == "norr" and r.category == "oro_nara_relation"}
    assert listed("samordnare", "samordnare", "org_a") == set(sensitive)
    assert listed("lasare", "lasare", "org_a") == set()
    assert listed("medlem_b", "medlem", "org_b") == {i for i, r in sensitive.items() if r.source == "org_b"}
    assert listed("rapportor_b", "rapportor", "org_b", "klotter") == {
        r.id for r in rows if r.area == "norr" and r.category == "klotter" and r.reporter == "rapportor_b"}


def test_weekly_cell_counts_bucket_by_local_iso_week(engine, store):
    ids, rows = store
    flt = IncidentFilter(start=date(2026, 12, 14), end=date(2027, 1, 10))
    cells = (("norr", "klotter"), (None, "narkotika"))
    df = cq.weekly_cell_counts(engine, scope=coordinator(ids), flt=flt, cells=cells)
    assert set(df["week_start"]) <= {date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)}
    for monday in (date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)):
        for area, category in cells:
            part = df[(df["week_start"] == monday) & (df["category_code"] == category)
                      & df["area_code"].map(lambda a: code(a) == area)]
            got = int(part["count"].sum())
            assert got == count(rows, monday, min(monday + timedelta(days=6), flt.end), area=area, category=category)
    assert cq.weekly_cell_counts(engine, scope=coordinator(ids), flt=flt, cells=()).empty


def test_coming_events_are_those_starting_on_the_next_fourteen_stockholm_dates(engine, store):
    ids, _ = store
    start = date(2026, 11, 26)
    with session_scope(engine) as s:
        for title, at in (("kvällen före", datetime(2026, 11, 25, 22, 59, tzinfo=UTC)),   # 23:59 on the 25th
                          ("första minuten", datetime(2026, 11, 25, 23, 0, tzinfo=UTC)),  # 00:00 on the 26th
                          ("sista dagen", datetime(2026, 12, 9, 22, 30, tzinfo=UTC)),     # 23:30 on 9 Dec
                          ("dag femton", datetime(2026, 12, 9, 23, 0, tzinfo=UTC))):      # 00:00 on 10 Dec
            s.add(Event(title=title, kind="evenemang", starts_at=at, area_id=ids["norr"]))
    events = cq.coming_events(engine, scope=coordinator(ids), start=start, days=14)
    assert list(events["title"]) == ["första minuten", "sista dagen"]
    assert list(events["area_name"]) == ["Norra staden", "Norra staden"]


def test_the_last_meeting_held_is_before_today_or_today_once_closed(engine, store):
    ids, _ = store
    today = date(2026, 11, 24)
    with session_scope(engine) as s:
        s.add(Meeting(forum="Forum", held_on=date(2026, 11, 17), status="avslutat"))
        s.add(Meeting(forum="Forum", held_on=today, status="planerat"))
        s.add(Meeting(forum="Forum", held_on=date(2026, 12, 1), status="planerat"))
    assert last_held_meeting(engine, scope=coordinator(ids), today=today)["held_on"].tolist() == [date(2026, 11, 17)]
    with engine.begin() as conn:
        conn.execute(text("UPDATE meeting SET status = 'avslutat' WHERE held_on = :d"), {"d": today})
    assert last_held_meeting(engine, scope=coordinator(ids), today=today)["held_on"].tolist() == [today]
    reporter = scope_of(ids, "rapportor_b", "rapportor", "org_b")  # no meeting rights
    assert last_held_meeting(engine, scope=reporter, today=today).empty
