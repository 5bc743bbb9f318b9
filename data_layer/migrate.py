"""Schema migrations: bring a store to Alembic head, and tell whether it is there."""
from __future__ import annotations

from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from data_layer.db import PROJECT_ROOT


def _config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending migration to the store behind `engine`."""
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@lru_cache(maxsize=1)
def head_revision() -> str:
    """Return the newest migration's revision id (read once per process: the code's migrations do not change while it
    runs, and every page view asks)."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """Return the store's applied revision, or None for an empty store."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    """True when the store's schema matches the code's newest migration."""
    return current_revision(engine) == head_revision()
