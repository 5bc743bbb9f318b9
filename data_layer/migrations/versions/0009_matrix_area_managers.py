"""The permission matrix in the store again: area managers (medlem) see survey marks' positions and actions' free text
and places (issue 8 policy), so PostgreSQL's lagesbild_allowed() must say so too

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 09:30:00

Re-runs data_layer.rls.allowed_function_sql with the matrix frozen as of this migration (see 0008); downgrade restores
0008's. SQLite has no row-level security: nothing happens there.
"""
from alembic import op

from data_layer.rls import allowed_function_sql

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _matrix_0009() -> dict:
    """0008's matrix with medlem's new survey and action rights."""
    from importlib import import_module

    before = import_module('data_layer.migrations.versions.0008_row_level_security').MATRIX_0008
    after = {role: dict(resources) for role, resources in before.items()}
    after['medlem']['survey'] = before['medlem']['survey'] | {'precise_location'}
    after['medlem']['action'] = before['medlem']['action'] | {'precise_location', 'free_text'}
    return after


def _matrix_0008() -> dict:
    from importlib import import_module

    return import_module('data_layer.migrations.versions.0008_row_level_security').MATRIX_0008


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(allowed_function_sql(_matrix_0009()))


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(allowed_function_sql(_matrix_0008()))
