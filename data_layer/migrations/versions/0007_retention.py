"""retention rules: per category, when details are coarsened and when rows are deleted

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No rows are seeded: a category without a rule follows the defaults in data_layer/retention.py, so categories
    # added later are covered too.
    op.create_table('retentionrule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('coarsen_after_months', sa.Integer(), nullable=True),
    sa.Column('delete_after_months', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('retentionrule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retentionrule_category_id'), ['category_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('retentionrule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retentionrule_category_id'))
    op.drop_table('retentionrule')
