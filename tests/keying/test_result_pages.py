"""What a finished keying attempt says where people meet it: the learner's result
page (band and why, unverified with the reason, accepted with who and why), a
reviewer accepting an unverified result from the evidence page, and the
headline figures on every list of attempts (the learner's attempts, the
dashboard, the trainer's list)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.attempts.models import Attempt
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests import factories
from tests.factories import typing_events
from tests.keying import test_views as keying_pages
from tests.keying.test_views import (
    fill,
    row_version,
    save,
    save_unverified,
    start,
    submit,
)

# The keying pages' people and tests, and a client signed in as one of them.
world = keying_pages.world
as_user = keying_pages.as_user

REASON = "Watched Lata key the whole test in the test room."


@pytest.fixture
def unverified(world, as_user, clock) -> int:
    """The learner's attempt at the file test: every field right, no keystrokes."""
    client = as_user(world.learner)
    body = start(client, world.file_test)
    clock.advance(seconds=60)
    save_unverified(client, body["id"], body["items"])
    assert submit(client, body["id"]).status_code == 200
    return body["id"]


@pytest.fixture
def banded(world, as_user, clock) -> int:
    """The learner's attempt at the file test, keyed right and slowly enough."""
    client = as_user(world.learner)
    body = start(client, world.file_test)
    responses, events = fill(body["items"], {})
    clock.advance(seconds=60)
    save(client, body["id"], 1, responses, events)
    assert submit(client, body["id"]).status_code == 200
    return body["id"]


@pytest.fixture
def too_short(world, as_user, clock) -> int:
    client = as_user(world.learner)
    body = start(client, world.file_test)
    item = body["items"][0]
    events = typing_events(item["id"], "name", "M", start_ms=500)
    save(client, body["id"], 1, {item["id"]: {"name": "M"}}, events)
    clock.advance(seconds=5)
    submit(client, body["id"])
    return body["id"]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def accept(client, attempt_id: int, version, reason: str = REASON):
    form = {"reason": reason}
    if version is not None:
        form["row_version"] = version
    return client.post(f"/keying/attempts/{attempt_id}/accept", data=form)


def stored(app, attempt_id: int) -> Attempt:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        db.session.expunge(attempt)
        return attempt


# --------------------------------------------------------------------------
# The learner's result page
# --------------------------------------------------------------------------


def test_an_unverified_result_says_why_instead_of_a_band(world, as_user, unverified):
    html = page(as_user(world.learner), f"/keying/attempts/{unverified}/result")
    assert 'data-validity="unverified"' in html and "Unverified" in html
    assert "No keystroke record was received for this attempt" in html
    assert "Band reached" not in html
    assert "Net KPH" in html  # the figures are scored, only not certified
    assert "No keystroke record" in html  # the flag, in the notes for the trainer


def test_a_valid_result_explains_its_band_in_one_sentence(world, as_user, banded, app):
    html = page(as_user(world.learner), f"/keying/attempts/{banded}/result")
    explanation = stored(app, banded).result["band_explanation"]
    assert "Band reached" in html
    match = re.search(r"<p [^>]*data-band-explanation>(.*?)</p>", html, re.S)
    assert match and match.group(1).strip() == explanation.replace("'", "&#39;")
    assert explanation.count(".") >= 1 and "\n" not in explanation


def test_invalid_and_unverified_results_never_say_band_reached(
    world, as_user, too_short, unverified
):
    client = as_user(world.learner)
    for attempt_id in (too_short, unverified):
        html = page(client, f"/keying/attempts/{attempt_id}/result")
        assert "Band reached" not in html


def test_the_keypad_tile_is_only_for_ten_key(app, world, as_user, banded, clock):
    client = as_user(world.learner)
    assert "Numeric keypad" not in page(client, f"/keying/attempts/{banded}/result")
    with app.app_context():
        # One entry keyed is enough for a score here.
        factories.bundled_keying_test(
            "ten-key-amounts", settings={"min_attempted_share": 0}
        )
        db.session.commit()
    body = start(client, "ten-key-amounts")
    entry = body["items"][0]
    events = typing_events(entry["id"], "", entry["value"], numpad=True)
    clock.advance(seconds=60)
    save(client, body["id"], 1, {entry["id"]: entry["value"]}, events)
    submit(client, body["id"])
    html = page(client, f"/keying/attempts/{body['id']}/result")
    assert "Numeric keypad" in html and "of digits keyed on the keypad" in html


# --------------------------------------------------------------------------
# Accepting an unverified result
# --------------------------------------------------------------------------


def test_the_evidence_page_offers_acceptance_for_an_unverified_result(
    world, as_user, unverified, banded, app
):
    trainer = as_user(world.trainer)
    html = page(trainer, f"/keying/attempts/{unverified}/review")
    assert "Accept this result" in html
    assert re.search(r'<label[^>]*for="reason"[^>]*>What you checked</label>', html)
    assert re.search(r"<textarea[^>]*required", html)
    version = stored(app, unverified).row_version
    assert re.search(rf'name="row_version" type="hidden" value="{version}"', html)
    assert "Accept this result" not in page(
        trainer, f"/keying/attempts/{banded}/review"
    )


def test_a_reviewer_accepts_and_the_learner_then_sees_the_band(
    world, as_user, unverified, app
):
    trainer = as_user(world.trainer)
    response = accept(trainer, unverified, row_version(app, unverified))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/keying/attempts/{unverified}/review"
    )
    evidence = page(trainer, response.headers["Location"])
    assert "Result accepted" in evidence and "Accept this result" not in evidence
    assert evidence.count('data-flag="no_keystroke_log"') == 1  # the flag, once

    attempt = stored(app, unverified)
    assert attempt.result["validity"] == "valid" and attempt.is_valid
    assert attempt.result["accepted"]["reason"] == REASON
    with app.app_context():
        (event,) = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "attempt.accept")
        ).all()
        assert event.target_id == unverified

    html = page(as_user(world.learner), f"/keying/attempts/{unverified}/result")
    assert "Band reached" in html and "Unverified" not in html
    band = attempt.band or ""
    assert f'data-band="{band}"' in html
    assert "Accepted by a trainer" in html and "Tara Trainer" in html
    assert REASON in html


def test_a_learner_cannot_accept_their_own_result(world, as_user, unverified, app):
    response = accept(as_user(world.learner), unverified, row_version(app, unverified))
    assert response.status_code == 403
    assert stored(app, unverified).result["validity"] == "unverified"


def test_a_trainer_cannot_accept_on_another_trainers_browser_test(
    world, as_user, clock, app
):
    learner = as_user(world.learner)
    body = start(learner, world.own_test)
    clock.advance(seconds=60)
    save_unverified(learner, body["id"], body["items"])
    submit(learner, body["id"])
    response = accept(as_user(world.trainer), body["id"], row_version(app, body["id"]))
    assert response.status_code == 403
    owner = accept(as_user(world.owner), body["id"], row_version(app, body["id"]))
    assert owner.status_code == 303


def test_a_reason_is_required(world, as_user, unverified, app):
    response = accept(
        as_user(world.trainer), unverified, row_version(app, unverified), "   "
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Say what you checked" in html and 'aria-invalid="true"' in html
    assert stored(app, unverified).result["validity"] == "unverified"


def test_a_form_without_its_version_keeps_the_typed_reason(
    world, as_user, unverified, app
):
    response = accept(as_user(world.trainer), unverified, None)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "reload the page" in html and REASON in html
    assert stored(app, unverified).result["validity"] == "unverified"


def test_a_stale_page_gets_409_with_the_reason_kept(world, as_user, unverified, app):
    stale = row_version(app, unverified) - 1
    response = accept(as_user(world.admin), unverified, stale)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else changed this attempt" in html
    assert REASON in html  # what the reviewer typed is still in the box
    current = row_version(app, unverified)
    assert re.search(rf'name="row_version" type="hidden" value="{current}"', html)
    assert stored(app, unverified).result["validity"] == "unverified"


def test_an_accepted_result_cannot_be_accepted_again(world, as_user, unverified, app):
    trainer = as_user(world.trainer)
    assert accept(trainer, unverified, row_version(app, unverified)).status_code == 303
    again = accept(trainer, unverified, row_version(app, unverified), "Twice.")
    assert again.status_code == 400
    assert "Only an unverified result can be accepted" in again.get_data(as_text=True)
    html = page(trainer, f"/keying/attempts/{unverified}/review")
    assert "Accepted" in html and "Tara Trainer" in html


# --------------------------------------------------------------------------
# Headline figures wherever a finished attempt is listed
# --------------------------------------------------------------------------


def _cells(html: str) -> list[str]:
    return re.findall(r'<span class="keying-headline">(.*?)</span>\s*</td>', html, re.S)


def test_every_list_shows_speed_accuracy_and_band_or_why_not(
    world, as_user, banded, unverified, too_short, app
):
    band = stored(app, banded).band
    learner = as_user(world.learner)
    history = page(learner, f"/assessments/{world.file_test}/attempts")
    dashboard = page(learner, "/")
    trainer_list = page(
        as_user(world.trainer), f"/keying/tests/{world.file_test}/attempts"
    )
    for html in (history, dashboard, trainer_list):
        assert 'data-headline="unverified"' in html
        assert 'data-headline="invalid"' in html
        assert f'data-headline="{"band" if band else "below"}"' in html
        assert "no keystroke record was received" in html.lower()
        assert "a result needs at least 15 s" in html  # the invalid one's reason
    for html in (history, dashboard):
        cells = _cells(html)
        assert len(cells) == 3
        scored = [c for c in cells if 'data-headline="invalid"' not in c]
        assert all("net KPH" in c and "% accuracy" in c for c in scored), scored
    assert "Lata Learner" in trainer_list


def test_a_scored_attempt_is_never_listed_with_a_dash(
    world, as_user, banded, unverified, too_short
):
    html = page(as_user(world.learner), f"/assessments/{world.file_test}/attempts")
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(rows) == 3
    cells = _cells(html)
    assert len(cells) == 3
    for cell in cells:
        assert "—" not in cell, cell


def _finished(app, world, as_user, clock, n: int) -> None:
    client = as_user(world.learner)
    for i in range(n):
        body = start(client, world.file_test)
        clock.advance(seconds=60)
        if i % 2:
            save_unverified(client, body["id"], body["items"])
        else:
            responses, events = fill(body["items"], {})
            save(client, body["id"], 1, responses, events)
        submit(client, body["id"])


@pytest.mark.parametrize(
    "path",
    [lambda w: f"/assessments/{w.file_test}/attempts", lambda w: "/"],
    ids=["history", "dashboard"],
)
def test_listing_keying_attempts_adds_no_queries(
    app, world, as_user, clock, count_queries, path
):
    client = as_user(world.learner)
    counts = []
    for n in (1, 8):
        _finished(app, world, as_user, clock, n)
        client.get(path(world))
        with count_queries() as q:
            assert client.get(path(world)).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_figures_are_cut_like_the_band_sentence_never_rounded_up():
    from lms.keying.views.blueprint import floor_number, floor_percent

    assert floor_number(4999.6) == "4,999"  # not 5,000: below the Foundation 5,000
    assert floor_number(29.96, 1) == "29.9"
    assert floor_percent(0.96996) == "96.9 %"
    assert floor_percent(0.29) == "29.0 %"  # 28.999… in binary, still 29.0
    assert floor_percent(1.0) == "100.0 %" and floor_percent(None) == "—"
