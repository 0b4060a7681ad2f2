"""Write what lms.content.loader read into the database: courses, modules, assessments.

Rules (docs/content-format.md, ARCHITECTURE §7):

* Nothing is written when the loader found any error.
* Upsert by slug. Courses and assessments from files have origin "file"; rows
  authored in the browser (origin "ui") are never touched, and a file whose
  slug clashes with one is reported as skipped.
* Modules are matched by slug (the file name without `NN-`): new ones are
  added, changed ones updated (Markdown rendered and sanitised here, once),
  ones whose file disappeared are retired (`is_active = False`) so learners'
  progress rows survive. A module whose file comes back is reactivated.
* An assessment whose content hash changed gets `version += 1`; live attempts
  keep the snapshot the engine copied at start. Unchanged hashes are skipped,
  so a second import changes nothing.
* Content whose files disappeared is unpublished, never deleted.
* The skills framework and career paths of courses/_catalog/ are written
  first, by lms.skills.catalog_sync (its own rules are in its docstring).
* Then each file course and assessment gets a skill mapping, with the default
  rule, for every skill its file names (lms.skills.mappings).
* Last, the question bank holds every question of the quiz files and of the
  GIFT/Aiken banks in quizzes/_banks, read-only (lms.quizzes.file_bank has
  its rules). A bank file with an error stops the import like any other.
  `ImportReport.questions` counts them apart from the rows above.

The importer only adds and flushes; the caller commits once (or rolls back),
so the whole import is one transaction. `dry_run=True` rolls the session
back before returning, so call it with nothing else pending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.content import loader
from lms.content.specs import AssessmentSpec, ContentError, CourseSpec, ModuleSpec
from lms.courses.models import Course, Module
from lms.extensions import db
from lms.markdown import render_lesson, render_markdown
from lms.origins import ORIGIN_FILE
from lms.quizzes import file_bank
from lms.skills.catalog_sync import sync_catalog
from lms.skills.mappings import sync_mappings_from_content


@dataclass(frozen=True)
class Change:
    """One row the import touched (or would touch): `course data-entry-accuracy`."""

    kind: str  # "course" | "assessment" | "skill" | "role" | ... (catalog rows)
    slug: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.kind} {self.slug}"
        return f"{text}: {self.detail}" if self.detail else text


@dataclass
class ImportReport:
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    unpublished: list[Change] = field(default_factory=list)
    skipped: list[Change] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    dry_run: bool = False
    # The file questions kept in the question bank (lms.quizzes.file_bank).
    questions: file_bank.SyncCounts = field(default_factory=file_bank.SyncCounts)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(
            self.created or self.updated or self.unpublished or self.questions.changed
        )

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name))
            for name in ("created", "updated", "unchanged", "unpublished", "skipped")
        }

    def summary(self) -> str:
        text = ", ".join(f"{n} {name}" for name, n in self.counts().items())
        if self.questions.changed:
            text += f"; bank questions from the files: {self.questions}"
        return text


def import_content(
    courses_dir: Path | str, quizzes_dir: Path | str, *, dry_run: bool = False
) -> ImportReport:
    """Load, validate and upsert everything; the caller commits (see module docstring)."""
    catalog = loader.load_content(courses_dir, quizzes_dir)
    bank_questions, bank_errors = file_bank.read_bank_files(quizzes_dir)
    report = ImportReport(errors=[*catalog.errors, *bank_errors], dry_run=dry_run)
    if report.errors:
        return report
    for change in sync_catalog(catalog.skill_catalog):
        getattr(report, change.bucket).append(
            Change(change.kind, change.slug, change.detail)
        )
    file_courses = _sync_courses(catalog.courses, report)
    _sync_assessments(catalog.assessments, file_courses, report)
    for change in sync_mappings_from_content():
        getattr(report, change.bucket).append(
            Change("mapping", change.subject, change.detail)
        )
    report.questions = file_bank.sync_file_questions(
        [*file_bank.quiz_questions(catalog.assessments), *bank_questions]
    )
    db.session.flush()
    if dry_run:
        db.session.rollback()
    return report


# --- courses -----------------------------------------------------------------


def _sync_courses(specs: list[CourseSpec], report: ImportReport) -> dict[str, Course]:
    """Upsert courses; returns the file-origin courses by slug (for assessment links)."""
    slugs = [spec.slug for spec in specs]
    rows = {
        c.slug: c
        for c in db.session.scalars(
            sa.select(Course).where(
                sa.or_(Course.slug.in_(slugs), Course.origin == ORIGIN_FILE)
            )
        )
    }
    modules_by_course: dict[int, dict[str, Module]] = {}
    course_ids = [c.id for c in rows.values() if c.origin == ORIGIN_FILE]
    if course_ids:
        for module in db.session.scalars(
            sa.select(Module).where(Module.course_id.in_(course_ids))
        ):
            modules_by_course.setdefault(module.course_id, {})[module.slug] = module

    file_courses: dict[str, Course] = {}
    for spec in specs:
        course = rows.get(spec.slug)
        if course is not None and course.origin != ORIGIN_FILE:
            report.skipped.append(
                Change(
                    "course",
                    spec.slug,
                    f"a course with this slug was created in the browser and is never "
                    f"overwritten; rename the folder {spec.path.rsplit('/', 1)[0]} "
                    "or the browser course",
                )
            )
            continue
        if course is None:
            course = Course(slug=spec.slug, origin=ORIGIN_FILE)
            db.session.add(course)
            _apply_course(course, spec)
            db.session.flush()
            for module_spec in spec.modules:
                db.session.add(_new_module(course, module_spec))
            report.created.append(
                Change("course", spec.slug, f"{len(spec.modules)} modules")
            )
        elif course.content_hash == spec.content_hash and (
            course.is_published == spec.published
        ):
            report.unchanged.append(Change("course", spec.slug))
        else:
            content_changed = course.content_hash != spec.content_hash
            _apply_course(course, spec)
            detail = (
                _sync_modules(course, spec, modules_by_course.get(course.id, {}))
                if content_changed
                else ""
            )
            report.updated.append(
                Change("course", spec.slug, detail or _published_word(spec.published))
            )
        file_courses[spec.slug] = course

    present = set(slugs)
    for slug, course in sorted(rows.items()):
        if course.origin == ORIGIN_FILE and slug not in present and course.is_published:
            course.is_published = False
            report.unpublished.append(
                Change("course", slug, "its folder is gone; unpublished, not deleted")
            )
    db.session.flush()
    return file_courses


def _apply_course(course: Course, spec: CourseSpec) -> None:
    course.title = spec.title
    course.summary = spec.summary
    course.level = spec.level
    course.estimated_minutes = spec.estimated_minutes
    course.skills = list(spec.skills)
    course.completion_rules = dict(spec.completion_rules)
    course.is_published = spec.published
    course.content_hash = spec.content_hash


def _new_module(course: Course, spec: ModuleSpec) -> Module:
    module = Module(course_id=course.id, slug=spec.slug)
    _apply_module(module, spec)
    return module


def _apply_module(module: Module, spec: ModuleSpec) -> bool:
    """Copy the spec onto the row; True when anything changed."""
    values = {
        "position": spec.position,
        "title": spec.title,
        "minutes": spec.minutes,
        "body_md": spec.body_md,
        "is_active": True,
    }
    changed = _assign(module, values)
    if changed or not module.body_html:
        module.body_html = render_lesson(spec.body_md)
    return changed


def _sync_modules(course: Course, spec: CourseSpec, existing: dict[str, Module]) -> str:
    added = updated = retired = 0
    for module_spec in spec.modules:
        module = existing.get(module_spec.slug)
        if module is None:
            db.session.add(_new_module(course, module_spec))
            added += 1
        elif _apply_module(module, module_spec):
            updated += 1
    wanted = {m.slug for m in spec.modules}
    for slug, module in existing.items():
        if slug not in wanted and module.is_active:
            module.is_active = False
            retired += 1
    parts = [
        f"{n} module{'s' if n != 1 else ''} {what}"
        for n, what in ((added, "added"), (updated, "updated"), (retired, "retired"))
        if n
    ]
    return ", ".join(parts) or "course details changed"


# --- assessments -------------------------------------------------------------


def _sync_assessments(
    specs: list[AssessmentSpec], file_courses: dict[str, Course], report: ImportReport
) -> None:
    slugs = [spec.slug for spec in specs]
    rows = {
        a.slug: a
        for a in db.session.scalars(
            sa.select(Assessment).where(
                sa.or_(Assessment.slug.in_(slugs), Assessment.origin == ORIGIN_FILE)
            )
        )
    }
    for spec in specs:
        assessment = rows.get(spec.slug)
        course = file_courses.get(spec.course_slug) if spec.course_slug else None
        course_id = course.id if course is not None else None
        if assessment is not None and assessment.origin != ORIGIN_FILE:
            report.skipped.append(
                Change(
                    "assessment",
                    spec.slug,
                    f"an assessment with this slug was created in the browser and is "
                    f"never overwritten; rename {spec.path} or the browser assessment",
                )
            )
            continue
        if assessment is None:
            assessment = Assessment(slug=spec.slug, origin=ORIGIN_FILE, version=1)
            _apply_assessment(assessment, spec, course_id)
            db.session.add(assessment)
            report.created.append(Change("assessment", spec.slug, spec.kind))
        elif (
            assessment.content_hash == spec.content_hash
            and assessment.is_published == spec.published
            and assessment.course_id == course_id
        ):
            report.unchanged.append(Change("assessment", spec.slug))
        elif assessment.content_hash != spec.content_hash:
            _apply_assessment(assessment, spec, course_id)
            assessment.version += 1
            report.updated.append(
                Change("assessment", spec.slug, f"now version {assessment.version}")
            )
        else:
            assessment.is_published = spec.published
            assessment.course_id = course_id
            report.updated.append(
                Change("assessment", spec.slug, _published_word(spec.published))
            )

    present = set(slugs)
    for slug, assessment in sorted(rows.items()):
        if (
            assessment.origin == ORIGIN_FILE
            and slug not in present
            and assessment.is_published
        ):
            assessment.is_published = False
            report.unpublished.append(
                Change("assessment", slug, "its file is gone; unpublished, not deleted")
            )
    db.session.flush()


def _apply_assessment(
    assessment: Assessment, spec: AssessmentSpec, course_id: int | None
) -> None:
    _assign(
        assessment,
        {
            "kind": spec.kind,
            "title": spec.title,
            "description_md": spec.description_md,
            "description_html": render_markdown(spec.description_md),
            "course_id": course_id,
            "skills": list(spec.skills),
            "settings": spec.settings,
            "content": spec.content,
            "time_limit_seconds": spec.time_limit_seconds,
            "attempts_allowed": spec.attempts_allowed,
            "on_expiry": spec.on_expiry,
            "is_published": spec.published,
            "content_hash": spec.content_hash,
        },
    )


# --- helpers -----------------------------------------------------------------


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _published_word(published: bool) -> str:
    return "published" if published else "unpublished by its file"
