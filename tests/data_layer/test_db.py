"""The store: one URL resolver, SQLite pragmas, timezone-aware UTC times, migrations at head on every backend."""
from datetime import date, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel, select

from data_layer.db import DEFAULT_DB_URL, make_engine, resolve_db_url, session_scope
from data_layer.migrate import current_revision, head_revision, is_at_head, upgrade_to_head
from data_layer.models import AuditLog


def test_the_env_variable_wins_over_secrets_and_default(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[lagesbild]\ndb_url = "sqlite:///from-secrets.db"\n')
    assert resolve_db_url(env={"LAGESBILD_DB_URL": "sqlite:///from-env.db"}, secrets_file=secrets) == "sqlite:///from-env.db"
    assert resolve_db_url(env={}, secrets_file=secrets) == "sqlite:///from-secrets.db"
    assert resolve_db_url(env={}, secrets_file=tmp_path / "missing.toml") == DEFAULT_DB_URL


def test_the_default_store_is_an_sqlite_file_under_data():
    assert DEFAULT_DB_URL.startswith("sqlite:///") and DEFAULT_DB_URL.endswith("/data/lagesbild.db")


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_a_fresh_store_migrates_to_head_and_matches_the_models(engine):
    assert is_at_head(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_migrating_twice_changes_nothing(engine):
    upgrade_to_head(engine)
    assert is_at_head(engine)


def test_an_empty_store_is_not_at_head(tmp_path):
    assert not is_at_head(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))


def test_times_come_back_timezone_aware_in_utc(engine):
    stockholm_summer = timezone(timedelta(hours=2))
    with session_scope(engine) as session:
        session.add(AuditLog(at=datetime(2026, 8, 22, 9, 48, 12, tzinfo=stockholm_summer), event="login"))
    with session_scope(engine) as session:
        row = session.exec(select(AuditLog)).one()
    assert row.at == datetime(2026, 8, 22, 7, 48, 12, tzinfo=timezone.utc)
    assert row.at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(Exception):
        with session_scope(engine) as session:
            session.add(AuditLog(at=datetime(2026, 1, 1, 12, 0), event="login"))


def test_a_failed_unit_of_work_leaves_nothing_behind(engine):
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(AuditLog(at=datetime.now(timezone.utc), event="login"))
            session.flush()
            raise RuntimeError("crash mid-transaction")
    with session_scope(engine) as session:
        assert session.exec(select(AuditLog)).all() == []


def test_planner_statistics_exist_after_the_demo_is_loaded(engine):
    from data_layer.demo import load_demo

    load_demo(engine, seed=1, today=date(2026, 3, 1), scale=0.02)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            analysed = conn.exec_driver_sql("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'incident'").scalar_one()
        else:
            analysed = conn.exec_driver_sql("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'incident'").scalar_one()
    assert analysed > 0
