"""Which courses and assessments are evidence for which skills, by which rule.

* A `SkillMapping` ties one course or one assessment to one skill with a rule
  (lms.skills.rules): quizzes by percent thresholds, keying tests by band,
  courses by completion.
* **From the content files**: courses and assessments name their skills
  (`skills = [...]`, stored on Course.skills and Assessment.skills).
  `sync_mappings_from_content()` — run by `flask content import` after the
  skills catalog — gives every file course and assessment a mapping per named
  skill with the default rule, origin "file"; a skill dropped from the file
  loses its file mapping. A name the framework does not know maps nothing
  (`flask content check` refuses such names whenever the content has a
  skills.toml to check them against). File mappings are read-only in the
  browser.
* **In the browser**: trainers add, change and remove mappings (origin "ui")
  on the courses and assessments they look after, file ones included (to map
  a skill the file does not name). An import never touches them; when a file
  later names the same skill, the browser's mapping stands.

Who may map what: admins everything; trainers the assessments they look
after (lms.attempts.policies.looks_after: file ones and their own) and the
courses they author or that come from the files. Mapping changes are audited.
Evidence already recorded stays as it was: a changed rule applies to results
from then on.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.attempts.models import Assessment
from lms.attempts.policies import looks_after
from lms.audit import services as audit
from lms.auth.permissions import has_permission, is_admin
from lms.courses.models import Course
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.skills import rules
from lms.skills.models import Skill, SkillMapping

FILE_MAPPING_MESSAGE = (
    "This mapping comes from the content files (their skills list); "
    "change it there and run flask content import."
)


# --------------------------------------------------------------------------
# Who may map (pure predicates, no queries)
# --------------------------------------------------------------------------


def can_map_assessment(user, assessment: Assessment) -> bool:
    return has_permission(user, "assessment.author") and looks_after(user, assessment)


def can_map_course(user, course: Course) -> bool:
    if not has_permission(user, "course.author"):
        return False
    return is_admin(user) or course.is_file_content or course.owner_id == user.id


def can_map(user, subject: Assessment | Course) -> bool:
    if isinstance(subject, Course):
        return can_map_course(user, subject)
    return can_map_assessment(user, subject)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def source_of(subject: Assessment | Course) -> str:
    """What rules call a course ("course") or an assessment (its kind)."""
    return rules.COURSE if isinstance(subject, Course) else subject.kind


def noun_of(subject: Assessment | Course) -> str:
    """ "course", "quiz" or "keying test", for sentences about the subject."""
    if isinstance(subject, Course):
        return "course"
    return "quiz" if subject.kind == rules.QUIZ else "keying test"


def mappings_for(subject: Assessment | Course) -> list[SkillMapping]:
    """The subject's mappings with their skills, by skill name."""
    column = (
        SkillMapping.course_id
        if isinstance(subject, Course)
        else SkillMapping.assessment_id
    )
    return list(
        db.session.scalars(
            sa.select(SkillMapping)
            .join(SkillMapping.skill)
            .where(column == subject.id)
            .options(joinedload(SkillMapping.skill))
            .order_by(Skill.name, SkillMapping.id)
        )
    )


def get_mapping(mapping_id: int) -> SkillMapping | None:
    return db.session.scalar(
        sa.select(SkillMapping)
        .where(SkillMapping.id == mapping_id)
        .options(
            joinedload(SkillMapping.skill),
            joinedload(SkillMapping.course),
            joinedload(SkillMapping.assessment),
        )
    )


def subject_of(mapping: SkillMapping) -> Assessment | Course:
    """The mapping's course or assessment (loaded by `get_mapping`)."""
    return mapping.course if mapping.course is not None else mapping.assessment


def skill_choices(
    subject: Assessment | Course, mapped: list[SkillMapping] | None = None
) -> list[Skill]:
    """Active skills the subject is not mapped to yet, in framework order
    (`mapped`: its mappings, when already read)."""
    from lms.skills.profile import active_skills

    if mapped is None:
        mapped = mappings_for(subject)
    taken = {m.skill_id for m in mapped}
    return [skill for skill in active_skills() if skill.id not in taken]


def check_your_learning(course: Course, limit: int = 6) -> list[Assessment]:
    """Published assessments that check a course: its own (quizzes first), then
    others mapped to the skills the course maps to. Two queries."""
    skill_ids = sa.select(SkillMapping.skill_id).where(
        SkillMapping.course_id == course.id
    )
    mapped = sa.select(SkillMapping.assessment_id).where(
        SkillMapping.skill_id.in_(skill_ids), SkillMapping.assessment_id.is_not(None)
    )
    own_first = sa.case((Assessment.course_id == course.id, 0), else_=1)
    quiz_first = sa.case((Assessment.kind == rules.QUIZ, 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(
                Assessment.is_published,
                sa.or_(Assessment.course_id == course.id, Assessment.id.in_(mapped)),
            )
            .order_by(own_first, quiz_first, Assessment.title, Assessment.id)
            .limit(limit)
        )
    )


# --------------------------------------------------------------------------
# Changing mappings in the browser
# --------------------------------------------------------------------------


def add_mapping(
    actor, subject: Assessment | Course, skill: Skill, rule: dict
) -> SkillMapping:
    _check_rule(rule, subject)
    if any(m.skill_id == skill.id for m in mappings_for(subject)):
        raise ValidationError(f"{skill.name} is already mapped here; change its rule.")
    if not skill.is_active:
        raise ValidationError(
            f"{skill.name} is no longer in use; choose another skill."
        )
    is_course = isinstance(subject, Course)
    mapping = SkillMapping(
        skill_id=skill.id,
        course_id=subject.id if is_course else None,
        assessment_id=None if is_course else subject.id,
        rule=dict(rule),
        origin=ORIGIN_UI,
    )
    db.session.add(mapping)
    db.session.flush()
    _audit(actor, "skill_mapping.add", mapping, skill, subject, {"rule": mapping.rule})
    return mapping


def update_mapping(actor, mapping: SkillMapping, rule: dict) -> SkillMapping:
    _check_editable(mapping)
    subject = subject_of(mapping)
    _check_rule(rule, subject)
    before = mapping.rule
    mapping.rule = dict(rule)
    db.session.flush()
    _audit(
        actor,
        "skill_mapping.update",
        mapping,
        mapping.skill,
        subject,
        {"before": before, "after": mapping.rule},
    )
    return mapping


def remove_mapping(actor, mapping: SkillMapping) -> None:
    _check_editable(mapping)
    details = {"rule": mapping.rule}
    _audit(
        actor,
        "skill_mapping.remove",
        mapping,
        mapping.skill,
        subject_of(mapping),
        details,
    )
    db.session.delete(mapping)
    db.session.flush()


def _check_editable(mapping: SkillMapping) -> None:
    if mapping.origin == ORIGIN_FILE:
        raise PermissionDeniedError(FILE_MAPPING_MESSAGE)


def _check_rule(rule: dict, subject: Assessment | Course) -> None:
    found = rules.problems(rule, source_of(subject))
    if found:
        raise ValidationError(" ".join(found))


def _audit(actor, action, mapping, skill, subject, details: dict) -> None:
    is_course = isinstance(subject, Course)
    audit.record(
        actor,
        action,
        "skill_mapping",
        mapping.id,
        {
            "skill": skill.slug,
            "course" if is_course else "assessment": subject.slug,
            **details,
        },
    )


# --------------------------------------------------------------------------
# From the content files
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class MappingChange:
    """One mapping the import added or removed."""

    action: str  # "created" | "removed"
    subject: str  # "course data-entry-accuracy" / "assessment invoice-entry"
    skill: str

    @property
    def bucket(self) -> str:
        """Where an import report lists it."""
        return "created" if self.action == "created" else "updated"

    @property
    def detail(self) -> str:
        if self.action == "created":
            return f"maps {self.skill} (default rule)"
        return f"no longer maps {self.skill}"

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail}"


def sync_mappings_from_content() -> list[MappingChange]:
    """Give every file course and assessment one mapping per skill its file
    names (default rule, origin "file"); drop file mappings the files no longer
    name. Browser mappings are left alone. Five queries, then the writes."""
    skills = {s.slug: s for s in db.session.scalars(sa.select(Skill))}
    existing: dict[tuple[str, int, int], SkillMapping] = {}
    for mapping in db.session.scalars(sa.select(SkillMapping)):
        key = _key(mapping.course_id, mapping.assessment_id, mapping.skill_id)
        existing[key] = mapping
    changes: list[MappingChange] = []
    wanted: set[tuple[str, int, int]] = set()
    labels: dict[tuple[str, int], str] = {}
    for subject in _file_subjects():
        label = labels[_subject_key(subject, 0)[:2]] = _label(subject)
        for slug in subject.skills or []:
            skill = skills.get(slug)
            if skill is None:  # no framework file to check it against: nothing to map
                continue
            key = _subject_key(subject, skill.id)
            wanted.add(key)
            if key not in existing:
                db.session.add(_file_mapping(subject, skill))
                changes.append(MappingChange("created", label, slug))
    slugs = {s.id: s.slug for s in skills.values()}
    for key, mapping in existing.items():
        if mapping.origin == ORIGIN_FILE and key not in wanted:
            label = labels.get(key[:2], f"{key[0]} #{key[1]}")
            changes.append(MappingChange("removed", label, slugs[key[2]]))
            db.session.delete(mapping)
    db.session.flush()
    return changes


def _file_subjects() -> list[Assessment | Course]:
    courses = db.session.scalars(sa.select(Course).where(Course.origin == ORIGIN_FILE))
    assessments = db.session.scalars(
        sa.select(Assessment).where(Assessment.origin == ORIGIN_FILE)
    )
    return [*courses, *assessments]


def _file_mapping(subject: Assessment | Course, skill: Skill) -> SkillMapping:
    is_course = isinstance(subject, Course)
    return SkillMapping(
        skill_id=skill.id,
        course_id=subject.id if is_course else None,
        assessment_id=None if is_course else subject.id,
        rule=rules.default_rule(source_of(subject)),
        origin=ORIGIN_FILE,
    )


def _key(course_id, assessment_id, skill_id) -> tuple[str, int, int]:
    if course_id is not None:
        return ("course", course_id, skill_id)
    return ("assessment", assessment_id, skill_id)


def _subject_key(subject, skill_id: int) -> tuple[str, int, int]:
    if isinstance(subject, Course):
        return _key(subject.id, None, skill_id)
    return _key(None, subject.id, skill_id)


def _label(subject) -> str:
    kind = "course" if isinstance(subject, Course) else "assessment"
    return f"{kind} {subject.slug}"
