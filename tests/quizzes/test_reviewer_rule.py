"""The one reviewer rule (lms.attempts.policies): the check on one assessment
and the SQL condition for lists must agree for every kind of person and every
kind of assessment, and every list that filters by it must follow it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.attempts.policies import (
    looked_after_by,
    looks_after,
    only_reviewed_by,
    reviewed_by,
    reviews_assessment,
)
from lms.extensions import db
from lms.keying.services import reviewable_assessments_query
from lms.origins import ORIGIN_FILE
from lms.users.models import Role
from tests import factories

PEOPLE = ("admin", "owner", "other_trainer", "manager", "learner")

# Who reviews what, written out by hand: the rule both faces must implement.
EXPECTED = {
    "admin": {"owned_quiz", "others_quiz", "file_quiz", "owned_test", "file_test"},
    "owner": {"owned_quiz", "file_quiz", "owned_test", "file_test"},
    "other_trainer": {"others_quiz", "file_quiz", "file_test"},
    "manager": set(),
    "learner": set(),
}


@pytest.fixture
def world(app_ctx):
    people = {
        "admin": factories.user(Role.ADMIN),
        "owner": factories.user(Role.TRAINER),
        "other_trainer": factories.user(Role.TRAINER),
        "manager": factories.user(Role.MANAGER),
        "learner": factories.user(Role.LEARNER),
    }
    assessments = {
        "owned_quiz": factories.quiz(2, owner=people["owner"], title="Ledger quiz"),
        "others_quiz": factories.quiz(
            2, owner=people["other_trainer"], title="Payroll quiz"
        ),
        "file_quiz": factories.quiz(
            2, origin=ORIGIN_FILE, owner=None, title="Filing quiz"
        ),
        "owned_test": factories.record_entry_test(
            owner=people["owner"], title="Owned keying test"
        ),
        # A file test that names an owner is still everyone's: files have no owner.
        "file_test": factories.record_entry_test(
            origin=ORIGIN_FILE, owner=people["admin"], title="File keying test"
        ),
    }
    db.session.commit()
    return people, assessments


def _names(assessments, ids) -> set[str]:
    return {name for name, a in assessments.items() if a.id in ids}


@pytest.mark.parametrize("who", PEOPLE)
def test_the_check_and_the_query_agree(world, who):
    people, assessments = world
    user = people[who]

    by_check = {name for name, a in assessments.items() if reviews_assessment(user, a)}
    query = only_reviewed_by(user, sa.select(Assessment.id))
    by_query = _names(assessments, set(db.session.scalars(query)))

    assert by_check == by_query == EXPECTED[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_reviewed_by_is_no_filter_only_for_admins(world, who):
    people, _ = world

    condition = reviewed_by(people[who])

    assert (condition is None) == (who == "admin")


@pytest.mark.parametrize("who", ("admin", "owner", "other_trainer"))
def test_looks_after_and_its_condition_agree(world, who):
    people, assessments = world
    user = people[who]
    condition = looked_after_by(user)
    query = sa.select(Assessment.id)
    if condition is not None:
        query = query.where(condition)

    by_check = {name for name, a in assessments.items() if looks_after(user, a)}

    assert by_check == _names(assessments, set(db.session.scalars(query)))


@pytest.mark.parametrize("who", PEOPLE)
def test_the_keying_review_list_follows_the_rule(world, who):
    people, assessments = world

    listed = db.session.scalars(reviewable_assessments_query(people[who]))

    assert {a.title for a in listed} == {
        assessments[name].title for name in EXPECTED[who] if name.endswith("_test")
    }


@pytest.mark.parametrize("who", ("admin", "owner", "other_trainer"))
def test_the_quiz_list_shows_the_quizzes_the_trainer_looks_after(login, world, who):
    people, assessments = world

    page = login(people[who]).get("/manage/quizzes").get_data(as_text=True)

    shown = {name for name, a in assessments.items() if a.title in page}
    assert shown == {name for name in EXPECTED[who] if name.endswith("_quiz")}


def test_a_trainer_reviews_the_attempts_of_quizzes_they_look_after_only(login, world):
    people, assessments = world
    client = login(people["other_trainer"])

    def status(name):
        quiz_id = assessments[name].id
        return client.get(f"/manage/quizzes/{quiz_id}/attempts").status_code

    assert status("others_quiz") == 200
    assert status("file_quiz") == 200
    assert status("owned_quiz") == 403
