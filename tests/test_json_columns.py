"""JSON columns read back exactly what was stored (lms/types.read_json, the
engine's JSON reader): the fast parser where it agrees with Python's, Python's
own where it would not (very long integers, NaN)."""

from __future__ import annotations

import json
import math

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from lms.attempts import services
from lms.attempts.models import Attempt, Response
from lms.extensions import db
from lms.types import read_json
from tests import factories

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # unbounded: far beyond 64 bits too
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)


@given(json_values)
def test_what_python_wrote_reads_back_equal_as_text_and_as_bytes(value):
    written = json.dumps(value)

    assert read_json(written) == value
    assert read_json(written.encode()) == value


@pytest.mark.parametrize(
    "big", [2**64, -(2**63) - 1, 123456789012345678901234567890, -(10**30)]
)
def test_integers_beyond_64_bits_stay_exact_integers(big):
    value = read_json(json.dumps({"answer": big, "note": "x"}))["answer"]

    assert value == big and isinstance(value, int)


def test_nan_and_infinity_that_python_writes_are_read():
    value = read_json(json.dumps([float("nan"), float("inf")]))

    assert math.isnan(value[0]) and value[1] == float("inf")


def test_a_stored_answer_with_a_huge_number_comes_back_exact(app, clock):
    with app.app_context():
        quiz = factories.quiz(2)
        attempt = services.start_attempt(factories.user(), quiz).attempt
        item = services.learner_items(attempt)[0]["id"]
        db.session.add(
            Response(
                attempt_id=attempt.id, item_id=item, value=[10**25 + 1, 0.5], seq=1
            )
        )
        db.session.commit()
        attempt_id, title = attempt.id, quiz.title
        db.session.remove()
        stored = db.session.scalar(
            sa.select(Response.value).where(Response.attempt_id == attempt_id)
        )
        snapshot = db.session.scalar(
            sa.select(Attempt.snapshot).where(Attempt.id == attempt_id)
        )

    assert stored == [10**25 + 1, 0.5] and isinstance(stored[0], int)
    assert snapshot["engine"]["title"] == title
