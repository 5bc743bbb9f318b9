"""reporter rollup: incidents with a known reporter per day × reporter × area × category × source

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident_reporter_daily',
    sa.Column('occurred_date', sa.Date(), nullable=False),
    sa.Column('reporter_user_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('source_org_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('occurred_date', 'reporter_user_id', 'area_id', 'category_id', 'source_org_id'),
    sqlite_with_rowid=False,
    )
    # Filled from the incidents already stored, so a store whose rollups are trusted stays right (data_layer/rollups.py)
    area = "COALESCE(area_id, 0)"
    op.execute(f"INSERT INTO incident_reporter_daily (occurred_date, reporter_user_id, area_id, category_id, "
               f"source_org_id, n) SELECT occurred_date, reporter_user_id, {area}, category_id, source_org_id, "
               f"COUNT(*) FROM incident WHERE reporter_user_id IS NOT NULL "
               f"GROUP BY occurred_date, reporter_user_id, {area}, category_id, source_org_id")


def downgrade() -> None:
    op.drop_table('incident_reporter_daily')
