"""Who may see and rate a person: every viewer against every person, and the SQL
face of the rule (people_visible_to) against the check (can_view_person)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.mentorship.models import ENDED
from lms.people import policies
from lms.users.models import Role, User
from tests import factories
from tests.mentorship import builders

VIEWERS = (
    "anon",
    "admin",
    "manager",
    "other_manager",
    "mentor",
    "ex_mentor",
    "trainer",
    "learner_a",
    "learner_b",
)
PEOPLE = ("learner_a", "learner_b", "mentor", "manager")

# Who sees each person besides admins and the person themselves.
LOOKS_AFTER = {
    "learner_a": {"manager"},  # their team's manager; the ended pairing gives nothing
    "learner_b": {"other_manager", "mentor"},
    "mentor": set(),
    "manager": set(),
}


def _build():
    admin = factories.user(Role.ADMIN, name="Ada Admin")
    manager = factories.user(Role.MANAGER, name="Mala Manager")
    other_manager = factories.user(Role.MANAGER, name="Omar Manager")
    team_a = factories.team("Team A", manager=manager)
    team_b = factories.team("Team B", manager=other_manager)
    learner_a = factories.user(name="Lata A", team=team_a)
    learner_b = factories.user(name="Lou B", team=team_b)
    mentor = factories.user(name="Meena Mentor")
    ex_mentor = factories.user(name="Eli Former")
    trainer = factories.user(Role.TRAINER, name="Tara Trainer", team=team_b)
    builders.pairing(mentor, learner_b)
    builders.pairing(ex_mentor, learner_a, status=ENDED)
    db.session.commit()
    return {
        "admin": admin.id,
        "manager": manager.id,
        "other_manager": other_manager.id,
        "mentor": mentor.id,
        "ex_mentor": ex_mentor.id,
        "trainer": trainer.id,
        "learner_a": learner_a.id,
        "learner_b": learner_b.id,
    }


@pytest.fixture
def ids(app, build_once):
    return build_once(_build)


def _user(ids, name):
    if name == "anon":
        return AnonymousUserMixin()
    return db.session.scalar(
        sa.select(User).options(joinedload(User.team)).where(User.id == ids[name])
    )


def _may_view(viewer: str, person: str) -> bool:
    return viewer in ("admin", person) or viewer in LOOKS_AFTER[person]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_view_a_person(app_ctx, ids, viewer, person):
    assert policies.can_view_person(_user(ids, viewer), _user(ids, person)) is (
        _may_view(viewer, person)
    )


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_rate_a_person(app_ctx, ids, viewer, person):
    expected = viewer != person and _may_view(viewer, person)
    assert policies.can_rate_person(_user(ids, viewer), _user(ids, person)) is expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_list_condition_agrees_with_the_check(app_ctx, ids, viewer):
    query = policies.only_visible_to(_user(ids, viewer), sa.select(User.id))
    listed = set(db.session.scalars(query))
    everyone = db.session.scalars(sa.select(User).options(joinedload(User.team))).all()
    me = _user(ids, viewer)
    allowed = {u.id for u in everyone if policies.can_view_person(me, u)}
    assert listed == allowed


def test_an_admin_cannot_rate_themselves(app_ctx, ids):
    admin = _user(ids, "admin")
    assert policies.can_view_person(admin, admin)
    assert not policies.can_rate_person(admin, admin)


def test_a_manager_of_another_team_who_mentors_the_person_may_see_them(app_ctx, ids):
    manager = _user(ids, "manager")
    learner_b = _user(ids, "learner_b")
    assert not policies.can_view_person(manager, learner_b)
    builders.pairing(manager, learner_b)
    assert policies.can_view_person(manager, learner_b)
    assert policies.can_rate_person(manager, learner_b)
