"""Assigning a course to people or a team with a due date."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.courses.conftest import tags


def _enrolments(app, slug: str = "published") -> dict[int, Enrolment]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Enrolment)
            .join(Course, Course.id == Enrolment.course_id)
            .where(Course.slug == slug)
        ).all()
        db.session.expunge_all()
        return {e.user_id: e for e in rows}


def _options(html: str, name: str) -> dict[str, bool]:
    """value -> chosen, for the options of one <select> (options follow their
    select) or for the checkboxes of that name."""
    found, current = {}, None
    for tag, attrs in tags(html):
        if tag == "select":
            current = attrs.get("name")
        elif tag == "option" and current == name:
            found[attrs.get("value")] = "selected" in attrs
        elif tag == "input" and (attrs.get("type"), attrs.get("name")) == (
            "checkbox",
            name,
        ):
            found[attrs.get("value")] = "checked" in attrs
    return found


def test_trainer_assigns_people_and_a_team_with_a_due_date(app, world):
    with app.app_context():
        payables_colleague = factories.user(
            team=db.session.get(factories.Team, world.ids["payables"]), name="Pat"
        )
        db.session.commit()
        colleague_id = payables_colleague.id

    response = world.client("trainer_owner").post(
        "/manage/courses/published/assign",
        data={
            "people": [str(world.ids["learner"])],
            "team": str(world.ids["payables"]),
            "due_on": "2026-03-31",
        },
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "assigned to 3 people" in html
    enrolments = _enrolments(app)
    assert set(enrolments) == {
        world.ids["learner"],
        world.ids["outsider"],
        colleague_id,
    }
    assert all(e.due_on == date(2026, 3, 31) for e in enrolments.values())
    assert all(e.assigned_by_id == world.ids["owner"] for e in enrolments.values())
    assert "31 Mar 2026" in html and "Lena Learner" in html


def test_reassigning_reports_the_updated_due_date(app, world):
    client = world.client("trainer_owner")
    data = {"people": [str(world.ids["learner"])], "due_on": "2026-03-20"}
    client.post("/manage/courses/published/assign", data=data)

    response = client.post(
        "/manage/courses/published/assign",
        data=data | {"due_on": "2026-04-15"},
        follow_redirects=True,
    )

    assert "1 already enrolled: due date updated" in response.get_data(as_text=True)
    assert _enrolments(app)[world.ids["learner"]].due_on == date(2026, 4, 15)


def test_a_past_due_date_re_renders_with_the_choices_kept(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/assign",
        data={
            "people": [str(world.ids["learner"])],
            "team": str(world.ids["claims"]),
            "due_on": "2026-03-01",  # the frozen clock says 2 March 2026
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The due date is in the past." in html
    assert _options(html, "people")[str(world.ids["learner"])] is True
    assert _options(html, "team")[str(world.ids["claims"])] is True
    assert 'value="2026-03-01"' in html
    assert _enrolments(app) == {}


def test_nobody_chosen_is_explained(world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/assign", data={"due_on": "2026-03-20"}
    )

    assert response.status_code == 400
    assert "Choose at least one person or a team." in response.get_data(True)


def test_a_due_date_is_required(world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/assign",
        data={"people": [str(world.ids["learner"])]},
    )

    assert response.status_code == 400
    assert "Choose the date it is due." in response.get_data(True)


def test_a_manager_chooses_only_from_their_teams(world):
    html = (
        world.client("manager")
        .get("/manage/courses/published/assign")
        .get_data(as_text=True)
    )

    people = _options(html, "people")
    teams = _options(html, "team")
    assert str(world.ids["learner"]) in people
    assert str(world.ids["outsider"]) not in people
    assert set(teams) == {"", str(world.ids["claims"])}


def test_a_manager_cannot_assign_outside_their_teams(app, world):
    client = world.client("manager")

    by_person = client.post(
        "/manage/courses/published/assign",
        data={"people": [str(world.ids["outsider"])], "due_on": "2026-03-20"},
    )
    by_team = client.post(
        "/manage/courses/published/assign",
        data={"team": str(world.ids["payables"]), "due_on": "2026-03-20"},
    )

    assert by_person.status_code == 400
    assert "only to people in teams you manage" in by_person.get_data(True)
    assert by_team.status_code == 400
    assert "only to teams you manage" in by_team.get_data(True)
    assert _enrolments(app) == {}


def test_a_manager_assigns_their_whole_team(app, world):
    response = world.client("manager").post(
        "/manage/courses/published/assign",
        data={"team": str(world.ids["claims"]), "due_on": "2026-03-20"},
    )

    assert response.status_code == 302
    assert set(_enrolments(app)) == {world.ids["learner"]}


def test_managers_see_only_their_teams_assignees(app, world):
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "published"))
        for user_id in (world.ids["learner"], world.ids["outsider"]):
            learner = db.session.get(factories.User, user_id)
            factories.enrolment(learner, course, due_on=date(2026, 3, 20))
        db.session.commit()

    manager = world.client("manager").get("/manage/courses/published/assign")
    trainer = world.client("trainer_other").get("/manage/courses/published/assign")

    assert "Lena Learner" in manager.get_data(True)
    assert "Otto Outsider" not in manager.get_data(True)
    assert "Otto Outsider" in trainer.get_data(True)


def test_overdue_and_completed_assignees_are_marked(app, world, clock):
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "published"))
        late = db.session.get(factories.User, world.ids["learner"])
        done = db.session.get(factories.User, world.ids["outsider"])
        factories.enrolment(late, course, due_on=date(2026, 2, 20))
        finished = factories.enrolment(done, course, due_on=date(2026, 2, 20))
        finished.completed_at = clock()
        db.session.commit()

    html = world.client("trainer_owner").get("/manage/courses/published/assign")
    html = html.get_data(as_text=True)

    late_row = html.split(f'data-user="{world.ids["learner"]}"')[1].split("</tr>")[0]
    done_row = html.split(f'data-user="{world.ids["outsider"]}"')[1].split("</tr>")[0]
    assert "Overdue" in late_row
    assert "0 of 3 modules" in late_row
    assert "Overdue" not in done_row
    assert "Completed 02 Mar 2026" in done_row


def test_assignees_are_paginated(app, world):
    app.config["PAGE_SIZE"] = 2
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "published"))
        for n in range(5):
            factories.enrolment(factories.user(name=f"Person {n}"), course)
        db.session.commit()
    client = world.client("trainer_owner")

    first = client.get("/manage/courses/published/assign").get_data(True)
    last = client.get("/manage/courses/published/assign?page=3").get_data(True)

    listed = first.split('id="assigned-heading"')[1]
    assert listed.count("data-user=") == 2
    assert "Person 0" in listed and "Person 2" not in listed
    assert last.split('id="assigned-heading"')[1].count("data-user=") == 1
    assert "Person 4" in last.split('id="assigned-heading"')[1]
    assert "/manage/courses/published/assign?page=2" in first


def test_a_manager_without_a_team_is_told_why_nobody_is_listed(app, login):
    with app.app_context():
        manager = factories.user(Role.MANAGER)
        factories.course(slug="open")
        db.session.commit()
        client = login(manager)

    response = client.get("/manage/courses/open/assign")

    assert response.status_code == 200
    assert "Nobody to assign to yet" in response.get_data(True)


def test_assigned_course_shows_in_my_learning_with_the_due_date(world):
    world.client("trainer_owner").post(
        "/manage/courses/published/assign",
        data={"people": [str(world.ids["learner"])], "due_on": "2026-03-20"},
    )

    html = world.client("learner").get("/learning").get_data(True)

    assert "Assigned" in html and "due 20 Mar 2026" in html


def test_people_are_ticked_in_a_list_found_by_search(world):
    client = world.client("trainer_owner")

    everyone = client.get("/manage/courses/published/assign").get_data(True)
    found = client.get("/manage/courses/published/assign?q=otto").get_data(True)

    assert "<select multiple" not in everyone and 'name="people"' in everyone
    assert {str(world.ids["learner"]), str(world.ids["outsider"])} <= set(
        _options(everyone, "people")
    )
    assert set(_options(found, "people")) == {str(world.ids["outsider"])}
    assert "1 person matches “otto”." in found
    assert 'for="q">Find people</label>' in found


def test_a_manager_searching_finds_only_people_of_their_teams(world):
    html = (
        world.client("manager")
        .get("/manage/courses/published/assign?q=otto")
        .get_data(True)
    )

    assert _options(html, "people") == {}
    assert "Nobody matches “otto”." in html
    assert "Otto Outsider" not in html


def test_an_id_no_database_holds_is_refused_without_naming_anyone(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/assign",
        data={"people": [str(2**80)], "team": str(2**70), "due_on": "2026-03-20"},
    )

    assert response.status_code == 400
    assert _enrolments(app) == {}
