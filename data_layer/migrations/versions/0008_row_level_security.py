"""PostgreSQL row-level security on incident, auditlog and user: the second wall behind scope.visible()

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 08:00:00

ENABLE + FORCE (the owner is subject too). The acting context comes from transaction-local settings
lagesbild.role/org/user/operation/login/login_email set by data_layer/rls.py; unset ('') denies. The policies mirror
scope.visible(): "list" counts every incident (aggregates include sensitive rows), "read_detail" and the other
row-by-row operations show sensitive rows only to the reporting organisation or to roles granted them, reporters
only their own reports. The "system" context (CLI, imports, migrations) passes only on a connection whose role
owns the tables. SQLite has no row-level security: nothing happens there.
"""
from alembic import op

from data_layer.rls import allowed_function_sql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TABLES = ('incident', 'auditlog', '"user"')

# The permission matrix as of this migration (data_layer/permissions.py), frozen: a later change to MATRIX needs its
# own migration running allowed_function_sql(MATRIX), and tests/data_layer/test_rls.py fails until one does.
MATRIX_0008 = {
    'admin': {
        'incident': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit')),
        'sensitive_incident': frozenset(('list',)),
        'survey': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit', 'administer')),
        'action': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit', 'administer')),
        'meeting': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit', 'administer')),
        'import': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit', 'administer')),
        'user': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit', 'administer')),
        'audit': frozenset(('list', 'read_detail', 'export')),
    },
    'samordnare': {
        'incident': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit')),
        'sensitive_incident': frozenset(('list', 'read_detail', 'precise_location', 'free_text')),
        'survey': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit')),
        'action': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit')),
        'meeting': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit')),
        'import': frozenset(('list', 'read_detail', 'edit')),
        'user': frozenset(('list',)),
        'audit': frozenset(()),
    },
    'analytiker': {
        'incident': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export')),
        'sensitive_incident': frozenset(('list',)),
        'survey': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export')),
        'action': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit')),
        'meeting': frozenset(('list', 'read_detail', 'precise_location', 'free_text', 'export', 'edit')),
        'import': frozenset(('list', 'read_detail', 'edit')),
        'user': frozenset(()),
        'audit': frozenset(()),
    },
    'medlem': {
        'incident': frozenset(('list', 'read_detail', 'precise_location', 'export')),
        'sensitive_incident': frozenset(('list',)),
        'survey': frozenset(('list', 'read_detail', 'export')),
        'action': frozenset(('list', 'read_detail', 'export', 'edit')),
        'meeting': frozenset(('list', 'read_detail')),
        'import': frozenset(()),
        'user': frozenset(()),
        'audit': frozenset(()),
    },
    'rapportor': {
        'incident': frozenset(('list', 'edit')),
        'sensitive_incident': frozenset(('list',)),
        'survey': frozenset(('list',)),
        'action': frozenset(('list', 'read_detail')),
        'meeting': frozenset(()),
        'import': frozenset(()),
        'user': frozenset(()),
        'audit': frozenset(()),
    },
    'lasare': {
        'incident': frozenset(('list',)),
        'sensitive_incident': frozenset(('list',)),
        'survey': frozenset(('list',)),
        'action': frozenset(('list', 'read_detail')),
        'meeting': frozenset(('list', 'read_detail')),
        'import': frozenset(()),
        'user': frozenset(()),
        'audit': frozenset(()),
    },
}

_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION lagesbild_setting(p_name text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT nullif(current_setting('lagesbild.' || p_name, true), '')
    $$""",
    # "system" only counts on the owner's connection: the app's non-owner role cannot claim it.
    """CREATE OR REPLACE FUNCTION lagesbild_is_system() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(lagesbild_setting('role') = 'system', false)
           AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('incident')), 'USAGE')
    $$""",
    # does a login attempt (rls.acting_for_login) name this user row?
    """CREATE OR REPLACE FUNCTION lagesbild_login_names(p_username text, p_subject text, p_email text) RETURNS boolean
    LANGUAGE sql STABLE AS $$
        SELECT coalesce(p_username = lagesbild_setting('login') OR p_subject = lagesbild_setting('login')
                        OR lower(p_email) = lower(lagesbild_setting('login_email')), false)
    $$""",
    # may the acting role do `operation` (default: the acting operation) on `resource`?
    """CREATE OR REPLACE FUNCTION lagesbild_may(p_resource text, p_operation text DEFAULT NULL) RETURNS boolean
    LANGUAGE sql STABLE AS $$
        SELECT lagesbild_allowed(lagesbild_setting('role'), p_resource,
                                 coalesce(p_operation, lagesbild_setting('operation')))
    $$""",
]

# (SELECT f()) makes each check an InitPlan evaluated once per statement, not once per row.
_ORG = "(SELECT lagesbild_setting('org')::int)"
_USER = "(SELECT lagesbild_setting('user')::int)"
_ROLE_SET = "(SELECT lagesbild_setting('role') IS NOT NULL)"
# in a login attempt "user" shows only the named account (lagesbild_login_names): audit rows about it, or about no
# account (a failed attempt on an unknown name), may be read back
_LOGGING_IN = "(SELECT lagesbild_setting('login') IS NOT NULL OR lagesbild_setting('login_email') IS NOT NULL)"
# action_register.RESPONSIBLE_ROLES as of this migration: who may be made responsible for an action
_RESPONSIBLE = "'admin', 'samordnare', 'analytiker', 'medlem'"

_POLICIES = [
    # --- incident -----------------------------------------------------------------------------------------------
    "CREATE POLICY incident_system ON incident USING ((SELECT lagesbild_is_system())) "
    "WITH CHECK ((SELECT lagesbild_is_system()))",
    f"""CREATE POLICY incident_read ON incident FOR SELECT USING (
        (SELECT lagesbild_may('incident') AND lagesbild_may('sensitive_incident'))
        OR ((SELECT lagesbild_may('incident')) AND (NOT sensitive OR source_org_id = {_ORG}))
        OR ((SELECT lagesbild_setting('operation') = 'read_detail' AND lagesbild_setting('role') = 'rapportor')
            AND reporter_user_id = {_USER}))""",
    # writes: importers write any organisation's incidents, reporters only their own organisation's
    *(f"""CREATE POLICY incident_{verb} ON incident FOR {verb.upper()} {clause} (
        (SELECT lagesbild_may('import', 'edit'))
        OR ((SELECT lagesbild_may('incident', 'edit')) AND source_org_id = {_ORG}))"""
      for verb, clause in (("insert", "WITH CHECK"), ("update", "USING"), ("delete", "USING"))),
    # --- auditlog: read by audit readers only; appended by anyone acting; never changed by the app ----------------
    "CREATE POLICY auditlog_system ON auditlog USING ((SELECT lagesbild_is_system())) "
    "WITH CHECK ((SELECT lagesbild_is_system()))",
    # the acting user's own rows pass too: INSERT … RETURNING (every ORM insert) must see the row it wrote
    f"""CREATE POLICY auditlog_read ON auditlog FOR SELECT USING (
        (SELECT lagesbild_may('audit', 'list')) OR user_id = {_USER}
        OR ({_LOGGING_IN} AND (user_id IS NULL OR user_id IN (SELECT id FROM "user"))))""",
    f"""CREATE POLICY auditlog_insert ON auditlog FOR INSERT WITH CHECK (
        {_ROLE_SET} OR {_LOGGING_IN})""",
    # --- user: administrators see everyone; others see themselves and the people the app names to them -----------
    'CREATE POLICY user_system ON "user" USING ((SELECT lagesbild_is_system())) '
    "WITH CHECK ((SELECT lagesbild_is_system()))",
    f"""CREATE POLICY user_read ON "user" FOR SELECT USING (
        (SELECT lagesbild_may('user', 'list'))
        OR id = {_USER}
        OR lagesbild_login_names(username, oidc_subject, email)
        OR ((SELECT lagesbild_may('action', 'list'))
            AND (EXISTS (SELECT 1 FROM action a WHERE a.responsible_user_id = "user".id)
                 OR EXISTS (SELECT 1 FROM actionupdate u WHERE u.user_id = "user".id)))
        OR ((SELECT lagesbild_may('import', 'list'))
            AND EXISTS (SELECT 1 FROM importbatch b WHERE b.user_id = "user".id))
        OR ((SELECT lagesbild_may('action', 'edit')) AND active AND role IN ({_RESPONSIBLE})))""",
    """CREATE POLICY user_insert ON "user" FOR INSERT WITH CHECK ((SELECT lagesbild_may('user', 'edit')))""",
    # a login attempt counts failures on (or ties a single-sign-on subject to) the one row it names; a user changes
    # their own row (password) but never their own role or organisation
    f"""CREATE POLICY user_update ON "user" FOR UPDATE USING (
        (SELECT lagesbild_may('user', 'edit')) OR lagesbild_login_names(username, oidc_subject, email) OR id = {_USER})
    WITH CHECK (
        (SELECT lagesbild_may('user', 'edit')) OR lagesbild_login_names(username, oidc_subject, email)
        OR (id = {_USER} AND role = (SELECT lagesbild_setting('role')) AND organisation_id = {_ORG}))""",
    """CREATE POLICY user_delete ON "user" FOR DELETE USING ((SELECT lagesbild_may('user', 'edit')))""",
]

_POLICY_NAMES = {
    "incident": ("incident_system", "incident_read", "incident_insert", "incident_update", "incident_delete"),
    "auditlog": ("auditlog_system", "auditlog_read", "auditlog_insert"),
    '"user"': ("user_system", "user_read", "user_insert", "user_update", "user_delete"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(allowed_function_sql(MATRIX_0008))
    for sql in _FUNCTIONS:
        op.execute(sql)
    for sql in _POLICIES:
        op.execute(sql)
    for table in TABLES:
        op.execute(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE {table} FORCE ROW LEVEL SECURITY')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        op.execute(f'ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE {table} DISABLE ROW LEVEL SECURITY')
        for name in _POLICY_NAMES[table]:
            op.execute(f'DROP POLICY IF EXISTS {name} ON {table}')
    op.execute('DROP FUNCTION IF EXISTS lagesbild_may(text, text)')
    op.execute('DROP FUNCTION IF EXISTS lagesbild_is_system()')
    op.execute('DROP FUNCTION IF EXISTS lagesbild_login_names(text, text, text)')
    op.execute('DROP FUNCTION IF EXISTS lagesbild_setting(text)')
    op.execute('DROP FUNCTION IF EXISTS lagesbild_allowed(text, text, text)')
