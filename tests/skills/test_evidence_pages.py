"""Result pages say which skills a result moved (or why not) and what to do
next; course pages link to their assessments; assessments say which skills
they are evidence for — in a fixed number of statements."""

from __future__ import annotations

import pytest

from lms.attempts import links
from lms.courses import progress
from lms.extensions import db
from lms.skills.models import CareerGoal, CareerPath, CareerRole, RoleRequirement
from lms.users.models import Role
from tests import factories
from tests.skills import evidence_builders as build
from tests.skills.test_evidence import EASY_BANDS, submit_quiz, submit_typed_keying


@pytest.fixture
def academy(app_ctx, clock):
    learner = factories.user(name="Lena Learner")
    data_entry = build.skill("Data entry", slug="data-entry")
    course = factories.course(title="Data entry accuracy", modules=1)
    quiz = factories.quiz(
        4, time_limit_seconds=600, title="Data entry check", course=course
    )
    keying = factories.record_entry_test(
        time_limit_seconds=600, settings=EASY_BANDS, title="Customer records"
    )
    build.mapping(data_entry, course=course)
    build.mapping(data_entry, assessment=quiz)
    build.mapping(data_entry, assessment=keying)
    return learner, data_entry, course, quiz, keying


def page(login, user, url):
    db.session.commit()
    response = login(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_quiz_result_says_what_moved_and_what_to_do_next(academy, login):
    learner, data_entry, course, quiz, keying = academy
    attempt = submit_quiz(learner, quiz)

    text = page(login, learner, f"/attempts/{attempt.id}/result")

    assert "Moved Data entry to level 3 (100 %, at least 95 %)." in text
    assert "/me/skills/data-entry" in text  # the evidence trail
    assert "What to do next" in text
    assert f"/assessments/{keying.slug}" in text  # the next test for the skill


def test_a_quiz_that_fell_short_points_to_its_course(academy, login):
    learner, data_entry, course, quiz, keying = academy
    attempt = submit_quiz(learner, quiz, wrong=3)  # 25 %

    text = page(login, learner, f"/attempts/{attempt.id}/result")

    assert "No change to Data entry: 25 % is below the 60 % the first level needs." in (
        text
    )
    assert f'href="/courses/{course.slug}"' in text
    assert "Revise the course" in text


def test_a_keying_result_says_what_moved(academy, login, clock):
    learner, data_entry, course, quiz, keying = academy
    attempt = submit_typed_keying(learner, keying, clock)

    text = page(login, learner, links.result_url(attempt))

    assert "Moved Data entry to level 3 (Job-ready band)." in text


def test_an_unverified_keying_result_says_why_it_is_no_evidence(academy, login, clock):
    learner, data_entry, course, quiz, keying = academy
    attempt = submit_typed_keying(learner, keying, clock, with_events=False)

    text = page(login, learner, links.result_url(attempt))

    assert (
        "No change to Data entry: this attempt is unverified, so it is not evidence."
        in text
    )


def test_the_result_shows_the_readiness_for_the_goal(academy, login, clock):
    learner, data_entry, course, quiz, keying = academy
    path = CareerPath(slug="ops", name="Operations")
    db.session.add(path)
    db.session.flush()
    role = CareerRole(slug="senior", name="Senior executive", path_id=path.id)
    db.session.add(role)
    db.session.flush()
    db.session.add(RoleRequirement(role_id=role.id, skill_id=data_entry.id, level=4))
    db.session.add(CareerGoal(user_id=learner.id, role_id=role.id))
    attempt = submit_typed_keying(learner, keying, clock)

    text = page(login, learner, links.result_url(attempt))

    assert "Readiness for Senior executive: <strong>75 %</strong>" in text
    assert "it was 0 % without this result" in text


def test_a_trainer_sees_what_moved_but_not_the_learners_next_steps(academy, login):
    learner, data_entry, course, quiz, keying = academy
    attempt = submit_quiz(learner, quiz)

    text = page(login, factories.user(Role.ADMIN), f"/attempts/{attempt.id}/result")

    assert "Moved Data entry to level 3" in text
    assert "What to do next" not in text


def test_a_course_page_links_to_its_checks_and_a_finished_course_shows_them(
    academy, login
):
    learner, data_entry, course, quiz, keying = academy

    before = page(login, learner, f"/courses/{course.slug}")
    assert "Check your learning" in before
    assert f"/assessments/{quiz.slug}" in before and f"/assessments/{keying.slug}" in (
        before
    )
    assert "This course is evidence for:" in before
    assert "Data entry (completed → level 1)" in before

    progress.complete_module(learner, progress.active_modules(course)[0])
    after = page(login, learner, f"/courses/{course.slug}")
    assert "You finished this course: check your learning" in after


def test_an_assessment_tells_learners_what_it_is_evidence_for(academy, login):
    learner, data_entry, course, quiz, keying = academy

    quiz_intro = page(login, learner, f"/assessments/{quiz.slug}")
    keying_intro = page(login, learner, f"/assessments/{keying.slug}")

    assert "This quiz is evidence for:" in quiz_intro
    assert "Data entry (≥ 60 % → level 1, ≥ 80 % → level 2, ≥ 95 % → level 3)" in (
        quiz_intro
    )
    assert "This keying test is evidence for:" in keying_intro
    assert "Job-ready → level 3" in keying_intro
    assert "Manage skill mappings" not in quiz_intro


def test_the_quiz_page_offers_trainers_the_mappings(app_ctx, login):
    trainer = factories.user(Role.TRAINER)
    quiz = factories.quiz(2, owner=trainer)

    text = page(login, trainer, f"/manage/quizzes/{quiz.id}")

    assert "Not mapped to any skill yet" in text
    assert f"/manage/skills/mappings/assessments/{quiz.id}" in text


# --- statement counts ---------------------------------------------------------------


def _count(count_queries, client, url) -> int:
    client.get(url)  # the same state for every count: the page was seen once
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_result_and_course_pages_do_not_grow_with_mapped_skills(
    academy, login, count_queries
):
    learner, data_entry, course, quiz, keying = academy
    first = submit_quiz(learner, quiz)
    db.session.commit()
    client = login(learner)
    pages = [f"/attempts/{first.id}/result", f"/courses/{course.slug}"]
    few = [_count(count_queries, client, url) for url in pages]

    for n in range(5):
        skill = build.skill()
        build.mapping(skill, assessment=quiz)
        build.mapping(skill, course=course)
        build.mapping(skill, assessment=factories.quiz(1, title=f"Extra check {n}"))
    db.session.commit()
    second = submit_quiz(learner, quiz)
    db.session.commit()
    pages[0] = f"/attempts/{second.id}/result"

    assert [_count(count_queries, client, url) for url in pages] == few
