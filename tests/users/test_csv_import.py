"""lms.users.csv_import: every kind of problem, with the line it is on."""

from __future__ import annotations

import pytest

from lms.users import csv_import
from lms.users.csv_import import Problem, validate

HEADER = "email,name,role,team,job_title,password\n"


def problems(result) -> list[tuple[int | None, str | None]]:
    return [(p.line, p.field) for p in result.errors]


def test_a_good_file_gives_one_row_per_person_and_no_problems():
    result = validate(
        HEADER
        + "Asha.Rao@Example.com , Asha  Rao ,Manager,Claims,Team lead,long enough now\n"
        + "ben@example.com,Ben,,,,\n",
        known_teams=["Claims"],
    )

    assert result.ok
    asha, ben = result.rows
    assert (asha.line, asha.email, asha.name, asha.role) == (
        2,
        "asha.rao@example.com",
        "Asha Rao",
        "manager",
    )
    assert (asha.team, asha.job_title, asha.password) == (
        "Claims",
        "Team lead",
        "long enough now",
    )
    assert (ben.role, ben.team, ben.job_title, ben.password) == (
        "learner",
        None,
        None,
        None,
    )


def test_the_sample_file_is_valid_when_its_team_exists():
    result = validate(csv_import.SAMPLE_CSV, known_teams=["Claims Processing"])

    assert result.ok
    assert len(result.rows) == 3


def test_bad_email_is_reported_on_its_line():
    result = validate(
        HEADER + "ok@example.com,Ok,,,,\nnot-an-email,Bad,,,,\n,Blank,,,,\n"
    )

    assert problems(result) == [(3, "email"), (4, "email")]
    assert "not-an-email" in result.errors[0].message
    assert result.errors[1].message == "Enter an email address."


def test_duplicate_email_within_the_file_names_the_first_line():
    result = validate(
        HEADER + "a@example.com,A,,,,\nb@example.com,B,,,,\nA@Example.com,A again,,,,\n"
    )

    assert problems(result) == [(4, "email")]
    assert "line 2" in result.errors[0].message


def test_email_that_already_has_an_account_is_a_problem():
    result = validate(
        HEADER + "new@example.com,New,,,,\nold@example.com,Old,,,,\n",
        existing_emails={"old@example.com"},
    )

    assert problems(result) == [(3, "email")]
    assert "already exists" in result.errors[0].message


def test_unknown_role_lists_the_roles():
    result = validate(HEADER + "a@example.com,A,learner,,,\nb@example.com,B,boss,,,\n")

    assert problems(result) == [(3, "role")]
    assert "“boss”" in result.errors[0].message
    assert "learner, trainer, manager, admin" in result.errors[0].message


def test_unknown_team_is_a_problem_unless_missing_teams_may_be_created():
    text = HEADER + "a@example.com,A,,claims,,\nb@example.com,B,,Payments,,\n"
    text += "c@example.com,C,,payments,,\n"

    strict = validate(text, known_teams=["Claims"])
    lenient = validate(text, known_teams=["Claims"], create_missing_teams=True)

    assert problems(strict) == [(3, "team"), (4, "team")]
    assert "Create missing teams" in strict.errors[0].message
    assert lenient.ok
    assert lenient.new_teams == ["Payments"]  # once, with the first spelling seen
    assert [r.team for r in lenient.rows] == ["Claims", "Payments", "Payments"]


def test_missing_name_is_a_problem():
    result = validate(HEADER + "a@example.com,   ,,,,\n")

    assert problems(result) == [(2, "name")]
    assert result.errors[0].message == "Enter the person’s name."


def test_short_password_is_a_problem_but_blank_means_generated():
    result = validate(HEADER + "a@example.com,A,,,,short\nb@example.com,B,,,,   \n")

    assert problems(result) == [(2, "password")]
    assert "short" not in result.errors[0].message  # never echo a password
    assert result.rows[1].password is None


def test_values_longer_than_the_columns_allow_are_problems():
    result = validate(HEADER + f"a@example.com,{'N' * 121},,{'T' * 121},{'J' * 121},\n")

    assert problems(result) == [(2, "name"), (2, "team"), (2, "job_title")]


def test_a_line_with_too_few_or_too_many_values_is_a_problem():
    result = validate(HEADER + "a@example.com,A,learner\nb@example.com,B,,,,,extra\n")

    assert problems(result) == [(2, None), (3, None)]
    assert "3 values; the header has 6" in result.errors[0].message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("email,role,team\n", "missing column “name”"),
        ("email,name,department\n", "unknown column “department”"),
        ("email,name,email\n", "repeated column “email”"),
        ("a@example.com,A,learner\n", "must be the header"),
        ("email;name;role\n", "semicolons"),
    ],
)
def test_wrong_header_is_one_problem_on_line_1(header, expected):
    result = validate(header + "b@example.com,B,learner\n")

    assert problems(result) == [(1, "header")]
    assert expected in result.errors[0].message
    assert result.rows == []


def test_header_names_ignore_case_spaces_and_order_and_optional_columns_may_be_left_out():
    result = validate(" Name , EMAIL ,Job title\nAsha,asha@example.com,Associate\n")

    assert result.ok
    row = result.rows[0]
    assert (row.email, row.name, row.job_title, row.role) == (
        "asha@example.com",
        "Asha",
        "Associate",
        "learner",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n\n", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        (HEADER.encode(), "The file has a header but nobody in it."),
        ((HEADER + ",,,,,\n\n").encode(), "The file has a header but nobody in it."),
    ],
)
def test_empty_files_are_one_file_problem(data, message):
    result = validate(data)

    assert result.errors == [Problem(None, None, message)]


def test_non_utf8_file_names_the_first_bad_line():
    data = (
        HEADER + "a@example.com,A,,,,\n"
    ).encode() + "b@example.com,José,,,,\n".encode("latin-1")

    result = validate(data)

    assert problems(result) == [(3, None)]
    assert "not UTF-8" in result.errors[0].message
    assert result.rows == []


def test_utf8_with_a_byte_order_mark_and_windows_line_ends_is_fine():
    data = "\ufeffemail,name\r\nj@example.com,José Müller\r\n".encode()

    result = validate(data)

    assert result.ok
    assert result.rows[0].name == "José Müller"


def test_more_rows_than_the_limit_is_a_file_problem_and_no_rows_are_kept():
    lines = "".join(
        f"p{i}@example.com,P {i},,,,\n" for i in range(csv_import.MAX_ROWS + 1)
    )

    result = validate(HEADER + lines)

    assert problems(result) == [(None, None)]
    assert "2,001 people" in result.errors[0].message
    assert "at most 2,000" in result.errors[0].message
    assert result.rows == []


def test_exactly_the_limit_is_allowed():
    result = validate(HEADER + "a@example.com,A,,,,\nb@example.com,B,,,,\n", max_rows=2)

    assert result.ok


def test_line_numbers_count_blank_lines_and_quoted_line_breaks():
    text = (
        HEADER
        + "\n"  # line 2, skipped
        + 'a@example.com,"Asha\nRao",,,,\n'  # lines 3-4
        + "bad,B,,,,\n"  # line 5
    )

    result = validate(text)

    assert [r.line for r in result.rows] == [3, 5]
    assert problems(result) == [(5, "email")]
    assert result.rows[0].name == "Asha Rao"


def test_broken_quoting_is_reported_on_its_line():
    result = validate(HEADER + 'a@example.com,A,,,,\nb@example.com,"B"x,,,,\n')

    assert problems(result) == [(3, None)]
    assert "cannot be read as CSV" in result.errors[0].message


def test_every_problem_of_every_line_is_reported_in_line_order():
    result = validate(
        HEADER + "bad,,boss,Nowhere,,short\nok@example.com,Ok,,,,\nbad2,B,,,,\n"
    )

    assert problems(result) == [
        (2, "email"),
        (2, "name"),
        (2, "role"),
        (2, "password"),
        (2, "team"),
        (4, "email"),
    ]
    assert not result.ok
    assert str(result.errors[-1]).startswith("line 4: email: ")
