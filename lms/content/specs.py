"""What the content loader returns: plain specs of courses, modules and assessments,
and the problems it found, each as `path:line: field: message`.

Pure data: no Flask, no database. The importer (lms.content.importer) writes the
specs; `flask content check` prints the errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lms.skills.catalog_specs import SkillCatalog


@dataclass(frozen=True)
class ContentError:
    """One problem in one file; str() gives `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class ModuleSpec:
    """One lesson of a course: modules/NN-slug.md (position NN), its Markdown body."""

    slug: str
    position: int
    title: str
    minutes: int | None
    body_md: str
    path: str


@dataclass(frozen=True)
class CourseSpec:
    """One courses/<slug>/ folder: course.toml and its modules in position order."""

    slug: str
    title: str
    summary: str
    level: str | None
    estimated_minutes: int | None
    skills: list[str]
    published: bool
    modules: list[ModuleSpec]
    content_hash: str
    path: str
    # [completion]: what earns a module's completion (lms.courses.earning)
    completion_rules: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AssessmentSpec:
    """One quizzes/<slug>.toml: the keys every kind shares, and the kind's own
    `settings` and `content` as its reader gave them."""

    slug: str
    kind: str
    title: str
    description_md: str
    course_slug: str | None
    skills: list[str]
    time_limit_seconds: int | None
    attempts_allowed: int
    on_expiry: str
    published: bool
    settings: dict[str, Any]
    content: dict[str, Any]
    content_hash: str
    path: str


@dataclass
class Catalog:
    """Everything read from one content root, and every problem found in it."""

    courses: list[CourseSpec] = field(default_factory=list)
    assessments: list[AssessmentSpec] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    # courses/_catalog/: the skills framework and career paths (lms.skills.catalog)
    skill_catalog: SkillCatalog | None = None


def sorted_errors(errors: list[ContentError]) -> list[ContentError]:
    """By file, then line; problems on one line keep the order they were found in."""
    return sorted(errors, key=lambda e: (e.path, e.line))
