"""What a simulated learner reads from the pages and what it types into them.

Pure functions, no HTTP: the CSRF token of a form, what a module page asks
before it may be marked complete, the take page of a quiz (its
data attributes and its questions as the browser sees them) and of a 10-key test
(its entries), a plausible answer to each question, and the keystroke events a
person keying an entry on the numeric keypad makes — the same event schema
static/js/keying.js sends (docs/keying.md).
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from typing import Any

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
ROOT = re.compile(r'<div id="(?:attempt|keying-test)"([^>]*)>')
READING = re.compile(r"<[a-z]+\b([^>]*\bdata-reading\b[^>]*)>")
DATA_ATTRIBUTE = re.compile(r'data-([a-z-]+)="([^"]*)"')
QUESTION = re.compile(
    r'<fieldset class="question[^>]*?data-item-id="([^"]+)" data-type="([^"]+)"'
)
INPUT_VALUE = re.compile(r'<input[^>]*?name="q-[^"]*"[^>]*?value="([^"]*)"')
TEN_KEY_ENTRY = re.compile(r'id="src-([^"]+)">([^<]*)</span>')
KEYPAD = 3  # KeyboardEvent.DOM_KEY_LOCATION_NUMPAD
KEYPAD_CODES = {**{d: f"Numpad{d}" for d in "0123456789"}, ".": "NumpadDecimal"}
KEYPAD_CODES["-"] = "NumpadSubtract"


def form_token(page: str) -> str | None:
    """The CSRF token of the page's first form."""
    found = CSRF_FIELD.search(page)
    return html.unescape(found[1]) if found else None


def meta_token(page: str) -> str | None:
    """The CSRF token every page carries for scripts."""
    found = CSRF_META.search(page)
    return html.unescape(found[1]) if found else None


def root_data(page: str) -> dict[str, str]:
    """The data- attributes of a take page's root element (the browser client reads
    the save and submit URLs, the clock and the last saved seq from them)."""
    found = ROOT.search(page)
    if not found:
        return {}
    return {k: html.unescape(v) for k, v in DATA_ATTRIBUTE.findall(found[1])}


@dataclass
class Reading:
    """What a module page asks before "Mark as complete" counts (earned completion):
    seconds still to read, and whether its script must report reaching the end."""

    remaining_seconds: int = 0
    end_url: str | None = None


def reading(page: str) -> Reading:
    found = READING.search(page)
    if not found:
        return Reading()
    data = {k: html.unescape(v) for k, v in DATA_ATTRIBUTE.findall(found[1])}
    needs_end = data.get("needs-end") == "true"
    return Reading(
        int(data.get("remaining-seconds") or 0),
        data.get("end-url") if needs_end else None,
    )


@dataclass
class Question:
    item_id: str
    kind: str
    values: list[str] = field(default_factory=list)  # its inputs' values, in order


def questions(page: str) -> list[Question]:
    """The questions of a quiz take page with the values of their inputs."""
    found = list(QUESTION.finditer(page))
    out = []
    for n, match in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(page)
        values = INPUT_VALUE.findall(page, match.end(), end)
        out.append(Question(match[1], match[2], [html.unescape(v) for v in values]))
    return out


def answer(question: Question, rng: random.Random) -> Any:
    """A well-formed answer, in the shape the take page's script sends."""
    kind, values = question.kind, question.values
    if kind == "single" and values:
        return rng.choice(values)
    if kind == "multiple" and values:
        return rng.sample(values, rng.randint(1, len(values)))
    if kind == "truefalse":
        return rng.random() < 0.5
    if kind == "ordering" and values:
        return rng.sample(values, len(values))
    if kind == "numeric":
        return f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
    return rng.choice(["invoice", "customer record", "reconcile", "escalate"])


def ten_key_entries(page: str) -> list[tuple[str, str]]:
    """(item id, value to key) of each entry of a 10-key take page."""
    return [(i, html.unescape(v).strip()) for i, v in TEN_KEY_ENTRY.findall(page)]


@dataclass
class Typist:
    """Keys 10-key entries at a steady rate with an occasional slip put right with
    Backspace, one key at a time; `type_for` returns the events of a stretch of
    time and the answers it changed, as the browser would send them."""

    entries: list[tuple[str, str]]
    keys_per_second: float
    rng: random.Random
    slip_rate: float = 0.03
    entry: int = 0
    typed: str = ""
    values: dict[str, str] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.entry >= len(self.entries)

    def type_for(self, start_ms: float, seconds: float) -> tuple[list[dict], dict]:
        events: list[dict] = []
        changed: dict[str, str] = {}
        t, end = start_ms, start_ms + seconds * 1000
        gap = 1000 / self.keys_per_second
        while not self.done and t < end:
            item, target = self.entries[self.entry]
            if len(self.typed) == len(target):
                events.append(self._key(item, "Enter", "NumpadEnter", t))
                self.entry += 1
                self.typed = ""
            elif self.typed and self.rng.random() < self.slip_rate:
                events += self._slip(item, t, gap)
                t += gap
            else:
                char = target[len(self.typed)]
                events += self._insert(item, char, t)
                self.typed += char
                self.values[item] = changed[item] = self.typed
            t += gap * self.rng.uniform(0.6, 1.4)
        return events, changed

    def _key(self, item: str, key: str, code: str, t: float) -> dict:
        return {
            "item": item,
            "field": "",
            "type": "key",
            "key": key,
            "code": code,
            "location": KEYPAD,
            "t": round(t),
        }

    def _insert(self, item: str, char: str, t: float) -> list[dict]:
        code = KEYPAD_CODES.get(char, "Numpad0")
        return [
            self._key(item, char, code, t),
            {
                "item": item,
                "field": "",
                "type": "input",
                "op": "insert",
                "pos": len(self.typed),
                "data": char,
                "t": round(t) + 1,
            },
        ]

    def _slip(self, item: str, t: float, gap: float) -> list[dict]:
        """A wrong digit, then Backspace."""
        wrong = self.rng.choice("0123456789")
        events = self._insert(item, wrong, t)
        events += [
            self._key(item, "Backspace", "Backspace", t + gap / 2),
            {
                "item": item,
                "field": "",
                "type": "input",
                "op": "delete",
                "pos": len(self.typed),
                "len": 1,
                "t": round(t + gap / 2) + 1,
            },
        ]
        return events
