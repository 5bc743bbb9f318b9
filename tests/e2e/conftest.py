"""Browser suite: the real app (`streamlit run app.py`) on the small demo store, driven by Debian's Chromium.

Playwright comes through pytest-playwright: we override its `browser_type_launch_args` so that the
session `browser` fixture launches /usr/bin/chromium (no Playwright browser download works here).
Do not start a second `sync_playwright()` in this process: it conflicts with pytest-playwright's.
Without `chromium` on PATH every test here is skipped with the reason (and CI=true turns that into a failure).
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import PROJECT_ROOT

E2E_DIR = Path(__file__).resolve().parent
APP_DIR = PROJECT_ROOT
# LAGESBILD_TEST_ARTIFACTS lets two browser runs on one checkout keep their screenshots apart.
ARTIFACTS = Path(os.environ.get("LAGESBILD_TEST_ARTIFACTS") or PROJECT_ROOT / "test-artifacts")
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_DIR = ARTIFACTS / "axe"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
HEALTH_TIMEOUT_S = 60
SETTLE_TIMEOUT_S = 60
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e belongs to the browser suite, even a test that forgets its marker."""
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def fresh_artifacts():
    """Screenshots and axe findings describe the last browser run only: clear what earlier runs left."""
    for folder in (SCREENSHOTS, AXE_DIR):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)


# -- the browser (pytest-playwright) ----------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args():
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Browser tests skipped: `chromium` is not on PATH. Install Debian's package "
                    "(`apt-get install -y chromium`, which `make browser` does when run as root); "
                    "Playwright's own browser download does not work on this network.")
    return {"executable_path": chromium, "headless": True, "args": CHROMIUM_ARGS}


# -- the app server ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if pytest dies without tearing down (e.g. SIGKILL)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_app(db_url: str, log_name: str = "streamlit.log"):
    """The app (scripts/serve.py, as `make run` starts it) on `db_url` at a free loopback port; yields the base URL,
    then stops the server."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "LAGESBILD_DB_URL": db_url, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "scripts/serve.py",
               "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    log_path = ARTIFACTS / log_name
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(command, cwd=APP_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while not _healthy(f"{base}/_stcore/health"):
            if server.poll() is not None:
                pytest.fail(f"streamlit exited with code {server.returncode} before it was healthy "
                            f"({log_path}):\n{_tail(log_path)}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit was not healthy within {HEALTH_TIMEOUT_S} s ({log_path}):\n{_tail(log_path)}",
                            pytrace=False)
            time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


@pytest.fixture(scope="session")
def app_db_url(browser, request) -> str:
    """The store the app serves: the small demo store from tests/conftest.py.

    Requests `browser` first so that a missing Chromium skips before the demo store is built."""
    return request.getfixturevalue("demo_store_url")


@pytest.fixture(scope="session")
def app_url(app_db_url):
    """Base URL of the app server shared by the browser tests (stopped after the session)."""
    with running_app(app_db_url) as base:
        yield base


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# -- helpers the tests share ------------------------------------------------------------------------
SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return 'no stApp';
  const conn = app.getAttribute('data-test-connection-state');
  const script = app.getAttribute('data-test-script-state');
  if (conn !== 'CONNECTED') return 'connection ' + conn;
  if (script !== 'notRunning') return 'script ' + script;
  if (document.querySelector('[data-testid="stSpinner"], [data-testid="stSkeleton"]')) return 'spinner';
  return 'settled';
}"""


def wait_settled(page, quiet_ms: int = 800, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until the app is connected, the script is not running (and has run at least once: the state
    is 'initial' before the first run), no spinner shows, and all of that holds for `quiet_ms`, which
    covers the gap between a click and the rerun it triggers."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    state = "?"
    while time.monotonic() < deadline:
        state = page.evaluate(SETTLED_JS)
        now = time.monotonic()
        if state == "settled":
            quiet_since = quiet_since or now
            if (now - quiet_since) * 1000 >= quiet_ms:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(100)
    raise AssertionError(f"app did not settle within {timeout_s} s (last state: {state}) at {page.url}")


def url_path(url: str) -> str:
    return urlparse(url).path.rstrip("/") or "/"
