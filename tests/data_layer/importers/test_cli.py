"""The import commands as an operator meets them: JSON on stdout, progress and Swedish errors on stderr, exit code 2."""
import json

import pytest
from sqlalchemy import func, select

from data_layer.db import make_engine
from data_layer.importers.cli import main
from data_layer.importers.common import ImportRefused
from data_layer.importers.registry import run_import_kind
from data_layer.migrate import upgrade_to_head
from data_layer.models import Area, Incident
from tests.data_layer.importers.helpers import GEO, POLICE_OCTOBER, UK_CSV, load_events, snapshot, write_events


@pytest.fixture
def db(engine):
    return str(engine.url.render_as_string(hide_password=False))


def _run(capsys, db, *argv):
    code = main(["--db", db, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_importing_areas_then_police_events_prints_json_summaries(engine, db, capsys):
    code, out, _ = _run(capsys, db, "import", "areas", str(GEO / "kommuner_scb_simplified.geojson"),
                        "--name-field", "kommun", "--code-field", "kommun_kod", "--level", "kommun",
                        "--population", str(GEO / "kommuner_population_2024.csv"))
    assert code == 0 and json.loads(out)["created"] == 290
    code, out, err = _run(capsys, db, "import", "polisen-json", str(POLICE_OCTOBER))
    assert code == 0 and json.loads(out)["accepted"] == 2148
    assert "2148/2148 rader sparade" in err
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Incident)).scalar_one() == 2148
        assert conn.execute(select(func.count()).select_from(Area)).scalar_one() == 290


def test_a_refused_file_exits_2_names_the_bad_rows_and_leaves_the_store_unchanged(engine, db, capsys, tmp_path):
    events = load_events()
    events[6]["location"]["gps"] = "57,7;14,1"
    write_events(tmp_path / "bad.json", events)
    before = snapshot(engine)
    code, _, err = _run(capsys, db, "import", "polisen-json", str(tmp_path / "bad.json"))
    assert code == 2
    assert "Rad 7, kolumn 'location.gps'" in err and "Ingenting har sparats" in err
    assert snapshot(engine) == before


def test_dry_run_undo_and_mappings_from_the_command_line(engine, db, capsys):
    code, out, _ = _run(capsys, db, "import", "police-uk-csv", str(UK_CSV), "--dry-run")
    assert code == 0 and json.loads(out)["batch_id"] is None
    code, out, _ = _run(capsys, db, "import", "police-uk-csv", str(UK_CSV))
    batch_id = json.loads(out)["batch_id"]
    code, out, _ = _run(capsys, db, "mappings", "set", "police-uk-csv", "Drugs", "ovrigt")
    assert code == 0 and json.loads(out)["incidents_recategorised"] == 448
    code, out, _ = _run(capsys, db, "undo", str(batch_id))
    assert code == 0 and json.loads(out)["rows_deleted"] == 27176
    code, _, err = _run(capsys, db, "undo", str(batch_id))
    assert code == 2 and "redan ångrad" in err
    code, _, err = _run(capsys, db, "mappings", "set", "police-uk-csv", "Drugs", "no_such_category")
    assert code == 2 and "Okänd kategori" in err


def test_an_outdated_store_is_refused(tmp_path, capsys):
    code, _, err = _run(capsys, f"sqlite:///{tmp_path / 'empty.db'}", "import", "polisen-json", str(POLICE_OCTOBER))
    assert code == 2 and "python -m data_layer init" in err


def test_a_profile_file_on_the_server_is_refused_outside_the_command_line(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade_to_head(engine)
    profile = tmp_path / "p.toml"
    profile.write_text('kind = "incidents"\n', encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("Datum;Typ\n2026-01-01;Klotter\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        run_import_kind(engine, "incidents", data, options={"profile": str(profile)})
    assert "sparad profil" in str(refused.value)
