"""incident: (source_org_id, occurred_date) replaces the single-column source index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 03:20:00
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # With planner statistics SQLite walks every incident of each source for per-source period counts;
    # a composite index turns that into one range search per source (0.8 s -> ms at 1.2 M incidents).
    op.create_index('ix_incident_source_date', 'incident', ['source_org_id', 'occurred_date'], unique=False)
    op.drop_index('ix_incident_source_org_id', table_name='incident')


def downgrade() -> None:
    op.create_index('ix_incident_source_org_id', 'incident', ['source_org_id'], unique=False)
    op.drop_index('ix_incident_source_date', table_name='incident')
