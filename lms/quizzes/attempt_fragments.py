"""The take page's questions, rendered once and kept: a learner's page is drawn
again after every "Save answers" without JavaScript, on a reload and in a second
tab, and most questions have not changed in between.

A question's HTML depends only on what the learner may see of it (the learner
view of the attempt's snapshot, never a key), the learner's saved answer and
the number of questions. The key holds the attempt's id and random seed (the
snapshot never changes after start) with the question's id, the answer as JSON
and the count, so an entry is only ever reused for the same learner's same
question with the same answer. A bounded LRU per process.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup

from lms.attempts.models import Attempt

MAX_FRAGMENTS = 4096  # about 2 KB each

_fragments: OrderedDict[tuple, Markup] = OrderedDict()
_lock = threading.Lock()


def question_fragments(
    attempt: Attempt,
    items: Iterable[Mapping[str, Any]],
    responses: Mapping[str, Any],
    field_name: Callable[[str], str],
) -> dict[str, Markup]:
    """Each question's HTML (attempts/_question.html), by item id."""
    items = list(items)
    total = len(items)
    macro = None
    rendered = {}
    for item in items:
        value = responses.get(item["id"])
        key = (attempt.id, attempt.seed, item["id"], _as_key(value), total)
        with _lock:
            html = _fragments.get(key)
            if html is not None:
                _fragments.move_to_end(key)
        if html is None:
            macro = macro or get_template_attribute(
                "attempts/_question.html", "question"
            )
            html = Markup(macro(item, value, field_name, total))
            _keep(key, html)
        rendered[item["id"]] = html
    return rendered


def _as_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _keep(key: tuple, html: Markup) -> None:
    with _lock:
        _fragments[key] = html
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)


def clear() -> None:
    with _lock:
        _fragments.clear()
