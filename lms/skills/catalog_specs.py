"""What the skills catalog reader (lms.skills.catalog) returns: plain specs of the
framework, its categories and skills, and the career paths with their roles and
required levels, plus the names of the five levels.

Pure data: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.content.specs import ContentError
from lms.skills.levels import MAX_LEVEL, MIN_LEVEL

LEVEL_NAMES = ("Awareness", "Working", "Proficient", "Advanced", "Expert")
GROUPS = ("technical", "professional")


def level_name(level: int) -> str:
    """ "Proficient" for 3; "" outside 1–5 (0 is "no evidence yet")."""
    return LEVEL_NAMES[level - 1] if MIN_LEVEL <= level <= MAX_LEVEL else ""


@dataclass(frozen=True)
class FrameworkSpec:
    """The `[framework]` table: how evidence becomes a level (lms.skills.levels)."""

    name: str
    method: str
    recent_days: int
    decay: float


@dataclass(frozen=True)
class SkillSpec:
    slug: str
    name: str
    description: str
    levels: tuple[str, ...]  # the descriptors of levels 1–5
    category_slug: str
    position: int


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    group: str
    position: int
    skills: tuple[SkillSpec, ...]


@dataclass(frozen=True)
class RoleSpec:
    slug: str
    name: str
    description: str
    position: int  # order along its path, from 1
    requires: dict[str, int]  # skill slug -> level 1–5


@dataclass(frozen=True)
class PathSpec:
    slug: str
    name: str
    description: str
    side_path: bool
    position: int
    roles: tuple[RoleSpec, ...]


@dataclass
class SkillCatalog:
    """Everything read from courses/_catalog/, and every problem found in it.

    `present` is False when there is no skills.toml: content may then name any
    skill slug (nothing to check them against)."""

    present: bool = False
    framework: FrameworkSpec | None = None
    categories: list[CategorySpec] = field(default_factory=list)
    paths: list[PathSpec] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    # Every well-formed skill slug the file names, even in entries with errors:
    # references are checked against these, so one bad skill is one error.
    named_skills: set[str] = field(default_factory=set)

    @property
    def skills(self) -> list[SkillSpec]:
        return [skill for category in self.categories for skill in category.skills]

    def skill_slugs(self) -> set[str]:
        return {skill.slug for skill in self.skills}

    @property
    def roles(self) -> list[RoleSpec]:
        return [role for path in self.paths for role in path.roles]
