"""Reads for the person page: the person with their team, and the sections a
viewer may see (skills profile, goal, mentoring, latest results), each read in
a fixed number of queries. Callers check lms.people.policies first.

Rating a skill by hand is lms.skills.evidence.rate_skill; this module only
says who the page is about.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.errors import NotFoundError
from lms.extensions import db
from lms.users.models import Team, User

RECENT_RESULTS = 8


def get_person(user_id: int) -> User:
    """A person with their team and its manager loaded (what the access rules
    and the page's heading read)."""
    person = db.session.scalar(
        sa.select(User)
        .options(joinedload(User.team).joinedload(Team.manager))
        .where(User.id == user_id)
    )
    if person is None:
        raise NotFoundError("There is no such person.")
    return person
