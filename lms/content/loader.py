"""Read courses/ and quizzes/ into plain specs, validating everything on the way.

Pure: no Flask, no database. `flask content check` prints what this finds and
`flask content import` (lms.content.importer) writes the specs it returns.
The formats are docs/content-format.md; this module is their executable form.

Errors are collected, never raised: every file is read, every problem in it is
reported as a `ContentError(path, line, field, message)`, where `path` is
relative to the content root (the folder holding courses/ and quizzes/, i.e.
the repository) and `line` is 1-based. TOML syntax errors carry tomllib's line;
other errors point at the offending key, the `[[questions]]` entry, the CSV row
or the JSON object, as well as can be found in the text (best effort: a key that
is missing points at its table, or at line 1).

Identifiers (all stable across imports of the same files):

* course slug = folder name; assessment slug = file stem; both `a-z0-9-`.
* module slug = its file name without the `NN-` prefix and `.md`; its position
  is `NN`. The importer matches modules by slug, so renumbering keeps progress.
* quiz questions keep the author's `id`; choices and ordering items get the
  text-derived ids of `lms.quizzes.grading.normalize_question`.
* record_entry records are `r001`, `r002`, ... and ten_key entries `e001`, ...:
  the 1-based data row of the CSV (blank lines skipped), so an unchanged file
  always gives the same ids. Moving rows renumbers them, which is a content
  change: the assessment gets a new version and live attempts keep their
  snapshot.
* transcription passages are `p001`, ... in file order.
* reconciliation sets are `s001`, ... in file order unless the JSON gives an
  `id`; pairs keep their JSON `id`.

Content hash: SHA-256 over every file of a course folder, or over an
assessment's TOML plus the CSV/JSON it names, with the relative names and a
format version (so a change in what this loader produces is an update too).

Settings: a quiz's `settings` holds exactly the quiz keys its file gives (the
attempt engine's quiz kind owns the defaults); `questions_per_attempt` (draw that
many questions per attempt, at most the number of questions) is accepted beside
the keys of docs/content-format.md because the engine honours it. Keying tests
always get `correction_policy` (default allowed) and their per-attempt draw size
(defaults in DRAW_DEFAULTS, capped at the pool size); `bands` appear only when
the file gives them, otherwise the scorer's defaults apply.
Passage texts are stripped of leading and trailing whitespace.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from lms.content.courses import course_folder_names, load_courses
from lms.content.files import File, hash_files, read_csv, skipped
from lms.content.jsonwhere import JsonWhere, json_element_spans
from lms.content.specs import (
    AssessmentSpec,
    Catalog,
    ContentError,
    CourseSpec,
    ModuleSpec,
    sorted_errors,
)
from lms.content.tables import (
    SLUG_MAX,
    SLUG_RE,
    Table,
    did_you_mean,
    finite_decimal,
    real_number,
)
from lms.quizzes import grading

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

KINDS = ("quiz", "record_entry", "ten_key", "transcription", "reconciliation")
KEYING_KINDS = KINDS[1:]
ON_EXPIRY = ("autosubmit", "grace", "abandon")
GRADING_METHODS = ("highest", "latest", "average", "first")
REVIEW = ("immediately", "after_close", "never")
CORRECTION_POLICIES = ("allowed", "none")
PROFILES = ("exact", "normalized", "amount", "date", "identifier")
TEN_KEY_COMPARE = ("string", "numeric")
RECONCILIATION_MODES = ("list", "pair")
DISCREPANCY_TYPES = ("missing_in_statement", "extra_in_statement", "field_mismatch")
BAND_NAMES = ("foundation", "job_ready", "proficient")
# Which metrics a band names, per kind (docs/content-format.md, "Keying tests").
BAND_METRICS = {
    "record_entry": ("net_kph", "accuracy"),
    "ten_key": ("net_kph", "accuracy"),
    "transcription": ("net_wpm", "accuracy"),
    "reconciliation": ("f1",),
}
FRACTION_METRICS = ("accuracy", "f1")

COMMON_KEYS = (
    "kind", "title", "description", "course", "skills", "time_limit_minutes",
    "attempts_allowed", "on_expiry", "published",
)  # fmt: skip
QUIZ_SETTINGS = (
    "pass_percent", "shuffle_questions", "shuffle_choices", "questions_per_page",
    "questions_per_attempt", "grading_method", "review", "show_correct_answers",
    "show_feedback", "show_score", "show_correctness", "delay_minutes",
)  # fmt: skip
KEYING_COMMON_KEYS = ("correction_policy", "bands")
KIND_KEYS = {
    "quiz": (*QUIZ_SETTINGS, "questions"),
    "record_entry": (
        *KEYING_COMMON_KEYS,
        "records_file",
        "records_per_attempt",
        "fields",
    ),
    "ten_key": (
        *KEYING_COMMON_KEYS,
        "entries_file",
        "entries_per_attempt",
        "entry_label",
        "compare",
    ),  # fmt: skip
    "transcription": (*KEYING_COMMON_KEYS, "passages_per_attempt", "passages"),
    "reconciliation": (*KEYING_COMMON_KEYS, "mode", "sets_file", "sets_per_attempt"),
}
DRAW_DEFAULTS = {
    "records_per_attempt": 5,
    "entries_per_attempt": 40,
    "passages_per_attempt": 1,
    "sets_per_attempt": 1,
}
QUESTION_KEYS = (
    "id", "type", "prompt", "points", "category", "tags", "feedback",
    "correct_feedback", "incorrect_feedback", "choices", "penalty", "answer",
    "answers", "case_sensitive", "tolerance", "units", "items",
)  # fmt: skip
CHOICE_KEYS = ("text", "correct", "feedback")
FIELD_KEYS = ("name", "label", "profile", "critical", "format")
PASSAGE_KEYS = ("title", "text")
LIST_SET_KEYS = (
    "id",
    "title",
    "columns",
    "key",
    "ledger",
    "statement",
    "discrepancies",
)
PAIR_SET_KEYS = ("id", "title", "fields", "pairs")
PAIR_KEYS = ("id", "left", "right", "differs")
DISCREPANCY_KEYS = ("ref", "type", "field")

# A ten-key entry is keyed on the numeric keypad: digits, . - + / * only.
TEN_KEY_VALUE_RE = re.compile(r"^[0-9.+\-/*]+$")
AMOUNT_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{2,3})*|\d+)(?:\.\d+)?$")


def load_content(courses_dir: Path | str, quizzes_dir: Path | str) -> Catalog:
    """Load both trees; assessments' `course` keys are checked against course folders."""
    courses, errors = load_courses(courses_dir)
    assessments, more = load_assessments(
        quizzes_dir, course_slugs=course_folder_names(courses_dir)
    )
    return Catalog(courses, assessments, sorted_errors(errors + more))


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
    kind = top.choice("kind", KINDS, required=True)
    if kind is None:  # already reported; do not pile unknown-key errors on top
        top.check_keys(
            COMMON_KEYS + tuple(k for keys in KIND_KEYS.values() for k in keys)
        )
    else:
        top.check_keys(
            COMMON_KEYS + KIND_KEYS[kind], elsewhere=lambda key: _taken_by(key, kind)
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
    settings: dict[str, Any] = {}
    content: dict[str, Any] = {}
    if kind == "quiz":
        settings, content = _quiz(top, doc)
    elif kind in KEYING_KINDS:
        settings = {
            "correction_policy": top.choice(
                "correction_policy", CORRECTION_POLICIES, default="allowed"
            )
        }
        bands = _bands(top, doc, kind)
        if bands is not None:
            settings["bands"] = bands
        reader = {
            "record_entry": _record_entry,
            "ten_key": _ten_key,
            "transcription": _transcription,
            "reconciliation": _reconciliation,
        }[kind]
        more_settings, content = reader(top, doc, data_files)
        settings.update(more_settings)
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


def _taken_by(key: str, kind: str) -> str:
    """The hint for a key this kind does not take but others do."""
    others = [k for k, keys in KIND_KEYS.items() if key in keys]
    if not others:
        return ""
    return f" ({key} belongs to {' / '.join(others)} tests, not {kind})"


# --- quizzes -----------------------------------------------------------------


def _quiz(top: Table, doc: File) -> tuple[dict[str, Any], dict[str, Any]]:
    # Only what the file says: the quiz kind of the attempt engine owns the defaults.
    readers: dict[str, Callable[[str], Any]] = {
        "pass_percent": lambda k: top.number(k, default=None, maximum=100),
        "shuffle_questions": lambda k: top.boolean(k, default=None),
        "shuffle_choices": lambda k: top.boolean(k, default=None),
        "questions_per_page": lambda k: top.integer(k, default=None, minimum=1),
        "questions_per_attempt": lambda k: top.integer(k, default=None, minimum=1),
        "grading_method": lambda k: top.choice(k, GRADING_METHODS),
        "review": lambda k: top.choice(k, REVIEW),
        "show_correct_answers": lambda k: top.boolean(k, default=None),
        "show_feedback": lambda k: top.boolean(k, default=None),
        "show_score": lambda k: top.boolean(k, default=None),
        "show_correctness": lambda k: top.boolean(k, default=None),
        "delay_minutes": lambda k: top.integer(k, default=None, minimum=0),
    }
    settings = {
        key: value
        for key, read in readers.items()
        if key in top.data and (value := read(key)) is not None
    }
    raw = top.data.get("questions")
    if not isinstance(raw, list) or not raw:
        top.error("questions", "a quiz needs at least one [[questions]] entry")
        return settings, {"questions": []}
    draw = settings.get("questions_per_attempt")
    if draw is not None and draw > len(raw):
        top.error(
            "questions_per_attempt",
            f"{draw} questions per attempt, but the quiz has only {len(raw)}",
        )
    questions = []
    seen: dict[str, int] = {}
    for index, question in enumerate(raw):
        start = doc.loc.array_line("questions", index)
        qid = question.get("id") if isinstance(question, dict) else None
        label = (
            f"questions.{qid}"
            if isinstance(qid, str) and qid.strip()
            else f"questions[{index + 1}]"
        )

        def line_of(key: str, index: int = index) -> int:
            return doc.loc.key(key, "questions", index)

        if not isinstance(question, dict):
            doc.error(label, "a question must be a table", line=start)
            continue
        if isinstance(qid, str) and qid in seen:
            doc.error(
                label,
                f"question id {qid!r} is already used by question {seen[qid]}; ids must "
                "be unique within the file",
                line=line_of("id"),
            )
        elif isinstance(qid, str):
            seen[qid] = index + 1
        table = Table(question, doc, label, line_of)
        table.check_keys(QUESTION_KEYS)
        for problem in grading.validate_question(question):
            key, _, message = problem.partition(": ")
            doc.error(
                f"{label}.{key}", message, line=_question_line(doc, index, key, message)
            )
        for key in ("category",):
            table.text(key)
        tags = question.get("tags")
        if tags is not None and (
            not isinstance(tags, list)
            or not all(isinstance(t, str) and t for t in tags)
        ):
            table.error("tags", 'tags must be a list of text, e.g. tags = ["invoices"]')
        choices = question.get("choices")
        if isinstance(choices, list):
            for number, choice in enumerate(choices):
                if isinstance(choice, dict):
                    choice_line = doc.loc.sub_array_line(
                        "questions", index, "choices", number
                    )
                    Table(
                        choice,
                        doc,
                        f"{label}.choices[{number + 1}]",
                        lambda _k, n=choice_line: n,
                    ).check_keys(CHOICE_KEYS)
        questions.append(grading.normalize_question(question))
    return settings, {"questions": questions}


def _question_line(doc: File, index: int, key: str, message: str) -> int:
    match = re.search(r"\b(?:choice|item) (\d+)\b", message)
    if key == "choices":
        number = int(match[1]) - 1 if match else 0
        return doc.loc.sub_array_line("questions", index, "choices", number)
    return doc.loc.key(key, "questions", index)


# --- keying: common ----------------------------------------------------------


def _bands(top: Table, doc: File, kind: str) -> dict[str, dict[str, float]] | None:
    raw = top.data.get("bands")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        top.error(
            "bands",
            "bands is a table: [bands] with foundation / job_ready / proficient",
        )
        return None
    metrics = BAND_METRICS[kind]
    shape = ", ".join(f"{m} = ..." for m in metrics)
    bands: dict[str, dict[str, float]] = {}

    def line_of(key: str) -> int:
        return doc.loc.key(key, "bands")

    for name, band in raw.items():
        if name not in BAND_NAMES:
            doc.error(
                f"bands.{name}",
                f"unknown band {name!r}; bands are {', '.join(BAND_NAMES)}"
                + did_you_mean(name, BAND_NAMES),
                line=line_of(name),
            )
            continue
        if not isinstance(band, dict):
            doc.error(
                f"bands.{name}", f"write {name} = {{ {shape} }}", line=line_of(name)
            )
            continue
        values = {}
        for metric, value in band.items():
            if metric not in metrics:
                doc.error(
                    f"bands.{name}.{metric}",
                    f"{kind} bands use {' and '.join(metrics)}, not {metric!r}",
                    line=line_of(name),
                )
                continue
            number = real_number(value)
            limit = 1 if metric in FRACTION_METRICS else math.inf
            if number is None or not 0 <= number <= limit:
                expected = (
                    "a fraction from 0 to 1" if limit == 1 else "a number of 0 or more"
                )
                doc.error(
                    f"bands.{name}.{metric}",
                    f"must be {expected}, not {value!r}",
                    line=line_of(name),
                )
                continue
            values[metric] = number
        missing = [m for m in metrics if m not in band]
        if missing:
            doc.error(
                f"bands.{name}",
                f"{name} needs {' and '.join(missing)} (write {name} = {{ {shape} }})",
                line=line_of(name),
            )
        bands[name] = values
    ordered = [n for n in BAND_NAMES if n in bands]
    for lower, higher in zip(ordered, ordered[1:], strict=False):
        for metric in metrics:
            low, high = bands[lower].get(metric), bands[higher].get(metric)
            if low is not None and high is not None and high < low:
                doc.error(
                    f"bands.{higher}.{metric}",
                    f"{higher} ({high}) is below {lower} ({low}); bands must not go down",
                    line=line_of(higher),
                )
    return bands


def _draw(top: Table, key: str, pool: int, what: str) -> int:
    explicit = key in top.data
    value = top.integer(key, default=DRAW_DEFAULTS[key], minimum=1)
    if explicit and pool and value > pool:
        top.error(key, f"{value} {what} per attempt, but the pool has only {pool}")
    return min(value, pool) if pool else value


def _data_file(
    top: Table, doc: File, key: str, suffix: str, data_files: list[Path]
) -> File | None:
    name = top.text(key, required=True)
    if name is None:
        return None
    if Path(name).name != name or name.startswith("."):
        top.error(key, f"give a file name beside the TOML (no folders), not {name!r}")
        return None
    if not name.endswith(suffix):
        top.error(key, f"{name!r} must be a {suffix} file")
        return None
    path = doc.path.parent / name
    if not path.is_file():
        top.error(key, f"{name} not found beside {doc.path.name}")
        return None
    data_files.append(path)
    return File(path, doc.base, doc.errors)


# --- record_entry ------------------------------------------------------------


def _record_entry(top: Table, doc: File, data_files: list[Path]):
    data = _data_file(top, doc, "records_file", ".csv", data_files)
    parsed = read_csv(data) if data is not None else None
    header, rows = parsed if parsed else ([], [])
    fields = _record_fields(top, doc, header if parsed else None)
    for spec in fields:
        if data is None or spec["name"] not in header:
            continue
        for line, row in rows:
            _check_expected_value(data, spec, row[spec["name"]], line)
    settings = {
        "records_per_attempt": _draw(top, "records_per_attempt", len(rows), "records")
    }
    records = [
        {"id": f"r{number:03d}", "values": row}
        for number, (_line, row) in enumerate(rows, start=1)
    ]
    return settings, {"fields": fields, "records": records}


def _record_fields(
    top: Table, doc: File, header: list[str] | None
) -> list[dict[str, Any]]:
    raw = top.data.get("fields")
    if not isinstance(raw, list) or not raw:
        top.error("fields", "a record_entry test needs at least one [[fields]] entry")
        return []
    fields = []
    names: set[str] = set()
    for index, entry in enumerate(raw):

        def line_of(key: str, index: int = index) -> int:
            return doc.loc.key(key, "fields", index)

        name = entry.get("name") if isinstance(entry, dict) else None
        label = (
            f"fields.{name}"
            if isinstance(name, str) and name
            else f"fields[{index + 1}]"
        )
        if not isinstance(entry, dict):
            doc.error(
                label,
                "a field must be a table",
                line=doc.loc.array_line("fields", index),
            )
            continue
        table = Table(entry, doc, label, line_of)
        table.check_keys(FIELD_KEYS)
        name = table.text("name", required=True)
        profile = table.choice("profile", PROFILES, required=True)
        spec: dict[str, Any] = {
            "name": name,
            "label": table.text("label", default=name or ""),
            "profile": profile,
            "critical": table.boolean("critical", default=False),
        }
        if name is not None:
            if name in names:
                table.error("name", f"field {name!r} is declared twice")
            names.add(name)
            if header is not None and name not in header:
                table.error(
                    "name",
                    f"{name!r} is not a column of {top.data.get('records_file')} "
                    f"(columns: {', '.join(header)})" + did_you_mean(name, header),
                )
        fmt = table.text("format")
        if profile == "date":
            if fmt is None:
                table.error(
                    "format", 'a date field needs format, e.g. format = "%d/%m/%Y"'
                )
            elif not re.search(r"%[dmyYbBjaA]", fmt):
                table.error(
                    "format", f"{fmt!r} has no date directive such as %d, %m or %Y"
                )
            else:
                spec["format"] = fmt
        elif fmt is not None:
            table.error(
                "format", f"only date fields take a format, not {profile} fields"
            )
        if name is not None and profile is not None:
            fields.append(spec)
    return fields


def _check_expected_value(
    data: File, spec: dict[str, Any], value: str, line: int
) -> None:
    name, profile = spec["name"], spec["profile"]
    if not value.strip():
        if spec["critical"]:
            data.error(name, "a critical field cannot be empty", line=line)
        return
    if profile == "date" and "format" in spec:
        try:
            datetime.strptime(value.strip(), spec["format"])
        except ValueError:
            data.error(
                name,
                f"{value!r} does not match the format {spec['format']!r}",
                line=line,
            )
    elif profile == "amount" and not AMOUNT_RE.match(value.strip()):
        data.error(
            name, f"{value!r} is not an amount (e.g. 1,250.00 or -412.50)", line=line
        )


# --- ten_key -----------------------------------------------------------------


def _ten_key(top: Table, doc: File, data_files: list[Path]):
    data = _data_file(top, doc, "entries_file", ".csv", data_files)
    compare = top.choice("compare", TEN_KEY_COMPARE, default="string")
    entries = []
    parsed = read_csv(data) if data is not None else None
    if data is not None and parsed is not None:
        header, rows = parsed
        if header != ["value"]:
            data.error(
                "header", "a ten_key entries file has one column, named value", line=1
            )
            rows = []
        for number, (line, row) in enumerate(rows, start=1):
            value = row["value"].strip()
            if not TEN_KEY_VALUE_RE.match(value):
                data.error(
                    "value",
                    f"{row['value']!r} cannot be keyed on the numeric keypad "
                    "(digits and . - + / * only)",
                    line=line,
                )
            elif compare == "numeric" and finite_decimal(value) is None:
                data.error(
                    "value",
                    f'{value!r} is not a number (compare = "numeric")',
                    line=line,
                )
            entries.append({"id": f"e{number:03d}", "value": value})
    settings = {
        "entries_per_attempt": _draw(
            top, "entries_per_attempt", len(entries), "entries"
        ),
        "entry_label": top.text("entry_label", default="Entry"),
        "compare": compare,
    }
    return settings, {"entries": entries}


# --- transcription -----------------------------------------------------------


def _transcription(top: Table, doc: File, data_files: list[Path]):
    raw = top.data.get("passages")
    passages = []
    if not isinstance(raw, list) or not raw:
        top.error(
            "passages", "a transcription test needs at least one [[passages]] entry"
        )
        raw = []
    for index, entry in enumerate(raw):

        def line_of(key: str, index: int = index) -> int:
            return doc.loc.key(key, "passages", index)

        label = f"passages[{index + 1}]"
        if not isinstance(entry, dict):
            doc.error(
                label,
                "a passage must be a table",
                line=doc.loc.array_line("passages", index),
            )
            continue
        table = Table(entry, doc, label, line_of)
        table.check_keys(PASSAGE_KEYS)
        title = table.text("title", required=True, max_len=200)
        text = table.text("text", required=True)
        if title is not None and text is not None:
            passages.append(
                {"id": f"p{index + 1:03d}", "title": title, "text": text.strip()}
            )
    settings = {
        "passages_per_attempt": _draw(top, "passages_per_attempt", len(raw), "passages")
    }
    return settings, {"passages": passages}


# --- reconciliation ----------------------------------------------------------


def _reconciliation(top: Table, doc: File, data_files: list[Path]):
    mode = top.choice("mode", RECONCILIATION_MODES, required=True)
    data = _data_file(top, doc, "sets_file", ".json", data_files)
    sets: list[dict[str, Any]] = []
    raw = data.read_json() if data is not None else None
    if data is not None and raw is not None:
        if not isinstance(raw, list) or not raw:
            data.error("sets", "the file must hold a JSON list of sets", line=1)
        elif mode is not None:
            spans = json_element_spans(data.text or "")
            ids: set[str] = set()
            for index, entry in enumerate(raw):
                span = spans[index] if index < len(spans) else (0, len(data.text or ""))
                where = JsonWhere(data, span)
                label = f"sets[{index + 1}]"
                if not isinstance(entry, dict):
                    where.error(label, "a set must be a JSON object")
                    continue
                checker = _list_set if mode == "list" else _pair_set
                checker(entry, where, label)
                set_id = entry.get("id", f"s{index + 1:03d}")
                if not isinstance(set_id, str) or not set_id.strip():
                    where.error(f"{label}.id", "a set id must be non-empty text")
                elif set_id in ids:
                    where.error(f"{label}.id", f"set id {set_id!r} is used twice")
                ids.add(str(set_id))
                sets.append({**entry, "id": set_id})
    settings = {
        "mode": mode,
        "sets_per_attempt": _draw(top, "sets_per_attempt", len(sets), "sets"),
    }
    return settings, {"mode": mode, "sets": sets}


def _list_set(entry: dict[str, Any], where: JsonWhere, label: str) -> None:
    where.check_keys(entry, LIST_SET_KEYS, label)
    where.text(entry, "title", label)
    columns = entry.get("columns")
    if (
        not isinstance(columns, list)
        or not columns
        or not all(isinstance(c, str) and c for c in columns)
        or len(set(columns)) != len(columns)
    ):
        where.error(
            f"{label}.columns", "columns must be a list of distinct column names"
        )
        return
    key = entry.get("key")
    if key not in columns:
        where.error(
            f"{label}.key", f"key must name one of the columns ({', '.join(columns)})"
        )
        return
    sides: dict[str, dict[str, dict[str, Any]]] = {}
    for side in ("ledger", "statement"):
        rows = entry.get(side)
        sides[side] = {}
        if not isinstance(rows, list):
            where.error(f"{label}.{side}", f"{side} must be a list of rows")
            continue
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                where.error(f"{label}.{side}", f"row {number} must be an object")
                continue
            missing = [c for c in columns if c not in row]
            bad = [
                c
                for c in columns
                if c in row and not isinstance(row[c], str | int | float)
            ]
            ref = row.get(key)
            if missing or bad:
                where.error(
                    f"{label}.{side}",
                    f"row {number} ({ref!r}) "
                    + (
                        f"lacks {', '.join(missing)}"
                        if missing
                        else f"has non-text {', '.join(bad)}"
                    ),
                    needle=ref,
                    after=side,
                )
                continue
            ref = str(ref)
            if ref in sides[side]:
                where.error(
                    f"{label}.{side}",
                    f"ref {ref!r} appears twice",
                    needle=ref,
                    after=side,
                )
            sides[side][ref] = row
    discrepancies = entry.get("discrepancies")
    if not isinstance(discrepancies, list):
        where.error(
            f"{label}.discrepancies", "discrepancies must be a list (the answer key)"
        )
        return
    ledger, statement = sides["ledger"], sides["statement"]
    declared: set[tuple[str, str, str | None]] = set()
    for number, item in enumerate(discrepancies, start=1):
        field_label = f"{label}.discrepancies[{number}]"
        if not isinstance(item, dict):
            where.error(field_label, "each discrepancy is an object {ref, type, field}")
            continue
        where.check_keys(item, DISCREPANCY_KEYS, field_label)
        ref, kind, fld = item.get("ref"), item.get("type"), item.get("field")
        if not isinstance(ref, str) or not ref:
            where.error(field_label, "ref must name a row's key")
            continue
        if kind not in DISCREPANCY_TYPES:
            where.error(
                field_label,
                f"type {kind!r} is not one of {', '.join(DISCREPANCY_TYPES)}",
                needle=ref,
                after="discrepancies",
            )
            continue
        problem = None
        if kind == "missing_in_statement" and (ref not in ledger or ref in statement):
            problem = f"{ref!r} must be in the ledger and not in the statement"
        elif kind == "extra_in_statement" and (ref in ledger or ref not in statement):
            problem = f"{ref!r} must be in the statement and not in the ledger"
        elif kind == "field_mismatch":
            if ref not in ledger or ref not in statement:
                problem = f"{ref!r} must be on both sides for a field_mismatch"
            elif fld not in columns or fld == key:
                problem = f"field {fld!r} must be one of the compared columns (not the key {key!r})"
            elif str(ledger[ref][fld]) == str(statement[ref][fld]):
                problem = f"{ref!r} has the same {fld} on both sides"
        elif fld is not None:
            problem = f"{kind} takes field = null, not {fld!r}"
        if problem:
            where.error(field_label, problem, needle=ref, after="discrepancies")
            continue
        entry_key = (ref, kind, fld if kind == "field_mismatch" else None)
        if entry_key in declared:
            where.error(
                field_label,
                f"{entry_key} is listed twice",
                needle=ref,
                after="discrepancies",
            )
        declared.add(entry_key)
    actual = {(r, "missing_in_statement", None) for r in ledger if r not in statement}
    actual |= {(r, "extra_in_statement", None) for r in statement if r not in ledger}
    actual |= {
        (r, "field_mismatch", c)
        for r in ledger
        if r in statement
        for c in columns
        if c != key and str(ledger[r][c]) != str(statement[r][c])
    }
    for ref, kind, fld in sorted(actual - declared, key=str):
        where.error(
            f"{label}.discrepancies",
            f"the answer key misses {kind} for {ref!r}" + (f" ({fld})" if fld else ""),
            needle=ref,
            after="ledger" if kind == "missing_in_statement" else "statement",
        )


def _pair_set(entry: dict[str, Any], where: JsonWhere, label: str) -> None:
    where.check_keys(entry, PAIR_SET_KEYS, label)
    where.text(entry, "title", label)
    fields = entry.get("fields")
    if (
        not isinstance(fields, list)
        or not fields
        or not all(isinstance(f, str) and f for f in fields)
        or len(set(fields)) != len(fields)
    ):
        where.error(f"{label}.fields", "fields must be a list of distinct field names")
        return
    pairs = entry.get("pairs")
    if not isinstance(pairs, list) or not pairs:
        where.error(f"{label}.pairs", "pairs must be a non-empty list")
        return
    ids: set[str] = set()
    for number, pair in enumerate(pairs, start=1):
        pair_label = f"{label}.pairs[{number}]"
        if not isinstance(pair, dict):
            where.error(pair_label, "each pair is an object {id, left, right, differs}")
            continue
        pid = pair.get("id")
        needle = pid if isinstance(pid, str) else None
        where.check_keys(pair, PAIR_KEYS, pair_label, needle=needle)
        if not isinstance(pid, str) or not pid:
            where.error(pair_label, "every pair needs an id")
        elif pid in ids:
            where.error(
                pair_label, f"pair id {pid!r} is used twice in this set", needle=pid
            )
        else:
            pair_label = f"{label}.pairs.{pid}"
        ids.add(str(pid))
        sides_ok = True
        for side in ("left", "right"):
            values = pair.get(side)
            if not isinstance(values, dict):
                where.error(
                    pair_label,
                    f"{side} must be an object of field values",
                    needle=needle,
                )
                sides_ok = False
                continue
            missing = [f for f in fields if not isinstance(values.get(f), str)]
            if missing:
                where.error(
                    pair_label,
                    f"{side} lacks text for {', '.join(missing)}",
                    needle=needle,
                )
                sides_ok = False
        differs = pair.get("differs")
        if not isinstance(differs, list) or not all(
            isinstance(d, str) for d in differs
        ):
            where.error(
                pair_label,
                "differs must be a list of field names ([] = identical)",
                needle=needle,
            )
            continue
        for name in differs:
            if name not in fields:
                where.error(
                    pair_label,
                    f"differs names {name!r}, which is not one of the fields ({', '.join(fields)})",
                    needle=needle,
                )
            elif sides_ok and pair["left"][name] == pair["right"][name]:
                where.error(
                    pair_label,
                    f"differs names {name!r}, but both sides have the same {name}",
                    needle=needle,
                )
        if len(set(differs)) != len(differs):
            where.error(pair_label, "differs lists a field twice", needle=needle)
