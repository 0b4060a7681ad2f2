"""The keying kinds called the way the attempt engine calls them: by the kind
named on the assessment row or in the snapshot, through the registry."""

from __future__ import annotations

from lms import register_assessment_kinds
from lms.attempts import kinds
from lms.attempts.kinds import ReviewOptions
from lms.keying.kinds.common import date_hint, humanize  # noqa: F401

register_assessment_kinds()


def build_snapshot(assessment, rng):
    return kinds.get(assessment.kind).build_snapshot(assessment, rng)


def learner_items(snapshot):
    return kinds.get(snapshot["kind"]).learner_items(snapshot)


def validate_responses(snapshot, responses):
    return kinds.get(snapshot["kind"]).validate_responses(snapshot, responses)


def score(snapshot, responses, events, elapsed_seconds):
    return kinds.get(snapshot["kind"]).score(
        snapshot, responses, events, elapsed_seconds
    )


def review(snapshot, result, responses, *, show_correct_answers, show_feedback):
    options = ReviewOptions(True, show_correct_answers, show_feedback)
    return kinds.get(snapshot["kind"]).review(snapshot, result, responses, options)
