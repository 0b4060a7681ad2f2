"""A live app on a loopback port for tests that need real sockets: slow clients,
concurrent requests, timeouts. The server is werkzeug's, threaded, in this process.

    with serve(app) as base_url:  # "http://127.0.0.1:PORT"
        ...

Also: learners with API tokens and a started quiz attempt each, and raw HTTP/1.1
requests whose body can be sent in pieces.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from werkzeug.serving import make_server

from lms.extensions import db


@contextmanager
def serve(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body or b"null")


def call(base_url: str, method: str, path: str, body: Any = None, token=None) -> Reply:
    """One request on a fresh connection."""
    port = urlsplit(base_url).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    began = time.perf_counter()
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        return Reply(
            response.status,
            payload,
            time.perf_counter() - began,
            {k.lower(): v for k, v in response.getheaders()},
        )
    finally:
        conn.close()


class SlowRequest:
    """A raw HTTP/1.1 request whose headers go at once and whose body trickles."""

    def __init__(self, base_url: str, method: str, path: str, body: bytes, token):
        self.body = body
        self.sock = socket.create_connection(
            ("127.0.0.1", urlsplit(base_url).port), timeout=60
        )
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        self.sock.sendall(head.encode())
        self.sent = 0

    def send(self, size: int) -> None:
        self.sock.sendall(self.body[self.sent : self.sent + size])
        self.sent += size

    def finish(self) -> int:
        """Send the rest; the response's status code (0 when the server hung up)."""
        with suppress(OSError):
            self.sock.sendall(self.body[self.sent :])
        return self.status()

    def status(self) -> int:
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = self.sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            return 0
        finally:
            self.sock.close()
        line = data.split(b"\r\n", 1)[0].split()
        return int(line[1]) if len(line) > 1 else 0


@dataclass
class Taker:
    token: str
    attempt_id: int
    items: list[dict]


def quiz_takers(app, base_url: str, count: int) -> list[Taker]:
    """`count` learners with an API token, each with a started attempt of one quiz."""
    from lms.auth import tokens
    from tests import factories

    with app.app_context():
        quiz = factories.quiz(4, slug="live-quiz", time_limit_seconds=3600)
        raw = [
            tokens.create_token(factories.user(), "live test")[1] for _ in range(count)
        ]
        slug = quiz.slug
        db.session.commit()
    takers = []
    for token in raw:
        started = call(
            base_url, "POST", f"/api/v1/assessments/{slug}/attempts", token=token
        )
        assert started.status == 201, started.body
        body = started.json()
        takers.append(Taker(token, body["id"], body["items"]))
    return takers


def save_path(taker: Taker) -> str:
    return f"/api/v1/attempts/{taker.attempt_id}/responses"


def some_answer(item: dict) -> Any:
    if item["type"] == "single":
        return item["choices"][0]["id"]
    if item["type"] == "multiple":
        return [item["choices"][0]["id"]]
    if item["type"] == "truefalse":
        return True
    if item["type"] == "ordering":
        return [i["id"] for i in item["items"]]
    return "1250.50"


def save_body(taker: Taker, seq: int) -> dict:
    return {"seq": seq, "responses": {i["id"]: some_answer(i) for i in taker.items}}
