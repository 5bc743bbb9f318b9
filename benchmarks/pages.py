"""Benchmark: each page's full render (AppTest, logged in as samordnare) against the bare SQL behind it (not a test).

    .venv/bin/python -m benchmarks.pages [--scale 1|20] [--db URL] [--repeat N] [--pages trends overview …]

Without --db the demo store is built at --scale into a file in the temporary directory and reused by later runs of
the same scale (a scale-20 build takes a few minutes). With --db an existing demo store is reused as it is (an empty
one is built first). The period is the last 28 days of the demo, as a user sees it by default.

Per page: one untimed run (imports), then per run: Streamlit's data cache is cleared, the page is rendered (app.py's
shell with the sidebar filters and the page itself, as a user's click does) and every SELECT it sends is recorded;
the render is repeated with warm caches; the recorded statements are replayed on their own, one after the other
("bare SQL": the same statements and parameters, rows fetched, no Python around them). Statements a page sends from
a background thread (the trends page starts its lower sections' queries early) are recorded too; `duplicates`
counts statements sent more than once in one render (a page that asks twice pays twice). Figures are the best of
--repeat runs (and medians, which `python -m data_layer bench` reports), one JSON line per page.
Target (issue 4): overview and trends render in under 1.5 s at scale 20 on SQLite and in at most twice their bare SQL.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, event  # noqa: E402

from data_layer.db import make_engine  # noqa: E402
from data_layer.queries.reference import store_info  # noqa: E402

PAGES = ("overview", "map", "trends", "surveys", "actions", "meeting", "report", "data", "admin")
TARGET_PAGES = {"overview": 1.5, "trends": 1.5}  # seconds, at scale 20 on SQLite
MAX_RATIO = 2.0


def _default_url(scale: float) -> Path:
    return Path(tempfile.gettempdir()) / f"lagesbild-bench-scale{scale:g}.db"


def _info(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        return store_info(engine)
    except Exception:  # noqa: BLE001 - no tables yet
        return {}
    finally:
        engine.dispose()


def _demo_store(url: str | None, scale: float) -> str:
    """The URL of the store to measure: --db as it is (a demo is built into it when empty), else a reused file."""
    if url is None:
        path = _default_url(scale)
        url = f"sqlite:///{path}"
        info = _info(url)
        if info.get("demo") == "true" and info.get("demo_scale") == f"{scale:g}":
            _migrate(url)  # a store kept from an earlier schema: bring it (and its planner statistics) up to date
            return url
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif _info(url).get("data_version") or _info(url).get("demo"):
        _migrate(url)
        return url
    cli = [sys.executable, "-m", "data_layer", "--db", url]
    subprocess.run([*cli, "init"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "demo", "--scale", f"{scale:g}"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return url


def _migrate(url: str) -> None:
    subprocess.run([sys.executable, "-m", "data_layer", "--db", url, "init"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


class Recorder:
    """Collects the SELECT statements (with parameters) that any engine sends while `recording` is on."""

    def __init__(self) -> None:
        self.recording = False
        self.statements: list[tuple[str, object]] = []
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.recording and not executemany and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))  # list.append: safe from several threads

    @contextmanager
    def capture(self):
        self.statements, self.recording = [], True
        try:
            yield self
        finally:
            self.recording = False


def _key(statement: tuple[str, object]) -> str:
    return f"{statement[0]}\x00{statement[1]!r}"


def _bare_sql(engine: Engine, statements: list[tuple[str, object]]) -> float:
    """Seconds to send the recorded statements again and fetch all their rows."""
    start = time.perf_counter()
    with engine.connect() as conn:
        for statement, parameters in statements:
            conn.exec_driver_sql(statement, parameters).fetchall()
    return time.perf_counter() - start


def _logged_in_app(period: tuple[date, date]):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["from"], at.query_params["to"] = (d.isoformat() for d in period)
    at.run()
    at.text_input(key="login_username").input("samordnare")
    at.text_input(key="login_password").input("demo")
    at.button(key="login_submit").click().run()
    if at.exception or "login_username" in [w.key for w in at.text_input]:
        raise SystemExit(f"could not log in as samordnare: {at.exception}")
    return at


def _render(at, page: str) -> float:
    start = time.perf_counter()
    at.switch_page(f"pages/{page}.py").run()
    seconds = time.perf_counter() - start
    if at.exception or not at.title:
        raise SystemExit(f"{page} did not render: {at.exception[0].message if at.exception else 'no title'}")
    return seconds


def measure(url: str, pages: tuple[str, ...], repeat: int) -> list[dict]:
    """Best-of-`repeat` cold render, warm render and bare SQL seconds per page."""
    import streamlit as st
    from streamlit.logger import set_log_level

    set_log_level("error")  # clearing the cache outside a server warns on every run

    os.environ["LAGESBILD_DB_URL"] = url
    engine = make_engine(url)
    info = store_info(engine)
    end = date.fromisoformat(info.get("demo_today", date.today().isoformat()))
    period = (end - timedelta(days=27), end)
    recorder = Recorder()
    at = _logged_in_app(period)
    set_log_level("error")  # again: the loggers of the cache modules exist only after the first run
    results = []
    for page in pages:
        cold, warm, bare, statements = [], [], [], []
        _render(at, page)  # untimed: the first run imports the page's modules
        for _ in range(repeat):
            st.cache_data.clear()
            with recorder.capture():
                cold.append(_render(at, page))
            statements = recorder.statements
            warm.append(_render(at, page))
            bare.append(_bare_sql(engine, statements))
        render, sql = min(cold), min(bare)
        row = {"page": page, "backend": engine.dialect.name, "scale": float(info.get("demo_scale", "nan")),
               "render_s": round(render, 3), "render_cached_s": round(min(warm), 3), "sql_s": round(sql, 3),
               "statements": len(statements), "duplicates": len(statements) - len(set(map(_key, statements))),
               "render_to_sql": round(render / sql, 2) if sql else None,
               "render_median_s": round(median(cold), 3), "render_cached_median_s": round(median(warm), 3),
               "sql_median_s": round(median(bare), 3), "runs": repeat}
        if page in TARGET_PAGES and row["backend"] == "sqlite" and row["scale"] >= 20:
            row["target_met"] = render < TARGET_PAGES[page] and render <= MAX_RATIO * sql
        results.append(row)
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo volume (1 ≈ 60,000 incidents, 20 ≈ 1.2 M)")
    parser.add_argument("--db", help="reuse this store (a demo is built into it when it holds no incidents)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", nargs="*", choices=PAGES, default=list(PAGES))
    args = parser.parse_args()
    url = _demo_store(args.db, args.scale)
    for row in measure(url, tuple(args.pages), args.repeat):
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
