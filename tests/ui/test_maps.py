"""Map building blocks: the basemap setting (Carto, none or a municipality's own tiles), area outlines simplified
but kept, hexagon colours by count, Gi* class and trend class, and the study area the hotspot grid covers."""
from __future__ import annotations

import json

import h3
import pandas as pd

from ui import map_data, maps

SQUARE = {"type": "Polygon", "coordinates": [[[14.60, 57.60], [14.70, 57.60], [14.70, 57.70], [14.60, 57.70],
                                               [14.60, 57.60]]]}


def test_the_basemap_is_carto_by_default_and_can_be_switched_off(monkeypatch):
    monkeypatch.delenv(maps.BASEMAP_ENV, raising=False)
    assert maps.basemap_setting() == "carto"
    assert (maps.basemap_provider(), maps.basemap_style()) == ("carto", "light")
    monkeypatch.setenv(maps.BASEMAP_ENV, "none")
    assert (maps.basemap_provider(), maps.basemap_style()) == (None, None)


def test_a_municipal_tile_server_becomes_a_raster_style_over_its_own_tiles(monkeypatch):
    url = "https://karta.example.se/tiles/{z}/{x}/{y}.png"
    monkeypatch.setenv(maps.BASEMAP_ENV, url)
    style = maps.basemap_style()
    assert maps.basemap_provider() == "carto"
    assert style["sources"]["own"]["tiles"] == [url] and style["layers"][0]["type"] == "raster"


def test_a_deck_without_basemap_still_carries_every_layer():
    layer = maps.hexagon_layer([{"cell": h3.latlng_to_cell(57.65, 14.65, 8), "fill": [1, 2, 3, 4], "name": "Ruta",
                                 "detail": "1 händelse"}])
    spec = json.loads(maps.deck([layer], maps.view_state(pd.DataFrame(columns=["geometry"])), basemap="none")
                      .to_json())
    assert spec.get("mapProvider") is None
    assert [x["id"] for x in spec["layers"]] == ["hexagons"]


def test_area_outlines_are_simplified_but_keep_their_shape_and_properties():
    ring = [[14.6 + 0.1 * i / 400, 57.6 + 0.00001 * (i % 2)] for i in range(401)]  # a wiggly bottom edge
    polygon = {"type": "Polygon", "coordinates": [ring + [[14.7, 57.7], [14.6, 57.7], ring[0]]]}
    areas = pd.DataFrame({"code": ["A"], "name": ["Centrum"], "level": ["omrade"],
                          "geometry": [json.dumps(polygon)]})
    features = maps.area_features(areas, {"A": 7}, details={"A": "7 händelser"})["features"]
    assert len(features[0]["geometry"]["coordinates"][0]) < 20
    assert features[0]["properties"] == {"code": "A", "name": "Centrum", "level": "omrade", "count": 7,
                                         "detail": "7 händelser", "fill": [0, 0, 0, 0]}


def _figures() -> map_data.CellFigures:
    cells = pd.DataFrame({"cell": ["a", "b", "c"], "count": [9, 3, 0], "top": ["", "", ""],
                          "cls": ["hot99", "ns", "ns"], "trend": ["ny", "ingen", "avtagande"]})
    return map_data.CellFigures(cells=cells, hot99=1, hot95=0, cold=0, trends={"ny": 1, "avtagande": 1})


def test_hexagons_take_the_colour_of_their_count_class_gi_class_or_trend():
    by_count, bins = map_data.hex_records(_figures(), colour="count", lang="sv")
    assert [r["cell"] for r in by_count] == ["a", "b"]  # an empty cell is not drawn by count
    assert by_count[0]["fill"] == [*maps.VIRIDIS[-1], 200] and bins[-1] == 9
    by_gi, _ = map_data.hex_records(_figures(), colour="gistar", lang="sv")
    assert by_gi[0]["fill"][:3] == list(maps.GI_COLOURS["hot99"]) and by_gi[1]["fill"][:3] == list(map_data.GREY)
    by_trend, _ = map_data.hex_records(_figures(), colour="trend", lang="sv")
    assert [r["fill"][:3] for r in by_trend] == [list(maps.TREND_COLOURS["ny"]), list(map_data.GREY),
                                                 list(maps.TREND_COLOURS["avtagande"])]
    assert "Ny hotspot" in by_trend[0]["detail"] and "Hotspot (99 %)" in by_trend[0]["detail"]


def test_the_week_slider_cuts_the_period_into_iso_weeks_with_partial_ends():
    from datetime import date

    from data_layer.queries.filters import IncidentFilter

    weeks = map_data.week_filters(IncidentFilter(start=date(2026, 11, 4), end=date(2026, 11, 26)))
    assert [(w.start.isoformat(), w.end.isoformat()) for w in weeks] == [
        ("2026-11-04", "2026-11-08"), ("2026-11-09", "2026-11-15"), ("2026-11-16", "2026-11-22"),
        ("2026-11-23", "2026-11-26")]


def test_the_maps_quadrant_colours_are_the_survey_scatters():
    from ui.survey_charts import QUADRANT_STYLE

    for quadrant, (colour, _symbol) in QUADRANT_STYLE.items():
        assert maps.QUADRANT_COLOURS[quadrant] == tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
