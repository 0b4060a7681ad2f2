"""The audit log: role changes, deactivations and reactivations are recorded with
before and after; admins read every event on /admin/audit, filter it, page it
and download it as CSV; nobody else may."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lms.attempts.models import Attempt
from lms.audit import services as audit
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.users import services as users
from lms.users.models import Role, User
from tests import factories
from tests.mentorship import builders

# 20:00 UTC on 1 Mar is 01:30 on 2 Mar in Asia/Kolkata, the default zone.
LATE = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


def _events(**where) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(query))


# --- what is recorded -------------------------------------------------------------


def test_a_role_change_is_audited_with_before_and_after(app_ctx):
    admin = factories.user(Role.ADMIN)
    person = factories.user(name="Asha Rao")
    users.update_user(
        person, email=person.email, name=person.name, role="manager",
        team=None, job_title=None, by=admin,
    )  # fmt: skip
    users.set_role(person, "trainer")  # the command line: no actor

    first, second = _events(action="user.role_change")
    assert (first.actor_id, first.target_type, first.target_id) == (
        admin.id, "user", person.id,
    )  # fmt: skip
    assert first.details == {
        "before": {"role": "learner"},
        "after": {"role": "manager"},
    }
    assert second.actor_id is None
    assert second.details["after"] == {"role": "trainer"}


def test_saving_without_changing_the_role_records_nothing(app_ctx):
    admin = factories.user(Role.ADMIN)
    person = factories.user()
    users.update_user(
        person, email=person.email, name="New Name", role="learner",
        team=None, job_title="Clerk", by=admin,
    )  # fmt: skip
    users.set_role(person, "learner")
    assert _events() == []


def test_deactivation_and_reactivation_are_audited(app_ctx):
    admin = factories.user(Role.ADMIN)
    person = factories.user()
    users.deactivate(person, by=admin)
    users.deactivate(person, by=admin)  # already deactivated: nothing new
    users.reactivate(person, by=admin)

    off, on = _events(target_id=person.id)
    assert off.action == "user.deactivate" and off.actor_id == admin.id
    assert off.details == {"before": {"active": True}, "after": {"active": False}}
    assert on.action == "user.reactivate"
    assert on.details == {"before": {"active": False}, "after": {"active": True}}


def test_the_admin_pages_record_who_deactivated_and_reactivated(app, login):
    with app.app_context():
        admin = factories.user(Role.ADMIN)
        person = factories.user()
        db.session.commit()
        client = login(admin)
        person_id, admin_id = person.id, admin.id
    client.post(f"/admin/users/{person_id}/deactivate")
    client.post(f"/admin/users/{person_id}/reactivate")
    with app.app_context():
        events = _events(target_id=person_id)
        assert [e.action for e in events] == ["user.deactivate", "user.reactivate"]
        assert {e.actor_id for e in events} == {admin_id}


# --- the page ---------------------------------------------------------------------


def build_world(app):
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        manager = factories.user(Role.MANAGER, name="Maya Manager")
        trainer = factories.user(Role.TRAINER, name="=Tara Trainer")
        asha = factories.user(name="Asha Rao")
        bilal = factories.user(name="Bilal Khan")
        quiz = factories.assessment("quiz", title="GST basics")
        attempt = Attempt(
            assessment_id=quiz.id, user_id=asha.id, kind="quiz", seed=1, snapshot={},
            started_at=LATE, state="submitted", number=2,
        )  # fmt: skip
        db.session.add(attempt)
        db.session.flush()
        pairing = builders.pairing(manager, bilal)

        def at(event, when):
            event.created_at = when
            return event

        at(audit.record(admin, "user.role_change", "user", bilal.id,
                        {"before": {"role": "learner"}, "after": {"role": "manager"}}),
           datetime(2026, 2, 10, 9, 0, tzinfo=UTC))  # fmt: skip
        at(audit.record(trainer, "attempt.regrade", "attempt", attempt.id,
                        {"item_id": "q1", "comment": "Accepted a synonym",
                         "before": {"score": 3, "percent": 60.0},
                         "after": {"score": 4, "percent": 80.0}}), LATE)  # fmt: skip
        at(audit.record(manager, "mentorship.pairing_created", "mentor_pairing",
                        pairing.id, {"mentor_id": manager.id, "mentee_id": bilal.id}),
           datetime(2026, 3, 2, 9, 0, tzinfo=UTC))  # fmt: skip
        at(audit.record(None, "skills.settings.update", "skill_framework", 1,
                        {"before": {"method": "latest"},
                         "after": {"method": "highest_recent"}}),
           datetime(2026, 3, 2, 10, 0, tzinfo=UTC))  # fmt: skip
        db.session.commit()
        return {
            "ids": {
                "admin": admin.id,
                "manager": manager.id,
                "trainer": trainer.id,
                "learner": asha.id,
            },  # fmt: skip
        }


@pytest.fixture
def world(app, build_once):
    return build_once(build_world, app)


@pytest.fixture
def as_role(app, login, client, world):
    def _as(role):
        if role == "anon":
            return client
        with app.app_context():
            return login(db.session.get(User, world["ids"][role]))

    return _as


ROLES = ("anon", "learner", "trainer", "manager", "admin")
ROUTES = ["/admin/audit", "/admin/audit?page=2&action=skill.rate",
          "/admin/audit/export.csv", "/admin/audit/export.csv?person=asha"]  # fmt: skip


@pytest.mark.parametrize("url", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_only_admins_open_the_audit_log(as_role, url, role):
    expected = {"anon": 302, "admin": 200}.get(role, 403)
    assert as_role(role).get(url).status_code == expected


def test_every_event_shows_who_what_when_about_whom_and_the_change(as_role):
    html = as_role("admin").get("/admin/audit").get_data(as_text=True)
    assert "4 events" in html
    assert "Role changed" in html and "Answer graded by hand" in html
    assert "Mentor paired" in html and "Level method changed" in html
    assert "Asha Rao: GST basics, attempt 2" in html
    assert "Bilal Khan, mentored by Maya Manager" in html
    assert "02 Mar 2026, 01:30 IST" in html  # the regrade, in the admin's zone
    assert "System" in html
    # before → after, readably
    assert "Role</dt>" in html and "learner" in html and "manager" in html
    assert "Percent</dt>" in html and "60.0" in html and "80.0" in html
    assert "Comment: Accepted a synonym" in html


@pytest.mark.parametrize(
    "query,expected",
    [
        ("action=attempt.regrade", ["Answer graded by hand"]),
        ("actor=maya", ["Mentor paired"]),
        ("actor=example.test&action=user.role_change", ["Role changed"]),
        ("person=asha", ["Answer graded by hand"]),  # an attempt of hers
        ("person=bilal", ["Mentor paired", "Role changed"]),  # account and pairing
        ("since=2026-03-02&until=2026-03-02", ["Level method changed", "Mentor paired",
                                               "Answer graded by hand"]),
        ("until=2026-03-01", ["Role changed"]),
    ],
)  # fmt: skip
def test_filters_narrow_the_log(as_role, query, expected):
    html = as_role("admin").get(f"/admin/audit?{query}").get_data(as_text=True)
    shown = [
        label
        for label in ("Level method changed", "Mentor paired", "Answer graded by hand",
                      "Role changed")
        if f"<td>{label}<" in html
    ]  # fmt: skip
    assert shown == expected


def test_a_bad_date_is_shown_as_a_problem_and_the_rest_still_filters(as_role):
    answer = as_role("admin").get("/admin/audit?since=yesterday&action=attempt.regrade")
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "Not a valid date value" in html
    assert "1 event" in html


def test_the_download_is_the_filtered_log_with_neutralised_text(as_role):
    answer = as_role("admin").get("/admin/audit/export.csv?person=asha")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["When (Asia/Kolkata)", "Who", "Action", "Target"]
    assert len(rows) == 2
    when, who, action, target, before, after, _ = rows[1]
    assert when == "2026-03-02 01:30"
    assert who == "'=Tara Trainer"
    assert (action, target) == (
        "Answer graded by hand",
        "Asha Rao: GST basics, attempt 2",
    )
    assert before == "Score: 3; Percent: 60.0"
    assert after.startswith("Score: 4; Percent: 80.0; Item id: q1")


def test_the_page_costs_the_same_statements_for_more_events(
    app, world, as_role, count_queries
):
    def statements():
        client = as_role("admin")
        with count_queries() as counter:
            assert client.get("/admin/audit").status_code == 200
        return counter.count

    before = statements()
    with app.app_context():
        admin = db.session.get(User, world["ids"]["admin"])
        attempt_id = db.session.scalar(sa.select(Attempt.id))
        for n in range(20):
            person = factories.user(name=f"Extra {n}")
            actor = factories.user(Role.TRAINER)
            audit.record(admin, "user.deactivate", "user", person.id, {})
            audit.record(actor, "attempt.regrade", "attempt", attempt_id, {})
        db.session.commit()
    # One statement per kind of target on the page at most: the page now holds
    # only accounts and attempts, the first one also a pairing and a framework.
    assert statements() <= before


def test_whole_days_are_the_admins_own(as_role, app, world):
    with app.app_context():
        db.session.get(User, world["ids"]["admin"]).time_zone = "UTC"
        db.session.commit()
    html = as_role("admin").get("/admin/audit?until=2026-03-01").get_data(as_text=True)
    assert "Answer graded by hand" in html  # 20:00 UTC on 1 Mar
