"""Alembic environment: metadata from SQLModel, URL from the one resolver, batch mode on SQLite."""
from alembic import context
from sqlmodel import SQLModel

from data_layer import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from data_layer.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `python -m data_layer init`.")
run_migrations_online()
