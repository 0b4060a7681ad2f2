"""`flask keying reduce-events`: old finished attempts keep a keystroke summary
and lose their raw log; recent and live attempts keep everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.attempts import services as attempt_services
from lms.attempts.models import Attempt, KeystrokeChunk
from lms.extensions import db
from lms.keying import events as keylog
from tests import factories
from tests.factories import typing_events


def chunk_counts() -> dict[int, int]:
    rows = db.session.execute(
        sa.select(KeystrokeChunk.attempt_id, sa.func.count()).group_by(
            KeystrokeChunk.attempt_id
        )
    )
    return dict(rows.all())


def keyed_attempt(test, learner, clock, *, finish: bool, chunks: int = 2) -> int:
    """An attempt with `chunks` saves of typed events, submitted or left live."""
    attempt = attempt_services.start_attempt(learner, test).attempt
    item = attempt_services.learner_items(attempt)[0]
    typed = ""
    for seq in range(1, chunks + 1):
        word = f"Name{seq}"
        events = typing_events(
            item["id"], "name", word, start_ms=seq * 3000, pos=len(typed)
        )
        typed += word
        clock.advance(seconds=5)  # the server sees the time the typing took
        attempt_services.save_responses(
            attempt, seq, {item["id"]: {"name": typed}}, events
        )
    clock.advance(seconds=40 - 5 * chunks)
    if finish:
        attempt_services.submit_attempt(attempt)
    return attempt.id


@pytest.fixture
def attempts(app_ctx, clock):
    """Three finished attempts 100, 50 and 5 days old, and one live attempt."""
    test = factories.record_entry_test(time_limit_seconds=None)
    out = {}
    for age in (100, 50, 5):
        out[age] = keyed_attempt(test, factories.user(), clock, finish=True)
        # Move the finish back in time rather than the clock forward.
        attempt = db.session.get(Attempt, out[age])
        attempt.submitted_at = clock() - timedelta(days=age)
    out["live"] = keyed_attempt(test, factories.user(), clock, finish=False)
    live = db.session.get(Attempt, out["live"])
    live.started_at = clock() - timedelta(days=200)
    db.session.commit()
    return out


def test_reduce_events_keeps_a_summary_and_deletes_old_raw_logs(
    attempts, runner, app_ctx
):
    before = {
        age: db.session.get(Attempt, attempts[age]).result["analytics"]
        for age in (100, 50)
    }
    result = runner.invoke(args=["keying", "reduce-events", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    assert "2 attempt(s)" in result.output
    db.session.expire_all()
    counts = chunk_counts()
    assert attempts[100] not in counts and attempts[50] not in counts
    assert counts[attempts[5]] == 2 and counts[attempts["live"]] == 2
    for age in (100, 50):
        attempt = db.session.get(Attempt, attempts[age])
        summary = attempt.result["keystroke_summary"]
        assert summary["raw_events"] > 0
        for key in ("K_raw", "inserts", "iki_median_ms", "consistency"):
            assert summary[key] == before[age][key]
        assert attempt.result["net_kph"] is not None  # the score is untouched
    assert "keystroke_summary" not in db.session.get(Attempt, attempts[5]).result


def test_default_period_comes_from_the_config(attempts, runner, app_ctx, app):
    app.config["KEYSTROKE_RETENTION_DAYS"] = 60
    result = runner.invoke(args=["keying", "reduce-events"])
    assert result.exit_code == 0, result.output
    assert "finished more than 60 day(s) ago" in result.output
    counts = chunk_counts()
    assert attempts[100] not in counts
    assert attempts[50] in counts and attempts[5] in counts


def test_running_it_again_changes_nothing(attempts, runner, app_ctx):
    runner.invoke(args=["keying", "reduce-events", "--older-than-days", "30"])
    db.session.expire_all()
    summary = db.session.get(Attempt, attempts[100]).result["keystroke_summary"]
    again = runner.invoke(args=["keying", "reduce-events", "--older-than-days", "30"])
    assert "0 attempt(s)" in again.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempts[100]).result["keystroke_summary"] == summary


def test_negative_days_are_refused(runner, app_ctx):
    result = runner.invoke(args=["keying", "reduce-events", "--older-than-days", "-1"])
    assert result.exit_code != 0
    assert "-1" in result.output


def test_review_page_reads_the_summary_once_the_log_is_gone(
    attempts, runner, app_ctx, login
):
    from lms.users.models import Role

    runner.invoke(args=["keying", "reduce-events", "--older-than-days", "30"])
    admin = factories.user(Role.ADMIN)
    db.session.commit()
    html = (
        login(admin)
        .get(f"/keying/attempts/{attempts[100]}/review")
        .get_data(as_text=True)
    )
    assert "From the summary kept when the raw log was deleted" in html
    summary = db.session.get(Attempt, attempts[100]).result["keystroke_summary"]
    assert f"{summary['K_raw']:,.0f}" in html


def test_summary_matches_reduce_events_of_the_scored_log(attempts, runner, app_ctx):
    attempt = db.session.get(Attempt, attempts[50])
    raw = attempt_services.events_for(attempt)
    expected = keylog.reduce_events(
        keylog.ignore_after(raw, attempt.result["T_s"] * 1000)
    )
    runner.invoke(args=["keying", "reduce-events", "--older-than-days", "30"])
    db.session.expire_all()
    summary = db.session.get(Attempt, attempts[50]).result["keystroke_summary"]
    assert {k: summary[k] for k in expected} == expected
