"""Domain errors and the HTTP error handlers (HTML for pages, JSON for the API)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
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
}


def _json_error(status: int, code: str, message: str):
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    return response


def _render_error(status: int, message: str | None = None):
    title = ERROR_TITLES.get(status, "Error")
    return render_template(
        "errors/error.html", status=status, title=title, message=message
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
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
