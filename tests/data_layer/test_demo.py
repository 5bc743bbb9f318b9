"""The demo municipality: deterministic from its seed, realistic in shape, and careful with stores that hold data."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import h3
import numpy as np
import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import MetaData, func, select
from sqlmodel import Session

from data_layer.db import make_engine
from data_layer.demo import DemoRefused, load_demo
from data_layer.demo_incidents import data_start
from data_layer.migrate import upgrade_to_head
from data_layer.models import (Action, ActionCategory, Area, Category, Incident, Organisation, StoreInfo,
                               SurveyQuestion, SurveyResult, User)
from data_layer.users import authenticate

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIXED_TODAY = date(2026, 3, 31)  # two days after a spring DST change


def _fresh_store(tmp_path, name: str):
    eng = make_engine(f"sqlite:///{tmp_path / name}")
    upgrade_to_head(eng)
    return eng


def _dump(engine) -> dict[str, list[tuple]]:
    """Every table's rows ordered by primary key, without users' password hashes (argon2 salts are random)."""
    md = MetaData()
    md.reflect(bind=engine)
    out = {}
    with engine.connect() as conn:
        for table in md.sorted_tables:
            cols = [c for c in table.columns if not (table.name == "user" and c.name == "password_hash")]
            rows = conn.execute(select(*cols).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def _table_counts(engine) -> dict[str, int]:
    md = MetaData()
    md.reflect(bind=engine)
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in md.sorted_tables}


def _info(engine, key: str) -> str | None:
    with engine.connect() as conn:
        return conn.scalar(select(StoreInfo.__table__.c.value).where(StoreInfo.__table__.c.key == key))


def test_demo_is_deterministic_for_the_same_seed_and_today(tmp_path):
    first, second = _fresh_store(tmp_path, "a.db"), _fresh_store(tmp_path, "b.db")
    counts_a = load_demo(first, seed=11, today=FIXED_TODAY, scale=0.05)
    counts_b = load_demo(second, seed=11, today=FIXED_TODAY, scale=0.05)
    dump_a, dump_b = _dump(first), _dump(second)
    assert counts_a == counts_b
    assert dump_a.keys() == dump_b.keys()
    for name in dump_a:
        assert dump_a[name] == dump_b[name], f"table {name} differs between two loads with the same seed"
    assert len(dump_a["incident"]) > 1000 and len(dump_a["action"]) >= 30


def test_a_different_seed_gives_a_different_store(tmp_path):
    first, second = _fresh_store(tmp_path, "a.db"), _fresh_store(tmp_path, "b.db")
    load_demo(first, seed=1, today=FIXED_TODAY, scale=0.05)
    load_demo(second, seed=2, today=FIXED_TODAY, scale=0.05)
    assert _dump(first)["incident"] != _dump(second)["incident"]


def test_incidents_span_five_years_ending_today_at_about_12000_a_year_times_scale(demo_engine):
    today = date.fromisoformat(_info(demo_engine, "demo_today"))
    scale = float(_info(demo_engine, "demo_scale"))
    inc = Incident.__table__
    with demo_engine.connect() as conn:
        first, last, n = conn.execute(select(func.min(inc.c.occurred_date), func.max(inc.c.occurred_date),
                                             func.count())).one()
    assert today - timedelta(days=3) <= last <= today  # a quiet last day is possible at small scales
    assert data_start(today) <= first <= data_start(today) + timedelta(days=3)
    expected = 12_000 * 5 * scale
    assert 0.75 * expected <= n <= 1.25 * expected


def test_the_demo_has_areas_and_sources_and_every_point_lies_inside_its_area(demo_engine):
    inc, area = Incident.__table__, Area.__table__
    with demo_engine.connect() as conn:
        areas = conn.execute(select(area.c.id, area.c.level, area.c.geometry)).all()
        n_sources = conn.scalar(select(func.count(inc.c.source_org_id.distinct())))
        points = conn.execute(select(inc.c.area_id, inc.c.lat, inc.c.lon, inc.c.h3_r8)
                              .where(inc.c.location_precision == "point")).all()
        area_rows = conn.execute(select(inc.c.h3_r7, inc.c.h3_r8, inc.c.h3_r9)
                                 .where(inc.c.location_precision == "area")).all()
    polygons = {a.id: shape(json.loads(a.geometry)) for a in areas}
    assert sum(a.level == "omrade" for a in areas) >= 8
    assert n_sources >= 6
    area_ids = np.array([p.area_id for p in points])
    lat = np.array([p.lat for p in points])
    lon = np.array([p.lon for p in points])
    for area_id, poly in polygons.items():
        sel = area_ids == area_id
        assert shapely.contains_xy(poly, lon[sel], lat[sel]).all(), f"a point lies outside area {area_id}"
    for p in random.Random(3).sample(points, 500):
        assert p.h3_r8 == h3.latlng_to_cell(p.lat, p.lon, 8)
    assert area_rows and all(r == (None, None, None) for r in area_rows)


def _last_sunday(year: int, month: int) -> date:
    d = date(year, month + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.weekday() - 6) % 7)


def test_local_date_and_hour_are_the_stockholm_time_of_occurred_at_also_on_dst_days(demo_engine):
    today = date.fromisoformat(_info(demo_engine, "demo_today"))
    dst_days = [_last_sunday(y, m) for y in range(today.year - 5, today.year + 1) for m in (3, 10)]
    inc = Incident.__table__
    with demo_engine.connect() as conn:
        on_dst = conn.execute(select(inc.c.occurred_at, inc.c.occurred_date, inc.c.occurred_hour)
                              .where(inc.c.occurred_date.in_(dst_days))).all()
        sample = conn.execute(select(inc.c.occurred_at, inc.c.occurred_date, inc.c.occurred_hour)
                              .where(inc.c.id % 7 == 0)).all()
    assert len(on_dst) > 20
    for occurred_at, local_date, local_hour in [*on_dst, *sample]:
        local = occurred_at.astimezone(STOCKHOLM)
        assert (local.date(), local.hour) == (local_date, local_hour)


def test_the_emerging_hotspot_rises_clearly_above_its_baseline_in_the_last_eight_weeks(demo_engine):
    today = date.fromisoformat(_info(demo_engine, "demo_today"))
    facts = json.loads(_info(demo_engine, "demo_facts"))
    inc, cat = Incident.__table__, Category.__table__
    with demo_engine.connect() as conn:
        dates = conn.scalars(select(inc.c.occurred_date).join(cat, cat.c.id == inc.c.category_id)
                             .where(inc.c.place_id == facts["emerging_place_id"],
                                    cat.c.code.in_(facts["emerging_categories"]))).all()
    recent_start = today - timedelta(weeks=8) + timedelta(days=1)
    baseline_start = recent_start - timedelta(weeks=26)
    recent = sum(d >= recent_start for d in dates) / 8
    baseline = sum(baseline_start <= d < recent_start for d in dates) / 26
    assert recent > 3 * baseline, f"last 8 weeks {recent:.2f}/week vs baseline {baseline:.2f}/week"


def test_effective_actions_cut_their_categories_at_their_place_by_at_least_40_percent(demo_engine):
    today = date.fromisoformat(_info(demo_engine, "demo_today"))
    effective = json.loads(_info(demo_engine, "demo_effective_actions"))
    assert len(effective) >= 3
    inc, act, ac = Incident.__table__, Action.__table__, ActionCategory.__table__
    with demo_engine.connect() as conn:
        for action_id in effective:
            action = conn.execute(select(act).where(act.c.id == action_id)).one()
            categories = conn.scalars(select(ac.c.category_id).where(ac.c.action_id == action_id)).all()
            start = action.start_date
            length = min((today - start).days + 1, (start - data_start(today)).days)
            dates = conn.scalars(select(inc.c.occurred_date).where(inc.c.place_id == action.place_id,
                                                                   inc.c.category_id.in_(categories))).all()
            before = sum(start - timedelta(days=length) <= d < start for d in dates)
            after = sum(start <= d < start + timedelta(days=length) for d in dates)
            assert before > 0
            assert after <= 0.6 * before, f"{action.title}: {before} before, {after} after"


def test_one_area_feels_unsafe_with_few_incidents_and_one_is_busy_but_feels_safe(demo_engine):
    facts = json.loads(_info(demo_engine, "demo_facts"))
    inc, area, res, q = Incident.__table__, Area.__table__, SurveyResult.__table__, SurveyQuestion.__table__
    with demo_engine.connect() as conn:
        latest_survey = conn.scalar(select(func.max(res.c.survey_id)))
        unsafe = dict(conn.execute(select(area.c.code, res.c.value).join(res, res.c.area_id == area.c.id)
                                   .join(q, q.c.id == res.c.question_id)
                                   .where(q.c.code == "otrygg_kvall", res.c.survey_id == latest_survey)).all())
        incidents = dict(conn.execute(select(area.c.code, func.count()).join(inc, inc.c.area_id == area.c.id)
                                      .group_by(area.c.code)).all())
    median_unsafe = float(np.median(list(unsafe.values())))
    median_incidents = float(np.median(list(incidents.values())))
    calm, busy = facts["unsafe_calm_area"], facts["busy_safe_area"]
    assert unsafe[calm] == max(unsafe.values()) and incidents[calm] < median_incidents
    assert unsafe[busy] < median_unsafe and incidents[busy] > median_incidents


def test_loading_twice_is_refused_and_changes_nothing_and_force_reloads(engine):
    first = load_demo(engine, seed=5, today=FIXED_TODAY, scale=0.02)
    before = _table_counts(engine)
    with pytest.raises(DemoRefused, match="--force"):
        load_demo(engine, seed=5, today=FIXED_TODAY, scale=0.02)
    assert _table_counts(engine) == before
    assert _info(engine, "data_version") == "1"
    again = load_demo(engine, seed=5, today=FIXED_TODAY, scale=0.02, force=True)
    assert again == first
    assert _table_counts(engine) == before
    assert _info(engine, "data_version") == "2" and _info(engine, "demo") == "true"


def _add_real_incident(engine) -> None:
    with Session(engine) as session:
        org = Organisation(code="polisen", name="Polisen (riktig)", kind="polis")
        cat = Category(code="skadegorelse", label_sv="Skadegörelse", label_en="Vandalism", group="egendom")
        session.add_all([org, cat])
        session.flush()
        session.add(User(username="admin", display_name="Riktig admin", organisation_id=org.id, role="admin",
                         created_at=datetime(2025, 1, 1, tzinfo=timezone.utc)))
        session.add(Incident(source_org_id=org.id, external_id="2025-0001", category_id=cat.id,
                             occurred_at=datetime(2025, 5, 1, 20, tzinfo=timezone.utc),
                             occurred_date=date(2025, 5, 1), occurred_hour=22,
                             reported_at=datetime(2025, 5, 1, 21, tzinfo=timezone.utc)))
        session.commit()


def test_a_store_with_real_data_refuses_without_force_and_mixes_in_with_force(engine):
    _add_real_incident(engine)
    before = _table_counts(engine)
    with pytest.raises(DemoRefused, match="riktiga data"):
        load_demo(engine, seed=5, today=FIXED_TODAY, scale=0.02)
    assert _table_counts(engine) == before
    counts = load_demo(engine, seed=5, today=FIXED_TODAY, scale=0.02, force=True)
    after = _table_counts(engine)
    assert after["incident"] == 1 + counts["incident"]
    assert after["organisation"] == 7 and after["category"] == before["category"] + 13
    assert "admin" not in _usernames_created(engine)  # the real admin was kept, not duplicated
    assert _info(engine, "demo") == "false"


def _usernames_created(engine) -> list[str]:
    with engine.connect() as conn:
        users = User.__table__
        return conn.scalars(select(users.c.username).where(users.c.display_name.like("%(demo)"))).all()


@pytest.mark.parametrize("username, role", [("samordnare", "samordnare"), ("polis", "analytiker"),
                                            ("omradeschef", "medlem"), ("ombud", "rapportor"), ("lasare", "lasare"),
                                            ("admin", "admin")])
def test_every_role_has_a_demo_user_who_can_log_in_with_password_demo(tmp_path, username, role):
    eng = _fresh_store(tmp_path, "users.db")
    load_demo(eng, seed=5, today=FIXED_TODAY, scale=0.02)
    user = authenticate(eng, username=username, password="demo")
    assert user is not None and user.scope.role == role
    assert authenticate(eng, username=username, password="fel") is None
