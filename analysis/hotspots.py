"""Hotspots on the H3 grid: Getis-Ord Gi* per cell with 95/99 % classes, and emerging/persistent/fading trends.

Gi* (Getis & Ord 1992, Ord & Getis 1995) compares the count in a cell and its k-ring neighbours with what the whole
study area would put there. Weights are binary with the cell itself included (star): exactly esda's
G_Local(y, w, transform="B", star=True) with w the k-ring neighbours inside the universe, and its analytic z (Zs):

    z_i = (Σ_j w_ij y_j − ȳ W_i) / (S √((n W_i − W_i²) / (n − 1)))

with W_i = Σ_j w_ij (the cell and its neighbours in the universe), ȳ the mean and S the population standard deviation
(divisor n) of all n counts. p is two-sided from the standard normal (esda's p_norm is one-sided).

A map tests every cell at once, so about 5 % of cells in pure noise come out "hot95" or "cold95" by chance. cls_fdr
classes by the Benjamini–Hochberg q over all cells instead (as the overview's comparison table does; recommended for
local statistics by Caldas de Castro & Singer 2006); overlapping neighbourhoods make the tests positively dependent,
under which BH still holds.

The universe is the whole study area, zero cells included: leaving out empty cells would make every busy cell
look ordinary. Pure arithmetic: no database, no streamlit.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import h3
import h3.api.basic_int as h3_int
import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

HOT99, HOT95, COLD95, COLD99, NOT_SIGNIFICANT = "hot99", "hot95", "cold95", "cold99", "ns"
CLASS_ORDER = (HOT99, HOT95, NOT_SIGNIFICANT, COLD95, COLD99)
HOT = frozenset({HOT99, HOT95})
ALPHA_99, ALPHA_95 = 0.01, 0.05
COLUMNS = ("cell", "count", "z", "p", "q", "cls", "cls_fdr")

NEW, PERSISTENT, FADING, RECURRING, NONE = "ny", "ihallande", "avtagande", "aterkommande", "ingen"
TREND_ORDER = (NEW, RECURRING, PERSISTENT, FADING, NONE)
# code: (Swedish, English), the one line the map page shows under its legend; same shape as ui/i18n.py TEXTS.
TREND_LABELS: dict[str, tuple[str, str]] = {
    NEW: ("Ny", "New"),
    RECURRING: ("Återkommande", "Recurring"),
    PERSISTENT: ("Ihållande", "Persistent"),
    FADING: ("Avtagande", "Fading"),
    NONE: ("Ingen", "None"),
}
TREND_EXPLANATIONS: dict[str, tuple[str, str]] = {
    NEW: ("Hotspot de senaste 4 veckorna men inte de 12 veckorna före, och inte samma veckor i fjol.",
          "A hotspot in the last 4 weeks but not in the 12 weeks before, nor in the same weeks last year."),
    RECURRING: ("Hotspot nu men inte de 12 veckorna före – däremot samma veckor i fjol: troligen säsongsbundet.",
                "A hotspot now but not in the 12 weeks before, yet it was in the same weeks last year: "
                "likely seasonal."),
    PERSISTENT: ("Hotspot både de senaste 4 veckorna och de 12 veckorna före.",
                 "A hotspot both in the last 4 weeks and in the 12 weeks before."),
    FADING: ("Hotspot de 12 veckorna före men inte längre de senaste 4 veckorna.",
             "A hotspot in the 12 weeks before but no longer in the last 4 weeks."),
    NONE: ("Ingen hotspot, varken nu eller de 12 veckorna före.",
           "Not a hotspot, neither now nor in the 12 weeks before."),
}

# Map zoom (deck.gl, 512 px world at zoom 0) -> H3 resolution: res 7 (≈2.4 km across) below zoom 10, res 8 (≈0.9 km)
# from 10, res 9 (≈0.35 km) from 12. Where a finer resolution takes over, its cells are still at least ~20 px across
# at Swedish latitudes (55–69°: res 8 at zoom 10 is 21–34 px, res 9 at zoom 12 is 32–51 px); the demo municipality's
# default view (zoom 11) gets res 8, a few hundred cells.
RESOLUTION_ZOOMS = ((11.6, 9), (10.0, 8))  # the finest cells still ≥ 20 px wide at 55–69° N
COARSEST_RESOLUTION = 7


def gi_star(counts: Mapping[str, float], *, cells: Iterable[str], k: int = 1) -> pd.DataFrame:
    """Gi* per cell of the universe (`cells` in their order, then cells of `counts` outside them): columns cell, count,
    z, p (two-sided), q (Benjamini–Hochberg over all cells), cls and cls_fdr (hot99/hot95/ns/cold95/cold99 by p, q)."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    counts = dict(counts.items())
    area = _area_neighbours(tuple(dict.fromkeys(cells)), k)
    extras = [c for c in counts if c not in area.index]
    universe = list(area.cells) + extras
    n = len(universe)
    y = np.fromiter((counts.get(c, 0) for c in universe), dtype="float64", count=n)
    _check_counts(universe, y)
    rows, cols = _universe_pairs(area, extras, k)
    local = np.bincount(rows, weights=y[cols], minlength=n)  # Σ_j w_ij y_j
    weights = np.bincount(rows, minlength=n).astype("float64")  # W_i (binary weights, so also S1_i)
    z = _z_scores(y, local, weights)
    p = 2.0 * norm.sf(np.abs(z))
    q = multipletests(p, method="fdr_bh")[1] if n else p
    return pd.DataFrame({"cell": pd.Series(universe, dtype="str"), "count": y, "z": z, "p": p, "q": q,
                         "cls": pd.Series(_classes(z, p), dtype="str"),
                         "cls_fdr": pd.Series(_classes(z, q), dtype="str")}, columns=list(COLUMNS))


def _z_scores(y: np.ndarray, local: np.ndarray, weights: np.ndarray) -> np.ndarray:
    n = len(y)
    z = np.zeros(n)
    if n < 2 or np.ptp(y) == 0:  # no variation anywhere: nothing stands out (esda gives NaN here)
        return z
    mean = y.mean()
    sd = np.sqrt(max((y * y).mean() - mean * mean, 0.0))
    spread = np.sqrt(np.maximum(n * weights - weights * weights, 0.0) / (n - 1))
    defined = spread > 0  # a neighbourhood covering the whole universe has no variance: z = 0
    z[defined] = (local[defined] - mean * weights[defined]) / (sd * spread[defined])
    return z


def _classes(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    hot = z > 0
    return np.select([(p < ALPHA_99) & hot, (p < ALPHA_95) & hot, (p < ALPHA_99) & ~hot, (p < ALPHA_95) & ~hot],
                     [HOT99, HOT95, COLD99, COLD95], default=NOT_SIGNIFICANT).astype("object")


def _check_counts(universe: list[str], y: np.ndarray) -> None:
    bad = np.flatnonzero(~np.isfinite(y) | (y < 0))
    if len(bad):
        raise ValueError(f"count for cell {universe[bad[0]]} is {y[bad[0]]}: counts must be finite and non-negative")


@dataclass(frozen=True)
class _AreaNeighbours:
    """The k-ring pairs within a study area, and which area rows reach each cell just outside it."""

    cells: tuple[str, ...]
    index: dict[str, int]
    by_int: dict[int, int]  # H3 integer -> row
    rows: np.ndarray
    cols: np.ndarray
    resolution: int | None
    outside: dict[int, list[int]]  # H3 integer of a cell outside the area -> area rows whose k-ring holds it


# Why a cache: h3.grid_disk is one Python call per cell (≈3 µs); a map rerun, and the three windows of a trend,
# reuse the same study area, so its neighbour pairs are built once (≈70 ms for 20,000 cells) and reused (≈3 ms).
@lru_cache(maxsize=8)  # ≈6 MB an entry at 20,000 cells
def _area_neighbours(cells: tuple[str, ...], k: int) -> _AreaNeighbours:
    resolution = _check_cells(cells, None)
    index = {c: i for i, c in enumerate(cells)}
    as_int = {int(c, 16): i for i, c in enumerate(cells)}
    rows: list[int] = []
    cols: list[int] = []
    outside: dict[int, list[int]] = {}
    for h, i in as_int.items():
        for d in h3_int.grid_disk(h, k):
            j = as_int.get(d)
            if j is None:
                outside.setdefault(d, []).append(i)
            else:
                rows.append(i)
                cols.append(j)
    return _AreaNeighbours(cells, index, as_int, np.asarray(rows, dtype="int64"), np.asarray(cols, dtype="int64"),
                           resolution, outside)


def _universe_pairs(area: _AreaNeighbours, extras: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (row, col) of the binary star weights over area cells followed by `extras`."""
    if not extras:
        return area.rows, area.cols
    _check_cells(extras, area.resolution)
    n_area = len(area.cells)
    extra_int = {int(c, 16): n_area + m for m, c in enumerate(extras)}
    rows, cols = [], []
    for h, e in extra_int.items():
        for i in area.outside.get(h, ()):  # area cells whose k-ring reaches this extra cell
            rows.append(i)
            cols.append(e)
        for d in h3_int.grid_disk(h, k):
            j = area.by_int.get(d, extra_int.get(d))
            if j is not None:
                rows.append(e)
                cols.append(j)
    return (np.concatenate([area.rows, np.asarray(rows, dtype="int64")]),
            np.concatenate([area.cols, np.asarray(cols, dtype="int64")]))


def _check_cells(cells: Iterable[str], resolution: int | None) -> int | None:
    """The cells' common resolution; ValueError naming the first cell that is not a valid H3 cell or differs."""
    for cell in cells:
        if not isinstance(cell, str) or not h3.is_valid_cell(cell):
            raise ValueError(f"{cell!r} is not a valid H3 cell")
        res = h3.get_resolution(cell)
        if resolution is None:
            resolution = res
        elif res != resolution:
            raise ValueError(f"cell {cell} has resolution {res}, the others {resolution}: one grid only")
    return resolution


def trend_class(*, recent: pd.DataFrame, before: pd.DataFrame, last_year: pd.DataFrame | None,
                significance: str = "cls") -> pd.DataFrame:
    """Columns cell, trend for every cell of `recent` or `before` (gi_star outputs; `significance` is "cls" or
    "cls_fdr"). A cell is hot in a window when that class is hot95 or hot99 there (missing from a window: not hot):

    - ihallande (persistent): hot in the last 4 weeks and in the 12 weeks before;
    - ny (new, emerging): hot in the last 4 weeks, not in the 12 weeks before, nor in the same 4 weeks last year
      (also when last year is unknown: None);
    - aterkommande (recurring, seasonal): hot in the last 4 weeks, not in the 12 weeks before, but hot in the same
      4 weeks last year;
    - avtagande (fading): hot in the 12 weeks before, not in the last 4 weeks;
    - ingen: hot in neither the last 4 weeks nor the 12 weeks before (whatever last year was).
    """
    if significance not in ("cls", "cls_fdr"):
        raise ValueError(f"significance must be 'cls' or 'cls_fdr', got {significance!r}")
    cells = pd.Index(pd.concat([recent["cell"], before["cell"]], ignore_index=True).unique())
    now, earlier = _hot(recent, cells, significance), _hot(before, cells, significance)
    seasonal = _hot(last_year, cells, significance) if last_year is not None else np.zeros(len(cells), dtype=bool)
    trend = np.select([now & earlier, now & seasonal, now, earlier], [PERSISTENT, RECURRING, NEW, FADING],
                      default=NONE).astype("object")
    return pd.DataFrame({"cell": pd.Series(cells, dtype="str"), "trend": pd.Series(trend, dtype="str")})


def _hot(frame: pd.DataFrame, cells: pd.Index, column: str) -> np.ndarray:
    hot = frame.loc[frame[column].isin(HOT), "cell"]
    return cells.isin(hot)


def study_cells(*, polygons_geojson: Iterable[dict], resolution: int) -> list[str]:
    """The sorted H3 cells at `resolution` whose centre lies in any of the GeoJSON Polygon/MultiPolygon geometries
    ([lon, lat] order; a Feature's geometry is used)."""
    if not 0 <= resolution <= 15:
        raise ValueError(f"resolution must be 0–15, got {resolution}")
    found: set[str] = set()
    for number, geometry in enumerate(polygons_geojson, start=1):
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        if kind not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"area polygon {number}: type {kind!r} is not a GeoJSON Polygon or MultiPolygon")
        found.update(h3.geo_to_cells(geometry, resolution))
    return sorted(found)


def study_polygons(areas: pd.DataFrame, area_codes: tuple[str, ...] = ()) -> list[dict]:
    """GeoJSON geometries of the hotspot study area from an areas table (code, level, parent_code, geometry as
    GeoJSON text): the chosen areas and the areas below them, else every area with geometry below county level (a
    municipality's outline and its districts need not cover the same ground)."""
    # .loc with a bool mask: on an empty table a plain [] with an object-typed mask would select columns instead
    located = areas.loc[areas["geometry"].map(lambda g: isinstance(g, str) and bool(g)).astype(bool)]
    if area_codes:
        codes, parents = set(area_codes), dict(zip(areas["code"], areas["parent_code"]))
        for _ in range(3):  # areas nest at most three levels below a chosen one
            codes |= {code for code, parent in parents.items() if parent in codes}
        chosen = located[located["code"].isin(codes)]
    else:
        chosen = located[located["level"] != "lan"]
    polygons = []
    for text in chosen["geometry"]:
        try:
            polygons.append(json.loads(text))
        except ValueError:
            continue
    return polygons


def hotspot_classes(period: Mapping[str, float], windows: pd.DataFrame, *, cells: Iterable[str]) -> pd.DataFrame:
    """Gi* of the period's counts and the trend class from the three windows (recent, before, last_year columns per
    cell), over ONE grid (`cells` plus every cell with a count), BH-adjusted classes throughout: columns cell, count,
    z, cls, trend, recent, before, last_year for every cell with a count in the period or a window, or a class."""
    universe = set(cells) | set(period) | set(windows["cell"])
    gi = gi_star(period, cells=sorted(universe))
    names = ("recent", "before", "last_year")
    if len(windows):
        frames = {name: gi_star(dict(zip(windows["cell"], windows[name])), cells=sorted(universe)) for name in names}
        trend = trend_class(recent=frames["recent"], before=frames["before"], last_year=frames["last_year"],
                            significance="cls_fdr")
    else:
        trend = pd.DataFrame({"cell": pd.Series([], dtype=object), "trend": pd.Series([], dtype=object)})
    table = (gi[["cell", "count", "z", "cls_fdr"]].rename(columns={"cls_fdr": "cls"})
             .merge(trend.astype({"cell": object}), on="cell", how="left")
             .merge(windows.astype({"cell": object}), on="cell", how="left"))
    table["trend"] = table["trend"].fillna(NONE)
    for name in names:
        table[name] = table[name].fillna(0).astype("int64")
    table["count"] = table["count"].astype("int64")
    # an empty cell amid hot neighbours is itself a Gi* hotspot: keep it with the busy ones
    shown = (table["count"] > 0) | (table[list(names)].sum(axis=1) > 0) | (table["cls"] != NOT_SIGNIFICANT)
    return table[shown][["cell", "count", "z", "cls", "trend", *names]].reset_index(drop=True)


MAP_VIEW_PX = (800, 560)  # the map page's deck at desktop width: the extent is fitted into it


def fit_zoom(bounds: tuple[float, float, float, float], *, width_px: int, height_px: int) -> float:
    """deck.gl's zoom (512 px world at zoom 0, web mercator) that shows `bounds` (west, south, east, north) in
    width × height pixels with a 10 % margin, at most 17."""
    west, south, east, north = bounds

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(east - west, 1e-6) / 360.0
    span_y = max(mercator_y(north) - mercator_y(south), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width_px * 0.9 / (512 * span_x)), math.log2(height_px * 0.9 / (512 * span_y)))
    return round(min(zoom, 17.0), 2)


def default_resolution(polygons_geojson: Iterable[dict]) -> int:
    """The cell size the map opens with for a study area: the resolution for the zoom that fits it (8 without
    geometry). The agenda and the reports use it too, so they name the same hotspots as the map."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    shapes = [shape(p.get("geometry", p)) for p in polygons_geojson]
    if not shapes:
        return 8
    zoom = fit_zoom(unary_union(shapes).bounds, width_px=MAP_VIEW_PX[0], height_px=MAP_VIEW_PX[1])
    return choose_resolution(zoom=zoom)


def choose_resolution(*, zoom: float) -> int:
    """H3 resolution for a map zoom: 9 from zoom 11.6, 8 from zoom 10, else 7 (see RESOLUTION_ZOOMS)."""
    for threshold, resolution in RESOLUTION_ZOOMS:
        if zoom >= threshold:
            return resolution
    return COARSEST_RESOLUTION


if __name__ == "__main__":  # a benchmark, not a test: python -m analysis.hotspots
    import time

    grid = list(h3.grid_disk(h3.latlng_to_cell(59.33, 18.06, 9), 80))  # 19,441 cells
    rng = np.random.default_rng(1)
    sample = dict(zip(grid, rng.poisson(0.5, len(grid)).tolist()))
    for run in ("first (builds the neighbour pairs)", "second (same study area)"):
        start = time.perf_counter()
        result = gi_star(sample, cells=grid)
        print(f"gi_star on {len(grid):,} cells, {run}: {1000 * (time.perf_counter() - start):.1f} ms")
