"""An API request's body, read whole and checked before the request waits for
anything it shares with other requests.

An API write takes its process's writer turn (lms.attempts.writer) and then the
database's write lock. Reading the body first, within bounds, keeps a client that
trickles its body, or sends too much, from holding either: it ties up only its own
request thread, and only for a bounded time.

* Size: at most the route's byte limit (413), with or without a Content-Length.
* Time: the whole body within a number of seconds (408). A read blocked on a
  client that has gone quiet is woken by shutting the connection's read side when
  the time is up, so the bound holds however the server reads its sockets.
* Nesting: JSON at most MAX_JSON_DEPTH arrays and objects deep. Python's
  parser refuses only what would exhaust its recursion limit; anything deeper
  than ours is refused after parsing, before code that recurses sees it.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from flask import Request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

# Where WSGI servers put the client's socket: werkzeug's and gunicorn's.
SOCKET_KEYS = ("werkzeug.socket", "gunicorn.socket")
# Answers and keystroke events nest four or five levels; nothing needs 32.
MAX_JSON_DEPTH = 32


class BodyRefused(Exception):
    """The body cannot be used; `status`, `code` and the message say why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def too_large(limit: int) -> BodyRefused:
    return BodyRefused(
        413, "too_large", f"Request bodies are limited to {limit} bytes."
    )


def read_body(request: Request, limit: int, seconds: float) -> bytes:
    """The whole body (cached on the request for later parsing), or BodyRefused."""
    expected = request.content_length
    if expected is not None and expected > limit:
        raise too_large(limit)
    request.max_content_length = limit
    if expected == 0:
        return b""
    with _read_deadline(_client_socket(request.environ), seconds) as deadline:
        try:
            data = request.get_data(cache=True)
        except RequestEntityTooLarge:
            raise too_large(limit) from None
        except (ClientDisconnected, OSError):
            data = None
    if deadline.passed:
        raise BodyRefused(
            408,
            "body_timeout",
            f"The request body did not arrive within {seconds:g} seconds; send it again.",
        )
    if data is None or (expected is not None and len(data) < expected):
        raise BodyRefused(400, "incomplete_body", "The request body was cut short.")
    return data


def parse_json_object(data: bytes) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is anything else (including
    JSON nested deeper than MAX_JSON_DEPTH)."""
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError):  # ValueError covers UnicodeDecodeError
        return None
    if not isinstance(payload, dict) or nests_deeper_than(payload, MAX_JSON_DEPTH):
        return None
    return payload


def nests_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and dicts nest more than `limit` levels (level by level, so
    the check itself never recurses)."""
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > limit:
            return True
        inner: list[Any] = []
        for container in level:
            children = container.values() if isinstance(container, dict) else container
            inner.extend(c for c in children if isinstance(c, dict | list))
        level = inner
    return False


def _client_socket(environ: dict[str, Any]) -> socket.socket | None:
    for key in SOCKET_KEYS:
        sock = environ.get(key)
        if isinstance(sock, socket.socket):
            return sock
    return None


class _Deadline:
    """Shuts the socket's read side once `seconds` pass, unless finished first."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.sock = sock
        self.passed = False
        self._finished = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def _cut(self) -> None:
        with self._lock:
            if self._finished:
                return
            self.passed = True
        with suppress(OSError):  # the client may have closed it already
            self.sock.shutdown(socket.SHUT_RD)

    def finish(self) -> None:
        with self._lock:
            self._finished = True
        self._timer.cancel()


class _NoDeadline:
    """Test clients and servers that do not expose the socket: nothing to cut."""

    passed = False


@contextmanager
def _read_deadline(sock: socket.socket | None, seconds: float) -> Iterator[Any]:
    if sock is None:
        yield _NoDeadline()
        return
    deadline = _Deadline(sock, seconds)
    deadline.start()
    try:
        yield deadline
    finally:
        deadline.finish()
