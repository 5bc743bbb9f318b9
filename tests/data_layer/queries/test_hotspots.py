"""The one hotspot computation: on the demo store it picks the map's cell size for the forum's extent and marks the
demo's emerging hotspot (Lundenparken) as new, so the map, the agenda and the reports name the same place."""
from __future__ import annotations

import json
from datetime import timedelta

import h3
from sqlalchemy import text

from analysis import hotspots
from analysis.periods import today_stockholm
from data_layer.queries import reference
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.hotspots import hotspot_cells
from data_layer.reports.figures import hotspot_table
from data_layer.scope import Scope


def test_the_demos_emerging_hotspot_is_new_at_the_maps_cell_size_and_in_the_report(demo_engine):
    with demo_engine.connect() as conn:
        facts = json.loads(conn.execute(text("SELECT value FROM storeinfo WHERE key = 'demo_facts'")).scalar_one())
        lat, lon = conn.execute(text("SELECT lat, lon FROM place WHERE id = :i"),
                                {"i": facts["emerging_place_id"]}).one()
    today = today_stockholm()
    flt = IncidentFilter(start=today - timedelta(days=27), end=today)
    scope = Scope(user_id=1, role="samordnare", organisation_id=1)
    resolution = hotspots.default_resolution(hotspots.study_polygons(reference.areas(demo_engine)))
    cells = hotspot_cells(demo_engine, scope=scope, flt=flt)
    assert {h3.get_resolution(c) for c in cells["cell"]} == {resolution}
    around = set(h3.grid_disk(h3.latlng_to_cell(lat, lon, resolution), 1))
    assert "ny" in set(cells[cells["cell"].isin(around)]["trend"])
    _, trend_counts = hotspot_table(demo_engine, scope=scope, flt=flt)
    assert trend_counts.get("ny", 0) >= 1
