"""Reading and writing the framework CSV: pure, every problem with its line and
field."""

from __future__ import annotations

from lms.skills import csv_io

HEADER = "category,category_group,slug,name,description," + ",".join(
    f"level_{n}" for n in range(1, 6)
)
LEVELS = "Knows,Works,Proficient,Advanced,Expert"


def problems(text: str) -> list[tuple[int | None, str | None]]:
    return [(p.line, p.field) for p in csv_io.read(text).errors]


def test_a_good_file_reads_into_rows():
    result = csv_io.read(
        f"{HEADER}\r\n"
        f"Keying,technical,data-entry,Data  entry,Keys records.,{LEVELS}\r\n"
        f"People,PROFESSIONAL,teamwork,Teamwork,,{LEVELS}\r\n"
    )

    assert result.ok
    first, second = result.rows
    assert (first.line, first.category, first.slug, first.name) == (
        2,
        "Keying",
        "data-entry",
        "Data entry",
    )
    assert first.levels == ("Knows", "Works", "Proficient", "Advanced", "Expert")
    assert (second.category_group, second.description) == ("professional", "")


def test_columns_may_come_in_any_order_and_any_case():
    header = "Slug,Name,Category,Category Group,Description," + ",".join(
        f"Level {n}" for n in range(1, 6)
    )

    result = csv_io.read(
        f"{header}\ndata-entry,Data entry,Keying,technical,,{LEVELS}\n"
    )

    assert result.ok
    assert result.rows[0].category == "Keying"


def test_every_bad_value_is_reported_with_its_line_and_field():
    text = (
        f"{HEADER}\n"
        f",soft,Data Entry,,,a,,c,d,e\n"
        f"Keying,technical,ok-skill,OK,,{LEVELS}\n"
        f"Keying,professional,ok-skill,Again,,{LEVELS}\n"
        f"too,few,values\n"
    )

    assert problems(text) == [
        (2, "category"),
        (2, "category_group"),
        (2, "slug"),
        (2, "name"),
        (2, "level_2"),
        (4, "category_group"),
        (4, "slug"),
        (5, None),
    ]
    messages = [str(p) for p in csv_io.read(text).errors]
    assert (
        "line 2: category_group: “soft” is not a group; use technical or "
        in (messages[1])
    )
    assert messages[4] == "line 2: level_2: Describe level 2 (Working)."
    assert messages[5] == (
        "line 4: category_group: Line 3 puts “Keying” in the technical group; one "
        "category has one group."
    )
    assert messages[6] == (
        "line 4: slug: ok-skill is also on line 3; each skill must appear once."
    )


def test_a_wrong_header_names_what_is_missing_and_unknown():
    result = csv_io.read("category,slug,name,colour\nKeying,a,A,blue\n")

    [problem] = result.errors
    assert (problem.line, problem.field) == (1, "header")
    assert "unknown column “colour”" in problem.message
    assert "missing column “category_group”, “description”, “level_1”" in (
        problem.message
    )


def test_empty_files_and_files_without_rows_say_so():
    assert [str(p) for p in csv_io.read("").errors] == ["file: The file is empty."]
    assert [str(p) for p in csv_io.read(HEADER + "\n").errors] == [
        "file: The file has a header but no skills in it."
    ]


def test_non_utf8_bytes_are_refused_with_a_hint():
    [problem] = csv_io.read(
        f"{HEADER}\nKeying,technical,a,Caf\xe9".encode("latin-1")
    ).errors

    assert problem.line == 2
    assert "CSV UTF-8" in problem.message


def test_too_many_rows_is_one_file_problem():
    rows = "".join(f"K,technical,s-{n},S,,{LEVELS}\n" for n in range(4))

    [problem] = csv_io.read(HEADER + "\n" + rows, max_rows=3).errors

    assert problem.line is None
    assert "at most 3" in problem.message


def test_written_files_read_back_the_same_and_formulas_are_defused():
    rows = [
        (
            "Keying",
            "technical",
            "data-entry",
            "Data entry",
            "=SUM(A1)",
            *LEVELS.split(","),
        ),
        (
            "People",
            "professional",
            "teamwork",
            "Teamwork",
            "",
            "-1 step",
            "+2",
            "@3",
            "4",
            "5",
        ),
    ]

    text = csv_io.write(rows)

    assert text.splitlines()[0] == HEADER
    assert "'=SUM(A1)" in text and "'-1 step" in text
    result = csv_io.read(text.encode("utf-8"))
    assert result.ok
    assert result.rows[0].description == "=SUM(A1)"
    assert result.rows[1].levels == ("-1 step", "+2", "@3", "4", "5")
