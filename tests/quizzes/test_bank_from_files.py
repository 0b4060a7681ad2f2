"""The bundled questions in the question bank: kept in step by the content import,
read-only in the browser, reusable in browser quizzes, duplicated to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.content.importer import import_content
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.quizzes.models import Question
from lms.users.models import Role
from tests import factories
from tests.content.conftest import GOOD

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GIFT = """$CATEGORY: Spreadsheets/Totals

::sum-total:: Which function adds a range? {=SUM ~COUNT ~MAX}

::count-cells:: Which function counts numbers? {=COUNT ~SUM}
"""
AIKEN = """Which key is the decimal point on the keypad?
A) The full stop
B) The plus
ANSWER: A
"""


@pytest.fixture
def tree(tmp_path) -> Path:
    """The good fixture tree with a GIFT and an Aiken bank in quizzes/_banks."""
    root = tmp_path / "content"
    shutil.copytree(GOOD, root)
    (root / "quizzes" / "_banks" / "totals.gift").write_text(GIFT)
    (root / "quizzes" / "_banks" / "keypad-basics.aiken.txt").write_text(AIKEN)
    return root


def run(root: Path):
    report = import_content(root / "courses", root / "quizzes")
    assert report.ok, report.errors
    db.session.commit()
    return report


def file_rows() -> dict[str, Question]:
    return {
        q.source_key: q
        for q in db.session.scalars(
            sa.select(Question).where(Question.source_key.is_not(None))
        )
    }


def snapshot_of_rows() -> list[tuple]:
    return sorted(
        (q.id, q.source_key, q.fingerprint, q.is_archived, q.updated_at)
        for q in file_rows().values()
    )


# --- the import ------------------------------------------------------------------


def test_import_puts_every_file_question_in_the_bank_read_only(app_ctx, tree):
    report = run(tree)

    rows = file_rows()
    assert sorted(rows) == [
        "_banks/keypad-basics.aiken.txt/prompt-" + _prompt_hash(rows),
        "_banks/totals.gift/count-cells",
        "_banks/totals.gift/sum-total",
        "keying-basics-check/checks",
        "keying-basics-check/gst",
        "keying-basics-check/home-key",
        "keying-basics-check/keypad-centre",
        "keying-basics-check/speed-first",
        "keying-basics-check/steps",
    ]
    assert report.questions.created == 9
    home = rows["keying-basics-check/home-key"]
    assert (home.origin, home.owner_id, home.is_archived) == (ORIGIN_FILE, None, False)
    assert (home.type, home.category, home.tags) == ("single", "Posture", ["home-row"])
    assert home.source_file == "quizzes/keying-basics-check.toml"
    assert rows["_banks/totals.gift/sum-total"].category == "Spreadsheets/Totals"
    aiken = next(q for k, q in rows.items() if "keypad-basics" in k)
    assert aiken.category == "Keypad basics"  # the file's name when it has none
    assert aiken.source_file == "quizzes/_banks/keypad-basics.aiken.txt"


def _prompt_hash(rows) -> str:
    key = next(k for k in rows if k.startswith("_banks/keypad-basics"))
    return key.rsplit("prompt-", 1)[1]


def test_a_second_import_changes_nothing(app_ctx, tree):
    run(tree)
    before = snapshot_of_rows()

    again = run(tree)

    assert snapshot_of_rows() == before
    assert (again.questions.created, again.questions.updated) == (0, 0)
    assert again.questions.unchanged == 9 and not again.changed


def test_reimport_updates_in_place_and_archives_what_the_files_dropped(app_ctx, tree):
    run(tree)
    rows = file_rows()
    quiz_file = tree / "quizzes" / "keying-basics-check.toml"
    text = quiz_file.read_text()
    quiz_file.write_text(
        text.replace(
            "Which key does the right index finger rest on?",
            "Which key does your right index finger rest on?",
        )
    )
    (tree / "quizzes" / "_banks" / "totals.gift").write_text(
        GIFT.split("\n\n::count-cells::")[0] + "\n"
    )

    report = run(tree)

    after = file_rows()
    assert (report.questions.updated, report.questions.archived) == (1, 1)
    home = after["keying-basics-check/home-key"]
    assert home.id == rows["keying-basics-check/home-key"].id
    assert "your right index finger" in home.data["prompt"]
    assert after["_banks/totals.gift/count-cells"].is_archived  # kept, not deleted

    (tree / "quizzes" / "_banks" / "totals.gift").write_text(GIFT)
    assert run(tree).questions.updated == 1
    assert not file_rows()["_banks/totals.gift/count-cells"].is_archived


def test_a_bank_file_with_an_error_stops_the_import(app_ctx, tree):
    (tree / "quizzes" / "_banks" / "broken.gift").write_text("::t:: No answers {}\n")

    report = import_content(tree / "courses", tree / "quizzes")

    assert not report.ok
    assert report.errors[0].path == "quizzes/_banks/broken.gift"
    db.session.rollback()
    assert file_rows() == {}


def test_the_bundled_content_fills_a_new_trainers_bank(app_ctx):
    report = import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    db.session.commit()

    rows = file_rows()
    file_quizzes = db.session.scalars(
        sa.select(Assessment).where(
            Assessment.kind == "quiz", Assessment.origin == ORIGIN_FILE
        )
    ).all()
    inline = sum(len(q.content["questions"]) for q in file_quizzes)
    banks = [k for k in rows if k.startswith("_banks/")]
    assert report.ok and len(rows) == inline + len(banks)
    assert {k.split("/")[1] for k in banks} == {
        "back-office-basics.aiken.txt",
        "spreadsheet-formulas.gift",
    }


def test_file_quiz_attempts_keep_the_ids_of_the_file(app_ctx, tree):
    run(tree)
    quiz = db.session.scalar(
        sa.select(Assessment).where(Assessment.slug == "keying-basics-check")
    )
    learner = factories.user()

    attempt = factories.quiz_attempt(learner, quiz)

    ids = {q["id"] for q in attempt.snapshot["questions"]}
    assert ids == {"home-key", "checks", "speed-first", "keypad-centre", "gst", "steps"}


# --- the pages ---------------------------------------------------------------------


@pytest.fixture
def bank_world(app, tree, login):
    with app.app_context():
        run(tree)
        trainer = factories.user(Role.TRAINER)
        own = factories.bank_question(owner=trainer, prompt="My own question?")
        home = file_rows()["keying-basics-check/home-key"]
        db.session.commit()
        return {
            "client": login(trainer),
            "trainer": trainer.id,
            "own": own.id,
            "file_q": home.id,
        }


def test_the_bank_list_marks_file_questions_and_offers_no_edit(app, bank_world):
    html = bank_world["client"].get("/bank").get_data(as_text=True)

    row = _row_of(html, bank_world["file_q"])
    assert "From files" in row and "quizzes/keying-basics-check.toml" in row
    assert "Duplicate to edit" in row
    assert "/edit" not in row and "/archive" not in row
    own = _row_of(html, bank_world["own"])
    assert "/edit" in own and "/archive" in own and "From files" not in own


def _row_of(html: str, question_id: int) -> str:
    start = html.index(f'data-question="{question_id}"')
    return html[start : html.index("</tr>", start)]


def test_the_from_files_and_mine_filters(app, bank_world):
    client = bank_world["client"]

    files = client.get("/bank?files=1").get_data(as_text=True)
    mine = client.get("/bank?mine=1").get_data(as_text=True)

    assert "9 questions match the filters" in files
    assert f'data-question="{bank_world["own"]}"' not in files
    assert "1 question matches the filters" in mine
    assert f'data-question="{bank_world["file_q"]}"' not in mine


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/bank/{file_q}/edit", {"prompt": "Changed?", "points": "1"}),
        ("/bank/{file_q}/archive", {}),
        ("/bank/{file_q}/restore", {}),
    ],
)
def test_changing_a_file_question_is_refused_with_the_reason(
    app, bank_world, path, data
):
    with app.app_context():
        before = db.session.get(Question, bank_world["file_q"]).as_content()

    response = bank_world["client"].post(path.format(**bank_world), data=data)

    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "comes from the content files" in page and "Duplicate to edit" in page
    with app.app_context():
        row = db.session.get(Question, bank_world["file_q"])
        assert row.as_content() == before and not row.is_archived


def test_an_admin_cannot_edit_a_file_question_either(app, tree, login):
    with app.app_context():
        run(tree)
        admin = factories.user(Role.ADMIN)
        qid = file_rows()["keying-basics-check/home-key"].id
        db.session.commit()

    assert login(admin).get(f"/bank/{qid}/edit").status_code == 403


def test_duplicate_to_edit_makes_an_editable_copy_of_ones_own(app, bank_world):
    client = bank_world["client"]

    response = client.post(f"/bank/{bank_world['file_q']}/duplicate")

    assert response.status_code == 302
    with app.app_context():
        original = db.session.get(Question, bank_world["file_q"])
        copy = db.session.scalars(
            sa.select(Question).where(
                Question.owner_id == bank_world["trainer"],
                Question.id != bank_world["own"],
            )
        ).one()
        assert response.headers["Location"].endswith(f"/bank/{copy.id}/edit")
        assert (copy.origin, copy.source_key) == (ORIGIN_UI, None)
        assert copy.data == original.data and copy.category == original.category
        copy_id = copy.id
    assert client.get(f"/bank/{copy_id}/edit").status_code == 200
    edited = client.post(
        f"/bank/{copy_id}/edit",
        data={
            "prompt": "Which key does the left index finger rest on?",
            "points": "1",
            "choices-0-text": "F",
            "choices-0-correct": "y",
            "choices-1-text": "D",
        },
    )
    assert edited.status_code == 302
    with app.app_context():
        assert "left index" in db.session.get(Question, copy_id).data["prompt"]
        assert (
            "right index"
            in db.session.get(Question, bank_world["file_q"]).data["prompt"]
        )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        (Role.LEARNER, 403),
        (Role.MANAGER, 403),
        (Role.TRAINER, 302),
        (Role.ADMIN, 302),
    ],
)
def test_who_may_duplicate(app, client, login, tree, role, status):
    with app.app_context():
        run(tree)
        qid = file_rows()["keying-basics-check/home-key"].id
        user = factories.user(role) if role else None
        db.session.commit()
    c = login(user) if user else client

    response = c.post(f"/bank/{qid}/duplicate")

    assert response.status_code == status
    if role is None:
        assert "/login" in response.headers["Location"]


# --- reuse in a browser quiz ----------------------------------------------------------


def test_a_file_question_in_a_browser_quiz_is_taken_end_to_end(app, tree, login):
    with app.app_context():
        run(tree)
        trainer = factories.user(Role.TRAINER)
        learner = factories.user()
        rows = file_rows()
        quiz = factories.bank_quiz(
            trainer,
            [
                {"question_id": rows["keying-basics-check/home-key"].id},
                {"question_id": rows["_banks/totals.gift/sum-total"].id},
            ],
            published=True,
            slug="reuse",
        )
        home_id = rows["keying-basics-check/home-key"].id
        quiz_id = quiz.id
        db.session.commit()
    client = login(learner)

    start = client.post("/api/v1/assessments/reuse/attempts")
    assert start.status_code == 201, start.get_json()
    body = start.get_json()
    items = {i["id"]: i for i in body["items"]}
    assert f"bank-{home_id}" in items
    answers = {
        item_id: next(c["id"] for c in item["choices"] if c["text"] in ("J", "SUM"))
        for item_id, item in items.items()
    }
    saved = client.put(
        f"/api/v1/attempts/{body['id']}/responses",
        json={"seq": 1, "responses": answers},
    )
    assert saved.status_code == 200, saved.get_json()
    submitted = client.post(f"/api/v1/attempts/{body['id']}/submit")

    assert submitted.status_code == 200
    result = submitted.get_json()
    assert result["state"] == "submitted"
    assert result["result"]["score"] == result["result"]["max_score"] == 2
    with app.app_context():
        assert db.session.get(Assessment, quiz_id).origin == ORIGIN_UI


# --- query counts -------------------------------------------------------------------


def test_the_bank_list_query_count_does_not_grow_with_file_questions(
    app, login, count_queries
):
    counts = []
    for n in (2, 9):
        with app.app_context():
            trainer = factories.user(Role.TRAINER)
            for i in range(n):
                q = factories.bank_question(prompt=f"From a file {n}-{i}?")
                q.origin, q.source_key = ORIGIN_FILE, f"quiz-{n}/q{i}"
                factories.bank_question(owner=trainer, prompt=f"Mine {n}-{i}?")
            db.session.commit()
        client = login(trainer)
        html = client.get("/bank?per_page=50").get_data(as_text=True)
        assert html.count("From files</span>") >= n
        with count_queries() as counter:
            assert client.get("/bank?per_page=50").status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1], counts
