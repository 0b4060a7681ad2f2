"""Read courses/_catalog/: the skills framework (skills.toml) and the career paths
(career_paths.toml), validating everything on the way.

Pure: no Flask, no database. `flask content check` prints what this finds (via
lms.content.loader) and `flask content import` writes it (lms.skills.catalog_sync).
The formats are docs/content-format.md ("Skills framework", "Career paths");
this module is their executable form. Every problem is a `ContentError(path,
line, field, message)` like the other content files, with a "did you mean" hint
for unknown keys and skill slugs.

* skills.toml: an optional `[framework]` table (name, level method and its
  numbers) and `[[categories]]`, each with a slug, a name, a group
  (technical | professional) and `[[categories.skills]]`: slug, name,
  description and exactly five level descriptors (1 Awareness … 5 Expert).
* career_paths.toml: `[[paths]]` (slug, name, description, side_path) with
  their `[[paths.roles]]` in ladder order, each role with a slug, a name, a
  description and `[paths.roles.requires]`: skill slug = level 1–5.

Slugs are unique within their kind across the whole catalog (a skill slug once
among all categories, a role slug once among all paths). Positions follow the
order in the file, counted from 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lms.content.files import File
from lms.content.specs import ContentError, sorted_errors
from lms.content.tables import SLUG_MAX, SLUG_RE, Table, did_you_mean
from lms.skills.catalog_specs import (
    GROUPS,
    LEVEL_NAMES,
    CategorySpec,
    FrameworkSpec,
    PathSpec,
    RoleSpec,
    SkillCatalog,
    SkillSpec,
    level_name,
)
from lms.skills.levels import MAX_LEVEL, METHODS, MIN_LEVEL

__all__ = [
    "GROUPS",
    "LEVEL_NAMES",
    "CategorySpec",
    "FrameworkSpec",
    "PathSpec",
    "RoleSpec",
    "SkillCatalog",
    "SkillSpec",
    "check_skill_references",
    "level_name",
    "load_catalog",
    "unknown_skill",
]

CATALOG_FOLDER = "_catalog"  # below the courses folder
SKILLS_FILE = "skills.toml"
PATHS_FILE = "career_paths.toml"

NAME_MAX = 120
MAX_RECENT_DAYS = 3650

SKILLS_KEYS = ("framework", "categories")
FRAMEWORK_KEYS = ("name", "method", "recent_days", "decay")
CATEGORY_KEYS = ("slug", "name", "group", "skills")
SKILL_KEYS = ("slug", "name", "description", "levels")
PATHS_KEYS = ("paths",)
PATH_KEYS = ("slug", "name", "description", "side_path", "roles")
ROLE_KEYS = ("slug", "name", "description", "requires")


def load_catalog(
    catalog_dir: Path | str, base: Path | str | None = None
) -> SkillCatalog:
    """Read skills.toml and career_paths.toml from `catalog_dir` (either may be
    absent). Paths in errors are relative to `base`, by default the folder above
    the courses folder (the content root)."""
    folder = Path(catalog_dir)
    root = Path(base) if base is not None else folder.parent.parent
    catalog = SkillCatalog()
    skills_path, paths_path = folder / SKILLS_FILE, folder / PATHS_FILE
    if skills_path.is_file():
        catalog.present = True
        _read_skills_file(File(skills_path, root, catalog.errors), catalog)
    if paths_path.is_file():
        _read_paths_file(File(paths_path, root, catalog.errors), catalog)
    catalog.errors = sorted_errors(catalog.errors)
    return catalog


def check_skill_references(
    items: Iterable[tuple[str, list[str]]], known: set[str], root: Path | str
) -> list[ContentError]:
    """An error for every `skills = [...]` slug not in the framework.

    `items` are (path relative to `root`, skill slugs) of courses and assessments;
    the error points at the file's `skills` line."""
    errors = []
    for path, slugs in items:
        unknown = [slug for slug in slugs if slug not in known]
        line = _top_level_key_line(Path(root) / path, "skills") if unknown else 1
        errors += [
            ContentError(path, line, "skills", unknown_skill(slug, known))
            for slug in unknown
        ]
    return errors


def unknown_skill(slug: str, known: Iterable[str]) -> str:
    """The message for a skill slug the framework does not have."""
    return (
        f"{slug!r} is not a skill of courses/{CATALOG_FOLDER}/{SKILLS_FILE}"
        + did_you_mean(slug, known)
    )


# --- skills.toml -----------------------------------------------------------------


def _read_skills_file(doc: File, catalog: SkillCatalog) -> None:
    data = doc.read_toml()
    if data is None:
        return
    top = Table(data, doc, "", lambda key: doc.loc.key(key))
    top.check_keys(SKILLS_KEYS)
    if "framework" in data:
        catalog.framework = _read_framework(doc, data["framework"])
    categories = data.get("categories")
    if not _array_of_tables(top, "categories", categories, "[[categories]]"):
        return
    reader = _SkillsReader(doc, catalog)
    for index, entry in enumerate(categories):
        reader.category(entry, index)


def _read_framework(doc: File, data: Any) -> FrameworkSpec | None:
    if not isinstance(data, dict):
        doc.error(
            "framework", "must be a table: [framework]", line=doc.loc.key("framework")
        )
        return None
    before = len(doc.errors)
    table = Table(data, doc, "framework", lambda key: doc.loc.key(key, "framework"))
    table.check_keys(FRAMEWORK_KEYS)
    name = table.text("name", default="Skills framework", max_len=NAME_MAX)
    method = table.choice("method", METHODS, required=True)
    days = table.integer("recent_days", default=365, minimum=1, maximum=MAX_RECENT_DAYS)
    decay = table.number("decay", default=0.65, minimum=0, maximum=1)
    if decay is not None and not 0 < decay < 1:
        table.error("decay", f"must be more than 0 and less than 1, not {decay!r}")
    if len(doc.errors) > before or None in (name, method, days, decay):
        return None
    return FrameworkSpec(name, method, days, float(decay))


class _SkillsReader:
    """Reads [[categories]] and their [[categories.skills]] in file order, counting
    the skills headers through the whole file to find each one's lines."""

    def __init__(self, doc: File, catalog: SkillCatalog) -> None:
        self.doc = doc
        self.catalog = catalog
        self.category_lines: dict[str, int] = {}
        self.skill_lines: dict[str, int] = {}
        self.skill_index = 0

    def category(self, entry: Any, index: int) -> None:
        doc = self.doc
        header = doc.loc.array_line("categories", index)
        if not isinstance(entry, dict):
            doc.error(f"categories[{index + 1}]", "must be a table", line=header)
            return
        before = len(doc.errors)
        label = _label("categories", entry.get("slug"), index)
        table = Table(
            entry, doc, label, lambda key: doc.loc.key(key, "categories", index)
        )
        table.check_keys(CATEGORY_KEYS)
        slug = _slug(table, self.category_lines, "category")
        name = table.text("name", required=True, max_len=NAME_MAX, line=header)
        group = table.choice("group", GROUPS, required=True)
        own_errors = len(doc.errors) > before
        entries = entry.get("skills")
        if not _array_of_tables(table, "skills", entries, "[[categories.skills]]"):
            return
        skills = [
            skill
            for number, skill_entry in enumerate(entries)
            if (skill := self.skill(skill_entry, slug, number)) is not None
        ]
        if not own_errors:
            self.catalog.categories.append(
                CategorySpec(slug, name, group, index + 1, tuple(skills))
            )

    def skill(self, entry: Any, category: str | None, number: int) -> SkillSpec | None:
        doc = self.doc
        index = self.skill_index
        self.skill_index += 1
        header = doc.loc.array_line("categories.skills", index)
        if not isinstance(entry, dict):
            doc.error(f"skills[{index + 1}]", "must be a table", line=header)
            return None
        before = len(doc.errors)
        table = Table(
            entry,
            doc,
            _label("skills", entry.get("slug"), index),
            lambda key: doc.loc.key(key, "categories.skills", index),
        )
        table.check_keys(SKILL_KEYS)
        slug = _slug(table, self.skill_lines, "skill")
        if slug is not None:
            self.catalog.named_skills.add(slug)
        name = table.text("name", required=True, max_len=NAME_MAX, line=header)
        description = table.text("description", default="")
        levels = _descriptors(table, entry, header)
        if len(doc.errors) > before or category is None:
            return None
        return SkillSpec(slug, name, description, levels, category, number + 1)


def _descriptors(table: Table, entry: dict, header: int) -> tuple[str, ...] | None:
    example = f"a list of {len(LEVEL_NAMES)} descriptors, one per level: " + ", ".join(
        f"{n} {name}" for n, name in enumerate(LEVEL_NAMES, 1)
    )
    if "levels" not in entry:
        table.doc.error(
            f"{table.prefix}.levels", f"is required: {example}", line=header
        )
        return None
    value = entry["levels"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        table.error("levels", f"must be {example}")
        return None
    if len(value) != len(LEVEL_NAMES):
        table.error(
            "levels",
            f"has {len(value)} descriptors; a skill needs exactly {len(LEVEL_NAMES)} "
            f"({', '.join(LEVEL_NAMES)})",
        )
        return None
    empty = [str(n) for n, text in enumerate(value, 1) if not text.strip()]
    if empty:
        table.error("levels", f"the descriptor of level {', '.join(empty)} is empty")
        return None
    return tuple(text.strip() for text in value)


# --- career_paths.toml ------------------------------------------------------------


def _read_paths_file(doc: File, catalog: SkillCatalog) -> None:
    data = doc.read_toml()
    if data is None:
        return
    if not catalog.present:
        doc.error(
            "file",
            f"career paths require courses/{CATALOG_FOLDER}/{SKILLS_FILE}, "
            "which is missing",
        )
        return
    top = Table(data, doc, "", lambda key: doc.loc.key(key))
    top.check_keys(PATHS_KEYS)
    paths = data.get("paths")
    if not _array_of_tables(top, "paths", paths, "[[paths]]"):
        return
    reader = _PathsReader(doc, catalog)
    for index, entry in enumerate(paths):
        reader.path(entry, index)


class _PathsReader:
    """Reads [[paths]] and their [[paths.roles]] in file order (see _SkillsReader)."""

    def __init__(self, doc: File, catalog: SkillCatalog) -> None:
        self.doc = doc
        self.catalog = catalog
        self.known = catalog.named_skills
        self.path_lines: dict[str, int] = {}
        self.role_lines: dict[str, int] = {}
        self.role_index = 0

    def path(self, entry: Any, index: int) -> None:
        doc = self.doc
        header = doc.loc.array_line("paths", index)
        if not isinstance(entry, dict):
            doc.error(f"paths[{index + 1}]", "must be a table", line=header)
            return
        before = len(doc.errors)
        label = _label("paths", entry.get("slug"), index)
        table = Table(entry, doc, label, lambda key: doc.loc.key(key, "paths", index))
        table.check_keys(PATH_KEYS)
        slug = _slug(table, self.path_lines, "path")
        name = table.text("name", required=True, max_len=NAME_MAX, line=header)
        description = table.text("description", default="")
        side_path = table.boolean("side_path", default=False)
        entries = entry.get("roles")
        if not _array_of_tables(table, "roles", entries, "[[paths.roles]]"):
            return
        roles = [
            role
            for number, role_entry in enumerate(entries)
            if (role := self.role(role_entry, number)) is not None
        ]
        if len(doc.errors) == before:
            self.catalog.paths.append(
                PathSpec(slug, name, description, side_path, index + 1, tuple(roles))
            )

    def role(self, entry: Any, number: int) -> RoleSpec | None:
        doc = self.doc
        index = self.role_index
        self.role_index += 1
        header = doc.loc.array_line("paths.roles", index)
        if not isinstance(entry, dict):
            doc.error(f"roles[{index + 1}]", "must be a table", line=header)
            return None
        before = len(doc.errors)
        label = _label("roles", entry.get("slug"), index)

        def line_of(key: str) -> int:
            return _role_line(doc, index, key)

        table = Table(entry, doc, label, line_of)
        table.check_keys(ROLE_KEYS)
        slug = _slug(table, self.role_lines, "role")
        name = table.text("name", required=True, max_len=NAME_MAX, line=header)
        description = table.text("description", default="")
        requires = self.requirements(entry.get("requires", {}), label, line_of)
        if len(doc.errors) > before:
            return None
        return RoleSpec(slug, name, description, number + 1, requires)

    def requirements(self, data: Any, label: str, line_of) -> dict[str, int]:
        if not isinstance(data, dict):
            self.doc.error(
                f"{label}.requires",
                "must be a table of skill = level, e.g. [paths.roles.requires] "
                "followed by data-entry = 3",
                line=line_of("requires"),
            )
            return {}
        table = Table(data, self.doc, f"{label}.requires", line_of)
        requires = {}
        for skill in data:
            if skill not in self.known:
                table.error(skill, unknown_skill(skill, self.known))
                continue
            level = table.integer(skill, minimum=MIN_LEVEL, maximum=MAX_LEVEL)
            if level is not None:
                requires[skill] = level
        return requires


def _role_line(doc: File, role_index: int, key: str) -> int:
    """The line of `key` in the role_index-th [[paths.roles]] or its requires table
    (a sub-table, dotted keys or an inline table), else the role's header."""
    loc = doc.loc
    roles = [i for i, (_, name) in enumerate(loc.headers) if name == "paths.roles"]
    if role_index >= len(roles):
        return loc.key("paths")
    position = roles[role_index]
    start = loc.headers[position][0]
    end = next(
        (
            line
            for line, name in loc.headers[position + 1 :]
            if not name.startswith("paths.roles.")
        ),
        len(loc.lines),
    )
    name = re.escape(key)
    exact = re.compile(rf"^\s*(?:requires\.)?(?:{name}|\"{name}\"|'{name}')\s*=")
    requires = re.compile(r"^\s*(?:requires\s*[=.]|\[\s*paths\.roles\.requires\s*\])")
    fallback = None
    for i in range(start + 1, end):
        if not loc.code[i]:
            continue
        if exact.match(loc.lines[i]):
            return i + 1 + loc.offset
        if fallback is None and requires.match(loc.lines[i]):
            fallback = i + 1 + loc.offset
    return fallback or start + 1 + loc.offset


# --- shared ------------------------------------------------------------------------


def _array_of_tables(table: Table, key: str, value: Any, header: str) -> bool:
    if value is None:
        table.error(key, f"is required: at least one {header} entry")
        return False
    if not isinstance(value, list) or not value:
        table.error(key, f"must be one or more {header} entries")
        return False
    return True


def _label(kind: str, slug: Any, index: int) -> str:
    """`skills.data-entry` when the entry has a usable slug, else `skills[3]`."""
    if isinstance(slug, str) and SLUG_RE.match(slug):
        return f"{kind}.{slug}"
    return f"{kind}[{index + 1}]"


def _slug(table: Table, seen: dict[str, int], kind: str) -> str | None:
    """The entry's `slug`, checked for shape and for being used once in the file;
    `seen` maps slugs to the line that used them first."""
    value = table.text("slug", required=True)
    if value is None:
        return None
    if not SLUG_RE.match(value) or len(value) > SLUG_MAX:
        table.error(
            "slug",
            f"{value!r} is not a valid slug: use lowercase letters, digits and single "
            f"hyphens, at most {SLUG_MAX} characters",
        )
        return None
    if value in seen:
        table.error(
            "slug", f"{kind} slug {value!r} is already used on line {seen[value]}"
        )
        return None
    seen[value] = table.line_of("slug")
    return value


def _top_level_key_line(path: Path, key: str) -> int:
    """The 1-based line of a top-level `key = ...` in a file (1 when not found)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
