"""Retention: what is due per category matches a hand count, running it coarsens exactly the due rows (counts per
area, day and 1.2 km cell stay), deletes where a rule says so, is audited without text, and a dry run changes nothing."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from data_layer.__main__ import main
from data_layer.db import session_scope
from data_layer.models import Area, AuditLog, Incident, Place, RetentionRule, StoreInfo
from data_layer.reference import ensure_categories
from data_layer.retention import RetentionRefused, apply, due, months_before, rules, set_rule
from data_layer.scope import Scope
from tests.data_layer.factories import make_orgs_and_users

TODAY = date(2026, 11, 24)
SECRET = "Hemlig text om Kalle"

# (category, occurred_date, already coarse?) — the comments give each row's fate on TODAY with the rules below:
# skadegorelse: default 24 months (cutoff 2024-11-24); oro_nara_relation: sensitive default 12 (2025-11-24);
# klotter: own rule, coarsen after 6 (2026-05-24), delete after 36 (2023-11-24).
ROWS = [
    ("skadegorelse", date(2024, 11, 23), False),  # coarsen
    ("skadegorelse", date(2024, 11, 24), False),  # keep: on the cutoff
    ("skadegorelse", date(2023, 1, 1), False),    # coarsen
    ("skadegorelse", date(2025, 6, 1), False),    # keep
    ("skadegorelse", date(2022, 1, 1), True),     # keep: already coarse
    ("oro_nara_relation", date(2025, 11, 23), False),  # coarsen
    ("oro_nara_relation", date(2025, 12, 1), False),   # keep
    ("klotter", date(2023, 11, 23), False),  # delete
    ("klotter", date(2023, 11, 24), False),  # coarsen (not old enough to delete)
    ("klotter", date(2026, 5, 23), False),   # coarsen
    ("klotter", date(2026, 5, 24), False),   # keep
]
EXPECTED = {"skadegorelse": (2, 0), "oro_nara_relation": (1, 0), "klotter": (2, 1)}


def _store(engine, *, klotter_rule: bool = True) -> dict[str, int]:
    ids = make_orgs_and_users(engine)
    with session_scope(engine) as session:
        categories = ensure_categories(session)
        area = Area(code="A1", name="Centrum", level="omrade")
        session.add(area)
        session.flush()
        place = Place(name="Torget", kind="torg", lat=57.65, lon=14.69, area_id=area.id)
        session.add(place)
        session.flush()
        for n, (code, day, coarse) in enumerate(ROWS):
            at = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
            session.add(Incident(
                source_org_id=ids["org_a"], external_id=f"r{n}", category_id=categories[code], occurred_at=at,
                occurred_date=day, occurred_hour=13, reported_at=at, area_id=area.id, h3_r7=f"87{n % 2}",
                lat=None if coarse else 57.65, lon=None if coarse else 14.69,
                location_precision="area" if coarse else "point", place_id=None if coarse else place.id,
                description=None if coarse else f"{SECRET} {n}",
                h3_r8=None if coarse else f"88{n}", h3_r9=None if coarse else f"89{n}"))
        if klotter_rule:
            session.add(RetentionRule(category_id=categories["klotter"], coarsen_after_months=6,
                                      delete_after_months=36, updated_at=datetime.now(timezone.utc)))
    ids["area"] = area.id
    return ids


def _all_rows(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        return {r.external_id: tuple(r) for r in conn.execute(select(Incident).order_by(Incident.id))}


def _admin(ids) -> Scope:
    return Scope(user_id=ids["admin"], role="admin", organisation_id=ids["org_a"])


def test_months_before_keeps_the_day_or_takes_the_shorter_months_last_day():
    assert months_before(date(2026, 11, 24), 24) == date(2024, 11, 24)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_categories_without_a_rule_follow_the_defaults_and_sensitive_ones_are_coarsened_sooner(engine):
    _store(engine, klotter_rule=False)
    by_code = {r.category_code: r for r in rules(engine)}
    assert (by_code["skadegorelse"].coarsen_after_months, by_code["skadegorelse"].delete_after_months) == (24, None)
    assert by_code["oro_nara_relation"].coarsen_after_months == 12
    assert not any(r.own for r in by_code.values())


def test_due_counts_equal_the_hand_count_per_category(engine):
    _store(engine)
    counts = {d.rule.category_code: (d.to_coarsen, d.to_delete) for d in due(engine, today=TODAY)}
    assert {code: c for code, c in counts.items() if c != (0, 0)} == EXPECTED
    klotter = next(d for d in due(engine, today=TODAY) if d.rule.category_code == "klotter")
    assert (klotter.coarsen_before, klotter.delete_before) == (date(2026, 5, 24), date(2023, 11, 24))


def test_apply_coarsens_exactly_the_due_rows_and_keeps_counts_per_area_day_and_r7_cell(engine):
    ids = _store(engine, klotter_rule=False)
    before = _all_rows(engine)

    def counts():
        with engine.connect() as conn:
            return sorted(conn.execute(select(Incident.area_id, Incident.occurred_date, Incident.category_id,
                                              Incident.h3_r7, func.count()).group_by(
                Incident.area_id, Incident.occurred_date, Incident.category_id, Incident.h3_r7)).all())

    counts_before = counts()
    done = apply(engine, today=TODAY, scope=_admin(ids))
    # without klotter's own rule its two rows from 2023 follow the 24-month default
    assert done == {"skadegorelse": {"coarsened": 2, "deleted": 0}, "oro_nara_relation": {"coarsened": 1, "deleted": 0},
                    "klotter": {"coarsened": 2, "deleted": 0}}
    after = _all_rows(engine)
    due_ids = {"r0", "r2", "r5", "r7", "r8"}
    assert set(after) == set(before)
    assert {k for k in after if after[k] != before[k]} == due_ids
    with engine.connect() as conn:
        coarsened = conn.execute(select(Incident).where(Incident.external_id.in_(due_ids))).all()
    for row in coarsened:
        assert (row.description, row.lat, row.lon, row.place_id, row.h3_r8, row.h3_r9) == (None,) * 6
        assert (row.location_precision, row.area_id, row.h3_r7) == ("area", ids["area"], before[row.external_id][
            list(Incident.__table__.columns.keys()).index("h3_r7")])
    assert counts() == counts_before
    assert [d for d in due(engine, today=TODAY) if d.to_coarsen or d.to_delete] == []


def test_apply_deletes_where_a_rule_says_so_and_writes_one_audit_entry_without_text(engine):
    ids = _store(engine)
    apply(engine, today=TODAY, scope=_admin(ids))
    rows = _all_rows(engine)
    assert "r7" not in rows and len(rows) == len(ROWS) - 1
    assert rows["r8"][list(Incident.__table__.columns.keys()).index("description")] is None
    with engine.connect() as conn:
        audit = conn.execute(select(AuditLog).where(AuditLog.object_type == "retention")).all()
    assert len(audit) == 1
    detail = json.loads(audit[0].detail)
    assert (detail["coarsened"], detail["deleted"]) == (5, 1)
    assert detail["by_category"]["klotter"] == [2, 1]
    assert audit[0].user_id == ids["admin"] and SECRET not in audit[0].detail


def test_a_dry_run_from_the_command_line_changes_nothing_and_apply_does(engine, capsys):
    _store(engine)
    url = engine.url.render_as_string(hide_password=False)
    before = _all_rows(engine)
    assert main(["--db", url, "retention", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "klotter" in out and "förhandsvisning" in out
    assert _all_rows(engine) == before
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditLog)).scalar_one() == 0
        version = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")).scalar_one_or_none()
    assert main(["--db", url, "retention", "--today", TODAY.isoformat(), "--apply"]) == 0
    assert "5 händelser gallrade, 1 raderade" in capsys.readouterr().out
    assert len(_all_rows(engine)) == len(ROWS) - 1
    with engine.connect() as conn:
        assert conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")).scalar_one() != version


@pytest.mark.parametrize("role", ["samordnare", "analytiker", "medlem_a", "lasare"])
def test_only_administrators_may_run_or_change_retention(engine, role):
    ids = _store(engine)
    from data_layer.models import User

    with engine.connect() as conn:
        user_role = conn.execute(select(User.role).where(User.id == ids[role])).scalar_one()
    scope = Scope(user_id=ids[role], role=user_role, organisation_id=ids["org_a"])
    before = _all_rows(engine)
    with pytest.raises(RetentionRefused):
        apply(engine, today=TODAY, scope=scope)
    with pytest.raises(RetentionRefused):
        set_rule(engine, scope=scope, category_code="skadegorelse", coarsen_after_months=1, delete_after_months=None)
    assert _all_rows(engine) == before


def test_a_rule_is_stored_audited_and_checked(engine):
    ids = _store(engine)
    set_rule(engine, scope=_admin(ids), category_code="skadegorelse", coarsen_after_months=36, delete_after_months=60)
    rule = next(r for r in rules(engine) if r.category_code == "skadegorelse")
    assert (rule.coarsen_after_months, rule.delete_after_months, rule.own) == (36, 60, True)
    with engine.connect() as conn:
        assert conn.execute(select(AuditLog.object_id).where(AuditLog.object_type == "retentionrule")
                            ).scalar_one() == "skadegorelse"
    for coarsen, remove in ((0, None), (24, 12), (None, 1201)):
        with pytest.raises(RetentionRefused):
            set_rule(engine, scope=_admin(ids), category_code="skadegorelse", coarsen_after_months=coarsen,
                     delete_after_months=remove)
    with pytest.raises(RetentionRefused, match="ingen kategori"):
        set_rule(engine, scope=None, category_code="finns_inte", coarsen_after_months=12, delete_after_months=None)


def test_the_rollups_agree_with_the_rows_after_coarsening_and_deletion(engine):
    from data_layer import rollups

    ids = _store(engine)
    rollups.rebuild(engine)
    apply(engine, today=TODAY, scope=_admin(ids))
    assert rollups.check(engine) == []


def test_a_point_outside_every_area_becomes_unplaced_but_keeps_its_r7_cell(engine):
    _store(engine, klotter_rule=False)
    with session_scope(engine) as session:
        session.execute(Incident.__table__.update().where(Incident.external_id == "r0").values(area_id=None))
    apply(engine, today=TODAY, scope=None)
    with engine.connect() as conn:
        row = conn.execute(select(Incident).where(Incident.external_id == "r0")).one()
    assert (row.location_precision, row.area_id, row.h3_r7, row.lat) == ("none", None, "870", None)
    with engine.connect() as conn:
        assert conn.execute(select(AuditLog.user_id).where(AuditLog.object_type == "retention")).scalar_one() is None
