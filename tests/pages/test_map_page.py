"""The map page on the demo store: the layers a coordinator and a viewer get, hexagon counts that equal an
independent H3 binning of the raw rows, the demo's emerging hotspot marked new, the side panel through the
keyboard picker, and a proposed action that lands in the register."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter

import h3
import pandas as pd

from tests.pages.test_pages_render import default_period, logged_in, sql, store  # noqa: F401 (fixture)

MAX_PAYLOAD = 2 * 1024 * 1024


def open_map(username: str = "samordnare"):
    at = logged_in(username)
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    return at


def deck(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def layers(at) -> dict[str, dict]:
    return {layer["id"]: layer for layer in deck(at)["layers"]}


def raw_points(path: str, start: str, end: str) -> list[tuple[float, float]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT lat, lon FROM incident WHERE occurred_date BETWEEN ? AND ? AND "
                            "location_precision = 'point' AND lat IS NOT NULL", (start, end)).fetchall()


def test_a_coordinator_gets_the_default_layers_and_may_add_single_incidents(store):
    at = open_map("samordnare")
    assert set(layers(at)) >= {"areas", "area_events", "hexagons", "actions"}
    pills = at.button_group(key="map_layers")
    assert "Enskilda händelser" in pills.options
    assert at.button_group(key="map_resolution_all").options[-1].startswith("Fin")
    pills.set_value([*pills.value, "points"]).run()
    points = layers(at)["points"]["data"]
    start, end = default_period()
    assert len(points) == min(len(raw_points(store, start, end)), 3000)


def test_a_viewer_gets_no_single_incidents_and_no_fine_cells(store):
    at = open_map("lasare")
    assert "Enskilda händelser" not in at.button_group(key="map_layers").options
    assert "points" not in layers(at)
    resolutions = at.button_group(key="map_resolution_all").options
    assert not any(option.startswith("Fin") for option in resolutions)
    assert {cell["cell"] for cell in layers(at)["hexagons"]["data"]} and \
        all(h3.get_resolution(cell["cell"]) <= 8 for cell in layers(at)["hexagons"]["data"])


def test_hexagon_counts_equal_an_independent_binning_of_the_raw_rows(store):
    at = open_map()
    at.button_group(key="map_colour").set_value("count").run()
    hexes = layers(at)["hexagons"]["data"]
    resolution = h3.get_resolution(hexes[0]["cell"])
    start, end = default_period()
    expected = Counter(h3.latlng_to_cell(lat, lon, resolution) for lat, lon in raw_points(store, start, end))
    assert {cell["cell"]: cell["count"] for cell in hexes} == dict(expected)


def test_area_level_events_are_drawn_on_their_area_and_not_counted_in_any_hexagon(store):
    at = open_map()
    start, end = default_period()
    area_level = sql(store, "SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN ? AND ? AND "
                            "location_precision = 'area' AND area_id IS NOT NULL", start, end)
    features = layers(at)["area_events"]["data"]["features"]
    assert sum(f["properties"]["count"] for f in features) == area_level
    assert sum(cell["count"] for cell in layers(at)["hexagons"]["data"]) == len(raw_points(store, start, end))


def test_the_demo_emerging_hotspot_is_marked_as_a_new_hotspot(store):
    at = open_map()
    place = json.loads(sql(store, "SELECT value FROM storeinfo WHERE key = 'demo_facts'"))["emerging_place_id"]
    lat, lon = sqlite3.connect(store).execute("SELECT lat, lon FROM place WHERE id = ?", (int(place),)).fetchone()
    hexes = {cell["cell"]: cell for cell in layers(at)["hexagons"]["data"]}
    resolution = h3.get_resolution(next(iter(hexes)))
    around = h3.grid_disk(h3.latlng_to_cell(lat, lon, resolution), 1)
    assert any("Ny hotspot" in hexes[c]["detail"] for c in around if c in hexes)
    new_elsewhere = [c for c, cell in hexes.items() if "Ny hotspot" in cell["detail"] and c not in around]
    assert len(new_elsewhere) <= 2, "random wobble elsewhere must not light up as new hotspots"


def test_the_side_panel_shows_the_chosen_cell_with_counts_that_match_the_raw_rows(store):
    at = open_map()
    resolution = h3.get_resolution(layers(at)["hexagons"]["data"][0]["cell"])
    start, end = default_period()
    cell, n = Counter(h3.latlng_to_cell(lat, lon, resolution)
                      for lat, lon in raw_points(store, start, end)).most_common(1)[0]
    assert at.selectbox(key="map_pick").options[0].endswith(f"({n} händelser)")  # the busiest cell comes first
    at.selectbox(key="map_pick").set_value(f"cell:{cell}").run()
    assert not at.exception, at.exception
    assert at.session_state["map_selection"] == {"kind": "cell", "cell": cell}
    assert any(md.value == f"**{n} händelser i perioden**" for md in at.markdown)


def test_proposing_an_action_from_the_panel_puts_it_in_the_register_for_that_cell(own_store):
    store = own_store
    at = open_map()
    cell = max(layers(at)["hexagons"]["data"], key=lambda c: c["count"])["cell"]  # the demo's Lundenparken
    at.selectbox(key="map_pick").set_value(f"cell:{cell}").run()
    before = sql(store, "SELECT COUNT(*) FROM action")
    title = next(w for w in at.text_input if w.label == "Rubrik")
    assert title.value == "Åtgärd vid Lundenparken"
    title.input("Belysning vid gångtunneln")
    next(b for b in at.button if b.label == "Lägg till i åtgärdsregistret").click().run()
    assert not at.exception, at.exception
    assert sql(store, "SELECT COUNT(*) FROM action") == before + 1
    with sqlite3.connect(store) as conn:
        status, cells = conn.execute("SELECT status, h3_cells FROM action WHERE title = ?",
                                     ("Belysning vid gångtunneln",)).fetchone()
    assert (status, cells) == ("föreslagen", cell)


def test_the_deck_stays_well_under_two_megabytes_with_every_layer_on(store):
    at = open_map()
    pills = at.button_group(key="map_layers")
    pills.set_value(["hexagons", "heatmap", "points", "areas", "area_events", "places", "actions", "events",
                     "marks"]).run()
    assert not at.exception, at.exception
    assert len(at.get("deck_gl_json_chart")[0].proto.json) < MAX_PAYLOAD
    assert {"heatmap", "points", "places", "events", "marks"} <= set(layers(at))


def test_the_perception_layer_colours_the_demos_unsafe_calm_and_busy_safe_areas_by_their_quadrant(store):
    from ui.maps import QUADRANT_COLOURS

    facts = json.loads(sql(store, "SELECT value FROM storeinfo WHERE key = 'demo_facts'"))
    at = open_map()
    at.selectbox(key="map_area_colour").set_value("perception").run()
    assert not at.exception, at.exception
    fills = {f["properties"]["code"]: f["properties"]["fill"][:3] for f in layers(at)["areas"]["data"]["features"]}
    assert fills[facts["unsafe_calm_area"]] == list(QUADRANT_COLOURS["unsafe_calm"])
    assert fills[facts["busy_safe_area"]] == list(QUADRANT_COLOURS["busy_safe"])
    assert any("Upplevd otrygghet" in c.value or "upplevd otrygghet" in c.value for c in at.caption)


def test_a_viewer_sees_no_count_below_three_anywhere_on_the_map(store):
    import re

    at = open_map("lasare")
    hexes = layers(at)["hexagons"]["data"]
    shown = [c["count"] for c in hexes if c["count"] is not None]
    assert shown and min(n for n in shown if n) >= 3  # zero stays visible: an empty cell reveals nobody
    assert any(c["count"] is None and "färre än 3" in c["detail"] for c in hexes)
    # the published total minus the shown cells leaves at least two hidden cells with room to spare
    start, end = default_period()
    total = len(raw_points(store, start, end))
    hidden = [c for c in hexes if c["count"] is None]
    assert len(hidden) >= 2 and total - sum(shown) > len(hidden)
    texts = [c["detail"] for c in hexes] + [f["properties"]["detail"] for f in layers(at)["areas"]["data"]["features"]]
    assert not any(re.search(r"(?<![\d,])[12] händelser", text) for text in texts)
    for frame in at.dataframe:
        for column in frame.value.columns:
            if column in ("Händelser", "Händelser på områdesnivå"):
                values = [v for v in frame.value[column] if not pd.isna(v)]
                assert not any(0 < int(v) < 3 for v in values), column


def test_a_viewer_is_offered_no_layer_of_residents_marks_and_an_area_manager_is(store):
    from ui.i18n import t

    label = t("map.layer.marks", lang="sv")
    assert label not in open_map("lasare").button_group(key="map_layers").options
    at = open_map("omradeschef")
    pills = at.button_group(key="map_layers")
    assert label in pills.options
    pills.set_value([*pills.value, "marks"]).run()
    assert len(layers(at)["marks"]["data"]) == sql(store, "SELECT COUNT(*) FROM surveyplacemark")
