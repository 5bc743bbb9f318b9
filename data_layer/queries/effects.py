"""Counts behind an action's effect evaluation: weekly incidents of its categories at its place, around it and in
comparable areas, N whole weeks before and after its start (analysis.effects does the statistics).

Where the action is (its target), from the most precise thing it names:
- cells: its H3 cells (Action.h3_cells). Incidents count by the column of the cells' resolution (h3_r7 … h3_r9;
  finer cells are replaced by their resolution-9 parent, coarser than 7 by their resolution-7 children).
- place: its Place: incidents registered at that place (place_id) or with a point within PLACE_RADIUS_M (a
  latitude/longitude box) of it. The demo's built-in effects are at places, so this is what finds them.
- area: its Area (Action.area_id) and the areas below it, by Incident.area_id.
Cells and places count only incidents with an exact point (location_precision 'point'): events known only to an
area (police events placed on a municipality or county) cannot be put at a place. An area target counts every
incident whose own area is the target or below it, points and area-level ones alike; an event placed on the
municipality has the municipality as its area, so it never counts for a district inside it.

The buffer (for displacement) is the ring around the target: for cells, the cells within BUFFER_RINGS steps of them
(grid_disk) minus the target; for a place, the resolution-9 cells within BUFFER_RINGS steps of the place's cell
minus the target box; for an area, the areas of the same level whose geometry touches it.

Control areas are the caller's `control_area_codes`, else the target's sibling areas (same level, same parent as the
action's area, or as the finest area holding the target) that share no ground or border with the target or the
buffer: for an area target, the siblings that are neither the target nor touch it; for cells and places, the
siblings that do not overlap or touch the target and buffer cells. (Also leaving out areas that touch the buffer
areas would leave no control at all for two of the demo town's eleven districts.) Areas without geometry are never
chosen automatically. All geometry work happens in Python on the small area table; every count is a GROUP BY in SQL
over visible(Incident, scope).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from datetime import date

import h3
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon, box, shape
from sqlalchemy import Engine, and_, func, literal_column, not_, or_, select, union_all

from analysis.effects import EffectResult, EffectWindow, effect_window, evaluate_frame
from data_layer.models import Action, ActionCategory, Area, Incident, Place
from data_layer.queries._common import frame
from data_layer.queries.filters import area_ids_matching
from data_layer.queries.sqlfuncs import week_start
from data_layer.scope import Scope, visible

PLACE_RADIUS_M = 150  # half the side of the box around a place that counts as "at the place"
BUFFER_RINGS = 2  # H3 grid distance of the buffer ring around target cells
PLACE_CELL_RES = 9  # resolution of the buffer cells around a place
CELL_COLUMNS = {7: Incident.h3_r7, 8: Incident.h3_r8, 9: Incident.h3_r9}
COUNT_COLUMNS = ["group", "period", "week_start", "count"]
KINDS = ("cells", "place", "area")
_LEVEL_ORDER = ("omrade", "stadsdel", "kommun", "lan")  # finest first
# Boundaries from different sources rarely share exact coordinates: closer than about a metre counts as touching.
TOUCH_DEG = 1e-5
_M_PER_DEG_LAT = 111_195.0


@dataclass(frozen=True)
class EffectSetup:
    """What an action's evaluation compares: its target, buffer and control, and the categories counted."""

    action_id: int
    start_date: date | None
    kind: str  # one of KINDS
    category_ids: tuple[int, ...]  # empty: every category
    cell_res: int | None  # resolution of target_cells and buffer_cells
    target_cells: tuple[str, ...]
    buffer_cells: tuple[str, ...]
    place_id: int | None
    place_lat: float | None
    place_lon: float | None
    target_area_codes: tuple[str, ...]  # kind area: the area and those below it
    buffer_area_codes: tuple[str, ...]  # kind area: the touching areas and those below them
    control_area_codes: tuple[str, ...]  # the chosen control areas (not the ones below them)

    @property
    def has_buffer(self) -> bool:
        return bool(self.buffer_cells or self.buffer_area_codes)


@dataclass(frozen=True)
class _AreaRow:
    id: int
    code: str
    level: str
    parent_id: int | None
    geom: object | None  # shapely geometry or None


# --- reading the action and the areas ------------------------------------------------------------------------------

def _areas(conn) -> dict[int, _AreaRow]:
    rows = conn.execute(select(Area.id, Area.code, Area.level, Area.parent_id, Area.geometry)).all()
    out = {}
    for r in rows:
        geom = None
        if r.geometry:
            try:
                geom = shape(json.loads(r.geometry))
                geom = geom if geom.is_valid else shapely.make_valid(geom)
            except (ValueError, TypeError, KeyError, AttributeError):
                geom = None  # unreadable geometry: the area can still be a target, never an automatic neighbour
        out[r.id] = _AreaRow(r.id, r.code, r.level, r.parent_id, geom)
    return out


def _with_descendants(areas: dict[int, _AreaRow], ids: set[int]) -> set[int]:
    out, frontier = set(ids), set(ids)
    while frontier:
        frontier = {a.id for a in areas.values() if a.parent_id in frontier} - out
        out |= frontier
    return out


def _ancestors(areas: dict[int, _AreaRow], area_id: int) -> set[int]:
    out, cur = set(), areas[area_id].parent_id if area_id in areas else None
    while cur is not None and cur not in out:
        out.add(cur)
        cur = areas[cur].parent_id if cur in areas else None
    return out


def _parse_cells(text: str | None) -> tuple[tuple[str, ...], int | None]:
    """Valid cells from a comma-separated list, all brought to one resolution in 7..9 (invalid ones are ignored)."""
    cells = [c.strip() for c in (text or "").split(",") if c.strip()]
    cells = [c for c in cells if h3.is_valid_cell(c)]
    if not cells:
        return (), None
    res = min(max(max(h3.get_resolution(c) for c in cells), 7), 9)
    out: set[str] = set()
    for c in cells:
        r = h3.get_resolution(c)
        if r > res:
            out.add(h3.cell_to_parent(c, res))
        elif r < res:
            out.update(h3.cell_to_children(c, res))
        else:
            out.add(c)
    return tuple(sorted(out)), res


def _ring(cells: tuple[str, ...], k: int) -> tuple[str, ...]:
    disk: set[str] = set()
    for c in cells:
        disk.update(h3.grid_disk(c, k))
    return tuple(sorted(disk - set(cells)))


def _cells_shape(cells) -> object:
    return shapely.union_all([Polygon([(lon, lat) for lat, lon in h3.cell_to_boundary(c)]) for c in cells])


def _place_box(lat: float, lon: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of the box PLACE_RADIUS_M around a point."""
    dlat = PLACE_RADIUS_M / _M_PER_DEG_LAT
    dlon = PLACE_RADIUS_M / (_M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _reference_area(areas: dict[int, _AreaRow], action_area_id: int | None, where) -> _AreaRow | None:
    """The area whose siblings are the candidate controls: the action's own, else the finest containing `where`."""
    if action_area_id in areas:
        return areas[action_area_id]
    if where is None:
        return None
    point = where.representative_point()
    holding = [a for a in areas.values() if a.geom is not None and a.geom.covers(point)]
    holding.sort(key=lambda a: _LEVEL_ORDER.index(a.level) if a.level in _LEVEL_ORDER else len(_LEVEL_ORDER))
    return holding[0] if holding else None


def _touch(a, b) -> bool:
    return bool(shapely.dwithin(a, b, TOUCH_DEG))


def _siblings(areas: dict[int, _AreaRow], ref: _AreaRow) -> list[_AreaRow]:
    return [a for a in areas.values() if a.level == ref.level and a.parent_id == ref.parent_id and a.id != ref.id]


def action_effect_setup(engine: Engine, *, scope: Scope, action_id: int,
                        control_area_codes: tuple[str, ...] | None = None) -> EffectSetup | None:
    """The target, buffer and control of an action the scope may read; None when it is not visible or has no place.

    Raises ValueError (Swedish) for control codes that name no area or that are part of the target or buffer.
    """
    with engine.connect() as conn:
        action = conn.execute(select(Action.id, Action.area_id, Action.place_id, Action.h3_cells, Action.start_date)
                              .where(Action.id == action_id, visible(Action, scope, operation="read_detail"))).first()
        if action is None:
            return None
        category_ids = tuple(sorted(conn.execute(select(ActionCategory.category_id)
                                                 .where(ActionCategory.action_id == action_id)).scalars()))
        place = None
        if action.place_id is not None:
            place = conn.execute(select(Place.id, Place.lat, Place.lon).where(Place.id == action.place_id)).first()
        areas = _areas(conn)
    cells, res = _parse_cells(action.h3_cells)
    base = dict(action_id=action.id, start_date=action.start_date, category_ids=category_ids, cell_res=None,
                target_cells=(), buffer_cells=(), place_id=None, place_lat=None, place_lon=None,
                target_area_codes=(), buffer_area_codes=())
    excluded: set[int] = set()  # area ids that may never be controls
    if cells:
        buffer_cells = _ring(cells, BUFFER_RINGS)
        footprint = _cells_shape(cells + buffer_cells)
        setup = dict(base, kind="cells", cell_res=res, target_cells=cells, buffer_cells=buffer_cells)
        ref = _reference_area(areas, action.area_id, _cells_shape(cells))
    elif place is not None:
        home = h3.latlng_to_cell(place.lat, place.lon, PLACE_CELL_RES)
        buffer_cells = tuple(sorted(h3.grid_disk(home, BUFFER_RINGS)))
        lat0, lat1, lon0, lon1 = _place_box(place.lat, place.lon)
        footprint = shapely.union_all([_cells_shape(buffer_cells), box(lon0, lat0, lon1, lat1)])
        setup = dict(base, kind="place", cell_res=PLACE_CELL_RES, buffer_cells=buffer_cells, place_id=place.id,
                     place_lat=place.lat, place_lon=place.lon)
        ref = _reference_area(areas, action.area_id, Point(place.lon, place.lat))
    elif action.area_id in areas:
        target = areas[action.area_id]
        target_ids = _with_descendants(areas, {target.id})
        touching = {a.id for a in _siblings(areas, target) if a.geom is not None and target.geom is not None
                    and _touch(a.geom, target.geom)}
        buffer_ids = _with_descendants(areas, touching) - target_ids
        footprint = target.geom  # the buffer areas are excluded by id below
        excluded = target_ids | buffer_ids | _ancestors(areas, target.id)
        setup = dict(base, kind="area", target_area_codes=tuple(sorted(areas[i].code for i in target_ids)),
                     buffer_area_codes=tuple(sorted(areas[i].code for i in buffer_ids)))
        ref = target
    else:
        return None
    if control_area_codes:
        controls = _given_controls(areas, control_area_codes, excluded)
    elif ref is None or footprint is None:
        controls = ()
    else:
        controls = tuple(sorted(a.code for a in _siblings(areas, ref)
                                if a.id not in excluded and a.geom is not None and not _touch(a.geom, footprint)))
    return EffectSetup(**setup, control_area_codes=controls)


def _given_controls(areas: dict[int, _AreaRow], codes: tuple[str, ...], excluded: set[int]) -> tuple[str, ...]:
    by_code = {a.code: a for a in areas.values()}
    for code in codes:
        if code not in by_code:
            raise ValueError(f"Okänt jämförelseområde: {code!r}")
        if by_code[code].id in excluded:
            raise ValueError(f"Jämförelseområdet {code!r} ingår i åtgärdens område eller närområde.")
    return tuple(sorted(set(codes)))


# --- counting ------------------------------------------------------------------------------------------------------

def _areas_named(codes: tuple[str, ...]):
    return select(Area.id).where(Area.code.in_(codes))


def _group_conditions(setup: EffectSetup) -> dict[str, object]:
    """WHERE condition per group (target, buffer when there is one, control)."""
    point = Incident.location_precision == "point"
    out: dict[str, object] = {}
    if setup.kind == "cells":
        col = CELL_COLUMNS[setup.cell_res]
        out["target"] = and_(point, col.in_(setup.target_cells))
        if setup.buffer_cells:
            out["buffer"] = and_(point, col.in_(setup.buffer_cells))
    elif setup.kind == "place":
        lat0, lat1, lon0, lon1 = _place_box(setup.place_lat, setup.place_lon)
        in_box = and_(Incident.lat.between(lat0, lat1), Incident.lon.between(lon0, lon1))
        at_place = Incident.place_id == setup.place_id
        out["target"] = or_(at_place, and_(point, in_box))
        # Spelled out rather than NOT(target): place_id is NULL for most rows and NOT(NULL OR …) is NULL in SQL.
        elsewhere = or_(Incident.place_id.is_(None), Incident.place_id != setup.place_id)
        out["buffer"] = and_(point, CELL_COLUMNS[setup.cell_res].in_(setup.buffer_cells), not_(in_box), elsewhere)
    else:
        # The code lists already hold the areas below the target and the buffer areas.
        out["target"] = Incident.area_id.in_(_areas_named(setup.target_area_codes))
        if setup.buffer_area_codes:
            out["buffer"] = Incident.area_id.in_(_areas_named(setup.buffer_area_codes))
    out["control"] = Incident.area_id.in_(area_ids_matching(setup.control_area_codes))
    if setup.kind == "place":
        # A row registered at the place counts there even when its coordinates lie in a control area. (Controls
        # never touch the target's cells or the buffer, so no other row can be in two groups.)
        out["control"] = and_(out["control"], elsewhere)
    return out


def _empty_counts(window: EffectWindow | None, setup: EffectSetup | None) -> pd.DataFrame:
    df = pd.DataFrame({c: [] for c in COUNT_COLUMNS}).astype({"count": "int64"})
    df.attrs.update(window=window, setup=setup)
    return df


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def counts_for_setup(engine: Engine, *, scope: Scope, setup: EffectSetup, window: EffectWindow) -> pd.DataFrame:
    """Weekly counts per group over the window (every week of every group present, zeros included)."""
    if window.weeks == 0:
        return _empty_counts(window, setup)
    base = [visible(Incident, scope),
            or_(Incident.occurred_date.between(window.before_from, window.before_to),
                Incident.occurred_date.between(window.after_from, window.after_to))]
    if setup.category_ids:
        base.append(Incident.category_id.in_(setup.category_ids))
    groups = _group_conditions(setup)
    bucket = week_start(Incident.occurred_date)
    # The group names are fixed constants: inlined as SQL literals (a bound parameter in a UNION has no type on PG).
    parts = [select(literal_column(f"'{name}'").label("grp"), bucket.label("week"), func.count(Incident.id).label("n"))
             .where(*base, cond).group_by(bucket) for name, cond in groups.items()]
    raw = frame(engine, union_all(*parts), ["group", "week_start", "count"])
    got = {(g, _as_date(w)): int(n) for g, w, n in zip(raw["group"], raw["week_start"], raw["count"])}
    rows = [(g, period, w, got.get((g, w), 0))
            for g in ("target", "control", "buffer") if g in groups
            for period in ("before", "after") for w in window.week_starts(period)]
    df = pd.DataFrame(rows, columns=COUNT_COLUMNS).astype({"count": "int64"})
    df.attrs.update(window=window, setup=setup)
    return df


def action_effect_counts(engine: Engine, *, scope: Scope, action_id: int, weeks: int = 8, today: date,
                         control_area_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Weekly counts (group in target/control/buffer, period before/after, week_start, count) of the action's
    categories over `weeks` whole weeks before and after its start, the after weeks cut at today's week.

    attrs["window"] is the analysis.effects.EffectWindow used (window.weeks < weeks and window.truncated when today
    cut it; None when the action has no start date) and attrs["setup"] the EffectSetup (None when the action is not
    visible or has no place). Without a window or a setup the frame is empty.
    """
    setup = action_effect_setup(engine, scope=scope, action_id=action_id, control_area_codes=control_area_codes)
    if setup is None or setup.start_date is None:
        return _empty_counts(None, _shown_setup(scope, setup))
    window = effect_window(setup.start_date, weeks=weeks, today=today)
    counts = counts_for_setup(engine, scope=scope, setup=setup, window=window)
    counts.attrs["setup"] = _shown_setup(scope, setup)
    return counts


def _shown_setup(scope: Scope, setup: EffectSetup | None) -> EffectSetup | None:
    """The setup as the scope may see it: without action precise_location no place position and no cells (the
    counts were made with them; the action itself is drawn at its area's centre for such roles)."""
    if setup is None or scope.can("action", "precise_location"):
        return setup
    return replace(setup, place_id=None, place_lat=None, place_lon=None, target_cells=(), buffer_cells=())


def action_effect(engine: Engine, *, scope: Scope, action_id: int, weeks: int = 8, today: date,
                  control_area_codes: tuple[str, ...] | None = None) -> EffectResult | None:
    """The evaluated effect of an action; None when it is not visible, has no place or has no start date."""
    counts = action_effect_counts(engine, scope=scope, action_id=action_id, weeks=weeks, today=today,
                                  control_area_codes=control_area_codes)
    window = counts.attrs.get("window")
    if window is None:
        return None
    return evaluate_frame(counts, window=window)
