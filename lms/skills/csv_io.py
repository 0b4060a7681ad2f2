"""The skills framework as CSV: one row per skill, written for export and read
for import. Pure: no database, no Flask (lms.skills.framework_csv checks the
rows against the database and writes them).

The file has a header line and one skill per line::

    category,category_group,slug,name,description,level_1,level_2,level_3,level_4,level_5

Every column is required in the header (in any order; header names are matched
without regard to case or spaces). `description` may be blank on a line; every
other value is required. `category` is a category's name or slug,
`category_group` is technical or professional, `slug` identifies the skill.

`read()` checks what the file alone can tell: encoding, header, the shape of
each value, a skill listed twice, one category given two groups, the row limit.
Decoding (UTF-8, with or without Excel's BOM) and splitting into records are
the people import's (lms.users.csv_import), and so are the problems: `Problem`
(line, field, message); line numbers are the file's own lines, header = 1.

Spreadsheet safety: a value that starts with =, +, -, @ or a tab would run as
a formula when the export is opened in Excel, so `write()` prefixes it with an
apostrophe, and `read()` drops that apostrophe again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lms.content.tables import SLUG_MAX, SLUG_RE
from lms.skills.catalog_specs import GROUPS, LEVEL_NAMES
from lms.users.csv_import import Problem, read_table

LEVEL_COLUMNS = tuple(f"level_{n}" for n in range(1, len(LEVEL_NAMES) + 1))
COLUMNS = ("category", "category_group", "slug", "name", "description") + LEVEL_COLUMNS
MAX_ROWS = 1000
NAME_MAX = 120
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

__all__ = ["COLUMNS", "MAX_ROWS", "Problem", "SkillRow", "Validation", "read", "write"]


@dataclass
class SkillRow:
    """One line of the file, as read."""

    line: int
    category: str = ""
    category_group: str = ""
    slug: str = ""
    name: str = ""
    description: str = ""
    levels: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    def problem(self, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(self.line, field_name, message))


@dataclass
class Validation:
    rows: list[SkillRow] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Every problem: the file's first, then each line's in line order."""
        return self.file_problems + [p for row in self.rows for p in row.problems]

    @property
    def ok(self) -> bool:
        return not self.errors


def write(rows: Iterable[Sequence[str]]) -> str:
    """CSV text (header first, CRLF line ends) of rows in COLUMNS order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell_out(value) for value in row])
    return out.getvalue()


def read(data: bytes | str, *, max_rows: int = MAX_ROWS) -> Validation:
    """Decode and parse the file; check the header and each value's shape."""
    result = Validation()
    table = read_table(
        data, result, _columns, noun="skills", none="no skills", max_rows=max_rows
    )
    if table is None:
        return result
    columns, body = table
    result.rows = [_row(line, cells, columns) for line, cells in body]
    _check_across_rows(result.rows)
    return result


def _columns(line: int, header: list[str], result: Validation) -> list[str] | None:
    names = [cell.strip().lower().replace(" ", "_") for cell in header]
    expected = ",".join(COLUMNS)
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        message = (
            "The values are separated by semicolons or tabs; save the file with "
            f"commas. The first line must be: {expected}"
        )
    else:
        unknown = [n for n in names if n not in COLUMNS]
        repeated = sorted({n for n in names if names.count(n) > 1})
        missing = [n for n in COLUMNS if n not in names]
        parts = [
            f"{what} column " + ", ".join(f"“{n}”" for n in found)
            for what, found in (
                ("unknown", unknown),
                ("repeated", repeated),
                ("missing", missing),
            )
            if found
        ]
        if not parts:
            return names
        message = f"Wrong header: {'; '.join(parts)}. The header must be: {expected}"
    result.file_problems.append(Problem(line, "header", message))
    return None


def _row(line: int, cells: list[str], columns: list[str]) -> SkillRow:
    row = SkillRow(line)
    if len(cells) != len(columns):
        row.problem(
            None,
            f"This line has {len(cells)} values; the header has {len(columns)}. "
            "Check for a missing or extra comma.",
        )
        return row
    values = {name: _cell_in(cell) for name, cell in zip(columns, cells, strict=True)}
    row.category = " ".join(values["category"].split())
    row.category_group = values["category_group"].strip().lower()
    row.slug = values["slug"].strip()
    row.name = " ".join(values["name"].split())
    row.description = values["description"].strip()
    row.levels = tuple(values[name].strip() for name in LEVEL_COLUMNS)

    if not row.category:
        row.problem("category", "Enter the category’s name.")
    elif len(row.category) > NAME_MAX:
        row.problem("category", f"Too long: at most {NAME_MAX} characters.")
    if row.category_group not in GROUPS:
        row.problem(
            "category_group",
            f"“{values['category_group'].strip()}” is not a group; use "
            f"{' or '.join(GROUPS)}.",
        )
    if not row.slug:
        row.problem("slug", "Enter the skill’s slug, e.g. data-entry.")
    elif not SLUG_RE.match(row.slug) or len(row.slug) > SLUG_MAX:
        row.problem(
            "slug",
            f"“{row.slug}” is not a slug: use lowercase letters, digits and single "
            f"hyphens, at most {SLUG_MAX} characters.",
        )
    if not row.name:
        row.problem("name", "Enter the skill’s name.")
    elif len(row.name) > NAME_MAX:
        row.problem("name", f"Too long: at most {NAME_MAX} characters.")
    for number, (column, text) in enumerate(
        zip(LEVEL_COLUMNS, row.levels, strict=True), 1
    ):
        if not text:
            row.problem(column, f"Describe level {number} ({LEVEL_NAMES[number - 1]}).")
    return row


def _check_across_rows(rows: list[SkillRow]) -> None:
    """A skill listed twice; one category given two groups."""
    slugs: dict[str, int] = {}
    groups: dict[str, tuple[str, int]] = {}
    for row in rows:
        key = row.category.casefold()
        if row.category and row.category_group in GROUPS:
            group, first = groups.setdefault(key, (row.category_group, row.line))
            if group != row.category_group:
                row.problem(
                    "category_group",
                    f"Line {first} puts “{row.category}” in the {group} group; one "
                    "category has one group.",
                )
        if row.slug and row.slug in slugs:
            row.problem(
                "slug",
                f"{row.slug} is also on line {slugs[row.slug]}; each skill must "
                "appear once.",
            )
        slugs.setdefault(row.slug, row.line)


def _cell_out(value: str) -> str:
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell_in(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
