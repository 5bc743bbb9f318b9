"""The report form's map: tappable cells cover an area and no more, the view fits a phone, the deck has the layers
the form reads selections from."""
from __future__ import annotations

import json

import h3
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from ui import report_map as rm

# Two neighbouring 2 × 1.1 km areas inside a kommun, like the demo's områden.
WEST = box(14.66, 57.64, 14.69, 57.65)
EAST = box(14.69, 57.64, 14.72, 57.65)
KOMMUN = box(14.66, 57.64, 14.72, 57.65)


def areas_frame() -> pd.DataFrame:
    rows = [("K", "Kommunen", "kommun", None, KOMMUN), ("W", "Väster", "omrade", "K", WEST),
            ("E", "Öster", "omrade", "K", EAST), ("N", "Utan gräns", "omrade", "K", None)]
    return pd.DataFrame([{"code": c, "name": n, "level": lv, "parent_code": p,
                          "geometry": json.dumps(shapely.geometry.mapping(g)) if g is not None else None,
                          "centroid_lat": g.centroid.y if g is not None else None,
                          "centroid_lon": g.centroid.x if g is not None else None}
                         for c, n, lv, p, g in rows])


def test_leaf_areas_are_the_finest_areas_with_a_geometry_by_name():
    assert list(rm.leaf_areas(areas_frame())["code"]) == ["W", "E"]  # Väster, Öster; N has no geometry


def test_leaf_areas_within_an_area_are_its_descendants_only():
    frame = areas_frame()
    assert list(rm.leaf_areas(frame, within="K")["code"]) == ["W", "E"]
    assert list(rm.leaf_areas(frame, within="W")["code"]) == ["W"]
    assert rm.leaf_areas(frame, within="nowhere").empty


def test_cells_cover_the_area_with_their_centres_inside_it():
    cells = rm.area_cells(WEST)
    assert cells and cells == sorted(set(cells))
    assert all(h3.get_resolution(c) == rm.CELL_RES for c in cells)
    assert all(WEST.contains(shapely.Point(lon, lat)) for lat, lon in map(h3.cell_to_latlng, cells))
    assert 0.9 < len(cells) / rm.estimated_cells(WEST) < 1.1  # the estimate that caps the drawing is close


def test_an_area_too_big_for_finger_sized_cells_gets_none():
    assert rm.area_cells(box(14.0, 57.0, 15.0, 58.0)) is None  # a whole county
    assert rm.area_cells(WEST, max_cells=10) is None


def test_the_cell_centre_is_the_point_that_is_saved_and_its_accuracy_is_centre_to_corner():
    cell = h3.latlng_to_cell(57.645, 14.675, rm.CELL_RES)
    lat, lon = rm.cell_centre(cell)
    assert h3.latlng_to_cell(lat, lon, rm.CELL_RES) == cell
    corners = [h3.great_circle_distance((lat, lon), c, unit="m") for c in h3.cell_to_boundary(cell)]
    assert rm.cell_radius_m(cell) == pytest.approx(max(corners), abs=0.5)  # centre rounded to 0.1 m
    assert rm.accuracy_m(cell) == 70  # what the form promises in southern Sweden: "cirka 70 m"


@pytest.mark.parametrize("shape", [WEST, KOMMUN, box(14.0, 57.0, 14.001, 57.001)])
def test_the_view_shows_the_whole_shape_on_a_phone_and_its_centre_lies_inside(shape):
    view = rm.fit_view(shape)
    assert shape.contains(shapely.Point(view.longitude, view.latitude))
    metres = rm.metres_per_pixel(view.latitude, view.zoom)
    west, south, east, north = shape.bounds
    width_m = (east - west) * 111_320 * 0.535
    assert width_m / metres <= rm.PHONE_MAP_WIDTH
    assert view.zoom <= 17


def test_a_u_shaped_area_is_centred_on_a_point_inside_it_not_in_its_gap():
    u_shape = box(0, 0, 3, 3).difference(box(1, 1, 2, 3))
    view = rm.fit_view(u_shape)
    assert u_shape.contains(shapely.Point(view.longitude, view.latitude))


def _layers(deck) -> dict[str, dict]:
    return {layer["id"]: layer for layer in json.loads(deck.to_json())["layers"]}


def test_without_an_area_the_deck_offers_the_areas_to_tap_with_their_names():
    frame = areas_frame()
    layers = _layers(rm.report_deck(tap_areas=rm.leaf_areas(frame), area_row=None, cells=None,
                                    places=pd.DataFrame(columns=["id", "name", "lat", "lon"]), picked=None,
                                    map_provider=None))
    assert set(layers) == {"areas", "area_names"}
    assert layers["areas"]["pickable"] is True and layers["area_names"]["pickable"] is False
    assert [f["properties"]["code"] for f in layers["areas"]["data"]["features"]] == ["W", "E"]
    assert layers["area_names"]["characterSet"] == "auto"  # å, ä, ö drawn without a font download


def test_with_an_area_the_deck_offers_its_cells_and_places_and_draws_the_picked_cell_on_top():
    frame = areas_frame()
    row = frame.set_index("code").loc["W"].to_dict() | {"code": "W"}
    cells = rm.area_cells(WEST)
    places = pd.DataFrame([{"id": 7, "name": "Torget", "lat": 57.645, "lon": 14.675}])
    deck = rm.report_deck(tap_areas=None, area_row=row, cells=cells, places=places, picked=cells[0],
                          picked_place=7, map_provider=None)
    layers = _layers(deck)
    assert list(layers) == ["outline", "cells", "places", "place_names", "picked_place", "picked"]
    assert layers["picked_place"]["data"][0]["id"] == 7
    assert layers["cells"]["pickable"] and layers["places"]["pickable"] and not layers["picked"]["pickable"]
    assert [c["cell"] for c in layers["cells"]["data"]] == cells
    assert layers["places"]["data"] == [{"id": 7, "name": "Torget", "lat": 57.645, "lon": 14.675}]
    assert layers["picked"]["data"][0]["cell"] == cells[0]
    assert json.loads(deck.to_json()).get("mapProvider") is None  # no basemap tiles: works offline
