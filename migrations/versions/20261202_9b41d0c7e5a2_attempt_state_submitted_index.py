"""attempt state and submitted time indexes: the latest finished attempts, everyone's and one person's, without sorting them all

Revision ID: 9b41d0c7e5a2
Revises: 7c3a9e1f2b60
Create Date: 2026-12-02 00:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9b41d0c7e5a2'
down_revision = '7c3a9e1f2b60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_state_submitted', ['state', 'submitted_at'], unique=False)
        batch_op.create_index('ix_attempt_user_state_submitted', ['user_id', 'state', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_user_state_submitted')
        batch_op.drop_index('ix_attempt_state_submitted')
