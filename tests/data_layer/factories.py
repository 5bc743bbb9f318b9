"""Small hand-made rows for data-layer tests: organisations, users and incidents with known properties."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timezone

from data_layer.db import session_scope
from data_layer.models import Incident, Organisation, User
from data_layer.reference import ensure_categories

NOW = datetime(2026, 11, 24, 18, 30, tzinfo=timezone.utc)


def make_orgs_and_users(engine) -> dict[str, int]:
    """Create two organisations and one user per role; return {name: id} for orgs ('org_a', 'org_b') and users."""
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        ensure_categories(session)
        for code, kind in (("org_a", "kommun"), ("org_b", "bostadsbolag")):
            org = Organisation(code=code, name=code.upper(), kind=kind)
            session.add(org)
            session.flush()
            ids[code] = org.id
        for username, role, org in (("admin", "admin", "org_a"), ("samordnare", "samordnare", "org_a"),
                                    ("analytiker", "analytiker", "org_a"), ("medlem_b", "medlem", "org_b"),
                                    ("medlem_a", "medlem", "org_a"), ("rapportor_b", "rapportor", "org_b"),
                                    ("lasare", "lasare", "org_a")):
            user = User(username=username, display_name=username, organisation_id=ids[org], role=role, created_at=NOW)
            session.add(user)
            session.flush()
            ids[username] = user.id
    return ids


def add_incident(engine, *, source_org_id: int, external_id: str, category_code: str = "skadegorelse",
                 occurred_at: datetime = NOW, sensitive: bool = False, reporter_user_id: int | None = None,
                 description: str | None = "Text", local_date: date | None = None, local_hour: int = 19) -> int:
    """Insert one point incident and return its id."""
    with session_scope(engine) as session:
        categories = ensure_categories(session)
        row = Incident(source_org_id=source_org_id, external_id=external_id, category_id=categories[category_code],
                       occurred_at=occurred_at, occurred_date=local_date or occurred_at.date(), occurred_hour=local_hour,
                       reported_at=occurred_at, lat=57.65, lon=14.69, description=description, sensitive=sensitive,
                       reporter_user_id=reporter_user_id)
        session.add(row)
        session.flush()
        return row.id


@contextmanager
def demo_store_on(backend: str, request, tmp_path_factory, *, seed: int, today: date, scale: float):
    """A migrated demo store on `backend` ("sqlite": a temporary file; "postgresql": a fresh database on the test
    cluster, dropped afterwards); yields its engine."""
    from data_layer.db import make_engine
    from data_layer.demo import load_demo
    from data_layer.migrate import upgrade_to_head
    from tests.conftest import _fresh_pg_database

    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}", (lambda: None)
    else:
        url, drop = _fresh_pg_database(request.getfixturevalue("pg_admin_url"))
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        load_demo(engine, seed=seed, today=today, scale=scale)
        yield engine
    finally:
        engine.dispose()
        drop()
