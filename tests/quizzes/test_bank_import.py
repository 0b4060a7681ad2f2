"""Importing GIFT and Aiken into the bank: preview, per-line errors, all or nothing,
from the page and from `flask quizzes import-questions`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.config import PROJECT_ROOT
from lms.extensions import db
from lms.quizzes.models import Question
from lms.users.models import Role
from tests import factories

GIFT = """// Two good questions
$CATEGORY: Spreadsheets/Lookups

::vlookup::Which function looks up a value in the first column of a range?
{=VLOOKUP#Right. ~HLOOKUP#Rows, not columns. ~INDEX}

::gst-rate::The standard GST rate on most services is 18 %.{T}
"""

GIFT_WITH_ERRORS = """::ok::A good question {=yes ~no}

::bad-html::[html]<b>Bold</b> question {=a ~b}

::no-answer::A question with no answer block
"""

AIKEN = """What does GSTIN stand for?
A) Goods and Services Tax Identification Number
B) General Sales Tax Index Number
ANSWER: A

Which key ends a 10-key entry?
A. Tab
B. Enter
ANSWER: B
"""

AIKEN_WITH_ERRORS = """What does TDS stand for?
A) Tax Deducted at Source
B) Total Daily Sales
ANSWER: C
"""


@pytest.fixture
def trainer(app_ctx):
    t = factories.user(Role.TRAINER)
    db.session.commit()
    return t


def _bank():
    return list(db.session.scalars(sa.select(Question).order_by(Question.id)))


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden {name}"
    import html

    return html.unescape(match.group(1))


def _confirm_form(page: str) -> dict:
    return {
        "confirm": "1",
        **{
            k: _hidden(page, k)
            for k in ("text", "format", "source", "category", "tags")
        },
    }


# --- the page -----------------------------------------------------------------------


def test_pasted_gift_is_previewed_without_writing_anything(login, trainer):
    response = login(trainer).post(
        "/bank/import", data={"text": GIFT, "format": "auto", "tags": "week 1"}
    )
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert _bank() == []
    assert "Preview of pasted text" in page and "GIFT" in page
    assert "Which function looks up a value in the first column" in page
    assert "Spreadsheets/Lookups" in page
    assert "VLOOKUP" in page  # the key, for the trainer to check
    assert "Import 2 questions" in page


def test_confirming_the_preview_imports_every_question(login, trainer):
    client = login(trainer)
    preview = client.post(
        "/bank/import",
        data={"text": GIFT, "category": "Fallback", "tags": "week 1, Excel"},
    ).get_data(as_text=True)

    response = client.post("/bank/import", data=_confirm_form(preview))

    assert response.status_code == 302
    single, truefalse = _bank()
    assert single.type == "single" and truefalse.type == "truefalse"
    assert single.category == "Spreadsheets/Lookups"  # $CATEGORY wins over the fallback
    assert single.tags == ["week 1", "excel"]
    assert single.origin == "file" and single.owner_id == trainer.id
    assert single.data["title"] == "vlookup"
    assert [c["correct"] for c in single.data["choices"]] == [True, False, False]
    assert truefalse.data["answer"] is True
    assert "Imported 2 questions." in client.get("/bank").get_data(as_text=True)


def test_uploaded_aiken_file_is_detected_and_imported(login, trainer):
    client = login(trainer)
    upload = {
        "upload": (io.BytesIO(AIKEN.encode()), "tax-basics.txt"),
        "format": "auto",
    }

    preview = client.post(
        "/bank/import", data=upload, content_type="multipart/form-data"
    )
    page = preview.get_data(as_text=True)
    imported = client.post("/bank/import", data=_confirm_form(page))

    assert "Preview of tax-basics.txt" in page and "AIKEN" in page
    assert imported.status_code == 302
    assert [q.data["prompt"] for q in _bank()] == [
        "What does GSTIN stand for?",
        "Which key ends a 10-key entry?",
    ]


def test_errors_are_listed_with_file_line_and_field_and_nothing_can_be_imported(
    login, trainer
):
    response = login(trainer).post("/bank/import", data={"text": GIFT_WITH_ERRORS})
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "2 errors: nothing can be imported" in page
    rows = re.findall(
        r'<tr class="table-danger"><td>(.*?)</td><td class="text-end">(\d+)</td><td><code>(.*?)</code></td><td>(.*?)</td></tr>',
        page,
    )
    assert [(src, int(line), field) for src, line, field, _ in rows] == [
        ("pasted text", 3, "prompt"),
        ("pasted text", 5, "answer"),
    ]
    assert "Import 1 question" not in page
    assert 'name="confirm"' not in page
    # the text is back in the box to fix it
    assert "::no-answer::A question with no answer block" in page
    assert _bank() == []


def test_a_confirm_whose_text_no_longer_parses_imports_nothing(login, trainer):
    client = login(trainer)
    form = {
        "confirm": "1",
        "text": AIKEN + "\n" + AIKEN_WITH_ERRORS,
        "format": "aiken",
        "source": "edited.txt",
        "category": "",
        "tags": "",
    }

    response = client.post("/bank/import", data=form)
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert _bank() == []
    assert "ANSWER C is not one of the options (A, B)" in page
    assert "edited.txt" in page


def test_questions_already_in_the_bank_are_skipped(login, trainer):
    client = login(trainer)
    first = client.post("/bank/import", data={"text": AIKEN}).get_data(as_text=True)
    client.post("/bank/import", data=_confirm_form(first))

    again = client.post("/bank/import", data={"text": AIKEN}).get_data(as_text=True)

    assert "Already in the bank" in again
    assert "Nothing new to import" in again
    assert len(_bank()) == 2


def test_an_empty_submission_asks_for_a_file_or_text(login, trainer):
    response = login(trainer).post("/bank/import", data={"text": "  "})

    assert response.status_code == 400
    assert "Upload a file or paste the questions." in response.get_data(as_text=True)


def test_a_file_that_is_not_utf8_is_refused(login, trainer):
    upload = {
        "upload": (
            io.BytesIO("Qué?\nA) sí\nB) no\nANSWER: A".encode("utf-16")),
            "q.txt",
        )
    }

    response = login(trainer).post(
        "/bank/import", data=upload, content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert "not UTF-8" in response.get_data(as_text=True)
    assert _bank() == []


def test_the_bundled_gift_bank_previews_cleanly(login, trainer):
    text = (
        PROJECT_ROOT / "quizzes" / "_banks" / "spreadsheet-formulas.gift"
    ).read_text()

    response = login(trainer).post("/bank/import", data={"text": text})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="import-errors"' not in page
    assert re.search(r"Import \d+ questions", page)


# --- the command line -----------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_imports_a_gift_file_with_category_tags_and_owner(
    runner, tmp_path, trainer
):
    path = _write(
        tmp_path, "bank.gift", GIFT.replace("$CATEGORY: Spreadsheets/Lookups\n", "")
    )

    result = runner.invoke(
        args=[
            "quizzes",
            "import-questions",
            str(path),
            "--category",
            "Excel",
            "--tag",
            "cli",
            "--owner",
            trainer.email,
        ]
    )

    assert result.exit_code == 0, result.output
    assert "Imported 2 question(s)" in result.output
    questions = _bank()
    assert [q.category for q in questions] == ["Excel", "Excel"]
    assert all(q.tags == ["cli"] and q.owner_id == trainer.id for q in questions)


def test_cli_prints_every_error_with_its_line_and_imports_nothing(
    runner, tmp_path, app_ctx
):
    path = _write(tmp_path, "broken.gift", GIFT_WITH_ERRORS)

    result = runner.invoke(args=["quizzes", "import-questions", str(path)])

    assert result.exit_code == 1
    assert f"{path}:3: prompt: [html] text is not supported" in result.output
    assert f"{path}:5: answer: no answer block" in result.output
    assert (
        "2 error(s)" in result.output and "no questions were imported" in result.output
    )
    assert _bank() == []


def test_cli_detects_aiken_and_is_idempotent(runner, tmp_path, app_ctx):
    path = _write(tmp_path, "tax.txt", AIKEN)

    first = runner.invoke(args=["quizzes", "import-questions", str(path)])
    second = runner.invoke(args=["quizzes", "import-questions", str(path)])

    assert "Imported 2 question(s)" in first.output and "(AIKEN)" in first.output
    assert (
        "Imported 0 question(s)" in second.output
        and "2 already in the bank" in second.output
    )
    assert len(_bank()) == 2
    assert all(q.owner_id is None for q in _bank())


def test_cli_dry_run_writes_nothing(runner, tmp_path, app_ctx):
    path = _write(tmp_path, "tax.aiken", AIKEN)

    result = runner.invoke(args=["quizzes", "import-questions", str(path), "--dry-run"])

    assert result.exit_code == 0
    assert "2 question(s) would be imported" in result.output
    assert _bank() == []


def test_cli_refuses_an_unknown_owner(runner, tmp_path, app_ctx):
    path = _write(tmp_path, "tax.txt", AIKEN)

    result = runner.invoke(
        args=[
            "quizzes",
            "import-questions",
            str(path),
            "--owner",
            "nobody@example.test",
        ]
    )

    assert result.exit_code == 1
    assert "No account with the email nobody@example.test" in result.output
    assert _bank() == []
