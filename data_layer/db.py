"""One settings resolver, one engine factory, one session helper for every store Lägesbild runs on."""
from __future__ import annotations

import os
import tomllib
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from data_layer.rls import SYSTEM, Acting, install_rls

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'lagesbild.db'}"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def resolve_db_url(*, env: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> str:
    """Return the store URL: LAGESBILD_DB_URL, else secrets.toml's [lagesbild] db_url, else the SQLite file under data/."""
    env = os.environ if env is None else env
    if env.get("LAGESBILD_DB_URL"):
        return env["LAGESBILD_DB_URL"]
    if secrets_file.is_file():
        with secrets_file.open("rb") as fh:
            secrets = tomllib.load(fh)
        url = secrets.get("lagesbild", {}).get("db_url") or secrets.get("LAGESBILD_DB_URL")
        if url:
            return url
    return DEFAULT_DB_URL


DEFAULT_MIN_COUNT = 3  # counts 1..2 are hidden from roles that may only count (analysis/privacy.py)


def resolve_min_count(*, env: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> int:
    """The smallest count shown to roles that may only count: LAGESBILD_MIN_COUNT, else secrets.toml's [lagesbild]
    min_count, else 3; 1 shows every count. A value that is not a whole number >= 1 is refused, not guessed."""
    env = os.environ if env is None else env
    raw = env.get("LAGESBILD_MIN_COUNT")
    if not raw and secrets_file.is_file():
        with secrets_file.open("rb") as fh:
            raw = tomllib.load(fh).get("lagesbild", {}).get("min_count")
    if raw is None or raw == "":
        return DEFAULT_MIN_COUNT
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"LAGESBILD_MIN_COUNT måste vara ett heltal ≥ 1, inte {raw!r}")
    return value


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Python's sqlite3 defaults to rollback journal and foreign keys OFF; set them on every connection.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None, *, app: bool = False,
                app_fallback: Callable[[], Acting | None] | None = None) -> Engine:
    """Create an engine for `url` (default: the resolved URL) with Lägesbild's connection settings.

    On PostgreSQL every transaction tells the row-level security policies who is acting (data_layer/rls.py):
    `app=True` engines (the web app) fall back to `app_fallback()` (nobody unless given: every protected row
    hidden); other engines (CLI, imports, migrations, tests) fall back to the owner-only "system" context.
    """
    url = url or resolve_db_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Stored times are UTC; pin the session zone so server-side date functions never depend on the server's default.
    engine = create_engine(url, pool_pre_ping=True, connect_args={"options": "-c timezone=UTC"})
    install_rls(engine, fallback=(app_fallback or (lambda: None)) if app else (lambda: SYSTEM))
    return engine


def refresh_planner_statistics(engine: Engine) -> None:
    """Refresh the query planner's table statistics after a bulk write (SQLite: sampled ANALYZE; PostgreSQL: ANALYZE).

    Without statistics SQLite picks the source-organisation index over the date index for filtered counts, which
    is 25 times slower on a store of a million incidents (see benchmarks/pages.py).
    """
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA analysis_limit=2000")
                conn.exec_driver_sql("ANALYZE")
            else:
                conn.exec_driver_sql("ANALYZE incident")
    except OperationalError:
        pass  # an optimisation only: a busy store must not turn a committed import into a reported failure


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on any error (one unit of work = one transaction)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
