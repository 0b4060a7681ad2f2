"""Domain errors and the HTTP error handlers (HTML for pages, JSON for the API).

A database that is busy — SQLite locked for longer than its busy timeout, a
PostgreSQL lock or serialization conflict, a lost connection — answers 503 with
Retry-After: nothing is broken, the request can simply be sent again (the
browser's attempt client does so by itself). Other database errors stay 500s.

A full disk (no space left, a quota or a file-size limit reached) answers 507
with a message saying so: the request stored nothing, and only an operator
freeing space helps, so it is logged as an error but without a stack trace.
"""

from __future__ import annotations

import errno

import sqlalchemy as sa
from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from lms.extensions import db


class DomainError(Exception):
    """A rule of the domain was broken; the message is written for the user."""

    code = "invalid"
    status = 400


class NotFoundError(DomainError):
    code = "not_found"
    status = 404


class PermissionDeniedError(DomainError):
    code = "forbidden"
    status = 403


class ConflictError(DomainError):
    code = "conflict"
    status = 409


class ValidationError(DomainError):
    code = "invalid"
    status = 400


class BusyError(DomainError):
    """The database cannot take the request now; the client should send it again."""

    code = "busy"
    status = 503


def wants_json() -> bool:
    """API paths and clients that ask for JSON get JSON errors."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and not request.accept_mimetypes["text/html"]


ERROR_TITLES = {
    400: "That request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "That conflicts with the current state",
    413: "That upload is too large",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "Busy for a moment",
    507: "Out of storage space",
}

# How long a client is asked to wait before sending a request again when busy.
BUSY_RETRY_SECONDS = 3
BUSY_MESSAGE = (
    "The system is busy for a moment. Everything you saved before is kept; "
    "try again in a few seconds."
)
# SQLite says this when its write lock stayed taken for the whole busy timeout.
SQLITE_BUSY_TEXTS = ("database is locked", "database table is locked", "is busy")
# PostgreSQL SQLSTATEs that mean "try again": lock_not_available,
# serialization_failure, deadlock_detected, query_canceled (a statement timeout),
# admin_shutdown, crash_shutdown, cannot_connect_now; and class 08, connection
# exceptions.
BUSY_SQLSTATES = frozenset(
    {"55P03", "40001", "40P01", "57014", "57P01", "57P02", "57P03"}
)
CONNECTION_SQLSTATE_CLASS = "08"

STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
STORAGE_FULL_MESSAGE = (
    "The server has run out of storage space, so this could not be completed. "
    "Nothing was changed; try again later, and tell your administrator if it "
    "happens again."
)


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "busy or unreachable for now, try again"."""
    if isinstance(exc, sa.exc.TimeoutError):  # no pooled connection came free
        return True
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state:
        return state in BUSY_SQLSTATES or state.startswith(CONNECTION_SQLSTATE_CLASS)
    if not isinstance(exc, sa.exc.OperationalError):
        return False
    if type(orig).__module__.startswith("psycopg"):
        return True  # psycopg gives no SQLSTATE only when the connection failed
    text = str(orig).lower()
    return any(busy in text for busy in SQLITE_BUSY_TEXTS)


def _json_error(status: int, code: str, message: str):
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    return response


def _render_error(status: int, message: str | None = None):
    title = ERROR_TITLES.get(status, "Error")
    return render_template(
        "errors/error.html", status=status, title=title, message=message
    ), status


def _busy_response():
    if wants_json():
        response = _json_error(503, "busy", BUSY_MESSAGE)
    else:
        try:
            response = make_response(_render_error(503, BUSY_MESSAGE))
        except sa.exc.SQLAlchemyError:  # the page itself needed the database
            db.session.rollback()
            response = make_response(
                f"<!doctype html><title>Busy</title><p>{BUSY_MESSAGE}</p>", 503
            )
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        db.session.close()  # the connection is gone; the pool makes a new one


def init_app(app: Flask) -> None:
    @app.errorhandler(sa.exc.DBAPIError)
    @app.errorhandler(sa.exc.TimeoutError)
    def handle_database_error(exc: sa.exc.SQLAlchemyError):
        if not is_busy(exc):
            raise exc  # a real fault: logged and answered as any other 500
        _rollback_quietly()
        # The driver's message only: the statement's parameters may hold secrets.
        current_app.logger.warning(
            "Database busy on %s %s: %s",
            request.method,
            request.path,
            getattr(exc, "orig", None) or type(exc).__name__,
        )
        return _busy_response()

    @app.errorhandler(OSError)
    def handle_storage_full(exc: OSError):
        if exc.errno not in STORAGE_FULL_ERRNOS:
            raise exc  # any other system error is a 500 as before
        _rollback_quietly()
        current_app.logger.error(
            "Storage full on %s %s: %s", request.method, request.path, exc
        )
        if wants_json():
            return _json_error(507, "storage_full", STORAGE_FULL_MESSAGE)
        return _render_error(507, STORAGE_FULL_MESSAGE)

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        if isinstance(exc, BusyError):
            _rollback_quietly()
            return _busy_response()
        db.session.rollback()
        if wants_json():
            return _json_error(exc.status, exc.code, str(exc))
        return _render_error(exc.status, str(exc))

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            return _json_error(status, code, exc.description or exc.name)
        return _render_error(
            status, exc.description if status in (400, 409, 429) else None
        )

    @app.errorhandler(500)
    def handle_server_error(exc):
        # A failed request must not leave a half-written transaction for the next one.
        db.session.rollback()
        if wants_json():
            return _json_error(500, "server_error", "An unexpected error occurred.")
        return _render_error(500)
