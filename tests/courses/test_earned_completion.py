"""Earned module completion on the learner pages: the server's clock and the reported
end decide when "Mark as complete" counts; authors set the options in the editor."""

from __future__ import annotations

import sqlalchemy as sa

from lms.courses import progress
from lms.courses.models import Course, Enrolment, ModuleProgress
from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.courses.earned_builders import earned_course, module_ids

JSON = {"Accept": "application/json"}


def _setup(app, login, *, slug="earned", percent=50, end=False, published=True):
    """A learner and a course asking `percent` of 2 minutes (60 s at 50 %)."""
    with app.app_context():
        learner = factories.user(name="Lena Learner")
        course = earned_course(slug=slug, percent=percent, end=end, published=published)
        ids = module_ids(course)
        db.session.commit()
        return login(learner), learner.id, ids


def _progress(app, user_id: int, module_id: int) -> ModuleProgress | None:
    with app.app_context():
        row = db.session.scalar(
            sa.select(ModuleProgress).where(
                ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id
            )
        )
        db.session.expunge_all()
        return row


def _complete(client, module_id: int, slug: str = "earned"):
    return client.post(f"/courses/{slug}/modules/{module_id}/complete")


def test_the_page_says_how_long_is_left_and_disables_nothing_without_script(
    app, login, clock
):
    client, _, (m1, _) = _setup(app, login)

    html = client.get(f"/courses/earned/modules/{m1}").get_data(as_text=True)

    assert "You can mark this complete in 1 min — keep reading." in html
    assert 'data-remaining-seconds="60"' in html
    assert 'aria-describedby="reading-status-text"' in html
    assert 'role="status"' in html
    assert "js/reading-progress.js" in html
    assert (
        'id="mark-complete"' in html
        and "disabled" not in html.split('id="mark-complete"')[1].split(">")[0]
    )


def test_marking_complete_before_the_time_is_refused_with_the_page(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login)
    client.get(f"/courses/earned/modules/{m1}")
    clock.advance(seconds=20)

    response = _complete(client, m1)

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "“Lesson 1” is not complete yet." in html
    assert "You can mark this complete in 40 s — keep reading." in html
    assert "<h1" in html and "Lesson 1" in html  # the module page, re-rendered
    assert _progress(app, learner_id, m1).completed_at is None


def test_marking_complete_after_the_time_counts(app, login, clock):
    client, learner_id, (m1, m2) = _setup(app, login)
    client.get(f"/courses/earned/modules/{m1}")
    clock.advance(seconds=60)

    response = _complete(client, m1)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/earned/modules/{m2}")
    assert _progress(app, learner_id, m1).completed_at is not None
    html = client.get(f"/courses/earned/modules/{m1}").get_data(as_text=True)
    assert "Completed" in html and "data-reading" not in html


def test_posting_without_opening_the_module_is_refused(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login)

    response = _complete(client, m1)

    assert response.status_code == 409
    assert "You can mark this complete in 1 min — keep reading." in (
        response.get_data(as_text=True)
    )
    assert _progress(app, learner_id, m1) is None


def test_reloading_or_a_second_tab_does_not_restart_the_clock(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login)
    client.get(f"/courses/earned/modules/{m1}")
    first = _progress(app, learner_id, m1).first_viewed_at
    clock.advance(seconds=45)

    html = client.get(f"/courses/earned/modules/{m1}").get_data(as_text=True)
    clock.advance(seconds=15)

    assert 'data-remaining-seconds="15"' in html
    assert _progress(app, learner_id, m1).first_viewed_at == first
    assert _complete(client, m1).status_code == 302


def test_the_end_must_be_reported_when_the_course_asks(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login, end=True)
    html = client.get(f"/courses/earned/modules/{m1}").get_data(as_text=True)
    assert "once you have read to the end" in html
    assert "<noscript>" in html and "I have read to the end" in html
    clock.advance(minutes=5)

    refused = _complete(client, m1)
    assert refused.status_code == 409
    assert "Read to the end of this module to mark it complete." in (
        refused.get_data(as_text=True)
    )

    reported = client.post(f"/courses/earned/modules/{m1}/end-reached", headers=JSON)
    assert reported.status_code == 200
    assert reported.get_json() == {
        "end_reached": True,
        "remaining_seconds": 0,
        "earned": True,
    }
    assert _complete(client, m1).status_code == 302


def test_the_first_end_report_stands_and_time_is_still_checked(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login, end=True)
    client.get(f"/courses/earned/modules/{m1}")
    clock.advance(seconds=10)

    first = client.post(f"/courses/earned/modules/{m1}/end-reached", headers=JSON)
    reached = _progress(app, learner_id, m1).end_reached_at
    clock.advance(seconds=10)
    client.post(f"/courses/earned/modules/{m1}/end-reached", headers=JSON)

    assert first.get_json()["remaining_seconds"] == 50
    assert first.get_json()["earned"] is False
    assert _progress(app, learner_id, m1).end_reached_at == reached
    assert _complete(client, m1).status_code == 409


def test_the_plain_form_reports_the_end_and_comes_back(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login, end=True, percent=0)
    client.get(f"/courses/earned/modules/{m1}")

    response = client.post(
        f"/courses/earned/modules/{m1}/end-reached", follow_redirects=True
    )

    assert response.status_code == 200
    assert "You can mark this module complete now." in response.get_data(as_text=True)
    assert _progress(app, learner_id, m1).end_reached_at is not None


def test_one_learners_progress_is_not_anothers(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login)
    with app.app_context():
        other = factories.user(name="Otto Other")
        db.session.commit()
        other_client = login(other)
    client.get(f"/courses/earned/modules/{m1}")
    clock.advance(minutes=5)

    assert other_client.get(f"/courses/earned/modules/{m1}").status_code == 200
    assert _complete(other_client, m1).status_code == 409
    assert _complete(client, m1).status_code == 302
    assert _progress(app, learner_id, m1).completed_at is not None


def test_end_reports_for_modules_out_of_reach_are_refused(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login, end=True)
    with app.app_context():
        draft = earned_course(slug="draft-earned", end=True, published=False)
        elsewhere = factories.course(slug="elsewhere", modules=1)
        d1 = module_ids(draft)[0]
        e1 = module_ids(elsewhere)[0]
        db.session.commit()

    draft_answer = client.post(
        f"/courses/draft-earned/modules/{d1}/end-reached", headers=JSON
    )
    wrong_course = client.post(
        f"/courses/earned/modules/{e1}/end-reached", headers=JSON
    )

    assert draft_answer.status_code == 404  # drafts do not exist for learners
    assert wrong_course.status_code == 404
    assert _progress(app, learner_id, e1) is None


def test_authors_previewing_a_draft_are_not_held_and_leave_nothing(app, login, clock):
    with app.app_context():
        author = factories.user(Role.TRAINER)
        course = earned_course(slug="preview", end=True, published=False)
        course.owner_id = author.id
        d1 = module_ids(course)[0]
        db.session.commit()
        client = login(author)

    html = client.get(f"/courses/preview/modules/{d1}").get_data(as_text=True)
    report = client.post(f"/courses/preview/modules/{d1}/end-reached", headers=JSON)

    assert "data-reading" not in html and "reading-progress.js" not in html
    assert report.status_code == 409
    assert report.get_json()["error"] == "conflict"
    assert _progress(app, author.id, d1) is None


def test_a_course_that_asks_nothing_completes_at_once(app, login, clock):
    client, learner_id, (m1, _) = _setup(app, login, percent=0)

    html = client.get(f"/courses/earned/modules/{m1}").get_data(as_text=True)

    assert "data-reading" not in html
    assert _complete(client, m1).status_code == 302


def test_finishing_the_course_after_earning_every_module(app, login, clock):
    client, learner_id, ids = _setup(app, login, end=True)
    for module_id in ids:
        client.get(f"/courses/earned/modules/{module_id}")
        client.post(f"/courses/earned/modules/{module_id}/end-reached", headers=JSON)
        clock.advance(seconds=60)
        last = _complete(client, module_id)

    assert "/courses/earned" in last.headers["Location"]
    with app.app_context():
        enrolment = db.session.scalar(
            sa.select(Enrolment)
            .join(Course)
            .where(Course.slug == "earned", Enrolment.user_id == learner_id)
        )
        assert enrolment.completed_at is not None


def test_completions_recorded_before_stand(app, login, clock):
    """Rows written before a course asked anything (and demo rows) stay earned."""
    with app.app_context():
        learner = factories.user()
        course = earned_course(slug="earned", end=True)
        m1, _ = module_ids(course)
        factories.completed(learner, progress.active_modules(course)[0])
        db.session.commit()
        client = login(learner)

    html = client.get(f"/courses/earned/modules/{m1}").get_data(as_text=True)

    assert "Completed" in html and "data-reading" not in html
    assert _complete(client, m1).status_code == 302  # a repeat changes nothing


# --- the course editor ------------------------------------------------------------------


def _editor(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        factories.course(slug="mine", owner=trainer, modules=1)
        db.session.commit()
        return login(trainer)


DETAILS = {"title": "Mine", "summary": "A course.", "level": "", "skills": ""}


def _rules(app, slug: str) -> dict:
    with app.app_context():
        return db.session.scalar(
            sa.select(Course.completion_rules).where(Course.slug == slug)
        )


def test_the_editor_sets_the_completion_options(app, login):
    client = _editor(app, login)
    page = client.get("/manage/courses/mine/edit").get_data(as_text=True)
    assert "Minimum reading time (% of the estimate)" in page
    assert "200 words a minute" in page

    response = client.post(
        "/manage/courses/mine/edit",
        data=DETAILS | {"min_reading_percent": "60", "require_reaching_end": "y"},
    )

    assert response.status_code == 302
    assert _rules(app, "mine") == {
        "min_reading_percent": 60,
        "require_reaching_end": True,
    }
    page = client.get("/manage/courses/mine/edit").get_data(as_text=True)
    assert 'value="60"' in page


def test_a_bad_reading_share_re_renders_the_form_with_what_was_typed(app, login):
    client = _editor(app, login)

    response = client.post(
        "/manage/courses/mine/edit", data=DETAILS | {"min_reading_percent": "150"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Number must be between 0 and 100." in html
    assert 'value="150"' in html
    assert _rules(app, "mine") == {}


def test_a_new_course_can_ask_for_the_end(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        db.session.commit()
        client = login(trainer)

    client.post(
        "/manage/courses/new",
        data={"title": "Fresh", "summary": "New.", "require_reaching_end": "y"},
    )

    assert _rules(app, "fresh") == {
        "min_reading_percent": 0,
        "require_reaching_end": True,
    }


# --- queries ----------------------------------------------------------------------------


def _module_page_queries(app, login, count_queries, n: int, percent: int) -> int:
    with app.app_context():
        learner = factories.user()
        course = earned_course(
            slug=f"q-{n}-{percent}", percent=percent, end=bool(percent), modules=n
        )
        ids = module_ids(course)
        for module_id in ids[:-1]:
            db.session.add(ModuleProgress(user_id=learner.id, module_id=module_id))
        db.session.commit()
        client = login(learner)
    url = f"/courses/q-{n}-{percent}/modules/{ids[-1]}"
    client.get(url)  # the first opening writes its rows; count a reading
    with count_queries() as q:
        html = client.get(url).get_data(as_text=True)
    assert ("data-reading" in html) == bool(percent)
    return q.count


def test_the_module_page_query_count_does_not_grow(app, login, count_queries, clock):
    counts = {
        (n, percent): _module_page_queries(app, login, count_queries, n, percent)
        for n in (2, 9)
        for percent in (0, 50)
    }

    assert counts[(2, 50)] == counts[(9, 50)], counts
    assert counts[(2, 0)] == counts[(9, 0)], counts
    assert counts[(2, 50)] <= counts[(2, 0)] + 1, counts  # the learner's row, once
