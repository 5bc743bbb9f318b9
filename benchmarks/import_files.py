"""Benchmark: how long the real shared files take to import into a fresh store (re-runnable, not a test).

    .venv/bin/python -m benchmarks.import_files [--db URL] [--repeat N]

Without --db a throwaway SQLite store is created in a temporary directory. Each figure is the best of
--repeat runs, each on a fresh store (areas imported first, not timed). Prints one JSON line per file.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from data_layer.db import make_engine
from data_layer.importers.registry import run_import_kind
from data_layer.migrate import upgrade_to_head

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = (
    ("polisen-json", SHARED / "polisen" / "events_2023-03_to_2026-08.json.gz", {}),
    ("police-uk-csv", SHARED / "uk_police" / "2016-07-west-yorkshire-street.csv", {}),
)


def _fresh_store(url: str | None, workdir: Path, n: int):
    engine = make_engine(url or f"sqlite:///{workdir / f'bench{n}.db'}")
    if url:  # a shared server: start from empty tables
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade_to_head(engine)
    geo = SHARED / "geo"
    run_import_kind(engine, "areas", geo / "kommuner_scb_simplified.geojson",
                    options={"name_field": "kommun", "code_field": "kommun_kod", "level": "kommun"})
    run_import_kind(engine, "areas", geo / "lan_scb_simplified.geojson",
                    options={"name_field": "lan", "code_field": "lan_kod", "level": "lan"})
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL URL to an EMPTY scratch database (its tables are dropped)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, path, options in FILES:
            timings, summary = [], {}
            for n in range(args.repeat):
                engine = _fresh_store(args.db, Path(tmp), n)
                start = time.perf_counter()
                summary = run_import_kind(engine, kind, path, options=options).to_dict()
                timings.append(time.perf_counter() - start)
                engine.dispose()
            print(json.dumps({"kind": kind, "file": path.name, "backend": "postgresql" if args.db else "sqlite",
                              "rows_read": summary.get("rows_read"), "accepted": summary.get("accepted"),
                              "seconds_best": round(min(timings), 2), "runs": len(timings)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
