"""survey own indices: indices users define from survey questions, shown to everyone

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('surveyownindex',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('components', sa.Text(), nullable=False),
    sa.Column('scale_max', sa.Float(), nullable=False),
    sa.Column('higher_is_worse', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_surveyownindex_name'), 'surveyownindex', ['name'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_surveyownindex_name'), table_name='surveyownindex')
    op.drop_table('surveyownindex')
