"""resolve_questions: fixed slots, random draws without repeats, determinism, and
draws that cannot be met."""

from __future__ import annotations

import random

import pytest

from lms.quizzes import draws
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.usefixtures("app_ctx")


def _bank(category: str, n: int, *, tags=(), owner=None):
    return [
        factories.bank_question(category=category, tags=list(tags), owner=owner)
        for _ in range(n)
    ]


def _draw(count, category, tag=None):
    return {"draw": {"count": count, "category": category, "tag": tag}}


def test_fixed_slots_come_in_slot_order_with_bank_ids():
    trainer = factories.user(Role.TRAINER)
    a, b = _bank("Invoices", 2)
    quiz = factories.bank_quiz(trainer, [{"question_id": b.id}, {"question_id": a.id}])

    questions = draws.resolve_questions(quiz, random.Random(1))

    assert [q["id"] for q in questions] == [f"bank-{b.id}", f"bank-{a.id}"]
    assert [q["bank_id"] for q in questions] == [b.id, a.id]
    assert questions[0]["prompt"] == b.data["prompt"]
    assert questions[0]["choices"] == b.data["choices"]


def test_inline_questions_come_first_then_slots():
    fixed = _bank("Invoices", 1)[0]
    inline = [factories.question("truefalse", qid="t1")]
    quiz = factories.assessment(
        content={"questions": inline, "slots": [{"question_id": fixed.id}]}
    )

    questions = draws.resolve_questions(quiz, random.Random(1))

    assert [q["id"] for q in questions] == ["t1", f"bank-{fixed.id}"]


def test_a_draw_takes_count_questions_from_the_category_and_its_subcategories():
    inside = _bank("Spreadsheets", 2) + _bank("Spreadsheets/Lookups", 2)
    _bank("Spreadsheets-old", 3)  # a prefix of the name, not a subcategory
    _bank("Email", 3)
    quiz = factories.bank_quiz(None, [_draw(4, "Spreadsheets")])

    questions = draws.resolve_questions(quiz, random.Random(7))

    assert sorted(q["bank_id"] for q in questions) == sorted(q.id for q in inside)


def test_a_draw_with_a_tag_only_takes_tagged_questions():
    tagged = _bank("Invoices", 3, tags=["gstin"])
    _bank("Invoices", 5, tags=["tds"])
    quiz = factories.bank_quiz(None, [_draw(3, "Invoices", "GSTIN")])

    questions = draws.resolve_questions(quiz, random.Random(3))

    assert {q["bank_id"] for q in questions} == {q.id for q in tagged}


def test_archived_questions_are_never_drawn():
    live = _bank("Invoices", 2)
    _bank("Invoices", 0)
    factories.bank_question(category="Invoices", archived=True)
    quiz = factories.bank_quiz(None, [_draw(2, "Invoices")])

    for seed in range(20):
        picked = {
            q["bank_id"] for q in draws.resolve_questions(quiz, random.Random(seed))
        }
        assert picked == {q.id for q in live}


def test_draws_never_repeat_a_fixed_question_or_each_other():
    pool = _bank("Invoices", 6, tags=["gstin"])
    fixed = pool[0]
    quiz = factories.bank_quiz(
        None,
        [
            {"question_id": fixed.id},
            _draw(3, "Invoices", "gstin"),
            _draw(2, "Invoices"),
        ],
    )

    for seed in range(50):
        ids = [q["id"] for q in draws.resolve_questions(quiz, random.Random(seed))]
        assert len(ids) == 6
        assert len(set(ids)) == 6
        assert ids[0] == f"bank-{fixed.id}"


def test_overlapping_draws_that_can_be_met_always_are():
    # Rule 1 may take any Invoices question, rule 2 only the two tagged ones: a
    # greedy pick for rule 1 would often leave rule 2 short.
    tagged = _bank("Invoices", 2, tags=["gstin"])
    _bank("Invoices", 2)
    quiz = factories.bank_quiz(
        None, [_draw(2, "Invoices"), _draw(2, "Invoices", "gstin")]
    )

    for seed in range(100):
        questions = draws.resolve_questions(quiz, random.Random(seed))
        assert {q["bank_id"] for q in questions[2:]} == {q.id for q in tagged}
        assert len({q["id"] for q in questions}) == 4


def test_the_same_seed_gives_the_same_questions_in_the_same_order():
    _bank("Invoices", 20)
    quiz = factories.bank_quiz(None, [_draw(5, "Invoices")])

    first = [q["id"] for q in draws.resolve_questions(quiz, random.Random(42))]
    again = [q["id"] for q in draws.resolve_questions(quiz, random.Random(42))]
    orders = {
        tuple(q["id"] for q in draws.resolve_questions(quiz, random.Random(seed)))
        for seed in range(30)
    }

    assert first == again
    assert len(orders) > 20  # different attempts really get different questions


def test_every_pool_question_gets_drawn_sometimes():
    pool = _bank("Invoices", 6)
    quiz = factories.bank_quiz(None, [_draw(2, "Invoices")])

    seen = set()
    for seed in range(200):
        seen |= {
            q["bank_id"] for q in draws.resolve_questions(quiz, random.Random(seed))
        }

    assert seen == {q.id for q in pool}


def test_a_draw_larger_than_its_pool_raises_a_clear_error():
    _bank("Invoices", 2, tags=["gstin"])
    quiz = factories.bank_quiz(None, [_draw(3, "Invoices", "gstin")])

    with pytest.raises(draws.DrawUnsatisfiableError) as excinfo:
        draws.resolve_questions(quiz, random.Random(1))

    message = str(excinfo.value)
    assert "The random draw of 3 from “Invoices” tagged “gstin”" in message
    assert "needs 3 questions but only 2 questions match" in message


def test_fixed_questions_do_not_count_towards_a_draw():
    fixed, _ = _bank("Invoices", 2)
    quiz = factories.bank_quiz(None, [{"question_id": fixed.id}, _draw(2, "Invoices")])

    with pytest.raises(draws.DrawUnsatisfiableError, match="only 1 question match"):
        draws.resolve_questions(quiz, random.Random(1))


def test_draws_competing_for_the_same_questions_raise_a_clear_error():
    _bank("Invoices", 3)
    quiz = factories.bank_quiz(None, [_draw(2, "Invoices"), _draw(2, "Invoices")])

    with pytest.raises(
        draws.DrawUnsatisfiableError, match="also wanted by other rules"
    ):
        draws.resolve_questions(quiz, random.Random(1))


def test_an_attempt_snapshot_draws_through_resolve_questions(clock):
    from lms.attempts import services as engine

    learner = factories.user()
    pool = _bank("Invoices", 5)
    quiz = factories.bank_quiz(None, [_draw(3, "Invoices")], published=True)

    attempt = engine.start_attempt(learner, quiz).attempt

    ids = [q["id"] for q in attempt.snapshot["questions"]]
    assert len(ids) == 3
    assert set(ids) <= {f"bank-{q.id}" for q in pool}
