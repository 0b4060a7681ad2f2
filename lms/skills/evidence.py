"""Evidence of skill levels, and each person's maintained level (UserSkill).

Evidence flows by itself (docs/skills.md):

* **Attempts**: the engine announces every finalised attempt (submitted,
  expired, regraded or accepted — lms.attempts.finalisation). For each
  mapping of the attempt's assessment the mapping's rule (lms.skills.rules)
  turns the result into a level, recorded as evidence (source "attempt",
  observed when the work was submitted) with the sentence the result page
  shows. A regrade or an acceptance replaces the attempt's earlier evidence:
  the old items are kept for the trail, marked superseded and not counted.
* **Courses**: a completed course (lms.courses.completion) is evidence for
  each skill the course maps to.
* **Ratings**: a manager or mentor rates a skill with a written
  justification (`rate_skill`, audited). Whether the rater may rate this
  person is the caller's check (lms.people.policies); rating oneself is
  refused here too.
* **Self-assessment** (`self_assess`) is kept as evidence that is never
  counted and as UserSkill.self_level, shown beside the level.

Whenever evidence is added or replaced, the person's UserSkill for that skill
is recomputed in the same transaction with the framework's method
(lms.skills.levels), so pages read UserSkill and never aggregate attempts.
Services flush; the request or CLI command commits, so a failure here rolls
back the submit, regrade or completion that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key

from lms import clock
from lms.attempts.finalisation import REGRADED
from lms.attempts.models import SUBMITTED, Attempt
from lms.audit import services as audit
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.skills import rules
from lms.skills.levels import MAX_LEVEL, MIN_LEVEL, Method, current_level
from lms.skills.models import (
    EVIDENCE_ATTEMPT,
    EVIDENCE_COURSE,
    EVIDENCE_RATING,
    EVIDENCE_SELF,
    Skill,
    SkillEvidence,
    SkillFramework,
    SkillMapping,
    UserSkill,
)
from lms.users.models import User


@dataclass(frozen=True)
class Change:
    """What one piece of evidence did to one skill."""

    skill_id: int
    before: int
    after: int

    @property
    def moved(self) -> bool:
        return self.after != self.before


# --------------------------------------------------------------------------
# The framework's method and recomputing levels
# --------------------------------------------------------------------------


def framework_method() -> Method:
    """The method of the (one) framework row; the defaults when there is none."""
    framework = db.session.scalar(
        sa.select(SkillFramework).order_by(SkillFramework.id).limit(1)
    )
    return Method.of(framework)


@dataclass(frozen=True)
class NewEvidence:
    """Counted evidence about to be stored, as `recompute` weighs it."""

    skill_id: int
    level: int
    observed_at: datetime


def recompute(
    user_id: int,
    skill_ids: Iterable[int],
    method: Method | None = None,
    *,
    adding: Sequence[NewEvidence] = (),
) -> dict[int, Change]:
    """Bring the person's UserSkill rows for `skill_ids` up to date with their
    counted evidence; returns each skill's level before and after.

    `adding` is counted evidence the caller stores afterwards (so it can write
    on each item what it did in the same insert): it counts as if it were
    stored already, the newest of all. Four statements however many skills.
    """
    skill_ids = sorted(set(skill_ids) | {item.skill_id for item in adding})
    if not skill_ids:
        return {}
    method = method or framework_method()
    now = clock.now()
    counted = _counted_evidence(user_id, skill_ids)
    for item in adding:
        counted.setdefault(item.skill_id, []).append(item)
    held = {
        row.skill_id: row
        for row in db.session.execute(
            sa.select(
                UserSkill.id, UserSkill.skill_id, UserSkill.level, UserSkill.since
            ).where(UserSkill.user_id == user_id, UserSkill.skill_id.in_(skill_ids))
        )
    }
    changes, values = {}, []
    for skill_id in skill_ids:
        items = counted.get(skill_id, [])
        row = held.get(skill_id)
        before = row.level if row is not None else 0
        after = current_level(items, method, now)
        since = row.since if row is not None else None
        if after != before or since is None:
            # "Since": the newest evidence's time when the level last changed.
            since = max((i.observed_at for i in items), default=None)
        values.append(
            {
                "user_id": user_id,
                "skill_id": skill_id,
                "level": after,
                "since": since if after else None,
                "method": method.name,
                "evidence_count": len(items),
                "updated_at": now,
            }
        )
        changes[skill_id] = Change(skill_id, before, after)
    _upsert_user_skills(values)
    _expire_loaded(UserSkill, [row.id for row in held.values()])
    return changes


def _upsert_user_skills(values: list[dict]) -> None:
    """One statement for every row: insert new ones, update the rest (never the
    learner's self_level)."""
    table = UserSkill.__table__
    dialect = db.session.get_bind().dialect.name
    stmt = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.skill_id],
        set_={
            name: stmt.excluded[name]
            for name in ("level", "since", "method", "evidence_count", "updated_at")
        },
    )
    db.session.execute(stmt, values)


def _expire_loaded(model, ids: Iterable[int]) -> None:
    """Rows changed by a statement are read again the next time they are used."""
    for row_id in ids:
        loaded = db.session.identity_map.get(identity_key(model, row_id))
        if loaded is not None:
            db.session.expire(loaded)


def _counted_evidence(user_id: int, skill_ids: list[int]) -> dict[int, list]:
    rows = db.session.execute(
        sa.select(
            SkillEvidence.skill_id, SkillEvidence.level, SkillEvidence.observed_at
        )
        .where(
            SkillEvidence.user_id == user_id,
            SkillEvidence.skill_id.in_(skill_ids),
            SkillEvidence.counted,
            sa.not_(SkillEvidence.superseded),
        )
        .order_by(SkillEvidence.observed_at, SkillEvidence.id)
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.skill_id, []).append(row)
    return found


def recompute_everyone(method: Method | None = None) -> int:
    """Recompute every person's levels (after the framework's method changed, or
    nightly so old evidence leaves the recent window). Returns how many people."""
    method = method or framework_method()
    pairs = db.session.execute(
        sa.union(
            sa.select(SkillEvidence.user_id, SkillEvidence.skill_id),
            sa.select(UserSkill.user_id, UserSkill.skill_id),
        )
    ).all()
    by_user: dict[int, set[int]] = {}
    for user_id, skill_id in pairs:
        by_user.setdefault(user_id, set()).add(skill_id)
    for user_id, skill_ids in sorted(by_user.items()):
        recompute(user_id, skill_ids, method)
    return len(by_user)


# --------------------------------------------------------------------------
# Attempts and courses (the announcement listeners)
# --------------------------------------------------------------------------


def record_attempt_evidence(attempt: Attempt, reason: str) -> dict[int, Change]:
    """The engine's "attempt finalised" listener: evidence for every mapped skill."""
    mappings = list(
        db.session.scalars(
            _assessment_mappings_statement(), {"assessment_id": attempt.assessment_id}
        )
    )
    if not mappings:
        return {}
    if reason == REGRADED:
        _supersede(SkillEvidence.attempt_id == attempt.id)
    result = attempt.result if attempt.state == SUBMITTED else None
    observed_at = attempt.submitted_at or clock.now()
    return _record_outcomes(
        attempt.user_id,
        mappings,
        lambda mapping: rules.outcome(mapping.rule, result),
        {
            "source": EVIDENCE_ATTEMPT,
            "attempt_id": attempt.id,
            "observed_at": observed_at,
        },
    )


def record_course_evidence(enrolment, course) -> dict[int, Change]:
    """The "course completed" listener: evidence for every skill the course maps to."""
    mappings = _mappings_of(SkillMapping.course_id == course.id)
    if not mappings:
        return {}
    _supersede(
        SkillEvidence.course_id == course.id,
        SkillEvidence.user_id == enrolment.user_id,
    )
    observed_at = enrolment.completed_at or clock.now()
    return _record_outcomes(
        enrolment.user_id,
        mappings,
        lambda mapping: rules.outcome(mapping.rule, None),
        {"source": EVIDENCE_COURSE, "course_id": course.id, "observed_at": observed_at},
    )


def _record_outcomes(
    user_id: int, mappings, outcome_of, fields: dict
) -> dict[int, Change]:
    """One evidence item per mapping whose rule gives a level, the mapped skills
    recomputed, and on each item the sentence saying what it did."""
    found = [(mapping, outcome_of(mapping)) for mapping in mappings]
    earned = [(mapping, rule) for mapping, rule in found if rule.is_evidence]
    changes = recompute(
        user_id,
        [m.skill_id for m in mappings],
        adding=[
            NewEvidence(m.skill_id, rule.level, fields["observed_at"])
            for m, rule in earned
        ],
    )
    if earned:
        db.session.execute(
            sa.insert(SkillEvidence.__table__),
            [
                {
                    **fields,
                    "user_id": user_id,
                    "skill_id": mapping.skill_id,
                    "level": rule.level,
                    "note": _sentence(
                        mapping.skill.name, rule, changes[mapping.skill_id]
                    ),
                }
                for mapping, rule in earned
            ],
        )
    return changes


def _sentence(skill_name: str, rule: rules.RuleOutcome, change: Change) -> str:
    return rules.sentence(skill_name, rule, change.before, change.after)


def _mappings_of(condition) -> list[SkillMapping]:
    return list(db.session.scalars(_mappings_statement(condition)))


def _mappings_statement(condition) -> sa.Select:
    return (
        sa.select(SkillMapping)
        .where(condition)
        .options(joinedload(SkillMapping.skill))
        .order_by(SkillMapping.id)
    )


@cache
def _assessment_mappings_statement() -> sa.Select:
    """`_mappings_of` an assessment, built once: every submit runs it while it
    holds the database's write turn."""
    return _mappings_statement(
        SkillMapping.assessment_id == sa.bindparam("assessment_id")
    )


def _supersede(*conditions) -> None:
    db.session.execute(
        sa.update(SkillEvidence)
        .where(*conditions, sa.not_(SkillEvidence.superseded))
        .values(superseded=True, counted=False)
        .execution_options(synchronize_session="fetch")
    )


def register_listeners() -> None:
    """Subscribe to the engine's and the courses' announcements (once, at start)."""
    from lms.attempts import finalisation
    from lms.courses import completion

    finalisation.on_finalised(record_attempt_evidence)
    completion.on_completed(record_course_evidence)


# --------------------------------------------------------------------------
# Ratings and self-assessment
# --------------------------------------------------------------------------


def rate_skill(
    rater: User, person: User, skill: Skill, level: int, justification: str
) -> Change:
    """A manager's or mentor's rating, counted like any evidence; audited.

    The caller checks that `rater` may rate `person` (lms.people.policies);
    nobody may rate themselves into a level.
    """
    if rater.id == person.id:
        raise PermissionDeniedError(
            "You cannot rate your own skills: add your own view as a self-assessment."
        )
    level = _checked_level(level)
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError(
            "Say why in the justification: the person and their manager read it."
        )
    rating = SkillEvidence(
        user_id=person.id,
        skill_id=skill.id,
        level=level,
        source=EVIDENCE_RATING,
        rated_by_id=rater.id,
        note=justification,
        observed_at=clock.now(),
    )
    change = recompute(
        person.id, [skill.id], adding=[NewEvidence(skill.id, level, rating.observed_at)]
    )[skill.id]
    db.session.add(rating)
    db.session.flush()
    audit.record(
        rater,
        "skill.rate",
        "user",
        person.id,
        {
            "skill": skill.slug,
            "level": level,
            "justification": justification,
            "before": change.before,
            "after": change.after,
        },
    )
    return change


def self_assess(person: User, skill: Skill, level: int) -> UserSkill:
    """The person's own view of their level: kept and shown, never counted."""
    level = _checked_level(level)
    db.session.add(
        SkillEvidence(
            user_id=person.id,
            skill_id=skill.id,
            level=level,
            source=EVIDENCE_SELF,
            counted=False,
            observed_at=clock.now(),
        )
    )
    row = db.session.scalar(
        sa.select(UserSkill).where(
            UserSkill.user_id == person.id, UserSkill.skill_id == skill.id
        )
    )
    if row is None:
        row = UserSkill(
            user_id=person.id,
            skill_id=skill.id,
            level=0,
            method=framework_method().name,
        )
        db.session.add(row)
    row.self_level = level
    row.updated_at = clock.now()
    db.session.flush()
    return row


def _checked_level(level) -> int:
    if isinstance(level, bool) or not isinstance(level, int):
        raise ValidationError("Choose a level from 1 to 5.")
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationError("Choose a level from 1 to 5.")
    return level


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def current_levels(user_id: int) -> dict[int, int]:
    """{skill_id: level} for one person (skills without evidence are absent)."""
    return levels_of([user_id]).get(user_id, {})


def levels_of(user_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """{user_id: {skill_id: level}} for many people in one query."""
    user_ids = list(set(user_ids))
    if not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(UserSkill.user_id, UserSkill.skill_id, UserSkill.level).where(
            UserSkill.user_id.in_(user_ids), UserSkill.level > 0
        )
    )
    found: dict[int, dict[int, int]] = {}
    for user_id, skill_id, level in rows:
        found.setdefault(user_id, {})[skill_id] = level
    return found
