"""The map page's figures: cell counts, Gi* and trend classes, and the records each pydeck layer draws.

Records are plain dicts with `name` and `detail` for the one tooltip template; every value is data, never markup.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import h3
import pandas as pd

from analysis import hotspots
from analysis.periods import week_start
from analysis.privacy import suppress_counts
from data_layer.queries.filters import IncidentFilter
from ui import maps
from ui.formatting import fmt_date, fmt_decimal, fmt_int
from ui.i18n import t

TOP_IN_TOOLTIP = 3
GREY = (170, 170, 170)


@dataclass(frozen=True)
class CellFigures:
    """Per cell: count, top categories, Gi* class and trend class (cells with incidents or a trend class)."""

    cells: pd.DataFrame  # cell, count, top, cls, trend
    hot99: int
    hot95: int
    cold: int
    trends: dict[str, int]


def _top_categories(by_category: pd.DataFrame, labels: dict[str, str], lang: str, *,
                    with_counts: bool = True) -> dict[str, str]:
    """{cell: "skadegörelse 5, narkotika 4, …"} with the TOP_IN_TOOLTIP largest categories of each cell (names only
    for roles that are not shown small counts: a per-category count in a cell is usually tiny)."""
    ordered = by_category.sort_values(["cell", "count", "category_code"], ascending=[True, False, True])
    tops: dict[str, list[str]] = {}
    for cell, code, n in zip(ordered["cell"], ordered["category_code"], ordered["count"]):
        shown = tops.setdefault(cell, [])
        if len(shown) < TOP_IN_TOOLTIP:
            shown.append(f"{labels.get(code, code)} {fmt_int(n, lang)}" if with_counts else labels.get(code, code))
    return {cell: ", ".join(parts) for cell, parts in tops.items()}


def cell_figures(by_category: pd.DataFrame, cells: pd.DataFrame, *, labels: dict[str, str], lang: str,
                 min_count: int = 1) -> CellFigures:
    """The hotspot table (data_layer.queries.hotspots.hotspot_cells) with each cell's top categories, and how many
    cells fall in each Gi* and trend class. With `min_count` > 1 the counts are published as analysis.privacy
    suppresses them: small ones (and enough others to protect them against the total) become <NA>."""
    table = cells[["cell", "count", "cls", "trend"]].copy()
    table["top"] = table["cell"].map(_top_categories(by_category, labels, lang, with_counts=min_count <= 1)).fillna("")
    if min_count > 1:
        table["count"] = suppress_counts(table["count"].tolist(), threshold=min_count).counts.array  # Int64, <NA>
    classes, trends = table["cls"].value_counts(), table["trend"].value_counts()
    return CellFigures(cells=table.reset_index(drop=True), hot99=int(classes.get("hot99", 0)),
                       hot95=int(classes.get("hot95", 0)),
                       cold=int(classes.get("cold95", 0) + classes.get("cold99", 0)),
                       trends={k: int(trends.get(k, 0)) for k in maps.TREND_COLOURS})


def published_count(n, lang: str, min_count: int = 1) -> str:
    """'12 händelser', or 'färre än 3 händelser' where the count is suppressed (<NA>)."""
    if n is None or pd.isna(n):
        return t("map.incidents_n", n=t("map.fewer_than", n=min_count, lang=lang), lang=lang)
    return t("map.incidents_n", n=fmt_int(n, lang), lang=lang)


def hex_records(figures: CellFigures, *, colour: str, lang: str,
                min_count: int = 1) -> tuple[list[dict], list[float]]:
    """Hexagon records coloured by count (viridis), Gi* class or trend class (grey when not significant), and the
    count class limits (for the legend)."""
    table = figures.cells
    bins = maps.class_limits(table["count"].dropna())
    records = []
    cell_name = t("map.cell", lang=lang)
    for cell, n, top, cls, trend in zip(table["cell"], table["count"], table["top"], table["cls"], table["trend"]):
        hidden = pd.isna(n)
        if colour == "count":
            if hidden or not n:  # a suppressed count is not drawn by count at all
                continue
            fill = maps.colour_for(n, bins)
        elif colour == "gistar":
            fill = [*maps.GI_COLOURS[cls], 210] if cls in maps.GI_COLOURS else [*GREY, 70]
        else:
            fill = [*maps.TREND_COLOURS[trend], 220] if trend in maps.TREND_COLOURS else [*GREY, 70]
        detail = " · ".join(part for part in (
            published_count(n, lang, min_count), t(f"map.gi.{cls}", lang=lang),
            t(f"map.trend.{trend}", lang=lang) if trend != "ingen" else "", top) if part)
        records.append({"cell": cell, "count": None if hidden else int(n), "fill": fill, "name": cell_name,
                        "detail": detail})
    return records, bins


def area_fills(values: dict[str, float]) -> tuple[dict[str, list[int]], list[float]]:
    """{area code: viridis fill} for a choropleth of `values` in quantile classes (translucent, so hexagons stay
    readable on top), and the class limits for the legend."""
    if not values:
        return {}, []
    limits = maps.class_limits(values.values())
    return {code: [*maps.colour_for(v, limits)[:3], 110] for code, v in values.items()}, limits


def quadrant_fills(quadrants: pd.DataFrame, details: dict[str, str], *, lang: str) -> dict[str, list[int]]:
    """{area code: quadrant colour} for the perception layer; each area's tooltip line gains its quadrant (in place)."""
    fills = {}
    for code, quadrant in zip(quadrants["area_code"], quadrants["quadrant"]):
        if quadrant in maps.QUADRANT_COLOURS:
            fills[code] = [*maps.QUADRANT_COLOURS[quadrant], 120]
            details[code] = f"{details.get(code, '')} · {t(f'surveys.quadrant.{quadrant}', lang=lang)}"
    return fills


def area_values(areas: pd.DataFrame, counts: dict[str, int], *, mode: str,
                survey: pd.DataFrame | None = None) -> dict[str, float]:
    """The value per area for the choropleth: count, rate per 1,000 residents (areas with population) or the
    latest survey value (share or mean) per area."""
    counts = {code: n for code, n in counts.items() if code and n is not None}  # suppressed counts get no colour
    if mode == "count":
        return {code: float(n) for code, n in counts.items()}
    if mode == "rate":
        population = dict(zip(areas["code"], areas["population"]))
        return {code: 1000.0 * n / population[code] for code, n in counts.items()
                if population.get(code) == population.get(code) and population.get(code)}
    if mode.startswith("survey:") and survey is not None and len(survey):
        latest = survey.dropna(subset=["value"]).sort_values("fielded_to").groupby("area_code").tail(1)
        return dict(zip(latest["area_code"], latest["value"].astype(float)))
    return {}


def area_details(areas: pd.DataFrame, counts: dict[str, int | None], values: dict[str, float], *, mode: str,
                 lang: str, min_count: int = 1) -> dict[str, str]:
    """Tooltip lines per area: the count (or "färre än N" where suppressed), and the choropleth value when it is
    not the count."""
    details = {}
    for code in areas["code"]:
        line = t("map.incidents_n", n=_number(counts.get(code, 0), lang, min_count), lang=lang)
        if mode == "rate" and code in values:
            line += f" · {fmt_decimal(values[code], 1, lang)} / 1 000"
        elif mode.startswith("survey:") and code in values:
            line += f" · {fmt_decimal(values[code], 2, lang)}"
        details[code] = line
    return details


def area_event_features(areas: pd.DataFrame, level_counts: pd.DataFrame, *, labels: dict[str, str], lang: str,
                        min_count: int = 1) -> tuple[dict, list[dict]]:
    """Area-level events (police events) drawn on their area: the outlines with a tooltip per area, and a label at
    each area's centre ("34 utan exakt plats"); counts below `min_count` published as analysis.privacy says."""
    totals = level_counts.groupby("area_code")["count"].sum().to_dict()
    if not totals:
        return {"type": "FeatureCollection", "features": []}, []
    shown = published_counts(totals, min_count)
    tops = {}
    for code, group in level_counts.sort_values("count", ascending=False).groupby("area_code", sort=False):
        tops[code] = ", ".join(f"{labels.get(c, c)} {fmt_int(n, lang)}" if min_count <= 1 else labels.get(c, c)
                               for c, n in zip(group["category_code"][:TOP_IN_TOOLTIP], group["count"]))
    chosen = areas[areas["code"].isin(totals)]
    details = {code: t("map.area_events_detail", n=_number(n, lang, min_count), top=tops.get(code, ""), lang=lang)
               for code, n in shown.items()}
    fills = {code: [230, 159, 0, 12] for code in totals}  # nearly clear: pickable, not hiding
    features = maps.area_features(chosen, shown, details=details, fills=fills)
    labels_at = [{"p": [round(float(r.centroid_lon), 6), round(float(r.centroid_lat), 6)],
                  "label": t("map.area_events_label", n=_number(shown[r.code], lang, min_count), lang=lang)}
                 for r in chosen.itertuples() if r.centroid_lat == r.centroid_lat and r.centroid_lat is not None]
    return features, labels_at


def published_counts(counts: dict[str, int], min_count: int) -> dict[str, int | None]:
    """{key: count, or None where analysis.privacy suppresses it} (all shown when `min_count` is 1)."""
    if min_count <= 1 or not counts:
        return dict(counts)
    published = suppress_counts(list(counts.values()), threshold=min_count).counts
    return {k: (None if v is pd.NA else int(v)) for k, v in zip(counts, published)}


def _number(n, lang: str, min_count: int) -> str:
    return fmt_int(n, lang) if n is not None else t("map.fewer_than", n=min_count, lang=lang)


def published_number(n: int, lang: str, min_count: int = 1) -> str:
    """A single published total: the number, or "färre än N" when it is itself below the threshold."""
    return _number(None if 0 < n < min_count else n, lang, min_count)


POINT_FILL, POINT_LINE = [30, 30, 30, 200], [255, 255, 255, 220]


def point_records(points: pd.DataFrame, *, labels: dict[str, str], lang: str) -> list[dict]:
    """Single incidents (only rows whose position the scope may see), drawn as POINT_FILL dots ringed POINT_LINE;
    the record holds only position and tooltip text, so thousands of points stay small on the wire."""
    name = t("map.layer.points", lang=lang)
    return [{"p": [round(lon, 5), round(lat, 5)], "name": name,
             "detail": t("map.point_detail", category=labels.get(c, c), date=fmt_date(d, lang), lang=lang)}
            for lat, lon, c, d in zip(points["lat"], points["lon"], points["category_code"], points["occurred_date"])]


def _cells_centre(cells: str) -> tuple[float, float] | None:
    parsed = [c for c in cells.split(",") if c and h3.is_valid_cell(c)]
    if not parsed:
        return None
    spots = [h3.cell_to_latlng(c) for c in parsed]
    return sum(s[0] for s in spots) / len(spots), sum(s[1] for s in spots) / len(spots)


def action_records(actions: pd.DataFrame, *, lang: str) -> list[dict]:
    """Actions at their place (or chosen cells, or the area's centre), coloured by status; overdue ringed red."""
    records = []
    for row in actions.itertuples():
        lat, lon = row.lat, row.lon
        if isinstance(row.h3_cells, str) and row.h3_cells:
            centre = _cells_centre(row.h3_cells)
            if centre is not None:
                lat, lon = centre
        if lat is None or lat != lat:
            continue
        overdue = bool(row.overdue)
        records.append({"p": [round(float(lon), 6), round(float(lat), 6)], "id": int(row.id),
                        "fill": [*maps.STATUS_COLOURS.get(row.status, (120, 120, 120)), 235],
                        "line": [*maps.OVERDUE_LINE, 255] if overdue else [255, 255, 255, 255],
                        "name": row.title,
                        "detail": t("map.panel_action_status", status=t(f"status.{row.status}", lang=lang),
                                    overdue=" · " + t("actions.overdue", lang=lang) if overdue else "", lang=lang)})
    return records


def event_records(events: pd.DataFrame, *, lang: str) -> list[dict]:
    """Coming events with a position, as white dots with a dark ring."""
    return [{"p": [round(float(r.lon), 6), round(float(r.lat), 6)], "fill": [255, 255, 255, 235],
             "line": [20, 20, 20, 255], "name": r.title,
             "detail": t("map.event_detail", kind=r.kind, when=fmt_date(r.starts_at, lang), lang=lang)}
            for r in events.itertuples() if r.lat is not None and r.lat == r.lat]


def mark_records(marks: pd.DataFrame, *, lang: str) -> list[dict]:
    """Residents' "unsafe here" pins, reasons spelled out."""
    return [{"p": [round(float(r.lon), 6), round(float(r.lat), 6)], "fill": [86, 180, 233, 220],
             "line": [0, 60, 110, 255], "name": t("map.mark_name", source=r.source, lang=lang),
             "detail": ", ".join(t(f"reason.{x}", default=x, lang=lang) for x in str(r.reasons).split(",") if x)}
            for r in marks.itertuples()]


def place_records(places: pd.DataFrame, *, lang: str) -> tuple[list[dict], list[dict]]:
    """Named places as small grey dots with their names as labels."""
    located = places.dropna(subset=["lat", "lon"])
    dots = [{"p": [round(float(r.lon), 6), round(float(r.lat), 6)], "fill": [90, 90, 90, 220],
             "line": [255, 255, 255, 255], "name": r.name,
             "detail": t("map.place_detail", kind=r.kind, lang=lang)} for r in located.itertuples()]
    labels = [{"p": d["p"], "label": d["name"]} for d in dots]
    return dots, labels


def week_filters(flt: IncidentFilter) -> list[IncidentFilter]:
    """The period cut into its ISO weeks (the first and last may be partial), for the week slider."""
    weeks, monday = [], week_start(flt.start)
    while monday <= flt.end:
        weeks.append(flt.with_period(max(monday, flt.start), min(monday + timedelta(days=6), flt.end)))
        monday += timedelta(days=7)
    return weeks
