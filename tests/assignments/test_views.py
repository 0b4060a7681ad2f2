"""The assignment pages: every route against every role, assigning from the
assessment's page, bad input kept, the learner's My learning, the manager's
"who has not passed", and fixed query counts."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment, AssessmentAssignment
from lms.extensions import db
from lms.users.models import Team, User
from tests import factories
from tests.assignments.conftest import ALL, ROLES, E


def text(response) -> str:
    return response.get_data(as_text=True)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _assigned(app) -> dict[int, AssessmentAssignment]:
    with app.app_context():
        rows = db.session.scalars(sa.select(AssessmentAssignment)).all()
        db.session.expunge_all()
        return {r.user_id: r for r in rows}


ASSIGN = {"people": "{learner}", "due_on": "2026-03-20", "required": "required"}

CASES = [
    ("assign page", "GET", "/assessments/{Q}/assign", None,
     E(403, 403, 403, 200, 200, 200, 200, 200)),
    ("assign page, searched", "GET", "/assessments/{Q}/assign?q=lena&show=overdue", None,
     E(403, 403, 403, 200, 200, 200, 200, 200)),
    ("assign a draft", "GET", "/assessments/{D}/assign", None,
     E(403, 403, 403, 404, 404, 404, 404, 404)),
    ("assign an unknown", "GET", "/assessments/nope/assign", None,
     E(403, 403, 403, 404, 404, 404, 404, 404)),
    ("assign the learner", "POST", "/assessments/{Q}/assign", ASSIGN,
     E(403, 403, 403, 302, 302, 302, 400, 302)),
    ("assign the learner's team", "POST", "/assessments/{Q}/assign",
     {"team": "{claims}", "due_on": "2026-03-20"},
     E(403, 403, 403, 302, 302, 302, 400, 302)),
    ("status", "GET", "/assignments", None, E(403, 403, 403, 200, 200, 200, 200, 200)),
    ("status, page 2", "GET", "/assignments?page=2", None,
     E(403, 403, 403, 200, 200, 200, 200, 200)),
    ("my learning", "GET", "/learning", None, ALL(200)),
    ("intro", "GET", "/assessments/{Q}", None, ALL(200)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "data", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_role_matrix(world, role, method, path, data, expected):
    client = world.client(role)
    url = world.path(path)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={k: world.path(v) for k, v in data.items()})

    assert response.status_code == expected[role]
    if role == "anon":
        assert "/login" in response.headers["Location"]


def test_the_assessment_page_offers_assigning_to_those_who_may(world):
    link = world.path('href="/assessments/{Q}/assign"')
    assert link in text(world.client("manager").get(world.path("/assessments/{Q}")))
    assert link in text(world.client("trainer").get(world.path("/assessments/{Q}")))
    assert link not in text(world.client("learner").get(world.path("/assessments/{Q}")))


def test_a_manager_picks_only_from_their_teams_and_can_search(world):
    client = world.client("manager")
    html = text(client.get(world.path("/assessments/{Q}/assign")))
    boxes = re.findall(r'name="people" value="(\d+)"', html)
    assert set(map(int, boxes)) == {world.ids["learner"], world.ids["mate"]}
    assert "Otto Outsider" not in html

    searched = text(client.get(world.path("/assessments/{Q}/assign?q=mateo")))
    assert re.findall(r'name="people" value="(\d+)"', searched) == [
        str(world.ids["mate"])
    ]
    assert 'value="mateo"' in searched


def test_assigning_tells_the_learner_and_lists_them(app, world):
    response = world.client("manager").post(
        world.path("/assessments/{Q}/assign"),
        data={
            "people": [str(world.ids["learner"]), str(world.ids["mate"])],
            "due_on": "2026-03-20",
            "required": "required",
        },
        follow_redirects=True,
    )
    html = text(response)
    assert response.status_code == 200
    assert "“Lookups check” assigned to 2 people." in html
    assert set(_assigned(app)) == {world.ids["learner"], world.ids["mate"]}
    page = squash(html)
    assert "Lena Learner" in page and "Passed" in page and "Not attempted" in page
    assert world.path('href="/people/{learner}"') in html  # their manager may open it

    bell = text(world.client("learner").get("/learning"))
    assert 'data-unread="1"' in bell


def test_bad_input_is_refused_with_what_was_typed_kept(app, world):
    client = world.client("manager")
    url = world.path("/assessments/{Q}/assign")

    no_date = client.post(
        url, data={"people": [str(world.ids["mate"])], "required": "optional"}
    )
    html = text(no_date)
    assert no_date.status_code == 400
    assert "Choose the date it is due." in html
    assert re.search(rf'value="{world.ids["mate"]}"[^>]*checked', html)
    assert re.search(
        r'<option selected value="optional">|value="optional" selected', html
    )

    past = client.post(
        url, data={"people": [str(world.ids["mate"])], "due_on": "2026-03-01"}
    )
    assert past.status_code == 400 and "The due date is in the past." in text(past)
    assert 'value="2026-03-01"' in text(past)

    nobody = client.post(url, data={"due_on": "2026-03-20"})
    assert (
        nobody.status_code == 400
        and "Choose at least one person or a team." in text(nobody)
    )
    assert _assigned(app) == {}


def test_a_manager_cannot_assign_outside_their_teams_nor_learn_names(app, world):
    client = world.client("manager")
    by_person = client.post(
        world.path("/assessments/{Q}/assign"),
        data={"people": [str(world.ids["outsider"])], "due_on": "2026-03-20"},
    )
    by_team = client.post(
        world.path("/assessments/{Q}/assign"),
        data={"team": str(world.ids["payables"]), "due_on": "2026-03-20"},
    )
    assert by_person.status_code == 400 and by_team.status_code == 400
    assert "Otto Outsider" not in text(by_person) + text(by_team)
    assert "only to people in teams you manage" in text(by_person)
    assert _assigned(app) == {}


def _assign_directly(app, world, *user_keys, due=date(2026, 3, 1), required=True):
    with app.app_context():
        quiz_id = world.ids["quiz_id"]
        for key in user_keys:
            db.session.add(
                AssessmentAssignment(
                    assessment_id=quiz_id,
                    user_id=world.ids[key],
                    due_on=due,
                    required=required,
                )
            )
        db.session.commit()


def test_my_learning_shows_assigned_assessments_with_due_dates_and_overdue(app, world):
    _assign_directly(app, world, "mate")
    html = text(world.client("mate").get("/learning"))
    row = html[html.index('data-assigned-assessment="lookups"') :]
    row = squash(row[: row.index("</li>")])
    assert "Lookups check" in row and "Required · due 01 Mar 2026" in row
    assert "Overdue" in row

    _assign_directly(app, world, "learner")  # who passed already
    row = text(world.client("learner").get("/learning"))
    row = squash(row[row.index('data-assigned-assessment="lookups"') :])
    assert "Passed" in row[:300] and "Overdue" not in row[:300]


def test_the_status_page_counts_per_team_and_leads_to_who_has_not_passed(app, world):
    _assign_directly(app, world, "learner", "mate", "outsider")
    manager = text(world.client("manager").get("/assignments"))
    row = manager[manager.index('data-assessment="lookups"') :]
    cells = re.findall(r'<td class="text-end">(.*?)</td>', row[: row.index("</tr>")])
    assert cells[:3] == [
        "2",
        "1",
        "1",
    ]  # assigned, passed, not passed (the outsider is not theirs)
    assert "1<span" in cells[3]  # overdue: the mate
    assert world.path("/assessments/{Q}/assign?show=not_passed") in row

    drill = text(
        world.client("manager").get(
            world.path("/assessments/{Q}/assign?show=not_passed")
        )
    )
    assert (
        "Mateo Mate" in drill
        and "Lena Learner" not in squash(drill).split("Assigned")[-1]
    )
    assert "Otto Outsider" not in drill

    other = text(world.client("manager_other").get("/assignments"))
    assert re.findall(r'<td class="text-end">(\d+)</td>', other)[:3] == ["1", "0", "1"]


def test_a_trainer_sees_names_but_links_only_those_they_may_open(app, world):
    _assign_directly(app, world, "learner", "outsider")
    html = text(world.client("trainer").get(world.path("/assessments/{Q}/assign")))
    assert "Otto Outsider" in html and "Lena Learner" in html
    assert world.path('href="/people/{outsider}"') not in html
    admin = text(world.client("admin").get(world.path("/assessments/{Q}/assign")))
    assert world.path('href="/people/{outsider}"') in admin


# --- queries do not grow with the data ----------------------------------------------


def _grow(app, world, n: int) -> None:
    with app.app_context():
        claims = db.session.get(Team, world.ids["claims"])
        for i in range(n):
            person = factories.user(team=claims)
            quiz = factories.quiz(2, title=f"Extra {n}-{i}")
            for target in (quiz, db.session.get(Assessment, world.ids["quiz_id"])):
                db.session.add(
                    AssessmentAssignment(
                        assessment_id=target.id,
                        user_id=person.id,
                        due_on=date(2026, 3, 1),
                    )
                )
            factories.quiz_attempt(person, quiz)
            db.session.add(
                AssessmentAssignment(
                    assessment_id=quiz.id,
                    user_id=world.ids["learner"],
                    due_on=date(2026, 3, 9),
                )
            )
        db.session.commit()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("manager", "/assignments"),
        ("trainer", "/assignments"),
        ("manager", "/assessments/{Q}/assign"),
        ("admin", "/assessments/{Q}/assign?show=not_passed"),
        ("learner", "/learning"),
    ],
)
def test_pages_read_in_a_fixed_number_of_queries(app, world, count_queries, role, path):
    client = world.client(role)
    counts = []
    for n in (1, 8):
        _grow(app, world, n)
        with count_queries() as q:
            assert client.get(world.path(path)).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_the_people_picker_is_bounded(app, world):
    with app.app_context():
        for i in range(60):
            factories.user(name=f"Temp {i:02d}")
        db.session.commit()
    html = text(world.client("admin").get(world.path("/assessments/{Q}/assign")))
    assert len(re.findall(r'name="people" value=', html)) == 50
    assert "Showing 50 of" in html and "search to find others" in html


def test_a_deactivated_person_cannot_be_chosen(app, world):
    with app.app_context():
        db.session.get(User, world.ids["mate"]).is_active_account = False
        db.session.commit()
    html = text(world.client("manager").get(world.path("/assessments/{Q}/assign")))
    assert "Mateo Mate" not in html
