"""Mentorship checks per role and relationship: managing pairings, seeing a
pairing, logging sessions, acknowledging them and ticking action items."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.mentorship import policies
from lms.mentorship.models import ENDED, ActionItem, MentorPairing, MentorSession
from lms.users.models import Role, User
from tests import factories
from tests.mentorship import builders

ROLES = ("anon", "admin", "manager", "other_manager", "mentor", "mentee", "other")


def _build():
    admin = factories.user(Role.ADMIN)
    manager = factories.user(Role.MANAGER)
    other_manager = factories.user(Role.MANAGER)
    team = factories.team(manager=manager)
    factories.team(manager=other_manager)
    mentee = factories.user(team=team)
    mentor = factories.user(Role.TRAINER)
    other = factories.user(team=team)
    pairing = builders.pairing(mentor, mentee)
    ended = builders.pairing(other, mentee, status=ENDED)
    session = builders.session(pairing)
    mentee_item = builders.item(session, mentee)
    mentor_item = builders.item(session, mentor)
    db.session.commit()
    return {
        "users": {
            "admin": admin.id,
            "manager": manager.id,
            "other_manager": other_manager.id,
            "mentor": mentor.id,
            "mentee": mentee.id,
            "other": other.id,
        },
        "pairing": pairing.id,
        "ended": ended.id,
        "session": session.id,
        "mentee_item": mentee_item.id,
        "mentor_item": mentor_item.id,
    }


@pytest.fixture
def world(app, build_once):
    return build_once(_build)


def _user(world, name):
    if name == "anon":
        return AnonymousUserMixin()
    return db.session.get(User, world["users"][name])


def _pairing(pairing_id):
    return db.session.scalar(
        sa.select(MentorPairing)
        .options(joinedload(MentorPairing.mentee).joinedload(User.team))
        .where(MentorPairing.id == pairing_id)
    )


def _item(item_id):
    return db.session.scalar(
        sa.select(ActionItem)
        .options(joinedload(ActionItem.session).joinedload(MentorSession.pairing))
        .where(ActionItem.id == item_id)
    )


def _expect(allowed, role):
    return role in allowed


@pytest.mark.parametrize("role", ROLES)
def test_who_manages_the_mentees_pairings(app_ctx, world, role):
    mentee = _pairing(world["pairing"]).mentee
    assert policies.can_manage_pairings(_user(world, role), mentee) is _expect(
        {"admin", "manager"}, role
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_pairing(app_ctx, world, role):
    pairing = _pairing(world["pairing"])
    assert policies.can_view_pairing(_user(world, role), pairing) is _expect(
        {"admin", "manager", "mentor", "mentee"}, role
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_logs_sessions(app_ctx, world, role):
    user = _user(world, role)
    assert policies.can_log_session(user, _pairing(world["pairing"])) is (
        role == "mentor"
    )
    # The ended pairing's mentor ("other") logs nothing more.
    assert not policies.can_log_session(user, _pairing(world["ended"]))


@pytest.mark.parametrize("role", ROLES)
def test_who_acknowledges_a_session(app_ctx, world, role):
    session = db.session.scalar(
        sa.select(MentorSession)
        .options(joinedload(MentorSession.pairing))
        .where(MentorSession.id == world["session"])
    )
    assert policies.can_acknowledge(_user(world, role), session) is (role == "mentee")


@pytest.mark.parametrize("role", ROLES)
def test_who_ticks_an_item(app_ctx, world, role):
    user = _user(world, role)
    assert policies.can_tick(user, _item(world["mentee_item"])) is _expect(
        {"mentee", "mentor"}, role
    )
    assert policies.can_tick(user, _item(world["mentor_item"])) is (role == "mentor")


def test_is_mentor_of_needs_an_active_pairing(app_ctx, world):
    mentee = _user(world, "mentee")
    assert policies.is_mentor_of(_user(world, "mentor"), mentee)
    assert not policies.is_mentor_of(_user(world, "other"), mentee)  # ended
    assert not policies.is_mentor_of(mentee, mentee)
    assert not policies.is_mentor_of(AnonymousUserMixin(), mentee)


def test_mentees_of_lists_active_pairings_only(app_ctx, world):
    mentor_ids = set(db.session.scalars(policies.mentees_of(_user(world, "mentor"))))
    other_ids = set(db.session.scalars(policies.mentees_of(_user(world, "other"))))
    assert mentor_ids == {world["users"]["mentee"]}
    assert other_ids == set()
