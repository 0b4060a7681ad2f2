"""Demo keying history: learners took keying tests of every kind, through the
attempt engine, with keystroke logs typed by a simulated typist.

Each learner has a typing profile by job title (speed in keystrokes per hour,
share of characters keyed wrong) with some spread, so the demo shows every
band, results below Foundation, and a trend over several attempts. The logs
are what the browser would send (a key and an input event per character,
human timing with jitter), so the results, bands and integrity checks are the
real ones, not made up.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.extensions import db
from lms.seed import SEED, SeedReport
from lms.seed.people import LEARNER, NEWHIRE
from lms.seed.quiz_history import clock_at
from lms.users.models import User

# Speed (alphanumeric KPH) and error rate per job title.
TYPISTS = {
    "Trainee executive": (7500, 0.012),
    "Back-office executive": (10500, 0.004),
    "Senior executive": (13500, 0.0015),
}
DEFAULT_TYPIST = (8500, 0.008)
# On the numeric keypad people key faster and slip less than on letters.
KEYPAD_SPEED = 1.35
KEYPAD_SLIPS = 0.5
# How many learners have keying history, and how many attempts each.
KEYING_LEARNERS = 14
ATTEMPTS_PER_LEARNER = (2, 4)
NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


def seed_keying_attempts(
    learners: list[User], now: datetime, report: SeedReport
) -> None:
    """Two to four keying attempts each for the first learners, over past weeks."""
    from lms.attempts import services as attempts

    rng = random.Random(SEED + 3)
    tests = list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.kind != "quiz", Assessment.is_published)
            .order_by(Assessment.slug)
        )
    )
    if not tests:
        return
    # learner@ has a keying history to look at; the new hire has none yet.
    typists = sorted(
        (u for u in learners if u.email != NEWHIRE.email),
        key=lambda u: (u.email != LEARNER.email, u.id),
    )
    for index, user in enumerate(typists):
        if index >= KEYING_LEARNERS:
            break
        speed, error_rate = TYPISTS.get(user.job_title or "", DEFAULT_TYPIST)
        speed *= rng.uniform(0.8, 1.2)
        when = now - timedelta(days=rng.randint(20, 40), hours=rng.randint(0, 8))
        chosen = rng.sample(tests, min(len(tests), rng.randint(*ATTEMPTS_PER_LEARNER)))
        if index == KEYING_LEARNERS - 1:
            chosen = [t for t in tests if t.kind == "record_entry"][:1] + chosen
        # Everyone has at least one 10-key attempt, the most common hiring test.
        ten_key = [t for t in tests if t.kind == "ten_key"]
        if ten_key and not any(t.kind == "ten_key" for t in chosen):
            chosen[0] = ten_key[0]
        for number, test in enumerate(chosen):
            # One learner's first record-entry answers reached the server without
            # their keystrokes (an integration gone wrong): trainers see it
            # unverified, with the evidence, waiting for their decision.
            keyless = (
                index == KEYING_LEARNERS - 1
                and number == 0
                and test.kind == "record_entry"
            )
            _take(attempts, user, test, when, speed, error_rate, rng, keyless)
            report.attempts += 1
            # Practice pays: each later attempt is a little faster and cleaner.
            speed *= rng.uniform(1.02, 1.12)
            error_rate *= rng.uniform(0.6, 0.95)
            when += timedelta(days=rng.randint(3, 9), hours=rng.randint(0, 6))


def _take(attempts, user, test, when, speed, error_rate, rng, keyless=False) -> None:
    with clock_at(when):
        attempt = attempts.start_attempt(user, test).attempt
    snapshot = attempt.snapshot
    limit = test.time_limit_seconds or 600
    if snapshot["kind"] == "ten_key":
        speed, error_rate = speed * KEYPAD_SPEED, error_rate * KEYPAD_SLIPS
    typist = _Typist(rng, speed, error_rate, budget_ms=(limit - 10) * 1000)
    if keyless:
        responses, seconds = _copied_answers(snapshot), limit / 2
        events = []
    elif snapshot["kind"] == "reconciliation":
        responses, seconds = _reconcile(snapshot, rng, error_rate)
        seconds = min(seconds, limit - 10)
        events: list[dict[str, Any]] = []
    else:
        responses = _type_answers(snapshot, typist, rng)
        events, seconds = typist.events, typist.now_ms / 1000 + 2
    with clock_at(when + timedelta(seconds=seconds)):
        attempts.save_responses(attempt, 1, responses, None if keyless else events)
        attempts.submit_attempt(attempt)


class _Typist:
    """Key and input events of a person typing at `kph` with `error_rate`."""

    def __init__(
        self, rng: random.Random, kph: float, error_rate: float, budget_ms: float
    ) -> None:
        self.rng = rng
        self.budget_ms = budget_ms
        self.step_ms = 3_600_000 / kph
        self.error_rate = error_rate
        self.now_ms = 1500.0
        self.events: list[dict[str, Any]] = []

    @property
    def out_of_time(self) -> bool:
        return self.now_ms >= self.budget_ms

    def type(self, item: str, field: str, text: str, numpad: bool = False) -> str:
        """Type `text` into one box, stopping where the time runs out."""
        typed = ""
        self.events.append(
            {"t": round(self.now_ms), "item": item, "field": field, "type": "focus"}
        )
        for char in self._with_slips(text):
            if self.out_of_time:
                break
            self.now_ms += max(self.rng.gauss(self.step_ms, self.step_ms * 0.35), 25)
            code = f"Numpad{char}" if numpad and char.isdigit() else ""
            key = {
                "t": round(self.now_ms),
                "item": item,
                "field": field,
                "type": "key",
                "key": char,
                "code": code,
            }
            if numpad:
                key["location"] = 3
            self.events.append(key)
            self.events.append(
                {
                    "t": round(self.now_ms) + 4,
                    "item": item,
                    "field": field,
                    "type": "input",
                    "op": "insert",
                    "pos": len(typed),
                    "data": char,
                }
            )
            typed += char
        self.now_ms += self.step_ms * self.rng.uniform(2, 5)  # reading the next one
        self.events.append(
            {"t": round(self.now_ms), "item": item, "field": field, "type": "blur"}
        )
        return typed

    def _with_slips(self, text: str) -> str:
        chars = list(text)
        for i in range(len(chars)):
            if self.rng.random() >= self.error_rate:
                continue
            if chars[i].isdigit():
                chars[i] = str((int(chars[i]) + self.rng.choice((1, 9))) % 10)
            elif chars[i].isalpha():
                chars[i] = self.rng.choice(NEIGHBOURS)
            elif i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
        return "".join(chars)


def _type_answers(snapshot, typist: _Typist, rng) -> dict[str, Any]:
    kind = snapshot["kind"]
    responses: dict[str, Any] = {}
    if kind == "record_entry":
        fields = [f["name"] for f in snapshot["fields"]]
        for record in _attempted(snapshot["records"], rng):
            if typist.out_of_time:
                break
            responses[record["id"]] = {
                name: typist.type(
                    record["id"], name, str(record["values"].get(name, ""))
                )
                for name in fields
            }
    elif kind == "ten_key":
        for entry in _attempted(snapshot["entries"], rng):
            if typist.out_of_time:
                break
            responses[entry["id"]] = typist.type(
                entry["id"], "", entry["value"], numpad=True
            )
    elif kind == "transcription":
        for passage in snapshot["passages"]:
            text = passage["text"]
            share = rng.uniform(0.7, 1.0)
            responses[passage["id"]] = typist.type(
                passage["id"], "", text[: int(len(text) * share)]
            )
    return responses


def _copied_answers(snapshot) -> dict[str, Any]:
    """Every record's values exactly, as a script would send them."""
    names = [f["name"] for f in snapshot["fields"]]
    return {
        r["id"]: {n: str(r["values"].get(n, "")) for n in names}
        for r in snapshot["records"]
    }


def _attempted(items: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Most of the drawn items, in order: time runs out before the last few."""
    return items[: max(1, round(len(items) * rng.uniform(0.7, 1.0)))]


def _reconcile(snapshot, rng: random.Random, error_rate: float):
    """Flags from the planted differences, with a miss or a false alarm now and then."""
    slip = min(0.5, error_rate * 8)
    responses: dict[str, Any] = {}
    rows = 0
    for s in snapshot["sets"]:
        if snapshot.get("mode") == "pair":
            answers = {}
            for pair in s["pairs"]:
                rows += 1
                differs = list(pair.get("differs") or [])
                if rng.random() < slip:
                    differs = [] if differs else [s["fields"][0]]
                answers[pair["id"]] = differs
            responses[s["id"]] = answers
        else:
            rows += len(s.get("ledger", [])) + len(s.get("statement", []))
            flags = [
                {"ref": d["ref"], "type": d["type"], "field": d.get("field")}
                for d in s.get("discrepancies", [])
                if rng.random() >= slip
            ]
            responses[s["id"]] = flags
    return responses, rows * rng.uniform(6, 11)
