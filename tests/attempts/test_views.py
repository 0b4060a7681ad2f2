"""The learner pages: who may open what, the no-script path, and what the pages say."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.attempts import services
from lms.attempts.models import Assessment, Attempt, Response
from lms.extensions import db
from lms.users.models import User
from tests import factories
from tests.attempts.helpers import ROLES, right_answers


@pytest.fixture
def attempts(app, world, clock):
    """The learner's live attempt at the owned quiz and a submitted one at the file quiz."""
    with app.app_context():
        learner = db.session.get(User, world.ids["learner"])
        owned = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == world.slug)
        )
        from_file = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == world.file_slug)
        )
        live = services.start_attempt(learner, owned).attempt
        done = services.start_attempt(learner, from_file).attempt
        services.save_responses(done, 1, right_answers(done))
        services.submit_attempt(done)
        db.session.commit()
        return {"live": live.id, "done": done.id}


EVERYONE = {role: 200 for role in ROLES if role != "anon"} | {"anon": 302}
OWNER_ONLY = {role: 403 for role in ROLES} | {"anon": 302, "learner": 200}


def _matrix(expected: dict[str, int]):
    return pytest.mark.parametrize(("role", "status"), sorted(expected.items()))


@_matrix(EVERYONE)
@pytest.mark.parametrize(
    "path", ["/assessments", "/assessments/{slug}", "/assessments/{slug}/attempts"]
)
def test_catalogue_intro_and_history_are_for_everyone_signed_in(
    world, role, status, path
):
    response = world.client(role).get(path.format(slug=world.slug))

    assert response.status_code == status
    if role == "anon":
        assert "/login" in response.headers["Location"]


@_matrix(EVERYONE | {role: 302 for role in ROLES if role != "anon"})
def test_everyone_signed_in_may_start(world, role, status):
    response = world.client(role).post(f"/assessments/{world.slug}/start")

    assert response.status_code == status
    if role != "anon":
        assert re.search(r"/attempts/\d+$", response.headers["Location"])


@_matrix(OWNER_ONLY)
def test_only_the_learner_opens_the_take_page(world, attempts, role, status):
    assert world.client(role).get(f"/attempts/{attempts['live']}").status_code == status


@_matrix(OWNER_ONLY | {"learner": 302})
def test_only_the_learner_posts_the_answer_form(world, attempts, role, status):
    response = world.client(role).post(
        f"/attempts/{attempts['live']}/submit", data={"action": "save"}
    )

    assert response.status_code == status


@_matrix(
    {
        "anon": 302,
        "learner": 200,
        "outsider": 403,
        "trainer_owner": 200,
        "trainer_other": 200,  # file quizzes are reviewed by every trainer
        "manager": 200,
        "manager_other": 403,
        "admin": 200,
    }
)
def test_who_sees_a_result(world, attempts, role, status):
    assert (
        world.client(role).get(f"/attempts/{attempts['done']}/result").status_code
        == status
    )


@_matrix(
    {
        "anon": 302,
        "learner": 302,  # to the take page while it is live
        "outsider": 403,
        "trainer_owner": 200,
        "trainer_other": 403,  # not their quiz
        "manager": 200,
        "manager_other": 403,
        "admin": 200,
    }
)
def test_who_sees_a_live_attempt_s_status(world, attempts, role, status):
    response = world.client(role).get(f"/attempts/{attempts['live']}/result")

    assert response.status_code == status
    if status == 200:
        assert b"still in progress" in response.data


@pytest.mark.parametrize(
    "path", ["/attempts/999", "/attempts/999/result", "/assessments/nope"]
)
def test_unknown_things_are_404(world, path):
    assert world.client("learner").get(path).status_code == 404


def test_an_unpublished_assessment_is_404_for_learners(app, world):
    with app.app_context():
        db.session.execute(sa.update(Assessment).values(is_published=False))
        db.session.commit()

    assert world.client("learner").get(f"/assessments/{world.slug}").status_code == 404
    assert (
        world.client("learner").post(f"/assessments/{world.slug}/start").status_code
        == 404
    )


# --------------------------------------------------------------------------
# What the pages show
# --------------------------------------------------------------------------


def test_the_take_page_renders_saved_answers_and_the_real_deadline(
    app, world, attempts
):
    client = world.client("learner")
    start = client.post(f"/api/v1/assessments/{world.slug}/attempts").get_json()
    single = next(i for i in start["items"] if i["type"] == "single")
    short = next(i for i in start["items"] if i["type"] in ("short", "numeric"))
    choice = single["choices"][1]["id"]
    client.put(
        f"/api/v1/attempts/{start['id']}/responses",
        json={"seq": 4, "responses": {single["id"]: choice, short["id"]: "42 & <b>"}},
    )

    page = client.get(f"/attempts/{start['id']}").get_data(as_text=True)

    assert re.search(rf'value="{choice}" checked', page)
    assert 'value="42 &amp; &lt;b&gt;"' in page
    assert 'data-last-seq="4"' in page
    with app.app_context():
        deadline = db.session.get(Attempt, start["id"]).deadline_at
    assert f'data-deadline="{deadline.isoformat()}"' in page
    assert 'role="timer"' in page and 'role="status"' in page


def test_the_take_page_shows_each_answer_as_saved_last(world, attempts):
    """Questions drawn once are kept, but never with an answer saved before."""
    client = world.client("learner")
    start = client.post(f"/api/v1/assessments/{world.slug}/attempts").get_json()
    single = next(i for i in start["items"] if i["type"] == "single")
    first, second = (c["id"] for c in single["choices"][:2])
    pages = []
    for seq, choice in ((1, first), (2, second), (3, first)):
        client.put(
            f"/api/v1/attempts/{start['id']}/responses",
            json={"seq": seq, "responses": {single["id"]: choice}},
        )
        pages.append(client.get(f"/attempts/{start['id']}").get_data(as_text=True))

    for page, choice, other in zip(
        pages, (first, second, first), (second, first, second), strict=True
    ):
        assert re.search(rf'value="{choice}" checked', page)
        assert not re.search(rf'value="{other}" checked', page)


def test_the_take_page_has_labelled_controls(world, attempts):
    page = (
        world.client("learner")
        .get(f"/attempts/{attempts['live']}")
        .get_data(as_text=True)
    )

    inputs = re.findall(
        r'<input class="[^"]*" type="(?:radio|checkbox|text)"[^>]*id="([^"]+)"', page
    )
    assert inputs
    for input_id in inputs:
        assert f'for="{input_id}"' in page, input_id
    assert "<fieldset" in page and "<legend" in page


def test_the_take_page_redirects_to_the_result_once_time_is_up(world, attempts, clock):
    clock.advance(seconds=600 + 31)

    response = world.client("learner").get(f"/attempts/{attempts['live']}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempts['live']}/result")


def test_the_take_page_keeps_the_title_the_attempt_started_with(app, world, attempts):
    with app.app_context():
        quiz = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == world.slug)
        )
        started_as = quiz.title
        quiz.title = "Renamed while someone was taking it"
        db.session.commit()

    page = world.client("learner").get(f"/attempts/{attempts['live']}")

    html = page.get_data(as_text=True)
    assert f'<h1 class="h4 mb-0">{started_as}</h1>' in html
    assert "Renamed while" not in html


def test_without_script_the_form_saves_and_submits(app, world, attempts):
    client = world.client("learner")
    with app.app_context():
        attempt = db.session.get(Attempt, attempts["live"])
        right = right_answers(attempt)
        types = {q["id"]: q["type"] for q in attempt.snapshot["questions"]}
    form = {}
    for qid, value in right.items():
        if types[qid] == "truefalse":
            value = "true" if value else "false"
        form[f"q-{qid}"] = value

    saved = client.post(
        f"/attempts/{attempts['live']}/submit", data={**form, "action": "save"}
    )
    submitted = client.post(
        f"/attempts/{attempts['live']}/submit", data={**form, "action": "submit"}
    )

    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/attempts/{attempts['live']}"
    )
    assert submitted.headers["Location"].endswith(
        f"/attempts/{attempts['live']}/result"
    )
    with app.app_context():
        attempt = db.session.get(Attempt, attempts["live"])
        assert attempt.state == "submitted" and attempt.percent == 100
    result = client.get(f"/attempts/{attempts['live']}/result").get_data(as_text=True)
    assert "Review of your answers" in result and "100 %" in result


def test_a_tampered_form_is_refused_and_stores_nothing(app, world, attempts):
    with app.app_context():
        attempt = db.session.get(Attempt, attempts["live"])
        single = next(q for q in attempt.snapshot["questions"] if q["type"] == "single")

    response = world.client("learner").post(
        f"/attempts/{attempts['live']}/submit",
        data={
            "action": "submit",
            f"q-{single['id']}": "not-a-choice",
            "q-zzz": "ignored",
        },
        follow_redirects=True,
    )

    assert response.request.path == f"/attempts/{attempts['live']}"
    assert b"Nothing was saved" in response.data
    with app.app_context():
        stored = db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(
                Response.attempt_id == attempts["live"]
            )
        )
        assert stored == 0
        assert db.session.get(Attempt, attempts["live"]).state == "in_progress"


def test_the_catalogue_shows_attempts_best_result_and_resume(app, world, attempts):
    page = world.client("learner").get("/assessments").get_data(as_text=True)

    assert "Quizzes" in page
    assert f'href="/attempts/{attempts["live"]}"' in page and "Resume" in page
    assert "Best result: <strong>100 %</strong>" in page
    assert "Attempts: 1 used" in page


def test_the_intro_page_explains_the_rules(app, world):
    with app.app_context():
        quiz = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == world.slug)
        )
        quiz.attempts_allowed = 2
        quiz.on_expiry = "abandon"
        db.session.commit()

    page = (
        world.client("learner").get(f"/assessments/{world.slug}").get_data(as_text=True)
    )

    assert "10 min" in page
    assert "0 used of 2 allowed" in page
    assert "does not count" in page
    assert "Start attempt 1" in page


def test_the_intro_page_says_why_a_start_is_refused(app, world, clock):
    with app.app_context():
        quiz = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == world.slug)
        )
        quiz.open_at = clock.current + timedelta(days=1)
        db.session.commit()
    client = world.client("learner")

    page = client.get(f"/assessments/{world.slug}").get_data(as_text=True)
    started = client.post(f"/assessments/{world.slug}/start", follow_redirects=True)

    assert "opens at" in page and "Start attempt" not in page
    assert b"opens at" in started.data
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_history_lists_the_learner_s_attempts_only(app, world, attempts, login):
    with app.app_context():
        other = factories.user()
        quiz = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == world.file_slug)
        )
        services.start_attempt(other, quiz)
        db.session.commit()

    page = world.client("learner").get(f"/assessments/{world.file_slug}/attempts")

    assert page.get_data(as_text=True).count("<tr>") == 2  # header + one attempt
    assert f"/attempts/{attempts['done']}/result" in page.get_data(as_text=True)


def test_the_review_shows_what_the_settings_allow(app, login):
    with app.app_context():
        learner = factories.user()
        quiz = factories.quiz(
            [factories.question("single", feedback="Because of the checksum.")],
            settings={"show_correct_answers": False},
        )
        attempt = services.start_attempt(learner, quiz).attempt
        services.submit_attempt(attempt)
        db.session.commit()
        client, attempt_id = login(learner), attempt.id

    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)

    assert "Because of the checksum." in page
    assert "Correct answer" not in page
    assert "Incorrect" in page


def test_the_result_page_hides_the_score_and_marks_when_set_so(app, login):
    with app.app_context():
        learner = factories.user()
        quiz = factories.quiz(
            [factories.question("single")],
            settings={"show_score": False, "show_correctness": False},
        )
        attempt = services.start_attempt(learner, quiz).attempt
        services.submit_attempt(attempt)
        db.session.commit()
        client, attempt_id = login(learner), attempt.id

    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)

    assert "Your trainer shares scores for this quiz separately." in page
    assert "Not passed" not in page and "Incorrect" not in page
    assert "Question 1" in page
