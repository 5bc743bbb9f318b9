"""Hotspot cells: scoped H3 counts of the period and the trend windows, Gi* and trend classes over the study grid.

The one place the map, the meeting agenda and the reports get their hotspots from, so all three say the same."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from analysis import hotspots
from data_layer.queries import reference
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.map import hex_counts, hex_window_counts
from data_layer.scope import Scope

HOTSPOT_COLUMNS = ["cell", "count", "z", "cls", "trend", "recent", "before", "last_year"]


def hotspot_cells(engine: Engine, *, scope: Scope, flt: IncidentFilter, resolution: int | None = None) -> pd.DataFrame:
    """Every cell with incidents in the period or a trend window: count, Gi* z and class (BH), trend class and the
    window counts; the study grid is the filter's areas (or the whole forum's) at `resolution` (default: the cell
    size the map opens with for that extent)."""
    return map_cells(engine, scope=scope, flt=flt, resolution=resolution)[1]


def map_cells(engine: Engine, *, scope: Scope, flt: IncidentFilter,
              resolution: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(incidents per cell × category in the period (map.hex_counts), the hotspot table of hotspot_cells), from one
    count of the period: the map needs both, and asking for them apart counted the period twice."""
    polygons = hotspots.study_polygons(reference.areas(engine), flt.area_codes)
    if resolution is None:
        resolution = hotspots.default_resolution(polygons)
    study = hotspots.study_cells(polygons_geojson=polygons, resolution=resolution)
    by_category = hex_counts(engine, scope=scope, flt=flt, resolution=resolution)
    period = by_category.groupby("cell")["count"].sum()
    windows = hex_window_counts(engine, scope=scope, flt=flt, resolution=resolution)
    table = hotspots.hotspot_classes(period.to_dict(), windows, cells=study)
    return by_category, table[HOTSPOT_COLUMNS].sort_values(["count", "cell"], ascending=[False, True]) \
        .reset_index(drop=True)
