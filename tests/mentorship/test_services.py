"""Mentorship services on a frozen clock (2 March 2026): pairings, sessions,
acknowledgements, action items and mentor profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.errors import ConflictError, PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.mentorship import queries, services
from lms.mentorship.models import ACTIVE, ENDED, ActionItem, MentorProfile
from lms.mentorship.services import ItemInput
from lms.users.models import Role, User
from tests import factories
from tests.mentorship import builders

TODAY = date(2026, 3, 2)


@dataclass
class World:
    admin: User
    manager: User
    other_manager: User
    mentee: User
    mentor: User
    skill_ids: list[int]


@pytest.fixture
def w(app_ctx, clock):
    admin = factories.user(Role.ADMIN)
    manager = factories.user(Role.MANAGER, name="Mala Manager")
    other_manager = factories.user(Role.MANAGER)
    team = factories.team(manager=manager)
    factories.team(manager=other_manager)
    mentee = factories.user(name="Nina Newhire", team=team)
    mentor = factories.user(name="Esha Expert")  # a learner may mentor
    skills = [builders.skill(), builders.skill()]
    db.session.commit()
    return World(
        admin,
        manager,
        other_manager,
        queries.get_person(mentee.id),
        mentor,
        [s.id for s in skills],
    )


def _pair(w, **kw):
    return services.create_pairing(
        kw.pop("by", w.manager),
        mentor=kw.pop("mentor", w.mentor),
        mentee=kw.pop("mentee", w.mentee),
        **kw,
    )


# --- pairings --------------------------------------------------------------------


def test_a_manager_pairs_a_learner_mentor_with_their_team_member(w):
    pairing = _pair(w, focus_skill_ids=w.skill_ids, ends_on=date(2026, 6, 30))

    assert pairing.status == ACTIVE
    assert pairing.starts_on == TODAY
    assert pairing.focus_skill_ids == w.skill_ids
    assert pairing.created_by_id == w.manager.id
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.target_id, event.actor_id) == (
        "mentorship.pairing_created",
        pairing.id,
        w.manager.id,
    )
    assert event.details["mentor_id"] == w.mentor.id


def test_an_admin_pairs_anyone(w):
    assert _pair(w, by=w.admin).id


def test_a_manager_of_another_team_cannot_pair(w):
    with pytest.raises(PermissionDeniedError):
        _pair(w, by=w.other_manager)
    with pytest.raises(PermissionDeniedError):
        _pair(w, by=w.mentor)


def test_nobody_mentors_themselves(w):
    with pytest.raises(ValidationError, match="cannot mentor themselves"):
        _pair(w, mentor=w.mentee)


def test_a_second_active_pairing_of_the_same_people_is_refused(w):
    _pair(w)
    with pytest.raises(ConflictError, match="already mentors Nina Newhire"):
        _pair(w)


def test_a_mentor_at_capacity_is_refused_with_the_reason(w):
    builders.profile(w.mentor, capacity=1)
    builders.pairing(w.mentor, factories.user())
    with pytest.raises(
        ConflictError, match="already mentors 1 person, their limit of 1"
    ):
        _pair(w)


def test_default_capacity_applies_without_a_profile(w):
    for _ in range(3):
        builders.pairing(w.mentor, factories.user())
    with pytest.raises(ConflictError, match="their limit of 3"):
        _pair(w)


def test_a_mentor_who_is_not_available_is_refused(w):
    builders.profile(w.mentor, available=False)
    with pytest.raises(ConflictError, match="not taking mentees"):
        _pair(w)


def test_a_deactivated_mentor_is_refused(w):
    w.mentor.is_active_account = False
    with pytest.raises(ValidationError, match="deactivated"):
        _pair(w)


def test_dates_and_focus_are_checked(w):
    with pytest.raises(ValidationError, match="end date"):
        _pair(w, starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 9))
    with pytest.raises(ValidationError, match="focus skills"):
        _pair(w, focus_skill_ids=[999_999])


def test_ending_a_pairing_frees_the_pair_for_a_new_one(w, clock):
    pairing = _pair(w, ends_on=date(2026, 12, 31))
    clock.advance(days=10)

    services.end_pairing(w.manager, queries.get_pairing(pairing.id))

    assert pairing.status == ENDED
    assert pairing.ends_on == date(2026, 3, 12)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions == ["mentorship.pairing_created", "mentorship.pairing_ended"]
    with pytest.raises(ConflictError, match="already ended"):
        services.end_pairing(w.manager, pairing)
    assert _pair(w).id != pairing.id


def test_only_the_manager_or_an_admin_ends_a_pairing(w):
    pairing = _pair(w)
    for who in (w.mentor, w.mentee, w.other_manager):
        with pytest.raises(PermissionDeniedError):
            services.end_pairing(who, pairing)
    services.end_pairing(w.admin, pairing)


# --- sessions and items ---------------------------------------------------------------


@pytest.fixture
def pairing(w):
    return _pair(w, starts_on=date(2026, 2, 1))


def test_the_mentor_logs_a_session_with_items_for_both(w, pairing):
    session = services.log_session(
        w.mentor,
        pairing,
        held_on=TODAY,
        notes="  Went through VLOOKUP.  ",
        items=[
            ItemInput("Practise lookups", w.mentee.id, date(2026, 3, 9)),
            ItemInput("   ", w.mentee.id),  # an empty row of the form
            ItemInput("Send a sample sheet", w.mentor.id),
        ],
    )

    assert session.notes == "Went through VLOOKUP."
    assert session.acknowledged_at is None
    items = db.session.scalars(sa.select(ActionItem).order_by(ActionItem.id)).all()
    assert [(i.text, i.owner_id, i.due_on) for i in items] == [
        ("Practise lookups", w.mentee.id, date(2026, 3, 9)),
        ("Send a sample sheet", w.mentor.id, None),
    ]


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (date(2026, 3, 3), "future"),
        (date(2026, 1, 31), "cannot be before"),
        (None, "Give the date"),
    ],
)
def test_session_dates_are_checked(w, pairing, held_on, message):
    with pytest.raises(ValidationError, match=message):
        services.log_session(w.mentor, pairing, held_on=held_on, notes="Notes")


def test_a_session_needs_notes_and_items_owned_by_the_pair(w, pairing):
    with pytest.raises(ValidationError, match="notes"):
        services.log_session(w.mentor, pairing, held_on=TODAY, notes=" ")
    with pytest.raises(ValidationError, match="mentor or the mentee"):
        services.log_session(
            w.mentor,
            pairing,
            held_on=TODAY,
            notes="Notes",
            items=[ItemInput("Do it", w.manager.id)],
        )


def test_only_the_mentor_logs_sessions_and_not_after_the_end(w, pairing):
    for who in (w.mentee, w.manager, w.admin):
        with pytest.raises(PermissionDeniedError):
            services.log_session(who, pairing, held_on=TODAY, notes="Notes")
    services.end_pairing(w.manager, pairing)
    with pytest.raises(ConflictError, match="ended"):
        services.log_session(w.mentor, pairing, held_on=TODAY, notes="Notes")


def test_the_mentee_acknowledges_once(w, pairing, clock):
    session = services.log_session(w.mentor, pairing, held_on=TODAY, notes="Notes")
    session = queries.get_session(session.id)
    with pytest.raises(PermissionDeniedError):
        services.acknowledge_session(w.mentor, session)

    first = clock()
    services.acknowledge_session(w.mentee, session)
    clock.advance(hours=2)
    services.acknowledge_session(w.mentee, session)

    assert session.acknowledged_at == first


def test_owner_or_mentor_ticks_items_done_and_undone(w, pairing, clock):
    session = services.log_session(
        w.mentor,
        pairing,
        held_on=TODAY,
        notes="Notes",
        items=[ItemInput("Practise", w.mentee.id)],
    )
    item = queries.get_item(
        db.session.scalar(
            sa.select(ActionItem.id).where(ActionItem.session_id == session.id)
        )
    )
    with pytest.raises(PermissionDeniedError):
        services.set_item_done(w.manager, item, True)

    services.set_item_done(w.mentee, item, True)
    assert item.done_at == clock()
    services.set_item_done(w.mentor, item, False)
    assert item.done_at is None


# --- profiles ---------------------------------------------------------------------


def test_a_mentor_profile_is_created_then_updated(w):
    services.set_mentor_profile(w.mentor, capacity=5, available=True, note=" Excel ")
    services.set_mentor_profile(w.mentor, capacity=0, available=False)

    profile = db.session.get(MentorProfile, w.mentor.id)
    assert (profile.capacity, profile.available, profile.note) == (0, False, "")


@pytest.mark.parametrize("capacity", [-1, 11, None])
def test_capacity_stays_within_zero_to_ten(w, capacity):
    with pytest.raises(ValidationError, match="0 to 10"):
        services.set_mentor_profile(w.mentor, capacity=capacity, available=True)
