"""A request body is read whole, within a size and a time bound, before an API write
waits for its turn to write: one slow client cannot hold up everyone's autosave."""

from __future__ import annotations

import json
import time

import pytest

from tests.api.live import SlowRequest, call, quiz_takers, save_body, save_path, serve


@pytest.fixture
def app_config_overrides(tmp_path):
    # A file database of its own: the live server's threads share it with the test.
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}",
        "API_BODY_SECONDS": 3,
    }


def test_a_trickling_body_does_not_delay_another_learners_save(app):
    with serve(app) as url:
        slow_taker, quick_taker = quiz_takers(app, url, 2)
        body = json.dumps(save_body(slow_taker, 1)).encode()
        slow = SlowRequest(url, "PUT", save_path(slow_taker), body, slow_taker.token)
        slow.send(10)
        time.sleep(0.3)  # the server has the headers and is reading the body

        quick = call(
            url, "PUT", save_path(quick_taker), save_body(quick_taker, 1),
            token=quick_taker.token,
        )  # fmt: skip
        slow_status = slow.finish()

    assert quick.status == 200
    assert quick.seconds < 1.0, f"the save waited {quick.seconds:.1f} s"
    assert slow_status == 200


def test_a_body_slower_than_the_time_bound_is_answered_408(app):
    with serve(app) as url:
        (taker,) = quiz_takers(app, url, 1)
        body = json.dumps(save_body(taker, 1)).encode()
        slow = SlowRequest(url, "PUT", save_path(taker), body, taker.token)
        began = time.perf_counter()
        slow.send(5)
        status = slow.status()  # never sends the rest
        waited = time.perf_counter() - began
        after = call(
            url, "PUT", save_path(taker), save_body(taker, 2), token=taker.token
        )

    assert status == 408
    assert 2.5 < waited < 6
    assert after.status == 200


@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("/api/v1/attempts/1/responses", 600 * 1024),
        ("/api/v1/attempts/1/submit", 20 * 1024),
        ("/api/v1/assessments/live-quiz/attempts", 20 * 1024),
    ],
)
def test_bodies_beyond_the_routes_limit_are_413_json(app, path, size):
    with serve(app) as url:
        (taker,) = quiz_takers(app, url, 1)
        method = "PUT" if path.endswith("responses") else "POST"
        reply = call(url, method, path, {"pad": "x" * size}, token=taker.token)

    assert reply.status == 413
    assert reply.json()["error"] == "too_large"
