"""Security plumbing: SQLite pragmas, session loading, security headers, the
`int` URL converter that matches only ids the database can hold, and the shape of
JSON bodies pages accept."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy.engine import Engine
from sqlalchemy.orm import undefer
from werkzeug.routing import IntegerConverter

from lms.extensions import db, login_manager
from lms.forms import MAX_ID

CSP = (
    "default-src 'self'; script-src 'self'; "
    # Inline style attributes (progress widths, chart sizes) are allowed; scripts are not.
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@sa.event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL for concurrent readers, FULL sync so an acknowledged save survives a crash."""
    if type(dbapi_connection).__module__.split(".")[0] not in ("sqlite3", "pysqlite2"):
        return
    try:
        timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"]
    except RuntimeError:
        timeout = 10_000
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(timeout)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


# The largest id any database holds; lms.forms owns the rule.
MAX_DATABASE_INT = MAX_ID


def digits_at_most(limit: int) -> str:
    """A regular expression for the decimal numbers from 0 to `limit`: shorter
    numbers, or as many digits with a smaller digit after a common prefix."""
    text = str(limit)
    shorter = rf"\d{{1,{len(text) - 1}}}" if len(text) > 1 else None
    same_length = [
        f"{text[:i]}[0-{int(digit) - 1}]"
        + (rf"\d{{{len(text) - i - 1}}}" if i < len(text) - 1 else "")
        for i, digit in enumerate(text)
        if digit != "0"
    ]
    return "|".join(p for p in (shorter, *same_length, text) if p)


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` that matches only values a database id can have, so a larger
    number in a URL is a 404 like any other id that does not exist. The limit is
    in the pattern, not only checked after matching: a number that matches no
    rule's pattern is a 404 even where the path has rules for other methods."""

    regex = f"(?:{digits_at_most(MAX_DATABASE_INT)})"

    def __init__(
        self, map, fixed_digits=0, min=None, max=MAX_DATABASE_INT, signed=False
    ):
        super().__init__(
            map, fixed_digits=fixed_digits, min=min, max=max, signed=signed
        )


def register_url_converters(app: Flask) -> None:
    """Call before any route is added: a rule takes its converters when added."""
    app.url_map.converters["int"] = DatabaseIntConverter


@login_manager.user_loader
def load_user(session_id: str):
    """Session ids are "<user id>:<session version>" so old cookies can be revoked."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    read = g.pop(_PERSON_READER, None) or _read_person
    user = read(int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


_PERSON_READER = "person_reader"


def read_person_with(reader: Callable[[int], Any]) -> None:
    """Have this request read the signed-in person together with something its
    page needs anyway, in one statement: `reader(user_id)` returns the person
    (or None) and keeps the rest in the session. Call it before the person is
    first used, from a url_value_preprocessor; the statement should build on
    `person_statement()`, so the person comes as every page loads them."""
    g.setdefault(_PERSON_READER, reader)


def _read_person(user_id: int):
    return db.session.scalar(person_statement(), {"user_id": user_id})


@cache
def person_statement() -> sa.Select:
    """Built once, as every signed-in request runs it (parameter `user_id`).
    The navigation's unread count comes with the person, in the same statement."""
    from lms.users.models import User

    return (
        sa.select(User)
        .where(User.id == sa.bindparam("user_id"))
        .options(undefer(User.unread_notifications))
    )


def _is_text(value) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    )


def refuse_json_forms_cannot_read():
    """Pages read a JSON body as their form's fields (Flask-WTF does), which only
    an object of text values can be: anything else is the client's mistake, 400
    JSON, not a form crashing on a number or a list. The API reads its own bodies."""
    from lms.forms import json_object

    if not request.is_json or request.path.startswith("/api/"):
        return None
    body = json_object()
    if body is None or not all(_is_text(value) for value in body.values()):
        message = "Send the form's fields as a JSON object of text values."
        return jsonify(error="invalid", message=message), 400
    return None


def csrf_token() -> str:
    """Flask-WTF's signed CSRF token for this session, as `csrf_token()` in
    templates. Signing it (an HMAC and a timestamp) was a twentieth of a quiz
    page's time, so a token signed for the same session within the last
    eighth of the token's lifetime (an hour of the eight) is used again: it is
    still valid for at least seven eighths of its lifetime, and validation is
    Flask-WTF's own, unchanged."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g:
        return g.get(field)
    raw = session.get(field)
    signed = current_app.extensions.setdefault("signed_csrf_tokens", {})
    reuse_for = (current_app.config.get("WTF_CSRF_TIME_LIMIT") or 8 * 3600) / 8
    known = signed.get(raw) if raw else None
    if known is not None and time.monotonic() - known[1] < reuse_for:
        setattr(g, field, known[0])
        return known[0]
    token = generate_csrf()
    raw = session.get(field)
    with _signing:
        if len(signed) >= MAX_SIGNED_TOKENS:
            signed.clear()  # a day's sessions at most; signing again is cheap
        signed[raw] = (token, time.monotonic())
    return token


MAX_SIGNED_TOKENS = 20_000
_signing = threading.Lock()


def init_app(app: Flask) -> None:
    app.before_request(refuse_json_forms_cannot_read)
    # Registered after Flask-WTF's, so templates get this csrf_token().
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
