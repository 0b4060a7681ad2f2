"""The academy the route matrix walks: one person per role, each with things of
their own, and a second of everything that belongs to somebody else.

Team "Claims" is managed by `manager` and holds `learner` and `mentor` (a
learner who mentors `learner`). `trainer` owns a published course, quiz and
keying test. The foreign side mirrors it: `manager2` manages "Payables",
which holds `learner2` and `mentor2` (who mentors `learner2`); `trainer2` owns
a draft course, quiz and keying test. Every foreign thing has SECRET in its
name, so a refusal that shows one is easy to catch.

Every signed-in role has its own live and finished quiz attempt, live keying
attempt, notification and API token, so "your own" exists for every role.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from lms.attempts.services import start_attempt
from lms.auth import tokens
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.mentorship.models import MentorProfile
from lms.notifications.services import notify
from lms.skills.models import SkillMapping
from lms.users.models import Role
from tests import factories
from tests.conftest import session_of
from tests.mentorship import builders as mentoring
from tests.reports import builders as reports

SECRET = "Zanzibar"
ROLES = ("anonymous", "learner", "trainer", "manager", "mentor", "admin")
SIGNED_IN = ROLES[1:]
WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def build(app) -> dict:
    """Write the academy and return its ids and the signed-in sessions."""
    with app.app_context():
        people = _people()
        ids = {name: person.id for name, person in people.items()}
        ids |= _teams_of(people)
        ids |= _content(people)
        ids |= _attempts(people, ids)
        ids |= _skills(people, ids)
        ids |= _mentoring_and_feedback(people, ids)
        ids |= _per_role(people, ids)
        db.session.commit()
        sessions = {role: session_of(people[role]) for role in SIGNED_IN}
    return {"ids": ids, "sessions": sessions | {"anonymous": None}}


def _people() -> dict:
    admin = factories.user(Role.ADMIN, name="Ada Admin")
    manager = factories.user(Role.MANAGER, name="Maya Manager")
    manager2 = factories.user(Role.MANAGER, name=f"Omar {SECRET}manager")
    claims = factories.team("Claims", manager=manager)
    payables = factories.team(f"{SECRET} Payables", manager=manager2)
    return {
        "admin": admin,
        "trainer": factories.user(Role.TRAINER, name="Tara Trainer"),
        "trainer2": factories.user(Role.TRAINER, name=f"Theo {SECRET}trainer"),
        "manager": manager,
        "manager2": manager2,
        "learner": factories.user(name="Lena Learner", team=claims),
        "mentor": factories.user(name="Esha Mentor", team=claims),
        "learner2": factories.user(name=f"Otto {SECRET}learner", team=payables),
        "mentor2": factories.user(name=f"Mia {SECRET}mentor", team=payables),
        "_claims": claims,
        "_payables": payables,
    }


def _teams_of(people: dict) -> dict:
    claims, payables = people.pop("_claims"), people.pop("_payables")
    return {"team": claims.id, "team2": payables.id}


def _content(people: dict) -> dict:
    trainer, trainer2 = people["trainer"], people["trainer2"]
    course = factories.course(title="Ledger basics", slug="ledger", owner=trainer)
    course2 = factories.course(
        title=f"{SECRET} draft course", slug="secret-course", owner=trainer2
    )
    course2.is_published = False
    quiz = factories.quiz(3, title="Invoice quiz", slug="invoice-quiz", owner=trainer)
    quiz2 = factories.quiz(
        3, title=f"{SECRET} quiz", slug="secret-quiz", owner=trainer2
    )
    test = factories.record_entry_test(
        title="Invoice keying", slug="invoice-keying", owner=trainer
    )
    test2 = factories.record_entry_test(
        title=f"{SECRET} keying", slug="secret-keying", owner=trainer2
    )
    question = factories.bank_question(owner=trainer, prompt="Own question?")
    question2 = factories.bank_question(owner=trainer2, prompt=f"{SECRET} question?")
    return {
        "course": course.slug,
        "course2": course2.slug,
        "module": _first_module(course),
        "module2": _first_module(course2),
        "quiz": quiz.id,
        "quiz_slug": quiz.slug,
        "quiz2": quiz2.id,
        "quiz2_slug": quiz2.slug,
        "test": test.id,
        "test_slug": test.slug,
        "test2": test2.id,
        "test2_slug": test2.slug,
        "question": question.id,
        "question2": question2.id,
        "_quiz": quiz,
        "_quiz2": quiz2,
        "_test": test,
        "_test2": test2,
    }


def _first_module(course) -> int:
    from lms.courses.models import Module

    return db.session.scalar(
        db.select(Module.id).where(Module.course_id == course.id).order_by(Module.id)
    )


def _attempts(people: dict, ids: dict) -> dict:
    """The foreign learner's attempts, made while the foreign tests were still
    published; the drafts are unpublished afterwards."""
    quiz2, test2 = ids.pop("_quiz2"), ids.pop("_test2")
    learner2 = people["learner2"]
    done2 = factories.quiz_attempt(learner2, quiz2, number=1)
    live2 = start_attempt(learner2, quiz2).attempt
    keyed2 = reports.keying_attempt(learner2, test2, WHEN)
    keying_live2 = start_attempt(learner2, test2).attempt
    quiz2.is_published = test2.is_published = False
    return {
        "attempt2": done2.id,
        "live2": live2.id,
        "keyed2": keyed2.id,
        "keying_live2": keying_live2.id,
    }


def _skills(people: dict, ids: dict) -> dict:
    category = mentoring.category("Accuracy skills")
    skill = mentoring.skill("Ten-key entry", cat=category)
    career_role = mentoring.role({skill: 3}, "Senior processor")
    own = SkillMapping(
        skill_id=skill.id,
        assessment_id=ids["quiz"],
        rule={"type": "percent", "levels": [[80, 2]]},
    )
    foreign = SkillMapping(
        skill_id=skill.id,
        assessment_id=ids["quiz2"],
        rule={"type": "percent", "levels": [[80, 2]]},
    )
    db.session.add_all([own, foreign])
    db.session.flush()
    mentoring.level(people["learner"], skill, 1)
    mentoring.level(people["mentor"], skill, 4)
    mentoring.goal(people["learner"], career_role)
    return {
        "category": category.id,
        "skill": skill.id,
        "skill_slug": skill.slug,
        "path": career_role.path_id,
        "career_role": career_role.id,
        "mapping": own.id,
        "mapping2": foreign.id,
    }


def _mentoring_and_feedback(people: dict, ids: dict) -> dict:
    learner, mentor = people["learner"], people["mentor"]
    learner2, mentor2 = people["learner2"], people["mentor2"]
    db.session.add(MentorProfile(user_id=mentor.id, capacity=3, available=True))
    pairing = mentoring.pairing(mentor, learner, by=people["manager"])
    session = mentoring.session(pairing, held_on=date(2026, 2, 23))
    item = mentoring.item(session, learner, "Practise lookups")
    pairing2 = mentoring.pairing(mentor2, learner2, by=people["manager2"])
    session2 = mentoring.session(pairing2, notes=f"{SECRET} notes")
    item2 = mentoring.item(session2, learner2, f"{SECRET} item")
    feedback = _feedback(people["manager"], learner, "Careful with amounts.")
    feedback2 = _feedback(people["manager2"], learner2, f"{SECRET} feedback.")
    return {
        "pairing": pairing.id,
        "session": session.id,
        "item": item.id,
        "pairing2": pairing2.id,
        "session2": session2.id,
        "item2": item2.id,
        "feedback": feedback.id,
        "feedback2": feedback2.id,
    }


def _feedback(author, subject, text: str) -> Feedback:
    row = Feedback(
        author_id=author.id, subject_id=subject.id, strength=text, improve=text
    )
    db.session.add(row)
    db.session.flush()
    return row


def _per_role(people: dict, ids: dict) -> dict:
    """Each role's own attempts, notification and token, as `<thing>:<role>`."""
    quiz, test = ids.pop("_quiz"), ids.pop("_test")
    found: dict = {}
    for name in ("learner2", *SIGNED_IN):
        person = people[name]
        if name != "learner2":
            done = factories.quiz_attempt(person, quiz, number=1)
            found[f"attempt:{name}"] = done.id
            found[f"live:{name}"] = start_attempt(person, quiz).attempt.id
            found[f"keyed:{name}"] = reports.keying_attempt(person, test, WHEN).id
            keying = start_attempt(person, test).attempt
            found[f"keying_live:{name}"] = keying.id
        notify(person.id, "feedback", f"A note for {person.name}", "/")
        found[f"token:{name}"] = tokens.create_token(person, "script")[0].id
    return found | _notification_ids(people)


def _notification_ids(people: dict) -> dict:
    from lms.notifications.models import Notification

    rows = db.session.execute(db.select(Notification.user_id, Notification.id)).all()
    by_user = dict(rows)
    return {
        f"notification:{name}": by_user[people[name].id]
        for name in ("learner2", *SIGNED_IN)
    }
