"""An import killed midway (SIGKILL after its first progress line) leaves nothing of itself in the store, and the
same import run again afterwards reads and stores the whole file, on SQLite and PostgreSQL."""
from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select

from data_layer.db import make_engine
from data_layer.models import ImportBatch, Incident, Organisation, StoreInfo
from tests.conftest import PROJECT_ROOT
from tests.data_layer.importers.helpers import GEO, POLICE_ALL, POLICE_OCTOBER

CLI_TIMEOUT_S = 600
_PROGRESS = re.compile(r"(\d+)/(\d+) rader sparade")


@pytest.fixture(scope="module")
def police_ids() -> tuple[int, set[str], set[str]]:
    """(events in the big file, its event ids, the October file's ids), read with json and gzip only."""
    with gzip.open(POLICE_ALL, "rt", encoding="utf-8") as fh:
        events = json.load(fh)
    with open(POLICE_OCTOBER, encoding="utf-8") as fh:
        october = json.load(fh)
    return len(events), {str(e["id"]) for e in events}, {str(e["id"]) for e in october}


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "data_layer", "--db", url, *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=CLI_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def prepare_store(url: str) -> None:
    """Municipalities, counties and October's police events: a store that already holds data of the same source."""
    cli(url, "init")
    cli(url, "import", "areas", str(GEO / "kommuner_scb_simplified.geojson"), "--name-field", "kommun",
        "--code-field", "kommun_kod", "--level", "kommun")
    cli(url, "import", "areas", str(GEO / "lan_scb_simplified.geojson"), "--name-field", "lan", "--code-field",
        "lan_kod", "--level", "lan")
    cli(url, "import", "polisen-json", str(POLICE_OCTOBER))


def store_state(url: str) -> dict:
    """What the kill must not change: incidents per source, their ids, the batches and the data version."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            polisen = select(Organisation.id).where(Organisation.code == "polisen").scalar_subquery()
            return {
                "incidents": conn.execute(select(func.count()).select_from(Incident)).scalar_one(),
                "max_incident_id": conn.execute(select(func.max(Incident.id))).scalar_one(),
                "polisen_ids": set(conn.execute(select(Incident.external_id)
                                                .where(Incident.source_org_id == polisen)).scalars()),
                "batches": conn.execute(select(func.count()).select_from(ImportBatch)).scalar_one(),
                "data_version": conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")
                                             ).scalar_one(),
            }
    finally:
        engine.dispose()


def kill_after_first_progress_line(url: str) -> tuple[int, int]:
    """Start the big police import, SIGKILL it on its first "… rader sparade" line; return (written, total)."""
    argv = [sys.executable, "-m", "data_layer", "--db", url, "import", "polisen-json", str(POLICE_ALL)]
    proc = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(CLI_TIMEOUT_S, proc.kill)  # a hung import fails the test instead of hanging it
    watchdog.start()
    try:
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if m := _PROGRESS.search(line):
                proc.kill()  # SIGKILL: no cleanup, no rollback by the process itself
                proc.wait()
                assert proc.returncode == -9, seen
                return int(m[1]), int(m[2])
        proc.wait()
        pytest.fail(f"the import ended (exit {proc.returncode}) without a progress line: {''.join(seen)[-2000:]}")
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def test_an_import_killed_midway_leaves_nothing_and_running_it_again_stores_the_whole_file(store_url, police_ids):
    n_events, ids, october_ids = police_ids
    assert n_events == len(ids) == 84_601 and october_ids <= ids
    prepare_store(store_url)
    before = store_state(store_url)
    assert before["polisen_ids"] == october_ids

    written, total = kill_after_first_progress_line(store_url)
    assert 0 < written < total == len(ids - october_ids)  # killed with rows inserted but not committed
    assert store_state(store_url) == before  # no incident of the killed import, no batch, same data version

    summary = json.loads(cli(store_url, "import", "polisen-json", str(POLICE_ALL)).stdout)
    assert summary["rows_read"] == n_events
    assert summary["accepted"] == len(ids - october_ids) and summary["duplicates_skipped"] == len(october_ids)
    assert summary["rejected_count"] == 0 and summary["batch_id"] is not None
    after = store_state(store_url)
    assert after["polisen_ids"] == ids
    assert after["incidents"] == before["incidents"] + len(ids - october_ids)
    assert after["batches"] == before["batches"] + 1
    assert int(after["data_version"]) == int(before["data_version"]) + 1
