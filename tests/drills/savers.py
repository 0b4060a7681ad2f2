"""Learners who keep saving through a fault, as the browser's attempt client does,
and the reconciliation of what they were told with what the database holds.

A saver sends saves 1, 2, 3… of one attempt, each carrying every answer (one of
them changes with the save's number, so the stored value shows which save it came
from). Like the browser client it sends the same save again after a lost
connection or a 5xx answer (after Retry-After; here at most RETRY_PAUSE so a drill
stays short), and stops at any other refusal. Every status it got is kept.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.attempts.models import Attempt, Response
from lms.extensions import db
from tests.api.live import Taker, call, save_path, some_answer

RETRY_STATUSES = frozenset({500, 502, 503, 504})
RETRY_PAUSE = 0.2
# However long a fault lasts, a saver stops retrying one save after this long.
GIVE_UP_SECONDS = 60


def answer_for(item: dict, seq: int):
    """Text and numeric items carry the save's number; the others a fixed choice."""
    if item["type"] in ("short", "numeric"):
        return f"{1000 + seq}.50"
    return some_answer(item)


def save_body(taker: Taker, seq: int) -> dict:
    return {"seq": seq, "responses": {i["id"]: answer_for(i, seq) for i in taker.items}}


@dataclass
class Saver:
    base_url: str
    taker: Taker
    saves: int | None = None  # None: until `stop` is set
    pause: float = 0.0
    stop: threading.Event = field(default_factory=threading.Event)
    acked: list[int] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    lost_connections: int = 0
    busy_without_retry_after: int = 0
    unacked: list[int] = field(default_factory=list)
    refused: list[tuple[int, int, bytes]] = field(default_factory=list)
    error: BaseException | None = None

    def run(self) -> None:
        try:
            seq = 1
            while not self.stop.is_set() and (self.saves is None or seq <= self.saves):
                if not self._save_until_acknowledged(seq):
                    return
                seq += 1
                time.sleep(self.pause)
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc

    def _save_until_acknowledged(self, seq: int) -> bool:
        give_up = time.monotonic() + GIVE_UP_SECONDS
        body = save_body(self.taker, seq)
        while time.monotonic() < give_up:
            try:
                reply = call(
                    self.base_url, "PUT", save_path(self.taker), body, self.taker.token
                )
            except (OSError, http.client.HTTPException):
                self.lost_connections += 1
                time.sleep(RETRY_PAUSE)
                continue
            self.statuses[reply.status] += 1
            if reply.status == 200:
                self.acked.append(seq)
                return True
            if reply.status not in RETRY_STATUSES:
                self.refused.append((seq, reply.status, reply.body))
                return False
            if reply.status == 503 and "retry-after" not in reply.headers:
                self.busy_without_retry_after += 1
            wait = float(reply.headers.get("retry-after") or RETRY_PAUSE)
            time.sleep(min(wait, RETRY_PAUSE))
        self.unacked.append(seq)
        return False


def run_all(savers: list[Saver], seconds: float = 120) -> None:
    """Run every saver in a thread of its own until all are done (bounded)."""
    join_all(start_all(savers), seconds)


def start_all(savers: list[Saver]) -> list[threading.Thread]:
    threads = [threading.Thread(target=s.run, daemon=True) for s in savers]
    for thread in threads:
        thread.start()
    return threads


def join_all(threads: list[threading.Thread], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = [t for t in threads if t.is_alive()]
    assert not stuck, f"{len(stuck)} savers still running after {seconds} s"


def acknowledged(savers: list[Saver]) -> int:
    return sum(len(s.acked) for s in savers)


def wait_for_acks(savers: list[Saver], count: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while acknowledged(savers) < count:
        assert time.monotonic() < deadline, f"fewer than {count} saves in {seconds} s"
        time.sleep(0.02)


def statuses(savers: list[Saver]) -> Counter:
    return sum((s.statuses for s in savers), Counter())


def problems(savers: list[Saver]) -> list[str]:
    """What went wrong on the savers' side: crashes, refusals, saves never taken."""
    found = []
    for s in savers:
        if s.error is not None:
            found.append(f"attempt {s.taker.attempt_id}: {s.error!r}")
        found += [
            f"attempt {s.taker.attempt_id} save {seq}: {status} {body[:200]!r}"
            for seq, status, body in s.refused
        ]
        found += [
            f"attempt {s.taker.attempt_id} save {seq} never acknowledged"
            for seq in s.unacked
        ]
    return found


def unstored(app, savers: list[Saver]) -> list[str]:
    """Every acknowledged save that the database does not hold: an attempt whose
    last_seq is below its newest acknowledged save, or an answer older than it or
    not the one that save sent."""
    ids = [s.taker.attempt_id for s in savers]
    with app.app_context():
        last_seqs = dict(
            db.session.execute(
                sa.select(Attempt.id, Attempt.last_seq).where(Attempt.id.in_(ids))
            ).all()
        )
        stored: dict[int, dict[str, tuple[int, object]]] = {}
        for attempt_id, item_id, seq, value in db.session.execute(
            sa.select(
                Response.attempt_id, Response.item_id, Response.seq, Response.value
            ).where(Response.attempt_id.in_(ids))
        ):
            stored.setdefault(attempt_id, {})[item_id] = (seq, value)
        db.session.remove()
    missing = []
    for s in savers:
        if not s.acked:
            continue
        newest, attempt_id = max(s.acked), s.taker.attempt_id
        if last_seqs.get(attempt_id, 0) < newest:
            missing.append(
                f"attempt {attempt_id}: last_seq {last_seqs.get(attempt_id)} "
                f"< acknowledged {newest}"
            )
        answers = stored.get(attempt_id, {})
        for item in s.taker.items:
            seq, value = answers.get(item["id"], (0, None))
            if seq < newest or value != answer_for(item, seq):
                missing.append(
                    f"attempt {attempt_id} item {item['id']}: stored save {seq} "
                    f"({value!r}), acknowledged {newest}"
                )
    return missing
