"""Two imports of the same file at the same moment: one writes, the other finds every row already there."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from data_layer.importers.common import run_import
from data_layer.importers.polisen import POLISEN, SOURCE_KIND, parse_events
from data_layer.models import ImportBatch, Incident
from tests.data_layer.importers.helpers import POLICE_OCTOBER, load_events


def _parse_then_meet(gate: threading.Barrier, first_attempts: set):
    """A parser that makes both threads finish parsing before either writes (only on their first attempt)."""
    def parse(conn, data):
        parsed = parse_events(conn, data, file_name=POLICE_OCTOBER.name)
        me = threading.get_ident()
        if me not in first_attempts:
            first_attempts.add(me)
            gate.wait(timeout=60)
        return parsed
    return parse


def test_the_same_file_imported_twice_at_once_is_stored_once_without_an_error(sweden):
    expected = len({event["id"] for event in load_events()})
    gate, first_attempts, results, errors = threading.Barrier(2), set(), [], []
    parse = _parse_then_meet(gate, first_attempts)

    def worker():
        try:
            results.append(run_import(sweden, path=POLICE_OCTOBER, source_kind=SOURCE_KIND, org=POLISEN, parse=parse))
        except Exception as exc:  # noqa: BLE001 - the test reports any error, whatever its type
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert sorted(r.accepted for r in results) == [0, expected]
    assert sorted(r.duplicates_skipped for r in results) == [0, expected]
    with sweden.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Incident)).scalar_one() == expected
        assert conn.execute(select(func.count()).select_from(ImportBatch)
                            .where(ImportBatch.source_kind == SOURCE_KIND)).scalar_one() == 1
