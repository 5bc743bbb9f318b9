"""Import profiles: TOML validated strictly (typos are errors), saved per partner in the store, and their CLI."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_layer.db import make_engine
from data_layer.importers.cli import main
from data_layer.importers.common import ImportRefused
from data_layer.importers.profiles import delete_profile, list_profiles, load_profile, parse_profile, save_profile
from data_layer.models import ImportProfile, Organisation
from tests.conftest import PROJECT_ROOT

PROFILES = PROJECT_ROOT / "import_profiles"
INCIDENT_PROFILES = sorted(p for p in PROFILES.glob("*.toml") if 'kind = "incidents"' in p.read_text("utf-8"))

MINIMAL = """kind = "incidents"
[organisation]
code = "bostadsbolaget"
name = "Bostadsbolaget AB"
kind = "bostadsbolag"
[columns]
time = "Datum"
category = "Typ"
"""


def _problems(body: str, kind: str = "incidents") -> str:
    with pytest.raises(ImportRefused) as refused:
        parse_profile(body, kind=kind, source="test")
    assert all(p.row is None for p in refused.value.problems)
    return "\n".join(p.reason for p in refused.value.problems)


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_there_are_documented_example_profiles_for_incidents():
    assert len(INCIDENT_PROFILES) >= 2
    for path in INCIDENT_PROFILES:
        assert path.read_text("utf-8").startswith("#")  # documented at the top


@pytest.mark.parametrize("path", INCIDENT_PROFILES, ids=lambda p: p.name)
def test_every_example_profile_is_valid(path):
    profile = parse_profile(path.read_text("utf-8"), kind="incidents", source=path.name)
    assert profile["kind"] == "incidents" and profile["organisation"]["code"]


def test_a_minimal_profile_is_valid():
    assert parse_profile(MINIMAL, kind="incidents")["columns"] == {"time": "Datum", "category": "Typ"}


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda b: b.replace("[columns]", "[colums]"), "okänd nyckel 'colums'"),
    (lambda b: b.replace('time = "Datum"', 'tim = "Datum"'), "[columns]: okänd nyckel 'tim'"),
    (lambda b: b + '[file]\nseparater = ";"\n', "[file]: okänd nyckel 'separater'"),
    (lambda b: b.replace('time = "Datum"\n', ""), "[columns] time måste anges"),
    (lambda b: b.replace('kind = "bostadsbolag"', 'kind = "hyresvärd"'), "[organisation] kind ska vara en av"),
    (lambda b: b + '[categories]\n"Klotter" = "graffiti"\n', "\"Klotter\" = \"graffiti\": okänd kategori"),
    (lambda b: b + '[dates]\nformat = "ddmmyy"\n', "[dates] format ska vara en av"),
    (lambda b: b + '[coordinates]\ncrs = "rt90"\n', "[coordinates] crs ska vara en av"),
    (lambda b: b + 'lat = "Lat"\n', "ange både lat och lon"),
    (lambda b: b + 'x = "X"\ny = "Y"\n', "x och y hör till crs = \"sweref99tm\""),
    (lambda b: b + '[file]\nseparator = ","\ndecimal = ","\n', "decimalkomma går inte med komma"),
    (lambda b: b + 'time_to = 5\n', "[columns] time_to ska vara en text"),
    (lambda b: b.replace('[organisation]\ncode = "bostadsbolaget"\nname = "Bostadsbolaget AB"\n'
                         'kind = "bostadsbolag"\n', ""), "[organisation] saknas"),
])
def test_profile_mistakes_are_named_in_swedish(edit, expected):
    assert expected in _problems(edit(MINIMAL))


def test_broken_toml_and_a_missing_or_wrong_kind_are_refused():
    assert "inte giltig TOML" in _problems("kind = incidents\n")
    assert "måste ange kind" in _problems(MINIMAL.replace('kind = "incidents"\n', ""))
    assert "gäller survey, inte incidents" in _problems('kind = "survey"\n')


def test_a_profile_is_saved_listed_loaded_replaced_and_deleted(engine):
    profile_id = save_profile(engine, name="Bostadsbolaget", body_toml=MINIMAL)
    assert load_profile(engine, "Bostadsbolaget", kind="incidents")["organisation"]["code"] == "bostadsbolaget"
    (listed,) = list_profiles(engine, kind="incidents")
    assert (listed["name"], listed["kind"], listed["organisation_code"]) == ("Bostadsbolaget", "incidents",
                                                                              "bostadsbolaget")
    assert listed["body_toml"] == MINIMAL and listed["updated_at"] is not None
    assert list_profiles(engine, kind="survey") == []
    changed = MINIMAL.replace('"Typ"', '"Ärendetyp"')
    assert save_profile(engine, name="Bostadsbolaget", body_toml=changed, user_id=None) == profile_id
    assert load_profile(engine, "Bostadsbolaget", kind="incidents")["columns"]["category"] == "Ärendetyp"
    assert _count(engine, ImportProfile) == 1
    assert delete_profile(engine, name="Bostadsbolaget") is True
    assert delete_profile(engine, name="Bostadsbolaget") is False
    assert list_profiles(engine) == []


def test_saving_a_profile_links_its_organisation_creating_it_once(engine):
    save_profile(engine, name="a", body_toml=MINIMAL)
    save_profile(engine, name="b", body_toml=MINIMAL)
    with engine.connect() as conn:
        orgs = conn.execute(select(Organisation.code, Organisation.name, Organisation.kind)).all()
        linked = set(conn.execute(select(ImportProfile.organisation_id)).scalars())
    assert orgs == [("bostadsbolaget", "Bostadsbolaget AB", "bostadsbolag")] and len(linked) == 1


def test_an_invalid_profile_is_not_saved(engine):
    with pytest.raises(ImportRefused, match="okänd nyckel 'tim'"):
        save_profile(engine, name="trasig", body_toml=MINIMAL.replace("time =", "tim ="))
    assert _count(engine, ImportProfile) == 0 and _count(engine, Organisation) == 0


@pytest.mark.parametrize("name", ["", "  ", "a/b", "profil.toml", "x" * 101])
def test_profile_names_are_checked(tmp_path, name):
    engine = make_engine(f"sqlite:///{tmp_path / 'names.db'}")  # refused before the store is touched
    with pytest.raises(ImportRefused, match="profilnamn"):
        save_profile(engine, name=name, body_toml=MINIMAL)
    engine.dispose()


def test_a_profile_is_loaded_from_a_toml_file_and_an_unknown_name_is_refused(engine, tmp_path):
    path = tmp_path / "partner.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_profile(engine, str(path), kind="incidents")["columns"]["time"] == "Datum"
    with pytest.raises(ImportRefused, match="ingen sparad importprofil som heter 'saknas'"):
        load_profile(engine, "saknas", kind="incidents")
    with pytest.raises(ImportRefused, match="filen finns inte"):
        load_profile(engine, str(tmp_path / "saknas.toml"), kind="incidents")


def test_a_saved_profile_of_another_kind_is_refused_for_incidents(engine, tmp_path):
    with engine.begin() as conn:  # stored directly: the survey validator is another module's business
        conn.execute(ImportProfile.__table__.insert().values(name="enkät", kind="survey", body_toml='kind = "survey"\n',
                                                             updated_at=datetime.now(timezone.utc)))
    with pytest.raises(ImportRefused, match="gäller survey, inte incidents"):
        load_profile(engine, "enkät", kind="incidents")


# --- the command line --------------------------------------------------------------------------------------------

@pytest.fixture
def db(engine):
    return str(engine.url.render_as_string(hide_password=False))


def _run(capsys, db, *argv):
    code = main(["--db", db, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_profiles_from_the_command_line(engine, db, capsys, tmp_path):
    path = tmp_path / "bostadsbolaget.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    code, out, _ = _run(capsys, db, "profiles", "save", str(path))
    assert code == 0 and json.loads(out)["name"] == "bostadsbolaget"
    code, out, _ = _run(capsys, db, "profiles", "save", str(path), "--name", "Bostadsbolaget 2026")
    assert code == 0
    code, out, _ = _run(capsys, db, "profiles", "list", "incidents")
    assert code == 0 and [p["name"] for p in json.loads(out)] == ["Bostadsbolaget 2026", "bostadsbolaget"]
    assert "body_toml" not in json.loads(out)[0]
    code, out, _ = _run(capsys, db, "profiles", "show", "bostadsbolaget")
    assert code == 0 and out == MINIMAL
    code, out, _ = _run(capsys, db, "profiles", "delete", "bostadsbolaget")
    assert code == 0 and json.loads(out) == {"deleted": "bostadsbolaget"}


def test_profile_command_errors_exit_2_in_swedish(engine, db, capsys, tmp_path):
    bad = tmp_path / "trasig.toml"
    bad.write_text(MINIMAL.replace("[columns]", "[colums]"), encoding="utf-8")
    code, _, err = _run(capsys, db, "profiles", "save", str(bad))
    assert code == 2 and "sparades inte" in err and "okänd nyckel 'colums'" in err
    code, _, err = _run(capsys, db, "profiles", "save", str(tmp_path / "saknas.toml"))
    assert code == 2 and "kan inte läsas" in err
    for command in ("show", "delete"):
        code, _, err = _run(capsys, db, "profiles", command, "saknas")
        assert code == 2 and "ingen sparad importprofil som heter 'saknas'" in err
    assert _count(engine, ImportProfile) == 0


def test_the_example_profiles_can_be_saved_by_file_name(engine, db, capsys):
    for path in INCIDENT_PROFILES:
        code, out, _ = _run(capsys, db, "profiles", "save", str(path))
        assert code == 0 and json.loads(out)["name"] == Path(path).stem
    assert {p["name"] for p in list_profiles(engine, kind="incidents")} == {p.stem for p in INCIDENT_PROFILES}
