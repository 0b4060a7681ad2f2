"""bank questions from files: the stable key of a question kept in step with the content files

Revision ID: 7c3a9e1f2b60
Revises: 7c2d9e41b8a3
Create Date: 2026-12-02 09:12:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3a9e1f2b60'
down_revision = '7c2d9e41b8a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=300), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_question_source_key'), ['source_key'])


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_question_source_key'), type_='unique')
        batch_op.drop_column('source_key')
