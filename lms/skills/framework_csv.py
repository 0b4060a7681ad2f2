"""Export and import the skills framework as CSV (format: lms.skills.csv_io,
docs/content-format.md "Framework CSV").

* `export_csv()` writes every active skill with its category, in framework
  order.
* `preview_import(data)` reads the file and checks it against the database
  without writing: a skill from the content files may appear only unchanged
  (as an export has it), a category from the files keeps its group, and a new
  category's slug (made from its name) must be free. It says what an import
  would create, update or leave.
* `import_framework(data, by)` checks again and, only when the whole file is
  clean, creates the new categories and creates or updates the skills through
  lms.skills.framework (so its rules and audit apply); otherwise it raises
  `ImportRejectedError` with every problem and writes nothing. It flushes; the
  caller commits.

Skills missing from the file are left as they are; an import never
deactivates anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.content.tables import SLUG_MAX, SLUG_RE
from lms.errors import ValidationError
from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.skills import csv_io, framework
from lms.skills.models import Skill, SkillCategory
from lms.skills.profile import active_skills


class ImportRejectedError(ValidationError):
    """The file has problems; nothing was written."""

    def __init__(self, preview: Preview) -> None:
        count = len(preview.errors)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
        )
        self.preview = preview


@dataclass
class Preview:
    """What an import of the file would do, and every problem in it."""

    validation: csv_io.Validation
    created: list[str] = field(default_factory=list)  # skill slugs
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)  # names

    @property
    def rows(self) -> list[csv_io.SkillRow]:
        return self.validation.rows

    @property
    def errors(self) -> list[csv_io.Problem]:
        return self.validation.errors

    @property
    def ok(self) -> bool:
        return self.validation.ok


@dataclass
class Outcome:
    created: list[Skill]
    updated: list[Skill]
    unchanged: int
    new_categories: list[SkillCategory]


def export_csv() -> str:
    """Every active skill as CSV text, in framework order."""
    return csv_io.write(
        (
            skill.category.name,
            skill.category.group,
            skill.slug,
            skill.name,
            skill.description,
            *_descriptors(skill),
        )
        for skill in active_skills()
    )


def preview_import(data: bytes | str) -> Preview:
    """Read and check the file against the database; writes nothing."""
    preview = Preview(csv_io.read(data))
    # Lines the file alone faults are not looked up, so each problem shows once.
    rows = [row for row in preview.rows if not row.problems]
    categories = _categories()
    skills = framework.skills_by_slug(row.slug for row in rows)
    new_categories: dict[str, str] = {}  # casefolded name -> name
    for row in rows:
        category = _match(categories, row.category)
        if category is None:
            _check_new_category(row, categories, new_categories)
        elif category.origin == ORIGIN_FILE and category.group != row.category_group:
            row.problem(
                "category_group",
                f"“{category.name}” comes from the skills file, where it is "
                f"{category.group}; change it there.",
            )
        skill = skills.get(row.slug)
        if skill is None:
            preview.created.append(row.slug)
        elif _same(skill, row, category):
            preview.unchanged.append(row.slug)
        elif skill.origin == ORIGIN_FILE:
            row.problem(
                "slug",
                f"{row.slug} {framework.SKILLS_FILE_NOTE}; leave its line as the "
                "export has it or remove the line.",
            )
        else:
            preview.updated.append(row.slug)
    preview.new_categories = list(new_categories.values())
    return preview


def import_framework(data: bytes | str, *, by) -> Outcome:
    """Create or update every skill of the file, or nothing (see module doc)."""
    preview = preview_import(data)
    if not preview.ok:
        raise ImportRejectedError(preview)
    categories = _categories()
    created_categories = []
    for name in preview.new_categories:
        row = next(r for r in preview.rows if r.category.casefold() == name.casefold())
        category = framework.create_category(
            slug=category_slug(name), name=name, group=row.category_group, by=by
        )
        categories.append(category)
        created_categories.append(category)
    skills = framework.skills_by_slug(preview.created + preview.updated)
    outcome = Outcome([], [], len(preview.unchanged), created_categories)
    for row in preview.rows:
        if row.slug in preview.unchanged:
            continue
        category = _match(categories, row.category)
        if category.origin != ORIGIN_FILE and category.group != row.category_group:
            framework.update_category(
                category, name=category.name, group=row.category_group, by=by
            )
        values = {
            "name": row.name,
            "description": row.description,
            "category": category,
            "levels": row.levels,
            "by": by,
        }
        if row.slug in skills:
            framework.update_skill(skills[row.slug], **values)
            outcome.updated.append(skills[row.slug])
        else:
            outcome.created.append(framework.create_skill(slug=row.slug, **values))
    return outcome


def category_slug(name: str) -> str:
    """A slug made from a category name: "Keying & accuracy" → "keying-accuracy"."""
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def _categories() -> list[SkillCategory]:
    return list(db.session.scalars(sa.select(SkillCategory)))


def _match(categories: list[SkillCategory], text: str) -> SkillCategory | None:
    """The category named `text` or with that slug, in any case."""
    key = text.casefold()
    return next((c for c in categories if key in (c.name.casefold(), c.slug)), None)


def _check_new_category(
    row: csv_io.SkillRow,
    categories: list[SkillCategory],
    new_categories: dict[str, str],
) -> None:
    key = row.category.casefold()
    if key in new_categories:
        return
    slug = category_slug(row.category)
    if not SLUG_RE.match(slug):
        row.problem(
            "category",
            f"“{row.category}” cannot become a category: its name needs letters or "
            "digits.",
        )
        return
    clash = next((c for c in categories if c.slug == slug), None)
    taken = {category_slug(name) for name in new_categories.values()}
    if clash is not None or slug in taken:
        other = clash.name if clash is not None else "another new category"
        row.problem(
            "category",
            f"A new category “{row.category}” would get the slug {slug}, which "
            f"{other} already has; use that category’s name.",
        )
        return
    new_categories[key] = row.category


def _same(skill: Skill, row: csv_io.SkillRow, category: SkillCategory | None) -> bool:
    return (
        category is not None
        and skill.category_id == category.id
        and category.group == row.category_group
        and skill.name == row.name
        and (skill.description or "") == row.description
        and _descriptors(skill) == list(row.levels)
    )


def _descriptors(skill: Skill) -> list[str]:
    levels = list(skill.level_descriptors or [])
    return (levels + [""] * len(csv_io.LEVEL_COLUMNS))[: len(csv_io.LEVEL_COLUMNS)]
