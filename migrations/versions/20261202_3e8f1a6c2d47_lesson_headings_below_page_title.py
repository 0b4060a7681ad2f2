"""lesson headings below the page title: stored lessons rendered with an h1 move down a level

Lessons are rendered when saved or imported. They are now rendered with a
Markdown "# Heading" at h2, under the module page's own h1; a lesson stored
before that still holds h1 headings. Such a lesson is moved down one level
(h6 stays h6), which is what rendering it again gives; a lesson without an h1
does not outrank the title and is left as it is, so running this twice changes
nothing. The sanitiser keeps no attributes on headings, so the tags are bare.

Revision ID: 3e8f1a6c2d47
Revises: 9b41d0c7e5a2
Create Date: 2026-12-02 01:30:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3e8f1a6c2d47'
down_revision = '9b41d0c7e5a2'
branch_labels = None
depends_on = None

HEADING_TAG = re.compile(r"<(/?)h([1-6])>")

module = sa.table(
    'module',
    sa.column('id', sa.Integer),
    sa.column('body_html', sa.Text),
)


def _one_level_down(html):
    return HEADING_TAG.sub(
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}>", html
    )


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(module.c.id, module.c.body_html).where(
            module.c.body_html.like('%<h1>%')
        )
    ).all()
    for row_id, html in rows:
        bind.execute(
            module.update()
            .where(module.c.id == row_id)
            .values(body_html=_one_level_down(html))
        )


def downgrade():
    # Nothing to undo: a lesson with h2 headings reads as well under older code.
    pass
