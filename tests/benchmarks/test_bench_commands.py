"""The benchmark commands the README quotes run from a clean store and report every figure they promise (their
timings are not judged here: performance claims come from running them, never from a test)."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from benchmarks import import_100k

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_command_builds_a_small_store_and_reports_pages_payload_floor_and_memory(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run([sys.executable, "-m", "data_layer", "--db", f"sqlite:///{tmp_path / 'b.db'}", "bench",
                          "--scale", "0.02", "--repeat", "1", "--pages", "overview", "map", "--json", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["incidents"] > 0 and report["scale"] == 0.02 and report["backend"] == "sqlite"
    assert [row["page"] for row in report["pages"]] == ["overview", "map"]
    assert all(row["render_median_s"] > 0 and row["statements"] > 0 for row in report["pages"])
    assert set(report["map_payload_kb"]) == {"default", "every layer"}
    floors = report["rollup_floor"]
    assert len(floors) == 10 and all(row["floor_median_s"] > 0 and row["ratio"] > 0 for row in floors)
    assert report["peak_memory_mb"] > 0
    for line in ("overview", "map payload (default)", "headline", "peak memory"):
        assert line in run.stdout


def test_the_import_file_moves_each_copy_a_month_on_and_keeps_crime_ids_unique(tmp_path):
    path = tmp_path / "uk.csv"
    assert import_100k.write_file(path, 30_000) == 30_000
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 30_000
    assert {r["Month"] for r in rows} == {"2016-07", "2016-08"}
    ids = [r["Crime ID"] for r in rows if r["Crime ID"]]
    assert len(ids) == len(set(ids))


def test_the_import_benchmark_imports_checks_and_undoes(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'i.db'}"
    assert import_100k.main(["--db", db, "--rows", "2000"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["accepted"] == 2000 and report["rollups_equal"] is True and "undo_s" in report
