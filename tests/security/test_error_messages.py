"""Error messages name only what the asker may see: a manager refused for someone
outside their teams learns neither that person's name nor whether the id exists."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories

OUTSIDER_NAME = "Zelda Quarrington"
OUTSIDER_EMAIL = "zelda.q@example.test"


@pytest.fixture
def people(app):
    with app.app_context():
        manager = factories.user(Role.MANAGER, name="Mona Manager")
        own_team = factories.team("Claims", manager=manager)
        other_team = factories.team("Payments")
        member = factories.user(team=own_team)
        outsider = factories.user(
            team=other_team, name=OUTSIDER_NAME, email=OUTSIDER_EMAIL
        )
        gone = factories.user(team=other_team, name="Gone Person", active=False)
        factories.course(slug="ledgers", title="Ledgers")
        db.session.commit()
        return {
            "manager": manager,
            "member": member.id,
            "outsider": outsider.id,
            "gone": gone.id,
            "other_team": other_team.id,
        }


def _assign(login, world, **data):
    form = {"due_on": "2030-01-31", **data}
    return login(world["manager"]).post("/manage/courses/ledgers/assign", data=form)


def test_assigning_someone_outside_the_managers_teams_does_not_name_them(
    app, login, people
):
    response = _assign(login, people, people=[str(people["outsider"])])

    page = response.get_data(as_text=True)
    assert response.status_code in (400, 403)
    assert OUTSIDER_NAME not in page and "Zelda" not in page
    assert OUTSIDER_EMAIL not in page
    assert "teams you manage" in page


def test_an_unknown_a_deactivated_and_an_outside_id_get_the_same_answer(
    app, login, people
):
    answers = set()
    for user_id in (people["outsider"], people["gone"], 987_654):
        response = _assign(login, people, people=[str(user_id)])
        page = response.get_data(as_text=True)
        error = page[page.find("alert-danger") :][:300]
        answers.add((response.status_code, error))

    assert len(answers) == 1, answers


def test_assigning_another_managers_team_does_not_name_it(app, login, people):
    response = _assign(login, people, team=str(people["other_team"]))

    page = response.get_data(as_text=True)
    assert response.status_code in (400, 403)
    assert "Payments" not in page
