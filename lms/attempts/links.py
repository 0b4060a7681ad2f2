"""Where an attempt's pages live: each kind names its take and result endpoints
(lms.attempts.kinds). Used by pages and the API alike."""

from __future__ import annotations

from flask import url_for

from lms.attempts import kinds


def take_url(attempt) -> str:
    return page_url(attempt.kind, attempt.id, "take")


def result_url(attempt) -> str:
    return page_url(attempt.kind, attempt.id, "result")


def page_url(kind: str, attempt_id: int, page: str) -> str:
    """`page` is "take" or "result"."""
    found = kinds.get(kind)
    endpoint = found.take_endpoint if page == "take" else found.result_endpoint
    return url_for(endpoint, attempt_id=attempt_id)
