"""Load benchmark: 1, 4 and 8 simultaneous sessions rendering pages against one store (not a test).

    .venv/bin/python -m benchmarks.load --db postgresql+psycopg://… [--sessions 1 4 8] [--seconds 60] [--json FILE]

Each session is its own process logged in as samordnare (AppTest, the same code path as a browser's rerun) that
renders the pages below in turn, with its own cold data cache at the start, for --seconds. That is how replicas
behind a proxy share one PostgreSQL: the store and the page code are under concurrent load; Streamlit's websocket
layer is not part of the figure. Reported per level: pages per second over all sessions, median and p95 seconds
(and the p95 of each session's first round, which fills its cold cache, and of the rounds after it).
Target (issue 9, PostgreSQL at scale 125, 8 sessions): ≥ 5 pages per second, p95 ≤ 2 s.
Without --db the scale-N SQLite demo store of benchmarks.pages is used (--scale).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("overview", "map", "trends", "actions", "meeting", "surveys")
TARGET_PAGES_PER_S, TARGET_P95_S = 5.0, 2.0


def _session(url: str, period: tuple[date, date], seconds: float, ready, offset: int, out) -> None:
    """One session: log in, wait until every session has, render pages round-robin until the time is up."""
    import os

    os.environ["LAGESBILD_DB_URL"] = url
    from streamlit.logger import set_log_level

    from benchmarks.pages import _logged_in_app

    set_log_level("error")
    at = _logged_in_app(period)
    set_log_level("error")  # again: the cache modules' loggers exist only after the first run
    timings: list[float] = []
    errors = 0
    ready.wait()
    deadline = time.time() + seconds
    i = offset
    while time.time() < deadline:
        page = PAGES[i % len(PAGES)]
        i += 1
        began = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
        timings.append(time.perf_counter() - began)
        errors += bool(at.exception)
    out.put({"timings": timings, "errors": errors})


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


def run_level(url: str, sessions: int, seconds: float) -> dict:
    """Run `sessions` processes at once for `seconds`; return throughput and latency figures."""
    from data_layer.db import make_engine
    from data_layer.queries.reference import store_info

    engine = make_engine(url)
    info = store_info(engine)
    engine.dispose()
    end = date.fromisoformat(info.get("demo_today", date.today().isoformat()))
    period = (end - timedelta(days=27), end)
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    ready = ctx.Barrier(sessions)  # the clock starts when every session is logged in
    procs = [ctx.Process(target=_session, args=(url, period, seconds, ready, k, out)) for k in range(sessions)]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 900) for _ in procs]
    for p in procs:
        p.join()
    timings = [t for r in results for t in r["timings"]]
    # each session's first round fills its own (cold) data cache; later rounds read it, as a replica's users do
    first = [t for r in results for t in r["timings"][:len(PAGES)]]
    later = [t for r in results for t in r["timings"][len(PAGES):]]
    return {"sessions": sessions, "seconds": seconds, "backend": make_engine(url).dialect.name,
            "scale": float(info.get("demo_scale", "nan")), "pages_rendered": len(timings),
            "pages_per_s": round(len(timings) / seconds, 2), "median_s": round(median(timings), 3) if timings else None,
            "p95_s": round(_p95(timings), 3), "p95_first_round_s": round(_p95(first), 3),
            "p95_later_rounds_s": round(_p95(later), 3), "errors": sum(r["errors"] for r in results)}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.pages import _demo_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the store (PostgreSQL for the issue's target); a demo is built into it if empty")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    url = _demo_store(args.db, args.scale)
    rows = []
    for n in args.sessions:
        row = run_level(url, n, args.seconds)
        if n == 8 and row["backend"] == "postgresql":
            row["target_met"] = row["pages_per_s"] >= TARGET_PAGES_PER_S and row["p95_s"] <= TARGET_P95_S
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
