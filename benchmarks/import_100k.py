"""Benchmark: importing a 100,000-incident CSV, rollup upkeep included, into a fresh or a national-size store.

    .venv/bin/python -m benchmarks.import_100k [--db URL] [--rows 100000] [--keep]

The file is built from the real West Yorkshire police.uk month (../shared/data/uk_police): copies of its 27,176 rows
with the month moved one month on per copy (and the Crime IDs made unique per copy), cut at --rows. Without --db the
import goes into a fresh SQLite store; with --db into that store as it is (e.g. the scale-125 bench store, so index
and rollup upkeep happen at national size). Reports the import's wall time, rows accepted, whether `rollups check`
finds the rollups equal to the raw table afterwards (skipped above 1 M incidents: that check reads every row), then
undoes the batch (timed too) unless --keep. Target (issue 9): ≤ 20 s for 100,000 rows including the rollups.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data_layer import rollups  # noqa: E402
from data_layer.db import make_engine  # noqa: E402
from data_layer.importers.common import undo_batch  # noqa: E402
from data_layer.importers.registry import run_import_kind  # noqa: E402
from data_layer.migrate import upgrade_to_head  # noqa: E402
from data_layer.queries.reference import incident_id_ceiling  # noqa: E402

UK_CSV = ROOT.parent / "shared" / "data" / "uk_police" / "2016-07-west-yorkshire-street.csv"
TARGET_S = 20.0
CHECK_LIMIT = 1_000_000


def write_file(path: Path, rows: int) -> int:
    """Write `rows` police.uk rows (copies of the real month, each a month later); return how many were written."""
    with UK_CSV.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header, body = next(reader), list(reader)
    month, crime_id = header.index("Month"), header.index("Crime ID")
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        copy = 0
        while written < rows:
            year, number = divmod(6 + copy, 12)  # 2016-07 is month index 6 of 2016
            for row in body[:rows - written]:
                row = list(row)
                row[month] = f"{2016 + year}-{number + 1:02d}"
                if row[crime_id]:
                    row[crime_id] = f"{row[crime_id]}-{copy}"
                writer.writerow(row)
                written += 1
            copy += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="import into this store (default: a fresh SQLite store)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the imported batch (default: undo it afterwards)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "uk-100k.csv"
        rows = write_file(path, args.rows)
        engine = make_engine(args.db or f"sqlite:///{Path(tmp) / 'fresh.db'}")
        upgrade_to_head(engine)
        before = incident_id_ceiling(engine)
        start = time.perf_counter()
        summary = run_import_kind(engine, "police-uk-csv", path, options={}).to_dict()
        seconds = time.perf_counter() - start
        report = {"backend": engine.dialect.name, "store_before": before, "rows": rows,
                  "accepted": summary.get("accepted"), "import_s": round(seconds, 2),
                  "target_met": seconds <= TARGET_S}
        if incident_id_ceiling(engine) <= CHECK_LIMIT:
            report["rollups_equal"] = rollups.check(engine) == []
        if not args.keep and summary.get("batch_id"):
            start = time.perf_counter()
            undo_batch(engine, summary["batch_id"])
            report["undo_s"] = round(time.perf_counter() - start, 2)
        engine.dispose()
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
