"""Point-in-polygon area assignment with a nearest-polygon fallback for points just off a simplified coastline.

Points are tried against the finest level first (område, stadsdel, kommun, län). A point inside no polygon
of any level falls back to the nearest polygon within `max_fallback_m` metres, again finest level first.
Distances are metres in a local equirectangular projection centred on each point (error well under 1 % at
a few kilometres), so no projection library is needed.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import shape
from sqlalchemy import Connection, Engine, select

from data_layer.models import Area

LEVEL_ORDER = ("omrade", "stadsdel", "kommun", "lan")  # finest first
DEFAULT_FALLBACK_M = 2_000.0
METRES_PER_DEG_LAT = 110_574.0
METRES_PER_DEG_LON_EQUATOR = 111_320.0


@dataclass(frozen=True)
class Assigned:
    """The area id per point (None when none fits) and how many needed the nearest-polygon fallback."""

    area_ids: list[int | None]
    fallbacks: int


class _Level:
    def __init__(self, ids: list[int], geoms: list) -> None:
        self.ids = np.asarray(ids)
        self.geoms = np.asarray(geoms, dtype=object)
        self.tree = STRtree(self.geoms)


def parse_geometry(text: str):
    """A valid shapely geometry from a GeoJSON geometry string."""
    geom = shape(json.loads(text))
    return geom if geom.is_valid else shapely.make_valid(geom)


def metres_between(point_lat: float, point_lon: float, geom) -> float:
    """Metres from a point to a WGS84 geometry, in a local equirectangular frame centred on the point."""
    kx = METRES_PER_DEG_LON_EQUATOR * math.cos(math.radians(point_lat))
    local = shapely.transform(geom, lambda c: (c - (point_lon, point_lat)) * (kx, METRES_PER_DEG_LAT))
    return shapely.distance(local, shapely.Point(0.0, 0.0))


class AreaIndex:
    """Areas with geometry, one STRtree per level."""

    def __init__(self, areas_by_level: dict[str, tuple[list[int], list]]) -> None:
        order = [lv for lv in LEVEL_ORDER if lv in areas_by_level] + sorted(set(areas_by_level) - set(LEVEL_ORDER))
        self.levels = {lv: _Level(*areas_by_level[lv]) for lv in order if areas_by_level[lv][0]}

    @classmethod
    def load(cls, conn: Connection, *, levels: Sequence[str] | None = None) -> "AreaIndex":
        """Read every area (of `levels`, default all) that has a geometry."""
        query = select(Area.id, Area.level, Area.geometry).where(Area.geometry.is_not(None))
        if levels:
            query = query.where(Area.level.in_(levels))
        grouped: dict[str, tuple[list[int], list]] = {}
        for area_id, level, text in conn.execute(query):
            try:
                geom = parse_geometry(text)
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
            ids, geoms = grouped.setdefault(level, ([], []))
            ids.append(area_id)
            geoms.append(geom)
        return cls(grouped)

    def assign(self, points: Sequence[tuple[float, float]], *, max_fallback_m: float = DEFAULT_FALLBACK_M) -> Assigned:
        """The area of each (lat, lon): containment at the finest level, else the nearest polygon within the limit."""
        n = len(points)
        result = np.full(n, -1, dtype=np.int64)
        if not n or not self.levels:
            return Assigned([None] * n, 0)
        lat = np.fromiter((p[0] for p in points), float, n)
        lon = np.fromiter((p[1] for p in points), float, n)
        geoms = shapely.points(lon, lat)
        for level in self.levels.values():
            todo = np.flatnonzero(result < 0)
            if not len(todo):
                break
            hit_point, hit_area = level.tree.query(geoms[todo], predicate="intersects")
            result[todo[hit_point[::-1]]] = level.ids[hit_area[::-1]]  # reversed: the first hit wins
        fallbacks = 0
        if max_fallback_m > 0:
            for level in self.levels.values():
                todo = np.flatnonzero((result < 0) & np.isfinite(lat) & np.isfinite(lon))
                if not len(todo):
                    break
                found = self._nearest(level, lat[todo], lon[todo], max_fallback_m)
                hit = found >= 0
                result[todo[hit]] = found[hit]
                fallbacks += int(hit.sum())
        return Assigned([int(a) if a >= 0 else None for a in result], fallbacks)

    @staticmethod
    def _nearest(level: _Level, lat: np.ndarray, lon: np.ndarray, max_m: float) -> np.ndarray:
        """Per point, the id of the nearest polygon of `level` within `max_m` metres, else -1."""
        cos_lat = np.maximum(np.cos(np.radians(lat)), 0.01)
        radius = np.maximum(max_m / METRES_PER_DEG_LAT, max_m / (METRES_PER_DEG_LON_EQUATOR * cos_lat))
        found = np.full(len(lat), -1, dtype=np.int64)
        best = np.full(len(lat), np.inf)
        pairs = level.tree.query(shapely.points(lon, lat), predicate="dwithin", distance=float(radius.max()))
        for i, k in zip(*pairs):
            r = radius[i]
            window = shapely.clip_by_rect(level.geoms[k], lon[i] - r, lat[i] - r, lon[i] + r, lat[i] + r)
            if window.is_empty:
                continue
            metres = metres_between(lat[i], lon[i], window)
            if metres <= max_m and metres < best[i]:
                best[i], found[i] = metres, level.ids[k]
        return found


def assign_areas(engine: Engine, points: Sequence[tuple[float, float]], *, level: str | None = None,
                 max_fallback_m: float = DEFAULT_FALLBACK_M) -> Assigned:
    """Assign each (lat, lon) to an area of `level` (default: the finest level that holds it)."""
    with engine.connect() as conn:
        index = AreaIndex.load(conn, levels=[level] if level else None)
    return index.assign(points, max_fallback_m=max_fallback_m)
