"""`flask skills recompute`: bring every person's skill levels up to date.

Run it after changing how levels are computed outside the browser (saving the
method in the browser recomputes by itself), and nightly from cron with the
"highest in the last N days" method, so evidence that has left the window
stops holding a level up (lms.skills.levels, docs/skills.md).
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.extensions import db
from lms.skills import evidence


@click.command("recompute")
@with_appcontext
def recompute_command() -> None:
    """Recompute every person's level in every skill they have evidence for."""
    method = evidence.framework_method()
    try:
        people = evidence.recompute_everyone(method)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(
        f"Recomputed the levels of {people} {'person' if people == 1 else 'people'} "
        f"({method.describe().lower()})."
    )
