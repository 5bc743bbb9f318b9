"""import profiles; surveys remember their import batch

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:55:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('importprofile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('body_toml', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_importprofile_name'), 'importprofile', ['name'], unique=True)
    # batch mode: SQLite cannot add a foreign key to an existing table in place
    with op.batch_alter_table('survey') as batch:
        batch.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_survey_import_batch_id'), ['import_batch_id'], unique=False)
        batch.create_foreign_key('fk_survey_import_batch_id', 'importbatch', ['import_batch_id'], ['id'])
    with op.batch_alter_table('surveyresult') as batch:
        batch.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_surveyresult_import_batch_id'), ['import_batch_id'], unique=False)
        batch.create_foreign_key('fk_surveyresult_import_batch_id', 'importbatch', ['import_batch_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('surveyresult') as batch:
        batch.drop_constraint('fk_surveyresult_import_batch_id', type_='foreignkey')
        batch.drop_index(batch.f('ix_surveyresult_import_batch_id'))
        batch.drop_column('import_batch_id')
    with op.batch_alter_table('survey') as batch:
        batch.drop_constraint('fk_survey_import_batch_id', type_='foreignkey')
        batch.drop_index(batch.f('ix_survey_import_batch_id'))
        batch.drop_column('import_batch_id')
    op.drop_index(op.f('ix_importprofile_name'), table_name='importprofile')
    op.drop_table('importprofile')
