"""Course services: enrolment, progress, resume, assigning, authoring, module order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.courses import assignments, authoring, progress
from lms.courses.models import Enrolment, ModuleProgress
from lms.errors import NotFoundError, PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.usefixtures("app_ctx")


# --- enrolling and progress -------------------------------------------------------


def test_enrol_in_published_course_is_self_chosen_and_idempotent(clock):
    learner, course = factories.user(), factories.course()

    first = progress.enrol(learner, course)
    again = progress.enrol(learner, course)

    assert first.id == again.id
    assert first.source == "self"
    assert first.enrolled_at == clock()
    assert (
        db.session.scalar(sa.select(sa.func.count(Enrolment.id)))
        == 1  # no duplicate row
    )


def test_enrol_in_draft_is_refused():
    with pytest.raises(ValidationError, match="not open"):
        progress.enrol(factories.user(), factories.course(published=False))


def test_completing_every_module_completes_the_course(clock):
    learner, course = factories.user(), factories.course(modules=3)
    modules = progress.active_modules(course)

    for module in modules[:2]:
        state = progress.complete_module(learner, module)
        assert not state.is_complete
    clock.advance(hours=1)
    state = progress.complete_module(learner, modules[2])

    assert state.is_complete
    assert (state.modules_done, state.modules_total) == (3, 3)
    assert state.enrolment.completed_at == clock()
    assert state.fraction == 1.0


def test_completing_a_module_twice_changes_nothing(clock):
    learner, course = factories.user(), factories.course(modules=2)
    module = progress.active_modules(course)[0]
    progress.complete_module(learner, module)
    first_done = clock()

    clock.advance(days=1)
    state = progress.complete_module(learner, module)

    rows = db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.user_id == learner.id)
    ).all()
    assert len(rows) == 1
    assert rows[0].completed_at == first_done
    assert state.modules_done == 1
    assert not state.is_complete


def test_completing_the_course_again_keeps_the_first_completion_date(clock):
    learner, course = factories.user(), factories.course(modules=1)
    module = progress.active_modules(course)[0]
    progress.complete_module(learner, module)
    completed_at = clock()

    clock.advance(days=3)
    state = progress.complete_module(learner, module)

    assert state.enrolment.completed_at == completed_at


def test_resume_returns_the_last_opened_unfinished_module_then_the_first_not_done():
    learner, course = factories.user(), factories.course(modules=3)
    first, second, third = progress.active_modules(course)

    assert progress.resume_module(learner, course) == first  # never opened
    progress.record_visit(learner, third)
    assert progress.resume_module(learner, course) == third
    progress.complete_module(learner, third)
    assert progress.resume_module(learner, course) == first
    progress.complete_module(learner, first)
    assert progress.resume_module(learner, course) == second


def test_resume_after_everything_is_done_goes_back_to_the_start():
    learner, course = factories.user(), factories.course(modules=2)
    for module in progress.active_modules(course):
        progress.complete_module(learner, module)

    assert progress.resume_module(learner, course) == progress.active_modules(course)[0]


# --- assigning ---------------------------------------------------------------------


def test_assign_creates_enrolments_with_the_due_date(clock):
    trainer = factories.user(Role.TRAINER)
    people = [factories.user(), factories.user()]
    course = factories.course()
    due = date(2026, 3, 20)

    created = assignments.assign_course(course, people, due_on=due, assigned_by=trainer)

    enrolments = db.session.scalars(sa.select(Enrolment)).all()
    assert created == 2
    assert {e.user_id for e in enrolments} == {p.id for p in people}
    assert all(e.due_on == due and e.source == "assigned" for e in enrolments)
    assert all(e.assigned_by_id == trainer.id for e in enrolments)


def test_assigning_again_updates_the_due_date_and_self_enrolments(clock):
    trainer, learner, other = (
        factories.user(Role.TRAINER),
        factories.user(),
        factories.user(),
    )
    course = factories.course()
    assignments.assign_course(
        course, [learner], due_on=date(2026, 3, 20), assigned_by=trainer
    )
    progress.enrol(other, course)

    created = assignments.assign_course(
        course, [learner, other], due_on=date(2026, 4, 1), assigned_by=trainer
    )

    assert created == 0
    rows = db.session.scalars(sa.select(Enrolment).order_by(Enrolment.id)).all()
    assert [(r.user_id, r.due_on, r.source) for r in rows] == [
        (learner.id, date(2026, 4, 1), "assigned"),
        (other.id, date(2026, 4, 1), "assigned"),
    ]


def test_assigning_with_a_past_due_date_is_refused(clock):
    course = factories.course()

    with pytest.raises(ValidationError, match="in the past"):
        assignments.assign_course(
            course,
            [factories.user()],
            due_on=clock().date() - timedelta(days=1),
            assigned_by=factories.user(Role.TRAINER),
        )
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0


def test_due_today_is_accepted(clock):
    course = factories.course()
    assignments.assign_course(
        course,
        [factories.user()],
        due_on=clock().date(),
        assigned_by=factories.user(Role.TRAINER),
    )

    assert db.session.scalar(sa.select(Enrolment.due_on)) == clock().date()


def test_drafts_cannot_be_assigned(clock):
    with pytest.raises(ValidationError, match="Publish"):
        assignments.assign_course(
            factories.course(published=False),
            [factories.user()],
            due_on=date(2026, 3, 20),
            assigned_by=factories.user(Role.TRAINER),
        )


def test_overdue_is_an_open_enrolment_past_its_due_date(clock):
    course = factories.course(modules=1)
    learner = factories.user()
    enrolment = factories.enrolment(learner, course, due_on=date(2026, 3, 1))

    assert enrolment.is_overdue(clock().date())
    assert not enrolment.is_overdue(date(2026, 3, 1))
    progress.complete_module(learner, progress.active_modules(course)[0])
    assert not enrolment.is_overdue(clock().date())


def test_a_manager_resolves_only_people_in_teams_they_manage():
    manager, other_manager = factories.user(Role.MANAGER), factories.user(Role.MANAGER)
    mine = factories.team("Claims", manager=manager)
    theirs = factories.team("Payables", manager=other_manager)
    insider = factories.user(team=mine)
    outsider = factories.user(team=theirs)
    scope = assignments.assign_scope(manager, unrestricted=False)

    assert assignments.resolve_assignees(scope, [insider.id], None) == [insider]
    with pytest.raises(PermissionDeniedError) as refused:
        assignments.resolve_assignees(scope, [outsider.id], None)
    assert outsider.name not in str(refused.value)  # not someone they may see
    with pytest.raises(PermissionDeniedError):
        assignments.resolve_assignees(scope, [], theirs.id)
    assert [u.id for u in assignments.assignable_people(scope)] == [insider.id]
    assert [t.id for t in assignments.assignable_teams(scope)] == [mine.id]


def test_a_team_expands_to_its_active_members_without_duplicates():
    team = factories.team("Claims")
    alice = factories.user(team=team, name="Alice")
    bob = factories.user(team=team, name="Bob")
    factories.user(team=team, name="Gone", active=False)
    scope = assignments.AssignScope(None)

    people = assignments.resolve_assignees(scope, [alice.id], team.id)

    assert sorted(p.id for p in people) == sorted([alice.id, bob.id])


def test_choosing_nobody_or_an_empty_team_is_refused():
    scope = assignments.AssignScope(None)
    with pytest.raises(ValidationError, match="at least one"):
        assignments.resolve_assignees(scope, [], None)
    with pytest.raises(ValidationError, match="no active members"):
        assignments.resolve_assignees(scope, [], factories.team("Empty").id)


# --- authoring ---------------------------------------------------------------------


def test_create_course_suggests_the_slug_and_refuses_a_taken_one():
    trainer = factories.user(Role.TRAINER)

    course = authoring.create_course(
        trainer, title="Invoice Basics 101", summary=" Read invoices. "
    )

    assert course.slug == "invoice-basics-101"
    assert course.summary == "Read invoices."
    assert not course.is_published and course.owner_id == trainer.id
    with pytest.raises(ValidationError, match="already exists"):
        authoring.create_course(trainer, title="Invoice basics 101", summary="x")


def test_update_course_keeps_the_slug_and_stores_skill_slugs():
    course = factories.course(slug="keep-me")

    authoring.update_course(
        course,
        title="New title",
        summary="New summary",
        level="intermediate",
        estimated_minutes=45,
        skills=["data-entry", "ten-key"],
    )

    assert (course.slug, course.title, course.level) == (
        "keep-me",
        "New title",
        "intermediate",
    )
    assert course.skills == ["data-entry", "ten-key"]
    with pytest.raises(ValidationError):
        authoring.update_course(course, title="t", summary="s", skills=["Bad Slug"])
    with pytest.raises(ValidationError):
        authoring.update_course(course, title="t", summary="s", level="expert")


@pytest.mark.parametrize(
    ("text", "valid", "invalid"),
    [
        ("", [], []),
        ("data-entry, ten-key ,data-entry", ["data-entry", "ten-key"], []),
        ("a1,,  b-2 ", ["a1", "b-2"], []),
        ("Data Entry, ok, under_score", ["ok"], ["Data Entry", "under_score"]),
    ],
)
def test_parse_skill_slugs(text, valid, invalid):
    assert authoring.parse_skill_slugs(text) == (valid, invalid)


def test_save_module_appends_and_renders_the_markdown():
    course = factories.course(modules=2)

    module = authoring.save_module(
        course, None, title="Totals", body_md="# Check\n\n**Add** it up.", minutes=5
    )

    assert module.position == 3
    assert module.slug == "totals"
    assert "<strong>Add</strong>" in module.body_html
    assert progress.active_modules(course)[-1] == module


def test_publishing_needs_a_module():
    course = factories.course(modules=0, published=False)
    with pytest.raises(ValidationError, match="at least one module"):
        authoring.set_published(course, True)

    factories.module(course)
    authoring.set_published(course, True)
    assert course.is_published


def test_moving_modules_up_and_down_renumbers_them():
    course = factories.course(modules=3)
    first, second, third = progress.active_modules(course)

    assert authoring.move_module(course, third, "up")
    assert progress.active_modules(course) == [first, third, second]
    assert authoring.move_module(course, first, "down")
    assert progress.active_modules(course) == [third, first, second]
    assert [m.position for m in progress.active_modules(course)] == [1, 2, 3]


def test_moving_past_either_end_does_nothing():
    course = factories.course(modules=2)
    first, second = progress.active_modules(course)

    assert not authoring.move_module(course, first, "up")
    assert not authoring.move_module(course, second, "down")
    assert progress.active_modules(course) == [first, second]
    with pytest.raises(ValidationError):
        authoring.move_module(course, first, "sideways")


def test_moving_fixes_duplicate_positions():
    course = factories.course(modules=0)
    a = factories.module(course, title="A", position=1)
    b = factories.module(course, title="B", position=1)

    authoring.move_module(course, b, "up")

    assert progress.active_modules(course) == [b, a]
    assert (b.position, a.position) == (1, 2)


def test_retiring_a_module_keeps_progress_and_hides_it():
    learner, course = factories.user(), factories.course(modules=3)
    first, second, third = progress.active_modules(course)
    progress.complete_module(learner, first)
    progress.complete_module(learner, second)

    authoring.retire_module(course, second)

    assert progress.active_modules(course) == [first, third]
    assert authoring.retired_modules(course) == [second]
    assert not second.is_active
    kept = db.session.scalars(
        sa.select(ModuleProgress.module_id).where(ModuleProgress.user_id == learner.id)
    ).all()
    assert sorted(kept) == sorted([first.id, second.id])  # nothing deleted
    state = progress.course_progress(learner, course)
    assert (state.modules_done, state.modules_total) == (1, 2)
    with pytest.raises(NotFoundError, match="no longer part"):
        progress.complete_module(learner, second)

    state = progress.complete_module(learner, third)
    assert state.is_complete


def test_restoring_a_module_brings_back_its_progress_at_the_end():
    learner, course = factories.user(), factories.course(modules=3)
    first, second, third = progress.active_modules(course)
    progress.complete_module(learner, first)
    authoring.retire_module(course, first)

    authoring.restore_module(course, first)

    assert progress.active_modules(course) == [second, third, first]
    assert progress.course_progress(learner, course).modules_done == 1


def test_the_last_module_of_a_published_course_cannot_be_retired():
    course = factories.course(modules=1)
    only = progress.active_modules(course)[0]

    with pytest.raises(ValidationError, match="Unpublish"):
        authoring.retire_module(course, only)

    authoring.set_published(course, False)
    authoring.retire_module(course, only)
    assert progress.active_modules(course) == []


# --- lists -----------------------------------------------------------------------


def test_a_trainers_list_has_their_courses_and_the_file_courses():
    trainer, other = factories.user(Role.TRAINER), factories.user(Role.TRAINER)
    mine = factories.course(title="B mine", owner=trainer, published=False)
    theirs = factories.course(title="A theirs", owner=other)
    from_files = factories.course(title="A files", origin=ORIGIN_FILE)

    trainers = db.session.scalars(authoring.manageable_courses_query(trainer)).all()
    everything = db.session.scalars(authoring.manageable_courses_query(None)).all()

    assert trainers == [mine, from_files]  # browser-authored first, then files
    assert everything == [theirs, mine, from_files]


def test_enrolment_and_module_counts_are_per_course():
    a, b = factories.course(modules=2), factories.course(modules=1)
    factories.enrolment(factories.user(), a)
    factories.enrolment(factories.user(), a)
    authoring.retire_module(a, progress.active_modules(a)[0])

    assert authoring.enrolment_counts([a.id, b.id]) == {a.id: 2}
    assert progress.module_counts([a.id, b.id]) == {a.id: 1, b.id: 1}


def test_optional_courses_exclude_enrolled_and_drafts():
    learner = factories.user()
    enrolled = factories.course(title="A")
    open_course = factories.course(title="B")
    factories.course(title="C", published=False)
    factories.enrolment(learner, enrolled)

    optional = db.session.scalars(progress.optional_courses_query(learner)).all()

    assert optional == [open_course]
    learning, listed = progress.learning_for(learner)
    assert [p.course for p in learning] == [enrolled]
    assert listed == [open_course]
