"""Hotspots: Gi* on the H3 grid against esda and a hand-computed grid, the trend classes, study cells, resolution."""
import csv
import json
import math
import warnings

import h3
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, shape

from analysis.hotspots import (CLASS_ORDER, TREND_EXPLANATIONS, TREND_LABELS, TREND_ORDER, choose_resolution,
                               gi_star, hotspot_classes, study_cells, study_polygons, trend_class)
from tests.conftest import SHARED_DATA

esda = pytest.importorskip("esda")
libpysal_weights = pytest.importorskip("libpysal.weights")

ORIGIN = h3.latlng_to_cell(57.65, 14.69, 8)  # somewhere in Småland
UK_CSV = SHARED_DATA / "uk_police" / "2016-07-west-yorkshire-street.csv"
STADSDELAR = SHARED_DATA / "geo" / "stockholm_stadsdelar.geojson"


def esda_z(counts: dict, universe: list[str], k: int) -> np.ndarray:
    """esda's analytic Gi* z (Zs) with binary k-ring weights built independently from h3.grid_disk."""
    members = set(universe)
    neighbours = {c: [d for d in h3.grid_disk(c, k) if d in members and d != c] for c in universe}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands, numba absent
        w = libpysal_weights.W(neighbours, id_order=universe, silence_warnings=True)
        y = np.array([counts.get(c, 0) for c in universe], dtype=float)
        return esda.G_Local(y, w, transform="B", star=True, permutations=0).Zs


def noise(cells, *, mean: float, seed: int) -> dict:
    return dict(zip(cells, np.random.default_rng(seed).poisson(mean, len(cells)).tolist()))


# --- against esda -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("k", [1, 2])
def test_z_scores_agree_with_esda_on_a_random_grid(k):
    cells = list(h3.grid_disk(ORIGIN, 10))  # 331 cells
    counts = noise(cells, mean=2.0, seed=k)
    result = gi_star(counts, cells=cells, k=k)
    assert result["cell"].tolist() == cells
    np.testing.assert_allclose(result["z"], esda_z(counts, cells, k), rtol=0, atol=1e-9)


def test_z_scores_agree_with_esda_on_a_grid_with_a_planted_hotspot():
    cells = list(h3.grid_disk(ORIGIN, 12))
    counts = noise(cells, mean=1.0, seed=7)
    hotspot = h3.grid_disk(h3.grid_ring(ORIGIN, 6)[0], 1)
    counts.update({c: counts[c] + 9 for c in hotspot})
    result = gi_star(counts, cells=cells)
    np.testing.assert_allclose(result["z"], esda_z(counts, cells, 1), rtol=0, atol=1e-9)
    assert result["z"].idxmax() == cells.index(h3.grid_ring(ORIGIN, 6)[0])


def test_z_scores_agree_with_esda_on_real_crime_counts_with_a_ragged_edge():
    counts: dict[str, int] = {}
    with UK_CSV.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Latitude"] and row["Longitude"]:
                cell = h3.latlng_to_cell(float(row["Latitude"]), float(row["Longitude"]), 8)
                counts[cell] = counts.get(cell, 0) + 1
    cells = sorted({d for c in counts for d in h3.grid_disk(c, 1)})  # the busy cells and a ragged rim of zeros
    result = gi_star(counts, cells=cells)
    assert len(cells) > 2000 and result["count"].sum() == sum(counts.values())
    np.testing.assert_allclose(result["z"], esda_z(counts, cells, 1), rtol=0, atol=1e-9)


def test_counts_outside_the_study_area_join_the_universe_as_esda_sees_it():
    cells = list(h3.grid_disk(ORIGIN, 4))
    counts = noise(cells, mean=3.0, seed=3)
    for outside in (h3.grid_ring(ORIGIN, 5)[:3], h3.grid_ring(ORIGIN, 7)[2:4]):  # same area, other extra cells
        extra = {c: 5 + i for i, c in enumerate(outside)}
        result = gi_star({**counts, **extra}, cells=cells)
        universe = cells + list(extra)
        assert result["cell"].tolist() == universe
        np.testing.assert_allclose(result["z"], esda_z({**counts, **extra}, universe, 1), rtol=0, atol=1e-9)


# --- by hand ------------------------------------------------------------------------------------------------------

def test_the_centre_of_a_two_ring_grid_matches_the_gi_star_formula_by_hand():
    # 19 cells: the centre holds 9, each of the 6 cells around it 4, each of the 12 in the outer ring 1.
    rings = [[ORIGIN], h3.grid_ring(ORIGIN, 1), h3.grid_ring(ORIGIN, 2)]
    counts = {c: value for ring, value in zip(rings, (9, 4, 1)) for c in ring}
    cells = [c for ring in rings for c in ring]
    # n = 19; Σy = 9 + 6·4 + 12·1 = 45, ȳ = 45/19; Σy² = 81 + 96 + 12 = 189
    # S² = Σy²/n − ȳ² = 189/19 − 2025/361 = (3591 − 2025)/361 = 1566/361, so S = √1566 / 19
    # centre: W = 7 (itself and its ring), Σ w·y = 9 + 24 = 33
    # z = (Σ w·y − ȳ·W) / (S·√((n·W − W²)/(n − 1))) = (33 − 315/19) / (√1566/19 · √((133 − 49)/18))
    #   = (312/19) / (√1566/19 · √(14/3)) = 312 / √(1566 · 14/3) = 312 / √7308
    # an inner-ring cell: itself 4, the centre 9, two inner neighbours 4 + 4, three outer 1 + 1 + 1: Σ w·y = 24, W = 7
    #   z = (24 − 315/19) / (same) = (141/19) / (√1566/19 · √(14/3)) = 141 / √7308
    result = gi_star(counts, cells=cells).set_index("cell")
    assert result.loc[ORIGIN, "z"] == pytest.approx(312 / math.sqrt(7308), abs=1e-9)  # 3.6497
    assert result.loc[rings[1][0], "z"] == pytest.approx(141 / math.sqrt(7308), abs=1e-9)  # 1.6494
    assert result.loc[ORIGIN, "p"] == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(3.6497 / math.sqrt(2)))), rel=1e-3)
    assert result.loc[ORIGIN, "cls"] == "hot99" and result.loc[rings[1][0], "cls"] == "ns"


def test_a_neighbourhood_that_covers_the_whole_study_area_has_z_zero():
    # 7 cells: the centre's neighbourhood is the whole universe, so its sum is the total and cannot vary (n·W = W²).
    cells = list(h3.grid_disk(ORIGIN, 1))
    result = gi_star({ORIGIN: 10, cells[1]: 1}, cells=cells).set_index("cell")
    assert result.loc[ORIGIN, "z"] == 0 and result.loc[ORIGIN, "cls"] == "ns"


# --- classes ------------------------------------------------------------------------------------------------------

def test_a_planted_cluster_is_hot99_and_a_lone_blip_of_the_same_height_is_not():
    cells = list(h3.grid_disk(ORIGIN, 15))  # 721 cells
    counts = noise(cells, mean=2.0, seed=11)
    cluster_centre, blip = h3.grid_ring(ORIGIN, 7)[0], h3.grid_ring(ORIGIN, 7)[20]
    counts.update({c: 9 for c in h3.grid_disk(cluster_centre, 1)})
    counts[blip] = 9
    result = gi_star(counts, cells=cells).set_index("cell")
    assert result.loc[cluster_centre, ["cls", "cls_fdr"]].tolist() == ["hot99", "hot99"]
    assert result.loc[blip, "cls"] == "ns"


def test_pure_noise_gives_chance_hotspots_per_cell_but_none_after_the_false_discovery_rate():
    cells = list(h3.grid_disk(ORIGIN, 15))
    result = gi_star(noise(cells, mean=2.0, seed=5), cells=cells)
    assert (result["cls"] != "ns").sum() > 0  # about 5 % of 721 cells by chance
    assert (result["cls_fdr"] == "ns").all()
    assert (result["q"] >= result["p"] - 1e-15).all()


def test_a_cold_area_is_cold_and_classes_follow_p_and_the_sign_of_z():
    cells = list(h3.grid_disk(ORIGIN, 12))
    counts = {c: 6 for c in cells}
    counts.update({c: 0 for c in h3.grid_disk(ORIGIN, 2)})
    result = gi_star(counts, cells=cells).set_index("cell")
    assert result.loc[ORIGIN, "cls"] == "cold99"
    expected = np.select([(result.p < .01) & (result.z > 0), (result.p < .05) & (result.z > 0), result.p < .01,
                          result.p < .05], ["hot99", "hot95", "cold99", "cold95"], "ns")
    assert result["cls"].tolist() == expected.tolist() and set(result["cls"]) <= set(CLASS_ORDER)


@pytest.mark.parametrize("value", [0, 3, 0.1])
def test_all_equal_counts_give_z_zero_and_no_hotspot(value):
    cells = list(h3.grid_disk(ORIGIN, 3))
    result = gi_star({c: value for c in cells}, cells=cells)
    assert (result["z"] == 0).all() and (result["p"] == 1).all() and (result["cls"] == "ns").all()
    assert not result[["z", "p", "q"]].isna().any().any() and (result["cls_fdr"] == "ns").all()


def test_empty_input_gives_an_empty_table_with_every_column():
    result = gi_star({}, cells=[])
    assert result.empty and list(result.columns) == ["cell", "count", "z", "p", "q", "cls", "cls_fdr"]


def test_cells_without_a_count_count_zero_and_a_series_of_counts_works_like_a_dict():
    cells = list(h3.grid_disk(ORIGIN, 3))
    as_dict = {cells[0]: 4, cells[5]: 2}
    from_series = gi_star(pd.Series(as_dict), cells=cells)
    assert from_series.equals(gi_star(as_dict, cells=cells))
    assert from_series["count"].sum() == 6 and (from_series["count"] == 0).sum() == len(cells) - 2


def test_a_single_cell_has_z_zero():
    assert gi_star({ORIGIN: 5}, cells=[ORIGIN])[["z", "cls"]].values.tolist() == [[0.0, "ns"]]


@pytest.mark.parametrize("counts, cells, reason", [
    ({ORIGIN: -1}, [ORIGIN], "non-negative"),
    ({ORIGIN: float("nan")}, [ORIGIN], "finite"),
    ({}, [ORIGIN, "not-a-cell"], "not a valid H3 cell"),
    ({h3.cell_to_parent(ORIGIN, 7): 1}, [ORIGIN], "resolution 7"),
])
def test_bad_input_is_refused_naming_the_cell(counts, cells, reason):
    with pytest.raises(ValueError, match=reason):
        gi_star(counts, cells=cells)


# --- trends -------------------------------------------------------------------------------------------------------

def classes(**by_cell: str) -> pd.DataFrame:
    return pd.DataFrame({"cell": list(by_cell), "cls": list(by_cell.values()), "cls_fdr": "ns"})


@pytest.mark.parametrize("now, before, last_year, expected", [
    ("hot99", "ns", "ns", "ny"),
    ("hot95", "ns", None, "ny"),  # last year unknown
    ("hot95", "hot99", "ns", "ihallande"),
    ("hot99", "hot95", "hot99", "ihallande"),  # hot before as well: persistence wins over season
    ("ns", "hot95", "hot99", "avtagande"),
    ("cold99", "hot99", "ns", "avtagande"),
    ("hot99", "ns", "hot95", "aterkommande"),
    ("hot99", "cold95", "hot99", "aterkommande"),
    ("ns", "ns", "hot99", "ingen"),
    ("cold99", "cold95", "ns", "ingen"),
])
def test_each_trend_rule(now, before, last_year, expected):
    result = trend_class(recent=classes(a=now), before=classes(a=before),
                         last_year=None if last_year is None else classes(a=last_year))
    assert result.to_dict("records") == [{"cell": "a", "trend": expected}]


def test_a_cell_missing_from_a_window_was_not_hot_there():
    result = trend_class(recent=classes(a="hot99"), before=classes(b="hot99"), last_year=classes(c="hot99"))
    assert dict(zip(result["cell"], result["trend"])) == {"a": "ny", "b": "avtagande"}


def test_trends_can_follow_the_false_discovery_rate_classes():
    recent = classes(a="hot99").assign(cls_fdr="ns")
    before = classes(a="ns")
    assert trend_class(recent=recent, before=before, last_year=None)["trend"].tolist() == ["ny"]
    assert trend_class(recent=recent, before=before, last_year=None, significance="cls_fdr")["trend"].tolist() == [
        "ingen"]


def test_an_emerging_hotspot_found_by_gi_star_is_new():
    cells = list(h3.grid_disk(ORIGIN, 10))
    quiet = noise(cells, mean=2.0, seed=1)
    busy = {**quiet, **{c: 10 for c in h3.grid_disk(ORIGIN, 1)}}
    result = trend_class(recent=gi_star(busy, cells=cells), before=gi_star(quiet, cells=cells), last_year=None)
    assert result.set_index("cell").loc[ORIGIN, "trend"] == "ny"


def test_every_trend_has_a_label_and_a_one_line_explanation_in_swedish_and_english():
    assert sorted(TREND_ORDER) == sorted(TREND_EXPLANATIONS) == sorted(TREND_LABELS)
    assert set(TREND_ORDER) == {"ny", "ihallande", "avtagande", "aterkommande", "ingen"}
    for sv, en in TREND_EXPLANATIONS.values():
        assert sv and en and sv != en and "\n" not in sv + en


# --- study area and resolution ------------------------------------------------------------------------------------

SQUARE = {"type": "Polygon", "coordinates": [[[14.6, 57.6], [14.8, 57.6], [14.8, 57.7], [14.6, 57.7], [14.6, 57.6]]]}
HOLE = [[14.68, 57.64], [14.72, 57.64], [14.72, 57.66], [14.68, 57.66], [14.68, 57.64]]


def centre_point(cell: str) -> Point:
    lat, lon = h3.cell_to_latlng(cell)
    return Point(lon, lat)


def test_study_cells_are_exactly_the_cells_whose_centre_lies_in_the_polygon():
    cells = study_cells(polygons_geojson=[SQUARE], resolution=8)
    square = shape(SQUARE)
    candidates = h3.grid_disk(h3.latlng_to_cell(57.65, 14.7, 8), 15)  # covers the square with room to spare
    assert cells == sorted(c for c in candidates if square.contains(centre_point(c)))
    assert cells and all(h3.get_resolution(c) == 8 for c in cells)


def test_holes_are_left_out_and_multipolygons_add_up():
    holed = {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0], HOLE]}
    far = {"type": "Polygon", "coordinates": [[[15.0, 57.0], [15.1, 57.0], [15.1, 57.1], [15.0, 57.0]]]}
    multi = {"type": "MultiPolygon", "coordinates": [holed["coordinates"], far["coordinates"]]}
    with_hole = study_cells(polygons_geojson=[holed], resolution=9)
    hole = shape({"type": "Polygon", "coordinates": [HOLE]})
    assert with_hole and not any(hole.contains(centre_point(c)) for c in with_hole)
    assert len(with_hole) < len(study_cells(polygons_geojson=[SQUARE], resolution=9))
    both = study_cells(polygons_geojson=[multi], resolution=9)
    assert both == sorted(set(with_hole) | set(study_cells(polygons_geojson=[far], resolution=9)))


def test_study_cells_of_real_city_districts_read_longitude_first_and_skip_no_district():
    features = json.loads(STADSDELAR.read_text(encoding="utf-8"))["features"]
    cells = study_cells(polygons_geojson=features, resolution=8)
    districts = [shape(f["geometry"]) for f in features]
    lats = [h3.cell_to_latlng(c)[0] for c in cells]
    assert 59.1 < min(lats) and max(lats) < 59.5  # Stockholm, not a point in the sea off Somalia
    assert len(cells) == len(set(cells)) and cells == sorted(cells)
    sample = cells[::25]
    assert all(any(d.contains(centre_point(c)) for d in districts) for c in sample)


def test_a_geometry_that_is_not_a_polygon_is_refused_naming_its_number():
    with pytest.raises(ValueError, match="area polygon 2: type 'Point'"):
        study_cells(polygons_geojson=[SQUARE, {"type": "Point", "coordinates": [14.7, 57.6]}], resolution=8)


@pytest.mark.parametrize("zoom, resolution", [(3, 7), (9.99, 7), (10, 8), (11, 8), (11.59, 8), (11.6, 9), (18, 9)])
def test_the_resolution_follows_the_zoom(zoom, resolution):
    assert choose_resolution(zoom=zoom) == resolution


@pytest.mark.parametrize("lat", [55.0, 62.0, 69.0])
def test_from_municipality_zoom_in_the_chosen_cells_are_at_least_twenty_pixels_across_in_sweden(lat):
    for zoom in np.arange(10, 19, 0.25):  # below zoom 10 the coarsest resolution simply gets smaller on screen
        res = choose_resolution(zoom=float(zoom))
        metres_per_px = 40_075_016.7 * math.cos(math.radians(lat)) / (512 * 2 ** zoom)
        across = math.sqrt(3) * h3.average_hexagon_edge_length(res, unit="m")
        assert across / metres_per_px >= 20, (zoom, res)


STUDY_SQUARE = {"type": "Polygon", "coordinates": [[[14.60, 57.60], [14.70, 57.60], [14.70, 57.70], [14.60, 57.70],
                                                     [14.60, 57.60]]]}


def test_the_study_area_is_every_area_below_county_level_or_the_chosen_areas_and_their_children():
    import json as _json

    areas = pd.DataFrame({"code": ["L", "K", "A", "B"], "level": ["lan", "kommun", "omrade", "omrade"],
                          "parent_code": [None, "L", "K", "K"],
                          "geometry": [_json.dumps(STUDY_SQUARE)] * 3 + [None]})
    assert len(study_polygons(areas, ())) == 2  # kommun and A; B has no geometry; the county is left out
    assert len(study_polygons(areas, ("K",))) == 2
    assert len(study_polygons(areas, ("A",))) == 1


def test_a_cell_hot_in_the_period_that_equals_the_last_four_weeks_always_has_a_hot_trend():
    """The period Gi* and the trend windows share one grid: a hotspot in the period can never be 'ingen' when the
    period is the trend's recent window."""
    rng = np.random.default_rng(5)
    grid = list(h3.grid_disk(h3.latlng_to_cell(57.65, 14.7, 9), 8))
    recent = {c: int(rng.poisson(1)) for c in grid}
    for c in h3.grid_disk(grid[0], 1):
        recent[c] += 25
    windows = pd.DataFrame({"cell": grid, "recent": [recent[c] for c in grid],
                            "before": rng.poisson(3, len(grid)), "last_year": rng.poisson(1, len(grid))})
    table = hotspot_classes(recent, windows, cells=grid)
    hot = table[table["cls"].isin(["hot95", "hot99"])]
    assert len(hot) and (hot["trend"] != "ingen").all()
    assert set(table.columns) == {"cell", "count", "z", "cls", "trend", "recent", "before", "last_year"}


def test_a_store_without_areas_has_no_study_polygons():
    empty = pd.DataFrame({c: [] for c in ("code", "level", "parent_code", "geometry")})
    assert study_polygons(empty, ()) == [] and study_polygons(empty, ("X",)) == []
