"""The map's queries count real police.uk rows per H3 cell exactly as an independent binning with the h3 package
does, keep Swedish police events (placed only on an area) out of every cell and point, and show precise points
only to roles allowed precise locations."""
from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import h3
import pytest
from sqlalchemy import select, update

from data_layer.importers.registry import run_import_kind
from data_layer.models import Incident, Organisation
from data_layer.queries import map as mq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope
from tests.data_layer.importers.helpers import POLICE_OCTOBER, UK_CSV, load_events

UK_ROWS = 3000
JULY_2016 = IncidentFilter(start=date(2016, 7, 1), end=date(2016, 7, 31))
OCTOBER_2025 = IncidentFilter(start=date(2025, 10, 1), end=date(2025, 10, 31))


def _uk_subset(tmp_path):
    """The first UK_ROWS rows of the real West Yorkshire file, and their (lat, lon) read with csv alone."""
    with open(UK_CSV, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [row for _, row in zip(range(UK_ROWS), reader)]
    path = tmp_path / "uk.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    lat, lon = header.index("Latitude"), header.index("Longitude")
    return path, [(float(r[lat]), float(r[lon])) for r in rows if r[lat] and r[lon]]


def _scope(engine, role: str) -> Scope:
    with engine.connect() as conn:
        org = conn.execute(select(Organisation.id).order_by(Organisation.id)).scalars().first()
    return Scope(user_id=999_999, role=role, organisation_id=org)


@pytest.fixture
def uk_store(engine, tmp_path):
    path, points = _uk_subset(tmp_path)
    run_import_kind(engine, "police-uk-csv", path)
    run_import_kind(engine, "polisen-json", POLICE_OCTOBER)
    return engine, points


@pytest.mark.parametrize("resolution", mq.RESOLUTIONS)
def test_cell_counts_equal_an_independent_h3_binning_of_the_raw_rows(uk_store, resolution):
    engine, points = uk_store
    expected = Counter(h3.latlng_to_cell(lat, lon, resolution) for lat, lon in points)
    counts = mq.hex_counts(engine, scope=_scope(engine, "samordnare"), flt=JULY_2016, resolution=resolution)
    got = counts.groupby("cell")["count"].sum().to_dict()
    assert got == dict(expected)
    assert set(counts.columns) == set(mq.HEX_COLUMNS)


def test_police_events_are_counted_on_their_area_and_never_in_a_cell_or_a_point(uk_store):
    engine, _ = uk_store
    scope = _scope(engine, "samordnare")
    events = [e for e in load_events() if e["datetime"][:7] == "2025-10"]
    assert events, "the shared October file holds October events"
    for resolution in mq.RESOLUTIONS:
        assert mq.hex_counts(engine, scope=scope, flt=OCTOBER_2025, resolution=resolution).empty
        assert mq.hex_window_counts(engine, scope=scope, flt=OCTOBER_2025, resolution=resolution).empty
    assert mq.precise_points(engine, scope=scope, flt=OCTOBER_2025).empty
    with engine.connect() as conn:
        area_level = conn.execute(select(Incident.id).where(Incident.location_precision == "area",
                                                            Incident.area_id.is_not(None),
                                                            Incident.occurred_date.between(OCTOBER_2025.start,
                                                                                           OCTOBER_2025.end))).all()
    assert int(mq.area_level_counts(engine, scope=scope, flt=OCTOBER_2025)["count"].sum()) == len(area_level)


def test_precise_points_are_only_for_roles_allowed_precise_locations(uk_store):
    engine, points = uk_store
    assert len(mq.precise_points(engine, scope=_scope(engine, "samordnare"), flt=JULY_2016, limit=10_000)) \
        == len(points)
    assert mq.precise_points(engine, scope=_scope(engine, "lasare"), flt=JULY_2016).empty
    assert mq.precise_points(engine, scope=_scope(engine, "rapportor"), flt=JULY_2016).empty
    assert len(mq.precise_points(engine, scope=_scope(engine, "samordnare"), flt=JULY_2016, limit=7)) == 7


def test_a_sensitive_row_of_another_organisation_is_counted_in_its_cell_but_not_drawn_as_a_point(uk_store):
    engine, points = uk_store
    with engine.begin() as conn:
        uk_org = conn.execute(select(Incident.source_org_id).where(Incident.location_precision == "point")
                              ).scalars().first()
        other = conn.execute(select(Organisation.id).where(Organisation.id != uk_org)).scalars().first()
        first = conn.execute(select(Incident.id).where(Incident.source_org_id == uk_org)
                             .order_by(Incident.id)).scalars().first()
        conn.execute(update(Incident).where(Incident.id == first).values(sensitive=True))
    member = Scope(user_id=999_999, role="medlem", organisation_id=other)
    assert len(mq.precise_points(engine, scope=member, flt=JULY_2016, limit=10_000)) == len(points) - 1
    cells = mq.hex_counts(engine, scope=member, flt=JULY_2016, resolution=9)
    assert int(cells["count"].sum()) == len(points)


def test_the_panel_counts_of_a_cell_equal_the_raw_rows_in_it(uk_store):
    engine, points = uk_store
    scope = _scope(engine, "samordnare")
    cell, n = Counter(h3.latlng_to_cell(lat, lon, 8) for lat, lon in points).most_common(1)[0]
    weekly = mq.selection_weekly(engine, scope=scope, flt=JULY_2016, cell=cell, resolution=8)
    assert int(weekly["count"].sum()) == n
    rows = mq.selection_incidents(engine, scope=scope, flt=JULY_2016, cell=cell, resolution=8, limit=10_000)
    assert len(rows) == n
    assert all(h3.latlng_to_cell(lat, lon, 8) == cell for lat, lon in zip(rows["lat"], rows["lon"]))


def test_a_cell_at_a_resolution_that_is_not_stored_is_refused_in_swedish(uk_store):
    engine, _ = uk_store
    with pytest.raises(ValueError, match="H3-upplösning 10 finns inte"):
        mq.hex_counts(engine, scope=_scope(engine, "samordnare"), flt=JULY_2016, resolution=10)


def test_window_counts_put_each_row_in_the_last_4_weeks_the_12_before_or_last_year(engine):
    """Rows one day inside and one day outside each window edge, at one spot."""
    from data_layer.db import session_scope
    from data_layer.importers.rows import complete_row
    from data_layer.reference import ensure_categories

    end = date(2026, 3, 29)  # a Sunday at the spring daylight-saving change
    edges = {"recent": [end, end - timedelta(days=27)], "before": [end - timedelta(days=28),
                                                                    end - timedelta(days=111)],
             "last_year": [end - timedelta(weeks=52), end - timedelta(weeks=52, days=27)],
             "outside": [end + timedelta(days=1), end - timedelta(days=112), end - timedelta(weeks=52, days=28),
                         end - timedelta(weeks=52) + timedelta(days=1)]}
    with session_scope(engine) as s:
        cats = ensure_categories(s)
        org = Organisation(code="kommunen", name="Kommunen", kind="kommun")
        s.add(org)
        s.flush()
        n = 0
        for days in edges.values():
            for day in days:
                at = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
                s.add(Incident(**complete_row(dict(source_org_id=org.id, external_id=f"w{n}",
                                                   category_id=cats["klotter"], occurred_at=at, lat=57.65,
                                                   lon=14.70, location_precision="point"))))
                n += 1
    scope = Scope(user_id=1, role="samordnare", organisation_id=1)
    got = mq.hex_window_counts(engine, scope=scope, flt=IncidentFilter(start=end - timedelta(days=6), end=end),
                               resolution=9)
    assert got[["recent", "before", "last_year"]].iloc[0].tolist() == [2, 2, 2]
