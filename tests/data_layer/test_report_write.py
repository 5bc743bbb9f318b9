"""The report form's write and read-back: time windows, places by point, place or area, and an honest status."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import text

from data_layer.db import session_scope
from data_layer.importers.area_index import assign_areas
from data_layer.models import Action, ActionCategory, Area, Place
from data_layer.queries import incidents as q
from data_layer.reference import ensure_categories
from data_layer.scope import Scope
from tests.data_layer.factories import make_orgs_and_users

UTC = timezone.utc
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _square(west: float, south: float, east: float, north: float) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                           [west, north], [west, south]]]})


@pytest.fixture
def store(engine):
    """Two organisations with a user per role; a kommun split into two områden (west, east) and a named place."""
    ids = make_orgs_and_users(engine)
    with session_scope(engine) as s:
        kommun = Area(code="kommun", name="Kommunen", level="kommun", geometry=_square(14.60, 57.60, 14.80, 57.70))
        s.add(kommun)
        s.flush()
        west = Area(code="vast", name="Väster", level="omrade", parent_id=kommun.id,
                    geometry=_square(14.60, 57.60, 14.70, 57.70))
        east = Area(code="ost", name="Öster", level="omrade", parent_id=kommun.id,
                    geometry=_square(14.70, 57.60, 14.80, 57.70))
        s.add_all([west, east])
        s.flush()
        torget = Place(name="Torget", kind="torg", lat=57.65, lon=14.75, area_id=east.id)
        s.add(torget)
        s.flush()
        ids.update(kommun=kommun.id, vast=west.id, ost=east.id, torget=torget.id)
    return ids


def _scope(ids, name: str, role: str, org: str) -> Scope:
    return Scope(user_id=ids[name], role=role, organisation_id=ids[org])


def _reporter(ids) -> Scope:
    return _scope(ids, "rapportor_b", "rapportor", "org_b")


def _row(engine, incident_id: int):
    with engine.connect() as conn:
        return conn.execute(text("SELECT occurred_at, occurred_to, occurred_date, area_id, place_id, lat, lon, "
                                 "location_precision, h3_r8 FROM incident WHERE id = :i"), {"i": incident_id}).one()


def _report(engine, ids, **kwargs) -> int:
    kwargs.setdefault("occurred_at", datetime.now(UTC) - timedelta(hours=1))
    return q.create_incident(engine, scope=_reporter(ids), category_code=kwargs.pop("category_code", "klotter"),
                             **kwargs)


def _utc(value) -> datetime:
    """A stored instant as an aware UTC datetime (SQLite hands back text, PostgreSQL an aware datetime)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_a_time_window_is_stored_as_from_and_to_in_utc_with_the_local_start_date(engine, store):
    # Naive times are Stockholm's: 00:30 on New Year's Day is 23:30 UTC on New Year's Eve.
    new_id = _report(engine, store, occurred_at=datetime(2026, 1, 1, 0, 30), occurred_to=datetime(2026, 1, 1, 2, 0),
                     area_code="vast")
    row = _row(engine, new_id)
    assert str(row.occurred_date) == "2026-01-01"
    assert _utc(row.occurred_at) == datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert _utc(row.occurred_to) == datetime(2026, 1, 1, 1, 0, tzinfo=UTC)


def test_a_window_may_be_a_single_moment(engine, store):
    moment = datetime.now(UTC) - timedelta(days=1)
    assert _report(engine, store, occurred_at=moment, occurred_to=moment, area_code="vast")


def test_a_window_that_ends_before_it_starts_is_refused_in_swedish_and_nothing_is_stored(engine, store):
    start = datetime.now(UTC) - timedelta(hours=2)
    with pytest.raises(q.ReportError, match="Sluttiden måste vara samma som eller senare än starttiden"):
        _report(engine, store, occurred_at=start, occurred_to=start - timedelta(minutes=1), area_code="vast")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM incident")).scalar_one() == 0


def test_a_window_ending_in_the_future_is_refused(engine, store):
    with pytest.raises(q.ReportError, match="Sluttiden ligger i framtiden"):
        _report(engine, store, occurred_to=datetime.now(UTC) + timedelta(hours=1), area_code="vast")


def test_a_start_in_the_future_is_refused(engine, store):
    with pytest.raises(q.ReportError, match="Tidpunkten ligger i framtiden"):
        _report(engine, store, occurred_at=datetime.now(UTC) + timedelta(hours=1), area_code="vast")


@pytest.mark.parametrize("lat, lon", [(57.65, 14.65), (57.61, 14.79), (57.699, 14.701)])
def test_a_point_from_the_map_gets_the_area_an_imported_point_would_get(engine, store, lat, lon):
    new_id = _report(engine, store, lat=lat, lon=lon)
    row = _row(engine, new_id)
    assert row.area_id == assign_areas(engine, [(lat, lon)]).area_ids[0]
    assert row.area_id in (store["vast"], store["ost"])  # the finest level, never the kommun around them
    assert (row.location_precision, row.lat, row.lon) == ("point", lat, lon) and row.h3_r8


def test_a_point_just_outside_every_polygon_falls_back_to_the_nearest_area_like_the_importers(engine, store):
    lat, lon = 57.65, 14.805  # about 300 m east of the kommun's edge
    new_id = _report(engine, store, lat=lat, lon=lon)
    assert _row(engine, new_id).area_id == store["ost"] == assign_areas(engine, [(lat, lon)]).area_ids[0]


def test_a_point_outside_all_areas_is_refused_in_swedish_and_nothing_is_stored(engine, store):
    with pytest.raises(q.ReportError, match="utanför alla områden"):
        _report(engine, store, lat=59.33, lon=18.07)  # Stockholm, far from the kommun
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM incident")).scalar_one() == 0


def test_a_point_is_accepted_without_an_area_when_the_store_has_no_area_geometry(engine):
    ids = make_orgs_and_users(engine)
    new_id = _report(engine, ids, lat=59.33, lon=18.07)
    assert _row(engine, new_id).area_id is None


def test_a_named_place_gives_its_point_and_area(engine, store):
    row = _row(engine, _report(engine, store, place_id=store["torget"]))
    assert (row.place_id, row.area_id, row.lat, row.lon, row.location_precision) == (
        store["torget"], store["ost"], 57.65, 14.75, "point")


def test_an_area_alone_is_stored_with_area_precision_and_no_cells(engine, store):
    row = _row(engine, _report(engine, store, area_code="vast"))
    assert (row.area_id, row.location_precision, row.lat, row.h3_r8) == (store["vast"], "area", None, None)


def test_report_places_lists_each_place_with_its_coordinates_and_area(engine, store):
    places = q.report_places(engine)
    assert list(places.columns) == q.REPORT_PLACE_COLUMNS
    assert places.to_dict("records") == [{"id": store["torget"], "name": "Torget", "kind": "torg", "area_code": "ost",
                                          "lat": 57.65, "lon": 14.75}]


def _action(engine, ids, *, title: str, status: str, area: str | None, categories: tuple[str, ...]) -> None:
    now = datetime.now(UTC)
    with session_scope(engine) as s:
        cats = ensure_categories(s)
        action = Action(title=title, owner_org_id=ids["org_a"], status=status, area_id=ids[area] if area else None,
                        created_at=now, updated_at=now)
        s.add(action)
        s.flush()
        s.add_all([ActionCategory(action_id=action.id, category_id=cats[c]) for c in categories])


def _statuses(engine, ids) -> dict[str, tuple]:
    mine = q.my_recent_reports(engine, scope=_reporter(ids))
    def value(x):
        return None if pd.isna(x) else x
    return {d: (value(t), value(s)) for d, t, s in zip(mine["description"], mine["action_title"],
                                                       mine["action_status"])}


def test_my_reports_say_received_until_an_open_action_in_the_area_targets_the_category(engine, store):
    _report(engine, store, area_code="ost", description="klotter öster")
    _report(engine, store, area_code="vast", description="klotter väster")
    _report(engine, store, area_code="ost", category_code="stold", description="stöld öster")
    _action(engine, store, title="Klottersanering", status="klar", area="ost", categories=("klotter",))
    _action(engine, store, title="Fler vakter", status="föreslagen", area="ost", categories=("klotter",))
    _action(engine, store, title="Saneringsrunda", status="pågår", area="ost", categories=("klotter", "skadegorelse"))
    _action(engine, store, title="Utan område", status="pågår", area=None, categories=("stold",))
    assert _statuses(engine, store) == {
        "klotter öster": ("Saneringsrunda", "pågår"),  # pågår beats föreslagen; a finished action never counts
        "klotter väster": (None, None),  # another area
        "stöld öster": (None, None),  # another category; an action without an area is no area's action
    }


def test_an_open_action_for_the_parent_area_answers_reports_in_its_parts(engine, store):
    _report(engine, store, area_code="vast", description="väster")
    _action(engine, store, title="Hela kommunen", status="beslutad", area="kommun", categories=("klotter",))
    assert _statuses(engine, store) == {"väster": ("Hela kommunen", "beslutad")}


def test_my_reports_carry_the_window_end_and_the_place_name(engine, store):
    start = datetime.now(UTC) - timedelta(hours=3)
    _report(engine, store, occurred_at=start, occurred_to=start + timedelta(hours=1), place_id=store["torget"])
    mine = q.my_recent_reports(engine, scope=_reporter(store))
    assert list(mine.columns) == q.MY_REPORT_COLUMNS
    row = mine.iloc[0]
    assert row["place_name"] == "Torget" and row["area_name"] == "Öster"
    assert (row["occurred_to"] - row["occurred_at"]) == timedelta(hours=1)


def test_my_reports_are_only_my_own(engine, store):
    _report(engine, store, area_code="vast", description="mitt")
    q.create_incident(engine, scope=_scope(store, "samordnare", "samordnare", "org_a"), category_code="klotter",
                      occurred_at=datetime.now(UTC), area_code="vast", description="någon annans")
    assert list(q.my_recent_reports(engine, scope=_reporter(store))["description"]) == ["mitt"]
    assert q.my_recent_reports(engine, scope=_scope(store, "lasare", "lasare", "org_a")).empty
