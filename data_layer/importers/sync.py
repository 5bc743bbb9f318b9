"""Fetch Polisen's public events feed politely (timeout, User-Agent, ETag/If-Modified-Since) and import what is new."""
from __future__ import annotations

import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, insert, select, update

from data_layer.importers.polisen import import_polisen
from data_layer.models import StoreInfo

DEFAULT_URL = "https://polisen.se/api/events"
DEFAULT_INTERVAL_S = 600
MIN_INTERVAL_S = 60
USER_AGENT = "Lagesbild/1.0 (EST-lägesbild; trygghetsforum)"
_STATE_KEYS = {"etag": "sync.polisen.etag", "last_modified": "sync.polisen.last_modified"}


class SyncError(Exception):
    """The feed could not be fetched (network error or HTTP error status)."""


def _state(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = dict(conn.execute(select(StoreInfo.key, StoreInfo.value)
                                 .where(StoreInfo.key.in_(_STATE_KEYS.values()))).all())
    return {name: rows[key] for name, key in _STATE_KEYS.items() if key in rows}


def _save_state(engine: Engine, values: dict[str, str | None]) -> None:
    with engine.begin() as conn:
        for name, value in values.items():
            if not value:
                continue
            key = _STATE_KEYS[name]
            if conn.execute(update(StoreInfo).where(StoreInfo.key == key).values(value=value[:500])).rowcount == 0:
                conn.execute(insert(StoreInfo).values(key=key, value=value[:500]))


def fetch(url: str, *, timeout: float, etag: str | None = None, last_modified: str | None = None) -> tuple[bytes | None, dict]:
    """GET `url` with a conditional request; (None, headers) when the server says nothing changed (304)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json",
                                                   "Accept-Encoding": "gzip"})
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL set by the operator)
            return response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None, dict(exc.headers)
        raise SyncError(f"Polisens flöde svarade {exc.code} för {url}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SyncError(f"Kunde inte hämta {url}: {getattr(exc, 'reason', exc)}") from None


def sync_polisen(engine: Engine, *, url: str = DEFAULT_URL, timeout: float = 30.0) -> dict:
    """Fetch the feed once and import the events the store does not hold yet; return a JSON-ready summary."""
    state = _state(engine)
    body, headers = fetch(url, timeout=timeout, etag=state.get("etag"), last_modified=state.get("last_modified"))
    fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if body is None:
        return {"url": url, "fetched_at": fetched_at, "not_modified": True, "accepted": 0}
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"polisen-sync-{stamp}.json"
        path.write_bytes(body)
        result = import_polisen(engine, path, skip_invalid=True)  # one odd event must not block all new ones
    _save_state(engine, {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")})
    return {"url": url, "fetched_at": fetched_at, "not_modified": False, **result.to_dict()}


def run_sync_loop(engine: Engine, *, url: str, interval_s: float = DEFAULT_INTERVAL_S, once: bool = False,
                  report: Callable[[dict], None] = print, sleep: Callable[[float], None] = time.sleep) -> None:
    """Sync every `interval_s` seconds (at least MIN_INTERVAL_S) until interrupted; a failed fetch is reported, not fatal."""
    interval_s = max(interval_s, MIN_INTERVAL_S)
    while True:
        try:
            report(sync_polisen(engine, url=url))
        except SyncError as exc:
            if once:
                raise
            report({"url": url, "error": str(exc)})
        if once:
            return
        sleep(interval_s)
