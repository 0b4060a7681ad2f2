"""The manager's exports: the skill matrix, results and feedback of their teams as
CSV and XLSX. Who may download which, what each holds, and that reading costs
the same few statements per batch of people however many there are."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from lms.attempts.models import Attempt
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.reports import export_data
from lms.users.models import Role
from tests import factories
from tests.mentorship import builders

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 14:30 in Asia/Kolkata


def _attempt(user, assessment, **fields):
    values = dict(
        assessment_id=assessment.id,
        user_id=user.id,
        kind=assessment.kind,
        seed=1,
        snapshot={},
        started_at=WHEN,
        submitted_at=WHEN,
        state="submitted",
    )
    values.update(fields)
    row = Attempt(**values)
    db.session.add(row)
    db.session.flush()
    return row


def build_world(app):
    with app.app_context():
        return _build()


def _build():
    admin = factories.user(Role.ADMIN, name="Ada Admin")
    boss_a = factories.user(Role.MANAGER, name="Maya Manager")
    boss_b = factories.user(Role.MANAGER, name="Omar Other")
    trainer = factories.user(Role.TRAINER, name="Tara Trainer")
    team_a = factories.team("Invoices A", manager=boss_a)
    team_b = factories.team("Claims B", manager=boss_b)
    asha = factories.user(name="Asha Rao", team=team_a)
    factories.user(name="=Evil Name", team=team_a)
    bilal = factories.user(name="Bilal Secret", team=team_b)
    factories.user(name="Gone Person", team=team_a, active=False)
    asha.job_title = "Back-office executive"

    cat = builders.category("Keying")
    ten_key = builders.skill("10-key entry", cat=cat)
    gst = builders.skill("GST invoices", cat=cat)
    builders.level(asha, ten_key, 3)
    builders.level(asha, gst, 1)
    builders.level(bilal, gst, 4)
    builders.goal(asha, builders.role({ten_key: 3, gst: 2}, name="Senior executive"))

    quiz = factories.assessment("quiz", title="GST basics")
    keying = factories.assessment("ten_key", title="10-key speed")
    _attempt(asha, quiz, score=8.0, max_score=10.0, percent=80.0, passed=True,
             result={"percent": 80.0, "passed": True})  # fmt: skip
    _attempt(
        asha,
        keying,
        band="job_ready",
        flags=[{"code": "paste_blocked", "message": "Paste"}],
        result={"net_kph": 8123.9, "accuracy": 0.97999, "validity": "valid"},
    )
    _attempt(bilal, quiz, score=3.0, max_score=10.0, percent=30.0, passed=False)
    _attempt(asha, quiz, state="in_progress", submitted_at=None, number=2)

    db.session.add(
        Feedback(
            author_id=boss_a.id,
            subject_id=asha.id,
            strength='=HYPERLINK("http://evil","x")',
            improve="Check the GSTIN.",
            skill_id=gst.id,
            created_at=WHEN,
            acknowledged_at=WHEN,
        )
    )
    db.session.add(
        Feedback(author_id=boss_b.id, subject_id=bilal.id, strength="Fast", improve="x")
    )
    db.session.commit()
    return {
        "ids": {
            "admin": admin.id,
            "manager": boss_a.id,
            "manager_other": boss_b.id,
            "trainer": trainer.id,
            "learner": asha.id,
        },  # fmt: skip
        "A": team_a.id,
        "B": team_b.id,
    }


ROLES = ("anon", "learner", "trainer", "manager_other", "manager", "admin")


@pytest.fixture
def world(app, build_once):
    return build_once(build_world, app)


@pytest.fixture
def as_role(app, login, client, world):
    from lms.users.models import User

    def _as(role):
        if role == "anon":
            return client
        with app.app_context():
            return login(db.session.get(User, world["ids"][role]))

    return _as


def E(anon, learner, trainer, manager_other, manager, admin):
    return dict(
        zip(ROLES, (anon, learner, trainer, manager_other, manager, admin), strict=True)
    )


CASES = [
    ("/reports/exports", E(302, 403, 403, 200, 200, 200)),
    ("/reports/exports?page=3", E(302, 403, 403, 200, 200, 200)),
    ("/reports/exports/matrix.csv", E(302, 403, 403, 200, 200, 200)),
    ("/reports/exports/results.xlsx", E(302, 403, 403, 200, 200, 200)),
    ("/reports/exports/feedback.csv?team={A}", E(302, 403, 403, 404, 200, 200)),
    ("/reports/exports/matrix.xlsx?team={A}", E(302, 403, 403, 404, 200, 200)),
    ("/reports/exports/results.csv?team={B}", E(302, 403, 403, 200, 404, 200)),
    ("/reports/exports/matrix.csv?team=999999", E(302, 403, 403, 404, 404, 404)),
    ("/reports/exports/matrix.csv?team=abc", E(302, 403, 403, 404, 404, 404)),
    ("/reports/exports/secrets.csv", E(302, 403, 403, 404, 404, 404)),
    ("/reports/exports/matrix.pdf", E(302, 403, 403, 404, 404, 404)),
]


@pytest.mark.parametrize("url,expected", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_export_route(as_role, world, url, expected, role):
    answer = as_role(role).get(url.format(A=world["A"], B=world["B"]))
    assert answer.status_code == expected[role]


def test_another_managers_team_is_answered_like_no_team(as_role, world):
    theirs = as_role("manager").get(f"/reports/exports/matrix.csv?team={world['B']}")
    missing = as_role("manager").get("/reports/exports/matrix.csv?team=999999")
    from lms.reports.scope import NO_SUCH_TEAM

    for answer in (theirs, missing):
        assert answer.status_code == 404
        assert NO_SUCH_TEAM in answer.get_data(as_text=True)
    assert "Claims B" not in theirs.get_data(as_text=True)


def _csv(answer) -> list[list[str]]:
    assert answer.status_code == 200
    return list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_managers_matrix_lists_their_people_with_goal_readiness_and_levels(
    as_role, world
):
    answer = as_role("manager").get("/reports/exports/matrix.csv")
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = _csv(answer)
    assert rows[0] == ["Person", "Email", "Team", "Job title", "Goal role",
                       "Readiness (%)", "10-key entry", "GST invoices"]  # fmt: skip
    people = {row[0]: row for row in rows[1:]}
    assert set(people) == {"Asha Rao", "'=Evil Name"}  # not Bilal, not deactivated
    asha = people["Asha Rao"]
    assert asha[2:] == ["Invoices A", "Back-office executive", "Senior executive",
                        "80.0", "3", "1"]  # fmt: skip
    assert people["'=Evil Name"][4:] == ["", "", "", ""]


def test_an_admin_exports_everyone_or_one_team(as_role, world):
    everyone = {
        row[0] for row in _csv(as_role("admin").get("/reports/exports/matrix.csv"))
    }
    assert {"Asha Rao", "Bilal Secret", "Ada Admin"} <= everyone
    team_b = _csv(
        as_role("admin").get(f"/reports/exports/matrix.csv?team={world['B']}")
    )
    assert [row[0] for row in team_b[1:]] == ["Bilal Secret"]


def test_results_hold_the_figures_of_finished_attempts_in_the_viewers_zone(
    as_role, world
):
    rows = _csv(as_role("manager").get("/reports/exports/results.csv"))
    assert rows[0] == ["Person", "Email", "Team", "Assessment", "Kind",
                       "Date (Asia/Kolkata)", "Score", "Percent", "Net KPH",
                       "Accuracy (%)", "Band", "Validity", "Flags"]  # fmt: skip
    by_title = {row[3]: row for row in rows[1:]}
    assert len(rows) == 3  # the live attempt and Bilal's are left out
    quiz = by_title["GST basics"]
    assert quiz[0] == "Asha Rao" and quiz[5] == "2026-03-02 14:30"
    assert quiz[6:8] == ["8/10", "80.0"]
    keying = by_title["10-key speed"]
    assert keying[8:] == ["8123", "97.99", "Job-ready", "valid", "paste_blocked"]


def test_feedback_as_xlsx_has_a_frozen_bold_header_and_neutralised_text(as_role, world):
    answer = as_role("manager").get("/reports/exports/feedback.xlsx")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(answer.get_data())).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Date (Asia/Kolkata)", "Author", "Person")
    assert len(rows) == 2  # Bilal's feedback is another team's
    date, author, person, team, attempt, skill, strength, improve = rows[1][:8]
    assert date == datetime(2026, 3, 2, 14, 30)
    assert (author, person, skill) == ("Maya Manager", "Asha Rao", "GST invoices")
    assert strength == '\'=HYPERLINK("http://evil","x")'
    assert rows[1][10] == datetime(2026, 3, 2, 14, 30)


def test_people_are_read_in_batches_by_name(app_ctx, world):
    from lms.users.models import User

    export = export_data.ExportScope(User.team_id == world["A"], "A")
    batches = list(export_data.people_batches(export, size=1))
    assert [[row[1] for row in b] for b in batches] == [["=Evil Name"], ["Asha Rao"]]


def test_an_export_costs_the_same_statements_for_more_people(
    app, world, count_queries, as_role
):
    def statements(kind):
        client = as_role("manager")
        with count_queries() as counter:
            assert client.get(f"/reports/exports/{kind}.csv").status_code == 200
        return counter.count

    before = {kind: statements(kind) for kind in export_data.KINDS_OF_EXPORT}
    with app.app_context():
        from lms.users.models import Team

        team = db.session.get(Team, world["A"])
        quiz = db.session.scalar(
            db.select(Attempt).where(Attempt.state == "submitted")
        ).assessment_id
        for n in range(12):
            person = factories.user(name=f"Extra {n}", team=team)
            db.session.add(Attempt(assessment_id=quiz, user_id=person.id, kind="quiz",
                                   seed=1, snapshot={}, started_at=WHEN,
                                   submitted_at=WHEN, state="submitted"))  # fmt: skip
            db.session.add(Feedback(author_id=None, subject_id=person.id,
                                    strength="s", improve="i"))  # fmt: skip
        db.session.commit()
    after = {kind: statements(kind) for kind in export_data.KINDS_OF_EXPORT}
    assert after == before
