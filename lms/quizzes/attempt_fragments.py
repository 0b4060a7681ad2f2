"""The take page's questions and their links in the "Questions" list, rendered
once and kept: a learner's page is drawn again after every "Save answers"
without JavaScript, on a reload and in a second tab, and most questions have
not changed in between.

A question's HTML and its link depend only on what the learner may see of it
(the learner view of the attempt's snapshot, never a key), the learner's saved
answer and the number of questions. The key holds the attempt's id and random seed (the
snapshot never changes after start) with the question's id, the answer as JSON
and the count, so an entry is only ever reused for the same learner's same
question with the same answer. A bounded LRU per process.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup

from lms.attempts.models import Attempt

MAX_FRAGMENTS = 4096  # about 2 KB each

_fragments: OrderedDict[tuple, tuple[Markup, Markup]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class TakeFragments:
    pages: list[tuple[int, Markup]]  # (page number, its questions' fieldsets), in order
    jump_links: Markup  # the "Questions" list's entries, in order


def question_fragments(
    attempt: Attempt,
    items: Iterable[Mapping[str, Any]],
    responses: Mapping[str, Any],
    field_name: Callable[[str], str],
) -> TakeFragments:
    """Each question's HTML and link (attempts/_question.html), the questions
    joined page by page."""
    items = sorted(items, key=_page_of)  # stable: questions keep their order
    total = len(items)
    macros = None
    pages: dict[int, list[Markup]] = {}
    links = []
    for item in items:
        value = responses.get(item["id"])
        key = (attempt.id, attempt.seed, item["id"], _as_key(value), total)
        with _lock:
            pair = _fragments.get(key)
            if pair is not None:
                _fragments.move_to_end(key)
        if pair is None:
            macros = macros or _macros()
            question, jump_link = macros
            pair = (
                Markup(question(item, value, field_name, total)),
                Markup(jump_link(item, value not in (None, "", []))),
            )
            _keep(key, pair)
        pages.setdefault(_page_of(item), []).append(pair[0])
        links.append(pair[1])
    return TakeFragments(
        [(number, Markup("").join(html)) for number, html in pages.items()],
        Markup("").join(links),
    )


def _page_of(item: Mapping[str, Any]) -> int:
    return item["page"]


def _macros() -> tuple[Callable, Callable]:
    return (
        get_template_attribute("attempts/_question.html", "question"),
        get_template_attribute("attempts/_question.html", "jump_link"),
    )


def _as_key(value: Any) -> str | tuple[str, str] | None:
    """The answer as part of a key: text as it is (most answers), anything
    else as canonical JSON, tagged so that it never equals a text answer."""
    if value is None or type(value) is str:
        return value
    return ("json", json.dumps(value, sort_keys=True, separators=(",", ":")))


def _keep(key: tuple, pair: tuple[Markup, Markup]) -> None:
    with _lock:
        _fragments[key] = pair
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)


def clear() -> None:
    with _lock:
        _fragments.clear()
