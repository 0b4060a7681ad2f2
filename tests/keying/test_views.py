"""Keying pages end to end through the JSON API: take, result, trainer list and
evidence; clock and concurrency; the role × route matrix; query counts."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment, Attempt, KeystrokeChunk
from lms.extensions import db
from lms.users.models import Role, User
from tests import factories
from tests.factories import typing_events

API = "/api/v1"


@dataclass
class World:
    learner: int
    other: int
    trainer: int
    owner: int
    manager: int
    outsider_manager: int
    admin: int
    file_test: str  # slug of a record-entry test from the content files
    own_test: str  # slug of a browser-made test owned by `owner`


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        manager = factories.user(Role.MANAGER, name="Mala Manager")
        team = factories.team("Keying team", manager=manager)
        learner = factories.user(Role.LEARNER, name="Lata Learner", team=team)
        other = factories.user(Role.LEARNER, name="Omar Other")
        trainer = factories.user(Role.TRAINER, name="Tara Trainer")
        owner = factories.user(Role.TRAINER, name="Owen Owner")
        outsider = factories.user(Role.MANAGER, name="Otto Outsider")
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        file_test = factories.record_entry_test(
            slug="known-records", title="Known records", origin="file"
        )
        own_test = factories.record_entry_test(
            slug="owned-records", title="Owned records", owner=owner
        )
        db.session.commit()
        return World(
            learner=learner.id,
            other=other.id,
            trainer=trainer.id,
            owner=owner.id,
            manager=manager.id,
            outsider_manager=outsider.id,
            admin=admin.id,
            file_test=file_test.slug,
            own_test=own_test.slug,
        )


@pytest.fixture
def as_user(app, login):
    """as_user(user_id) -> a test client signed in as that user."""

    def _as(user_id: int):
        with app.app_context():
            return login(db.session.get(User, user_id))

    return _as


def start(client, slug: str) -> dict:
    response = client.post(f"{API}/assessments/{slug}/attempts")
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def save(client, attempt_id: int, seq: int, responses: dict, events=None):
    body = {"seq": seq, "responses": responses}
    if events is not None:
        body["events"] = events
    return client.put(f"{API}/attempts/{attempt_id}/responses", json=body)


def submit(client, attempt_id: int):
    return client.post(f"{API}/attempts/{attempt_id}/submit")


def fill(items: list[dict], typed: dict[str, dict[str, str]]):
    """Responses and a matching keystroke log: every field typed as given, or as
    the source shows it when `typed` does not say."""
    responses, events, t = {}, [], 1000
    for item in items:
        values = {}
        for source in item["source"]:
            text = typed.get(item["id"], {}).get(source["name"], source["value"])
            values[source["name"]] = text
            events += typing_events(item["id"], source["name"], text, start_ms=t)
            t += 180 * (len(text) + 2)
        responses[item["id"]] = values
    return responses, events


def record_by_account(items: list[dict], account: str) -> dict:
    return next(i for i in items if any(s["value"] == account for s in i["source"]))


MISTAKES = {
    "4820193": {
        "account_no": "4820913",  # 1 and 9 swapped: transposition
        "name": "Meera Pilai",  # one l left out: omission
        "amount": "125.00",  # 1,250.00 with the point moved: decimal shift
    }
}


@pytest.fixture
def finished(world, as_user, clock):
    """The learner's finished attempt at the file test, with the three mistakes."""
    client = as_user(world.learner)
    body = start(client, world.file_test)
    items = body["items"]
    rid = record_by_account(items, "4820193")["id"]
    responses, events = fill(items, {rid: MISTAKES["4820193"]})
    events.append(
        {"t": 2500, "item": rid, "field": "name", "type": "paste", "via": "paste"}
    )
    clock.advance(seconds=90)
    assert save(client, body["id"], 1, responses, events).status_code == 200
    response = submit(client, body["id"])
    assert response.status_code == 200
    return body["id"]


# --------------------------------------------------------------------------
# Take page
# --------------------------------------------------------------------------


def test_take_page_renders_the_source_and_saved_values(world, as_user, clock):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    item = body["items"][0]
    assert (
        save(client, body["id"], 1, {item["id"]: {"name": "Meera"}}).status_code == 200
    )
    page = client.get(f"/keying/attempts/{body['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Source document" in html
    assert "4820193" in html and "5512078" in html
    assert re.search(
        rf'id="k-{item["id"]}-name"[^>]*data-item="{item["id"]}"[^>]*value="Meera"',
        html,
    )
    assert 'data-last-seq="1"' in html
    assert 'data-remaining-ms="600000"' in html
    assert "js/keying.js" in html
    for attribute in (
        'autocomplete="off"',
        'spellcheck="false"',
        'autocapitalize="off"',
        'autocorrect="off"',
        "data-lpignore",
    ):
        assert html.count(attribute) >= 8, attribute


def test_take_page_of_a_finished_attempt_goes_to_the_result(finished, world, as_user):
    response = as_user(world.learner).get(f"/keying/attempts/{finished}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/keying/attempts/{finished}/result")


def test_engine_start_page_sends_keying_attempts_to_the_keying_take_page(
    world, as_user, clock
):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    response = client.get(f"/attempts/{body['id']}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/keying/attempts/{body['id']}")
    assert body["links"]["page"].endswith(f"/keying/attempts/{body['id']}")


@pytest.mark.parametrize(
    "slug",
    [
        "ten-key-amounts",
        "email-transcription",
        "ledger-vs-bank-reconciliation",
        "address-pair-check",
        "invoice-entry",
    ],
)
def test_every_kind_has_a_take_page(app, as_user, world, slug, clock):
    with app.app_context():
        factories.bundled_keying_test(slug)
        db.session.commit()
    client = as_user(world.learner)
    body = start(client, slug)
    html = client.get(f"/keying/attempts/{body['id']}").get_data(as_text=True)
    assert "data-keying-form" in html
    if slug.startswith("ten-key"):
        assert "numeric keypad" in html
        assert html.count('class="form-control keying-input keying-entry-input"') == 40
    elif slug == "email-transcription":
        assert "<textarea" in html and body["items"][0]["text"][:40] in html
    elif slug == "ledger-vs-bank-reconciliation":
        assert "Missing in statement" in html and "Amount differs" in html
        assert 'data-side="statement"' in html
    elif slug == "address-pair-check":
        assert html.count("data-pair-none") == 20
    else:
        assert "DD/MM/YYYY" in html


# --------------------------------------------------------------------------
# Result page
# --------------------------------------------------------------------------


def test_result_names_and_marks_each_mistake(finished, world, as_user):
    html = (
        as_user(world.learner)
        .get(f"/keying/attempts/{finished}/result")
        .get_data(as_text=True)
    )
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<tr data-field="[^:"]+:(\w+)">(.*?)</tr>', html, re.S)
    }
    assert set(rows) == {"account_no", "name", "amount"}
    assert "Transposition" in rows["account_no"]
    assert (
        '<mark><span class="visually-hidden">[swapped, source 19, typed: </span>91'
        in rows["account_no"]
    )
    assert "Omission" in rows["name"]
    assert '<del><span class="visually-hidden">[missing: </span>l' in rows["name"]
    assert "Decimal shift" in rows["amount"]
    assert "<ins>" in rows["amount"] or "<del>" in rows["amount"]
    # Headline, band table, legend, error breakdown with its chart, the trend.
    assert "Net KPH" in html and "Field accuracy" in html
    assert "Critical-field accuracy" in html and "What each band needs" in html
    assert "below Foundation" in html  # critical fields were wrong
    assert "two characters swapped" in html  # the legend
    assert "Errors by type" in html and "<svg" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>")[0]
    assert "Take this test again" in html


def test_result_trend_chart_draws_past_attempts(world, as_user, clock, app):
    client = as_user(world.learner)
    ids = []
    for _ in range(2):
        body = start(client, world.file_test)
        responses, events = fill(body["items"], {})
        clock.advance(seconds=60)
        save(client, body["id"], 1, responses, events)
        submit(client, body["id"])
        ids.append(body["id"])
    html = client.get(f"/keying/attempts/{ids[-1]}/result").get_data(as_text=True)
    assert "Progress on this test" in html
    # Speed and accuracy trends; no errors, so no error chart.
    assert html.count('<div class="col-md-6 keying-chart keying-trend"><svg') == 2
    assert html.count("<svg") == 2
    assert "#2 (this one)" in html and "#1" in html


def test_invalid_attempts_say_why_instead_of_a_score(world, as_user, clock, app):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    item = body["items"][0]
    events = typing_events(item["id"], "name", "M", start_ms=500)
    save(client, body["id"], 1, {item["id"]: {"name": "M"}}, events)
    clock.advance(seconds=5)
    submit(client, body["id"])
    html = client.get(f"/keying/attempts/{body['id']}/result").get_data(as_text=True)
    assert "No score for this attempt" in html
    assert "a result needs at least 15 s" in html
    assert "Band reached" not in html
    with app.app_context():
        assert db.session.get(Attempt, body["id"]).is_valid is False


# --------------------------------------------------------------------------
# Trainer pages
# --------------------------------------------------------------------------


def test_paste_attempt_is_a_flag_on_the_trainer_pages(finished, world, as_user):
    trainer = as_user(world.trainer)
    listing = trainer.get(f"/keying/tests/{world.file_test}/attempts")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert "Lata Learner" in html
    assert 'data-flag="paste_attempt"' in html and "Paste attempt" in html
    detail = trainer.get(f"/keying/attempts/{finished}/review").get_data(as_text=True)
    assert "1 blocked paste or drop attempt." in detail
    assert "0:02.5" in detail  # when it happened
    assert "Record " in detail and "Name" in detail  # where
    assert "Keystroke record" in detail and "From the raw keystroke log" in detail


def test_replay_mismatch_evidence_shows_replayed_and_submitted(world, as_user, clock):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    item = body["items"][0]
    events = typing_events(item["id"], "name", "Ann", start_ms=500)
    clock.advance(seconds=40)
    save(client, body["id"], 1, {item["id"]: {"name": "Annapurna"}}, events)
    submit(client, body["id"])
    html = (
        as_user(world.admin)
        .get(f"/keying/attempts/{body['id']}/review")
        .get_data(as_text=True)
    )
    assert "Replay mismatch" in html
    assert re.search(r">Ann</td><td class=\"keying-value\">Annapurna</td>", html)


def test_keying_tests_index_lists_what_the_trainer_reviews(world, as_user, finished):
    html = as_user(world.trainer).get("/keying/tests").get_data(as_text=True)
    assert "Known records" in html and "Owned records" not in html
    html = as_user(world.owner).get("/keying/tests").get_data(as_text=True)
    assert "Known records" in html and "Owned records" in html


# --------------------------------------------------------------------------
# Clock and concurrency
# --------------------------------------------------------------------------


def test_submitting_twice_gives_one_result(world, as_user, clock, app):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    responses, events = fill(body["items"], {})
    clock.advance(seconds=60)
    save(client, body["id"], 1, responses, events)
    first = submit(client, body["id"])
    clock.advance(seconds=30)
    second = submit(client, body["id"])
    assert first.status_code == second.status_code == 200
    assert first.get_json()["result"] == second.get_json()["result"]
    with app.app_context():
        attempt = db.session.get(Attempt, body["id"])
        assert attempt.state == "submitted" and attempt.result["T_s"] == 60.0


def test_racing_submits_score_once(world, as_user, clock, app):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    responses, events = fill(body["items"], {})
    clock.advance(seconds=60)
    save(client, body["id"], 1, responses, events)
    clients = [as_user(world.learner) for _ in range(4)]
    results, barrier = [], threading.Barrier(len(clients))

    def go(c):
        barrier.wait()
        results.append(submit(c, body["id"]))

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [200] * len(clients)
    bodies = {repr(r.get_json()["result"]) for r in results}
    assert len(bodies) == 1
    with app.app_context():
        attempt = db.session.get(Attempt, body["id"])
        assert attempt.row_version == 3  # started 1, one save, one submit


def test_save_after_deadline_and_grace_is_refused(world, as_user, clock):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    item = body["items"][0]
    clock.advance(seconds=600 + 30 + 1)  # 10-minute limit, 30 s grace
    response = save(client, body["id"], 1, {item["id"]: {"name": "late"}})
    assert response.status_code == 409
    assert response.get_json()["error"] in ("attempt_submitted", "attempt_closed")
    page = client.get(f"/keying/attempts/{body['id']}")
    assert page.status_code == 302  # the lazy expiry submitted it


def test_save_in_the_grace_window_is_kept_but_late_keystrokes_are_not(
    world, as_user, clock, app
):
    client = as_user(world.learner)
    body = start(client, world.file_test)
    item = body["items"][0]
    on_time = typing_events(item["id"], "name", "Meera", start_ms=1000)
    late = typing_events(item["id"], "city", "Late", start_ms=600_500)
    clock.advance(seconds=610)  # in the grace window
    response = save(
        client, body["id"], 1, {item["id"]: {"name": "Meera"}}, on_time + late
    )
    assert response.status_code == 200
    clock.advance(seconds=30)
    html = client.get(f"/keying/attempts/{body['id']}/result").get_data(as_text=True)
    assert "Result" in html
    with app.app_context():
        attempt = db.session.get(Attempt, body["id"])
        assert attempt.finalized_by == "expiry"
        assert attempt.result["events_ignored"] == len(late)
        assert attempt.result["K_raw"] == len("Meera")
        chunks = db.session.scalar(
            sa.select(sa.func.count()).select_from(KeystrokeChunk)
        )
        assert chunks == 1  # the raw log is kept as sent


# --------------------------------------------------------------------------
# Role × route matrix
# --------------------------------------------------------------------------

ROLES = (
    "anonymous",
    "learner",
    "other",
    "trainer",
    "owner",
    "manager",
    "outsider",
    "admin",
)


def client_for(role, world, as_user, client):
    if role == "anonymous":
        return client
    return as_user(
        {
            "learner": world.learner,
            "other": world.other,
            "trainer": world.trainer,
            "owner": world.owner,
            "manager": world.manager,
            "outsider": world.outsider_manager,
            "admin": world.admin,
        }[role]
    )


# Expected status per route for attempts at the FILE test (every trainer reviews
# it) and at the OWNED test (only its owner, a trainer, and admins review it).
MATRIX = {
    "take": {"anonymous": 302, "learner": 200, "other": 403, "trainer": 403, "owner": 403,
             "manager": 403, "outsider": 403, "admin": 403},
    "result": {"anonymous": 302, "learner": 200, "other": 403, "trainer": 200, "owner": 200,
               "manager": 200, "outsider": 403, "admin": 200},
    # The learner's team manager reads the evidence of a finished attempt.
    "review": {"anonymous": 302, "learner": 403, "other": 403, "trainer": 200, "owner": 200,
               "manager": 200, "outsider": 403, "admin": 200},
    "list": {"anonymous": 302, "learner": 403, "other": 403, "trainer": 200, "owner": 200,
             "manager": 403, "outsider": 403, "admin": 200},
    "tests": {"anonymous": 302, "learner": 403, "other": 403, "trainer": 200, "owner": 200,
              "manager": 403, "outsider": 403, "admin": 200},
    # POST: accepting an unverified result; 303 = accepted, on to the evidence page.
    "accept": {"anonymous": 302, "learner": 403, "other": 403, "trainer": 303, "owner": 303,
               "manager": 403, "outsider": 403, "admin": 303},
}  # fmt: skip
OWNED = {
    "result": {"trainer": 403},
    "review": {"trainer": 403},
    "list": {"trainer": 403},
    "accept": {"trainer": 403},
}


def save_unverified(client, attempt_id: int, items: list[dict]) -> None:
    """Every field typed right, saved with no keystroke record: unverified."""
    responses, _events = fill(items, {})
    assert save(client, attempt_id, 1, responses).status_code == 200


def _attempt_pair(world, as_user, clock):
    """A live, a finished and an unverified attempt of the learner at the file
    and owned tests (the unverified one's row version too, for accepting it)."""
    client = as_user(world.learner)
    out = {}
    for slug in (world.file_test, world.own_test):
        done = start(client, slug)
        responses, events = fill(done["items"], {})
        clock.advance(seconds=30)
        save(client, done["id"], 1, responses, events)
        submit(client, done["id"])
        unverified = start(client, slug)
        clock.advance(seconds=30)
        save_unverified(client, unverified["id"], unverified["items"])
        submit(client, unverified["id"])
        live = start(client, slug)
        out[slug] = (live["id"], done["id"], unverified["id"])
    return out


def row_version(app, attempt_id: int) -> int:
    with app.app_context():
        return db.session.get(Attempt, attempt_id).row_version


@pytest.mark.parametrize("role", ROLES)
def test_role_route_matrix(app, world, as_user, client, clock, role):
    attempts = _attempt_pair(world, as_user, clock)
    browser = client_for(role, world, as_user, client)
    wrong = []
    for which, slug in (("file", world.file_test), ("owned", world.own_test)):
        live_id, done_id, unverified_id = attempts[slug]
        paths = {
            "take": f"/keying/attempts/{live_id}",
            "result": f"/keying/attempts/{done_id}/result",
            "review": f"/keying/attempts/{done_id}/review",
            "list": f"/keying/tests/{slug}/attempts",
            "tests": "/keying/tests",
            "accept": f"/keying/attempts/{unverified_id}/accept",
        }
        for route, path in paths.items():
            expected = MATRIX[route][role]
            if which == "owned":
                expected = OWNED.get(route, {}).get(role, expected)
            if route == "accept":
                version = row_version(app, unverified_id)
                form = {"reason": "Watched them key it.", "row_version": version}
                response = browser.post(path, data=form)
            else:
                response = browser.get(path)
            if response.status_code != expected:
                wrong.append((which, route, response.status_code, expected))
            elif expected == 302:
                assert "/login" in response.headers["Location"]
    assert wrong == []


def test_unknown_and_non_keying_attempts_are_404(world, as_user, app):
    with app.app_context():
        quiz = factories.quiz(2)
        attempt = factories.quiz_attempt(db.session.get(User, world.learner), quiz)
        db.session.commit()
        quiz_attempt = attempt.id
    client = as_user(world.learner)
    assert client.get("/keying/attempts/999999").status_code == 404
    assert client.get(f"/keying/attempts/{quiz_attempt}/result").status_code == 404
    assert (
        as_user(world.admin).get("/keying/tests/no-such-test/attempts").status_code
        == 404
    )


def test_a_reviewer_opening_a_live_attempts_result_gets_409(world, as_user, clock):
    body = start(as_user(world.learner), world.file_test)
    response = as_user(world.admin).get(f"/keying/attempts/{body['id']}/result")
    assert response.status_code == 409


# --------------------------------------------------------------------------
# Query counts
# --------------------------------------------------------------------------


def _finished_attempts(app, world, n: int, clock):
    from lms.attempts import services as attempt_services

    with app.app_context():
        test = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == world.file_test)
        )
        learner = db.session.get(User, world.learner)
        last = None
        for i in range(n):
            person = learner if i % 2 == 0 else factories.user()
            attempt = attempt_services.start_attempt(person, test).attempt
            items = attempt_services.learner_items(attempt)
            responses, events = fill(items, {})
            events.append({"t": 900, "item": "", "field": "", "type": "blur"})
            attempt_services.save_responses(attempt, 1, responses, events)
            clock.advance(seconds=45)
            attempt_services.submit_attempt(attempt)
            if person is learner:
                last = attempt.id
        db.session.commit()
        return last


@pytest.mark.parametrize(
    "page",
    [
        lambda w, last: f"/keying/attempts/{last}/result",
        lambda w, last: f"/keying/tests/{w.file_test}/attempts",
        lambda w, last: f"/keying/attempts/{last}/review",
        lambda w, last: "/keying/tests",
    ],
    ids=["result", "trainer-list", "review", "tests"],
)
def test_query_count_does_not_grow_with_the_data(
    app, world, as_user, clock, count_queries, page
):
    admin = as_user(world.admin)
    counts = []
    for n in (2, 12):
        last = _finished_attempts(app, world, n, clock)
        path = page(world, last)
        admin.get(path)  # warm-up (session user load is the same each time)
        with count_queries() as q:
            response = admin.get(path)
        assert response.status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("show_key", [True, False])
def test_result_page_reviews_through_the_kind_like_the_api(
    app, as_user, world, clock, show_key
):
    """The HTML result and the API filter the review the same way: with correct
    answers hidden, neither shows the planted differences of a pair check."""
    with app.app_context():
        factories.bundled_keying_test(
            "address-pair-check", settings={"show_correct_answers": show_key}
        )
        db.session.commit()
    client = as_user(world.learner)
    body = start(client, "address-pair-check")
    (item,) = body["items"]
    answers = {item["id"]: {p["id"]: [] for p in item["pairs"]}}
    clock.advance(seconds=200)
    assert save(client, body["id"], 1, answers).status_code == 200
    assert submit(client, body["id"]).status_code == 200

    html = client.get(f"/keying/attempts/{body['id']}/result").get_data(as_text=True)
    api = client.get(f"{API}/attempts/{body['id']}").get_json()["result"]
    (reviewed,) = api["items"]
    pairs_with_key = [p for p in reviewed["pairs"] if "differs" in p]
    assert bool(pairs_with_key) is show_key
    assert ("Differs in" in html) is show_key
    assert ("Missed:" in html) is show_key
