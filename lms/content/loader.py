"""Read courses/ and quizzes/ into plain specs, validating everything on the way.

Pure: no Flask, no database. `flask content check` prints what this finds and
`flask content import` (lms.content.importer) writes the specs it returns.
The formats are docs/content-format.md; this module and the readers it calls
are their executable form:

* courses/ — lms.content.courses;
* courses/_catalog/ (the skills framework and career paths) —
  lms.skills.catalog; when it has a skills.toml, every `skills = [...]` slug of
  a course or an assessment must be one of its skills;
* quizzes/<slug>.toml — here, the keys every assessment shares (title, course,
  skills, time limit, attempts, expiry policy, published); the rest of the file
  belongs to its `kind`: the assessment-kind registry (lms.attempts.kinds) gives
  each kind's `content_keys` and `read_content`, which return the kind's
  settings and content (lms.quizzes.content_file for quizzes,
  lms.keying.content_file for keying tests);
* the shared toolkit — lms.content.files, .tables, .locator and .jsonwhere;
* what comes back — lms.content.specs.

Errors are collected, never raised: every file is read, every problem in it is
reported as a `ContentError(path, line, field, message)`, where `path` is
relative to the content root (the folder holding courses/ and quizzes/, i.e.
the repository) and `line` is 1-based. TOML syntax errors carry tomllib's line;
other errors point at the offending key, the `[[questions]]` entry, the CSV row
or the JSON object, as well as can be found in the text (best effort: a key that
is missing points at its table, or at line 1).

Identifiers (all stable across imports of the same files): course slug = folder
name; assessment slug = file stem; both `a-z0-9-`. Module, question, record,
entry, passage and set ids are described by their readers.

Content hash: SHA-256 over every file of a course folder, or over an
assessment's TOML plus the CSV/JSON it names, with the relative names and a
format version (lms.content.files.hash_files).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lms.attempts import kinds
from lms.content.courses import course_folder_names, load_courses
from lms.content.files import File, hash_files, skipped
from lms.content.specs import (
    AssessmentSpec,
    Catalog,
    ContentError,
    CourseSpec,
    ModuleSpec,
    sorted_errors,
)
from lms.content.tables import SLUG_MAX, SLUG_RE, Table
from lms.skills.catalog import CATALOG_FOLDER, check_skill_references, load_catalog

__all__ = [
    "AssessmentSpec",
    "Catalog",
    "ContentError",
    "CourseSpec",
    "ModuleSpec",
    "course_folder_names",
    "load_assessments",
    "load_content",
    "load_courses",
]

ON_EXPIRY = ("autosubmit", "grace", "abandon")
COMMON_KEYS = (
    "kind", "title", "description", "course", "skills", "time_limit_minutes",
    "attempts_allowed", "on_expiry", "published",
)  # fmt: skip


def __getattr__(name: str) -> Any:
    # KINDS reads the registry when asked: kinds register after this module loads.
    if name == "KINDS":
        return _kind_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_content(courses_dir: Path | str, quizzes_dir: Path | str) -> Catalog:
    """Load both trees and the skills catalog; assessments' `course` keys are
    checked against course folders, everyone's `skills` against the catalog."""
    courses, errors = load_courses(courses_dir)
    assessments, more = load_assessments(
        quizzes_dir, course_slugs=course_folder_names(courses_dir)
    )
    skills = load_catalog(Path(courses_dir) / CATALOG_FOLDER)
    if skills.present:
        more += skills.errors + check_skill_references(
            [(spec.path, spec.skills) for spec in [*courses, *assessments]],
            skills.named_skills,
            Path(courses_dir).parent,
        )
    return Catalog(
        courses, assessments, sorted_errors(errors + more), skill_catalog=skills
    )


# --------------------------------------------------------------------------
# Assessments
# --------------------------------------------------------------------------


def load_assessments(
    quizzes_dir: Path | str, *, course_slugs: Iterable[str] | None = None
) -> tuple[list[AssessmentSpec], list[ContentError]]:
    """Every `quizzes/<slug>.toml` (names starting with _ or . are skipped).

    `course_slugs`, when given, are the course folders a `course = "..."` key may
    name; None skips that check.
    """
    root = Path(quizzes_dir)
    errors: list[ContentError] = []
    if not root.is_dir():
        errors.append(ContentError(root.name, 1, "folder", f"{root} is not a folder"))
        return [], errors
    known_courses = None if course_slugs is None else set(course_slugs)
    specs = []
    for path in sorted(root.glob("*.toml")):
        if skipped(path.name) or not path.is_file():
            continue
        spec = _load_assessment(path, root.parent, known_courses, errors)
        if spec is not None:
            specs.append(spec)
    return specs, sorted_errors(errors)


def _load_assessment(
    path: Path, base: Path, known_courses: set[str] | None, errors: list[ContentError]
) -> AssessmentSpec | None:
    n_errors = len(errors)
    doc = File(path, base, errors)
    slug = path.stem
    if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
        doc.error(
            "slug",
            f"file name {slug!r} is not a valid slug: use lowercase letters, digits "
            f"and single hyphens, at most {SLUG_MAX} characters",
        )
    data = doc.read_toml()
    if data is None:
        return None
    top = Table(data, doc, "", lambda key: doc.loc.key(key))
    kind = top.choice("kind", _kind_names(), required=True)
    if kind is None:  # already reported; do not pile unknown-key errors on top
        top.check_keys(
            COMMON_KEYS + tuple(k for name in _kind_names() for k in _keys_of(name))
        )
    else:
        top.check_keys(
            COMMON_KEYS + _keys_of(kind), elsewhere=lambda key: _taken_by(key, kind)
        )
    title = top.text("title", required=True, max_len=200)
    description = top.text("description", default="")
    course_slug = top.text("course")
    if (
        course_slug is not None
        and known_courses is not None
        and course_slug not in known_courses
    ):
        top.error("course", f"there is no course folder courses/{course_slug}/")
    skills = top.slugs("skills")
    minutes = top.number("time_limit_minutes", default=0)
    attempts = top.integer("attempts_allowed", default=0)
    on_expiry = top.choice("on_expiry", ON_EXPIRY, default="autosubmit")
    published = top.boolean("published", default=True)
    data_files: list[Path] = []
    if kind is None:
        return None
    settings, content = _read_content(kind, top, doc, data_files)
    if len(errors) > n_errors:  # including errors in its CSV/JSON
        return None
    return AssessmentSpec(
        slug=slug,
        kind=kind,
        title=title,
        description_md=description,
        course_slug=course_slug,
        skills=skills,
        time_limit_seconds=round(minutes * 60) or None,
        attempts_allowed=attempts,
        on_expiry=on_expiry,
        published=published,
        settings=settings,
        content=content,
        content_hash=hash_files(path.parent, [path, *data_files]),
        path=doc.rel,
    )


def _kind_names() -> tuple[str, ...]:
    """The registered assessment kinds. create_app registers them; reading files
    needs no app (`flask content check`'s logic, tests, tools), so register here
    when nothing has yet."""
    if not kinds.names():
        from lms import register_assessment_kinds

        register_assessment_kinds()
    return kinds.names()


def _keys_of(kind: str) -> tuple[str, ...]:
    """The TOML keys `kind` accepts beyond COMMON_KEYS."""
    return tuple(kinds.get(kind).content_keys)


def _read_content(
    kind: str, top: Table, doc: File, data_files: list[Path]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, content) by the kind's reader; data files it reads go to `data_files`."""
    return kinds.get(kind).read_content(top, doc, data_files)


def _taken_by(key: str, kind: str) -> str:
    """The hint for a key this kind does not take but others do."""
    others = [name for name in _kind_names() if key in _keys_of(name)]
    if not others:
        return ""
    return f" ({key} belongs to {' / '.join(others)} tests, not {kind})"
