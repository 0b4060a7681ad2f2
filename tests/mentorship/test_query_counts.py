"""Mentoring pages and the person page run a fixed number of queries however
much data there is (no N+1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.mentorship import builders
from tests.mentorship.conftest import finished_attempt

SIZES = (2, 6)


def _queries(count_queries, client, url: str) -> int:
    client.get(url)  # warm: the first request of a client loads what later ones reuse
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    return q.count


def _grown(n: int) -> dict:
    """A manager's team of n people, each mentored by the same mentor, each with
    n skills, a goal, n results and n sessions of n items."""
    manager = factories.user(Role.MANAGER)
    team = factories.team(manager=manager)
    mentor = factories.user(name=f"Mentor {n}")
    builders.profile(mentor, capacity=10)
    skills = [builders.skill() for _ in range(n)]
    quiz = factories.quiz(1)
    target = builders.role({s: 3 for s in skills})
    people, pairings = [], []
    for i in range(n):
        person = factories.user(team=team)
        for s in skills:
            builders.level(person, s, 1 + i % 3)
            builders.level(factories.user(), s, 4)  # candidates for the suggestions
        builders.goal(person, target)
        for day in range(1, n + 1):
            finished_attempt(
                person,
                quiz,
                datetime(2026, 2, day, tzinfo=UTC),
                percent=80.0,
                passed=True,
            )
        pairing = builders.pairing(mentor, person, focus=skills)
        pairings.append(pairing.id)
        for day in range(1, n + 1):
            session = builders.session(pairing, held_on=date(2026, 2, day))
            for _ in range(n):
                builders.item(session, person, due_on=date(2026, 3, day))
                builders.item(session, mentor)
        people.append(person)
    db.session.commit()
    return {
        "manager": manager,
        "mentor": mentor,
        "person": people[0],
        "pairing": pairings[0],
    }


PAGES = [
    ("manager", "/people/{person}"),
    ("mentor", "/people/{person}"),
    ("manager", "/mentoring/people"),
    ("manager", "/mentoring/pair/{person}"),
    ("manager", "/mentoring/pair/{person}?focus={skill}"),
    ("mentor", "/mentoring/mentees"),
    ("mentor", "/mentoring/pairings/{pairing}"),
    ("person", "/mentoring/pairings/{pairing}"),
    ("person", "/mentoring/mine"),
    ("person", "/mentoring"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_query_count_does_not_grow(app, login, count_queries, clock, who, url):
    counts = []
    for n in SIZES:
        with app.app_context():
            built = _grown(n)
            path = url.format(
                person=built["person"].id,
                pairing=built["pairing"],
                skill=builders.skill().id,
            )
            db.session.commit()
            client = login(built[who])
        counts.append(_queries(count_queries, client, path))

    assert counts[0] == counts[1], counts
