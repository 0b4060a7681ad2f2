"""Every team report page runs the same number of SQL statements on a small
team and on one more than a page long (no N+1): people, skills, goals,
results, assignments and feedback all grow, the statement count does not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.mentorship import builders as skills
from tests.reports import builders

SIZES = (3, 55)  # the larger one spills onto a second page of the matrix


def _grown(n: int) -> dict:
    """A manager's team of n people (and another of theirs), up to 8 skills,
    each person with levels, a goal, up to 3 quiz and keying results each,
    overdue work and feedback; and a team of someone else's of the same size."""
    manager = factories.user(Role.MANAGER)
    team = factories.team(manager=manager)
    factories.team(manager=manager)
    elsewhere = factories.team(manager=factories.user(Role.MANAGER))
    skill_list = [skills.skill() for _ in range(min(n, 8))]
    target = skills.role({s: 3 for s in skill_list})
    quiz = factories.quiz(1)
    test = factories.record_entry_test()
    course = factories.course(modules=1)
    for i in range(n):
        for where in (team, elsewhere):
            person = factories.user(team=where)
            for s in skill_list:
                skills.level(person, s, 1 + i % 4)
                builders.evidence(
                    person, s, 1 + i % 4, datetime(2026, 2, 1, tzinfo=UTC)
                )
            skills.goal(person, target)
            for day in range(1, min(n, 3) + 1):
                when = datetime(2026, 2, day, tzinfo=UTC)
                factories.quiz_attempt(person, quiz, number=day, started_at=when)
                builders.keying_attempt(person, test, when, number=day)
            builders.enrolment(person, course, date(2026, 2, 1))
            builders.assignment(person, test, date(2026, 2, 1))
            builders.feedback(manager, person)
    db.session.commit()
    return {
        "manager": manager,
        "team": team.id,
        "skill": skill_list[0].id,
        "slug": skill_list[0].slug,
        "test": test.id,
    }


PAGES = [
    "/reports/team?team={team}",
    "/reports/team?team={team}&page=2",
    "/reports/team?team={team}&sort=-readiness",
    "/reports/team?team={team}&sort=skill:{slug}",
    "/reports/team/results?team={team}",
    "/reports/team/results?team={team}&kind=record_entry&since=2026-02-01",
    "/reports/coverage?skill={skill}&level=1",
    "/api/v1/teams/{team}/skill-matrix",
    "/",
]


def _queries(count_queries, client, url: str) -> int:
    client.get(url)  # warm: the first request of a client loads what later ones reuse
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    return q.count


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow(app, login, count_queries, clock, url):
    counts = []
    for n in SIZES:
        with app.app_context():
            built = _grown(n)
            path = url.format(**built)
            client = login(built["manager"])
        counts.append(_queries(count_queries, client, path))

    assert counts[0] == counts[1], counts


def test_the_matrix_pages_fifty_people(app, login, clock):
    with app.app_context():
        built = _grown(55)
        client = login(built["manager"])
    first = client.get(f"/reports/team?team={built['team']}").get_data(as_text=True)
    second = client.get(f"/reports/team?team={built['team']}&page=2").get_data(
        as_text=True
    )

    matrix_rows = first.split('class="matrix mb-2"')[1].split("</table>")[0]
    assert matrix_rows.count("data-person=") == 50
    assert second.split('class="matrix mb-2"')[1].count("data-person=") == 5
    assert "people 51 to 55 of 55" in second
