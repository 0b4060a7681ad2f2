"""Reading a people CSV: bytes in, rows and problems out. Pure: no database, no Flask.

The file has a header line and one person per line::

    email,name,role,team,job_title,password

`email` and `name` are required columns; `role`, `team`, `job_title` and `password`
may be left out of the header or left blank on a line. Header names are matched without
regard to case, spaces or the order of the columns ("Job title" is `job_title`).

A blank role means learner. A blank password means one is generated when the import
is written; a given one must pass the password policy (lms.auth.password_policy).
Either way the person chooses their own at their first sign-in. A team must already exist unless the caller allows creating missing teams.

`read()` checks what the file alone can tell (encoding, header, shape of each value,
duplicates within the file, the row limit); `check_references()` adds what needs the
database's answers (emails already taken, teams that exist) without asking for them
itself; `validate()` does both. Line numbers are the file's own lines, header = 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from lms.auth.password_policy import password_problems
from lms.forms import EMAIL_RE
from lms.users.models import Role

COLUMNS = ("email", "name", "role", "team", "job_title", "password")
REQUIRED_COLUMNS = ("email", "name")
MAX_ROWS = 2000
MAX_LENGTHS = {
    "email": 254,
    "name": 120,
    "team": 120,
    "job_title": 120,
    "password": 200,
}
ROLE_NAMES = tuple(role.value for role in Role)

SAMPLE_CSV = (
    "email,name,role,team,job_title,password\r\n"
    "asha.rao@example.com,Asha Rao,learner,Claims Processing,Claims Associate,\r\n"
    "vikram.singh@example.com,Vikram Singh,manager,Claims Processing,Team Lead,\r\n"
    "meera.iyer@example.com,Meera Iyer,trainer,,Process Trainer,first-day-2024\r\n"
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file. `line` is None for the file as a whole."""

    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        return (
            f"{where}: {self.field}: {self.message}"
            if self.field
            else f"{where}: {self.message}"
        )


@dataclass
class Row:
    line: int
    email: str = ""
    name: str = ""
    role: str = Role.LEARNER.value
    team: str | None = None
    job_title: str | None = None
    password: str | None = field(default=None, repr=False)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(self.line, field_name, message))


@dataclass
class Validation:
    rows: list[Row] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Every problem: the file's first, then each line's in line order."""
        return self.file_problems + [p for row in self.rows for p in row.problems]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(
    data: bytes | str,
    *,
    existing_emails: Collection[str] = (),
    known_teams: Collection[str] = (),
    create_missing_teams: bool = False,
    max_rows: int = MAX_ROWS,
) -> Validation:
    """Everything in one call: the file's own checks, then the reference checks."""
    result = read(data, max_rows=max_rows)
    return check_references(
        result,
        existing_emails=existing_emails,
        known_teams={name.casefold(): name for name in known_teams},
        create_missing_teams=create_missing_teams,
    )


def read(data: bytes | str, *, max_rows: int = MAX_ROWS) -> Validation:
    """Decode and parse the file; check the header and each value's shape."""
    result = Validation()
    table = read_table(
        data, result, _columns, noun="people", none="nobody", max_rows=max_rows
    )
    if table is None:
        return result
    columns, body = table
    first_seen: dict[str, int] = {}
    for line, cells in body:
        row = _row(line, cells, columns)
        if row.email and not any(p.field == "email" for p in row.problems):
            if row.email in first_seen:
                row.problem(
                    "email",
                    f"{row.email} is also on line {first_seen[row.email]}; "
                    "each person must appear once.",
                )
            else:
                first_seen[row.email] = line
        result.rows.append(row)
    return result


def check_references(
    result: Validation,
    *,
    existing_emails: Collection[str],
    known_teams: Mapping[str, str],
    create_missing_teams: bool,
) -> Validation:
    """Flag emails that already have an account and teams that do not exist.

    `known_teams` maps casefolded team names to their stored spelling; rows that name a
    known team get the stored spelling. With `create_missing_teams`, unknown teams are
    listed in `new_teams` (first spelling seen) instead of being problems.
    """
    existing = {email.lower() for email in existing_emails}
    new_teams: dict[str, str] = {}
    for row in result.rows:
        if row.email and row.email in existing:
            row.problem(
                "email", f"An account with the email {row.email} already exists."
            )
        if not row.team or any(p.field == "team" for p in row.problems):
            continue
        key = row.team.casefold()
        if key in known_teams:
            row.team = known_teams[key]
        elif create_missing_teams:
            row.team = new_teams.setdefault(key, row.team)
        else:
            row.problem(
                "team",
                f"There is no team called “{row.team}”. Create it first, or tick "
                "“Create missing teams”.",
            )
    result.new_teams = list(new_teams.values())
    return result


def read_table(
    data: bytes | str,
    result: Any,
    columns_of: Callable[[int, list[str], Any], list[str] | None],
    *,
    noun: str,
    none: str,
    max_rows: int,
) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """The uploaded CSV's columns (checked by `columns_of`) and its body rows with
        their line numbers; None, with the problem on `result.file_problems`, for a
        file that cannot be read, is empty, has no rows or too many. Shared by every
        CSV import (people, the skills framework), which name their rows by `noun`
    ("people") and their absence by `none` ("nobody")."""
    text = decode_upload(data, result)
    if text is None:
        return None
    records = csvcsv_records(text, result) if text.strip() else []
    if records is None:
        return None
    if not records:
        result.file_problems.append(Problem(None, None, "The file is empty."))
        return None
    header_line, header = records[0]
    columns = columns_of(header_line, header, result)
    if columns is None:
        return None
    body = records[1:]
    if not body:
        result.file_problems.append(
            Problem(None, None, f"The file has a header but {none} in it.")
        )
        return None
    if len(body) > max_rows:
        result.file_problems.append(
            Problem(
                None,
                None,
                f"The file has {len(body):,} {noun}; one import takes at most "
                f"{max_rows:,}. Split it into smaller files.",
            )
        )
        return None
    return columns, body


def decode_upload(data: bytes | str, result: Any) -> str | None:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        result.file_problems.append(
            Problem(
                line,
                None,
                "The file is not UTF-8 text. In Excel choose Save As → "
                "“CSV UTF-8 (Comma delimited)”, then upload it again.",
            )
        )
        return None


def csvcsv_records(text: str, result: Any) -> list[tuple[int, list[str]]] | None:
    """Non-blank records with the line each starts on, or None when CSV is broken."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            result.file_problems.append(
                Problem(start, None, f"This line cannot be read as CSV ({exc}).")
            )
            return None
        if any(cell.strip() for cell in cells):
            records.append((start, cells))


def _columns(line: int, header: list[str], result: Validation) -> list[str] | None:
    names = [cell.strip().lower().replace(" ", "_") for cell in header]
    expected = ",".join(COLUMNS)
    message = None
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        message = (
            "The values are separated by semicolons or tabs; save the file with "
            f"commas. The first line must be: {expected}"
        )
    elif any("@" in name for name in names):
        message = f"The first line must be the header: {expected}"
    else:
        unknown = [n for n in names if n not in COLUMNS]
        repeated = sorted({n for n in names if names.count(n) > 1})
        missing = [n for n in REQUIRED_COLUMNS if n not in names]
        parts = []
        if unknown:
            parts.append("unknown column " + ", ".join(f"“{n}”" for n in unknown))
        if repeated:
            parts.append("repeated column " + ", ".join(f"“{n}”" for n in repeated))
        if missing:
            parts.append("missing column " + ", ".join(f"“{n}”" for n in missing))
        if parts:
            message = (
                f"Wrong header: {'; '.join(parts)}. The header must be: {expected} "
                "(role, team, job_title and password may be left out)."
            )
    if message:
        result.file_problems.append(Problem(line, "header", message))
        return None
    return names


def _row(line: int, cells: list[str], columns: list[str]) -> Row:
    row = Row(line)
    if len(cells) != len(columns):
        row.problem(
            None,
            f"This line has {len(cells)} values; the header has {len(columns)}. "
            "Check for a missing or extra comma.",
        )
        return row
    values = dict(zip(columns, cells, strict=True))

    email = values["email"].strip().lower()
    row.email = email
    if not email:
        row.problem("email", "Enter an email address.")
    elif len(email) > MAX_LENGTHS["email"]:
        row.problem("email", f"Too long: at most {MAX_LENGTHS['email']} characters.")
    elif not EMAIL_RE.match(email):
        row.problem("email", f"“{email}” is not an email address.")

    row.name = " ".join(values["name"].split())
    if not row.name:
        row.problem("name", "Enter the person’s name.")

    role = values.get("role", "").strip().lower()
    if role and role not in ROLE_NAMES:
        row.problem(
            "role",
            f"Unknown role “{values['role'].strip()}”; use one of "
            f"{', '.join(ROLE_NAMES)}.",
        )
    row.role = role or Role.LEARNER.value

    row.team = " ".join(values.get("team", "").split()) or None
    row.job_title = " ".join(values.get("job_title", "").split()) or None

    password = values.get("password", "")
    row.password = password if password.strip() else None
    if row.password is not None:
        problems = password_problems(row.password, email=email, name=row.name)
        if problems:  # never the password itself: the page may be seen by others
            row.problem(
                "password",
                f"{' '.join(problems)} Leave it blank to have one generated.",
            )

    for name in ("name", "team", "job_title"):  # a password: the policy says
        value = getattr(row, name)
        if value and len(value) > MAX_LENGTHS[name]:
            row.problem(name, f"Too long: at most {MAX_LENGTHS[name]} characters.")
    return row
