"""Mentorship reads: fixed query counts, suggested mentors from the database,
and what a mentor sees of each mentee."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.attempts.models import SUBMITTED, Attempt
from lms.extensions import db
from lms.mentorship import progress, queries, suggestions
from lms.mentorship.models import ENDED
from lms.users.models import Role
from tests import factories
from tests.mentorship import builders


def _pairing_with_sessions(n: int):
    mentor, mentee = factories.user(), factories.user()
    skills = [builders.skill() for _ in range(n)]
    pairing = builders.pairing(mentor, mentee, focus=skills)
    for i in range(n):
        session = builders.session(pairing, held_on=date(2026, 2, i + 1))
        for _ in range(n):
            builders.item(session, mentee)
            builders.item(session, mentor)
    db.session.commit()
    return pairing.id


@pytest.mark.parametrize("n", [1, 4])
def test_pairing_detail_runs_four_queries(app_ctx, count_queries, n):
    pairing_id = _pairing_with_sessions(n)
    db.session.expunge_all()

    with count_queries() as q:
        detail = queries.pairing_detail(pairing_id)
        owners = [i.owner.name for e in detail.sessions for i in e.items]

    assert q.count == 4
    assert len(detail.sessions) == n and len(owners) == 2 * n * n
    assert [s.session.held_on.day for s in detail.sessions] == list(range(n, 0, -1))
    assert len(detail.focus) == n
    assert detail.unacknowledged == n


def test_open_items_come_soonest_due_first_and_done_ones_apart(app_ctx, clock):
    mentor, mentee = factories.user(), factories.user()
    session = builders.session(builders.pairing(mentor, mentee))
    later = builders.item(session, mentee, "Later", date(2026, 3, 20))
    undated = builders.item(session, mentee, "Whenever")
    sooner = builders.item(session, mentee, "Sooner", date(2026, 3, 5))
    done = builders.item(session, mentee, "Done")
    done.done_at = clock()
    builders.item(session, mentor, "The mentor's")

    open_items = queries.open_items_for(mentee)

    assert [i.text for i in open_items] == [sooner.text, later.text, undated.text]
    assert [i.text for i in queries.action_items_for(mentee, done=True)] == ["Done"]
    assert open_items[0].session.pairing.mentor.id == mentor.id


def test_sessions_to_acknowledge_are_the_mentees_own_unacknowledged(app_ctx, clock):
    mentor, mentee = factories.user(), factories.user()
    pairing = builders.pairing(mentor, mentee)
    waiting = builders.session(pairing)
    builders.session(pairing).acknowledged_at = clock()
    builders.session(builders.pairing(mentee, mentor))  # mentee is the mentor here

    assert [s.id for s in queries.sessions_to_acknowledge(mentee)] == [waiting.id]


def test_people_to_pair_are_the_managers_team_with_their_mentors(app_ctx):
    manager = factories.user(Role.MANAGER)
    team = factories.team(manager=manager)
    ann = factories.user(name="Ann", team=team)
    bob = factories.user(name="Bob", team=team)
    factories.user(name="Gone", team=team, active=False)
    factories.user(name="Elsewhere")
    mentor = factories.user(name="Mo")
    builders.pairing(mentor, ann)
    builders.pairing(bob, ann)
    builders.pairing(factories.user(), bob, status=ENDED)

    page, rows = queries.people_to_pair(manager, page=1, per_page=25)

    assert [r.person.name for r in rows] == ["Ann", "Bob"]
    assert [p.mentor.name for p in rows[0].mentors] == ["Mo", "Bob"]
    assert rows[1].mentors == [] and rows[1].mentees == 1
    admin_page, _ = queries.people_to_pair(factories.user(Role.ADMIN), 1, 25)
    assert admin_page.total == 7  # every active person, the admin included


# --- suggestions ------------------------------------------------------------------


@pytest.fixture
def skills_world(app_ctx):
    excel, sql, mail = (
        builders.skill("Excel"),
        builders.skill("SQL"),
        builders.skill("Mail"),
    )
    target = builders.role({excel: 3, sql: 2, mail: 2}, name="Senior executive")
    mentee = factories.user(name="Nina")
    builders.level(mentee, excel, 1)
    builders.level(mentee, mail, 2)  # met
    builders.goal(mentee, target)
    return mentee, excel, sql, mail


def test_suggestions_cover_the_goal_gaps_ranked(skills_world):
    mentee, excel, sql, mail = skills_world
    both = factories.user(name="Both")
    builders.level(both, excel, 3)
    builders.level(both, sql, 2)
    strong = factories.user(Role.MANAGER, name="Strong excel")
    builders.level(strong, excel, 5)
    weak = factories.user(name="Weak")
    builders.level(weak, excel, 2)
    full = factories.user(name="Full")
    builders.level(full, excel, 5)
    builders.profile(full, capacity=1)
    builders.pairing(full, factories.user())
    current = factories.user(name="Already mentoring")
    builders.level(current, excel, 5)
    builders.pairing(current, mentee)
    gone = factories.user(name="Gone", active=False)
    builders.level(gone, excel, 5)

    found = suggestions.suggest_mentors(mentee)

    assert found.goal_role.name == "Senior executive" and not found.chosen
    assert [(f.skill.name, f.target, f.current) for f in found.focus] == [
        ("Excel", 3, 1),
        ("SQL", 2, 0),
    ]
    assert [m.user.name for m in found.mentors] == ["Both", "Strong excel"]
    assert [(c.skill.name, c.level, c.target) for c in found.mentors[1].covered] == [
        ("Excel", 5, 3)
    ]
    assert found.mentors[0].capacity_left == 3


def test_chosen_focus_skills_replace_the_goal(skills_world):
    mentee, excel, sql, mail = skills_world
    writer = factories.user(name="Writer")
    builders.level(writer, mail, 3)

    found = suggestions.suggest_mentors(mentee, [mail.id])

    assert found.chosen
    assert [(f.skill.name, f.target) for f in found.focus] == [("Mail", 3)]
    assert [m.user.name for m in found.mentors] == ["Writer"]


def test_without_a_goal_or_a_choice_nobody_is_suggested(app_ctx):
    found = suggestions.suggest_mentors(factories.user())
    assert found.focus == [] and found.mentors == [] and found.goal_role is None


@pytest.mark.parametrize("n", [1, 5])
def test_suggestions_run_a_fixed_number_of_queries(app_ctx, count_queries, n):
    skills = [builders.skill() for _ in range(3)]
    mentee = factories.user()
    builders.goal(mentee, builders.role({s: 3 for s in skills}))
    for _ in range(n):
        mentor = factories.user()
        builders.profile(mentor)
        for s in skills:
            builders.level(mentor, s, 4)
    db.session.commit()
    assert mentee.name  # loaded again after the commit, before counting

    with count_queries() as q:
        found = suggestions.suggest_mentors(mentee)

    assert len(found.mentors) == n
    assert q.count == 7


# --- what a mentor sees -----------------------------------------------------------


def _finished(user, assessment, when, **fields):
    attempt = Attempt(
        assessment_id=assessment.id,
        user_id=user.id,
        kind=assessment.kind,
        state=SUBMITTED,
        seed=1,
        snapshot={},
        started_at=when,
        submitted_at=when,
        **fields,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def test_progress_of_reads_levels_goal_and_latest_results(app_ctx, count_queries):
    quiz = factories.quiz(2, title="Lookups check")
    people = []
    for _ in range(3):
        person = factories.user()
        excel = builders.skill("Excel")
        builders.level(person, excel, 2)
        builders.level(person, builders.skill("Unshown"), 0)
        builders.goal(person, builders.role({excel: 4}))
        for day in range(1, 6):
            _finished(
                person,
                quiz,
                datetime(2026, 2, day, tzinfo=UTC),
                percent=70.0 + day,
                passed=day > 2,
                result={"kind": "quiz", "percent": 70.0 + day},
            )
        people.append(person)
    db.session.commit()
    assert all(p.name for p in people)  # loaded again after the commit

    with count_queries() as q:
        found = progress.progress_of(people)

    assert q.count == 4
    first = found[people[0].id]
    assert [r.skill.name for r in first.levels] == ["Excel"]
    assert first.goal.readiness == 50.0
    assert [(g.skill.name, g.gap) for g in first.goal.gaps] == [("Excel", 2)]
    assert [r.headline for r in first.results] == [
        "75 % · passed",
        "74 % · passed",
        "73 % · passed",
    ]


@pytest.mark.parametrize(
    ("kind", "band", "figures", "expected"),
    [
        (
            "record_entry",
            "job_ready",
            {"validity": "valid", "net_kph": 9120.4, "accuracy": 0.975},
            "Job-ready · 9,120 net KPH · 97.5 % accurate",
        ),
        (
            "transcription",
            None,
            {"validity": "valid", "net_wpm": 41.2, "accuracy": 0.9},
            "No band · 41 net WPM · 90.0 % accurate",
        ),
        (
            "reconciliation",
            "proficient",
            {"validity": "valid", "f1": 0.96, "accuracy": None},
            "Proficient · F1 96.0 %",
        ),
        ("ten_key", None, {"validity": "unverified", "net_kph": 9000.0}, "Unverified"),
        ("ten_key", None, {"validity": "invalid: replay"}, "Invalid"),
    ],
)
def test_keying_results_read_as_their_band_speed_and_accuracy(
    app_ctx, kind, band, figures, expected
):
    row = progress.ResultRow(Attempt(kind=kind, band=band), figures)
    assert row.headline == expected
