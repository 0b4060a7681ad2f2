"""Career paths as admins and trainers maintain them: paths, their roles in
ladder order, and the level each role requires in each skill.

* Rows from courses/_catalog/career_paths.toml (origin "file") are read-only
  here (`FileOwnedError`); rows made in the browser are never touched by an
  import. A role's requirements belong to the role: they are editable when
  the role is.
* Role slugs are unique across all paths (a goal names its role by slug in
  the API); slugs are fixed once created.
* Roles are ordered along their path by `position`, from 1; `move_role` swaps
  a role with its neighbour.

For readers: `path_roles`, `roles_by_path`, `requirements_of`,
`requirement_rows` (a role by slug: lms.skills.goals.role_by_slug). Every
change is audited. Services flush; the request or command commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.errors import NotFoundError
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.skills.framework import (
    FileOwnedError,
    FrameworkError,
    audit_change,
    checked_name,
    new_slug,
    next_position,
)
from lms.skills.levels import MAX_LEVEL, MIN_LEVEL
from lms.skills.models import (
    CareerPath,
    CareerRole,
    RoleRequirement,
    Skill,
)
from lms.skills.profile import framework_order

MOVES = ("earlier", "later")
PATHS_FILE_NOTE = (
    "comes from the career paths file (courses/_catalog/career_paths.toml); "
    "change it there and run flask content import"
)


def check_editable(row: CareerPath | CareerRole, what: str) -> None:
    if row.origin == ORIGIN_FILE:
        raise FileOwnedError(f"This {what} {PATHS_FILE_NOTE}.")


# --- reading ------------------------------------------------------------------------


def path_page(*, page: int, per_page: int):
    """Paths, the main ladder before side paths, a page at a time."""
    return db.paginate(
        sa.select(CareerPath).order_by(
            CareerPath.is_side_path, CareerPath.position, CareerPath.name
        ),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def roles_by_path(path_ids: Iterable[int]) -> dict[int, list[CareerRole]]:
    """{path id: its roles in ladder order}, in one query."""
    found: dict[int, list[CareerRole]] = {}
    ids = list(path_ids)
    if not ids:
        return found
    for role in db.session.scalars(
        sa.select(CareerRole)
        .where(CareerRole.path_id.in_(ids))
        .order_by(CareerRole.position, CareerRole.id)
    ):
        found.setdefault(role.path_id, []).append(role)
    return found


def path_roles(path: CareerPath) -> list[CareerRole]:
    """The path's roles, lowest step first."""
    return roles_by_path([path.id]).get(path.id, [])


def get_path(path_id: int) -> CareerPath:
    path = db.session.get(CareerPath, path_id)
    if path is None:
        raise NotFoundError("There is no such career path.")
    return path


def get_role(role_id: int) -> CareerRole:
    role = db.session.get(CareerRole, role_id, options=[joinedload(CareerRole.path)])
    if role is None:
        raise NotFoundError("There is no such role.")
    return role


def requirements_of(role_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """{role id: {skill id: level}}, in one query (lms.skills.careers takes these)."""
    found: dict[int, dict[int, int]] = {role_id: {} for role_id in role_ids}
    if not found:
        return found
    rows = db.session.execute(
        sa.select(
            RoleRequirement.role_id, RoleRequirement.skill_id, RoleRequirement.level
        ).where(RoleRequirement.role_id.in_(list(found)))
    )
    for role_id, skill_id, level in rows:
        found[role_id][skill_id] = level
    return found


def requirement_rows(role: CareerRole) -> list[RoleRequirement]:
    """The role's requirements with their skills, in framework order."""
    return list(
        db.session.scalars(
            sa.select(RoleRequirement)
            .join(RoleRequirement.skill)
            .join(Skill.category)
            .where(RoleRequirement.role_id == role.id)
            .options(joinedload(RoleRequirement.skill).joinedload(Skill.category))
            .order_by(*framework_order())
        )
    )


# --- paths --------------------------------------------------------------------------


def create_path(
    *, slug: str, name: str, description: str, is_side_path: bool, by
) -> CareerPath:
    slug = new_slug(slug, CareerPath, "path")
    path = CareerPath(
        slug=slug, origin=ORIGIN_UI, position=next_position(CareerPath.position)
    )
    _apply_path(path, name, description, is_side_path)
    db.session.add(path)
    db.session.flush()
    audit_change(by, "skills.path.create", path, {"slug": slug})
    return path


def update_path(
    path: CareerPath, *, name: str, description: str, is_side_path: bool, by
) -> None:
    check_editable(path, "career path")
    _apply_path(path, name, description, is_side_path)
    db.session.flush()
    audit_change(by, "skills.path.update", path, {"name": path.name})


def _apply_path(
    path: CareerPath, name: str, description: str, is_side_path: bool
) -> None:
    path.name = checked_name(name, "path")
    path.description = (description or "").strip()
    path.is_side_path = bool(is_side_path)


# --- roles --------------------------------------------------------------------------


def create_role(
    path: CareerPath, *, slug: str, name: str, description: str, by
) -> CareerRole:
    """A new role at the top of the path."""
    check_editable(path, "career path")
    slug = new_slug(slug, CareerRole, "role")
    role = CareerRole(
        slug=slug,
        path_id=path.id,
        origin=ORIGIN_UI,
        position=next_position(CareerRole.position, CareerRole.path_id == path.id),
    )
    role.name = checked_name(name, "role")
    role.description = (description or "").strip()
    db.session.add(role)
    db.session.flush()
    audit_change(by, "skills.role.create", role, {"slug": slug, "path": path.slug})
    return role


def update_role(role: CareerRole, *, name: str, description: str, by) -> None:
    check_editable(role, "role")
    role.name = checked_name(name, "role")
    role.description = (description or "").strip()
    db.session.flush()
    audit_change(by, "skills.role.update", role, {"name": role.name})


def move_role(role: CareerRole, direction: str, *, by) -> bool:
    """Swap the role with the step before ("earlier") or after ("later") it on
    its path; False when it is already at that end."""
    check_editable(role, "role")
    roles = roles_by_path([role.path_id]).get(role.path_id, [])
    index = next(i for i, other in enumerate(roles) if other.id == role.id)
    target = index - 1 if direction == "earlier" else index + 1
    if direction not in MOVES or not 0 <= target < len(roles):
        return False
    roles[index], roles[target] = roles[target], roles[index]
    for position, other in enumerate(roles, 1):
        other.position = position
    db.session.flush()
    audit_change(by, "skills.role.move", role, {"direction": direction})
    return True


def set_requirements(role: CareerRole, levels: Mapping[int, int | None], *, by) -> int:
    """Set the role's required level per skill id (None or 0: not required).
    Skills not in `levels` keep their requirement. Returns how many changed."""
    check_editable(role, "role")
    current = {
        row.skill_id: row
        for row in db.session.scalars(
            sa.select(RoleRequirement).where(RoleRequirement.role_id == role.id)
        )
    }
    known = set(
        db.session.scalars(sa.select(Skill.id).where(Skill.id.in_(list(levels))))
    )
    changed: dict[str, list] = {"set": [], "removed": []}
    for skill_id, level in levels.items():
        if skill_id not in known:
            raise NotFoundError("One of those skills no longer exists.")
        row = current.get(skill_id)
        if not level:
            if row is not None:
                db.session.delete(row)
                changed["removed"].append(skill_id)
            continue
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise FrameworkError(f"A required level is {MIN_LEVEL} to {MAX_LEVEL}.")
        if row is None:
            db.session.add(
                RoleRequirement(role_id=role.id, skill_id=skill_id, level=level)
            )
        elif row.level == level:
            continue
        else:
            row.level = level
        changed["set"].append([skill_id, level])
    db.session.flush()
    count = len(changed["set"]) + len(changed["removed"])
    if count:
        audit_change(by, "skills.role.requirements", role, changed)
    return count
