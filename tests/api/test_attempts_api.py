"""The attempt calls of API v1: shapes, status codes, bad input, other people's attempts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import EnvironBuilder

from lms.attempts.models import Attempt, Response
from lms.extensions import db

START = "/api/v1/assessments/{slug}/attempts"


def _start(world, role="learner", slug=None):
    response = world.client(role).post(START.format(slug=slug or world.slug))
    return response, response.get_json()


def _answer(item):
    """Some well-formed answer for a learner item (right or wrong does not matter)."""
    if item["type"] == "single":
        return item["choices"][0]["id"]
    if item["type"] == "multiple":
        return [item["choices"][0]["id"]]
    if item["type"] == "truefalse":
        return True
    if item["type"] == "ordering":
        return [i["id"] for i in item["items"]]
    return "1250.50"


def _stored(app, attempt_id):
    with app.app_context():
        return dict(
            db.session.execute(
                sa.select(Response.item_id, Response.value).where(
                    Response.attempt_id == attempt_id
                )
            ).all()
        )


def test_start_returns_201_then_200_for_the_live_attempt(world, clock):
    first, body = _start(world)
    clock.advance(minutes=3)
    again, body2 = _start(world)

    assert (first.status_code, again.status_code) == (201, 200)
    assert body2["id"] == body["id"]
    assert body2["deadline_at"] == body["deadline_at"] == "2026-03-02T09:10:00Z"
    assert body["remaining_ms"] == 600_000 and body2["remaining_ms"] == 420_000
    assert body["state"] == "in_progress" and body["kind"] == "quiz"
    assert len(body["items"]) == 4 and body["responses"] == {}
    assert body["links"]["responses"] == f"/api/v1/attempts/{body['id']}/responses"


def test_start_of_an_unknown_or_unpublished_assessment_is_404(app, world):
    with app.app_context():
        db.session.execute(sa.text("UPDATE assessment SET is_published = false"))
        db.session.commit()

    assert _start(world)[0].status_code == 404
    assert _start(world, slug="no-such-quiz")[0].status_code == 404


def test_start_refused_by_the_rules_is_409_with_the_reason(app, world, clock):
    with app.app_context():
        db.session.execute(
            sa.update(sa.table("assessment", sa.column("close_at"))).values(
                close_at=clock.current.replace(tzinfo=None) - timedelta(minutes=1)
            )
        )
        db.session.commit()

    response, body = _start(world)

    assert response.status_code == 409
    assert body["error"] == "closed" and "closed" in body["message"]


def test_save_then_resume_returns_every_saved_answer(world, clock):
    _, body = _start(world)
    items = body["items"]
    answers = {item["id"]: _answer(item) for item in items}

    saved = world.client("learner").put(
        f"/api/v1/attempts/{body['id']}/responses",
        json={"seq": 3, "responses": answers},
    )
    _, resumed = _start(world)

    assert saved.status_code == 200
    assert saved.get_json() == {
        "saved_seq": 3,
        "last_seq": 3,
        "remaining_ms": 600_000,
        "server_now": "2026-03-02T09:00:00Z",
        "deadline_at": "2026-03-02T09:10:00Z",
    }
    assert resumed["responses"] == answers and resumed["last_seq"] == 3
    assert resumed["items"] == items


def test_submit_returns_the_same_body_on_every_repeat(world):
    _, body = _start(world)
    client = world.client("learner")

    first = client.post(f"/api/v1/attempts/{body['id']}/submit")
    second = client.post(f"/api/v1/attempts/{body['id']}/submit")

    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    result = first.get_json()["result"]
    assert first.get_json()["state"] == "submitted"
    assert {"score", "max_score", "percent", "passed", "items"} <= set(result)


def test_submit_reads_the_saved_answers_once_for_its_score_and_its_review(
    world, count_queries
):
    _, body = _start(world)
    client = world.client("learner")
    item = body["items"][0]
    client.put(
        f"/api/v1/attempts/{body['id']}/responses",
        json={"seq": 1, "responses": {item["id"]: _answer(item)}},
    )

    with count_queries() as q:
        submitted = client.post(f"/api/v1/attempts/{body['id']}/submit").get_json()

    reads = [s for s in q.statements if "FROM response" in s]
    assert len(reads) == 1
    fresh = client.get(f"/api/v1/attempts/{body['id']}").get_json()
    assert submitted["result"]["items"] == fresh["result"]["items"]
    reviewed = {entry["id"]: entry for entry in submitted["result"]["items"]}
    assert any(choice["picked"] for choice in reviewed[item["id"]]["choices"])


def test_get_attempt_shows_timing_and_then_the_result(world, clock):
    _, body = _start(world)
    client = world.client("learner")
    clock.advance(seconds=90)

    live = client.get(f"/api/v1/attempts/{body['id']}").get_json()
    client.post(f"/api/v1/attempts/{body['id']}/submit")
    done = client.get(f"/api/v1/attempts/{body['id']}").get_json()

    assert live["remaining_ms"] == 510_000 and live["result"] is None
    assert len(live["items"]) == 4
    assert done["state"] == "submitted" and "items" not in done
    assert done["result"]["percent"] == 0 and len(done["result"]["items"]) == 4


def test_get_attempt_applies_the_expiry_lazily(world, clock):
    _, body = _start(world)
    clock.advance(seconds=600 + 31)

    after = world.client("learner").get(f"/api/v1/attempts/{body['id']}").get_json()

    assert after["state"] == "submitted" and after["finalized_by"] == "expiry"
    assert after["remaining_ms"] == 0


# --------------------------------------------------------------------------
# Bad input: a clear 4xx JSON and nothing stored
# --------------------------------------------------------------------------


def _put(world, attempt_id, payload=None, **kwargs):
    return world.client("learner").put(
        f"/api/v1/attempts/{attempt_id}/responses", json=payload, **kwargs
    )


def _assert_error(response, status, code=None):
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["message"]
    if code:
        assert body["error"] == code


@pytest.mark.parametrize(
    "payload",
    [
        {"seq": 1, "responses": {"no-such-question": "x"}},
        {"seq": 1, "responses": "q1=x"},
        {"seq": "1", "responses": {}},
        {"seq": 0, "responses": {}},
        {"responses": {}},
        {"seq": 1, "responses": {}, "events": "typing"},
    ],
)
def test_bad_save_payloads_are_400_and_store_nothing(app, world, payload):
    _, body = _start(world)

    _assert_error(_put(world, body["id"], payload), 400, "invalid")
    assert _stored(app, body["id"]) == {}


def test_a_wrong_value_shape_rejects_the_whole_save(app, world):
    _, body = _start(world)
    good = {item["id"]: _answer(item) for item in body["items"]}
    single = next(i for i in body["items"] if i["type"] == "single")

    response = _put(
        world, body["id"], {"seq": 1, "responses": {**good, single["id"]: 42}}
    )

    _assert_error(response, 400, "invalid")
    assert single["id"] in response.get_json()["message"]
    assert _stored(app, body["id"]) == {}


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_malformed_json_is_400(app, world, raw):
    _, body = _start(world)

    response = world.client("learner").put(
        f"/api/v1/attempts/{body['id']}/responses",
        data=raw,
        content_type="application/json",
    )

    _assert_error(response, 400, "invalid_json")
    assert _stored(app, body["id"]) == {}


def test_an_oversize_body_is_413(app, world):
    _, body = _start(world)
    limit = app.config["API_MAX_BODY_BYTES"]
    item = body["items"][0]["id"]

    response = _put(
        world, body["id"], {"seq": 1, "responses": {item: "x" * (limit + 10)}}
    )

    _assert_error(response, 413, "too_large")
    assert _stored(app, body["id"]) == {}


def test_an_oversize_body_without_a_length_is_413(app, world):
    """A chunked upload is cut off at the limit while it is read."""
    _, body = _start(world)
    limit = app.config["API_MAX_BODY_BYTES"]
    payload = b'{"seq": 1, "responses": {"x": "' + b"y" * (limit + 10) + b'"}}'
    builder = EnvironBuilder(
        app,
        path=f"/api/v1/attempts/{body['id']}/responses",
        method="PUT",
        data=payload,
        content_type="application/json",
    )
    environ = builder.get_environ()
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True

    response = world.client("learner").open(environ)

    _assert_error(response, 413, "too_large")
    assert _stored(app, body["id"]) == {}


@pytest.mark.parametrize("role", ["outsider", "trainer_owner", "manager", "admin"])
def test_someone_elses_attempt_cannot_be_saved_or_submitted(app, world, role):
    _, body = _start(world)
    client = world.client(role)
    item = body["items"][0]

    saved = client.put(
        f"/api/v1/attempts/{body['id']}/responses",
        json={"seq": 1, "responses": {item["id"]: _answer(item)}},
    )
    submitted = client.post(f"/api/v1/attempts/{body['id']}/submit")

    _assert_error(saved, 403, "forbidden")
    _assert_error(submitted, 403, "forbidden")
    assert _stored(app, body["id"]) == {}
    with app.app_context():
        assert db.session.get(Attempt, body["id"]).state == "in_progress"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("learner", 200),
        ("outsider", 403),
        ("trainer_owner", 200),
        ("trainer_other", 403),
        ("manager", 200),
        ("manager_other", 403),
        ("admin", 200),
        ("anon", 401),
    ],
)
def test_who_may_read_an_attempt(world, role, status):
    _, body = _start(world)

    response = world.client(role).get(f"/api/v1/attempts/{body['id']}")

    assert response.status_code == status
    if role not in ("learner",) and status == 200:
        assert "items" not in response.get_json()  # staff never get the live items
        assert response.get_json()["user"]["id"] == world.ids["learner"]


def test_an_unknown_attempt_is_404(world):
    _assert_error(
        world.client("learner").get("/api/v1/attempts/999999"), 404, "not_found"
    )
    _assert_error(world.client("learner").post("/api/v1/attempts/999999/submit"), 404)


def test_save_after_submit_is_409_and_changes_nothing(app, world):
    _, body = _start(world)
    item = body["items"][0]
    world.client("learner").post(f"/api/v1/attempts/{body['id']}/submit")

    response = _put(
        world, body["id"], {"seq": 9, "responses": {item["id"]: _answer(item)}}
    )

    _assert_error(response, 409, "attempt_submitted")
    assert _stored(app, body["id"]) == {}


def test_late_save_and_submit_are_409_and_the_expiry_sticks(app, world, clock):
    _, body = _start(world)
    item = body["items"][0]
    clock.advance(seconds=600 + 30 + 1)

    saved = _put(
        world, body["id"], {"seq": 9, "responses": {item["id"]: _answer(item)}}
    )
    submitted = world.client("learner").post(f"/api/v1/attempts/{body['id']}/submit")

    _assert_error(saved, 409, "attempt_submitted")
    _assert_error(submitted, 409, "time_up")
    with app.app_context():
        attempt = db.session.get(Attempt, body["id"])
        assert (attempt.state, attempt.finalized_by) == ("submitted", "expiry")


def test_a_quiz_keeps_no_keystroke_events(app, world, clock):
    """Only kinds that score keystrokes store them: a quiz save with events is
    refused whole, so nothing can pile event data onto a quiz attempt."""
    _, body = _start(world)
    item = body["items"][0]
    refused = _put(
        world,
        body["id"],
        {
            "seq": 1,
            "responses": {item["id"]: _answer(item)},
            "events": [{"t": 5, "type": "key", "key": "a"}] * 50,
        },
    )
    assert refused.status_code == 400
    assert "keystroke" in refused.get_json()["message"]


def test_client_clock_skew_has_no_effect(app, world, clock):
    """Nothing the client says about time is read: claimed times, Date headers and
    huge seqs change neither the remaining time nor what is accepted."""
    _, body = _start(world)
    item = body["items"][0]
    skew = {"Date": "Wed, 01 Jan 2031 00:00:00 GMT"}
    clock.advance(seconds=100)

    saved = _put(
        world,
        body["id"],
        {
            "seq": 2**31 - 1,
            "responses": {item["id"]: _answer(item)},
            "client_now": "2020-01-01T00:00:00Z",
            "remaining_ms": 99_999_999,
        },
        headers=skew,
    )
    assert saved.status_code == 200
    assert saved.get_json()["remaining_ms"] == 500_000

    clock.advance(seconds=600)  # past deadline + grace on the server clock
    late = world.client("learner").post(
        f"/api/v1/attempts/{body['id']}/submit",
        json={"client_now": "2026-03-02T09:01:00Z"},
        headers=skew,
    )
    _assert_error(late, 409, "time_up")


@pytest.mark.parametrize(
    ("role", "status"),
    [(role, 201) for role in ("learner", "outsider", "trainer_owner", "trainer_other",
                               "manager", "manager_other", "admin")]
    + [("anon", 401)],
)  # fmt: skip
def test_every_signed_in_role_may_start_a_published_quiz(world, role, status):
    response, body = _start(world, role)

    assert response.status_code == status
    if status == 201:
        assert body["state"] == "in_progress" and body["items"]
