"""Shared fixtures: a migrated store on SQLite and (when a throwaway cluster runs) PostgreSQL, and a small demo store.

Suites are told apart by marker: `postgresql` (needs LAGESBILD_TEST_PG_URL, set by scripts/run_tests.py),
`browser` (needs Chromium). With CI=true a skipped suite fails the run, so CI can never pass by skipping.
"""
from __future__ import annotations

import os
import sys
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from data_layer.db import make_engine  # noqa: E402
from data_layer.migrate import upgrade_to_head  # noqa: E402

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
PG_URL_ENV = "LAGESBILD_TEST_PG_URL"
SUITES = ("sqlite", "postgresql", "browser")
SUITE_PROPERTY = "lagesbild_suite"
DEMO_TEST_SCALE = 0.1  # ~6,000 incidents: enough structure for page tests, fast to build


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: needs the throwaway PostgreSQL cluster")
    config.addinivalue_line("markers", "browser: needs Chromium (Playwright end-to-end)")
    config.addinivalue_line("markers", "xdist_group(name): keep these tests on one pytest-xdist worker")


def _suite_of(item: pytest.Item) -> str:
    if item.get_closest_marker("browser"):
        return "browser"
    if item.get_closest_marker("postgresql"):
        return "postgresql"
    return "sqlite"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`-n 2 --dist loadgroup`, see scripts/run_tests.py) a file stays on one worker, so its
    module fixtures are built once; the browser suite is one group, so one worker runs the one app server."""
    e2e = PROJECT_ROOT / "tests" / "e2e"
    for item in items:
        in_e2e = e2e in Path(str(item.fspath)).resolve().parents
        group = "browser" if in_e2e or item.get_closest_marker("browser") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
    if getattr(config.option, "numprocesses", None):
        # the browser group is the longest unit: dispatched first, it runs while the other workers share the rest
        items.sort(key=lambda item: not item.get_closest_marker("xdist_group").args[0] == "browser")


_outcomes: dict[str, Counter] = {s: Counter() for s in SUITES}


def _is_worker(config: pytest.Config) -> bool:
    """True inside a pytest-xdist worker: the controller sees every worker's reports and does the counting."""
    return hasattr(config, "workerinput")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Tag each report with its suite; the tag travels with the report from an xdist worker to the controller."""
    outcome = yield
    outcome.get_result().user_properties.append((SUITE_PROPERTY, _suite_of(item)))


def pytest_runtest_logreport(report) -> None:
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        suite = dict(report.user_properties).get(SUITE_PROPERTY, "sqlite")
        _outcomes[suite][report.outcome] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _is_worker(config):
        return
    terminalreporter.section("Lägesbild suites")
    for suite in SUITES:
        c = _outcomes[suite]
        terminalreporter.write_line(f"{suite:>10}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped")
    if os.environ.get("CI", "").lower() == "true":
        skipped = {s: _outcomes[s]["skipped"] for s in ("postgresql", "browser") if _outcomes[s]["skipped"]}
        missing = [s for s in ("postgresql", "browser") if not sum(_outcomes[s].values())]
        if skipped or missing:
            terminalreporter.write_line(
                f"CI=true: suites skipped {skipped or ''} or not run {missing or ''}: failing the run.", red=True)


def pytest_sessionfinish(session, exitstatus) -> None:
    """With CI=true, a skipped or absent PostgreSQL/browser suite fails the run."""
    if (os.environ.get("CI", "").lower() != "true" or session.config.option.collectonly
            or _is_worker(session.config)):
        return
    skipped = any(_outcomes[s]["skipped"] for s in ("postgresql", "browser"))
    absent = not all(sum(_outcomes[s].values()) for s in SUITES)
    if skipped or absent:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests skipped: {PG_URL_ENV} is not set (run `make test` to start a throwaway cluster)")
    return url


def _fresh_pg_database(admin_url: str) -> tuple[str, callable]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def store_url(request, tmp_path) -> str:
    """A URL to an empty store, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    url, drop = _fresh_pg_database(request.getfixturevalue("pg_admin_url"))
    yield url
    drop()


@pytest.fixture
def engine(store_url):
    """An engine on a migrated, empty store, once per backend."""
    eng = make_engine(store_url)
    upgrade_to_head(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_store_url(tmp_path_factory) -> str:
    """A migrated SQLite store holding a small demo municipality that ends today (built once per run)."""
    from data_layer.demo import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    eng = make_engine(url)
    upgrade_to_head(eng)
    load_demo(eng, seed=7, today=date.today(), scale=DEMO_TEST_SCALE)
    eng.dispose()
    return url


@pytest.fixture
def demo_engine(demo_store_url):
    eng = make_engine(demo_store_url)
    yield eng
    eng.dispose()
