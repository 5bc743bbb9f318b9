"""Polisen's events JSON: every event lands on the municipality (or county) it names, as an area, never a point."""
from collections import Counter
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select
from sqlmodel import Session

from data_layer.db import make_engine
from data_layer.importers.areas import import_areas
from data_layer.importers.common import ImportRefused
from data_layer.importers.mappings import POLISEN_DEFAULTS, list_mappings, set_mapping
from data_layer.importers.polisen import import_polisen, parse_police_datetime
from data_layer.migrate import upgrade_to_head
from data_layer.models import Area, Category, Incident, Organisation
from tests.data_layer.importers.helpers import GEO, POLICE_ALL, POLICE_OCTOBER, load_events, snapshot, write_events


def _incidents(engine):
    with Session(engine) as session:
        return session.execute(select(Incident, Category.code.label("category"), Area.name.label("area_name"),
                                   Area.level.label("area_level"))
                            .join(Category, Category.id == Incident.category_id)
                            .outerjoin(Area, Area.id == Incident.area_id)).all()


def _expected_place(event: dict) -> tuple[str, str]:
    """(level, lower-case name) an event belongs to, worked out by hand from the raw fields."""
    location = event["location"]["name"]
    if not location.endswith(" län"):
        return "kommun", location.lower()
    last = event["name"].rsplit(",", 1)[-1].strip()
    if last and not last.endswith(" län"):
        return "kommun", last.lower()
    return "lan", location.lower()


def test_the_october_file_imports_every_event_once_on_both_stores(sweden):
    events = load_events()
    result = import_polisen(sweden, POLICE_OCTOBER)
    rows = _incidents(sweden)
    assert result.accepted == len(rows) == len(events) == 2148
    assert {r.Incident.external_id for r in rows} == {str(e["id"]) for e in events}
    with sweden.connect() as conn:
        org = conn.execute(select(Organisation).where(Organisation.code == "polisen")).one()
    assert org.kind == "polis" and {r.Incident.source_org_id for r in rows} == {org.id}


def test_every_police_event_is_an_area_with_no_h3_cells(sweden):
    import_polisen(sweden, POLICE_OCTOBER)
    rows = _incidents(sweden)
    assert {r.Incident.location_precision for r in rows} == {"area"}
    assert all(r.Incident.h3_r7 is r.Incident.h3_r8 is r.Incident.h3_r9 is None for r in rows)


def test_events_land_on_the_municipality_they_name_or_else_their_county(sweden):
    events = {str(e["id"]): e for e in load_events()}
    import_polisen(sweden, POLICE_OCTOBER)
    rows = _incidents(sweden)
    wrong = [(r.Incident.external_id, _expected_place(events[r.Incident.external_id]), r.area_level, r.area_name)
             for r in rows if (r.area_level, (r.area_name or "").lower()) != _expected_place(events[r.Incident.external_id])]
    assert wrong == []
    by_level = Counter(r.area_level for r in rows)
    assert by_level == Counter(_expected_place(e)[0] for e in events.values())


def test_unofficial_spellings_find_the_official_municipality(sweden, tmp_path):
    events = load_events(POLICE_ALL)
    odd = [e for e in events if e["location"]["name"] in ("Upplands väsby", "Dals-ed", "Östra göinge")][:30]
    assert {e["location"]["name"] for e in odd} == {"Upplands väsby", "Dals-ed", "Östra göinge"}
    write_events(tmp_path / "odd.json", odd)
    import_polisen(sweden, tmp_path / "odd.json")
    assert {r.area_name for r in _incidents(sweden)} == {"Upplands Väsby", "Dals-Ed", "Östra Göinge"}


def test_county_only_events_without_a_county_layer_have_no_area_and_are_counted(engine):
    events = load_events()
    county_only = sum(1 for e in events if _expected_place(e)[0] == "lan")
    result = import_polisen(engine, POLICE_OCTOBER)
    assert result.conversions["county_only"] == county_only > 0
    assert sum(1 for r in _incidents(engine) if r.Incident.area_id is None) == len(events)


def test_categories_follow_the_mapping_and_unknown_types_fall_back_to_ovrigt(sweden):
    events = {str(e["id"]): e for e in load_events()}
    import_polisen(sweden, POLICE_OCTOBER)
    rows = _incidents(sweden)
    assert Counter(r.category for r in rows) == Counter(POLISEN_DEFAULTS.get(e["type"], "ovrigt") for e in events.values())
    assert all(r.Incident.source_type == events[r.Incident.external_id]["type"] for r in rows)
    assert {r.category for r in rows if r.Incident.source_type == "Misshandel"} == {"vald_hot"}
    assert {r.category for r in rows if r.Incident.source_type == "Sammanfattning natt"} == {"ovrigt"}


def test_police_times_with_one_digit_hours_and_changing_offsets_become_utc():
    assert parse_police_datetime("2026-08-22 9:48:12 +02:00") == datetime(2026, 8, 22, 7, 48, 12, tzinfo=timezone.utc)
    assert parse_police_datetime("2025-10-31 22:01:25 +01:00") == datetime(2025, 10, 31, 21, 1, 25, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        parse_police_datetime("2025-10-31 25:61")


def test_an_event_happens_at_the_time_in_its_title_and_is_reported_when_published(sweden, tmp_path):
    event = next(e for e in load_events() if e["name"].startswith("31 oktober 20.57, Misshandel"))
    write_events(tmp_path / "one.json", [event])
    import_polisen(sweden, tmp_path / "one.json")
    row = _incidents(sweden)[0].Incident
    assert row.occurred_at == datetime(2025, 10, 31, 19, 57, tzinfo=timezone.utc)  # 20.57 Stockholm (CET)
    assert row.reported_at == parse_police_datetime(event["datetime"])
    assert (row.occurred_date, row.occurred_hour) == (date(2025, 10, 31), 20)


def test_editing_a_mapping_refiles_imported_events_and_survives_reseeding(sweden):
    import_polisen(sweden, POLICE_OCTOBER)
    n_misc = sum(1 for e in load_events() if e["type"] == "Övrigt")
    assert set_mapping(sweden, source_kind="polisen-json", source_type="Övrigt", category_code="ordningsstorning") == n_misc
    assert {r.category for r in _incidents(sweden) if r.Incident.source_type == "Övrigt"} == {"ordningsstorning"}
    listed = {m["source_type"]: m for m in list_mappings(sweden, source_kind="polisen-json")}
    assert listed["Övrigt"] == {"source_kind": "polisen-json", "source_type": "Övrigt",
                                "category_code": "ordningsstorning", "edited": True}
    assert listed["Brand"]["category_code"] == "brand" and not listed["Brand"]["edited"]


def test_a_file_with_one_broken_event_is_refused_whole_naming_row_and_column(sweden, tmp_path):
    events = load_events()
    events[41]["datetime"] = "31/10/2025 kl 22"
    write_events(tmp_path / "broken.json", events)
    before = snapshot(sweden)
    with pytest.raises(ImportRefused) as refused:
        import_polisen(sweden, tmp_path / "broken.json")
    assert [(p.row, p.column) for p in refused.value.problems] == [(42, "datetime")]
    assert "Rad 42, kolumn 'datetime'" in str(refused.value) and "Ingenting har sparats" in str(refused.value)
    assert snapshot(sweden) == before


@pytest.fixture
def sqlite_sweden(tmp_path):
    """Sweden's municipalities and counties in an SQLite store (the 41-month feed is checked on SQLite only)."""
    eng = make_engine(f"sqlite:///{tmp_path / 'all.db'}")
    upgrade_to_head(eng)
    for file_name, name, code, level in (("kommuner_scb_simplified.geojson", "kommun", "kommun_kod", "kommun"),
                                         ("lan_scb_simplified.geojson", "lan", "lan_kod", "lan")):
        import_areas(eng, GEO / file_name, name_field=name, code_field=code, level=level)
    yield eng
    eng.dispose()


def test_the_whole_41_month_gzip_feed_imports(sqlite_sweden):
    sweden = sqlite_sweden
    events = load_events(POLICE_ALL)
    result = import_polisen(sweden, POLICE_ALL)
    assert result.accepted == len(events) == 84601
    with sweden.connect() as conn:
        n = conn.execute(select(Incident.id).where(Incident.location_precision == "area")).all()
    assert len(n) == 84601
    expected_county_only = sum(1 for e in events if _expected_place(e)[0] == "lan")
    assert result.conversions["county_only"] == expected_county_only
