"""Builders for test data. Each adds to the session and flushes (ids exist) but never
commits; tests commit when the code under test needs committed rows."""

from __future__ import annotations

import itertools
from datetime import date

from lms.auth.passwords import hash_password
from lms.courses.models import ORIGIN_UI, Course, Enrolment, Module, ModuleProgress
from lms.extensions import db
from lms.markdown import render_markdown
from lms.users.models import Role, Team, User

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def user(
    role: Role | str = Role.LEARNER,
    *,
    team: Team | None = None,
    name: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    active: bool = True,
) -> User:
    n = next(_seq)
    u = User(
        email=email or f"{Role(role).value}{n}@example.test",
        name=name or f"{Role(role).label} Person {n}",
        role=Role(role),
        team_id=team.id if team else None,
        password_hash=hash_password(password),
        is_active_account=active,
    )
    db.session.add(u)
    db.session.flush()
    return u


def team(name: str | None = None, *, manager: User | None = None) -> Team:
    t = Team(
        name=name or f"Team {next(_seq)}", manager_id=manager.id if manager else None
    )
    db.session.add(t)
    db.session.flush()
    return t


def course(
    *,
    title: str | None = None,
    slug: str | None = None,
    modules: int = 3,
    published: bool = True,
    owner: User | None = None,
    origin: str = ORIGIN_UI,
    skills: list[str] | None = None,
) -> Course:
    n = next(_seq)
    c = Course(
        slug=slug or f"course-{n}",
        title=title or f"Course {n}",
        summary="A course.",
        is_published=published,
        owner_id=owner.id if owner else None,
        origin=origin,
        skills=skills or [],
    )
    db.session.add(c)
    db.session.flush()
    for i in range(modules):
        module(c, title=f"Module {i + 1}", position=i + 1)
    return c


def module(
    course: Course,
    *,
    title: str = "A module",
    position: int = 1,
    body_md: str = "Some **text**.",
) -> Module:
    m = Module(
        course_id=course.id,
        slug=f"m-{next(_seq)}",
        position=position,
        title=title,
        body_md=body_md,
        body_html=render_markdown(body_md),
    )
    db.session.add(m)
    db.session.flush()
    return m


def enrolment(
    u: User, c: Course, *, due_on: date | None = None, source: str = "assigned"
) -> Enrolment:
    e = Enrolment(user_id=u.id, course_id=c.id, due_on=due_on, source=source)
    db.session.add(e)
    db.session.flush()
    return e


def completed(u: User, m: Module, when=None) -> ModuleProgress:
    from lms import clock

    p = ModuleProgress(user_id=u.id, module_id=m.id, completed_at=when or clock.now())
    db.session.add(p)
    db.session.flush()
    return p

# --- assessments (quizzes and keying tests) -----------------------------------


def question(qtype: str = "single", *, qid: str | None = None, **fields) -> dict:
    """One question dict of docs/content-format.md with a working answer key."""
    n = next(_seq)
    q = {"id": qid or f"q{n}", "type": qtype, "prompt": f"Question {n}?"}
    if qtype in ("single", "multiple"):
        q["choices"] = [
            {"text": f"Right {n}", "correct": True, "feedback": f"Yes {n}."},
            {"text": f"Wrong {n}", "correct": False, "feedback": f"No {n}."},
            {"text": f"Also {n}", "correct": qtype == "multiple", "feedback": ""},
        ]
    elif qtype == "truefalse":
        q["answer"] = True
    elif qtype == "short":
        q["answers"] = [f"answer {n}"]
    elif qtype == "numeric":
        q["answer"] = 1250.5
        q["tolerance"] = 0.01
    elif qtype == "ordering":
        q["items"] = [f"first {n}", f"second {n}", f"third {n}"]
    q.update(fields)
    return q


def assessment(
    kind: str = "quiz",
    *,
    slug: str | None = None,
    title: str | None = None,
    content: dict | None = None,
    settings: dict | None = None,
    time_limit_seconds: int | None = 600,
    attempts_allowed: int = 0,
    on_expiry: str = "autosubmit",
    open_at=None,
    close_at=None,
    published: bool = True,
    owner: User | None = None,
    origin: str = ORIGIN_UI,
    course: Course | None = None,
):
    from lms.attempts.models import Assessment

    n = next(_seq)
    a = Assessment(
        slug=slug or f"assessment-{n}",
        kind=kind,
        title=title or f"Assessment {n}",
        description_md="Read each question carefully.",
        description_html="<p>Read each question carefully.</p>",
        content=content if content is not None else {},
        settings=settings if settings is not None else {},
        time_limit_seconds=time_limit_seconds,
        attempts_allowed=attempts_allowed,
        on_expiry=on_expiry,
        open_at=open_at,
        close_at=close_at,
        is_published=published,
        owner_id=owner.id if owner else None,
        origin=origin,
        course_id=course.id if course else None,
    )
    db.session.add(a)
    db.session.flush()
    return a


def quiz(questions: list[dict] | int = 4, *, settings: dict | None = None, **overrides):
    """A published quiz; `questions` is a list of question dicts or how many to make."""
    if isinstance(questions, int):
        types = ("single", "multiple", "truefalse", "short", "numeric", "ordering")
        questions = [question(types[i % len(types)]) for i in range(questions)]
    base = {"pass_percent": 50, "questions_per_page": 5, "shuffle_choices": True}
    return assessment(
        "quiz",
        content={"questions": questions},
        settings=base | (settings or {}),
        **overrides,
    )

