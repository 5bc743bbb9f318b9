"""monthly rollup: incidents per month × area × category × source × location precision

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 13:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# First day of the month of incident.occurred_date (as data_layer/queries/sqlfuncs.date_bucket compiles it).
_MONTH = {"sqlite": "date(occurred_date, 'start of month')",
          "postgresql": "CAST(date_trunc('month', CAST(occurred_date AS TIMESTAMP)) AS DATE)"}


def upgrade() -> None:
    op.create_table('incident_monthly',
    sa.Column('month_start', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('source_org_id', sa.Integer(), nullable=False),
    sa.Column('location_precision', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month_start', 'category_id', 'area_id', 'source_org_id', 'location_precision'),
    sqlite_with_rowid=False,
    )
    # Filled from the incidents already stored, so a store whose rollups are trusted stays right (data_layer/rollups.py)
    month = _MONTH[op.get_bind().dialect.name]
    area = "COALESCE(area_id, 0)"
    op.execute(f"INSERT INTO incident_monthly (month_start, category_id, area_id, source_org_id, location_precision, "
               f"n) SELECT {month}, category_id, {area}, source_org_id, location_precision, COUNT(*) FROM incident "
               f"GROUP BY {month}, category_id, {area}, source_org_id, location_precision")


def downgrade() -> None:
    op.drop_table('incident_monthly')
