"""Geometry of the fictional demo municipality: area polygons, place points and points sampled inside areas.

Everything is laid out in kilometres around a real Swedish town centre and converted to WGS84 rounded to six
decimals; containment is always checked against the rounded polygons, which are exactly what the store holds.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping

from data_layer.demo_text import AREAS, OUTLINE_KM, PLACES

LAT0 = 57.653
LON0 = 14.696
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(LAT0))
DECIMALS = 6


@dataclass(frozen=True)
class AreaGeo:
    """One area's rounded polygon (lon/lat), its centroid and GeoJSON text."""

    key: str
    polygon: Polygon
    centroid_lat: float
    centroid_lon: float
    geojson: str


@dataclass(frozen=True)
class PlaceGeo:
    """One place's rounded point and the key of the area that contains it."""

    key: str
    area_key: str
    lat: float
    lon: float


def km_to_lonlat(x_km, y_km):
    """Convert local kilometre offsets (east, north) to (lon, lat) degrees, rounded to six decimals."""
    lon = np.round(LON0 + np.asarray(x_km, dtype=float) / KM_PER_DEG_LON, DECIMALS)
    lat = np.round(LAT0 + np.asarray(y_km, dtype=float) / KM_PER_DEG_LAT, DECIMALS)
    return lon, lat


def _to_lonlat_polygon(poly_km: Polygon) -> Polygon:
    xs, ys = np.asarray(poly_km.exterior.coords).T
    lon, lat = km_to_lonlat(xs, ys)
    return Polygon(list(zip(lon.tolist(), lat.tolist())))


def _geojson(poly: Polygon) -> str:
    return json.dumps(mapping(poly), separators=(",", ":"))


def build_areas() -> tuple[AreaGeo, list[AreaGeo]]:
    """Return the municipality outline and its child areas (Voronoi cells of hand-laid seeds clipped to the outline)."""
    outline_km = Polygon(OUTLINE_KM)
    seeds = MultiPoint([a.seed_km for a in AREAS])
    cells = shapely.voronoi_polygons(seeds, extend_to=outline_km.buffer(5.0))
    children = []
    for spec in AREAS:
        cell = next(c for c in cells.geoms if c.contains(Point(spec.seed_km)))
        clipped = shapely.normalize(cell.intersection(outline_km))
        if clipped.geom_type != "Polygon":
            raise RuntimeError(f"demo area {spec.key} is not a single polygon")
        children.append(_area_geo(spec.key, _to_lonlat_polygon(clipped)))
    outline = shapely.normalize(shapely.union_all([c.polygon for c in children]))
    if outline.geom_type != "Polygon":
        outline = _to_lonlat_polygon(outline_km)
    return _area_geo("DEMO", outline), children


def _area_geo(key: str, poly: Polygon) -> AreaGeo:
    shapely.prepare(poly)
    c = poly.centroid
    return AreaGeo(key=key, polygon=poly, centroid_lat=round(c.y, DECIMALS), centroid_lon=round(c.x, DECIMALS),
                   geojson=_geojson(poly))


def build_places(areas: list[AreaGeo]) -> list[PlaceGeo]:
    """Return every place at its rounded point; raises if a hand-laid place falls outside its area."""
    by_key = {a.key: a for a in areas}
    seed_of = {a.key: a.seed_km for a in AREAS}
    out = []
    for spec in PLACES:
        sx, sy = seed_of[spec.area]
        lon, lat = km_to_lonlat(sx + spec.offset_km[0], sy + spec.offset_km[1])
        if not by_key[spec.area].polygon.contains(Point(float(lon), float(lat))):
            raise RuntimeError(f"demo place {spec.key} lies outside {spec.area}")
        out.append(PlaceGeo(key=spec.key, area_key=spec.area, lat=float(lat), lon=float(lon)))
    return out


def inside(poly: Polygon, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Vectorised strict containment of points in a (prepared) polygon."""
    return shapely.contains_xy(poly, lon, lat)


def sample_in_area(rng: np.random.Generator, area: AreaGeo, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return n rounded points drawn uniformly inside the area polygon (rejection sampling on its bounding box)."""
    minx, miny, maxx, maxy = area.polygon.bounds
    lon_out = np.empty(n)
    lat_out = np.empty(n)
    filled = 0
    while filled < n:
        k = max(64, int((n - filled) * 1.6))
        lon = np.round(rng.uniform(minx, maxx, k), DECIMALS)
        lat = np.round(rng.uniform(miny, maxy, k), DECIMALS)
        ok = inside(area.polygon, lon, lat)
        take = min(int(ok.sum()), n - filled)
        lon_out[filled:filled + take] = lon[ok][:take]
        lat_out[filled:filled + take] = lat[ok][:take]
        filled += take
    return lon_out, lat_out


def jitter_around(rng: np.random.Generator, area: AreaGeo, lon0: np.ndarray, lat0: np.ndarray,
                  sigma_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Return points jittered around (lon0, lat0) inside the area; points that keep missing stay at the centre."""
    lon = lon0.copy()
    lat = lat0.copy()
    todo = np.arange(len(lon0))
    for _ in range(6):
        if not len(todo):
            break
        dx = rng.normal(0.0, sigma_km, len(todo)) / KM_PER_DEG_LON
        dy = rng.normal(0.0, sigma_km, len(todo)) / KM_PER_DEG_LAT
        cand_lon = np.round(lon0[todo] + dx, DECIMALS)
        cand_lat = np.round(lat0[todo] + dy, DECIMALS)
        ok = inside(area.polygon, cand_lon, cand_lat)
        lon[todo[ok]] = cand_lon[ok]
        lat[todo[ok]] = cand_lat[ok]
        todo = todo[~ok]
    return lon, lat
