"""A person's skills profile: every active skill by category with the maintained
level, the self-assessed level beside it, the goal's target and the gap; the goal
with readiness and gaps; in a fixed number of queries however many skills."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lms.extensions import db
from lms.skills import goals, profile, recommendations
from lms.skills.models import EVIDENCE_RATING, EVIDENCE_SELF
from lms.users.models import User
from tests import factories
from tests.skills import profile_builders as build

# skills, levels, last evidence, goal, requirements; mappings, earned levels,
# completed courses
PROFILE_QUERIES = 8


@pytest.fixture
def fw(app_ctx, clock):
    return build.framework(4)


def test_a_newcomer_sees_every_skill_not_yet_shown(fw):
    learner = factories.user()

    found = profile.profile_for(learner)

    assert [c.category.name for c in found.categories] == [
        "Keying and records",  # technical before professional
        "Working with people",
    ]
    assert [s.skill.name for s in found.categories[0].skills] == [
        "Skill 01",
        "Skill 03",
    ]
    assert all(row.level == 0 and not row.shown for row in found.skills)
    assert all(row.target is None and row.gap == 0 for row in found.skills)
    assert found.goal is None
    assert not found.has_levels


def test_levels_self_view_targets_and_gaps(fw, clock):
    learner = factories.user()
    s1, s2, s3, s4 = fw.skills
    build.level(learner, s1, 3, self_level=4, count=2)
    build.level(learner, s2, 1)
    goals.set_goal(learner, fw.roles["senior"], date(2026, 12, 1))

    found = profile.profile_for(learner)
    rows = {row.skill.id: row for row in found.skills}

    assert (rows[s1.id].level, rows[s1.id].self_level, rows[s1.id].target) == (3, 4, 3)
    assert rows[s1.id].gap == 0 and rows[s1.id].evidence_count == 2
    assert rows[s1.id].descriptor == "Skill 01 at level 3"
    assert (rows[s2.id].level, rows[s2.id].gap) == (1, 2)
    assert (rows[s3.id].level, rows[s3.id].gap, rows[s3.id].descriptor) == (0, 3, "")
    assert found.goal.role.name == "Senior executive"
    assert found.goal.outlook.readiness == pytest.approx(100 * (3 + 1) / 12, abs=0.1)
    assert [(g.skill.id, g.gap) for g in found.goal.outlook.gaps] == [
        (s3.id, 3),
        (s4.id, 3),
        (s2.id, 2),
        (s1.id, 0),
    ]
    assert [g.skill.id for g in found.goal.outlook.open_gaps] == [s3.id, s4.id, s2.id]


def test_a_self_assessment_never_counts_as_a_level(fw):
    learner = factories.user()
    build.level(learner, fw.skills[0], 0, self_level=5)
    goals.set_goal(learner, fw.roles["analyst"], date(2026, 12, 1))

    found = profile.profile_for(learner)

    assert found.skills[0].level == 0
    assert found.skills[0].self_level == 5
    assert found.goal.outlook.readiness == 0


def test_retired_skills_are_left_out_of_the_profile_and_the_goal(fw):
    learner = factories.user()
    fw.skills[3].is_active = False
    goals.set_goal(learner, fw.roles["senior"], date(2026, 12, 1))

    found = profile.profile_for(learner)

    assert fw.skills[3].id not in {row.skill.id for row in found.skills}
    assert fw.skills[3].id not in found.goal.outlook.requirements


def test_last_evidence_date_counts_only_evidence_that_counts(fw, clock):
    learner = factories.user()
    s1 = fw.skills[0]
    rater = factories.user("manager")
    build.level(learner, s1, 2)
    earlier = clock() - timedelta(days=10)
    build.evidence(learner, s1, 2, source=EVIDENCE_RATING, when=earlier, rated_by=rater)
    build.evidence(learner, s1, 5, source=EVIDENCE_SELF, counted=False)
    build.evidence(
        learner, s1, 1, source=EVIDENCE_RATING, superseded=True, rated_by=rater
    )

    found = profile.profile_for(learner)

    assert found.skills[0].last_evidence_at == earlier


def test_someone_elses_levels_never_show(fw):
    learner, other = factories.user(), factories.user()
    build.level(other, fw.skills[0], 4)

    assert profile.profile_for(learner).skills[0].level == 0
    assert profile.profile_for(other).has_levels


def test_role_outlook_for_a_role_that_requires_nothing_is_ready(fw):
    learner = factories.user()

    outlook = profile.role_outlook(learner, fw.roles["trainee"])

    assert outlook.readiness == 100
    assert outlook.gaps == []


def _world_of(n_skills: int):
    fw = build.framework(n_skills)
    learner = factories.user()
    for i, s in enumerate(fw.skills):
        build.level(learner, s, i % 3, self_level=2)
        course = factories.course(modules=1, title=f"Course {i}")
        quiz = factories.quiz(2, course=course)
        build.mapping(s, course=course)
        build.mapping(s, assessment=quiz)
        build.evidence(learner, s, 1, course=course)
    goals.set_goal(learner, fw.roles["senior"], date(2026, 12, 1))
    db.session.commit()
    return learner.id


def _queries_for_profile_and_steps(count_queries, learner_id: int) -> int:
    db.session.expunge_all()
    learner = db.session.get(User, learner_id)
    with count_queries() as counted:
        found = profile.profile_for(learner)
        steps = recommendations.recommend(learner, found.goal.outlook.gaps)
    assert steps
    return counted.count


@pytest.mark.parametrize("n_skills", [5, 25])
def test_the_profile_and_its_steps_take_a_fixed_number_of_queries(
    app_ctx, clock, count_queries, n_skills
):
    learner_id = _world_of(n_skills)

    assert _queries_for_profile_and_steps(count_queries, learner_id) == PROFILE_QUERIES
