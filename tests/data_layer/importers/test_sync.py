"""`sync polisen` against a local HTTP server (never the internet): polite requests, new events only, 304 respected."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from data_layer.importers.sync import SyncError, USER_AGENT, run_sync_loop, sync_polisen
from data_layer.models import Incident
from tests.data_layer.importers.helpers import POLICE_OCTOBER, load_events


@pytest.fixture
def feed():
    """A local server that serves the October events with an ETag and answers 304 to a matching If-None-Match."""
    state = {"body": POLICE_OCTOBER.read_bytes(), "etag": '"oct-v1"', "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            state["requests"].append(dict(self.headers))
            if self.path != "/api/events":
                self.send_error(404)
                return
            if self.headers.get("If-None-Match") == state["etag"]:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", state["etag"])
            self.send_header("Content-Length", str(len(state["body"])))
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/api/events"
    yield state
    server.shutdown()
    server.server_close()


def _count(engine):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Incident)).scalar_one()


def test_a_sync_imports_the_feed_and_identifies_itself(sweden, feed):
    summary = sync_polisen(sweden, url=feed["url"], timeout=5)
    assert summary["accepted"] == _count(sweden) == len(load_events())
    assert feed["requests"][0]["User-Agent"] == USER_AGENT


def test_an_unchanged_feed_is_not_downloaded_again(sweden, feed):
    sync_polisen(sweden, url=feed["url"], timeout=5)
    second = sync_polisen(sweden, url=feed["url"], timeout=5)
    assert second["not_modified"] is True and second["accepted"] == 0
    assert feed["requests"][1]["If-None-Match"] == '"oct-v1"'


def test_a_changed_feed_imports_only_what_is_new(sweden, feed, tmp_path):
    events = load_events()
    import json
    feed["body"] = json.dumps(events[100:], ensure_ascii=False).encode("utf-8")
    assert sync_polisen(sweden, url=feed["url"], timeout=5)["accepted"] == len(events) - 100
    feed["body"], feed["etag"] = POLICE_OCTOBER.read_bytes(), '"oct-v2"'
    again = sync_polisen(sweden, url=feed["url"], timeout=5)
    assert (again["accepted"], again["duplicates_skipped"]) == (100, len(events) - 100)


def test_a_feed_error_is_a_swedish_sync_error(sweden, feed):
    with pytest.raises(SyncError, match="svarade 404"):
        sync_polisen(sweden, url=feed["url"].replace("/api/events", "/missing"), timeout=5)


def test_the_loop_waits_the_interval_between_fetches(sweden, feed):
    naps, reports = [], []

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sync_loop(sweden, url=feed["url"], interval_s=120, report=reports.append, sleep=sleep)
    assert naps == [120, 120] and [r["accepted"] for r in reports] == [2148, 0]
