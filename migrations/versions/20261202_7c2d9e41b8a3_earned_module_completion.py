"""earned module completion: a course's completion rules and when a learner reached a module's end

Revision ID: 7c2d9e41b8a3
Revises: 4db93ee82b1b
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d9e41b8a3'
down_revision = '4db93ee82b1b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion_rules', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))

    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_reached_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.drop_column('end_reached_at')

    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_column('completion_rules')
