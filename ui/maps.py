"""pydeck layers for the map page: colour-blind-safe scales, one tooltip template for every layer, offline-safe basemap.

Tooltip templates are string literals from the i18n table, never built from data: every record carries `name` and
`detail` as plain values, and deck.gl's "text" tooltip shows values as text, never markup.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache

import h3
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from shapely.geometry import mapping, shape

from analysis.hotspots import MAP_VIEW_PX
from ui.i18n import t

# viridis, 6 steps, dark to light: readable for the common colour-vision deficiencies.
VIRIDIS = ((68, 1, 84), (65, 68, 135), (42, 120, 142), (34, 168, 132), (122, 209, 81), (253, 231, 37))
# ColorBrewer RdBu ends: a diverging scale that stays distinguishable with red-green colour blindness.
GI_COLOURS = {"hot99": (178, 24, 43), "hot95": (239, 138, 98), "cold95": (103, 169, 207), "cold99": (33, 102, 172)}
# Okabe–Ito: designed to be told apart by people with every common colour-vision deficiency.
TREND_COLOURS = {"ny": (213, 94, 0), "ihallande": (204, 121, 167), "aterkommande": (86, 180, 233),
                 "avtagande": (0, 158, 115)}
# coloured squares (Streamlit markdown colours, near the class colours) that echo the map in text legends; the
# words carry the meaning, the squares only help the eye
TREND_SWATCHES = {"ny": ":orange[■]", "ihallande": ":violet[■]", "aterkommande": ":blue[■]",
                  "avtagande": ":green[■]"}
# perception vs incidents quadrants (analysis.surveys Q_*): the survey page's scatter colours (ui.survey_charts)
QUADRANT_COLOURS = {"unsafe_calm": (213, 94, 0), "busy_safe": (230, 159, 0), "unsafe_busy": (204, 121, 167),
                    "safe_calm": (0, 114, 178)}
QUADRANT_SWATCHES = {"unsafe_calm": ":red[■]", "busy_safe": ":orange[■]", "unsafe_busy": ":violet[■]",
                     "safe_calm": ":blue[■]"}
STATUS_COLOURS = {"föreslagen": (153, 153, 153), "beslutad": (0, 114, 178), "pågår": (230, 159, 0),
                  "klar": (0, 158, 115), "avbruten": (40, 40, 40)}
OVERDUE_LINE = (213, 94, 0)
BASEMAP_ENV = "LAGESBILD_BASEMAP"  # carto (default) | none | an XYZ tile URL template with {z}/{x}/{y}
DEFAULT_VIEW = (57.65, 14.69, 10)
SIMPLIFY_DEGREES = 0.0002  # ≈ 15 m: area outlines lose invisible detail so the deck stays small


def basemap_setting() -> str:
    """The configured basemap: 'carto', 'none' or a tile URL template (from LAGESBILD_BASEMAP; default carto)."""
    value = os.environ.get(BASEMAP_ENV, "").strip()
    if not value:
        return "carto"
    return value if "{z}" in value else value.lower()


def basemap_provider(setting: str | None = None) -> str | None:
    """pydeck's map_provider for a setting: 'carto' for Carto or an own tile server, None for no basemap."""
    setting = basemap_setting() if setting is None else setting
    return None if setting == "none" else "carto"


def basemap_style(setting: str | None = None):
    """pydeck's map_style: Carto's light style, or a raster style over the municipality's own tile server."""
    setting = basemap_setting() if setting is None else setting
    if setting == "none":
        return None
    if "{z}" in setting:
        return {"version": 8, "sources": {"own": {"type": "raster", "tiles": [setting], "tileSize": 256}},
                "layers": [{"id": "own", "type": "raster", "source": "own"}]}
    return "light"


def class_limits(values, steps: int = len(VIRIDIS)) -> list[float]:
    """Upper limits of at most `steps` quantile classes of the positive `values` (equal counts of cells per colour,
    so one outlier does not paint every other cell the darkest colour); whole numbers stay whole."""
    positive = np.asarray([v for v in values if v and v > 0], dtype=float)
    if not len(positive):
        return [1]
    limits = np.quantile(positive, [(i + 1) / steps for i in range(steps)], method="inverted_cdf")
    if np.all(positive == np.round(positive)):
        limits = np.round(limits)
    return sorted({float(x) for x in limits})


def colour_for(value: float, limits: list[float]) -> list[int]:
    """The viridis RGBA colour of `value`'s class; fewer classes than colours spread over the whole scale."""
    last = len(VIRIDIS) - 1
    for i, upper in enumerate(limits):
        if value <= upper:
            return [*VIRIDIS[round(i * last / max(len(limits) - 1, 1))], 200]
    return [*VIRIDIS[-1], 200]


@lru_cache(maxsize=256)
def _simplified(geometry: str) -> dict | None:
    try:
        geom = shape(json.loads(geometry))
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
        return None
    return mapping(geom.simplify(SIMPLIFY_DEGREES, preserve_topology=True))


def area_features(areas: pd.DataFrame, counts: dict[str, int], *, details: dict[str, str] | None = None,
                  fills: dict[str, list[int]] | None = None) -> dict:
    """A GeoJSON FeatureCollection of the areas with geometry (simplified), carrying code, name, level, the count,
    a detail line for the tooltip and a fill colour."""
    features = []
    for row in areas.itertuples():
        if not isinstance(row.geometry, str) or not row.geometry:
            continue
        geometry = _simplified(row.geometry)
        if geometry is None:
            continue
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"code": row.code, "name": row.name, "level": row.level,
                                        # None: a count suppressed for this role (never shown as 0)
                                        "count": None if row.code in counts and counts[row.code] is None
                                        else int(counts.get(row.code, 0)),
                                        "detail": (details or {}).get(row.code, ""),
                                        "fill": (fills or {}).get(row.code, [0, 0, 0, 0])}})
    return {"type": "FeatureCollection", "features": features}


def view_state(areas: pd.DataFrame) -> pdk.ViewState:
    """Fit the areas with geometry into a desktop map (or a default over Småland)."""
    from ui.report_map import fit_view  # the report form's fitting rules, at desktop size

    geoms = [g for g in (_simplified(x) for x in areas["geometry"] if isinstance(x, str) and x) if g] \
        if len(areas) else []
    if geoms:
        union = shapely.unary_union([shape(g) for g in geoms])
        return fit_view(union, width_px=MAP_VIEW_PX[0], height_px=MAP_VIEW_PX[1])
    lat, lon, zoom = DEFAULT_VIEW
    return pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom)


def hexagon_layer(records: list[dict]) -> pdk.Layer:
    """Incidents per H3 cell (records: cell, fill, name, detail), pickable as layer "hexagons"."""
    return pdk.Layer("H3HexagonLayer", id="hexagons", data=records, pickable=True, high_precision=True,
                     stroked=True, filled=True, extruded=False, get_hexagon="cell", get_fill_color="fill",
                     get_line_color=[255, 255, 255, 160], line_width_min_pixels=1, auto_highlight=True)


def heatmap_layer(cells: pd.DataFrame) -> pdk.Layer:
    """A heat map for the eye, drawn from fine cells' centres weighted by count (never from raw points)."""
    data = []
    for cell, n in zip(cells["cell"], cells["count"]):
        lat, lon = h3.cell_to_latlng(cell)
        data.append({"p": [round(lon, 6), round(lat, 6)], "w": int(n)})
    return pdk.Layer("HeatmapLayer", id="heatmap", data=data, get_position="p", get_weight="w", radius_pixels=40,
                     color_range=[list(c) for c in VIRIDIS], opacity=0.6, pickable=False)


def area_layer(features: dict, *, layer_id: str = "areas", line: tuple[int, int, int] = (40, 40, 40),
               width_px: int = 2) -> pdk.Layer:
    """Area polygons (choropleth fill from each feature's `fill`), pickable under `layer_id`."""
    return pdk.Layer("GeoJsonLayer", id=layer_id, data=features, pickable=True, stroked=True, filled=True,
                     get_fill_color="properties.fill", get_line_color=[*line, 230], line_width_min_pixels=width_px,
                     auto_highlight=True)


def point_layer(records: list[dict], *, layer_id: str, radius_m: float = 25, line_width: int = 1,
                pickable: bool = True, fill: list[int] | None = None, line: list[int] | None = None,
                min_px: int = 5) -> pdk.Layer:
    """Dots (records: p=[lon, lat], name, detail, and fill/line unless given once for all) under `layer_id`, at least
    `min_px` wide when zoomed out. Colours given once keep big layers small on the wire."""
    return pdk.Layer("ScatterplotLayer", id=layer_id, data=records, get_position="p",
                     get_fill_color=fill if fill is not None else "fill",
                     get_line_color=line if line is not None else "line", stroked=True,
                     line_width_min_pixels=line_width, get_radius=radius_m, radius_min_pixels=min_px, radius_max_pixels=18,
                     pickable=pickable)


def text_layer(records: list[dict], *, layer_id: str) -> pdk.Layer:
    """Labels (records: p, label) drawn dark on a light halo so they read on any background."""
    return pdk.Layer("TextLayer", id=layer_id, data=records, get_position="p", get_text="label", get_size=13,
                     get_color=[20, 20, 20, 255], outline_width=3, outline_color=[255, 255, 255, 230],
                     font_settings={"sdf": True}, character_set="'auto'", pickable=False,
                     font_family="'Source Sans Pro, Helvetica, Arial, sans-serif'")


def deck(layers: list[pdk.Layer], view: pdk.ViewState, *, basemap: str) -> pdk.Deck:
    """The map: the given layers over the configured basemap (or none), one text tooltip for all layers."""
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=basemap_provider(basemap),
                    map_style=basemap_style(basemap), tooltip={"text": t("map.tooltip")})
