"""An action's effect counts equal an independent count of the raw rows on SQLite and PostgreSQL (Stockholm weeks,
targets by place, cells and area, buffers, controls), and the demo's effective actions come out as reductions."""
from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import h3
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text

from analysis import effects as e
from data_layer.db import make_engine, session_scope
from data_layer.demo import load_demo
from data_layer.importers.rows import complete_row
from data_layer.migrate import upgrade_to_head
from data_layer.models import Action, ActionCategory, Area, Incident, Place, StoreInfo
from data_layer.queries import effects as q
from data_layer.reference import ensure_categories
from data_layer.scope import Scope
from tests.conftest import _fresh_pg_database
from tests.data_layer.factories import NOW, make_orgs_and_users

UTC = timezone.utc
STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = date(2026, 4, 1)  # a Wednesday: the week of 30 March is left out; the DST night of 29 March is before
TODAY = date(2026, 5, 13)  # five whole weeks after: 6 April … 10 May
LAT0, LAT1 = 57.60, 57.62
STRIP = {"A": 14.60, "B": 14.62, "C": 14.64, "D": 14.66, "E": 14.68}  # west edge; each district is 0.02° wide
PLACE = (57.61, 14.65)  # in C
CELL_CENTRE = (57.61, 14.69)  # in E
CATEGORIES = ("skadegorelse", "klotter", "stold", "nedskrapning")
# Instants at the local midnights that decide weeks (UTC; Stockholm is +1 until 29 March, +2 after).
EDGES = (datetime(2026, 2, 22, 22, 30, tzinfo=UTC),  # Sun 22 Feb 23:30 CET: before the window
         datetime(2026, 2, 22, 23, 30, tzinfo=UTC),  # Mon 23 Feb 00:30 CET: first week before
         datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # Sun 29 Mar 23:59 CEST: last week before
         datetime(2026, 3, 29, 22, 30, tzinfo=UTC),  # Mon 30 Mar 00:30 CEST: the left-out starting week
         datetime(2026, 4, 5, 22, 30, tzinfo=UTC),  # Mon 6 Apr 00:30: first week after
         datetime(2026, 5, 10, 21, 30, tzinfo=UTC),  # Sun 10 May 23:30: last whole week after
         datetime(2026, 5, 10, 22, 30, tzinfo=UTC))  # Mon 11 May 00:30: today's week, not yet whole


def _square(west: float, south: float = LAT0, north: float = LAT1, width: float = 0.02) -> str:
    ring = [[west, south], [west + width, south], [west + width, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _district_of(lon: float) -> str:
    return max(k for k, west in STRIP.items() if lon >= west)


def _raw_rows(rng) -> list[dict]:
    """Rows as the test knows them: instant, category, point (lat/lon) or not, area code, at the place or not."""
    span = (datetime(2026, 2, 10, tzinfo=UTC), datetime(2026, 5, 20, tzinfo=UTC))
    seconds = int((span[1] - span[0]).total_seconds())
    rows = []
    for n in range(900):
        at = span[0] + timedelta(seconds=int(rng.integers(0, seconds)))
        cat = CATEGORIES[int(rng.integers(0, len(CATEGORIES)))]
        kind = rng.random()
        row = dict(at=at, category=cat, lat=None, lon=None, area=None, place=False)
        if kind < 0.5:  # a point anywhere in the five districts
            row.update(lat=float(rng.uniform(LAT0 + 1e-4, LAT1 - 1e-4)), lon=float(rng.uniform(14.6001, 14.6999)))
        elif kind < 0.68:  # a point near the place, a third of them registered at it
            row.update(lat=PLACE[0] + float(rng.normal(0, 0.002)), lon=PLACE[1] + float(rng.normal(0, 0.004)),
                       place=rng.random() < 1 / 3)
        elif kind < 0.78:  # a point near the chosen cells
            row.update(lat=CELL_CENTRE[0] + float(rng.normal(0, 0.003)),
                       lon=min(CELL_CENTRE[1] + float(rng.normal(0, 0.004)), 14.6999))
        elif kind < 0.88:  # known only to a district (or to B's northern part, B1)
            row["area"] = ("A", "B", "B1", "C", "D", "E")[int(rng.integers(0, 6))]
        elif kind < 0.94:  # a police event placed on the municipality
            row["area"] = "K"
        else:  # registered at the place but with coordinates far away in A
            row.update(lat=57.605, lon=14.605, place=True)
        rows.append(row)
    for at in EDGES:  # the week edges: at the place, in the cells and in B
        rows += [dict(at=at, category="skadegorelse", lat=PLACE[0], lon=PLACE[1], area=None, place=False),
                 dict(at=at, category="stold", lat=CELL_CENTRE[0], lon=CELL_CENTRE[1], area=None, place=False),
                 dict(at=at, category="nedskrapning", lat=None, lon=None, area="B", place=False)]
    for r in rows:
        if r["lat"] is not None:
            r["area"] = _district_of(r["lon"])
            if r["area"] == "B" and r["lat"] > 57.61:
                r["area"] = "B1"
    return rows


@pytest.fixture
def store(engine):
    """Municipality K, districts A–E side by side (B holds B1), a place in C, ~900 incidents and three actions."""
    ids = make_orgs_and_users(engine)
    raw = _raw_rows(np.random.default_rng(11))
    with session_scope(engine) as s:
        cats = ensure_categories(s)
        k = Area(code="K", name="Kommunen", level="kommun", geometry=_square(14.60, width=0.10))
        s.add(k)
        s.flush()
        areas = {"K": k.id}
        for code, west in STRIP.items():
            a = Area(code=code, name=f"Distrikt {code}", level="stadsdel", parent_id=k.id, geometry=_square(west))
            s.add(a)
            s.flush()
            areas[code] = a.id
        b1 = Area(code="B1", name="Norra B", level="omrade", parent_id=areas["B"],
                  geometry=_square(14.62, south=57.61))
        s.add(b1)
        s.flush()
        areas["B1"] = b1.id
        place = Place(name="Tvättstugan", kind="tvättstuga", lat=PLACE[0], lon=PLACE[1], area_id=areas["C"])
        s.add(place)
        s.flush()
        for n, r in enumerate(raw):
            point = r["lat"] is not None
            s.add(Incident(**complete_row(dict(
                source_org_id=ids["org_a" if n % 3 else "org_b"], external_id=f"e{n}", category_id=cats[r["category"]],
                occurred_at=r["at"], lat=r["lat"], lon=r["lon"], location_precision="point" if point else "area",
                area_id=areas[r["area"]], place_id=place.id if r["place"] else None, sensitive=n % 10 == 0))))
        cells = ",".join(sorted(h3.grid_disk(h3.latlng_to_cell(*CELL_CENTRE, 9), 1)))
        actions = {}
        for key, area, place_id, h3_cells, start, categories in (
                ("place", "C", place.id, None, START, ("skadegorelse", "klotter")),
                ("area", "B", None, None, START, ()),
                ("cells", "E", None, cells, START, ("stold",)),
                ("no_start", "B", None, None, None, ()),
                ("nowhere", None, None, None, START, ())):
            action = Action(title=key, area_id=areas.get(area), place_id=place_id, h3_cells=h3_cells,
                            owner_org_id=ids["org_a"], status="pågår", start_date=start, created_at=NOW, updated_at=NOW)
            s.add(action)
            s.flush()
            actions[key] = action.id
            for c in categories:
                s.add(ActionCategory(action_id=action.id, category_id=cats[c]))
    return dict(ids=ids, raw=raw, actions=actions, areas=areas, place_id=place.id, cells=cells.split(","))


def scope_of(ids) -> Scope:
    return Scope(user_id=ids["samordnare"], role="samordnare", organisation_id=ids["org_a"])


def week_of(instant: datetime) -> date:
    d = instant.astimezone(STOCKHOLM).date()
    return d - timedelta(days=d.weekday())


def in_place_box(r) -> bool:
    dlat = q.PLACE_RADIUS_M / 111_195.0
    dlon = q.PLACE_RADIUS_M / (111_195.0 * math.cos(math.radians(PLACE[0])))
    return abs(r["lat"] - PLACE[0]) <= dlat and abs(r["lon"] - PLACE[1]) <= dlon


def cell9(r) -> str | None:
    return h3.latlng_to_cell(r["lat"], r["lon"], 9) if r["lat"] is not None else None


def expected_group(r, kind: str, cells: list[str]) -> str | None:
    """Which group the raw row belongs to for each test action, decided from the raw row alone."""
    point = r["lat"] is not None
    if kind == "place":
        if r["category"] not in ("skadegorelse", "klotter"):
            return None
        if r["place"] or (point and in_place_box(r)):
            return "target"
        if point and cell9(r) in set(h3.grid_disk(h3.latlng_to_cell(*PLACE, 9), 2)):
            return "buffer"
        return "control" if r["area"] in ("A", "E") else None
    if kind == "cells":
        if r["category"] != "stold":
            return None
        disk = set(cells)
        ring = {c for cell in cells for c in h3.grid_disk(cell, 2)} - disk
        if point and cell9(r) in disk:
            return "target"
        if point and cell9(r) in ring:
            return "buffer"
        return "control" if r["area"] in ("A", "B", "B1", "C") else None
    return {"B": "target", "B1": "target", "A": "buffer", "C": "buffer", "D": "control", "E": "control"}.get(r["area"])


def expected_counts(raw, kind: str, cells, window: e.EffectWindow) -> Counter:
    weeks = set(window.week_starts("before")) | set(window.week_starts("after"))
    out = Counter()
    for r in raw:
        group = expected_group(r, kind, cells)
        if group is not None and week_of(r["at"]) in weeks:
            out[(group, week_of(r["at"]))] += 1
    return out


@pytest.mark.parametrize("weeks", [3, 8])
@pytest.mark.parametrize("kind", ["place", "area", "cells"])
def test_effect_counts_equal_an_independent_count_of_the_raw_rows(store, engine, kind, weeks):
    got = q.action_effect_counts(engine, scope=scope_of(store["ids"]), action_id=store["actions"][kind], weeks=weeks,
                                 today=TODAY)
    window = got.attrs["window"]
    assert window == e.effect_window(START, weeks=weeks, today=TODAY)
    expected = expected_counts(store["raw"], kind, store["cells"], window)
    as_counter = Counter({(g, w): n for g, _, w, n in got.itertuples(index=False) if n})
    assert as_counter == expected
    assert sum(expected.values()) > 50 and {g for g, _ in expected} == {"target", "buffer", "control"}


def test_the_frame_holds_every_week_of_every_group_and_says_when_today_cut_the_after_period(store, engine):
    got = q.action_effect_counts(engine, scope=scope_of(store["ids"]), action_id=store["actions"]["place"], weeks=8,
                                 today=TODAY)
    window = got.attrs["window"]
    assert window.weeks == 5 and window.truncated and window.after_to == date(2026, 5, 10)
    assert list(got.columns) == q.COUNT_COLUMNS and len(got) == 3 * 2 * 5
    assert set(got["period"]) == {"before", "after"} and got["count"].dtype == "int64"
    assert all(isinstance(w, date) and w.weekday() == 0 for w in got["week_start"])
    assert date(2026, 3, 30) not in set(got["week_start"])  # the starting week is left out
    assert got.attrs["setup"].kind == "place"


def test_a_role_without_precise_action_location_gets_the_counts_but_not_the_place_or_cells(store, engine):
    ids = store["ids"]
    reader = Scope(user_id=ids["lasare"], role="lasare", organisation_id=ids["org_a"])
    assert not reader.can("action", "precise_location")
    for kind in ("place", "cells"):
        action_id = store["actions"][kind]
        full = q.action_effect_counts(engine, scope=scope_of(ids), action_id=action_id, weeks=8, today=TODAY)
        shown = q.action_effect_counts(engine, scope=reader, action_id=action_id, weeks=8, today=TODAY)
        setup = shown.attrs["setup"]
        assert (setup.place_id, setup.place_lat, setup.place_lon) == (None, None, None), kind
        assert setup.target_cells == () and setup.buffer_cells == (), kind
        assert (full.attrs["setup"].place_lat is not None) or full.attrs["setup"].target_cells, kind
        pd.testing.assert_frame_equal(shown, full)  # the same counts, made with the place the reader cannot see


def test_the_week_edges_around_local_midnight_fall_in_stockholm_weeks(store, engine):
    got = q.action_effect_counts(engine, scope=scope_of(store["ids"]), action_id=store["actions"]["area"], weeks=8,
                                 today=TODAY)
    target = {w: n for g, _, w, n in got.itertuples(index=False) if g == "target"}
    raw_target = Counter(week_of(r["at"]) for r in store["raw"] if r["area"] in ("B", "B1"))
    for edge in EDGES:
        week = week_of(edge)
        if week in target:
            assert target[week] == raw_target[week]
    assert set(target) == {date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16),
                           date(2026, 3, 23), date(2026, 4, 6), date(2026, 4, 13), date(2026, 4, 20),
                           date(2026, 4, 27), date(2026, 5, 4)}


def test_controls_are_sibling_areas_away_from_the_target_and_its_buffer(store, engine):
    setups = {k: q.action_effect_setup(engine, scope=scope_of(store["ids"]), action_id=store["actions"][k])
              for k in ("place", "area", "cells")}
    assert setups["area"].target_area_codes == ("B", "B1")
    assert setups["area"].buffer_area_codes == ("A", "C")
    assert setups["area"].control_area_codes == ("D", "E")
    assert setups["place"].control_area_codes == ("A", "E")  # the ring around the place reaches into B and D
    assert setups["cells"].control_area_codes == ("A", "B", "C")  # the ring around the cells reaches into D
    assert setups["cells"].cell_res == 9 and len(setups["cells"].target_cells) == 7
    assert set(setups["cells"].buffer_cells).isdisjoint(setups["cells"].target_cells)


def test_events_placed_on_the_municipality_never_count_for_a_district_but_the_districts_own_area_events_do(
        store, engine):
    got = q.action_effect_counts(engine, scope=scope_of(store["ids"]), action_id=store["actions"]["area"], weeks=8,
                                 today=TODAY)
    window = got.attrs["window"]
    weeks = set(window.week_starts("before")) | set(window.week_starts("after"))
    in_window = [r for r in store["raw"] if week_of(r["at"]) in weeks]
    target_total = int(got[got["group"] == "target"]["count"].sum())
    area_level_b = sum(1 for r in in_window if r["lat"] is None and r["area"] in ("B", "B1"))
    assert area_level_b > 0 and target_total == sum(1 for r in in_window if r["area"] in ("B", "B1"))
    assert sum(1 for r in in_window if r["area"] == "K") > 0
    assert int(got["count"].sum()) == sum(1 for r in in_window if r["area"] in ("A", "B", "B1", "C", "D", "E"))


def test_a_place_target_counts_only_exact_points_and_rows_registered_at_the_place(store, engine):
    got = q.action_effect_counts(engine, scope=scope_of(store["ids"]), action_id=store["actions"]["place"], weeks=8,
                                 today=TODAY)
    window = got.attrs["window"]
    weeks = set(window.week_starts("before")) | set(window.week_starts("after"))
    far_at_place = sum(1 for r in store["raw"] if r["place"] and r["lon"] == 14.605 and week_of(r["at"]) in weeks
                       and r["category"] in ("skadegorelse", "klotter"))
    box_only = sum(1 for r in store["raw"] if not r["place"] and r["lat"] is not None and in_place_box(r)
                   and week_of(r["at"]) in weeks and r["category"] in ("skadegorelse", "klotter"))
    assert far_at_place > 0 and box_only > 0
    assert int(got[got["group"] == "target"]["count"].sum()) >= far_at_place + box_only


def test_an_action_without_a_start_date_or_a_place_is_not_evaluated(store, engine):
    sc = scope_of(store["ids"])
    for key in ("no_start", "nowhere"):
        counts = q.action_effect_counts(engine, scope=sc, action_id=store["actions"][key], weeks=8, today=TODAY)
        assert counts.empty and counts.attrs["window"] is None and list(counts.columns) == q.COUNT_COLUMNS
        assert q.action_effect(engine, scope=sc, action_id=store["actions"][key], today=TODAY) is None
    assert q.action_effect(engine, scope=sc, action_id=999_999, today=TODAY) is None


def test_an_action_that_has_not_started_evaluates_to_too_little_data(store, engine):
    result = q.action_effect(engine, scope=scope_of(store["ids"]), action_id=store["actions"]["place"],
                             today=START + timedelta(days=3))
    assert result.weeks == 0 and result.verdict == e.TOO_LITTLE_DATA and result.truncated


def test_control_areas_given_by_the_caller_replace_the_chosen_ones_and_bad_ones_are_refused(store, engine):
    sc = scope_of(store["ids"])
    got = q.action_effect_counts(engine, scope=sc, action_id=store["actions"]["area"], weeks=8, today=TODAY,
                                 control_area_codes=("E",))
    window = got.attrs["window"]
    weeks = set(window.week_starts("before")) | set(window.week_starts("after"))
    control = int(got[got["group"] == "control"]["count"].sum())
    assert control == sum(1 for r in store["raw"] if r["area"] == "E" and week_of(r["at"]) in weeks)
    with pytest.raises(ValueError, match="Okänt jämförelseområde"):
        q.action_effect_counts(engine, scope=sc, action_id=store["actions"]["area"], today=TODAY,
                               control_area_codes=("X",))
    with pytest.raises(ValueError, match="ingår i åtgärdens område eller närområde"):
        q.action_effect_counts(engine, scope=sc, action_id=store["actions"]["area"], today=TODAY,
                               control_area_codes=("C",))


def test_cells_finer_than_the_stored_resolutions_count_by_their_resolution_9_parents(store, engine):
    fine = [h3.cell_to_center_child(c, 10) for c in store["cells"]]
    with session_scope(engine) as s:
        s.get(Action, store["actions"]["cells"]).h3_cells = ",".join(fine)
    got = q.action_effect_counts(engine, scope=scope_of(store["ids"]), action_id=store["actions"]["cells"], weeks=8,
                                 today=TODAY)
    assert got.attrs["setup"].target_cells == tuple(sorted(store["cells"]))
    expected = expected_counts(store["raw"], "cells", store["cells"], got.attrs["window"])
    assert Counter({(g, w): n for g, _, w, n in got.itertuples(index=False) if n}) == expected


def test_a_resolution_8_cell_counts_by_the_stored_resolution_8_column(store, engine):
    cell = h3.latlng_to_cell(*CELL_CENTRE, 8)
    with session_scope(engine) as s:
        s.get(Action, store["actions"]["cells"]).h3_cells = cell
    got = q.action_effect_counts(engine, scope=scope_of(store["ids"]), action_id=store["actions"]["cells"], weeks=8,
                                 today=TODAY)
    weeks = set(got.attrs["window"].week_starts("before")) | set(got.attrs["window"].week_starts("after"))
    expected = sum(1 for r in store["raw"] if r["lat"] is not None and r["category"] == "stold"
                   and h3.latlng_to_cell(r["lat"], r["lon"], 8) == cell and week_of(r["at"]) in weeks)
    assert got.attrs["setup"].cell_res == 8 and expected > 0
    assert int(got[got["group"] == "target"]["count"].sum()) == expected


def test_action_effect_evaluates_the_counted_frame(store, engine):
    sc = scope_of(store["ids"])
    counts = q.action_effect_counts(engine, scope=sc, action_id=store["actions"]["place"], weeks=8, today=TODAY)
    result = q.action_effect(engine, scope=sc, action_id=store["actions"]["place"], weeks=8, today=TODAY)
    assert result == e.evaluate_frame(counts, window=counts.attrs["window"])
    target = counts[counts["group"] == "target"]
    assert result.target_before == int(target[target["period"] == "before"]["count"].sum())
    assert result.weeks == 5 and result.truncated and result.verdict in e.VERDICTS


# --- the demo ------------------------------------------------------------------------------------------------------

DEMO_TODAY = date(2026, 11, 25)  # fixed, so the realisation (and every verdict below) is the same on every run
DEMO_SEED = 7


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def demo_effects(request, tmp_path_factory):
    """The demo at full scale with a fixed today, and every action's evaluation at the default 8 weeks."""
    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('effects') / 'demo.db'}"
    else:
        url, drop = _fresh_pg_database(request.getfixturevalue("pg_admin_url"))
    eng = make_engine(url)
    upgrade_to_head(eng)
    load_demo(eng, seed=DEMO_SEED, today=DEMO_TODAY, scale=1.0)
    with eng.connect() as conn:
        effective = set(json.loads(conn.execute(select(StoreInfo.value)
                                                .where(StoreInfo.key == "demo_effective_actions")).scalar()))
        titles = dict(conn.execute(select(Action.id, Action.title)).all())
        uid, org = conn.execute(text('SELECT id, organisation_id FROM "user" WHERE username = \'samordnare\'')).one()
    sc = Scope(user_id=uid, role="samordnare", organisation_id=org)
    results = {aid: q.action_effect(eng, scope=sc, action_id=aid, today=DEMO_TODAY) for aid in titles}
    yield dict(effective=effective, titles=titles, results=results)
    eng.dispose()
    if drop is not None:
        drop()


def test_every_demo_action_built_to_reduce_incidents_comes_out_as_a_reduction(demo_effects):
    found = {demo_effects["titles"][a]: demo_effects["results"][a].verdict for a in demo_effects["effective"]}
    assert len(found) == 3 and all(v in e.DECREASES for v in found.values()), found


def test_a_demo_hotspot_action_without_a_built_in_effect_is_not_a_reduction(demo_effects):
    # Björkhagens centrum is a hotspot place with its own signal streams like the three effective places, but its
    # action changes nothing in the generator: the placebo of this comparison.
    placebo = next(a for a, t in demo_effects["titles"].items() if t.startswith("Fältassistenter kvällstid"))
    result = demo_effects["results"][placebo]
    assert result.verdict not in e.DECREASES and result.verdict != e.TOO_LITTLE_DATA
    assert result.target_before >= 15


def test_demo_actions_without_a_built_in_effect_come_out_as_reductions_no_more_often_than_chance(demo_effects):
    others = {a: r for a, r in demo_effects["results"].items() if a not in demo_effects["effective"] and r}
    judged = {a: r for a, r in others.items() if r.verdict != e.TOO_LITTLE_DATA}
    reductions = {demo_effects["titles"][a]: r.verdict for a, r in judged.items() if r.verdict in e.DECREASES}
    assert len(judged) >= 15
    assert len(reductions) <= 0.1 * len(judged), reductions  # "trolig" or "tydlig minskning" by chance: about 5 %
