"""Read courses/: one folder per course with a course.toml and modules/NN-*.md.

Pure: no Flask, no database. The formats are docs/content-format.md.

* course slug = folder name (`a-z0-9-`); folders starting with _ or . are skipped
  (courses/_catalog/ holds the skills framework, read elsewhere).
* module slug = its file name without the `NN-` prefix and `.md`; its position
  is `NN`. The importer matches modules by slug, so renumbering keeps progress.
* content hash: every file of the course folder (lms.content.files.hash_files).
* `[completion]`: what earns a module's completion, each option checked against
  its rule in lms.courses.earning; a bad value is reported on its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lms.content.files import File, files_under, hash_files, relative_name, skipped
from lms.content.specs import ContentError, CourseSpec, ModuleSpec, sorted_errors
from lms.content.tables import SLUG_MAX, SLUG_RE, Table
from lms.courses.earning import SPECS as COMPLETION_SPECS
from lms.courses.earning import CompletionRules

MODULE_FILE_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
LEVELS = ("foundation", "intermediate", "advanced")
COURSE_KEYS = (
    "title",
    "summary",
    "skills",
    "level",
    "estimated_minutes",
    "published",
    "completion",
)
MODULE_KEYS = ("title", "minutes")


def course_folder_names(courses_dir: Path | str) -> set[str]:
    """The course slugs an assessment's `course = "..."` may name."""
    root = Path(courses_dir)
    if not root.is_dir():
        return set()
    return {p.name for p in root.iterdir() if p.is_dir() and not skipped(p.name)}


def load_courses(
    courses_dir: Path | str,
) -> tuple[list[CourseSpec], list[ContentError]]:
    """Every `courses/<slug>/` folder (names starting with _ or . are skipped)."""
    root = Path(courses_dir)
    errors: list[ContentError] = []
    if not root.is_dir():
        errors.append(ContentError(root.name, 1, "folder", f"{root} is not a folder"))
        return [], errors
    specs = []
    for folder in sorted(root.iterdir()):
        if skipped(folder.name) or not folder.is_dir():
            continue
        spec = _load_course(folder, root.parent, errors)
        if spec is not None:
            specs.append(spec)
    return specs, sorted_errors(errors)


def _load_course(
    folder: Path, base: Path, errors: list[ContentError]
) -> CourseSpec | None:
    slug = folder.name
    n_errors = len(errors)
    toml_path = folder / "course.toml"
    doc = File(toml_path, base, errors)
    if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
        doc.error(
            "slug",
            f"folder name {slug!r} is not a valid slug: use lowercase letters, digits "
            f"and single hyphens, at most {SLUG_MAX} characters",
        )
    data = doc.read_toml() if toml_path.is_file() else None
    if not toml_path.is_file():
        doc.error("file", "every course folder needs a course.toml")
    course: dict[str, Any] = {}
    if data is not None:
        table = Table(data, doc, "", lambda key: doc.loc.key(key))
        table.check_keys(COURSE_KEYS)
        course = {
            "title": table.text("title", required=True, max_len=200),
            "summary": table.text("summary", required=True),
            "skills": table.slugs("skills"),
            "level": table.choice("level", LEVELS),
            "estimated_minutes": table.integer("estimated_minutes"),
            "published": table.boolean("published", default=True),
            "completion_rules": _read_completion(table, doc),
        }
    modules = _load_modules(folder, base, errors)
    if len(errors) > n_errors or data is None:
        return None
    return CourseSpec(
        slug=slug,
        modules=modules,
        content_hash=hash_files(folder, files_under(folder)),
        path=relative_name(toml_path, base),
        **course,
    )


def _read_completion(top: Table, doc: File) -> dict[str, Any]:
    """The `[completion]` table as stored rules; missing options take their defaults."""
    data = top.data.get("completion")
    if data is None:
        return {}
    if not isinstance(data, dict):
        top.error("completion", "must be a table: [completion] with its options below")
        return {}
    table = Table(data, doc, "completion", lambda key: doc.loc.key(key, "completion"))
    table.check_keys(COMPLETION_SPECS)
    given = {}
    for key, spec in COMPLETION_SPECS.items():
        if key not in data:
            continue
        value = data[key]
        problem = spec.problem(value)
        if problem is not None:
            table.error(key, f"{problem}, not {value!r}")
        else:
            given[key] = value
    return CompletionRules.from_stored(given).to_stored() if given else {}


def _load_modules(
    folder: Path, base: Path, errors: list[ContentError]
) -> list[ModuleSpec]:
    modules_dir = folder / "modules"
    where = File(modules_dir, base, errors)
    if not modules_dir.is_dir():
        where.error(
            "modules", "a course needs a modules/ folder with at least one module"
        )
        return []
    modules: list[ModuleSpec] = []
    by_number: dict[int, str] = {}
    by_slug: dict[str, str] = {}
    for path in sorted(modules_dir.iterdir()):
        if skipped(path.name):
            continue
        doc = File(path, base, errors)
        match = MODULE_FILE_RE.match(path.name)
        if not path.is_file() or not match:
            doc.error(
                "file",
                f"{path.name!r} is not a module file: name modules NN-name.md, e.g. "
                "01-why-accuracy-matters.md (two digits, a hyphen, a lowercase slug)",
            )
            continue
        number, slug = int(match[1]), match[2]
        if number in by_number:
            doc.error(
                "file", f"module number {match[1]} is also used by {by_number[number]}"
            )
        if slug in by_slug:
            doc.error("file", f"module slug {slug!r} is also used by {by_slug[slug]}")
        by_number.setdefault(number, path.name)
        by_slug.setdefault(slug, path.name)
        module = _load_module(doc, slug, number)
        if module is not None:
            modules.append(module)
    if not by_number:
        where.error(
            "modules", "a course needs at least one module (modules/NN-name.md)"
        )
    return sorted(modules, key=lambda m: m.position)


def _load_module(doc: File, slug: str, number: int) -> ModuleSpec | None:
    text = doc.read_text()
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        doc.error(
            "front matter",
            "a module starts with +++ TOML front matter (title = ...) closed by +++",
            line=1,
        )
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "+++"), None)
    if close is None:
        doc.error(
            "front matter", "the front matter opened on line 1 is never closed with +++"
        )
        return None
    doc.set_text("\n".join(lines[1:close]), offset=1)
    data = doc.parse_toml()
    if data is None:
        return None
    table = Table(data, doc, "", lambda key: doc.loc.key(key))
    table.check_keys(MODULE_KEYS)
    title = table.text("title", required=True, max_len=200, line=1)
    minutes = table.integer("minutes")
    body = "\n".join(lines[close + 1 :]).strip()
    if not body:
        doc.error(
            "body", "the module has no text after its front matter", line=close + 1
        )
    if doc.failed:
        return None
    return ModuleSpec(slug, number, title, minutes, body + "\n", doc.rel)
