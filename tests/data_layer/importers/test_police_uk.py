"""police.uk street CSV: monthly windows, unlocated rows kept off the map, hashed ids for anti-social behaviour."""
from collections import Counter
from datetime import datetime, timezone

import h3
import pytest
from sqlalchemy import select

from data_layer.importers.common import ImportRefused
from data_layer.importers.mappings import POLICE_UK_DEFAULTS
from data_layer.importers.police_uk import import_police_uk
from data_layer.db import make_engine
from data_layer.migrate import upgrade_to_head
from data_layer.models import Category, Incident
from tests.data_layer.importers.helpers import UK_CSV, load_uk_rows, snapshot

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context\n")


def _rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(*Incident.__table__.c, Category.code.label("category"))
                            .join(Category, Category.id == Incident.category_id)).all()


@pytest.fixture(scope="module")
def uk_rows():
    return load_uk_rows()


@pytest.fixture(scope="module")
def uk_store(tmp_path_factory):
    """An SQLite store holding the West Yorkshire month, imported once for the read-only checks below."""
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('uk') / 'uk.db'}")
    upgrade_to_head(eng)
    import_police_uk(eng, UK_CSV)
    yield eng
    eng.dispose()


def test_every_row_is_imported_and_unlocated_rows_are_kept_with_precision_none(engine, uk_rows):
    result = import_police_uk(engine, UK_CSV)
    rows = _rows(engine)
    unlocated = sum(1 for r in uk_rows if not r["Latitude"] and not r["Longitude"])
    assert result.accepted == len(rows) == len(uk_rows) == 27176
    assert Counter(r.location_precision for r in rows) == {"point": len(uk_rows) - unlocated, "none": unlocated}
    assert all(r.lat is None and r.h3_r9 is None
               for r in rows if r.location_precision == "none")


def test_located_rows_carry_their_h3_cells(uk_store):
    sample = next(r for r in _rows(uk_store) if r.location_precision == "point")
    assert sample.h3_r8 == h3.latlng_to_cell(sample.lat, sample.lon, 8)
    assert sample.h3_r7 == h3.latlng_to_cell(sample.lat, sample.lon, 7)


def test_anti_social_behaviour_without_crime_id_reimports_idempotently_and_keeps_identical_rows(uk_store, uk_rows):
    engine = uk_store
    without_id = [r for r in uk_rows if not r["Crime ID"]]
    identical_repeats = sum(n - 1 for n in Counter(tuple(r.values()) for r in without_id).values())
    assert identical_repeats > 0  # the real file repeats some rows exactly: each is its own report
    before = snapshot(engine)
    again = import_police_uk(engine, UK_CSV)
    assert (again.accepted, again.duplicates_skipped) == (0, len(uk_rows))
    assert snapshot(engine) == before
    hashed = [r for r in _rows(engine) if r.external_id.startswith("uk:")]
    assert len(hashed) == len(without_id)


def test_the_month_becomes_a_window_from_its_first_to_its_last_moment(uk_store):
    windows = {(r.occurred_at, r.occurred_to) for r in _rows(uk_store)}
    assert windows == {(datetime(2016, 6, 30, 23, 0, tzinfo=timezone.utc),      # 1 July 00:00 BST
                        datetime(2016, 7, 31, 22, 59, 59, tzinfo=timezone.utc))}


def test_crime_types_map_onto_our_categories_and_are_kept_as_source_type(uk_store, uk_rows):
    rows = _rows(uk_store)
    assert Counter(r.category for r in rows) == Counter(POLICE_UK_DEFAULTS[r["Crime type"]] for r in uk_rows)
    assert Counter(r.source_type for r in rows) == Counter(r["Crime type"] for r in uk_rows)


def test_swapped_axes_are_rejected_and_reported_as_swapped(engine, tmp_path):
    path = tmp_path / "swapped.csv"
    path.write_text(HEADER + "A1,2025-09,,,59.33,18.06,Sergels torg,,,Drugs,,\n"     # lon/lat exchanged
                             "A2,2025-09,,,18.07,59.34,Kungsträdgården,,,Drugs,,\n", encoding="utf-8")
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        import_police_uk(engine, path, region="sweden")
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (2, "Latitude/Longitude") and "omkastade" in problem.reason
    assert snapshot(engine) == before
    result = import_police_uk(engine, path, region="sweden", skip_invalid=True)
    assert (result.accepted, result.conversions["swapped_axes"]) == (1, 1)


def test_coordinates_outside_the_region_are_rejected(engine, tmp_path):
    path = tmp_path / "leeds_in_sweden.csv"
    path.write_text(HEADER + "B1,2016-07,,,-1.55,53.80,Leeds,,,Drugs,,\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="utanför Sverige"):
        import_police_uk(engine, path, region="sweden")
    assert import_police_uk(engine, path, region="england").accepted == 1


def test_a_bad_month_names_its_row_and_column(engine, tmp_path):
    path = tmp_path / "bad_month.csv"
    path.write_text(HEADER + "C1,2016-07,,,-1.55,53.80,Leeds,,,Drugs,,\nC2,juli 2016,,,-1.55,53.80,Leeds,,,Drugs,,\n",
                    encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_police_uk(engine, path)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "Month")]
