"""The skills framework as admins and trainers maintain it: the level method,
categories, and skills with a descriptor for each of the five levels.

* Rows from courses/_catalog/skills.toml (origin "file") are read-only here:
  changing one raises `FileOwnedError`, whose message says where to change it.
  Rows made in the browser (origin "ui") are never touched by an import.
* A skill is never deleted (evidence, levels and mappings point at it): it is
  deactivated, which hides it from new mappings, requirements and profiles,
  and can be reactivated.
* The level method (lms.skills.levels) is the framework's one settings row.
  Saving it is audited (`SETTINGS_CHANGED`), recomputes everyone's levels when
  the method changed, and from then on `flask content import` keeps the
  browser's settings instead of the file's (lms.skills.catalog_sync).
* Slugs are fixed once created: content files and other records name skills
  and categories by slug.

Every change is audited. Services flush; the request or command commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms import clock
from lms.audit import services as audit
from lms.audit.models import AuditEvent
from lms.content.tables import SLUG_MAX, SLUG_RE
from lms.errors import NotFoundError, PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.skills.catalog import NAME_MAX
from lms.skills.catalog_specs import GROUPS, LEVEL_NAMES
from lms.skills.evidence import recompute_everyone
from lms.skills.levels import Method
from lms.skills.models import Skill, SkillCategory, SkillFramework
from lms.skills.profile import framework_order

SETTINGS_CHANGED = "skills.settings.update"  # the audit action of a settings save
SKILLS_FILE_NOTE = (
    "comes from the skills file (courses/_catalog/skills.toml); change it there "
    "and run flask content import"
)
STATUSES = ("active", "inactive")


class FileOwnedError(PermissionDeniedError):
    """A row from the content files was to be changed in the browser."""


class FrameworkError(ValidationError):
    """A framework change that cannot be saved as asked; the message says why."""


def check_editable(row: SkillCategory | Skill, what: str) -> None:
    """Refuse changes to rows that come from the content files."""
    if row.origin == ORIGIN_FILE:
        raise FileOwnedError(f"This {what} {SKILLS_FILE_NOTE}.")


# --- the level method ---------------------------------------------------------------


def framework_settings() -> SkillFramework | None:
    """The framework's settings row (None before the first import or save)."""
    return db.session.scalars(
        sa.select(SkillFramework).order_by(SkillFramework.id)
    ).first()


def update_settings(
    *, method: str, recent_days: int, decay: float, by
) -> SkillFramework:
    """Save the level method; everyone's levels follow when it changed."""
    try:
        wanted = Method(method, recent_days, decay)
    except ValueError as exc:
        raise FrameworkError(str(exc)) from exc
    framework = framework_settings()
    if framework is None:
        framework = SkillFramework()
        db.session.add(framework)
    before = Method.of(framework) if framework.id else Method()
    framework.method = wanted.name
    framework.recent_days = wanted.recent_days
    framework.decay = wanted.decay
    framework.updated_at = clock.now()
    db.session.flush()
    audit.record(
        by,
        SETTINGS_CHANGED,
        "skill_framework",
        framework.id,
        {"before": _method_details(before), "after": _method_details(wanted)},
    )
    if wanted != before:
        recompute_everyone(wanted)
    return framework


def settings_saved_in_browser(framework: SkillFramework) -> bool:
    """True once someone saved the settings in the browser (the audit log says so)."""
    return (
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    AuditEvent.action == SETTINGS_CHANGED,
                    AuditEvent.target_type == "skill_framework",
                    AuditEvent.target_id == framework.id,
                )
            )
        )
        or False
    )


def _method_details(method: Method) -> dict:
    return {
        "method": method.name,
        "recent_days": method.recent_days,
        "decay": method.decay,
    }


# --- categories ---------------------------------------------------------------------


def category_order() -> tuple:
    """Categories in framework order (technical first, then by position and name)."""
    return framework_order()[:3]


def category_page(*, page: int, per_page: int):
    """Categories in order, a page at a time; `skill_counts` gives their sizes."""
    return db.paginate(
        sa.select(SkillCategory).order_by(*category_order()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def skill_counts(category_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(active, all) skills per category, in one query."""
    rows = db.session.execute(
        sa.select(
            Skill.category_id,
            sa.func.count(Skill.id).filter(Skill.is_active.is_(True)),
            sa.func.count(Skill.id),
        )
        .where(Skill.category_id.in_(list(category_ids)))
        .group_by(Skill.category_id)
    ).all()
    return {category_id: (active, total) for category_id, active, total in rows}


def category_choices() -> list[tuple[int, str]]:
    """(id, "Name (group)") of every category, for selects."""
    rows = db.session.execute(
        sa.select(SkillCategory.id, SkillCategory.name, SkillCategory.group).order_by(
            *category_order()
        )
    ).all()
    return [(row.id, f"{row.name} ({row.group})") for row in rows]


def get_category(category_id: int) -> SkillCategory:
    category = db.session.get(SkillCategory, category_id)
    if category is None:
        raise NotFoundError("There is no such skill category.")
    return category


def category_by_slug(slug: str) -> SkillCategory | None:
    return db.session.scalars(
        sa.select(SkillCategory).where(SkillCategory.slug == slug)
    ).first()


def create_category(*, slug: str, name: str, group: str, by) -> SkillCategory:
    slug = new_slug(slug, SkillCategory, "category")
    category = SkillCategory(
        slug=slug,
        origin=ORIGIN_UI,
        position=next_position(SkillCategory.position),
    )
    _apply_category(category, name=name, group=group)
    db.session.add(category)
    db.session.flush()
    audit_change(by, "skills.category.create", category, {"slug": slug})
    return category


def update_category(category: SkillCategory, *, name: str, group: str, by) -> None:
    check_editable(category, "category")
    _apply_category(category, name=name, group=group)
    db.session.flush()
    audit_change(by, "skills.category.update", category, {"name": category.name})


def _apply_category(category: SkillCategory, *, name: str, group: str) -> None:
    category.name = checked_name(name, "category")
    if group not in GROUPS:
        raise FrameworkError(f"A category's group is one of {', '.join(GROUPS)}.")
    category.group = group


# --- skills -------------------------------------------------------------------------


def skill_page(
    *, category_id: int | None = None, status: str = "", page: int, per_page: int
):
    """Skills with their category, in framework order, a page at a time.
    `status` is "active", "inactive" or "" for both."""
    query = (
        sa.select(Skill)
        .join(Skill.category)
        .options(joinedload(Skill.category))
        .order_by(*framework_order())
    )
    if category_id is not None:
        query = query.where(Skill.category_id == category_id)
    if status in STATUSES:
        query = query.where(Skill.is_active.is_(status == "active"))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_skill(skill_id: int) -> Skill:
    skill = db.session.get(Skill, skill_id, options=[joinedload(Skill.category)])
    if skill is None:
        raise NotFoundError("There is no such skill.")
    return skill


def skills_by_slug(slugs: Iterable[str]) -> dict[str, Skill]:
    """{slug: Skill} for the slugs that exist (active or not), categories loaded."""
    wanted = sorted(set(slugs))
    if not wanted:
        return {}
    rows = db.session.scalars(
        sa.select(Skill)
        .where(Skill.slug.in_(wanted))
        .options(joinedload(Skill.category))
    )
    return {skill.slug: skill for skill in rows}


def create_skill(
    *,
    slug: str,
    name: str,
    description: str,
    category: SkillCategory,
    levels: Sequence[str],
    by,
) -> Skill:
    slug = new_slug(slug, Skill, "skill")
    skill = Skill(slug=slug, origin=ORIGIN_UI, is_active=True, category=category)
    _apply_skill(
        skill, name=name, description=description, category=category, levels=levels
    )
    skill.position = next_position(Skill.position, Skill.category_id == category.id)
    db.session.add(skill)
    db.session.flush()
    audit_change(by, "skills.skill.create", skill, {"slug": slug})
    return skill


def update_skill(
    skill: Skill,
    *,
    name: str,
    description: str,
    category: SkillCategory,
    levels: Sequence[str],
    by,
) -> None:
    check_editable(skill, "skill")
    _apply_skill(
        skill, name=name, description=description, category=category, levels=levels
    )
    db.session.flush()
    audit_change(by, "skills.skill.update", skill, {"name": skill.name})


def set_skill_active(skill: Skill, active: bool, *, by) -> None:
    """Deactivate (kept with its evidence, hidden from new use) or reactivate."""
    check_editable(skill, "skill")
    if skill.is_active == active:
        return
    skill.is_active = active
    db.session.flush()
    action = "skills.skill.reactivate" if active else "skills.skill.deactivate"
    audit_change(by, action, skill, {"slug": skill.slug})


def _apply_skill(
    skill: Skill,
    *,
    name: str,
    description: str,
    category: SkillCategory,
    levels: Sequence[str],
) -> None:
    skill.name = checked_name(name, "skill")
    skill.description = (description or "").strip()
    skill.category = category
    skill.category_id = category.id
    skill.level_descriptors = checked_descriptors(levels)


def checked_descriptors(levels: Sequence[str]) -> list[str]:
    """Exactly one non-empty descriptor per level, trimmed."""
    texts = [(text or "").strip() for text in levels]
    if len(texts) != len(LEVEL_NAMES):
        raise FrameworkError(
            f"A skill needs exactly {len(LEVEL_NAMES)} level descriptors "
            f"({', '.join(LEVEL_NAMES)})."
        )
    empty = [f"{n} {LEVEL_NAMES[n - 1]}" for n, text in enumerate(texts, 1) if not text]
    if empty:
        raise FrameworkError(f"Describe every level; missing: {', '.join(empty)}.")
    return texts


# --- shared -------------------------------------------------------------------------


def check_slug(slug: str) -> str:
    """A trimmed slug in the shape content files use, or FrameworkError."""
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
        raise FrameworkError(
            "A slug uses lowercase letters, digits and single hyphens "
            f"(e.g. data-entry), at most {SLUG_MAX} characters."
        )
    return slug


def new_slug(slug: str, model, what: str) -> str:
    """A valid slug no other row of `model` has, or FrameworkError."""
    slug = check_slug(slug)
    taken = db.session.scalar(sa.select(sa.exists().where(model.slug == slug)))
    if taken:
        raise FrameworkError(f"Another {what} already has the slug “{slug}”.")
    return slug


def checked_name(name: str, what: str) -> str:
    """The name with runs of spaces collapsed; not empty, at most NAME_MAX."""
    name = " ".join((name or "").split())
    if not name:
        raise FrameworkError(f"Give the {what} a name.")
    if len(name) > NAME_MAX:
        raise FrameworkError(f"A {what} name has at most {NAME_MAX} characters.")
    return name


def next_position(column, *conditions) -> int:
    """One past the largest position among the rows matching `conditions`."""
    current = db.session.scalar(sa.select(sa.func.max(column)).where(*conditions))
    return (current or 0) + 1


def audit_change(by, action: str, row, details: dict) -> None:
    """Audit a change to a framework or career-path row."""
    audit.record(by, action, row.__tablename__, row.id, details)
