"""Areas from any GeoJSON: upsert by code, a centre inside every area, and point assignment with a coastline fallback."""
import csv
import json

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import select
from sqlmodel import Session

from data_layer.importers.area_index import assign_areas
from data_layer.importers.areas import import_areas
from data_layer.importers.common import ImportRefused
from data_layer.models import Area
from tests.data_layer.importers.helpers import GEO, load_events, snapshot

FILES = {  # file: (name field, code field, level, parent)
    "kommuner_scb_simplified.geojson": ("kommun", "kommun_kod", "kommun", None),
    "kommuner_lantmateriet.geojson": ("kom_namn", "id", "kommun", None),
    "lan_scb_simplified.geojson": ("lan", "lan_kod", "lan", None),
    "stockholm_stadsdelar.geojson": ("name", None, "stadsdel", "0180"),
}


def _areas(engine):
    with Session(engine) as session:
        return session.execute(select(Area)).scalars().all()


def _features(name):
    return json.loads((GEO / name).read_text(encoding="utf-8"))["features"]


@pytest.mark.parametrize("file_name", FILES)
def test_each_shared_geo_file_imports_and_reimporting_it_changes_nothing(sweden, file_name):
    name_field, code_field, level, parent = FILES[file_name]
    features = _features(file_name)
    first = import_areas(sweden, GEO / file_name, name_field=name_field, code_field=code_field, level=level,
                         parent_code=parent)
    assert first.features_read == len(features) and first.rejected == []
    assert len([a for a in _areas(sweden) if a.level == level]) == len(features)
    before = snapshot(sweden)
    again = import_areas(sweden, GEO / file_name, name_field=name_field, code_field=code_field, level=level,
                         parent_code=parent)
    assert (again.created, again.updated, again.unchanged, again.batch_id) == (0, 0, len(features), None)
    assert snapshot(sweden) == before


def test_every_area_centre_lies_inside_its_own_area(sweden):
    import_areas(sweden, GEO / "stockholm_stadsdelar.geojson", name_field="name", code_field=None, level="stadsdel",
                 parent_code="0180")
    outside = [a.name for a in _areas(sweden)
               if not shape(json.loads(a.geometry)).buffer(1e-9).contains(Point(a.centroid_lon, a.centroid_lat))]
    assert outside == []


def test_city_districts_get_derived_codes_under_their_parent(sweden):
    import_areas(sweden, GEO / "stockholm_stadsdelar.geojson", name_field="name", code_field=None, level="stadsdel",
                 parent_code="0180")
    districts = {a.code: a for a in _areas(sweden) if a.level == "stadsdel"}
    stockholm = next(a for a in _areas(sweden) if a.code == "0180")
    assert districts["0180-norra-djurgarden"].name == "Norra Djurgården"
    assert {a.parent_id for a in districts.values()} == {stockholm.id}


def test_population_is_joined_on_the_code(engine):
    with open(GEO / "kommuner_population_2024.csv", encoding="utf-8") as fh:
        expected = {r["kommun_kod"]: int(r["population"]) for r in csv.DictReader(fh)}
    result = import_areas(engine, GEO / "kommuner_scb_simplified.geojson", name_field="kommun", code_field="kommun_kod",
                          level="kommun", population_path=GEO / "kommuner_population_2024.csv")
    assert result.with_population == 290
    assert {a.code: a.population for a in _areas(engine)} == expected


def test_a_feature_without_a_name_refuses_the_file(engine, tmp_path):
    doc = json.loads((GEO / "lan_scb_simplified.geojson").read_text(encoding="utf-8"))
    doc["features"][3]["properties"]["lan"] = ""
    (tmp_path / "lan.geojson").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_areas(engine, tmp_path / "lan.geojson", name_field="lan", code_field="lan_kod", level="lan")
    assert [(p.row, p.column) for p in refused.value.problems] == [(4, "lan")]
    assert _areas(engine) == []


def test_a_dry_run_of_areas_writes_nothing(engine):
    result = import_areas(engine, GEO / "lan_scb_simplified.geojson", name_field="lan", code_field="lan_kod",
                          level="lan", dry_run=True)
    assert result.created == 21 and _areas(engine) == []


def test_points_inside_a_polygon_get_its_area(sweden):
    jonkoping = next(a for a in _areas(sweden) if a.name == "Jönköping")
    assigned = assign_areas(sweden, [(57.7826, 14.1618)], level="kommun")
    assert (assigned.area_ids, assigned.fallbacks) == ([jonkoping.id], 0)


def test_police_municipality_centres_off_the_simplified_coast_fall_back_to_the_nearest_municipality(sweden):
    centres = sorted({(e["location"]["name"], e["location"]["gps"]) for e in load_events()
                      if not e["location"]["name"].endswith(" län")})
    points = [tuple(map(float, gps.split(","))) for _, gps in centres]
    names = {a.id: a.name.lower() for a in _areas(sweden)}
    strict = assign_areas(sweden, points, level="kommun", max_fallback_m=0)
    loose = assign_areas(sweden, points, level="kommun", max_fallback_m=2_000)
    rescued = [(name, names[b]) for (name, _), a, b in zip(centres, strict.area_ids, loose.area_ids) if a is None and b]
    assert strict.fallbacks == 0 and loose.fallbacks == len(rescued) >= 5
    assert all(own.lower() == got for own, got in rescued)  # the fallback finds each town's own municipality


def test_a_point_far_out_at_sea_gets_no_area(sweden):
    assert assign_areas(sweden, [(56.0, 19.5)], max_fallback_m=2_000).area_ids == [None]
