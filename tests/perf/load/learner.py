"""One simulated learner (a locust FastHttpUser): what a person does in a browser,
request for request, with the think time a person takes.

Signs in through the login form (the CSRF token from the page), then goes round
these three parts, each learner starting at a different one:

1. the dashboard and a course page; a module, read for 20–40 s (and as long
   and as far as the course asks before a module counts as read: its script
   reports reaching the end), marked complete, and the next module, read as long;
2. a quiz: its intro, Start (a form post), the take page; a few answers every
   10 s, each batch sent as an autosave (PUT, X-CSRFToken) as the take page's
   script does; submit; the result page;
3. a 10-key test the same way: keyed at 8,000–11,000 keystrokes an hour, each
   10 s of key and input events sent with the entries they changed; after about
   a minute, submit; the result page.

Every request is named "<group>: <what>" (groups: sign-in, page, form,
script, autosave, submit) for the statistics. A response other than the one the
browser expects (status, redirect target, page content) is a failure. Every
save is written to the journal before it is sent and again when the server
acknowledges it, so the database can be reconciled afterwards. Static files are not fetched: a browser
keeps them after the first page.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import time
from typing import IO, Any
from urllib.parse import urlencode

import gevent
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

from tests.perf.load import pages
from tests.perf.load.world import Plan

SAVE_EVERY_S = 10
READ_S = (20, 40)
GLANCE_S = (3, 8)
QUIZ_ANSWERS_PER_SAVE = (1, 3)
KEYING_S = (50, 70)
KEYS_PER_SECOND = (8000 / 3600, 11000 / 3600)
RECOVER_S = 10  # after a failure, as a person would pause before trying again
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TAKE_PAGE = re.compile(r"^/(?:keying/)?attempts/\d+$")


def why(response, path: str) -> str:
    """A failure's reason: the status, or what broke the connection (status 0)."""
    if not response.status_code:
        return f"no answer from {path}: {response.error!r}"[:200]
    return f"{response.status_code} from {path}"


class JourneyBroken(Exception):
    """The page the learner needed did not come: pause, then the next part."""


class Learner(FastHttpUser):
    abstract = True  # the generator makes a concrete subclass with plan and journal
    wait_time = constant(0)  # the journey paces itself
    network_timeout = 120.0
    connection_timeout = 60.0
    plan: Plan
    journal: IO[str]
    pace = 1.0  # every think time and the autosave interval are multiplied by it
    numbers = itertools.count()
    signed_in = 0  # learners signed in so far (the hold starts once all are)

    def on_start(self) -> None:
        self.number = next(self.numbers)
        self.rng = random.Random(self.number)
        self.step = 0
        self.email = self.plan.emails[self.number % len(self.plan.emails)]
        while not self.sign_in():
            gevent.sleep(RECOVER_S)
        Learner.signed_in += 1

    def think(self, seconds: tuple[float, float]) -> None:
        gevent.sleep(self.rng.uniform(*seconds) * self.pace)

    # ---- requests ----------------------------------------------------------

    def page(self, path: str, what: str, marker: str | None = None) -> str:
        """GET a page the learner reads: 200, and `marker` in it when given."""
        with self.client.get(
            path, name=f"page: {what}", catch_response=True, allow_redirects=False
        ) as response:
            text = response.text or ""
            if response.status_code != 200:
                response.failure(why(response, path))
                raise JourneyBroken(path)
            if marker and marker not in text:
                response.failure(f"{what} came without {marker!r}")
                raise JourneyBroken(path)
        return text

    def form(self, path: str, what: str, data: dict, group: str = "form") -> str:
        """POST a form; the browser expects a redirect. Returns its target."""
        with self.client.post(
            path,
            data=urlencode(data),
            headers=FORM,
            name=f"{group}: {what}",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            target = (response.headers or {}).get("Location", "")
            if response.status_code not in (302, 303) or not target:
                response.failure(why(response, path))
                raise JourneyBroken(path)
        return target.replace(self.host, "") or "/"

    def script(self, path: str, what: str, token: str) -> None:
        """A page script's POST that carries only the CSRF token and wants JSON."""
        with self.client.post(
            path,
            name=f"script: {what}",
            headers={"X-CSRFToken": token, "Accept": "application/json"},
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(why(response, path))

    def api(self, method: str, path: str, what: str, token: str, body: Any) -> int:
        """A call of the take page's script: 200 is the only answer it hopes for."""
        with self.client.request(
            method,
            path,
            name=what,
            json=body,
            headers={"X-CSRFToken": token},
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.text[:200]}")
            return response.status_code

    # ---- the round ----------------------------------------------------------

    def sign_in(self) -> bool:
        try:
            login = self.page("/login", "sign-in form", 'name="password"')
            target = self.form(
                "/login",
                "sign in",
                {
                    "csrf_token": pages.form_token(login) or "",
                    "email": self.email,
                    "password": self.plan.password,
                    "next": "",
                },
                group="sign-in",
            )
        except JourneyBroken:
            return False
        return target.rstrip("/") == ""

    @task
    def next_part(self) -> None:
        """One part of the round; learners start at different parts, as a cohort
        does (and a short run still sees every part)."""
        parts = (self.read_course, self.take_quiz, self.take_keying_test)
        try:
            parts[(self.number + self.step) % len(parts)]()
        except JourneyBroken:
            gevent.sleep(RECOVER_S * self.pace)
        self.step += 1

    def pick(self, options: list) -> Any:
        return options[(self.number + self.step // 3) % len(options)]

    def read_course(self) -> None:
        course = self.pick(self.plan.courses)
        slug, modules = course["slug"], course["modules"]
        self.page("/", "dashboard")
        self.think(GLANCE_S)
        self.page(f"/courses/{slug}", "course")
        self.think(GLANCE_S)
        module = modules[(self.step // 3) % len(modules)]
        target = self.read_module(f"/courses/{slug}/modules/{module}")
        if "/modules/" in target:
            self.page(target, "module", "<article")
            self.think(READ_S)

    def read_module(self, path: str) -> str:
        """Read a module as its page asks (long enough, to the end), then mark it
        complete; returns where that leads."""
        text = self.page(path, "module", "<article")
        opened = time.monotonic()
        asks = pages.reading(text)
        self.think(READ_S)
        if asks.end_url:
            self.script(asks.end_url, "end reached", pages.meta_token(text) or "")
        # The button stays disabled until the module's reading time has passed.
        gevent.sleep(max(0.0, opened + asks.remaining_seconds + 1 - time.monotonic()))
        return self.form(
            f"{path}/complete",
            "complete module",
            {"csrf_token": pages.form_token(text)},
        )

    def start_attempt(self, slug: str) -> tuple[str, dict[str, str]]:
        """The intro page, Start, and the take page: (page, its data attributes)."""
        intro = self.page(f"/assessments/{slug}", "assessment intro")
        self.think(GLANCE_S)
        target = self.form(
            f"/assessments/{slug}/start",
            "start",
            {"csrf_token": pages.form_token(intro)},
        )
        if not TAKE_PAGE.match(target):
            raise JourneyBroken(f"start of {slug} led to {target}")
        text = self.page(target, "take page", "data-save-url")
        return text, pages.root_data(text)

    def take_quiz(self) -> None:
        text, data = self.start_attempt(self.pick(self.plan.quizzes))
        attempt = Attempt(self, data, data.get("csrf-token", ""), "quiz")
        todo = pages.questions(text)
        self.rng.shuffle(todo)
        while todo:
            attempt.wait_for_next_save()
            n = self.rng.randint(*QUIZ_ANSWERS_PER_SAVE)
            batch, todo = todo[:n], todo[n:]
            attempt.save({q.item_id: pages.answer(q, self.rng) for q in batch})
        attempt.finish()

    def take_keying_test(self) -> None:
        text, data = self.start_attempt(self.pick(self.plan.keying))
        attempt = Attempt(self, data, pages.meta_token(text) or "", "keying")
        typist = pages.Typist(
            pages.ten_key_entries(text), self.rng.uniform(*KEYS_PER_SECOND), self.rng
        )
        stop_at = time.monotonic() + self.rng.uniform(*KEYING_S) * self.pace
        while not typist.done and time.monotonic() < stop_at:
            began = attempt.elapsed_ms()
            attempt.wait_for_next_save()
            # What was keyed since the last save, stamped on the page's clock: never
            # later than now (the server ignores events claimed ahead of its clock).
            typed_for = (attempt.elapsed_ms() - began) / 1000
            events, changed = typist.type_for(began, typed_for)
            attempt.save(changed, events)
        attempt.finish()


class Attempt:
    """One attempt as the take page's script keeps it: its clock, seq, unsent
    answers and events, autosave and submit."""

    def __init__(self, learner: Learner, data: dict[str, str], token: str, kind: str):
        self.learner, self.token, self.kind = learner, token, kind
        self.id = int(data["attempt-id"])
        self.save_url, self.submit_url = data["save-url"], data["submit-url"]
        self.result_url = data["result-url"]
        self.loaded = time.monotonic()
        self.elapsed_at_load = int(data.get("elapsed-ms") or 0)
        self.seq = int(data.get("last-seq") or 0)
        self.save_every = SAVE_EVERY_S * learner.pace
        self.next_save = self.loaded + self.save_every
        self.unsent: dict[str, Any] = {}
        self.unsent_events: list[dict] = []

    def elapsed_ms(self) -> float:
        return self.elapsed_at_load + (time.monotonic() - self.loaded) * 1000

    def wait_for_next_save(self) -> None:
        """Until the next tick of the autosave timer; a tick missed while a slow save
        was on its way is skipped, as a browser's interval timer does."""
        gevent.sleep(max(0.0, self.next_save - time.monotonic()))
        self.next_save = max(self.next_save, time.monotonic()) + self.save_every

    def next_seq(self) -> int:
        """Tenths of a second since the attempt started, strictly increasing."""
        self.seq = max(self.seq + 1, int(self.elapsed_ms() // 100) + 1)
        return self.seq

    def save(self, answers: dict[str, Any], events: list[dict] | None = None) -> None:
        """Send what changed; what the server did not take is sent with the next."""
        self.unsent.update(answers)
        self.unsent_events.extend(events or [])
        if not self.unsent and not self.unsent_events:
            return
        body = {"seq": self.next_seq(), "responses": dict(self.unsent)}
        if self.unsent_events:
            body["events"] = list(self.unsent_events)
        # Written before it is sent: a save the run stops in the middle of may
        # still be stored, and reconciliation must know it was sent.
        self.note(
            what="save",
            seq=body["seq"],
            responses=body["responses"],
            events=len(body.get("events", [])),
        )
        status = self.learner.api(
            "PUT", self.save_url, f"autosave: {self.kind}", self.token, body
        )
        if status == 200:
            self.note(what="ack", seq=body["seq"])
            self.unsent, self.unsent_events = {}, []

    def note(self, **record: Any) -> None:
        """A line of the journal of this run's saves and submits."""
        self.learner.journal.write(json.dumps({"attempt": self.id, **record}) + "\n")

    def finish(self) -> None:
        """The last save, a moment to check, submit, and the result page."""
        self.save({})
        self.learner.think(GLANCE_S)
        status = self.learner.api(
            "POST", self.submit_url, f"submit: {self.kind}", self.token, {}
        )
        if status == 200:
            self.note(what="submit")
            self.learner.page(self.result_url, "result")
            self.learner.think(GLANCE_S)
