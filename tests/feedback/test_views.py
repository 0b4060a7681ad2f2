"""The feedback pages: every route against every role, giving from the result
page and the person page, bad input kept, My feedback with one reply and the
acknowledgement, the manager's list, and fixed query counts."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.attempts.queries import get_attempt
from lms.extensions import db
from lms.feedback import services
from lms.feedback.models import Feedback
from lms.notifications.models import Notification
from lms.users.models import User
from tests.assignments.conftest import ALL, ROLES, E


def text(response) -> str:
    return response.get_data(as_text=True)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


GIVE = {"strength": "Clear notes.", "improve": "Check totals.", "skill_id": "0"}
GIVERS_ON_ATTEMPT = E(403, 403, 403, 200, 403, 200, 403, 200)
GIVERS_ON_PERSON = E(403, 403, 200, 403, 403, 200, 403, 200)
READERS = E(200, 403, 200, 200, 403, 200, 403, 200)
SUBJECT_ONLY = E(302, 403, 403, 403, 403, 403, 403, 403)


def _posted(expected):
    return {role: 302 if status == 200 else status for role, status in expected.items()}


CASES = [
    ("give on an attempt", "GET", "/feedback/attempts/{attempt}/new", None, GIVERS_ON_ATTEMPT),
    ("send on an attempt", "POST", "/feedback/attempts/{attempt}/new", GIVE,
     _posted(GIVERS_ON_ATTEMPT)),
    ("give on an unknown attempt", "GET", "/feedback/attempts/99999/new", None, ALL(404)),
    ("give on a person", "GET", "/feedback/people/{learner}/new", None, GIVERS_ON_PERSON),
    ("send on a person", "POST", "/feedback/people/{learner}/new", GIVE,
     _posted(GIVERS_ON_PERSON)),
    ("give on an unknown person", "GET", "/feedback/people/99999/new", None, ALL(404)),
    ("my feedback", "GET", "/feedback/mine", None, ALL(200)),
    ("my feedback, page 2", "GET", "/feedback/mine?page=2", None, ALL(200)),
    ("feedback I gave", "GET", "/feedback/given", None, ALL(200)),
    ("not yet acknowledged", "GET", "/feedback/team", None,
     E(403, 403, 403, 403, 403, 200, 200, 200)),
    ("about a person", "GET", "/feedback/people/{learner}", None,
     E(302, 403, 200, 403, 403, 200, 403, 200)),
    ("one feedback", "GET", "/feedback/{feedback}", None, READERS),
    ("unknown feedback", "GET", "/feedback/99999", None, ALL(404)),
    ("reply", "POST", "/feedback/{feedback}/reply", {"reply": "Thanks."}, SUBJECT_ONLY),
    ("acknowledge", "POST", "/feedback/{feedback}/acknowledge", {}, SUBJECT_ONLY),
    ("result page", "GET", "/attempts/{attempt}/result", None,
     E(200, 403, 403, 200, 403, 200, 403, 200)),
    ("person page", "GET", "/people/{learner}", None,
     E(200, 403, 200, 403, 403, 200, 403, 200)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "data", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_role_matrix(world, role, method, path, data, expected):
    client = world.client(role)
    url = world.path(path)
    response = client.get(url) if method == "GET" else client.post(url, data=data)

    assert response.status_code == expected.get(role, 302)
    if role == "anon":
        assert "/login" in response.headers["Location"]


def _feedback_rows(app) -> list[Feedback]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()
        db.session.expunge_all()
        return rows


def _notes(app, user_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Notification.message).where(Notification.user_id == user_id)
            )
        )


def test_a_manager_gives_feedback_from_the_result_page(app, world):
    client = world.client("manager")
    result = text(client.get(world.path("/attempts/{attempt}/result")))
    assert "Feedback on this attempt" in result
    assert "Careful with the totals." in result  # what was given before
    assert world.path('href="/feedback/attempts/{attempt}/new"') in result

    response = client.post(
        world.path("/feedback/attempts/{attempt}/new"),
        data={
            "strength": "Fast and tidy.",
            "improve": "Slow down on dates.",
            "skill_id": str(world.ids["skill"]),
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        world.path("/attempts/{attempt}/result#feedback")
    )
    newest = _feedback_rows(app)[-1]
    assert (newest.attempt_id, newest.skill_id) == (
        world.ids["attempt"],
        world.ids["skill"],
    )
    assert _notes(app, world.ids["learner"]) == [
        "New feedback from Maya Manager on “Lookups check”"
    ]


def test_the_learner_reads_feedback_on_their_result_without_a_give_button(world):
    html = text(world.client("learner").get(world.path("/attempts/{attempt}/result")))
    assert "Careful with the totals." in html
    assert "/feedback/attempts/" not in html
    assert 'href="/feedback/mine"' in html


def test_bad_input_is_refused_with_what_was_typed_kept(app, world):
    response = world.client("mentor").post(
        world.path("/feedback/people/{learner}/new"),
        data={
            "strength": "  ",
            "improve": "Keep a checklist.",
            "skill_id": str(world.ids["skill"]),
        },
    )
    html = text(response)
    assert response.status_code == 400
    assert "Write a strength: something they did well." in html
    assert "Keep a checklist.</textarea>" in html
    assert re.search(rf'<option selected value="{world.ids["skill"]}">', html)

    unknown_skill = world.client("mentor").post(
        world.path("/feedback/people/{learner}/new"),
        data={"strength": "Good", "improve": "Better", "skill_id": "99999"},
    )
    assert unknown_skill.status_code == 400 and "Good</textarea>" in text(unknown_skill)
    assert len(_feedback_rows(app)) == 1


def test_the_person_page_shows_feedback_and_lets_those_who_may_give(world):
    manager = text(world.client("manager").get(world.path("/people/{learner}")))
    assert 'id="feedback"' in manager and "Careful with the totals." in manager
    assert world.path('href="/feedback/people/{learner}/new"') in manager
    assert "Give feedback to Lena Learner" in manager

    own = text(world.client("learner").get(world.path("/people/{learner}")))
    assert "Careful with the totals." in own and "Give feedback to" not in own


def test_my_feedback_reply_once_then_acknowledge(app, world):
    client = world.client("learner")
    page = text(client.get("/feedback/mine"))
    assert "Careful with the totals." in page and "Not yet acknowledged" in page
    assert 'name="reply"' in page

    replied = client.post(
        world.path("/feedback/{feedback}/reply"), data={"reply": "Thanks!"}
    )
    assert replied.status_code == 302
    page = text(client.get("/feedback/mine"))
    assert "Thanks!" in page and 'name="reply"' not in page  # the form is gone
    assert _notes(app, world.ids["manager"]) == [
        "Lena Learner replied to your feedback"
    ]

    again = client.post(
        world.path("/feedback/{feedback}/reply"), data={"reply": "More"}
    )
    assert again.status_code == 302
    assert _feedback_rows(app)[0].reply == "Thanks!"

    client.post(world.path("/feedback/{feedback}/acknowledge"))
    page = text(client.get("/feedback/mine"))
    assert "Acknowledged" in page and ">Acknowledge<" not in page


def test_an_empty_reply_is_refused_on_the_feedback_page(world):
    response = world.client("learner").post(
        world.path("/feedback/{feedback}/reply"), data={"reply": " "}
    )
    html = text(response)
    assert response.status_code == 400
    assert "Write your reply" in html and "Careful with the totals." in html


def test_unacknowledged_first_then_newest(app, world, clock):
    with app.app_context():
        learner = db.session.get(User, world.ids["learner"])
        manager = db.session.get(User, world.ids["manager"])
        clock.advance(days=1)
        done = services.give_feedback(
            manager, learner, strength="Read already", improve="x"
        )
        services.acknowledge(done, learner)
        clock.advance(days=1)
        services.give_feedback(manager, learner, strength="Newest one", improve="x")
        db.session.commit()
    page = squash(text(world.client("learner").get("/feedback/mine")))
    assert (
        page.index("Newest one")
        < page.index("Careful with the totals.")
        < page.index("Read already")
    )


def test_a_learner_never_sees_feedback_about_someone_else(app, world):
    with app.app_context():
        mate = db.session.get(User, world.ids["mate"])
        manager = db.session.get(User, world.ids["manager"])
        other = services.give_feedback(
            manager, mate, strength="Mate's secret", improve="x"
        )
        db.session.commit()
        other_id = other.id
    learner = world.client("learner")
    assert "Mate's secret" not in text(learner.get("/feedback/mine"))
    assert learner.get(f"/feedback/{other_id}").status_code == 403
    assert learner.post(f"/feedback/{other_id}/acknowledge").status_code == 403


def test_managers_see_what_is_unacknowledged_with_its_age(app, world, clock):
    clock.advance(days=3)
    html = text(world.client("manager").get("/feedback/team"))
    row = html[html.index(f'data-feedback="{world.ids["feedback"]}"') :]
    row = squash(row[: row.index("</tr>")])
    assert "Lena Learner" in row and "Maya Manager" in row and "3 days" in row
    assert world.path('href="/people/{learner}"') in html
    assert "Lena Learner" not in text(
        world.client("manager_other").get("/feedback/team")
    )

    world.client("learner").post(world.path("/feedback/{feedback}/acknowledge"))
    assert "Lena Learner" not in text(world.client("manager").get("/feedback/team"))


def test_the_author_sees_the_reply_in_what_they_gave(world):
    world.client("learner").post(
        world.path("/feedback/{feedback}/reply"), data={"reply": "Noted."}
    )
    html = squash(text(world.client("manager").get("/feedback/given")))
    assert "To Lena Learner from Maya Manager" in html and "Noted." in html


# --- queries do not grow with the data ----------------------------------------------


def _grow(app, world, n):
    from tests import factories

    with app.app_context():
        learner = db.session.get(User, world.ids["learner"])
        manager = db.session.get(User, world.ids["manager"])
        mentor = db.session.get(User, world.ids["mentor"])
        quiz = factories.quiz(2, owner=db.session.get(User, world.ids["trainer"]))
        shown = get_attempt(world.ids["attempt"])
        for i in range(n):
            attempt = factories.quiz_attempt(learner, quiz, number=i + 1, seed=i + 1)
            services.give_feedback(
                manager, learner, strength=f"s{i}", improve="x", attempt=attempt
            )
            services.give_feedback(mentor, learner, strength=f"m{i}", improve="x")
            services.give_feedback(
                mentor if i % 2 else manager,
                learner,
                strength=f"r{i}",
                improve="x",
                attempt=shown,
            )
        db.session.commit()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("learner", "/feedback/mine"),
        ("manager", "/feedback/given"),
        ("manager", "/feedback/team"),
        ("admin", "/feedback/team"),
        ("mentor", "/feedback/people/{learner}"),
        ("manager", "/people/{learner}"),
        ("manager", "/attempts/{attempt}/result"),
    ],
)
def test_pages_read_in_a_fixed_number_of_queries(app, world, count_queries, role, path):
    client = world.client(role)
    counts = []
    for n in (1, 6):
        _grow(app, world, n)
        with count_queries() as q:
            assert client.get(world.path(path)).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts
