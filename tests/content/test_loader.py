"""The content loader: pure, collects every error with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content import loader
from lms.content.loader import ContentError
from tests.content.conftest import BROKEN, GOOD


@pytest.fixture(scope="module")
def good() -> loader.Catalog:
    return loader.load_content(GOOD / "courses", GOOD / "quizzes")


@pytest.fixture(scope="module")
def broken() -> loader.Catalog:
    return loader.load_content(BROKEN / "courses", BROKEN / "quizzes")


def by_slug(items):
    return {item.slug: item for item in items}


# --- the good tree -----------------------------------------------------------------


def test_good_tree_loads_without_errors_and_skips_underscore_names(good):
    assert good.errors == []
    assert sorted(by_slug(good.courses)) == ["keying-basics", "records-care"]
    assert sorted(by_slug(good.assessments)) == [
        "amounts",
        "customer-entry",
        "keying-basics-check",
        "ledger-check",
        "pair-check",
        "retype",
    ]


def test_course_spec_reads_course_toml_and_orders_modules(good):
    course = by_slug(good.courses)["keying-basics"]

    assert course.title == "Keying basics"
    assert course.level == "foundation"
    assert course.estimated_minutes == 45
    assert course.skills == ["data-entry", "ten-key"]
    assert course.published is True
    assert course.path == "courses/keying-basics/course.toml"
    assert [(m.position, m.slug, m.title, m.minutes) for m in course.modules] == [
        (1, "welcome", "Welcome", 5),
        (2, "home-row", "The home row", 15),
        (3, "numeric-keypad", "The numeric keypad", None),
    ]
    assert course.modules[0].body_md == "Why **accuracy** comes before speed.\n"
    assert course.modules[0].path == "courses/keying-basics/modules/01-welcome.md"


def test_course_defaults(good):
    course = by_slug(good.courses)["records-care"]

    assert (course.skills, course.estimated_minutes, course.published) == (
        [],
        None,
        True,
    )


def test_quiz_spec_splits_settings_from_items_and_normalises_questions(good):
    quiz = by_slug(good.assessments)["keying-basics-check"]

    assert quiz.kind == "quiz"
    assert quiz.course_slug == "keying-basics"
    assert quiz.description_md == "Six questions, *one* of each type."
    assert quiz.time_limit_seconds == 600
    assert (quiz.attempts_allowed, quiz.on_expiry, quiz.published) == (3, "grace", True)
    assert quiz.settings == {
        "pass_percent": 70,
        "shuffle_questions": True,
        "shuffle_choices": True,
        "questions_per_page": 3,
        "grading_method": "latest",
        "review": "after_close",
        "show_correct_answers": False,
        "show_feedback": "after_last_attempt",
    }
    questions = quiz.content["questions"]
    assert [q["id"] for q in questions] == [
        "home-key",
        "checks",
        "speed-first",
        "keypad-centre",
        "gst",
        "steps",
    ]
    choices = questions[0]["choices"]
    assert [(c["text"], c["correct"]) for c in choices] == [("J", True), ("K", False)]
    assert all(c["id"].startswith("c") for c in choices)  # text-derived ids
    assert questions[0]["tags"] == ["home-row"]
    assert questions[1]["points"] == 2


def test_assessment_defaults_are_filled_in(good):
    amounts = by_slug(good.assessments)["amounts"]

    assert amounts.time_limit_seconds is None
    assert amounts.attempts_allowed == 0
    assert amounts.on_expiry == "autosubmit"
    assert amounts.settings["correction_policy"] == "allowed"
    assert "bands" not in amounts.settings


def test_record_entry_records_get_row_number_ids_with_all_columns(good):
    spec = by_slug(good.assessments)["customer-entry"]

    assert spec.settings["records_per_attempt"] == 2
    assert spec.settings["correction_policy"] == "none"
    assert spec.settings["bands"]["job_ready"] == {"net_kph": 7000, "accuracy": 0.98}
    assert [f["name"] for f in spec.content["fields"]] == [
        "customer_id",
        "full_name",
        "date_of_birth",
        "credit_limit",
    ]
    assert spec.content["fields"][2] == {
        "name": "date_of_birth",
        "label": "Date of birth",
        "profile": "date",
        "critical": False,
        "format": "%d/%m/%Y",
    }
    records = spec.content["records"]
    assert [r["id"] for r in records] == ["r001", "r002", "r003"]  # blank line skipped
    assert records[0]["values"]["credit_limit"] == "1,25,000.00"
    assert records[2]["values"]["full_name"] == "Iyer, Meena"
    assert records[2]["values"]["notes"] == "multi\nline note"


def test_ten_key_entries_and_transcription_passages(good):
    specs = by_slug(good.assessments)

    assert specs["amounts"].content["entries"] == [
        {"id": "e001", "value": "1250.00"},
        {"id": "e002", "value": "-412.50"},
        {"id": "e003", "value": "004512398871"},
    ]
    assert specs["amounts"].settings["compare"] == "numeric"
    retype = specs["retype"]
    assert retype.time_limit_seconds == 150
    assert retype.content["passages"][0] == {
        "id": "p001",
        "title": "Handover",
        "text": "Volumes: 412 received, 376 keyed.",
    }
    assert retype.settings["bands"] == {"foundation": {"net_wpm": 25, "accuracy": 0.95}}


def test_reconciliation_sets_keep_or_get_ids(good):
    specs = by_slug(good.assessments)

    ledger = specs["ledger-check"]
    assert ledger.settings["mode"] == ledger.content["mode"] == "list"
    assert ledger.content["sets"][0]["id"] == "s001"
    assert len(ledger.content["sets"][0]["discrepancies"]) == 3
    pairs = specs["pair-check"]
    assert pairs.content["sets"][0]["id"] == "kyc"
    assert pairs.published is False


def test_loading_twice_gives_identical_specs_and_hashes(good):
    again = loader.load_content(GOOD / "courses", GOOD / "quizzes")

    assert again.courses == good.courses
    assert again.assessments == good.assessments


def test_course_hash_covers_every_module_file(good_tree):
    before = by_slug(loader.load_courses(good_tree / "courses")[0])
    module = good_tree / "courses/keying-basics/modules/03-numeric-keypad.md"
    module.write_text(module.read_text() + "\nOne more line.\n")

    after = by_slug(loader.load_courses(good_tree / "courses")[0])

    assert after["keying-basics"].content_hash != before["keying-basics"].content_hash
    assert after["records-care"].content_hash == before["records-care"].content_hash


def test_assessment_hash_covers_its_data_file(good_tree):
    def hashes():
        specs, errors = loader.load_assessments(good_tree / "quizzes")
        assert errors == []
        return {s.slug: s.content_hash for s in specs}

    before = hashes()
    csv_path = good_tree / "quizzes/amounts.csv"
    csv_path.write_text(csv_path.read_text() + "99.00\n")

    after = hashes()

    assert after["amounts"] != before["amounts"]
    assert {k: v for k, v in after.items() if k != "amounts"} == {
        k: v for k, v in before.items() if k != "amounts"
    }


def test_course_key_is_only_checked_when_course_slugs_are_given(tmp_path):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes/q.toml").write_text(
        'kind = "transcription"\ntitle = "T"\ncourse = "nowhere"\n'
        '[[passages]]\ntitle = "P"\ntext = "x"\n'
    )

    specs, errors = loader.load_assessments(tmp_path / "quizzes")
    assert errors == []
    assert specs[0].course_slug == "nowhere"

    _, errors = loader.load_assessments(tmp_path / "quizzes", course_slugs={"a"})
    assert [(e.path, e.line, e.field) for e in errors] == [
        ("quizzes/q.toml", 3, "course")
    ]


def test_a_missing_folder_is_an_error_not_an_empty_catalogue(tmp_path):
    catalog = loader.load_content(tmp_path / "nope", tmp_path / "nada")

    assert [e.path for e in catalog.errors] == ["nada", "nope"]
    assert catalog.courses == [] and catalog.assessments == []


def test_error_text_is_path_line_field_message():
    error = ContentError("quizzes/x.toml", 7, "questions.q1.choices", "none is correct")

    assert str(error) == "quizzes/x.toml:7: questions.q1.choices: none is correct"


# --- the broken tree ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "line", "field", "fragment"),
    [
        # TOML syntax errors carry tomllib's line
        ("courses/bad-toml/course.toml", 3, "syntax", "Invalid value"),
        ("quizzes/bad-syntax.toml", 7, "syntax", "Illegal character"),
        # ... also inside module front matter (line counted in the .md file)
        ("courses/typo-course/modules/03-bad-front-matter.md", 2, "syntax", ""),
        ("quizzes/bad-json.json", 4, "syntax", "property name"),
        # courses
        ("courses/Bad_Slug/course.toml", 1, "slug", "'Bad_Slug' is not a valid slug"),
        ("courses/no-title/course.toml", 1, "title", "is required"),
        ("courses/no-title/course.toml", 2, "level", "'beginner' is not one of"),
        ("courses/no-title/modules/01-untitled.md", 1, "title", "is required"),
        ("courses/typo-course/course.toml", 3, "sumary", "did you mean 'summary'"),
        ("courses/typo-course/course.toml", 4, "skills", "'Data Entry'"),
        ("courses/typo-course/course.toml", 5, "estimated_minutes", "whole number"),
        ("courses/typo-course/modules/01-b.md", 1, "file", "also used by 01-a.md"),
        ("courses/typo-course/modules/intro.md", 1, "file", "NN-name.md"),
        ("courses/typo-course/modules/02-no-front-matter.md", 1, "front matter", "+++"),
        ("courses/empty-course/modules", 1, "modules", "at least one module"),
        # assessments: common keys
        ("quizzes/Upper_Case.toml", 1, "slug", "'Upper_Case' is not a valid slug"),
        ("quizzes/unknown-kind.toml", 1, "kind", "did you mean 'transcription'"),
        ("quizzes/no-correct.toml", 3, "course", "no course folder"),
        ("quizzes/no-correct.toml", 4, "shuffle_question", "unknown key"),
        ("quizzes/no-correct.toml", 5, "pass_percent", "at most 100"),
        # quiz questions: grading.validate_question, with the question's id and line
        ("quizzes/no-correct.toml", 12, "questions.q1.choices", "one correct choice"),
        ("quizzes/no-correct.toml", 19, "questions.q1", "already used"),
        ("quizzes/no-correct.toml", 23, "questions.q1.hint", "unknown key"),
        ("quizzes/no-correct.toml", 27, "questions.q3.type", "'essay'"),
        # record_entry
        ("quizzes/missing-column.toml", 4, "records_per_attempt", "only 3"),
        ("quizzes/missing-column.toml", 12, "fields.phone.name", "not a column"),
        ("quizzes/missing-column.toml", 22, "fields.full_name.profile", "'fuzzy'"),
        ("quizzes/missing-column.csv", 3, "date_of_birth", "does not match"),
        ("quizzes/missing-column.csv", 4, "customer_id", "critical field"),
        # ten_key and bands
        ("quizzes/bad-ten-key.toml", 3, "entries_file", "not found"),
        ("quizzes/bad-ten-key.toml", 4, "records_per_attempt", "entries_per_attempt"),
        ("quizzes/bad-ten-key.toml", 5, "compare", "'numbers'"),
        ("quizzes/bad-ten-key.toml", 9, "bands.job_ready.accuracy", "from 0 to 1"),
        ("quizzes/bad-ten-key.toml", 9, "bands.job_ready.net_kph", "below foundation"),
        ("quizzes/bad-ten-key.toml", 10, "bands.expert", "unknown band"),
        # reconciliation
        ("quizzes/bad-recon.toml", 5, "sets_per_attempt", "only 1"),
        ("quizzes/bad-recon.json", 15, "sets[1].discrepancies[1]", "'CHQ-7'"),
        ("quizzes/bad-recon.json", 16, "sets[1].discrepancies[2]", "'colour'"),
        (
            "quizzes/bad-recon.json",
            12,
            "sets[1].discrepancies",
            "misses field_mismatch",
        ),
        ("quizzes/bad-pairs.json", 7, "sets[1].pairs.p2", "'phone'"),
    ],
)
def test_broken_file_reports_file_line_and_field(broken, path, line, field, fragment):
    found = [e for e in broken.errors if (e.path, e.field) == (path, field)]

    assert found, f"no {field} error for {path}; got:\n" + "\n".join(
        map(str, broken.errors)
    )
    assert any(e.line == line and fragment in e.message for e in found), found


def test_every_error_is_collected_not_just_the_first(broken):
    per_file: dict[str, int] = {}
    for error in broken.errors:
        per_file[error.path] = per_file.get(error.path, 0) + 1

    assert per_file["quizzes/no-correct.toml"] >= 7
    assert len(per_file) >= 15
    assert all(e.line >= 1 for e in broken.errors)
    assert broken.errors == sorted(broken.errors, key=lambda e: (e.path, e.line))


def test_nothing_broken_becomes_a_spec(broken):
    assert broken.courses == []
    assert broken.assessments == []


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_question_errors_point_at_the_choice_they_concern(tmp_path):
    write(
        tmp_path,
        "quizzes/q.toml",
        'kind = "quiz"\ntitle = "Q"\n\n[[questions]]\nid = "a"\ntype = "single"\n'
        'prompt = "P"\n\n  [[questions.choices]]\n  text = "Yes"\n  correct = true\n\n'
        '  [[questions.choices]]\n  text = ""\n  colour = "red"\n',
    )

    _, errors = loader.load_assessments(tmp_path / "quizzes")

    assert {(e.line, e.field) for e in errors} == {
        (13, "questions.a.choices"),  # "choice 2 has no text"
        (13, "questions.a.choices[2].colour"),
    }


def test_multiline_strings_do_not_confuse_line_numbers(tmp_path):
    write(
        tmp_path,
        "quizzes/q.toml",
        'kind = "quiz"\ntitle = "Q"\ndescription = """\n[[questions]]\n'
        'points = 3\n"""\n\n[[questions]]\nid = "a"\ntype = "truefalse"\n'
        'prompt = "P"\npoints = -1\nanswer = true\n',
    )

    _, errors = loader.load_assessments(tmp_path / "quizzes")

    assert [(e.line, e.field) for e in errors] == [(12, "questions.a.points")]


def test_ten_key_values_must_be_keyable_and_numeric_when_compared_as_numbers(tmp_path):
    write(tmp_path, "quizzes/t.csv", "value\n12.50\nabc\n1,250\n")
    write(
        tmp_path,
        "quizzes/t.toml",
        'kind = "ten_key"\ntitle = "T"\nentries_file = "t.csv"\ncompare = "numeric"\n',
    )

    _, errors = loader.load_assessments(tmp_path / "quizzes")

    assert [(e.path, e.line) for e in errors] == [
        ("quizzes/t.csv", 3),
        ("quizzes/t.csv", 4),
    ]


def test_data_files_must_sit_beside_the_toml(tmp_path):
    write(tmp_path, "secret.csv", "value\n1\n")
    write(
        tmp_path,
        "quizzes/t.toml",
        'kind = "ten_key"\ntitle = "T"\nentries_file = "../secret.csv"\n',
    )

    _, errors = loader.load_assessments(tmp_path / "quizzes")

    assert [(e.line, e.field) for e in errors] == [(3, "entries_file")]
    assert "beside the TOML" in errors[0].message


def test_a_csv_row_with_the_wrong_number_of_values_is_reported_on_its_line(tmp_path):
    write(tmp_path, "quizzes/r.csv", "id,name\nA1,Asha\nA2\nA3,Ravi\n")
    write(
        tmp_path,
        "quizzes/r.toml",
        'kind = "record_entry"\ntitle = "R"\nrecords_file = "r.csv"\n'
        '[[fields]]\nname = "id"\nprofile = "identifier"\n',
    )

    _, errors = loader.load_assessments(tmp_path / "quizzes")

    assert [(e.path, e.line, e.field) for e in errors] == [("quizzes/r.csv", 3, "row")]


def test_a_date_field_needs_a_format(tmp_path):
    write(tmp_path, "quizzes/r.csv", "when\n01/02/2026\n")
    write(
        tmp_path,
        "quizzes/r.toml",
        'kind = "record_entry"\ntitle = "R"\nrecords_file = "r.csv"\n\n'
        '[[fields]]\nname = "when"\nprofile = "date"\n',
    )

    _, errors = loader.load_assessments(tmp_path / "quizzes")

    assert [(e.line, e.field) for e in errors] == [(5, "fields.when.format")]


def test_quiz_settings_hold_only_what_the_file_says(tmp_path):
    write(
        tmp_path,
        "quizzes/q.toml",
        'kind = "quiz"\ntitle = "Q"\nquestions_per_attempt = 1\n\n'
        '[[questions]]\nid = "a"\ntype = "truefalse"\nprompt = "P"\nanswer = true\n\n'
        '[[questions]]\nid = "b"\ntype = "truefalse"\nprompt = "Q"\nanswer = false\n',
    )

    specs, errors = loader.load_assessments(tmp_path / "quizzes")

    assert errors == []
    assert specs[0].settings == {"questions_per_attempt": 1}


def test_quiz_draw_size_cannot_exceed_the_questions(tmp_path):
    write(
        tmp_path,
        "quizzes/q.toml",
        'kind = "quiz"\ntitle = "Q"\nquestions_per_attempt = 3\n\n'
        '[[questions]]\nid = "a"\ntype = "truefalse"\nprompt = "P"\nanswer = true\n',
    )

    _, errors = loader.load_assessments(tmp_path / "quizzes")

    assert [(e.line, e.field) for e in errors] == [(3, "questions_per_attempt")]
