"""Where an attempt's pages live: quizzes use the attempts blueprint, keying tests
their own pages (lms/keying/views.py). Used by pages and the API alike."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError

from lms.attempts.models import QUIZ


def take_url(attempt) -> str:
    return page_url(attempt.kind, attempt.id, "take")


def result_url(attempt) -> str:
    return page_url(attempt.kind, attempt.id, "result")


def page_url(kind: str, attempt_id: int, page: str) -> str:
    """`page` is "take" or "result"."""
    if kind != QUIZ:
        try:
            return url_for(f"keying.{page}", attempt_id=attempt_id)
        except BuildError:  # keying pages not installed: the quiz pages explain
            pass
    return url_for(f"attempts.{page}", attempt_id=attempt_id)
