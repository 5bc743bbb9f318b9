"""PostgreSQL row-level security, the second wall behind scope.visible(): who acts, told to the store per transaction.

Every transaction on a PostgreSQL engine starts with set_config('lagesbild.*', …, true) (SET LOCAL semantics: the
values end with the transaction, so a pooled connection never carries them to the next user). The values come
from the innermost `acting_as(scope, operation)` (or `acting_for_login(username)`) of the running thread/task,
else from the engine's fallback: the app's engines (make_engine(url, app=True)) fall back to the logged-in
session's user or to nothing, and with nothing set the policies of migration 0008 deny every protected row.
Engines for the CLI, imports, migrations and tests fall back to the "system" context, which the policies honour
only on a connection whose role owns the tables, never on the app's non-owner role.
"""
from __future__ import annotations

import functools
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from sqlalchemy import Engine, event

SYSTEM_ROLE = "system"
SETTINGS = ("role", "org", "user", "operation", "login", "login_email")  # lagesbild.<name>; '': unset (deny)
PROTECTED_TABLES = ("incident", "auditlog", "user")


@dataclass(frozen=True)
class Acting:
    """Who the store is told is acting in a transaction; any field may be None (sent as '', i.e. unset)."""

    role: str | None = None
    organisation_id: int | None = None
    user_id: int | None = None
    operation: str | None = None
    login: str | None = None
    login_email: str | None = None

    def settings(self) -> tuple[str, ...]:
        """The values of SETTINGS, in order, as the strings set_config takes."""
        values = (self.role, self.organisation_id, self.user_id, self.operation, self.login, self.login_email)
        return tuple("" if v is None else str(v) for v in values)


SYSTEM = Acting(role=SYSTEM_ROLE)
NOBODY = Acting()

_ACTING: ContextVar[Acting | None] = ContextVar("lagesbild_acting", default=None)


def current() -> Acting | None:
    """The context set by the innermost acting_as/acting_for_login of this thread or task, or None."""
    return _ACTING.get()


@contextmanager
def _acting(acting: Acting) -> Iterator[None]:
    token = _ACTING.set(acting)
    try:
        yield
    finally:
        _ACTING.reset(token)


def acting_as(scope, operation: str = "list"):
    """Run the block as `scope` (a data_layer.scope.Scope) performing `operation` on every PostgreSQL transaction
    begun inside it ("list": aggregates; "read_detail", "precise_location", …: row-by-row reads)."""
    return _acting(Acting(role=scope.role, organisation_id=scope.organisation_id, user_id=scope.user_id,
                          operation=operation))


def acting_for_login(name: str, *, email: str | None = None):
    """Run a login attempt: only the user rows whose username or single-sign-on subject is `name` (or whose e-mail
    is `email`) and the audit rows about them are visible; no incident is."""
    return _acting(Acting(login=(name or "").strip() or None, login_email=(email or "").strip() or None))


def for_operation(operation: str) -> Callable:
    """Decorate a query function taking `scope=` so that it always runs acting_as(scope, operation): detail reads
    declare themselves here, in the data layer, so no caller can forget it."""
    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def inner(*args, scope, **kwargs):
            with acting_as(scope, operation):
                return fn(*args, scope=scope, **kwargs)
        return inner
    return wrap


_SET_SQL = "SELECT " + ", ".join(f"set_config('lagesbild.{name}', %s, true)" for name in SETTINGS)


def install_rls(engine: Engine, *, fallback: Callable[[], Acting | None]) -> None:
    """Tell the store who is acting at the start of every transaction on `engine` (PostgreSQL only; no-op else).

    `fallback` gives the context when no acting_as/acting_for_login is active; None means nobody (deny).
    """
    if engine.dialect.name != "postgresql":
        return

    def on_begin(conn) -> None:
        acting = current() or fallback() or NOBODY
        # The DBAPI cursor, not conn.execute: no statement events, no recursion; psycopg opens the transaction here.
        cursor = conn.connection.cursor()
        try:
            cursor.execute(_SET_SQL, acting.settings())
        finally:
            cursor.close()

    event.listen(engine, "begin", on_begin)


# --- SQL for the migrations and the operator's CLI ------------------------------------------------------------------

def allowed_function_sql(matrix: Mapping[str, Mapping[str, frozenset[str]]]) -> str:
    """CREATE OR REPLACE of lagesbild_allowed(role, resource, operation), the permission matrix as SQL.

    A change to permissions.MATRIX needs a migration that runs this again (tests/data_layer/test_rls.py compares).
    """
    rows = sorted((role, resource, op) for role, resources in matrix.items()
                  for resource, ops in resources.items() for op in ops)
    values = ",\n        ".join(f"('{r}', '{res}', '{op}')" for r, res, op in rows)
    return f"""
CREATE OR REPLACE FUNCTION lagesbild_allowed(p_role text, p_resource text, p_operation text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT EXISTS (SELECT 1 FROM (VALUES
        {values}
    ) AS g(role, resource, operation)
    WHERE g.role = p_role AND g.resource = p_resource AND g.operation = p_operation)
$$"""


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_sql(name: str, *, password: str | None = None) -> list[str]:
    """The statements that create (or update) the app's non-owner login role and grant it row access (no DDL, no
    ownership, the migration table read-only); run them as the tables' owner (CREATE ROLE also needs CREATEROLE)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"Ogiltigt rollnamn '{name}': använd små bokstäver, siffror och _.")
    password_clause = "" if password is None else " PASSWORD '" + password.replace("'", "''") + "'"
    return [
        # CREATE ROLE's defaults are what the wall needs: NOSUPERUSER, NOBYPASSRLS, no DDL rights
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {name} LOGIN; END IF; END $$",
        f"ALTER ROLE {name} LOGIN{password_clause}",
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {name}",
        f"REVOKE UPDATE, DELETE ON auditlog FROM {name}",  # append-only for the app (the policies say so too)
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
        # tables and sequences that later migrations create (as this owner) are granted the same way
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}",
    ]
