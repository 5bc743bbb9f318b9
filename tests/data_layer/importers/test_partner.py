"""Partner exports (`import incidents FILE --profile P`): Swedish realities read explicitly, files refused whole."""
import io
import json
import math
import zipfile
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from sqlalchemy import insert, select

from data_layer.db import make_engine
from data_layer.importers import partner
from data_layer.importers.cli import main
from data_layer.importers.common import ImportRefused, undo_batch
from data_layer.importers.partner import import_partner, run_from_options
from data_layer.importers.partner_cells import CellError, excel_serial
from data_layer.importers.profiles import parse_profile, save_profile
from data_layer.importers.registry import run_import_kind
from data_layer.migrate import upgrade_to_head
from data_layer.models import Area, Category, ImportBatch, Incident, Place
from tests.conftest import PROJECT_ROOT
from tests.data_layer.importers.helpers import snapshot

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = timezone.utc
EXAMPLES = PROJECT_ROOT / "import_profiles"


# --- helpers -----------------------------------------------------------------------------------------------------

def _toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def profile_toml(columns: dict, **sections) -> str:
    """A profile for the organisation 'partner' with `columns` and any other [section] = {key: value}."""
    parts = ['kind = "incidents"', "[organisation]", 'code = "partner"', 'name = "Partner AB"',
             'kind = "bostadsbolag"', "[columns]", *(f"{k} = {_toml_value(v)}" for k, v in columns.items())]
    for name, body in sections.items():
        parts += [f"[{name}]", *(f"{_toml_value(k) if name == 'categories' else k} = {_toml_value(v)}"
                                 for k, v in body.items())]
    return "\n".join(parts) + "\n"


def profile(columns: dict | None = None, **sections) -> dict:
    return parse_profile(profile_toml(columns or {"time": "Datum", "category": "Typ"}, **sections), kind="incidents")


def write(tmp_path, text: str, name: str = "export.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(*Incident.__table__.c, Category.code.label("category"))
                            .join(Category, Category.id == Incident.category_id).order_by(Incident.id)).all()


def refused(engine, path, prof, **kw) -> list:
    """The problems of a refused import, after checking that the store did not change."""
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as exc:
        import_partner(engine, path, profile=prof, **kw)
    assert snapshot(engine) == before
    assert exc.value.file_name == path.name
    return exc.value.problems


def local(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM).astimezone(UTC)


def gauss_kruger_to_wgs84(northing: float, easting: float) -> tuple[float, float]:
    """SWEREF 99 TM -> (lat, lon) by Lantmäteriet's Gauss-Krüger formulas (GRS 80, 15° E, 0.9996, E0 500 000).

    Written out here so that the importer's pyproj result is checked against an independent computation.
    """
    axis, f, lam0, k0, fe = 6378137.0, 1 / 298.257222101, math.radians(15.0), 0.9996, 500_000.0
    e2, n = f * (2 - f), f / (2 - f)
    a_roof = axis / (1 + n) * (1 + n ** 2 / 4 + n ** 4 / 64)
    deltas = (n / 2 - 2 * n ** 2 / 3 + 37 * n ** 3 / 96 - n ** 4 / 360, n ** 2 / 48 + n ** 3 / 15 - 437 * n ** 4 / 1440,
              17 * n ** 3 / 480 - 37 * n ** 4 / 840, 4397 * n ** 4 / 161280)
    a, b = e2 + e2 ** 2 + e2 ** 3 + e2 ** 4, -(7 * e2 ** 2 + 17 * e2 ** 3 + 30 * e2 ** 4) / 6
    c, d = (224 * e2 ** 3 + 889 * e2 ** 4) / 120, -(4279 * e2 ** 4) / 1260
    xi, eta = northing / (k0 * a_roof), (easting - fe) / (k0 * a_roof)
    xi_p = xi - sum(dk * math.sin(2 * k * xi) * math.cosh(2 * k * eta) for k, dk in enumerate(deltas, 1))
    eta_p = eta - sum(dk * math.cos(2 * k * xi) * math.sinh(2 * k * eta) for k, dk in enumerate(deltas, 1))
    phi = math.asin(math.sin(xi_p) / math.cosh(eta_p))
    s = math.sin(phi)
    lat = phi + s * math.cos(phi) * (a + b * s ** 2 + c * s ** 4 + d * s ** 6)
    return math.degrees(lat), math.degrees(lam0 + math.atan(math.sinh(eta_p) / math.cos(xi_p)))


@pytest.fixture
def store(tmp_path):
    """A migrated SQLite store for the many-input checks of reading, which do not depend on the backend."""
    eng = make_engine(f"sqlite:///{tmp_path / 'reading.db'}")
    upgrade_to_head(eng)
    yield eng
    eng.dispose()


SWEREF_PROFILE = dict(columns={"id": "Ärendenr", "time": "Datum", "clock": "Tid", "category": "Typ",
                               "description": "Beskrivning", "x": "X", "y": "Y"},
                      coordinates={"crs": "sweref99tm"}, categories={"Fönster krossat": "skadegorelse"})


# --- the Swedish realities ---------------------------------------------------------------------------------------

def test_a_cp1252_semicolon_export_with_day_first_dates_and_sweref_decimal_commas_is_imported(engine, tmp_path):
    text = ("Ärendenr;Datum;Tid;Typ;Beskrivning;X;Y\r\n"
            "A-1;13/03/2026;14.35;Skadegörelse;Krossad ruta i entrén;674032;6580822\r\n"
            "A-2;04/03/2026;;Fönster krossat;Källarfönster;374000,5;6164000,25\r\n")
    path = write(tmp_path, text, encoding="cp1252")
    assert b"Skadeg\xf6relse" in path.read_bytes()
    result = import_partner(engine, path, profile=profile(**SWEREF_PROFILE))
    assert (result.accepted, result.rejected) == (2, [])
    first, second = rows(engine)
    assert (first.source_type, first.category, first.description) == ("Skadegörelse", "skadegorelse",
                                                                       "Krossad ruta i entrén")
    assert first.occurred_at.replace(tzinfo=UTC) == local(2026, 3, 13, 14, 35) and first.occurred_to is None
    assert (second.source_type, second.category) == ("Fönster krossat", "skadegorelse")
    for row, (n, e) in ((first, (6580822, 674032)), (second, (6164000.25, 374000.5))):
        lat, lon = gauss_kruger_to_wgs84(n, e)
        assert (row.lat, row.lon) == (pytest.approx(lat, abs=1e-6), pytest.approx(lon, abs=1e-6))
        assert row.location_precision == "point" and row.h3_r9
    conv = result.conversions
    assert conv["kodning: cp1252"] == conv["avgränsare: ;"] == 1
    assert conv["datumformat: DD/MM/ÅÅÅÅ"] == 2 and conv["datumformat avgjort för kolumnen: DD/MM/ÅÅÅÅ"] == 1
    assert conv["koordinater: SWEREF 99 TM → WGS84"] == 2 and conv["decimalkomma: X"] == 2


@pytest.mark.parametrize(("northing", "easting"), [
    (7_535_000, 718_000),       # Kiruna
    (6_164_000, 374_000),       # Malmö
    (6_390_419.2, 481_958.9),   # the demo municipality's centre
    (7_321_000, 910_000),       # Haparanda, the eastern edge of the grid
    (6_400_000, 500_000),       # on the central meridian: longitude is exactly 15°
])
def test_sweref_points_match_an_independent_gauss_kruger_computation(store, tmp_path, northing, easting):
    path = write(tmp_path, f"Datum;Typ;X;Y\n2026-03-04 12:00;Klotter;{easting};{northing}\n")
    import_partner(store, path, profile=profile({"time": "Datum", "category": "Typ", "x": "X", "y": "Y"},
                                                coordinates={"crs": "sweref99tm"}))
    (row,) = rows(store)
    lat, lon = gauss_kruger_to_wgs84(northing, easting)
    assert (row.lat, row.lon) == (pytest.approx(lat, abs=1e-6), pytest.approx(lon, abs=1e-6))
    if easting == 500_000:
        assert row.lon == pytest.approx(15.0, abs=1e-7)


@pytest.mark.parametrize(("x", "y", "reason"), [
    ("6580822", "674032", "x och y verkar omkastade"),
    ("18,0686", "59,3293", "ser ut som grader"),
    ("1628000", "6580000", "ser ut som RT 90"),
    ("950000", "6580000", "utanför SWEREF 99 TM:s område"),
    ("919000", "6110000", "utanför Sverige"),  # inside the grid's box, but in the Baltic off Lithuania
])
def test_sweref_mistakes_are_named_not_fixed(store, tmp_path, x, y, reason):
    path = write(tmp_path, f"Datum;Typ;X;Y\n2026-03-04;Klotter;{x};{y}\n")
    (problem,) = refused(store, path, profile({"time": "Datum", "category": "Typ", "x": "X", "y": "Y"},
                                              coordinates={"crs": "sweref99tm"}))
    assert (problem.row, problem.column) == (2, "X/Y") and reason in problem.reason


@pytest.mark.parametrize(("lat", "lon", "reason"), [
    ("18.07", "59.33", "omkastade"),
    ("59.91", "10.75", "utanför Sverige"),        # Oslo
    ("6580822", "674032", "ser ut som meter"),
])
def test_wgs84_mistakes_are_row_problems_naming_both_columns(store, tmp_path, lat, lon, reason):
    path = write(tmp_path, f"Datum,Typ,Lat,Lon\n2026-03-04,Klotter,59.33,18.07\n2026-03-05,Klotter,{lat},{lon}\n")
    (problem,) = refused(store, path, profile({"time": "Datum", "category": "Typ", "lat": "Lat", "lon": "Lon"}))
    assert (problem.row, problem.column) == (3, "Lat/Lon") and reason in problem.reason


def test_decimal_commas_are_read_per_column_in_a_tab_separated_file(store, tmp_path):
    path = write(tmp_path, "Datum\tTyp\tLat\tLon\n2026-03-04\tKlotter\t57,65\t14,7\n"
                           "2026-03-05\tKlotter\t57,66\t14,71\n")
    result = import_partner(store, path, profile=profile({"time": "Datum", "category": "Typ", "lat": "Lat",
                                                          "lon": "Lon"}))
    assert [(r.lat, r.lon) for r in rows(store)] == [(57.65, 14.7), (57.66, 14.71)]
    assert result.conversions["decimalkomma: Lat"] == 2 and result.conversions["avgränsare: tabb"] == 1


def test_a_coordinate_column_mixing_comma_and_point_and_a_half_coordinate_are_row_problems(store, tmp_path):
    path = write(tmp_path, "Datum;Typ;Lat;Lon\n2026-03-04;Klotter;57,65;14,7\n2026-03-05;Klotter;57.66;14,71\n"
                           "2026-03-06;Klotter;57,66;\n")
    problems = refused(store, path, profile({"time": "Datum", "category": "Typ", "lat": "Lat", "lon": "Lon"}))
    assert [(p.row, p.column) for p in problems] == [(3, "Lat"), (4, "Lon")]
    assert "decimalpunkt men kolumnen har decimalkomma" in problems[0].reason
    assert "ange båda eller ingen" in problems[1].reason


# --- dates and times ---------------------------------------------------------------------------------------------

def test_a_date_without_a_time_is_a_window_over_the_whole_local_day(engine, tmp_path):
    path = write(tmp_path, "Datum;Typ\n2026-01-15;Klotter\n2026-07-15;Klotter\n")
    result = import_partner(engine, path, profile=profile())
    winter, summer = rows(engine)
    assert (winter.occurred_at.replace(tzinfo=UTC), winter.occurred_to.replace(tzinfo=UTC)) == (
        datetime(2026, 1, 14, 23, 0, tzinfo=UTC), datetime(2026, 1, 15, 22, 59, 59, tzinfo=UTC))
    assert (summer.occurred_at.replace(tzinfo=UTC), summer.occurred_to.replace(tzinfo=UTC)) == (
        datetime(2026, 7, 14, 22, 0, tzinfo=UTC), datetime(2026, 7, 15, 21, 59, 59, tzinfo=UTC))
    assert (winter.occurred_date.isoformat(), winter.occurred_hour) == ("2026-01-15", 0)
    assert result.conversions["datum utan klockslag: hela dygnet"] == 2


@pytest.mark.parametrize(("dates", "expected"), [
    (("04/03/2026", "13/03/2026"), "dmy"),
    (("04.03.2026 08:15", "13.03.2026 22.40"), "dmy"),
    (("03/04/2026", "03/13/2026"), "mdy"),
])
def test_day_or_month_first_is_decided_for_the_whole_column(store, tmp_path, dates, expected):
    path = write(tmp_path, "Datum;Typ\n" + "".join(f"{d};Klotter\n" for d in dates))
    result = import_partner(store, path, profile=profile())
    first = rows(store)[0].occurred_at.replace(tzinfo=UTC).astimezone(STOCKHOLM)
    assert (first.month, first.day) == (3, 4)
    label = {"dmy": "DD/MM/ÅÅÅÅ", "mdy": "MM/DD/ÅÅÅÅ"}[expected]
    assert result.conversions[f"datumformat avgjort för kolumnen: {label}"] == 1


def test_an_ambiguous_date_column_is_refused_until_the_profile_says_dmy_or_mdy(engine, tmp_path):
    path = write(tmp_path, "Datum;Typ\n04/03/2026;Klotter\n05/03/2026;Klotter\n")
    (problem,) = refused(engine, path, profile())
    assert problem.column == "Datum" and 'format = "dmy"' in problem.reason and '"mdy"' in problem.reason
    import_partner(engine, path, profile=profile(dates={"format": "mdy"}))
    assert rows(engine)[0].occurred_date.isoformat() == "2026-04-03"


def test_a_column_mixing_day_first_and_month_first_is_refused(store, tmp_path):
    path = write(tmp_path, "Datum;Typ\n13/03/2026;Klotter\n03/14/2026;Klotter\n")
    (problem,) = refused(store, path, profile())
    assert "blandar dag först (rad 2" in problem.reason and "(rad 3" in problem.reason


def test_excel_serial_dates_in_a_csv_use_the_1900_system(store, tmp_path):
    path = write(tmp_path, "Datum;Typ\n45234;Klotter\n45234,5;Klotter\n45234.75;Klotter\n")
    result = import_partner(store, path, profile=profile())
    whole_day, noon, evening = rows(store)
    assert whole_day.occurred_at.replace(tzinfo=UTC) == local(2023, 11, 4)
    assert whole_day.occurred_to.replace(tzinfo=UTC) == local(2023, 11, 4, 23, 59, 59)
    assert noon.occurred_at.replace(tzinfo=UTC) == local(2023, 11, 4, 12) and noon.occurred_to is None
    assert evening.occurred_at.replace(tzinfo=UTC) == local(2023, 11, 4, 18)
    assert result.conversions["datumformat: Excel-datumnummer"] == 3


def test_excels_serial_numbers_count_the_leap_day_1900_that_never_was():
    assert excel_serial(1) == datetime(1900, 1, 1)
    assert excel_serial(59) == datetime(1900, 2, 28)
    assert excel_serial(61) == datetime(1900, 3, 1)
    assert excel_serial(45658.25) == datetime(2025, 1, 1, 6, 0)
    with pytest.raises(CellError, match="29 februari 1900"):
        excel_serial(60)


def test_a_numeric_date_column_outside_plausible_serials_is_refused_unless_told(store, tmp_path):
    path = write(tmp_path, "Datum;Typ\n45234;Klotter\n123;Klotter\n")
    (problem,) = refused(store, path, profile())
    assert "'123' (rad 3)" in problem.reason and 'format = "excel"' in problem.reason
    import_partner(store, path, profile=profile(dates={"format": "excel"}))
    assert [r.occurred_date.isoformat() for r in rows(store)] == ["2023-11-04", "1900-05-02"]


def test_iso_offsets_are_kept_and_other_times_are_stockholm_local(store, tmp_path):
    path = write(tmp_path, "Datum;Typ\n2026-03-04T14:35:00+00:00;Klotter\n2026-07-04 14:35;Klotter\n"
                           "2026-07-04T14:35Z;Klotter\n")
    result = import_partner(store, path, profile=profile())
    assert [r.occurred_at.replace(tzinfo=UTC) for r in rows(store)] == [
        datetime(2026, 3, 4, 14, 35, tzinfo=UTC), datetime(2026, 7, 4, 12, 35, tzinfo=UTC),
        datetime(2026, 7, 4, 14, 35, tzinfo=UTC)]
    assert result.conversions["tidszon: angiven i filen"] == 2


def test_time_windows_from_clock_columns_cross_midnight_and_dates_end_at_the_end_of_the_day(engine, tmp_path):
    path = write(tmp_path, "Datum;Från;Till;Slutdatum;Typ\n"
                           "2026-03-07;23:50;00:30;;Klotter\n"
                           "2026-03-07;22.00;23.15;;Klotter\n"
                           "2026-03-07;08:00;;2026-03-09;Klotter\n"
                           "2026-03-07;08:00;10:00;2026-03-08;Klotter\n")
    prof = profile({"time": "Datum", "clock": "Från", "clock_to": "Till", "time_to": "Slutdatum", "category": "Typ"})
    result = import_partner(engine, path, profile=prof)
    windows = [(r.occurred_at.replace(tzinfo=UTC), r.occurred_to.replace(tzinfo=UTC)) for r in rows(engine)]
    assert windows == [(local(2026, 3, 7, 23, 50), local(2026, 3, 8, 0, 30)),
                       (local(2026, 3, 7, 22), local(2026, 3, 7, 23, 15)),
                       (local(2026, 3, 7, 8), local(2026, 3, 9, 23, 59, 59)),
                       (local(2026, 3, 7, 8), local(2026, 3, 8, 10))]
    assert result.conversions["sluttid efter midnatt (nästa dygn)"] == 1
    assert result.conversions["tidsfönster (från–till)"] == 4


def test_window_mistakes_are_row_problems_naming_the_column(store, tmp_path):
    path = write(tmp_path, "Start;Slut;Typ;Klockslag\n"
                           "2026-03-07 10:00;2026-03-07 09:00;Klotter;\n"
                           "2026-03-07 10:00;2026-03-07 11:00;Klotter;10:00\n"
                           "2026-03-07 10:00;2026-03-07 11:00;Klotter;11:00\n"
                           "2026-03-07 10:00;2026-03-07 11:00;Klotter;25:00\n")
    problems = refused(store, path, profile({"time": "Start", "time_to": "Slut", "clock": "Klockslag",
                                             "category": "Typ"}))
    assert [(p.row, p.column) for p in problems] == [(2, "Slut"), (4, "Klockslag"), (5, "Klockslag")]
    assert "ligger före starttiden" in problems[0].reason
    assert "skiljer sig" in problems[1].reason and "finns inte" in problems[2].reason


def test_unreadable_missing_and_future_dates_name_their_row_and_column(store, tmp_path):
    future = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    path = write(tmp_path, f"Datum;Typ\n2026-03-04;Klotter\n4 mars 2026;Klotter\n;Klotter\n2026-02-30;Klotter\n"
                           f"{future};Klotter\n")
    problems = refused(store, path, profile())
    assert [(p.row, p.column) for p in problems] == [(3, "Datum"), (4, "Datum"), (5, "Datum"), (6, "Datum")]
    reasons = [p.reason for p in problems]
    assert "'4 mars 2026' är inget datum" in reasons[0] and reasons[1] == "tidpunkt saknas"
    assert "2026-02-30 finns inte" in reasons[2] and "i framtiden" in reasons[3]


# --- categories, areas, places -----------------------------------------------------------------------------------

def test_categories_resolve_through_the_profile_then_our_codes_then_our_swedish_labels(engine, tmp_path):
    path = write(tmp_path, "Datum;Typ\n2026-03-04;Sprejmålning\n2026-03-04;KLOTTER\n2026-03-04;narkotika\n"
                           "2026-03-04;stöld/inbrott\n2026-03-04;Oro för våld i nära relation\n")
    import_partner(engine, path, profile=profile(categories={"sprejmålning": "klotter", "Klotter": "skadegorelse"}))
    got = [(r.source_type, r.category, r.sensitive) for r in rows(engine)]
    assert got == [("Sprejmålning", "klotter", False), ("KLOTTER", "skadegorelse", False),
                   ("narkotika", "narkotika", False), ("stöld/inbrott", "stold", False),
                   ("Oro för våld i nära relation", "oro_nara_relation", True)]


def test_an_unknown_category_is_a_row_problem_with_the_fix_in_the_message(store, tmp_path):
    path = write(tmp_path, "Datum;Typ\n2026-03-04;Klotter\n2026-03-04;Hundbajs\n")
    (problem,) = refused(store, path, profile())
    assert (problem.row, problem.column) == (3, "Typ")
    assert problem.reason == "okänd kategori 'Hundbajs' (lägg till den under [categories] i profilen)"


@pytest.fixture
def areas(engine):
    """Three areas (two of them named Centrum) and two places, without geometry."""
    with engine.begin() as conn:
        ids = {}
        for code, name in (("0180", "Stockholm"), ("A-01", "Centrum"), ("B-01", "Centrum")):
            ids[code] = conn.execute(insert(Area).values(code=code, name=name, level="omrade", centroid_lat=59.33,
                                                         centroid_lon=18.07)).inserted_primary_key[0]
        for name, area in (("Stora torget", "A-01"), ("Tvättstugan", "A-01"), ("Tvättstugan", "B-01")):
            ids[(name, area)] = conn.execute(insert(Place).values(name=name, kind="torg", lat=59.3 + len(ids) / 100,
                                                                  lon=18.0, area_id=ids[area])).inserted_primary_key[0]
    return ids


def test_the_area_column_matches_a_code_or_a_name_and_unknown_or_ambiguous_areas_are_row_problems(
        engine, tmp_path, areas):
    path = write(tmp_path, "Datum;Typ;Område\n2026-03-04;Klotter;stockholm\n2026-03-04;Klotter;b-01\n"
                           "2026-03-04;Klotter;Atlantis\n2026-03-04;Klotter;Centrum\n")
    prof = profile({"time": "Datum", "category": "Typ", "area": "Område"})
    problems = refused(engine, path, prof)
    assert [(p.row, p.column) for p in problems] == [(4, "Område"), (5, "Område")]
    assert "okänt område 'Atlantis'" in problems[0].reason and "ange områdets kod" in problems[1].reason
    result = import_partner(engine, path, profile=prof, skip_invalid=True)
    assert [(r.area_id, r.location_precision, r.h3_r9) for r in rows(engine)] == [
        (areas["0180"], "area", None), (areas["B-01"], "area", None)]
    assert result.areas_assigned == 2 and result.by_precision == {"area": 2}


def test_rows_without_coordinates_or_area_are_kept_with_precision_none(engine, tmp_path):
    path = write(tmp_path, "Datum;Typ;Lat;Lon\n2026-03-04;Klotter;;\n2026-03-04;Klotter;57.65;14.7\n")
    result = import_partner(engine, path, profile=profile({"time": "Datum", "category": "Typ", "lat": "Lat",
                                                           "lon": "Lon"}))
    assert [(r.location_precision, r.lat) for r in rows(engine)] == [("none", None), ("point", 57.65)]
    assert result.by_precision == {"none": 1, "point": 1}
    assert result.conversions["utan plats (räknas, visas inte på kartan)"] == 1


def test_a_named_place_gives_the_position_and_an_area_settles_two_places_of_one_name(engine, tmp_path, areas):
    path = write(tmp_path, "Datum;Typ;Plats;Område\n2026-03-04;Klotter;stora torget;\n"
                           "2026-03-04;Klotter;Tvättstugan;B-01\n2026-03-04;Klotter;Tvättstugan;\n"
                           "2026-03-04;Klotter;Månen;\n")
    prof = profile({"time": "Datum", "category": "Typ", "place": "Plats", "area": "Område"})
    problems = refused(engine, path, prof)
    assert [(p.row, p.column) for p in problems] == [(4, "Plats"), (5, "Plats")]
    assert "flera platser heter" in problems[0].reason and "okänd plats 'Månen'" in problems[1].reason
    import_partner(engine, path, profile=prof, skip_invalid=True)
    got = [(r.place_id, r.area_id, r.location_precision) for r in rows(engine)]
    assert got == [(areas[("Stora torget", "A-01")], areas["A-01"], "point"),
                   (areas[("Tvättstugan", "B-01")], areas["B-01"], "point")]


def test_points_get_their_municipality_by_point_in_polygon(sweden, tmp_path):
    path = write(tmp_path, "Datum;Typ;Lat;Lon\n2026-03-04;Klotter;57,6667;14,9717\n")  # Eksjö, inland
    result = import_partner(sweden, path, profile=profile({"time": "Datum", "category": "Typ", "lat": "Lat",
                                                           "lon": "Lon"}))
    with sweden.connect() as conn:
        name = conn.execute(select(Area.name).join(Incident, Incident.area_id == Area.id)).scalar_one()
    assert name == "Eksjö" and result.areas_assigned == 1


# --- one file, one transaction; idempotence; dry runs ------------------------------------------------------------

def test_reimporting_the_same_file_changes_nothing(engine, tmp_path):
    path = write(tmp_path, "Ärendenr;Datum;Typ\nA-1;2026-03-04;Klotter\nA-2;2026-03-05;Brand/anlagd brand\n")
    prof = profile({"id": "Ärendenr", "time": "Datum", "category": "Typ"})
    first = import_partner(engine, path, profile=prof)
    before = snapshot(engine)
    again = import_partner(engine, path, profile=prof)
    assert (first.accepted, again.accepted, again.duplicates_skipped) == (2, 0, 2)
    assert again.batch_id is None and snapshot(engine) == before
    assert [r.external_id for r in rows(engine)] == ["A-1", "A-2"]


def test_without_an_id_column_a_content_hash_keeps_identical_rows_and_survives_an_extra_column(engine, tmp_path):
    text = "Datum;Typ;Beskrivning\n2026-03-04;Klotter;Vägg\n2026-03-04;Klotter;Vägg\n2026-03-05;Klotter;Dörr\n"
    prof = profile({"time": "Datum", "category": "Typ", "description": "Beskrivning"})
    assert import_partner(engine, write(tmp_path, text), profile=prof).accepted == 3
    assert len({r.external_id for r in rows(engine)}) == 3
    wider = "Handläggare;" + text.replace("\n", "\nKim;").rstrip("Kim;")
    result = import_partner(engine, write(tmp_path, wider, name="export2.csv"), profile=prof)
    assert (result.accepted, result.duplicates_skipped) == (0, 3)
    assert result.conversions["id: innehållshash (ingen id-kolumn)"] == 3


def test_a_file_with_bad_rows_is_refused_whole_naming_row_column_and_reason(engine, tmp_path):
    path = write(tmp_path, "Ärendenr;Datum;Typ\nA-1;2026-03-04;Klotter\nA-2;igår;Klotter\n;2026-03-05;Klotter\n")
    problems = refused(engine, path, profile({"id": "Ärendenr", "time": "Datum", "category": "Typ"}))
    assert [str(p) for p in problems] == [
        "Rad 3, kolumn 'Datum': 'igår' är inget datum (väntat ÅÅÅÅ-MM-DD)",
        "Rad 4, kolumn 'Ärendenr': id saknas"]


def test_skip_invalid_imports_the_good_rows_and_records_the_rejected_ones_in_the_batch(engine, tmp_path):
    path = write(tmp_path, "Datum;Typ;Beskrivning\n2026-03-04;Klotter;ok\n2026-03-05;Hundbajs;x\n"
                           "2026-03-06;Klotter;=HYPERLINK(\"http://x\")\n")
    prof = profile({"time": "Datum", "category": "Typ", "description": "Beskrivning"})
    result = import_partner(engine, path, profile=prof, skip_invalid=True)
    assert (result.rows_read, result.accepted, len(result.rejected)) == (3, 1, 2)
    with engine.connect() as conn:
        batch = conn.execute(select(ImportBatch)).one()
    assert (batch.source_kind, batch.rows_accepted, batch.rows_rejected) == ("incidents", 1, 2)
    detail = json.loads(batch.rejected_detail)
    assert [(d["row"], d["column"]) for d in detail] == [(3, "Typ"), (4, "Beskrivning")]
    assert "formel" in detail[1]["reason"]
    assert undo_batch(engine, result.batch_id) == 1 and rows(engine) == []


def test_a_dry_run_writes_nothing_and_reports_conversions_areas_and_duplicates(engine, tmp_path, areas):
    path = write(tmp_path, "Ärendenr;Datum;Typ;Område\nA-1;04/03/2026;Klotter;0180\nA-2;13/03/2026;Klotter;A-01\n"
                           "A-3;14/03/2026;Klotter;\n", encoding="cp1252")
    prof = profile({"id": "Ärendenr", "time": "Datum", "category": "Typ", "area": "Område"})
    import_partner(engine, write(tmp_path, "Ärendenr;Datum;Typ\nA-1;2026-03-04;Klotter\n", name="tidigare.csv"),
                   profile=profile({"id": "Ärendenr", "time": "Datum", "category": "Typ"}))
    before = snapshot(engine)
    result = import_partner(engine, path, profile=prof, dry_run=True)
    assert snapshot(engine) == before
    assert (result.dry_run, result.batch_id, result.accepted, result.duplicates_skipped) == (True, None, 2, 1)
    assert result.areas_assigned == 1 and result.by_precision == {"area": 1, "none": 1}
    assert {"kodning: cp1252", "avgränsare: ;", "datumformat: DD/MM/ÅÅÅÅ"} <= set(result.conversions)


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "where", "reason"), [
    ("tom.csv", b"", (None, None), "filen är tom"),
    ("rubrik.csv", "Datum;Typ\n".encode(), (None, None), "bara rubrikraden"),
    ("fel_kolumner.csv", "Datum;Kategori\n2026-03-04;Klotter\n".encode(), (None, "Typ"),
     "kolumnen finns inte i filen ([columns] category); filens rubriker är: Datum, Kategori"),
    ("ojamn.csv", "Datum;Typ\n2026-03-04;Klotter\n2026-03-04;Klotter;extra\n".encode(), (3, None),
     "raden har 3 fält men rubrikraden har 2"),
    ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", (None, None), "PNG-bild"),
    ("program.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", (None, None), "NUL"),
    ("bomb.xlsx", _zip_bomb(), (None, None), "zip-bomb"),
    ("formel.csv", "Datum;Typ\n2026-03-04;=1+1\n".encode(), (2, "Typ"), "kalkylbladsformel"),
    ("skript.csv", "Datum;Typ\n2026-03-04;<script>alert(1)</script>\n".encode(), (2, "Typ"), "HTML eller skript"),
    ("datum.csv", "Datum;Typ\n2026-13-01;Klotter\n".encode(), (2, "Datum"), "finns inte"),
], ids=lambda v: v if isinstance(v, str) and v.endswith((".csv", ".xlsx")) else "")
def test_bad_files_are_refused_with_a_swedish_reason_and_change_nothing(store, tmp_path, name, data, where, reason):
    path = tmp_path / name
    path.write_bytes(data)
    problems = refused(store, path, profile())
    assert (problems[0].row, problems[0].column) == where and reason in problems[0].reason


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(store, tmp_path, monkeypatch):
    monkeypatch.setattr(partner, "MAX_FILE_BYTES", 50)
    path = write(tmp_path, "Datum;Typ\n" + "2026-03-04;Klotter\n" * 5)
    (problem,) = refused(store, path, profile())
    assert "större än" in problem.reason


# --- XLSX --------------------------------------------------------------------------------------------------------

def test_an_xlsx_security_firm_export_with_time_windows_is_imported(engine, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Rapporter"
    sheet.append(["Rapport-ID", "Datum", "Från", "Till", "Händelsetyp", "Latitud", "Longitud", "Notering"])
    sheet.append(["NV-1", datetime(2026, 3, 7), time(23, 50), time(0, 30), "Ungdomsgäng", 57.6557, 14.6977,
                  "Samling vid torget"])
    sheet.append(["NV-2", datetime(2026, 3, 8, 2, 10), None, None, "Skadegörelse", None, None, None])
    sheet.append([None] * 8)
    sheet.append([1053, 46089, None, None, "Inbrottsförsök", 57.64772, 14.73801, "Staket"])  # a serial, not a date
    sheet["B2"].number_format = "yyyy-mm-dd"
    sheet["B3"].number_format = "yyyy-mm-dd hh:mm"
    path = tmp_path / "nattvakten.xlsx"
    book.save(path)
    prof = profile({"id": "Rapport-ID", "time": "Datum", "clock": "Från", "clock_to": "Till",
                    "category": "Händelsetyp", "lat": "Latitud", "lon": "Longitud", "description": "Notering"},
                   file={"sheet": "Rapporter"}, categories={"Ungdomsgäng": "samling", "Inbrottsförsök": "stold"})
    problems = refused(engine, path, prof)  # a date cell and a serial number in one column: told, not guessed
    assert (problems[0].row, problems[0].column) == (5, "Datum") and 'format = "excel"' in problems[0].reason
    result = import_partner(engine, path, profile=prof, skip_invalid=True)
    night, later = rows(engine)
    assert (night.external_id, night.category, night.lat, night.lon) == ("NV-1", "samling", 57.6557, 14.6977)
    assert (night.occurred_at.replace(tzinfo=UTC), night.occurred_to.replace(tzinfo=UTC)) == (
        local(2026, 3, 7, 23, 50), local(2026, 3, 8, 0, 30))
    assert later.occurred_at.replace(tzinfo=UTC) == local(2026, 3, 8, 2, 10) and later.occurred_to is None
    assert later.location_precision == "none"
    assert result.rows_read == 3 and result.conversions["format: xlsx"] == 1


# --- the registry, the command line and the example files ---------------------------------------------------------

@pytest.fixture
def db(engine):
    return str(engine.url.render_as_string(hide_password=False))


def test_the_cli_refuses_a_bad_file_with_exit_2_naming_row_and_column(engine, db, tmp_path, capsys):
    profile_path = tmp_path / "partner.toml"
    profile_path.write_text(profile_toml({"time": "Datum", "category": "Typ"}), encoding="utf-8")
    path = write(tmp_path, "Datum;Typ\n2026-03-04;Klotter\n31/02/2026;Klotter\n")
    before = snapshot(engine)
    code = main(["--db", db, "import", "incidents", str(path), "--profile", str(profile_path)])
    _, err = capsys.readouterr()
    assert code == 2 and snapshot(engine) == before
    assert "Rad 3, kolumn 'Datum'" in err and "Ingenting har sparats" in err


def test_the_cli_imports_with_a_saved_profile_and_prints_a_json_summary(engine, db, tmp_path, capsys):
    save_profile(engine, name="partner", body_toml=profile_toml({"time": "Datum", "category": "Typ"}))
    path = write(tmp_path, "Datum;Typ\n2026-03-04;Klotter\n")
    code = main(["--db", db, "import", "incidents", str(path), "--profile", "partner", "--dry-run"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["accepted"] == 1 and rows(engine) == []
    code = main(["--db", db, "import", "incidents", str(path), "--profile", "partner"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["batch_id"] and "1/1 rader sparade" in err


def test_a_missing_or_unknown_profile_is_refused_naming_the_data_file(engine, tmp_path):
    path = write(tmp_path, "Datum;Typ\n2026-03-04;Klotter\n")
    with pytest.raises(ImportRefused, match="Importprofil' måste anges"):
        run_import_kind(engine, "incidents", path, options={})
    with pytest.raises(ImportRefused) as exc:
        run_from_options(engine, path, options={"profile": "okänd"})
    assert exc.value.file_name == "export.csv" and "ingen sparad importprofil" in str(exc.value)


def test_a_large_file_reports_progress_while_it_is_written(engine, tmp_path):
    start = datetime(2025, 1, 1, 0, 0)
    lines = "".join(f"{(start + timedelta(minutes=7 * i)):%Y-%m-%d %H:%M};Klotter;{i}\n" for i in range(12_000))
    path = write(tmp_path, "Datum;Typ;Nr\n" + lines)
    seen = []
    result = import_partner(engine, path, profile=profile({"id": "Nr", "time": "Datum", "category": "Typ"}),
                            progress=lambda done, total: seen.append((done, total)))
    assert result.accepted == 12_000 and seen == [(5000, 12000), (10000, 12000), (12000, 12000)]


@pytest.mark.parametrize(("data_file", "profile_file"), [
    ("sjobackahem_felanmalan_2026-03.csv", "sjobackahem-felanmalan.toml"),
    ("nattvakten_rapporter_2026-03.xlsx", "nattvakten-rapporter.toml"),
    ("trygghetsvandring_2026-03-12.csv", "trygghetsvandring.toml"),
])
def test_every_example_file_imports_cleanly_into_the_demo_municipality(demo_engine, data_file, profile_file):
    before = snapshot(demo_engine)
    result = run_import_kind(demo_engine, "incidents", EXAMPLES / "examples" / data_file,
                             options={"profile": str(EXAMPLES / profile_file)}, dry_run=True,
                             allow_server_files=True)
    assert result.rejected == [] and result.accepted == result.rows_read > 0
    assert result.areas_assigned >= result.accepted - result.by_precision.get("none", 0)
    assert snapshot(demo_engine) == before
