"""The report form's map: which areas or cells to draw, the view that fits them on a phone, and the pydeck deck.

Pure functions (no Streamlit): the form in ui/report_form.py decides what is chosen; this module only draws it.
pydeck's selection returns picked objects, not coordinates, so every tap target is an object: an area polygon
(to zoom in), an H3 resolution-10 cell (its centre becomes the point) or a named place.
"""
from __future__ import annotations

import json
import math

import h3
import pandas as pd
import pydeck as pdk
import shapely
from shapely.geometry import shape

from analysis.hotspots import fit_zoom
from ui.i18n import t
from ui.maps import area_features

CELL_RES = 10  # H3 resolution of the map's click targets
MAX_CELLS = 2_500  # above this an area is too big to cover with tappable cells (and too slow to draw)
MIN_CELL_PX = 12  # narrower cells cannot be hit by a finger; the reporter zooms to a smaller area first
MAP_HEIGHT = 340
PHONE_MAP_WIDTH = 335  # the map's width at 375 px: the view is fitted to this, so a phone sees the whole area
FALLBACK_VIEW = pdk.ViewState(latitude=57.65, longitude=14.69, zoom=10)

def leaf_areas(areas: pd.DataFrame, within: str | None = None) -> pd.DataFrame:
    """Areas with a geometry that no other area names as its parent (the finest a reporter can tap), by name;
    with `within`, only those inside that area (itself, its children, their children …)."""
    parents = set(areas["parent_code"].dropna())
    has_geometry = areas["geometry"].map(lambda g: isinstance(g, str) and bool(g))
    leaves = areas[has_geometry & ~areas["code"].isin(parents)].sort_values("name", kind="stable")
    if within is None:
        return leaves
    parent_of = dict(zip(areas["code"], areas["parent_code"]))

    def inside(code) -> bool:
        seen = set()
        while isinstance(code, str) and code not in seen:
            if code == within:
                return True
            seen.add(code)
            code = parent_of.get(code)
        return False

    return leaves[leaves["code"].map(inside)]


def geometry_of(text: str | None):
    """A shapely geometry from GeoJSON text, or None when there is none or it cannot be read."""
    if not isinstance(text, str) or not text:
        return None
    try:
        geom = shape(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return geom if geom.is_valid else shapely.make_valid(geom)


def _local_cell(geom) -> str:
    centre = geom.centroid
    return h3.latlng_to_cell(centre.y, centre.x, CELL_RES)


def estimated_cells(geom) -> int:
    """Roughly how many resolution-10 cells cover `geom` (its area over the area of a cell at its centre)."""
    lat = geom.centroid.y
    square_m = geom.area * 110_574.0 * 111_320.0 * math.cos(math.radians(lat))
    return math.ceil(square_m / h3.cell_area(_local_cell(geom), "m^2"))


def cell_radius_m(cell: str) -> float:
    """The farthest a place inside `cell` lies from its centre (centre to corner), in metres."""
    centre = h3.cell_to_latlng(cell)
    return max(h3.great_circle_distance(centre, corner, unit="m") for corner in h3.cell_to_boundary(cell))


def accuracy_m(cell: str) -> int:
    """How precisely a point saved as `cell`'s centre is known, rounded to 5 m for the reporter ("cirka 70 m")."""
    return 5 * round(cell_radius_m(cell) / 5)


def metres_per_pixel(lat: float, zoom: float) -> float:
    """Ground metres per screen pixel in deck.gl's web-mercator view (512 px world at zoom 0)."""
    return 40_075_016.7 * math.cos(math.radians(lat)) / (512 * 2 ** zoom)


def area_cells(geom, *, max_cells: int = MAX_CELLS, min_cell_px: float = MIN_CELL_PX) -> list[str] | None:
    """The resolution-10 cells whose centres lie in `geom`, sorted; None when the area is too big for tappable cells
    (more than `max_cells`, or cells narrower than `min_cell_px` when the whole area fits a phone's map)."""
    if geom is None or geom.is_empty or estimated_cells(geom) > max_cells:
        return None
    view = fit_view(geom)
    width_m = math.sqrt(3) * cell_radius_m(_local_cell(geom))  # across the flat sides
    if width_m / metres_per_pixel(view.latitude, view.zoom) < min_cell_px:
        return None
    polygons = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type in ("Polygon", "MultiPolygon")]
    cells: set[str] = set()
    for polygon in polygons:
        cells.update(h3.geo_to_cells(polygon, CELL_RES))
    return sorted(cells)


def cell_centre(cell: str) -> tuple[float, float]:
    """(lat, lon) of a cell's centre, rounded to 6 decimals (about 0.1 m)."""
    lat, lon = h3.cell_to_latlng(cell)
    return round(lat, 6), round(lon, 6)


def fit_view(geom, *, width_px: int = PHONE_MAP_WIDTH, height_px: int = MAP_HEIGHT) -> pdk.ViewState:
    """A view centred on a point inside `geom` at the largest zoom that shows all of it in width × height pixels."""
    west, south, east, north = geom.bounds
    inside = geom.representative_point()
    zoom = fit_zoom(geom.bounds, width_px=width_px, height_px=height_px)
    # Centre on the bounding box, but never outside the shape (a U-shaped area): a tap in the middle hits it.
    centre = shapely.Point((west + east) / 2, (south + north) / 2)
    if not geom.contains(centre):
        centre = inside
    return pdk.ViewState(latitude=centre.y, longitude=centre.x, zoom=zoom)


def _records(cells: list[str], name: str) -> list[dict]:
    return [{"cell": c, "name": name} for c in cells]


def _place_records(places: pd.DataFrame) -> list[dict]:
    return [{"id": int(r.id), "name": str(r.name), "lat": float(r.lat), "lon": float(r.lon)}
            for r in places.itertuples()]


def report_deck(*, tap_areas: pd.DataFrame | None, area_row: dict | None, cells: list[str] | None,
                places: pd.DataFrame, picked: str | None, map_provider: str | None,
                picked_place: int | None = None) -> pdk.Deck:
    """The place picker: areas to tap (to zoom in), or one area's cells and named places to tap (to pick)."""
    layers = []
    # pydeck turns string props into accessors unless quoted: "'auto'" is the literal "auto" (å, ä, ö included)
    text = {"get_text": "name", "get_position": "[lon, lat]", "get_size": 13, "get_color": [26, 26, 26, 255],
            "character_set": "'auto'", "font_family": "'sans-serif'", "font_weight": "'bold'",
            "word_break": "'break-word'", "max_width": 9, "background": True,
            "get_background_color": [255, 255, 255, 230], "background_padding": [3, 2],
            "get_text_anchor": "'middle'", "get_alignment_baseline": "'center'"}
    if area_row is not None:
        layers.append(pdk.Layer("GeoJsonLayer", id="outline", data=area_features(pd.DataFrame([area_row]), {}),
                                pickable=False, stroked=True, filled=False, get_line_color=[11, 79, 138, 255],
                                line_width_min_pixels=3))
    if tap_areas is not None and len(tap_areas):
        layers.append(pdk.Layer("GeoJsonLayer", id="areas", data=area_features(tap_areas, {}), pickable=True,
                                auto_highlight=True, stroked=True, filled=True, get_fill_color=[11, 79, 138, 30],
                                get_line_color=[11, 79, 138, 230], line_width_min_pixels=2,
                                highlight_color=[11, 79, 138, 90]))
        labels = [{"name": str(r.name), "lat": float(r.centroid_lat), "lon": float(r.centroid_lon)}
                  for r in tap_areas.itertuples() if pd.notna(r.centroid_lat) and pd.notna(r.centroid_lon)]
        layers.append(pdk.Layer("TextLayer", id="area_names", data=labels, pickable=False, **text))
    if cells:
        layers.append(pdk.Layer("H3HexagonLayer", id="cells", data=_records(cells, t("report.map_cell")),
                                pickable=True, auto_highlight=True, high_precision=True, stroked=True, filled=True,
                                extruded=False, get_hexagon="cell", get_fill_color=[11, 79, 138, 18],
                                get_line_color=[11, 79, 138, 70], line_width_min_pixels=1,
                                highlight_color=[11, 79, 138, 110]))
    if len(places):
        records = _place_records(places)
        layers.append(pdk.Layer("ScatterplotLayer", id="places", data=records, pickable=True, auto_highlight=True,
                                get_position="[lon, lat]", get_radius=25, radius_units="'meters'",
                                radius_min_pixels=9, radius_max_pixels=16, stroked=True,
                                get_fill_color=[230, 120, 0, 240], get_line_color=[26, 26, 26, 255],
                                line_width_min_pixels=2))
        layers.append(pdk.Layer("TextLayer", id="place_names", data=records, pickable=False,
                                **{**text, "get_size": 12, "get_pixel_offset": [0, -22]}))
    chosen = places[places["id"] == picked_place] if picked_place is not None else places[:0]
    if len(chosen):  # a ring around the chosen place, above its label
        layers.append(pdk.Layer("ScatterplotLayer", id="picked_place", data=_place_records(chosen), pickable=False,
                                get_position="[lon, lat]", get_radius=40, radius_units="'meters'",
                                radius_min_pixels=15, stroked=True, filled=False, get_line_color=[11, 79, 138, 255],
                                line_width_min_pixels=4))
    if picked:  # last, so no label covers it
        layers.append(pdk.Layer("H3HexagonLayer", id="picked", data=_records([picked], t("report.map_picked")),
                                pickable=False, high_precision=True, stroked=True, filled=True, extruded=False,
                                get_hexagon="cell", get_fill_color=[11, 79, 138, 235],
                                get_line_color=[255, 255, 255, 255], line_width_min_pixels=3))
    shown = [geometry_of(area_row["geometry"])] if area_row is not None else []
    if not shown and tap_areas is not None:
        shown = [g for g in tap_areas["geometry"].map(geometry_of) if g is not None]
    view = fit_view(shapely.union_all(shown)) if shown else FALLBACK_VIEW
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=map_provider,
                    map_style="light" if map_provider else None, tooltip={"text": "{name}"})


