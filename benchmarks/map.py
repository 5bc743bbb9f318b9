"""Benchmark: the map page's render time and the size of the deck it ships, per layer set (not a test).

    .venv/bin/python -m benchmarks.map [--scale 1|20] [--db URL] [--repeat N]

Uses the demo stores of benchmarks.pages (built once per scale and reused). Per layer set: the page is rendered with
Streamlit's data cache cleared (cold) and again (warm); the deck's JSON payload is measured as the browser receives it.
Target (issue 5): render under 2 s at scale 20 with the default layers; payload under 2 MB at any scale.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from datetime import date, timedelta

from benchmarks.pages import _demo_store, _logged_in_app
from data_layer.db import make_engine
from data_layer.queries.reference import store_info

LAYER_SETS = {
    "default": None,
    "every layer": ["hexagons", "heatmap", "points", "areas", "area_events", "places", "actions", "events", "marks"],
}
COLOURS = ("trend", "gistar", "count")
TARGET_S, MAX_PAYLOAD = 2.0, 2 * 1024 * 1024


def _payload(at) -> int:
    return len(at.get("deck_gl_json_chart")[0].proto.json.encode("utf-8"))


def _timed(at, action) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"map failed: {at.exception[0].message}")
    return seconds


def measure(url: str, repeat: int) -> list[dict]:
    """Best-of-`repeat` cold and warm seconds and the payload bytes per layer set and hexagon colour."""
    import streamlit as st
    from streamlit.logger import set_log_level

    set_log_level("error")
    os.environ["LAGESBILD_DB_URL"] = url
    engine = make_engine(url)
    info = store_info(engine)
    engine.dispose()
    end = date.fromisoformat(info.get("demo_today", date.today().isoformat()))
    at = _logged_in_app((end - timedelta(days=27), end))
    at.switch_page("pages/map.py").run()  # untimed: imports
    rows = []
    for name, layers in LAYER_SETS.items():
        if layers is not None:
            at.button_group(key="map_layers").set_value(layers).run()
        for colour in COLOURS:
            at.button_group(key="map_colour").set_value(colour).run()
            cold, warm = [], []
            for _ in range(repeat):
                st.cache_data.clear()
                cold.append(_timed(at, at.run))
                warm.append(_timed(at, at.run))
            rows.append({"layers": name, "colour": colour, "scale": float(info.get("demo_scale", "nan")),
                         "render_s": round(min(cold), 3), "render_cached_s": round(min(warm), 3),
                         "payload_kb": round(_payload(at) / 1024, 1),
                         "target_met": min(cold) < TARGET_S and _payload(at) < MAX_PAYLOAD})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for row in measure(_demo_store(args.db, args.scale), args.repeat):
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
