"""Queries and housekeeping for the keying pages and the `flask keying` commands.

The attempt engine (lms.attempts.services) owns starting, saving, submitting
and expiring attempts; this module only reads what the keying pages show and
reduces old keystroke logs. Services flush, the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload, load_only

from lms import clock
from lms.attempts import policies as attempt_policies
from lms.attempts.models import (
    ABANDONED,
    SUBMITTED,
    Assessment,
    Attempt,
    KeystrokeChunk,
)
from lms.extensions import db
from lms.keying import events as keylog
from lms.keying.kinds import KEYING_KIND_NAMES as KEYING_KINDS
from lms.keying.scoring import BAND_LABELS
from lms.keying.scoring.bands import NO_BANDS
from lms.users.models import User

FINAL_STATES = (SUBMITTED, ABANDONED)
# Past attempts drawn in the learner's trend chart (the most recent ones).
TREND_LIMIT = 30
# Attempts whose raw keystrokes are reduced per transaction by the CLI.
REDUCE_BATCH = 200


def keystroke_events(attempt_id: int) -> list[dict[str, Any]]:
    """The attempt's raw keystroke log, chunks in sequence order (may be empty)."""
    chunks = db.session.scalars(
        sa.select(KeystrokeChunk.events)
        .where(KeystrokeChunk.attempt_id == attempt_id)
        .order_by(KeystrokeChunk.seq)
    )
    out: list[dict[str, Any]] = []
    for events in chunks:
        if isinstance(events, list):
            out.extend(e for e in events if isinstance(e, dict))
    return out


def _metric(name: str) -> sa.ColumnElement:
    return Attempt.result[name].as_float()


def headline_metric(kind: str) -> str:
    """The speed figure a kind is judged on."""
    if kind == "transcription":
        return "net_wpm"
    if kind == "reconciliation":
        return "f1"
    return "net_kph"


def history(user_id: int, assessment_id: int) -> list[dict[str, Any]]:
    """The learner's finished attempts at one test, oldest first: one query.

    Only the few numbers the trend chart needs are read out of each result.
    """
    rows = db.session.execute(
        sa.select(
            Attempt.id,
            Attempt.number,
            Attempt.submitted_at,
            Attempt.started_at,
            _metric("net_kph").label("net_kph"),
            _metric("net_wpm").label("net_wpm"),
            _metric("accuracy").label("accuracy"),
            _metric("f1").label("f1"),
            Attempt.result["validity"].as_string().label("validity"),
        )
        .where(
            Attempt.user_id == user_id,
            Attempt.assessment_id == assessment_id,
            Attempt.state == SUBMITTED,
            Attempt.result.is_not(None),
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(TREND_LIMIT)
    ).all()
    return [dict(row._mapping) for row in reversed(rows)]


def reviewable_assessments_query(user) -> sa.Select:
    """Keying tests the user reviews, by title."""
    query = (
        sa.select(Assessment)
        .where(Assessment.kind.in_(KEYING_KINDS))
        .options(defer(Assessment.content, raiseload=True))
    )
    return attempt_policies.only_reviewed_by(user, query).order_by(
        Assessment.title, Assessment.id
    )


def attempt_counts(assessment_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{assessment_id: {"attempts", "finished", "flagged"}} in one grouped query."""
    ids = list(assessment_ids)
    if not ids:
        return {}
    finished = sa.case((Attempt.state.in_(FINAL_STATES), 1), else_=0)
    rows = db.session.execute(
        sa.select(
            Attempt.assessment_id,
            sa.func.count(Attempt.id),
            sa.func.sum(finished),
            sa.func.count(sa.distinct(Attempt.user_id)),
        )
        .where(Attempt.assessment_id.in_(ids))
        .group_by(Attempt.assessment_id)
    )
    return {
        aid: {"attempts": n, "finished": int(done or 0), "learners": people}
        for aid, n, done, people in rows
    }


def attempts_query(assessment: Assessment) -> sa.Select:
    """Every attempt at a test, newest first, with the learner; the heavy snapshot
    and result columns are not loaded (`attempt_figures` reads what the list shows)."""
    return (
        sa.select(Attempt)
        .where(Attempt.assessment_id == assessment.id)
        .options(
            load_only(
                Attempt.id,
                Attempt.user_id,
                Attempt.assessment_id,
                Attempt.kind,
                Attempt.number,
                Attempt.state,
                Attempt.started_at,
                Attempt.submitted_at,
                Attempt.finalized_by,
                Attempt.band,
                Attempt.flags,
                Attempt.is_valid,
            ),
            joinedload(Attempt.user),
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )


def attempt_figures(kind: str, attempt_ids: Iterable[int]) -> dict[int, dict]:
    """{attempt id: speed, accuracy, validity, ... and its `headline`} read out of
    the results in one query."""
    ids = list(attempt_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Attempt.id,
            Attempt.band,
            Attempt.result["kind"].as_string().label("scored_kind"),
            _metric(headline_metric(kind)).label("speed"),
            _metric("accuracy").label("accuracy"),
            Attempt.result["validity"].as_string().label("validity"),
            Attempt.result["validity_reason"].as_string().label("validity_reason"),
            Attempt.result["band_explanation"].as_string().label("band_explanation"),
            Attempt.result[("accepted", "reason")].as_string().label("accepted"),
        ).where(Attempt.id.in_(ids))
    )
    figures = {}
    for row in rows:
        found = dict(row._mapping)
        found["headline"] = headline(kind, found) if row.scored_kind else None
        figures[row.id] = found
    return figures


# --------------------------------------------------------------------------
# Headline figures of a finished attempt, wherever it is listed
# --------------------------------------------------------------------------

# What a list says instead of a band, by the result's validity.
VERDICT_LABELS = {"unverified": "Unverified", "invalid": "Invalid"}


def headline(kind: str, figures: Mapping[str, Any]) -> dict[str, Any]:
    """One scored keying attempt as a list shows it: the net speed (F1 for
    reconciliation), the accuracy and the band, or what stands in for a band:
    "below Foundation", "no band" (the test sets none), "Unverified" or
    "Invalid" with the reason.

    `figures` holds speed (the kind's headline metric), accuracy, validity,
    validity_reason, band, band_explanation and accepted (truthy once a
    trainer accepted the result). An invalid result shows no figures, as on
    its result page.
    """
    validity = figures.get("validity") or "valid"
    valid = validity == "valid"
    band = figures.get("band")
    explanation = figures.get("band_explanation") or ""
    if valid:
        status = "band" if band else "below"
        label = BAND_LABELS.get(band, band) if band else "below Foundation"
        if not band and NO_BANDS in explanation:
            status, label = "no_bands", "no band"
    else:
        status = "unverified" if validity == "unverified" else "invalid"
        label = VERDICT_LABELS[status]
    metric = headline_metric(kind)
    shown = status != "invalid"
    return {
        "status": status,
        "band": band,
        "label": label,
        "metric": metric,
        "speed": figures.get("speed") if shown else None,
        "accuracy": figures.get("accuracy") if shown and metric != "f1" else None,
        "reason": (figures.get("validity_reason") or "") if not valid else "",
        "explanation": explanation,
        "accepted": bool(figures.get("accepted")),
    }


def headline_of(attempt: Attempt) -> dict[str, Any] | None:
    """`headline` of a keying attempt whose result is loaded; None for other
    kinds, for attempts without a score, and when the result is not loaded."""
    if attempt.kind not in KEYING_KINDS or "result" not in attempt.__dict__:
        return None
    result = attempt.result
    if not isinstance(result, Mapping) or not result.get("kind"):
        return None
    accepted = result.get("accepted")
    return headline(
        attempt.kind,
        {
            **result,
            "speed": result.get(headline_metric(attempt.kind)),
            "band": result.get("band"),
            "accepted": accepted.get("reason")
            if isinstance(accepted, Mapping)
            else None,
        },
    )


def acceptance(result: Mapping[str, Any]) -> dict[str, Any] | None:
    """Who accepted an unverified result, when and why: {name, at, reason}, or
    None when nobody did. One query, for the name."""
    accepted = result.get("accepted")
    if not isinstance(accepted, Mapping):
        return None
    by = accepted.get("by")
    name = None
    if isinstance(by, int) and not isinstance(by, bool):
        name = db.session.scalar(sa.select(User.name).where(User.id == by))
    try:
        at = datetime.fromisoformat(accepted.get("at") or "")
    except (TypeError, ValueError):
        at = None
    return {"name": name, "at": at, "reason": accepted.get("reason") or ""}


def flags_of(attempt: Attempt) -> list[dict[str, Any]]:
    """The attempt's integrity flags (stored on the row; the result as a fallback),
    each once: a result stored again (an acceptance) brings its flags again."""
    flags: list[Any] = list(attempt.flags or ())
    result = attempt.result if "result" in attempt.__dict__ else None
    if not flags and isinstance(result, dict) and isinstance(result.get("flags"), list):
        flags = result["flags"]
    unique, seen = [], set()
    for flag in flags:
        key = (
            (flag.get("code"), flag.get("message")) if isinstance(flag, dict) else None
        )
        if key not in seen:
            seen.add(key)
            unique.append(flag)
    return unique


def timing_evidence(attempt: Attempt, raw_events: list[dict[str, Any]]) -> dict:
    """Key-timing figures for the review page: from the raw log while it exists,
    else from what was kept when the log was reduced."""
    result = attempt.result if isinstance(attempt.result, dict) else {}
    summary = result.get("keystroke_summary") or result.get("analytics") or {}
    if raw_events:
        kept = _scored_events(attempt, raw_events)
        stats = keylog.timing_stats(kept)
        reduced = keylog.reduce_events(kept)
        return {
            "source": "raw",
            "events": len(kept),
            "ignored": len(raw_events) - len(kept),
            "intervals": stats["intervals"],
            "fast_share": stats["fast_share"],
            "median_ms": stats["median_ms"],
            "cv": stats["cv"],
            **{k: reduced.get(k) for k in SUMMARY_KEYS},
        }
    return {
        "source": "summary" if summary else "none",
        "events": None,
        "ignored": None,
        "intervals": None,
        "fast_share": None,
        "median_ms": summary.get("iki_median_ms"),
        "cv": None,
        **{k: summary.get(k) for k in SUMMARY_KEYS},
    }


SUMMARY_KEYS = (
    "K_raw",
    "backspaces",
    "inserts",
    "paste_attempts",
    "focus_losses",
    "numpad_pct",
    "iki_mean_ms",
    "iki_median_ms",
    "consistency",
)


def _scored_events(attempt: Attempt, events: list[dict[str, Any]]) -> list:
    """The events the scorer counted: those up to the scored working time."""
    result = attempt.result if isinstance(attempt.result, dict) else {}
    seconds = result.get("T_s")
    if isinstance(seconds, int | float) and not isinstance(seconds, bool):
        return keylog.ignore_after(events, float(seconds) * 1000.0)
    return list(keylog.iter_events(events))


# --------------------------------------------------------------------------
# Keystroke retention
# --------------------------------------------------------------------------


def reduce_old_events(older_than_days: int, now: datetime | None = None) -> int:
    """Keep `reduce_events()` of each finished attempt's log in its result
    (`keystroke_summary`) and delete the raw chunks of attempts finished more
    than `older_than_days` ago. Live attempts are never touched. Returns the
    number of attempts reduced. Flushes in batches; the caller commits.
    """
    now = now or clock.now()
    cutoff = now - timedelta(days=max(older_than_days, 0))
    finished_at = sa.func.coalesce(Attempt.submitted_at, Attempt.started_at)
    with_chunks = sa.exists().where(KeystrokeChunk.attempt_id == Attempt.id)
    candidates = db.session.scalars(
        sa.select(Attempt.id)
        .where(Attempt.state.in_(FINAL_STATES), finished_at < cutoff, with_chunks)
        .order_by(Attempt.id)
    ).all()
    reduced = 0
    for start in range(0, len(candidates), REDUCE_BATCH):
        batch = candidates[start : start + REDUCE_BATCH]
        attempts = db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.id.in_(batch))
            .options(load_only(Attempt.id, Attempt.result, Attempt.state))
        ).all()
        logs: dict[int, list[dict[str, Any]]] = {a.id: [] for a in attempts}
        rows = db.session.execute(
            sa.select(KeystrokeChunk.attempt_id, KeystrokeChunk.events)
            .where(KeystrokeChunk.attempt_id.in_(batch))
            .order_by(KeystrokeChunk.attempt_id, KeystrokeChunk.seq)
        )
        for attempt_id, events in rows:
            if isinstance(events, list):
                logs[attempt_id].extend(e for e in events if isinstance(e, dict))
        for attempt in attempts:
            summary = keylog.reduce_events(_scored_events(attempt, logs[attempt.id]))
            summary["raw_events"] = len(logs[attempt.id])
            summary["reduced_at"] = now.isoformat()
            result = dict(attempt.result) if isinstance(attempt.result, dict) else {}
            result["keystroke_summary"] = summary
            attempt.result = result  # a new dict, so the JSON change is saved
            reduced += 1
        db.session.execute(
            sa.delete(KeystrokeChunk).where(KeystrokeChunk.attempt_id.in_(batch))
        )
        db.session.flush()
    return reduced
