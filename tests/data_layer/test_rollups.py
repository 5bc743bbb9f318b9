"""The rollups equal GROUP BYs over the incident table after every write path, on both stores; check() finds drift;
the queries that read them answer exactly as the raw queries do."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import delete, event, insert, select, text, update

from data_layer import rollups
from data_layer.db import make_engine
from data_layer.demo import load_demo
from data_layer.importers.common import undo_batch
from data_layer.importers.mappings import set_mapping
from data_layer.importers.police_uk import import_police_uk
from data_layer.importers.polisen import import_polisen
from data_layer.migrate import upgrade_to_head
from data_layer.models import ROLES, IncidentDaily, IncidentH3Weekly, StoreInfo
from data_layer.queries import comparison as cq
from data_layer.queries import incidents as iq
from data_layer.queries import map as mq
from data_layer.queries import surveys as sq
from data_layer.queries import trends as tq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope, counts_everything
from tests.data_layer.factories import add_incident, demo_store_on, make_orgs_and_users
from tests.data_layer.importers.helpers import POLICE_OCTOBER, UK_CSV, load_events, write_events

TODAY = date(2026, 3, 1)


def _raw(engine) -> pd.DataFrame:
    """Every incident's rollup dimensions, read plainly (no GROUP BY): the test's own independent view."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT occurred_date, occurred_hour, area_id, category_id, source_org_id, "
                                 "location_precision, occurred_to, h3_r7, h3_r8, h3_r9, reporter_user_id "
                                 "FROM incident")).all()
    df = pd.DataFrame(rows, columns=["occurred_date", "occurred_hour", "area_id", "category_id", "source_org_id",
                                     "location_precision", "occurred_to", "h3_r7", "h3_r8", "h3_r9",
                                     "reporter_user_id"])
    df["occurred_date"] = pd.to_datetime(df["occurred_date"]).dt.date
    df["area_id"] = df["area_id"].fillna(0).astype(int)
    df["windowed"] = df["occurred_to"].notna()
    return df


def _stored(engine, table: str) -> pd.DataFrame:
    with engine.connect() as conn:
        df = pd.read_sql(text(f"SELECT * FROM {table}"), conn)
    for column in ("occurred_date", "week_start", "month_start"):
        if column in df:
            df[column] = pd.to_datetime(df[column]).dt.date
    if "windowed" in df:
        df["windowed"] = df["windowed"].astype(bool)
    return df


def _counts(df: pd.DataFrame, keys: list[str]) -> dict:
    return {k: int(v) for k, v in df.groupby(keys).size().items()} if len(df) else {}


def assert_rollups_equal_the_incidents(engine) -> None:
    """Each rollup row for row equals counting the raw incidents in Python, and check() agrees."""
    raw = _raw(engine)
    daily = ["occurred_date", "area_id", "category_id", "source_org_id", "location_precision"]
    hourly = ["occurred_date", "occurred_hour", "area_id", "category_id", "source_org_id", "windowed"]
    weekly = ["week_start", "h3_r7", "h3_r8", "h3_r9", "area_id", "category_id", "source_org_id"]
    by_reporter = ["occurred_date", "reporter_user_id", "area_id", "category_id", "source_org_id"]
    points = raw[(raw["location_precision"] == "point") & raw["h3_r9"].notna()].copy()
    points["week_start"] = [d - timedelta(days=d.weekday()) for d in points["occurred_date"]]
    reported = raw[raw["reporter_user_id"].notna()].astype({"reporter_user_id": int})
    monthly = ["month_start", "category_id", "area_id", "source_org_id", "location_precision"]
    raw["month_start"] = [d.replace(day=1) for d in raw["occurred_date"]]
    for table, keys, source in (("incident_daily", daily, raw), ("incident_monthly", monthly, raw),
                                ("incident_hourly", hourly, raw),
                                ("incident_h3_weekly", weekly, points),
                                ("incident_reporter_daily", by_reporter, reported)):
        stored = _stored(engine, table)
        got = {tuple(r[k] for k in keys): int(r["n"]) for _, r in stored.iterrows()}
        want = {(k if isinstance(k, tuple) else (k,)): v for k, v in _counts(source, keys).items()}
        assert got == want, f"{table} differs from the incidents"
        assert (stored["n"] > 0).all() if len(stored) else True
    assert rollups.check(engine) == []


def _uk_file(tmp_path, *, months_later: int = 0, rows: slice = slice(None)):
    """A copy of the real West Yorkshire CSV (a slice of it), its month moved by `months_later`."""
    lines = UK_CSV.read_text(encoding="utf-8").splitlines()
    body = lines[1:][rows]
    if months_later:
        body = [line.replace("2016-07", f"2016-{7 + months_later:02d}") for line in body]
    path = tmp_path / f"uk-{months_later}-{rows.start}-{rows.stop}.csv"
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    return path


def test_an_import_fills_the_rollups_with_its_rows_unknown_areas_included(engine, tmp_path):
    import_police_uk(engine, _uk_file(tmp_path, rows=slice(0, 1500)))  # no areas in the store: every area unknown
    import_polisen(engine, POLICE_OCTOBER)
    assert_rollups_equal_the_incidents(engine)
    with engine.connect() as conn:
        unknown = conn.execute(select(IncidentDaily.n).where(IncidentDaily.area_id == 0)).scalars().all()
    assert sum(unknown) > 1500 - 50  # police.uk rows without a store area land on the sentinel, not dropped


def test_a_reimport_with_changed_dates_and_categories_keeps_them_equal(engine, tmp_path):
    events = load_events()[:400]
    write_events(tmp_path / "first.json", events)
    import_polisen(engine, tmp_path / "first.json")
    changed = []
    for i, event in enumerate(events):
        event = dict(event)
        if i % 3 == 0:  # a corrected copy under a new id: another day, another type
            event["id"] = event["id"] + 10_000_000
            event["datetime"] = f"2025-09-{1 + i % 28:02d} 12:00:00 +02:00"  # the title's time is too late to count
            event["type"] = "Rån" if event["type"] != "Rån" else "Brand"
        changed.append(event)
    write_events(tmp_path / "second.json", changed)
    result = import_polisen(engine, tmp_path / "second.json")
    assert result.accepted == len(range(0, 400, 3)) and result.duplicates_skipped == 400 - result.accepted
    assert_rollups_equal_the_incidents(engine)


def test_undoing_an_import_batch_takes_its_counts_away_and_leaves_no_zero_rows(engine, tmp_path):
    first = import_police_uk(engine, _uk_file(tmp_path, rows=slice(0, 800)))
    second = import_police_uk(engine, _uk_file(tmp_path, rows=slice(400, 1600), months_later=1))
    write_events(tmp_path / "few.json", load_events()[:300])
    import_polisen(engine, tmp_path / "few.json")
    undo_batch(engine, second.batch_id)
    assert_rollups_equal_the_incidents(engine)
    undo_batch(engine, first.batch_id)
    assert_rollups_equal_the_incidents(engine)
    with engine.connect() as conn:
        assert conn.execute(select(IncidentH3Weekly)).first() is None  # only area-level police events are left


def test_a_report_from_the_form_is_counted_at_once(engine):
    ids = make_orgs_and_users(engine)
    add_incident(engine, source_org_id=ids["org_a"], external_id="before", local_date=date(2026, 2, 10))
    rollups.rebuild(engine)  # the hand-inserted row is counted by the rebuild, the form's rows by create_incident
    scope = Scope(user_id=ids["samordnare"], role="samordnare", organisation_id=ids["org_a"])
    for hour, to in ((9, None), (22, 3)):
        at = datetime(2026, 2, 10, hour, 15, tzinfo=timezone.utc)
        iq.create_incident(engine, scope=scope, category_code="klotter", occurred_at=at, lat=57.7, lon=11.97,
                           occurred_to=at + timedelta(hours=to) if to else None)
    iq.create_incident(engine, scope=scope, category_code="stold",
                       occurred_at=datetime(2026, 2, 12, 8, tzinfo=timezone.utc))
    assert_rollups_equal_the_incidents(engine)
    flt = IncidentFilter(start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert rollups.readable(engine, scope)
    assert int(iq.weekly_counts(engine, scope=scope, flt=flt)["count"].sum()) == 4


def test_a_category_remap_moves_the_counts_to_the_new_category(engine):
    import_polisen(engine, POLICE_OCTOBER)
    moved = set_mapping(engine, source_kind="polisen-json", source_type="Trafikolycka", category_code="ovrigt")
    assert moved > 0
    assert_rollups_equal_the_incidents(engine)
    set_mapping(engine, source_kind="polisen-json", source_type="Trafikolycka", category_code="skadegorelse")
    assert_rollups_equal_the_incidents(engine)


def test_the_demo_loads_with_equal_rollups_marked_trusted_also_when_reloaded(engine):
    load_demo(engine, seed=3, today=TODAY, scale=0.02)
    assert_rollups_equal_the_incidents(engine)
    load_demo(engine, seed=4, today=TODAY, scale=0.01, force=True)
    assert_rollups_equal_the_incidents(engine)
    with engine.connect() as conn:
        assert rollups.is_trusted(conn)


def test_check_names_each_planted_difference_with_both_counts(engine):
    load_demo(engine, seed=3, today=TODAY, scale=0.02)
    with engine.begin() as conn:
        first = conn.execute(select(IncidentDaily).order_by(IncidentDaily.occurred_date).limit(1)).one()
        conn.execute(update(IncidentDaily).where(IncidentDaily.occurred_date == first.occurred_date,
                                                 IncidentDaily.area_id == first.area_id,
                                                 IncidentDaily.category_id == first.category_id,
                                                 IncidentDaily.source_org_id == first.source_org_id,
                                                 IncidentDaily.location_precision == first.location_precision)
                     .values(n=first.n + 5))
        conn.execute(insert(IncidentDaily).values(occurred_date=date(1999, 1, 1), area_id=0, category_id=1,
                                                  source_org_id=1, location_precision="none", n=2))
        gone = conn.execute(select(IncidentH3Weekly).limit(1)).one()
        conn.execute(delete(IncidentH3Weekly).where(IncidentH3Weekly.week_start == gone.week_start,
                                                    IncidentH3Weekly.h3_r7 == gone.h3_r7,
                                                    IncidentH3Weekly.h3_r8 == gone.h3_r8,
                                                    IncidentH3Weekly.h3_r9 == gone.h3_r9,
                                                    IncidentH3Weekly.area_id == gone.area_id,
                                                    IncidentH3Weekly.category_id == gone.category_id,
                                                    IncidentH3Weekly.source_org_id == gone.source_org_id))
    found = {(d.table, d.key[0], d.expected, d.stored) for d in rollups.check(engine)}
    assert found == {("incident_daily", first.occurred_date, first.n, first.n + 5),
                     ("incident_daily", date(1999, 1, 1), 0, 2),
                     ("incident_h3_weekly", gone.week_start, gone.n, 0)}
    rollups.rebuild(engine)
    assert rollups.check(engine) == []


def test_refresh_days_repairs_exactly_the_days_it_is_given(engine):
    load_demo(engine, seed=3, today=TODAY, scale=0.02)
    with engine.begin() as conn:
        conn.execute(update(IncidentDaily).values(n=IncidentDaily.n + 1))
        days = sorted({d for d in conn.execute(select(IncidentDaily.occurred_date)).scalars()})
    with engine.begin() as conn:
        rollups.refresh_days(conn, dates=days[:-1])
    assert {d.key[0] for d in rollups.check(engine)} == {days[-1]}


def test_a_store_written_around_the_rollups_answers_from_the_raw_table_until_rebuilt(engine):
    ids = make_orgs_and_users(engine)
    add_incident(engine, source_org_id=ids["org_a"], external_id="x", local_date=date(2026, 2, 10))
    scope = Scope(user_id=ids["analytiker"], role="analytiker", organisation_id=ids["org_a"])
    flt = IncidentFilter(start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert not rollups.readable(engine, scope)
    assert int(iq.weekly_counts(engine, scope=scope, flt=flt)["count"].sum()) == 1
    assert [d.expected for d in rollups.check(engine)] == [1, 1, 1]  # the daily, hourly and monthly rows
    rollups.rebuild(engine)
    assert rollups.readable(engine, scope)
    assert int(iq.weekly_counts(engine, scope=scope, flt=flt)["count"].sum()) == 1


def test_every_role_that_lists_incidents_counts_them_all():
    assert all(counts_everything(Scope(user_id=1, role=role, organisation_id=1)) for role in ROLES)


# --- the switched queries answer as the raw ones ----------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def demo_store(request, tmp_path_factory):
    """A demo store (built once per backend) whose rollups are trusted."""
    with demo_store_on(request.param, request, tmp_path_factory, seed=11, today=TODAY, scale=0.08) as engine:
        yield engine


def _raw_answer(engine, call):
    """`call()` answered from the raw table: the rollups' trust mark is lifted for the call, then restored."""
    with engine.begin() as conn:
        conn.execute(delete(StoreInfo).where(StoreInfo.key == rollups.TRUST_KEY))
    try:
        return call()
    finally:
        with engine.begin() as conn:
            conn.execute(insert(StoreInfo).values(key=rollups.TRUST_KEY, value=rollups.TRUSTED))


def _codes(engine, sql: str) -> tuple[str, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).scalars())


FILTERS = {
    "everything": {},
    "one area and its children": {"area_codes": "SELECT code FROM area WHERE level = 'stadsdel' ORDER BY code LIMIT 1"},
    "two categories": {"category_codes": "SELECT code FROM category ORDER BY code LIMIT 2"},
    "one source": {"source_codes": "SELECT code FROM organisation ORDER BY code LIMIT 1"},
    "all three": {"area_codes": "SELECT code FROM area WHERE level = 'omrade' ORDER BY code LIMIT 3",
                  "category_codes": "SELECT code FROM category ORDER BY code DESC LIMIT 4",
                  "source_codes": "SELECT code FROM organisation ORDER BY code DESC LIMIT 2"},
}


def _filter_codes_and_reader(engine, name: str) -> tuple[dict, Scope]:
    """FILTERS[name]'s code lists as found in the store, and a counts-only reader (who counts every incident)."""
    codes = {key: _codes(engine, sql) for key, sql in FILTERS[name].items()}
    with engine.connect() as conn:
        org, user = conn.execute(text("SELECT organisation_id, id FROM \"user\" ORDER BY id LIMIT 1")).one()
    return codes, Scope(user_id=user, role="lasare", organisation_id=org)


@pytest.mark.parametrize("name", list(FILTERS))
def test_the_queries_on_rollups_return_the_raw_queries_frames(demo_store, name):
    codes, scope = _filter_codes_and_reader(demo_store, name)
    assert rollups.readable(demo_store, scope)
    flt = IncidentFilter(start=TODAY - timedelta(days=180), end=TODAY - timedelta(days=3), **codes)
    ranges = ((date(2024, 1, 1), date(2024, 3, 31)), (TODAY - timedelta(days=400), TODAY))
    busiest = iq.counts_by_area_category(demo_store, scope=scope, flt=flt).nlargest(3, "current")
    cells = (*[(a, c) for a, c in zip(busiest["area_code"], busiest["category_code"])],
             (None, busiest["category_code"].iloc[0]))  # also the row of incidents without an area
    calls = {
        **{f"series {by} {period}": (lambda by=by, period=period: tq.series_counts(
            demo_store, scope=scope, flt=flt, period=period, by=by, ranges=ranges))
           for by in (*tq.SPLITS, tq.TOTAL) for period in ("week", "month")},
        "day × hour points": lambda: tq.day_hour_points(demo_store, scope=scope, flt=flt),
        "area × category": lambda: iq.counts_by_area_category(demo_store, scope=scope, flt=flt),
        "weekly": lambda: iq.weekly_counts(demo_store, scope=scope, flt=flt),
        "monthly": lambda: iq.weekly_counts(demo_store, scope=scope, flt=flt, period="month"),
        "precision": lambda: iq.precision_counts(demo_store, scope=scope, flt=flt),
        "headline": lambda: iq.headline(demo_store, scope=scope, flt=flt),
        "per source": lambda: iq.coverage_by_source(demo_store, scope=scope, flt=flt),
        "store summary": lambda: iq.store_summary(demo_store, scope=scope, flt=flt),
        **{f"first dates by {by}": (lambda by=by: tq.first_dates(demo_store, scope=scope, flt=flt, by=by))
           for by in tq.SPLITS},
        "data start": lambda: pd.DataFrame({"start": [tq.data_start(demo_store, scope=scope, flt=flt)]}),
        **{f"comparison by source {by_source}": (lambda by_source=by_source: cq.comparison_counts(
            demo_store, scope=scope, flt=flt, by_source=by_source, windows=(
                ("current", flt.start, flt.end), ("previous", flt.start - timedelta(days=40), flt.start),
                ("ytd", date(TODAY.year, 1, 1), flt.end), ("last_year", date(2025, 1, 1), date(2025, 6, 30)))))
           for by_source in (False, True)},
        "first incident date": lambda: cq.first_incident_date(demo_store, scope=scope, flt=flt),
        "source coverage": lambda: cq.source_coverage(demo_store, scope=scope, flt=flt),
        "weekly cells": lambda: cq.weekly_cell_counts(demo_store, scope=scope, flt=flt, cells=cells),
        "area-level events": lambda: mq.area_level_counts(demo_store, scope=scope, flt=flt),
        "incidents per survey area": lambda: sq.incidents_per_area(
            demo_store, scope=scope, flt=flt, area_codes=_codes(demo_store, "SELECT code FROM area")),
    }
    nonempty = 0
    for label, call in calls.items():
        on_rollup = call()
        raw = _raw_answer(demo_store, call)
        pd.testing.assert_frame_equal(on_rollup, raw, obj=label)
        nonempty += len(raw) > 0 or (label == "area-level events" and name != "everything")  # police events
    assert nonempty == len(calls)  # every query had something to count under this filter


MAP_PERIODS = {  # TODAY is a Sunday
    "whole weeks": (date(2026, 1, 5), date(2026, 2, 22)),
    "ragged at both ends": (date(2025, 12, 10), date(2026, 2, 26)),
    "inside one week": (date(2026, 2, 17), date(2026, 2, 20)),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_the_map_cells_from_the_weekly_rollup_equal_the_raw_cells_for_any_period(demo_store, name):
    codes, scope = _filter_codes_and_reader(demo_store, name)
    statements: list[str] = []
    listen = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(demo_store, "before_cursor_execute", listen)
    try:
        for period, (start, end) in MAP_PERIODS.items():
            flt = IncidentFilter(start=start, end=end, **codes)
            for resolution in (7, 8, 9):
                for query in (mq.hex_counts, mq.hex_window_counts):
                    on_rollup = query(demo_store, scope=scope, flt=flt, resolution=resolution)
                    raw = _raw_answer(demo_store, lambda: query(demo_store, scope=scope, flt=flt,
                                                                resolution=resolution))
                    label = f"{query.__name__} r{resolution} {period}"
                    pd.testing.assert_frame_equal(on_rollup, raw, obj=label)
                    assert len(raw) > 0 or period == "inside one week", label  # a small demo, a narrow filter
    finally:
        event.remove(demo_store, "before_cursor_execute", listen)
    assert any("incident_h3_weekly" in s for s in statements)


def test_whole_months_split_a_period_into_first_days_and_the_days_around_them():
    assert rollups.whole_months(date(2026, 1, 1), date(2026, 11, 26)) == (
        (date(2026, 1, 1), date(2026, 10, 1)), [(date(2026, 11, 1), date(2026, 11, 26))])
    assert rollups.whole_months(date(2025, 12, 15), date(2026, 2, 28)) == (
        (date(2026, 1, 1), date(2026, 2, 1)), [(date(2025, 12, 15), date(2025, 12, 31))])
    assert rollups.whole_months(date(2026, 10, 30), date(2026, 11, 26)) == (
        None, [(date(2026, 10, 30), date(2026, 11, 26))])


def test_whole_weeks_split_a_period_into_mondays_and_the_days_around_them():
    assert mq._whole_weeks(date(2026, 1, 5), date(2026, 2, 22)) == ((date(2026, 1, 5), date(2026, 2, 16)), [])
    assert mq._whole_weeks(date(2026, 1, 7), date(2026, 1, 20)) == (
        (date(2026, 1, 12), date(2026, 1, 12)), [(date(2026, 1, 7), date(2026, 1, 11)),
                                                 (date(2026, 1, 19), date(2026, 1, 20))])
    assert mq._whole_weeks(date(2026, 1, 6), date(2026, 1, 11)) == (None, [(date(2026, 1, 6), date(2026, 1, 11))])


def test_the_migration_fills_rollups_for_a_store_that_already_holds_incidents(store_url):
    from alembic import command

    from data_layer.migrate import _config

    engine = make_engine(store_url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    with engine.begin() as conn:  # plain SQL: the models may hold columns later migrations add
        conn.execute(text("INSERT INTO organisation (code, name, kind) VALUES ('o', 'O', 'kommun')"))
        conn.execute(text("INSERT INTO category (code, label_sv, label_en, \"group\", sensitive_default) "
                          "VALUES ('c', 'C', 'C', 'g', false)"))
        for i in range(3):
            conn.execute(text(
                "INSERT INTO incident (source_org_id, external_id, category_id, occurred_at, occurred_date, "
                "occurred_hour, reported_at, location_precision, police_reported, sensitive) SELECT o.id, :x, c.id, "
                ":at, :day, 10, :at, 'none', false, false FROM organisation o, category c"),
                {"x": f"old-{i}", "at": datetime(2025, 5, 1 + i % 2, 8, tzinfo=timezone.utc),
                 "day": date(2025, 5, 1 + i % 2)})
    upgrade_to_head(engine)
    assert_rollups_equal_the_incidents(engine)
    with engine.connect() as conn:
        assert rollups.is_trusted(conn)
        assert sorted(conn.execute(select(IncidentDaily.n)).scalars()) == [1, 2]
    engine.dispose()


def test_a_dry_run_import_leaves_the_rollups_as_they_were(engine, tmp_path):
    import_police_uk(engine, _uk_file(tmp_path, rows=slice(0, 500)), dry_run=True)
    with engine.connect() as conn:
        assert conn.execute(select(IncidentDaily)).first() is None
    assert json.dumps(rollups.check(engine, limit=5), default=str) == "[]"


def test_the_command_line_checks_and_rebuilds(engine, capsys):
    from data_layer.__main__ import main

    url = engine.url.render_as_string(hide_password=False)
    load_demo(engine, seed=3, today=TODAY, scale=0.01)
    assert main(["--db", url, "rollups", "check"]) == 0
    with engine.begin() as conn:
        conn.execute(update(IncidentDaily).values(n=IncidentDaily.n + 1))
    assert main(["--db", url, "rollups", "check"]) == 1
    assert "väntat" in capsys.readouterr().out
    assert main(["--db", url, "rollups", "rebuild"]) == 0
    assert json.loads(capsys.readouterr().out.strip())["incident_daily"] > 0
    assert main(["--db", url, "rollups", "check"]) == 0
