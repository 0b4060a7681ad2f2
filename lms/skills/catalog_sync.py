"""Write what lms.skills.catalog read from courses/_catalog/ into the database,
as part of `flask content import` (lms.content.importer calls `sync_catalog`
inside its one transaction; this module only adds and flushes).

Rules (docs/content-format.md, "Skills framework" and "Career paths"):

* Upsert by slug: categories, skills, paths and roles from the files get
  origin "file". A row with the same slug made in the browser (origin "ui")
  is never changed and is reported as skipped.
* A skill that left the file is deactivated, never deleted (evidence and
  levels point at it); one that comes back is reactivated.
* A role's requirements are set to exactly the file's.
* A role that left the file is removed when no career goal points at it, and
  kept (reported) when one does; a path that left the file is removed once it
  has no roles left. Categories that left the file stay (their skills do).
* The framework's settings row is created from `[framework]` and follows the
  file until someone saves the settings in the browser; from then on the
  browser's choice stands and a differing file is reported as skipped.
* Unchanged rows are left alone, so a second import changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.skills.catalog_specs import (
    CategorySpec,
    FrameworkSpec,
    PathSpec,
    SkillCatalog,
    SkillSpec,
)
from lms.skills.framework import framework_settings, settings_saved_in_browser
from lms.skills.models import (
    CareerGoal,
    CareerPath,
    CareerRole,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillFramework,
)

BUCKETS = ("created", "updated", "unchanged", "unpublished", "skipped")


@dataclass(frozen=True)
class CatalogChange:
    """One row the import touched or left: bucket is one of BUCKETS."""

    bucket: str
    kind: str  # framework | category | skill | path | role
    slug: str
    detail: str = ""


class _Changes(list):
    def add(self, bucket: str, kind: str, slug: str, detail: str = "") -> None:
        self.append(CatalogChange(bucket, kind, slug, detail))


def sync_catalog(catalog: SkillCatalog | None) -> list[CatalogChange]:
    """Upsert the catalog; nothing happens when there is no skills.toml."""
    changes = _Changes()
    if catalog is None or not catalog.present:
        return changes
    if catalog.framework is not None:
        _sync_framework(catalog.framework, changes)
    categories = _sync_categories(catalog.categories, changes)
    skills = _sync_skills(catalog.skills, categories, changes)
    _sync_paths(catalog.paths, skills, changes)
    db.session.flush()
    return changes


def _sync_framework(spec: FrameworkSpec, changes: _Changes) -> None:
    values = {
        "name": spec.name,
        "method": spec.method,
        "recent_days": spec.recent_days,
        "decay": spec.decay,
    }
    framework = framework_settings()
    if framework is None:
        db.session.add(SkillFramework(**values))
        changes.add("created", "framework", "settings", _method_words(spec))
    elif all(getattr(framework, k) == v for k, v in values.items()):
        changes.add("unchanged", "framework", "settings")
    elif settings_saved_in_browser(framework):
        changes.add(
            "skipped",
            "framework",
            "settings",
            "the level method was saved in the browser and is kept "
            f"({framework.method}); the file says {_method_words(spec)}",
        )
    else:
        _assign(framework, values)
        changes.add("updated", "framework", "settings", _method_words(spec))


def _method_words(spec: FrameworkSpec) -> str:
    return f"{spec.method}, {spec.recent_days} days, decay {spec.decay:g}"


def _sync_categories(
    specs: list[CategorySpec], changes: _Changes
) -> dict[str, SkillCategory]:
    """Upsert categories; returns every category row by slug (for the skills)."""
    rows = _rows(SkillCategory, [spec.slug for spec in specs])
    for spec in specs:
        values = {"name": spec.name, "group": spec.group, "position": spec.position}
        rows[spec.slug] = _upsert(
            SkillCategory, rows.get(spec.slug), spec.slug, values, "category", changes
        )
    return rows


def _sync_skills(
    specs: list[SkillSpec],
    categories: dict[str, SkillCategory],
    changes: _Changes,
) -> dict[str, Skill]:
    """Upsert skills and deactivate the file's skills that left it; returns every
    skill row by slug (for the requirements)."""
    rows = _rows(Skill, [spec.slug for spec in specs])
    for spec in specs:
        values = {
            "name": spec.name,
            "description": spec.description,
            "level_descriptors": list(spec.levels),
            "category_id": categories[spec.category_slug].id,
            "position": spec.position,
            "is_active": True,
        }
        rows[spec.slug] = _upsert(
            Skill, rows.get(spec.slug), spec.slug, values, "skill", changes
        )
    present = {spec.slug for spec in specs}
    for slug, skill in sorted(rows.items()):
        if skill.origin == ORIGIN_FILE and slug not in present and skill.is_active:
            skill.is_active = False
            changes.add(
                "unpublished",
                "skill",
                slug,
                "no longer in skills.toml; deactivated, not deleted",
            )
    return rows


def _sync_paths(
    specs: list[PathSpec], skills: dict[str, Skill], changes: _Changes
) -> None:
    paths = _rows(CareerPath, [spec.slug for spec in specs])
    roles = _rows(CareerRole, [role.slug for spec in specs for role in spec.roles])
    wanted_roles: set[str] = set()
    for spec in specs:
        values = {
            "name": spec.name,
            "description": spec.description,
            "is_side_path": spec.side_path,
            "position": spec.position,
        }
        path = _upsert(
            CareerPath, paths.get(spec.slug), spec.slug, values, "path", changes
        )
        paths[spec.slug] = path
        for role_spec in spec.roles:
            wanted_roles.add(role_spec.slug)
            if path.origin != ORIGIN_FILE:
                changes.add(
                    "skipped",
                    "role",
                    role_spec.slug,
                    f"its path {spec.slug} was made in the browser",
                )
                continue
            values = {
                "name": role_spec.name,
                "description": role_spec.description,
                "path_id": path.id,
                "position": role_spec.position,
            }
            role = _upsert(
                CareerRole,
                roles.get(role_spec.slug),
                role_spec.slug,
                values,
                "role",
                changes,
            )
            roles[role_spec.slug] = role
            if role.origin == ORIGIN_FILE:
                required = {
                    skills[s].id: level for s, level in role_spec.requires.items()
                }
                _sync_requirements(role, required, role_spec.slug, changes)
    _retire_roles(roles, wanted_roles, changes)
    _retire_paths(paths, {spec.slug for spec in specs}, changes)


def _sync_requirements(
    role: CareerRole, required: dict[int, int], slug: str, changes: _Changes
) -> None:
    current = {
        row.skill_id: row
        for row in db.session.scalars(
            sa.select(RoleRequirement).where(RoleRequirement.role_id == role.id)
        )
    }
    added = changed = removed = 0
    for skill_id, level in required.items():
        row = current.get(skill_id)
        if row is None:
            db.session.add(
                RoleRequirement(role_id=role.id, skill_id=skill_id, level=level)
            )
            added += 1
        elif row.level != level:
            row.level = level
            changed += 1
    for skill_id, row in current.items():
        if skill_id not in required:
            db.session.delete(row)
            removed += 1
    if added + changed + removed and not _is_new(changes, "role", slug):
        detail = ", ".join(
            f"{n} requirement{'s' if n != 1 else ''} {what}"
            for n, what in (
                (added, "added"),
                (changed, "changed"),
                (removed, "removed"),
            )
            if n
        )
        _mark_updated(changes, "role", slug, detail)


def _retire_roles(
    roles: dict[str, CareerRole], wanted: set[str], changes: _Changes
) -> None:
    gone = [
        role
        for slug, role in sorted(roles.items())
        if role.origin == ORIGIN_FILE and slug not in wanted
    ]
    if not gone:
        return
    with_goals = set(
        db.session.scalars(
            sa.select(CareerGoal.role_id)
            .where(CareerGoal.role_id.in_([role.id for role in gone]))
            .distinct()
        )
    )
    for role in gone:
        if role.id in with_goals:
            changes.add(
                "skipped",
                "role",
                role.slug,
                "no longer in career_paths.toml but people's goals point at it; kept",
            )
            continue
        db.session.execute(
            sa.delete(RoleRequirement).where(RoleRequirement.role_id == role.id)
        )
        db.session.delete(role)
        changes.add(
            "unpublished", "role", role.slug, "no longer in career_paths.toml; removed"
        )
    db.session.flush()


def _retire_paths(
    paths: dict[str, CareerPath], wanted: set[str], changes: _Changes
) -> None:
    for slug, path in sorted(paths.items()):
        if path.origin != ORIGIN_FILE or slug in wanted:
            continue
        has_roles = db.session.scalar(
            sa.select(sa.exists().where(CareerRole.path_id == path.id))
        )
        if has_roles:
            changes.add(
                "skipped",
                "path",
                slug,
                "no longer in career_paths.toml but kept for its roles",
            )
        else:
            db.session.delete(path)
            changes.add(
                "unpublished", "path", slug, "no longer in career_paths.toml; removed"
            )


# --- helpers ------------------------------------------------------------------------


def _rows(model, slugs: list[str]) -> dict[str, Any]:
    """Rows of `model` with these slugs or from the files, by slug."""
    return {
        row.slug: row
        for row in db.session.scalars(
            sa.select(model).where(
                sa.or_(model.slug.in_(slugs), model.origin == ORIGIN_FILE)
            )
        )
    }


def _upsert(
    model, row, slug: str, values: dict[str, Any], kind: str, changes: _Changes
):
    """Create, update or leave one row; browser rows are reported and left."""
    if row is None:
        row = model(slug=slug, origin=ORIGIN_FILE, **values)
        db.session.add(row)
        db.session.flush()
        changes.add("created", kind, slug)
    elif row.origin != ORIGIN_FILE:
        changes.add(
            "skipped",
            kind,
            slug,
            f"a {kind} with this slug was made in the browser and is never overwritten",
        )
    elif _assign(row, values):
        changes.add("updated", kind, slug)
    else:
        changes.add("unchanged", kind, slug)
    return row


def _is_new(changes: _Changes, kind: str, slug: str) -> bool:
    return any(
        c.bucket == "created" and c.kind == kind and c.slug == slug for c in changes
    )


def _mark_updated(changes: _Changes, kind: str, slug: str, detail: str) -> None:
    """Turn the row's "unchanged" or "updated" entry into "updated: detail"."""
    for index, change in enumerate(changes):
        if change.kind == kind and change.slug == slug:
            changes[index] = CatalogChange("updated", kind, slug, detail)
            return
    changes.add("updated", kind, slug, detail)


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed
