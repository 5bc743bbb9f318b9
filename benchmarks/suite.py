"""The benchmark behind the README's figures: every page at one scale, as a table and as JSON (not a test).

    .venv/bin/python -m data_layer bench --scale N [--db URL] [--repeat R] [--json FILE] [--pages …]
    (the same as .venv/bin/python -m benchmarks.suite …)

Builds (or reuses) a demo store of N × the demo volume (scale 1 ≈ 60,000 incidents, 20 ≈ 1.2 M, 125 ≈ 7.5 M; see
benchmarks.pages for where the store lives and when it is reused), then reports per page: the MEDIAN full render
with a cold data cache (AppTest, logged in as samordnare, the last 28 days), the median warm render, the bare SQL the
render sent (the same statements replayed alone), the map's payload with the default and with every layer, and the
process's peak memory (the app runs in this process). The JSON holds the store's size and build time too.
Targets (issue 9, at scale 125): every page ≤ 0.5 s, map payload ≤ 1 MB, memory ≤ 1 GB.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import pages as page_bench  # noqa: E402
from data_layer.db import make_engine  # noqa: E402
from data_layer.queries.reference import store_info  # noqa: E402

TARGET_RENDER_S = 0.5
TARGET_PAYLOAD_KB = 1024
TARGET_MEMORY_MB = 1024
MAP_LAYERS = {"default": None, "every layer": ["hexagons", "heatmap", "points", "areas", "area_events", "places",
                                               "actions", "events", "marks"]}


def _incident_count(url: str) -> int:
    from sqlalchemy import func, select

    from data_layer.models import Incident

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Incident)).scalar_one()
    finally:
        engine.dispose()


def _peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def _map_payloads(url: str) -> dict[str, float]:
    """The deck JSON the browser receives, in kB, with the default layers and with every layer."""
    from datetime import timedelta

    engine = make_engine(url)
    end = date.fromisoformat(store_info(engine).get("demo_today", date.today().isoformat()))
    engine.dispose()
    at = page_bench._logged_in_app((end - timedelta(days=27), end))
    at.switch_page("pages/map.py").run()
    sizes = {}
    for name, layers in MAP_LAYERS.items():
        if layers is not None:
            at.button_group(key="map_layers").set_value(layers).run()
        if at.exception:
            raise SystemExit(f"map failed: {at.exception[0].message}")
        sizes[name] = round(len(at.get("deck_gl_json_chart")[0].proto.json.encode("utf-8")) / 1024, 1)
    return sizes


def _floor(url: str, repeat: int) -> list[dict]:
    """The rollup-floor comparison (benchmarks.floor) as samordnare over the bench's 28 days."""
    from datetime import timedelta

    from sqlalchemy import select

    from benchmarks import floor
    from data_layer.models import User
    from data_layer.queries.filters import IncidentFilter
    from data_layer.scope import Scope

    engine = make_engine(url)
    try:
        end = date.fromisoformat(store_info(engine).get("demo_today", date.today().isoformat()))
        with engine.connect() as conn:
            user_id, role, org = conn.execute(select(User.id, User.role, User.organisation_id)
                                              .where(User.username == "samordnare")).one()
        scope = Scope(user_id=user_id, role=role, organisation_id=org)
        flt = IncidentFilter(start=end - timedelta(days=27), end=end)
        return floor.measure(engine, page_bench.Recorder(), scope=scope, flt=flt, repeat=repeat)
    finally:
        engine.dispose()


def run(*, scale: float, db: str | None, repeat: int, pages: tuple[str, ...]) -> dict:
    """Build or reuse the store, measure every page and the map payload, and return the whole report."""
    started = time.perf_counter()
    url = page_bench._demo_store(db, scale)
    build_s = round(time.perf_counter() - started, 1)
    rows = page_bench.measure(url, pages, repeat)
    payload = _map_payloads(url) if "map" in pages else {}
    floors = _floor(url, repeat)
    memory = _peak_memory_mb()
    backend = rows[0]["backend"] if rows else make_engine(url).dialect.name
    for row in rows:
        row["target_met"] = row["render_median_s"] <= TARGET_RENDER_S
    return {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scale": scale, "backend": backend, "incidents": _incident_count(url),
        "store_ready_s": build_s, "runs_per_page": repeat, "pages": rows,
        "map_payload_kb": payload, "payload_target_met": all(v <= TARGET_PAYLOAD_KB for v in payload.values()),
        "rollup_floor": floors, "floor_target_met": all(row["target_met"] for row in floors),
        "peak_memory_mb": memory, "memory_target_met": memory <= TARGET_MEMORY_MB,
    }


def table(report: dict) -> str:
    """The report as a fixed-width text table, one line per page, then the map payload and memory."""
    lines = [f"Lägesbild bench: scale {report['scale']:g} on {report['backend']}, {report['incidents']:,} incidents, "
             f"median of {report['runs_per_page']} runs (store ready in {report['store_ready_s']} s)",
             f"{'page':<10} {'render s':>9} {'cached s':>9} {'bare SQL s':>11} {'statements':>11}  ≤ 0.5 s"]
    for row in report["pages"]:
        lines.append(f"{row['page']:<10} {row['render_median_s']:>9.3f} {row['render_cached_median_s']:>9.3f} "
                     f"{row['sql_median_s']:>11.3f} {row['statements']:>11}  {'ja' if row['target_met'] else 'NEJ'}")
    for name, kb in report["map_payload_kb"].items():
        lines.append(f"map payload ({name}): {kb:,.1f} kB (≤ {TARGET_PAYLOAD_KB} kB: "
                     f"{'ja' if kb <= TARGET_PAYLOAD_KB else 'NEJ'})")
    heading = "query (bare SQL) vs the same sum on a rollup"
    lines.append(f"{heading:<46} {'query s':>9} {'floor s':>9} {'×':>6}  ≤ 3×")
    for row in report["rollup_floor"]:
        lines.append(f"{row['page'] + ': ' + row['query']:<46} {row['query_median_s']:>9.4f} "
                     f"{row['floor_median_s']:>9.4f} {row['ratio']:>6.2f}  {'ja' if row['target_met'] else 'NEJ'}")
    lines.append(f"peak memory: {report['peak_memory_mb']:,.1f} MB (≤ {TARGET_MEMORY_MB} MB: "
                 f"{'ja' if report['memory_target_met'] else 'NEJ'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_layer bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo volume (1 ≈ 60,000 incidents, 125 ≈ 7.5 M)")
    parser.add_argument("--db", help="measure this store (a demo is built into it when it holds no incidents)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per page (the median is reported)")
    parser.add_argument("--pages", nargs="*", choices=page_bench.PAGES, default=list(page_bench.PAGES))
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    report = run(scale=args.scale, db=args.db, repeat=args.repeat, pages=tuple(args.pages))
    print(table(report), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
