"""Builders for test data. Each adds to the session and flushes (ids exist) but never
commits; tests commit when the code under test needs committed rows."""

from __future__ import annotations

import itertools
from datetime import date

from lms.auth.passwords import hash_password
from lms.courses.models import Course, Enrolment, Module, ModuleProgress
from lms.extensions import db
from lms.markdown import render_markdown
from lms.origins import ORIGIN_UI
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


# --- question bank, bank-built quizzes and finished quiz attempts ----------------


def bank_question(
    qtype: str = "single",
    *,
    owner: User | None = None,
    category: str = "",
    tags: list[str] | tuple[str, ...] = (),
    archived: bool = False,
    points: float = 1,
    **fields,
):
    """A question in the bank (lms.quizzes.models.Question), valid for its type."""
    from lms.quizzes.models import Question

    content = question(qtype, **fields)
    content.pop("id")
    content.update(category=category, tags=list(tags), points=points)
    q = Question(owner_id=owner.id if owner else None, is_archived=archived)
    q.set_content(content)
    db.session.add(q)
    db.session.flush()
    return q


def bank_quiz(
    owner: User | None,
    slots: list[dict] | None = None,
    *,
    published: bool = False,
    settings: dict | None = None,
    **overrides,
):
    """A quiz built in the browser: bank slots, owned by `owner`."""
    from lms.quizzes.builder import QUIZ_SETTING_DEFAULTS

    return assessment(
        "quiz",
        content={"questions": [], "slots": slots or []},
        settings=QUIZ_SETTING_DEFAULTS | (settings or {}),
        owner=owner,
        published=published,
        **overrides,
    )


def quiz_response(q: dict, right: bool):
    """A response to a normalised question dict that is right or wrong."""
    qtype = q["type"]
    if qtype in ("single", "multiple"):
        good = [c["id"] for c in q["choices"] if c["correct"]]
        bad = [c["id"] for c in q["choices"] if not c["correct"]]
        if qtype == "single":
            return good[0] if right else bad[0]
        return good if right else bad[:1]
    if qtype == "truefalse":
        return q["answer"] if right else not q["answer"]
    if qtype == "short":
        return q["answers"][0] if right else "not this"
    if qtype == "numeric":
        return str(q["answer"] if right else q["answer"] + 1000)
    if qtype == "ordering":
        ids = [i["id"] for i in q["items"]]
        return ids if right else list(reversed(ids))
    raise ValueError(qtype)


def quiz_attempt(
    learner: User,
    quiz,
    answers: dict | None = None,
    *,
    number: int = 1,
    state: str = "submitted",
    seed: int = 1,
    started_at=None,
    duration_seconds: int = 300,
):
    """A finished (or live) attempt scored by the engine's quiz kind.

    `answers` maps a question id to True (answer right), False (wrong), None
    (no answer) or a raw response; questions not named are answered right.
    """
    import random
    from datetime import timedelta

    from lms import clock
    from lms.attempts.models import Attempt, Response
    from lms.quizzes import kind as quiz_kind

    answers = answers or {}
    snapshot = quiz_kind.build_snapshot(quiz, random.Random(seed))
    responses = {}
    for q in snapshot["questions"]:
        given = answers.get(q["id"], True)
        if given is None:
            continue
        responses[q["id"]] = (
            quiz_response(q, given) if isinstance(given, bool) else given
        )
    started = started_at or clock.now() - timedelta(seconds=duration_seconds)
    a = Attempt(
        assessment_id=quiz.id,
        user_id=learner.id,
        kind="quiz",
        number=number,
        state=state,
        seed=seed,
        snapshot=snapshot,
        started_at=started,
        deadline_at=started + timedelta(seconds=quiz.time_limit_seconds or 3600),
    )
    if state == "submitted":
        result = quiz_kind.score(snapshot, responses, [], duration_seconds)
        a.submitted_at = started + timedelta(seconds=duration_seconds)
        a.finalized_by = "learner"
        a.result = result
        a.score, a.max_score = result["score"], result["max_score"]
        a.percent, a.passed = result["percent"], result["passed"]
    db.session.add(a)
    db.session.flush()
    for seq, (item_id, value) in enumerate(responses.items(), start=1):
        db.session.add(Response(attempt_id=a.id, item_id=item_id, value=value, seq=seq))
    db.session.flush()
    return a


# --- keying tests ----------------------------------------------------------------

_BUNDLED_KEYING: dict = {}

# A small record-entry test whose records are known exactly (every record is drawn).
RECORD_FIELDS = [
    {
        "name": "account_no",
        "label": "Account number",
        "profile": "identifier",
        "critical": True,
    },
    {"name": "name", "label": "Name", "profile": "normalized", "critical": False},
    {"name": "amount", "label": "Amount", "profile": "amount", "critical": True},
    {
        "name": "date",
        "label": "Date",
        "profile": "date",
        "critical": False,
        "format": "%d/%m/%Y",
    },
]
RECORDS = [
    {
        "id": "r001",
        "values": {
            "account_no": "4820193",
            "name": "Meera Pillai",
            "amount": "1,250.00",
            "date": "07/03/2026",
        },
    },
    {
        "id": "r002",
        "values": {
            "account_no": "5512078",
            "name": "Arjun Rao",
            "amount": "-412.50",
            "date": "18/11/2025",
        },
    },
]


def bundled_keying_spec(slug: str):
    """The loader's spec of one bundled keying test in quizzes/ (read once per run)."""
    if not _BUNDLED_KEYING:
        from lms.config import PROJECT_ROOT
        from lms.content.loader import load_assessments

        specs, _errors = load_assessments(PROJECT_ROOT / "quizzes")
        _BUNDLED_KEYING.update({s.slug: s for s in specs if s.kind != "quiz"})
    return _BUNDLED_KEYING[slug]


def bundled_keying_test(
    slug: str = "customer-record-entry", *, settings=None, **overrides
):
    """A keying test loaded from the bundled files, as the importer would store it."""
    import copy

    from lms.origins import ORIGIN_FILE

    spec = bundled_keying_spec(slug)
    fields = {
        "slug": spec.slug,
        "title": spec.title,
        "time_limit_seconds": spec.time_limit_seconds,
        "origin": ORIGIN_FILE,
    } | overrides
    return assessment(
        spec.kind,
        content=copy.deepcopy(spec.content),
        settings=copy.deepcopy(spec.settings) | (settings or {}),
        **fields,
    )


def record_entry_test(*, records=None, fields=None, settings=None, **overrides):
    """A record-entry test with known records; each attempt gets all of them, in a
    seeded order."""
    import copy

    records = copy.deepcopy(records or RECORDS)
    base = {"records_per_attempt": len(records), "correction_policy": "allowed"}
    return assessment(
        "record_entry",
        content={"fields": copy.deepcopy(fields or RECORD_FIELDS), "records": records},
        settings=base | (settings or {}),
        **overrides,
    )


def typing_events(
    item: str,
    field: str,
    text: str,
    *,
    start_ms: float = 1000,
    step_ms: float = 180,
    numpad: bool = False,
    pos: int = 0,
) -> list[dict]:
    """The key and input events of typing `text` into one box, a key every step_ms."""
    events = [{"t": start_ms, "item": item, "field": field, "type": "focus"}]
    t = start_ms
    for offset, char in enumerate(text):
        t += step_ms
        if char.isdigit():
            code = f"Numpad{char}" if numpad else f"Digit{char}"
        elif char == ".":
            code = "NumpadDecimal" if numpad else "Period"
        else:
            code = f"Key{char.upper()}" if char.isalpha() else ""
        events.append(
            {
                "t": t,
                "item": item,
                "field": field,
                "type": "key",
                "key": char,
                "code": code,
            }
        )
        events.append(
            {
                "t": t + 5,
                "item": item,
                "field": field,
                "type": "input",
                "op": "insert",
                "pos": pos + offset,
                "data": char,
            }
        )
    events.append({"t": t + step_ms, "item": item, "field": field, "type": "blur"})
    return events
