"""rollups: incident counts per day, per day × hour and per week × H3 cell, kept in step by data_layer/rollups.py

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Monday of the ISO week of incident.occurred_date (as data_layer/queries/sqlfuncs.date_bucket compiles it).
_WEEK = {"sqlite": "date(occurred_date, '-' || ((CAST(strftime('%w', occurred_date) AS INTEGER) + 6) % 7) || ' days')",
         "postgresql": "CAST(date_trunc('week', CAST(occurred_date AS TIMESTAMP)) AS DATE)"}


def upgrade() -> None:
    op.create_table('incident_daily',
    sa.Column('occurred_date', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('source_org_id', sa.Integer(), nullable=False),
    sa.Column('location_precision', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('occurred_date', 'category_id', 'area_id', 'source_org_id', 'location_precision'),
    sqlite_with_rowid=False,
    )
    op.create_table('incident_hourly',
    sa.Column('occurred_date', sa.Date(), nullable=False),
    sa.Column('occurred_hour', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('source_org_id', sa.Integer(), nullable=False),
    sa.Column('windowed', sa.Boolean(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('occurred_date', 'occurred_hour', 'area_id', 'category_id', 'source_org_id', 'windowed'),
    sqlite_with_rowid=False,
    )
    op.create_table('incident_h3_weekly',
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('h3_r7', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('h3_r8', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('h3_r9', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('source_org_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('week_start', 'h3_r7', 'h3_r8', 'h3_r9', 'area_id', 'category_id', 'source_org_id'),
    sqlite_with_rowid=False,
    )
    _fill_from_existing_incidents()


def _fill_from_existing_incidents() -> None:
    """Fill the rollups of a store that already holds incidents and mark them trusted (data_layer/rollups.TRUSTED)."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT EXISTS (SELECT 1 FROM incident)")).scalar():
        return  # an empty store: data_layer.rollups.rebuild (demo, CLI) marks them trusted once they are filled
    area = "COALESCE(area_id, 0)"
    op.execute(f"INSERT INTO incident_daily (occurred_date, category_id, area_id, source_org_id, location_precision, "
               f"n) SELECT occurred_date, category_id, {area}, source_org_id, location_precision, COUNT(*) FROM incident "
               f"GROUP BY occurred_date, category_id, {area}, source_org_id, location_precision")
    op.execute(f"INSERT INTO incident_hourly (occurred_date, occurred_hour, area_id, category_id, source_org_id, "
               f"windowed, n) SELECT occurred_date, occurred_hour, {area}, category_id, source_org_id, "
               f"occurred_to IS NOT NULL, COUNT(*) FROM incident "
               f"GROUP BY occurred_date, occurred_hour, {area}, category_id, source_org_id, occurred_to IS NOT NULL")
    week = _WEEK[bind.dialect.name]
    cells = "h3_r7, h3_r8, h3_r9"
    op.execute(f"INSERT INTO incident_h3_weekly (week_start, {cells}, area_id, category_id, source_org_id, n) "
               f"SELECT {week}, {cells}, {area}, category_id, source_org_id, COUNT(*) FROM incident "
               f"WHERE location_precision = 'point' AND h3_r9 IS NOT NULL "
               f"GROUP BY {week}, {cells}, {area}, category_id, source_org_id")
    op.execute("DELETE FROM storeinfo WHERE key = 'rollups'")
    op.execute("INSERT INTO storeinfo (key, value) VALUES ('rollups', 'trusted')")


def downgrade() -> None:
    op.execute("DELETE FROM storeinfo WHERE key = 'rollups'")
    op.drop_table('incident_h3_weekly')
    op.drop_table('incident_hourly')
    op.drop_table('incident_daily')
