"""Career goals: one active goal per person, a target date after today, replacing
and dropping, and the ladder people choose from."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.errors import NotFoundError
from lms.extensions import db
from lms.skills import goals
from lms.skills.models import CareerGoal
from tests import factories
from tests.skills import profile_builders as build

TODAY = date(2026, 3, 2)  # the frozen clock's day


@pytest.fixture
def fw(app_ctx, clock):
    return build.framework(4)


def _goals_of(user) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        sa.select(CareerGoal)
        .where(CareerGoal.user_id == user.id)
        .options(joinedload(CareerGoal.role))
        .order_by(CareerGoal.id)
    )
    return [(row.role.slug, row.status) for row in rows]


def test_setting_a_goal_makes_it_the_active_one(fw):
    learner = factories.user()

    goal = goals.set_goal(learner, fw.roles["senior"], date(2026, 9, 30), "By autumn")

    assert goals.active_goal(learner).id == goal.id
    assert (goal.status, goal.target_date, goal.note) == (
        "active",
        date(2026, 9, 30),
        "By autumn",
    )


def test_a_new_role_replaces_the_active_goal_and_keeps_the_old_one(fw):
    learner = factories.user()
    goals.set_goal(learner, fw.roles["executive"], date(2026, 6, 1))

    goals.set_goal(learner, fw.roles["senior"], date(2027, 1, 1))
    db.session.commit()

    assert _goals_of(learner) == [
        ("executive", "replaced"),
        ("senior-executive", "active"),
    ]


def test_the_same_role_again_moves_the_date(fw):
    learner = factories.user()
    first = goals.set_goal(learner, fw.roles["senior"], date(2026, 6, 1))

    again = goals.set_goal(learner, fw.roles["senior"], date(2026, 8, 1))

    assert again.id == first.id
    assert again.target_date == date(2026, 8, 1)
    assert _goals_of(learner) == [("senior-executive", "active")]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (None, "Choose a target date for your goal."),
        (TODAY, "Choose a target date after today (02 Mar 2026)"),
        (date(2025, 12, 31), "Choose a target date after today"),
        (date(2037, 1, 1), "within the next 10 years"),
    ],
)
def test_a_goal_needs_a_date_after_today(fw, target, message):
    learner = factories.user()

    with pytest.raises(
        goals.GoalError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        goals.set_goal(learner, fw.roles["senior"], target)

    assert goals.active_goal(learner) is None


def test_a_refused_date_leaves_the_active_goal_alone(fw):
    learner = factories.user()
    goals.set_goal(learner, fw.roles["executive"], date(2026, 6, 1))

    with pytest.raises(goals.GoalError):
        goals.set_goal(learner, fw.roles["senior"], date(2026, 1, 1))

    assert goals.active_goal(learner).role.slug == "executive"


def test_tomorrow_is_a_fine_target(fw):
    learner = factories.user()

    goal = goals.set_goal(learner, fw.roles["senior"], date(2026, 3, 3))

    assert goal.target_date == date(2026, 3, 3)


def test_dropping_ends_the_goal(fw):
    learner = factories.user()
    goals.set_goal(learner, fw.roles["senior"], date(2026, 6, 1))

    goals.drop_goal(learner)

    assert goals.active_goal(learner) is None
    assert _goals_of(learner) == [("senior-executive", "dropped")]


def test_dropping_without_a_goal_says_so(fw):
    with pytest.raises(goals.GoalError, match="no career goal to drop"):
        goals.drop_goal(factories.user())


def test_goals_are_per_person(fw):
    one, two = factories.user(), factories.user()
    goals.set_goal(one, fw.roles["senior"], date(2026, 6, 1))
    goals.set_goal(two, fw.roles["executive"], date(2026, 6, 1))

    assert goals.active_goal(one).role.slug == "senior-executive"
    assert goals.active_goal(two).role.slug == "executive"


def test_an_unknown_role_is_not_found(fw):
    with pytest.raises(NotFoundError):
        goals.role_by_slug("astronaut")

    assert goals.role_by_slug(" executive ").name == "Executive"


def test_the_ladder_lists_the_main_path_first_with_roles_in_order(fw):
    ladder = goals.career_ladder()

    assert [(p.path.name, [r.name for r in p.roles]) for p in ladder] == [
        ("Operations", ["Trainee executive", "Executive", "Senior executive"]),
        ("Quality", ["Quality analyst"]),
    ]
