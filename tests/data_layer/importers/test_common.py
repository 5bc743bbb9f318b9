"""The import machinery: one file is one transaction, re-imports change nothing, dry runs write nothing, undo is exact."""
import gzip
import hashlib
import json
import shutil

import pytest
from sqlalchemy import func, select

from data_layer.importers import common
from data_layer.importers.common import ImportRefused, UndoRefused, undo_batch
from data_layer.importers.polisen import POLISEN, import_polisen, parse_events
from data_layer.models import ImportBatch, Incident, StoreInfo
from tests.data_layer.importers.helpers import POLICE_OCTOBER, load_events, snapshot, write_events


def _ids(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(Incident.external_id)).scalars())


def _data_version(engine):
    with engine.connect() as conn:
        return conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")).scalar_one_or_none()


def test_a_real_import_writes_one_batch_with_the_files_sha256_and_bumps_the_data_version(sweden):
    before = _data_version(sweden)
    result = import_polisen(sweden, POLICE_OCTOBER, user_id=None)
    with sweden.connect() as conn:
        batch = conn.execute(select(ImportBatch).where(ImportBatch.id == result.batch_id)).one()
        in_batch = conn.execute(select(func.count()).where(Incident.import_batch_id == batch.id)).scalar_one()
    assert batch.sha256 == hashlib.sha256(POLICE_OCTOBER.read_bytes()).hexdigest()
    assert (batch.source_kind, batch.file_name, batch.rows_accepted, batch.rows_rejected) == \
        ("polisen-json", POLICE_OCTOBER.name, 2148, 0)
    assert in_batch == 2148 and batch.created_at.tzinfo is not None
    assert _data_version(sweden) == str(int(before or 0) + 1)


def test_reimporting_the_same_file_changes_nothing(sweden):
    import_polisen(sweden, POLICE_OCTOBER)
    before, ids = snapshot(sweden), _ids(sweden)
    again = import_polisen(sweden, POLICE_OCTOBER)
    assert (again.accepted, again.duplicates_skipped, again.batch_id) == (0, 2148, None)
    assert snapshot(sweden) == before and _ids(sweden) == ids


def test_a_dry_run_reports_what_a_real_import_would_do_and_writes_nothing(sweden):
    before = snapshot(sweden)
    dry = import_polisen(sweden, POLICE_OCTOBER, dry_run=True)
    assert snapshot(sweden) == before
    assert dry.batch_id is None and dry.dry_run
    real = import_polisen(sweden, POLICE_OCTOBER)
    assert (dry.accepted, dry.by_category, dry.by_precision, dry.areas_assigned) == \
        (real.accepted, real.by_category, real.by_precision, real.areas_assigned)


def test_skip_invalid_imports_the_good_rows_and_records_each_rejected_row(sweden, tmp_path):
    events = load_events()
    events[2]["location"]["gps"] = "somewhere"
    write_events(tmp_path / "one_bad.json", events)
    result = import_polisen(sweden, tmp_path / "one_bad.json", skip_invalid=True)
    assert result.accepted == len(events) - 1
    with sweden.connect() as conn:
        batch = conn.execute(select(ImportBatch).where(ImportBatch.id == result.batch_id)).one()
    detail = json.loads(batch.rejected_detail)
    assert batch.rows_rejected == 1
    assert detail == [{"row": 3, "column": "location.gps", "reason": detail[0]["reason"]}]
    assert "somewhere" in detail[0]["reason"]
    assert str(events[2]["id"]) not in _ids(sweden)


def _run_october(engine, **kw):
    return common.run_import(engine, path=POLICE_OCTOBER, source_kind="polisen-json", org=POLISEN, parse=parse_events, **kw)


def test_a_crash_in_the_middle_of_writing_leaves_nothing_behind(sweden):
    written = []

    def crash_after_the_first_chunk(done, total):
        written.append(done)
        raise RuntimeError("kill -9")

    before = snapshot(sweden)
    with pytest.raises(RuntimeError):
        _run_october(sweden, progress=crash_after_the_first_chunk, progress_every=500)
    assert written == [500]  # 500 rows were already inserted inside the transaction when it died
    assert snapshot(sweden) == before


def test_progress_is_reported_every_n_rows(sweden):
    seen = []
    _run_october(sweden, progress=lambda done, total: seen.append((done, total)), progress_every=1000)
    assert seen == [(1000, 2148), (2000, 2148), (2148, 2148)]


def test_gzip_is_recognised_by_its_magic_bytes_not_its_name(sweden, tmp_path):
    disguised = tmp_path / "events.json"
    with open(POLICE_OCTOBER, "rb") as src, gzip.open(disguised, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert import_polisen(sweden, disguised).accepted == 2148


def test_undo_removes_exactly_that_batch_and_marks_it_undone(sweden, tmp_path):
    events = load_events()
    write_events(tmp_path / "first.json", events[:1000])
    write_events(tmp_path / "second.json", events[1000:])
    first = import_polisen(sweden, tmp_path / "first.json")
    second = import_polisen(sweden, tmp_path / "second.json")
    version = _data_version(sweden)
    assert undo_batch(sweden, first.batch_id) == 1000
    assert _ids(sweden) == {str(e["id"]) for e in events[1000:]}
    with sweden.connect() as conn:
        undone = dict(conn.execute(select(ImportBatch.id, ImportBatch.undone_at)).all())
    assert undone[first.batch_id] is not None and undone[second.batch_id] is None
    assert _data_version(sweden) != version
    with pytest.raises(UndoRefused, match="redan ångrad"):
        undo_batch(sweden, first.batch_id)
    with pytest.raises(UndoRefused, match="ingen import"):
        undo_batch(sweden, 999_999)


def test_after_an_undo_the_same_file_can_be_imported_again(sweden):
    first = import_polisen(sweden, POLICE_OCTOBER)
    undo_batch(sweden, first.batch_id)
    assert import_polisen(sweden, POLICE_OCTOBER).accepted == 2148


def test_a_refusal_message_lists_the_first_twenty_problems_and_counts_the_rest(sweden, tmp_path):
    events = load_events()
    for e in events[:25]:
        e["id"] = None
    write_events(tmp_path / "many_bad.json", events)
    with pytest.raises(ImportRefused) as refused:
        import_polisen(sweden, tmp_path / "many_bad.json")
    message = str(refused.value)
    assert "Rad 1, kolumn 'id': id saknas" in message and "Rad 20, kolumn 'id'" in message
    assert "Rad 21," not in message and "… och 5 fel till." in message
