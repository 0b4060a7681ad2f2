"""Previewing a keying test as a learner sees it: the test page of a numbered,
deterministic draw with its source documents and inputs under a "nothing is
saved" banner, no saving script and no submit; nothing is ever stored; who may
preview."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.quizzes.preview_rows import stored_rows


@pytest.fixture
def trainer(app_ctx):
    t = factories.user(Role.TRAINER, name="Tara Trainer")
    db.session.commit()
    return t


@pytest.fixture
def file_test(app_ctx):
    test = factories.record_entry_test(
        slug="known-records", title="Known records", origin="file"
    )
    db.session.commit()
    return test


@pytest.fixture
def own_test(trainer):
    test = factories.record_entry_test(
        slug="owned-records", title="Owned records", owner=trainer
    )
    db.session.commit()
    return test


def _url(test, draw: str = "") -> str:
    return f"/keying/tests/{test.slug}/preview" + (f"?draw={draw}" if draw else "")


def _record_order(page: str) -> list[str]:
    return re.findall(r'id="rec-([^"]+)-title"', page)


def test_the_preview_is_the_learners_test_page_under_a_banner(
    login, trainer, file_test
):
    response = login(trainer).get(_url(file_test))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview — nothing is saved." in page
    assert "Source document" in page and "Entry form" in page
    for record in factories.RECORDS:
        assert record["values"]["name"] in page  # the source documents
    assert 'name="k-' in page  # the learner's inputs
    assert len(_record_order(page)) == len(factories.RECORDS)


def test_the_preview_cannot_save_record_keystrokes_or_submit(login, trainer, file_test):
    page = login(trainer).get(_url(file_test)).get_data(as_text=True)

    assert "keying.js" not in page and "attempt-client.js" not in page
    assert "/api/v1/" not in page and "data-save-url" not in page
    assert re.search(r"<button[^>]*disabled[^>]*>Submit test</button>", page)
    assert 'method="post"' not in page.split('id="keying-preview"')[1]


def test_the_same_draw_shows_the_same_records_and_another_draw_may_differ(
    login, trainer, file_test
):
    client = login(trainer)

    first = _record_order(client.get(_url(file_test)).get_data(as_text=True))
    again = _record_order(client.get(_url(file_test, "1")).get_data(as_text=True))
    others = {
        tuple(_record_order(client.get(_url(file_test, str(n))).get_data(as_text=True)))
        for n in range(2, 12)
    }

    assert first == again
    assert others - {tuple(first)}


def test_every_bundled_keying_test_previews(login, trainer):
    from lms.config import PROJECT_ROOT
    from lms.content.loader import load_assessments

    specs, _errors = load_assessments(PROJECT_ROOT / "quizzes")
    slugs = [spec.slug for spec in specs if spec.kind != "quiz"]
    tests = [factories.bundled_keying_test(slug) for slug in slugs]
    db.session.commit()
    client = login(trainer)

    for test in tests:
        response = client.get(_url(test))
        assert response.status_code == 200, test.slug
        assert 'class="keying-form"' in response.get_data(as_text=True), test.slug


def test_nothing_is_stored(login, trainer, file_test):
    client = login(trainer)
    before = stored_rows()

    client.get(_url(file_test))
    client.get(_url(file_test, "7"))

    assert stored_rows() == before
    assert all(count == 0 for count in before.values())


def test_the_tests_list_offers_a_preview(login, trainer, file_test):
    page = login(trainer).get("/keying/tests").get_data(as_text=True)

    assert f'href="{_url(file_test)}"' in page


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "test_name", "expected"),
    [
        ("learner", "file_test", 403),
        ("manager", "file_test", 403),
        ("other_trainer", "own_test", 403),
        ("other_trainer", "file_test", 200),
        ("owner", "own_test", 200),
        ("admin", "own_test", 200),
        ("admin", "file_test", 200),
    ],
)
def test_role_route_matrix(request, login, trainer, role, test_name, expected):
    test = request.getfixturevalue(test_name)
    users = {
        "learner": lambda: factories.user(Role.LEARNER),
        "manager": lambda: factories.user(Role.MANAGER),
        "other_trainer": lambda: factories.user(Role.TRAINER),
        "admin": lambda: factories.user(Role.ADMIN),
        "owner": lambda: trainer,
    }
    user = users[role]()
    db.session.commit()

    response = login(user).get(_url(test))

    assert response.status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, file_test):
    response = client.get(_url(file_test))

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_quiz_or_missing_slug_is_404(login, trainer):
    quiz = factories.quiz(2, origin="file")
    db.session.commit()
    client = login(trainer)

    assert client.get(f"/keying/tests/{quiz.slug}/preview").status_code == 404
    assert client.get("/keying/tests/no-such-test/preview").status_code == 404


def test_the_preview_runs_a_bounded_number_of_queries(login, trainer, count_queries):
    def queries(records: int) -> int:
        rows = [
            {"id": f"r{i:03}", "values": dict(factories.RECORDS[0]["values"])}
            for i in range(records)
        ]
        test = factories.record_entry_test(records=rows, origin="file")
        db.session.commit()
        client = login(trainer)
        client.get(_url(test))
        db.session.expunge_all()
        with count_queries() as counter:
            assert client.get(_url(test)).status_code == 200
        return counter.count

    small = queries(2)
    large = queries(40)

    assert large == small
    assert small <= 6


def test_the_tests_attempts_page_offers_a_preview(login, trainer, file_test):
    page = (
        login(trainer)
        .get(f"/keying/tests/{file_test.slug}/attempts")
        .get_data(as_text=True)
    )

    assert f'href="{_url(file_test)}"' in page
    assert "Preview as a learner" in page
