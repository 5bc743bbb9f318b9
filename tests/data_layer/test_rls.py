"""PostgreSQL row-level security: the second wall holds when the first (scope.visible) is forgotten.

The store is owned by a non-superuser role (superusers bypass every policy) and read through a separate non-owner
login role made by rls.app_role_sql, as in production (docs/deployment-postgresql.md).
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text, true
from sqlalchemy.exc import ProgrammingError

from data_layer import rls
from data_layer.__main__ import main as cli_main
from data_layer.audit import record
from data_layer.db import make_engine, session_scope
from data_layer.migrate import upgrade_to_head
from data_layer.models import ROLES, AuditLog, Incident
from data_layer.permissions import MATRIX, OPERATIONS, RESOURCES
from data_layer.queries import incidents as incident_queries
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope, visible
from data_layer.users import add_user, authenticate
from tests.conftest import PROJECT_ROOT
from tests.data_layer.factories import NOW, add_incident, make_orgs_and_users

pytestmark = pytest.mark.postgresql

WEEK = IncidentFilter(start=date(2026, 11, 18), end=date(2026, 11, 24))
USER_OF_ROLE = {"admin": "admin", "samordnare": "samordnare", "analytiker": "analytiker", "medlem": "medlem_b",
                "rapportor": "rapportor_b", "lasare": "lasare"}


class Store:
    """A migrated store owned by a non-superuser, its owner ("system") engine and the app role's engine."""

    def __init__(self, admin_url: str) -> None:
        self.suffix = uuid.uuid4().hex[:10]
        self.owner, self.app, self.db = f"own_{self.suffix}", f"app_{self.suffix}", f"rls_{self.suffix}"
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE ROLE {self.owner} LOGIN CREATEROLE"))
            conn.execute(text(f"CREATE DATABASE {self.db} OWNER {self.owner}"))
        base = admin_url.rsplit("@", 1)[1].rsplit("/", 1)[0]
        scheme = admin_url.split("://", 1)[0]
        self.owner_url = f"{scheme}://{self.owner}@{base}/{self.db}"
        self.app_url = f"{scheme}://{self.app}@{base}/{self.db}"
        self.system = make_engine(self.owner_url)
        upgrade_to_head(self.system)
        with self.system.begin() as conn:
            for statement in rls.app_role_sql(self.app):
                conn.exec_driver_sql(statement)
        self.app_engine = make_engine(self.app_url, app=True)
        self.extra_roles: list[str] = []  # roles made by a test; dropped after the database (which holds its grants)

    def scope(self, role: str) -> Scope:
        user_id = self.ids[USER_OF_ROLE[role]]
        with self.system.connect() as conn:
            org = conn.execute(text('SELECT organisation_id FROM "user" WHERE id = :i'), {"i": user_id}).scalar_one()
        return Scope(user_id=user_id, role=role, organisation_id=org)

    def close(self) -> None:
        self.app_engine.dispose()
        self.system.dispose()
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)"))
            for role in (self.app, *self.extra_roles):
                conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
            conn.execute(text(f"DROP ROLE IF EXISTS {self.owner}"))
        self.admin.dispose()


@pytest.fixture(scope="module")
def store(pg_admin_url):
    """Organisations A and B, a user per role, and A's and B's ordinary and sensitive incidents."""
    s = Store(pg_admin_url)
    s.ids = make_orgs_and_users(s.system)
    a, b = s.ids["org_a"], s.ids["org_b"]
    s.incidents = {
        "a_plain": add_incident(s.system, source_org_id=a, external_id="a1"),
        "a_sensitive": add_incident(s.system, source_org_id=a, external_id="a2", sensitive=True),
        "b_plain": add_incident(s.system, source_org_id=b, external_id="b1"),
        "b_sensitive": add_incident(s.system, source_org_id=b, external_id="b2", sensitive=True,
                                    reporter_user_id=s.ids["rapportor_b"]),
        "b_by_medlem": add_incident(s.system, source_org_id=b, external_id="b3", reporter_user_id=s.ids["medlem_b"]),
    }
    with session_scope(s.system) as session:
        record(session, event="login", user_id=s.ids["admin"], username="admin")
        record(session, event="login", user_id=s.ids["medlem_b"], username="medlem_b")
    yield s
    s.close()


def _ids(engine, sql: str) -> set[int]:
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(text(sql))}


def test_a_forgotten_where_in_a_detail_read_shows_no_sensitive_row_of_another_organisation(store):
    with rls.acting_as(store.scope("medlem"), "read_detail"):  # medlem of organisation B
        seen = _ids(store.app_engine, "SELECT id FROM incident")
    assert store.incidents["a_sensitive"] not in seen
    assert {store.incidents["a_plain"], store.incidents["b_sensitive"], store.incidents["b_plain"]} <= seen


def test_a_role_that_may_only_count_reads_no_incident_row_by_row(store):
    with rls.acting_as(store.scope("lasare"), "read_detail"):
        assert _ids(store.app_engine, "SELECT id FROM incident") == set()


def test_a_reporter_reads_only_its_own_reports_in_detail(store):
    with rls.acting_as(store.scope("rapportor"), "read_detail"):
        assert _ids(store.app_engine, "SELECT id FROM incident") == {store.incidents["b_sensitive"]}


def test_a_coordinator_reads_every_sensitive_row_in_detail(store):
    with rls.acting_as(store.scope("samordnare"), "read_detail"):
        assert _ids(store.app_engine, "SELECT id FROM incident") == set(store.incidents.values())


def test_counting_still_counts_every_incident_sensitive_ones_included(store):
    for role in ROLES:
        with rls.acting_as(store.scope(role), "list"):
            with store.app_engine.connect() as conn:
                counted = conn.execute(text("SELECT count(*) FROM incident WHERE sensitive")).scalar_one()
                total = conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
        assert (role, counted, total) == (role, 2, len(store.incidents))


def test_without_an_acting_user_the_app_role_sees_no_protected_row(store):
    for table in ("incident", "auditlog", '"user"'):
        assert _ids(store.app_engine, f"SELECT id FROM {table}") == set(), table
    with store.system.connect() as conn:  # the rows are there: the owner's system context sees them
        assert conn.execute(text("SELECT count(*) FROM incident")).scalar_one() == len(store.incidents)


def test_the_app_role_cannot_claim_the_system_context(store):
    with rls._acting(rls.SYSTEM):
        for table in ("incident", "auditlog", '"user"'):
            assert _ids(store.app_engine, f"SELECT id FROM {table}") == set(), table


def test_a_context_set_for_one_transaction_does_not_outlive_it(store):
    scope = store.scope("samordnare")
    with store.app_engine.connect() as conn:
        with rls.acting_as(scope, "read_detail"):
            assert conn.execute(text("SELECT count(*) FROM incident")).scalar_one() == len(store.incidents)
            conn.commit()
        # the same pooled connection, a new transaction, nobody acting
        assert conn.execute(text("SELECT count(*) FROM incident")).scalar_one() == 0


def test_the_owner_without_the_system_context_is_held_by_the_policies_too(store):
    with create_engine(store.owner_url).connect() as conn:  # a bare engine: no context set (FORCE ROW LEVEL SECURITY)
        assert conn.execute(text("SELECT count(*) FROM incident")).scalar_one() == 0


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_policies_show_exactly_what_visible_allows_for_every_role(store, operation):
    for role in ROLES:
        scope = store.scope(role)
        try:
            condition = visible(Incident, scope, operation=operation)
        except TypeError:
            continue
        expected = _ids(store.system, str(select(Incident.id).where(condition)
                                          .compile(store.system, compile_kwargs={"literal_binds": True})))
        with rls.acting_as(scope, operation):
            assert _ids(store.app_engine, "SELECT id FROM incident") == expected, (role, operation)


def test_a_detail_query_without_its_where_clause_still_hides_other_organisations_sensitive_rows(store, monkeypatch):
    monkeypatch.setattr(incident_queries, "visible", lambda *args, **kwargs: true())  # the first wall, forgotten
    scope = store.scope("medlem")
    with rls.acting_as(scope, "list"):  # what the app's session sets; the detail query narrows it itself
        rows = incident_queries.recent_incidents(store.app_engine, scope=scope, flt=WEEK)
    assert store.incidents["a_sensitive"] not in set(rows["id"])
    assert store.incidents["a_plain"] in set(rows["id"])


def test_the_audit_log_is_read_only_by_administrators(store):
    with rls.acting_as(store.scope("admin"), "list"):
        assert len(_ids(store.app_engine, "SELECT id FROM auditlog")) >= 2
    for role in ("samordnare", "analytiker", "lasare"):
        with rls.acting_as(store.scope(role), "read_detail"):
            assert _ids(store.app_engine, "SELECT id FROM auditlog") == set(), role
    with rls.acting_as(store.scope("medlem"), "list"):  # its own entries only (INSERT … RETURNING needs them)
        assert _ids(store.app_engine, "SELECT user_id FROM auditlog") == {store.ids["medlem_b"]}


def test_the_audit_log_is_append_only_for_the_app(store):
    with rls.acting_as(store.scope("admin"), "list"), pytest.raises(ProgrammingError):
        with store.app_engine.begin() as conn:
            conn.execute(text("DELETE FROM auditlog"))


def test_user_rows_are_shown_to_administrators_and_otherwise_only_the_users_own(store):
    with rls.acting_as(store.scope("admin"), "list"):
        assert _ids(store.app_engine, 'SELECT id FROM "user"') == _ids(store.system, 'SELECT id FROM "user"')
    with rls.acting_as(store.scope("lasare"), "list"):
        assert _ids(store.app_engine, 'SELECT id FROM "user"') == {store.ids["lasare"]}


def test_a_login_through_the_app_role_sees_only_its_own_account(store):
    add_user(store.system, username="kalle", role="medlem", organisation_code="org_a", password="hemligt")
    assert authenticate(store.app_engine, username="kalle", password="fel") is None
    user = authenticate(store.app_engine, username="kalle", password="hemligt")
    assert user is not None and user.scope.role == "medlem"
    assert authenticate(store.app_engine, username="okänd", password="x") is None
    with store.system.connect() as conn:
        events = conn.execute(select(AuditLog.event, AuditLog.detail).where(AuditLog.username.in_(("kalle", "okänd")))
                              .order_by(AuditLog.id)).all()
    assert [tuple(e) for e in events] == [("login_failed", "bad_password"), ("login", None),
                                          ("login_failed", "unknown_or_inactive")]
    with rls.acting_for_login("kalle"):
        assert len(_ids(store.app_engine, 'SELECT id FROM "user"')) == 1
        assert _ids(store.app_engine, "SELECT id FROM incident") == set()


def test_a_report_is_written_through_the_app_role_but_only_for_the_reporters_organisation(store):
    scope = store.scope("rapportor")
    with rls.acting_as(scope, "list"):
        new_id = incident_queries.create_incident(store.app_engine, scope=scope, category_code="skadegorelse",
                                                  occurred_at=NOW - timedelta(hours=1), description="Klotter")
        with pytest.raises(ProgrammingError, match="row-level security"):
            with store.app_engine.begin() as conn:
                conn.execute(text("UPDATE incident SET description = 'x' WHERE id = :i"),
                             {"i": store.incidents["a_plain"]})
                conn.execute(text("INSERT INTO incident (source_org_id, external_id, category_id, occurred_at, "
                                  "occurred_date, occurred_hour, reported_at, location_precision, police_reported, "
                                  "sensitive) SELECT :o, 'forged', id, now(), current_date, 1, now(), 'none', false, "
                                  "false FROM category LIMIT 1"), {"o": store.ids["org_a"]})
    with store.system.connect() as conn:
        assert conn.execute(select(Incident.source_org_id).where(Incident.id == new_id)).scalar_one() == \
            store.ids["org_b"]
        assert conn.execute(select(Incident.description).where(Incident.id == store.incidents["a_plain"])) \
            .scalar_one() == "Text"
    with store.system.begin() as conn:
        conn.execute(text("DELETE FROM incident WHERE id = :i"), {"i": new_id})


def test_the_stores_permission_function_is_the_permission_matrix(store):
    with store.app_engine.connect() as conn:
        for role in (*ROLES, "system"):
            for resource in RESOURCES:
                for operation in OPERATIONS:
                    got = conn.execute(text("SELECT lagesbild_allowed(:r, :res, :op)"),
                                       {"r": role, "res": resource, "op": operation}).scalar_one()
                    want = operation in MATRIX.get(role, {}).get(resource, frozenset())
                    assert got is want, (role, resource, operation)


def test_the_migration_downgrade_removes_every_policy_and_the_upgrade_restores_them(pg_admin_url):
    from alembic import command

    from data_layer.migrate import _config

    s = Store(pg_admin_url)
    try:
        def state() -> tuple[int, list[bool]]:
            with s.system.connect() as conn:
                policies = conn.execute(text("SELECT count(*) FROM pg_policies WHERE schemaname = 'public'")).scalar()
                flags = conn.execute(text("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                                          "WHERE relname IN ('incident', 'auditlog', 'user') AND relkind = 'r'")).all()
            return policies, sorted(f[0] for f in flags)

        assert state() == (13, [True, True, True])
        cfg = _config()
        with s.system.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007")
        assert state() == (0, [False, False, False])
        with s.app_engine.connect() as conn:  # nothing hides rows any more (the grants stay)
            assert conn.execute(text('SELECT count(*) FROM "user"')).scalar_one() == 0
        upgrade_to_head(s.system)
        assert state() == (13, [True, True, True])
    finally:
        s.close()


def test_the_cli_creates_the_app_role_and_prints_its_statements(store, capsys):
    name = f"cli_{store.suffix}"
    store.extra_roles.append(name)
    assert cli_main(["--db", store.owner_url, "pg-app-role", "--name", name, "--print"]) == 0
    printed = capsys.readouterr().out
    assert f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}" in printed
    assert cli_main(["--db", store.owner_url, "pg-app-role", "--name", name]) == 0
    url = store.app_url.replace(store.app, name)
    engine = make_engine(url, app=True)
    try:
        with rls.acting_as(store.scope("samordnare"), "read_detail"), engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(Incident)).scalar_one() >= len(store.incidents)
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", ["Robert'); DROP TABLE incident;--", "1abc", "", "a b"])
def test_app_role_names_that_are_not_plain_identifiers_are_refused(name):
    with pytest.raises(ValueError, match="Ogiltigt rollnamn"):
        rls.app_role_sql(name)



def test_the_responsible_roles_the_user_policy_names_are_the_action_registers():
    from data_layer.queries.action_register import RESPONSIBLE_ROLES

    source = (PROJECT_ROOT / "data_layer/migrations/versions/0008_row_level_security.py").read_text(encoding="utf-8")
    assert "_RESPONSIBLE = \"" + ", ".join(f"'{r}'" for r in RESPONSIBLE_ROLES) + "\"" in source


def test_users_change_their_own_row_but_never_their_own_role(store):
    scope = store.scope("lasare")
    with rls.acting_as(scope, "list"):
        with store.app_engine.begin() as conn:
            changed = conn.execute(text('UPDATE "user" SET display_name = :n WHERE id = :i'),
                                   {"n": "Läsaren", "i": scope.user_id}).rowcount
            others = conn.execute(text('UPDATE "user" SET display_name = :n WHERE id <> :i'),
                                  {"n": "x", "i": scope.user_id}).rowcount
        with pytest.raises(ProgrammingError, match="row-level security"), store.app_engine.begin() as conn:
            conn.execute(text('UPDATE "user" SET role = \'admin\' WHERE id = :i'), {"i": scope.user_id})
    assert (changed, others) == (1, 0)
    with store.system.connect() as conn:
        role = conn.execute(text('SELECT role FROM "user" WHERE id = :i'), {"i": scope.user_id}).scalar_one()
    assert role == "lasare"


def test_people_named_on_actions_are_shown_to_every_role_that_reads_actions(store):
    with store.system.begin() as conn:
        action_id = conn.execute(text("INSERT INTO action (title, owner_org_id, responsible_user_id, status, priority, "
                                      "version, created_at, updated_at) VALUES ('Belysning', :o, :u, 'beslutad', 2, "
                                      "1, now(), now()) RETURNING id"),
                                 {"o": store.ids["org_a"], "u": store.ids["samordnare"]}).scalar_one()
    try:
        with rls.acting_as(store.scope("lasare"), "list"):
            assert _ids(store.app_engine, 'SELECT id FROM "user"') == {store.ids["lasare"], store.ids["samordnare"]}
        with rls.acting_as(store.scope("medlem"), "list"):  # may edit actions: every active possible responsible
            seen = _ids(store.app_engine, 'SELECT id FROM "user"')
        assert store.ids["medlem_a"] in seen and store.ids["rapportor_b"] not in seen
    finally:
        with store.system.begin() as conn:
            conn.execute(text("DELETE FROM action WHERE id = :i"), {"i": action_id})
