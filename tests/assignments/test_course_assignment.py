"""Assigning a course as required or optional, telling the assignees, and whom an
assigner may find and choose (the rules assessment assignment shares)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.courses import assignments
from lms.courses.models import Course, Enrolment
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.notifications.models import Notification
from lms.users.models import Role, User
from tests import factories


def text(response) -> str:
    return response.get_data(as_text=True)


def _course(app) -> str:
    with app.app_context():
        course = factories.course(slug="ledgers", title="Ledgers")
        db.session.commit()
        return course.slug


def _enrolment(app, user_id: int) -> Enrolment:
    with app.app_context():
        found = db.session.scalar(
            sa.select(Enrolment)
            .join(Course)
            .where(Course.slug == "ledgers", Enrolment.user_id == user_id)
        )
        db.session.expunge_all()
        return found


def _notes(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Notification.message).where(Notification.user_id == user_id)
            )
        )


def test_an_optional_course_is_assigned_told_and_never_overdue(app, world, clock):
    _course(app)
    response = world.client("manager").post(
        "/manage/courses/ledgers/assign",
        data={
            "people": [str(world.ids["learner"])],
            "due_on": "2026-03-04",
            "required": "optional",
        },
    )
    assert response.status_code == 302
    assert _enrolment(app, world.ids["learner"]).required is False
    assert _notes(app, world.ids["learner"]) == [
        "New assignment: “Ledgers” (optional), due 04 Mar 2026"
    ]

    clock.advance(days=5)
    html = text(world.client("learner").get("/learning"))
    card = html[html.index('data-course="ledgers"') :]
    card = card[: card.index("</article>")]
    assert "Assigned, optional" in card and "Overdue" not in card
    listed = text(world.client("manager").get("/manage/courses/ledgers/assign"))
    assert "Optional" in listed and "Overdue" not in listed


def test_required_is_the_default_and_overdue_counts(app, world, clock):
    _course(app)
    world.client("trainer").post(
        "/manage/courses/ledgers/assign",
        data={"people": [str(world.ids["learner"])], "due_on": "2026-03-03"},
    )
    assert _enrolment(app, world.ids["learner"]).required is True
    assert _notes(app, world.ids["learner"]) == [
        "New assignment: “Ledgers”, due 03 Mar 2026"
    ]
    clock.advance(days=2)
    html = text(world.client("learner").get("/learning"))
    assert "Overdue" in html[html.index('data-course="ledgers"') :]


def test_assigning_again_on_the_same_date_tells_nobody_twice(app, world):
    _course(app)
    data = {"people": [str(world.ids["learner"])], "due_on": "2026-03-04"}
    client = world.client("manager")
    client.post("/manage/courses/ledgers/assign", data=data)
    client.post("/manage/courses/ledgers/assign", data=data)
    client.post("/manage/courses/ledgers/assign", data=data | {"due_on": "2026-03-09"})
    assert len(_notes(app, world.ids["learner"])) == 2


def test_the_form_offers_the_choice_and_keeps_it_when_refused(app, world):
    _course(app)
    client = world.client("manager")
    html = text(client.get("/manage/courses/ledgers/assign"))
    assert 'name="required"' in html and "Required or optional" in html

    refused = client.post(
        "/manage/courses/ledgers/assign",
        data={"people": [str(world.ids["learner"])], "required": "optional"},
    )
    html = text(refused)
    assert refused.status_code == 400
    assert "Choose the date it is due." in html
    assert re.search(
        r'<option selected value="optional">|<option value="optional" selected', html
    )

    nonsense = client.post(
        "/manage/courses/ledgers/assign",
        data={
            "people": [str(world.ids["learner"])],
            "due_on": "2026-03-04",
            "required": "maybe",
        },
    )
    assert nonsense.status_code == 400


def test_a_refusal_never_names_someone_the_assigner_may_not_see(app, world):
    _course(app)
    response = world.client("manager").post(
        "/manage/courses/ledgers/assign",
        data={"people": [str(world.ids["outsider"])], "due_on": "2026-03-04"},
    )
    assert response.status_code == 400
    assert "only to people in teams you manage" in text(response)
    assert "Otto Outsider" not in text(response)


# --- the shared rules ----------------------------------------------------------------


@pytest.fixture
def people(app_ctx, clock):
    manager = factories.user(Role.MANAGER)
    mine = factories.team("Claims", manager=manager)
    theirs = factories.team("Payables")
    names = ["Asha Rao", "Bala Iyer", "Chitra Rao", "Dev Nair"]
    found = {n: factories.user(name=n, team=mine) for n in names}
    found["Ravi Rao"] = factories.user(name="Ravi Rao", team=theirs)
    found["Gone Rao"] = factories.user(name="Gone Rao", team=mine, active=False)
    return manager, mine, theirs, found


def test_the_people_search_is_scoped_bounded_and_keeps_the_ticked(people):
    manager, mine, theirs, found = people
    scope = assignments.assign_scope(manager, unrestricted=False)

    listed, total = assignments.search_assignable_people(scope, "rao", limit=10)
    assert [u.name for u in listed] == ["Asha Rao", "Chitra Rao"] and total == 2

    listed, total = assignments.search_assignable_people(scope, "", limit=2)
    assert [u.name for u in listed] == ["Asha Rao", "Bala Iyer"] and total == 4

    kept = [found["Dev Nair"].id, found["Ravi Rao"].id]
    listed, _ = assignments.search_assignable_people(scope, "asha", limit=5, keep=kept)
    assert [u.name for u in listed] == [
        "Asha Rao",
        "Dev Nair",
    ]  # never Ravi: not theirs

    listed, total = assignments.search_assignable_people(scope, "claims", limit=10)
    assert total == 4  # a team's name finds its people
    listed, total = assignments.search_assignable_people(scope, "%", limit=10)
    assert total == 0  # typed characters are matched literally

    everyone = assignments.assign_scope(manager, unrestricted=True)
    _, total = assignments.search_assignable_people(everyone, "rao", limit=10)
    assert total == 3


def test_due_dates_in_the_past_are_refused(people, clock):
    from datetime import timedelta

    today = clock.current.date()
    assignments.check_due_on(today)
    assignments.check_due_on(None)
    with pytest.raises(ValidationError, match="in the past"):
        assignments.check_due_on(today - timedelta(days=1))


def test_resolving_outsiders_is_refused_without_their_name(people):
    manager, mine, theirs, found = people
    scope = assignments.assign_scope(manager, unrestricted=False)
    with pytest.raises(PermissionDeniedError) as refused:
        assignments.resolve_assignees(scope, [found["Ravi Rao"].id], None)
    assert "Ravi" not in str(refused.value)
    with pytest.raises(PermissionDeniedError):
        assignments.resolve_assignees(scope, [], theirs.id)
    team = assignments.resolve_assignees(scope, [], mine.id)
    assert {u.name for u in team} == {"Asha Rao", "Bala Iyer", "Chitra Rao", "Dev Nair"}
    assert all(isinstance(u, User) for u in team)
