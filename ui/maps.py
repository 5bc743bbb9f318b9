"""pydeck decks: H3 hexagons coloured by count (viridis, colour-blind safe) over area outlines; offline-safe basemap.

Tooltip templates are string literals from the i18n table, never built from data (Streamlit escapes the values,
not the template).
"""
from __future__ import annotations

import json
import os

import pandas as pd
import pydeck as pdk

from ui.i18n import t

# viridis, 6 steps, dark to light: readable for the common colour-vision deficiencies.
VIRIDIS = ((68, 1, 84), (65, 68, 135), (42, 120, 142), (34, 168, 132), (122, 209, 81), (253, 231, 37))
BASEMAP_ENV = "LAGESBILD_BASEMAP"  # "carto" turns on Carto's light basemap (needs internet); default none
DEFAULT_VIEW = (57.65, 14.69, 10)


def basemap_provider() -> str | None:
    """'carto' when LAGESBILD_BASEMAP=carto, else None (no basemap; layers still render offline)."""
    return "carto" if os.environ.get(BASEMAP_ENV, "").lower() == "carto" else None


def count_bins(max_count: int, steps: int = len(VIRIDIS)) -> list[int]:
    """Upper bounds of `steps` equal-width count classes from 1 to `max_count`."""
    max_count = max(int(max_count), 1)
    return [max(1, round(max_count * (i + 1) / steps)) for i in range(steps)]


def colour_for(count: int, bins: list[int]) -> list[int]:
    """The viridis RGBA colour of `count`'s class."""
    for i, upper in enumerate(bins):
        if count <= upper:
            return [*VIRIDIS[i], 200]
    return [*VIRIDIS[-1], 200]


def hex_records(cells: pd.DataFrame) -> list[dict]:
    """Records for the hexagon layer: cell, count, fill colour and a name for the shared tooltip."""
    bins = count_bins(int(cells["count"].max()) if len(cells) else 1)
    name = t("map.cell")
    return [{"cell": c, "count": int(n), "fill": colour_for(int(n), bins), "name": name}
            for c, n in zip(cells["cell"], cells["count"])]


def area_features(areas: pd.DataFrame, counts: dict[str, int]) -> dict:
    """A GeoJSON FeatureCollection of the areas with geometry, carrying name and the period's count."""
    features = []
    for row in areas.itertuples():
        if not isinstance(row.geometry, str) or not row.geometry:
            continue
        try:
            geometry = json.loads(row.geometry)
        except ValueError:
            continue
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"code": row.code, "name": row.name, "level": row.level,
                                        "count": int(counts.get(row.code, 0))}})
    return {"type": "FeatureCollection", "features": features}


def view_state(areas: pd.DataFrame) -> pdk.ViewState:
    """Centre on the areas' centroids (or a default over Småland)."""
    located = areas.dropna(subset=["centroid_lat", "centroid_lon"]) if len(areas) else areas
    if len(located):
        return pdk.ViewState(latitude=float(located["centroid_lat"].mean()),
                             longitude=float(located["centroid_lon"].mean()), zoom=11)
    lat, lon, zoom = DEFAULT_VIEW
    return pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom)


def hexagon_deck(cells: pd.DataFrame, areas: pd.DataFrame, area_counts: dict[str, int],
                 map_provider: str | None = None) -> pdk.Deck:
    """Hexagons (id "hexagons") over area outlines (id "areas"); both pickable, tooltip shows name and count."""
    outlines = pdk.Layer("GeoJsonLayer", id="areas", data=area_features(areas, area_counts), pickable=True,
                         stroked=True, filled=True, get_fill_color=[0, 0, 0, 0], get_line_color=[40, 40, 40, 220],
                         line_width_min_pixels=2)
    hexes = pdk.Layer("H3HexagonLayer", id="hexagons", data=hex_records(cells), pickable=True, high_precision=True,
                      stroked=True, filled=True, extruded=False, get_hexagon="cell", get_fill_color="fill",
                      get_line_color=[255, 255, 255, 160], line_width_min_pixels=1)
    return pdk.Deck(layers=[outlines, hexes], initial_view_state=view_state(areas), map_provider=map_provider,
                    map_style="light" if map_provider else None,
                    tooltip={"text": t("map.tooltip")})
