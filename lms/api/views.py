"""The /api/v1 blueprint: authentication, body limits, CSRF and the attempt calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from lms import clock
from lms.api import body as request_body
from lms.api.health import database_ready
from lms.api.openapi import build_openapi
from lms.attempts import links, policies, review, services, timing, writer
from lms.attempts.models import Assessment, Attempt
from lms.auth import tokens
from lms.auth.permissions import has_permission
from lms.errors import BUSY_RETRY_SECONDS, PermissionDeniedError
from lms.extensions import csrf, db, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Calls anyone may make without signing in.
PUBLIC_ENDPOINTS = frozenset({"api.live", "api.health", "api.openapi"})

# The blueprint does its own CSRF check, after it knows how the caller signed in.
csrf.exempt(bp)


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "300 per minute")


def _rate_key() -> str:
    """Per token or per signed-in user, so a classroom behind one NAT is not one client."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return "token:" + tokens.hash_token(header[7:].strip())[:24]
    user_id = str(session.get("_user_id") or "").split(":")[0]
    if user_id:
        return "user:" + user_id
    return "ip:" + (request.remote_addr or "unknown")


limiter.limit(
    _rate_limit,
    key_func=_rate_key,
    exempt_when=lambda: request.endpoint in PUBLIC_ENDPOINTS,
)(bp)


# --------------------------------------------------------------------------
# Request plumbing
# --------------------------------------------------------------------------


def error(status: int, code: str, message: str):
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# Bodies up to API_MAX_BODY_BYTES go to these calls; every other call takes at
# most API_MAX_SMALL_BODY_BYTES (starting and submitting need no body at all).
LARGE_BODY_ENDPOINTS = frozenset({"api.save_responses"})
JSON_BODY_ENDPOINTS = frozenset({"api.save_responses"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _body_limit() -> int:
    if request.endpoint in LARGE_BODY_ENDPOINTS:
        return current_app.config["API_MAX_BODY_BYTES"]
    return current_app.config["API_MAX_SMALL_BODY_BYTES"]


def _is_write() -> bool:
    return request.method in WRITE_METHODS and request.endpoint not in PUBLIC_ENDPOINTS


@bp.before_request
def _read_body():
    """The whole body first, bounded in size and time (lms.api.body), so nothing
    later in the request waits on the client."""
    limit = _body_limit()
    request.max_content_length = limit
    if not _is_write():
        return None
    try:
        request_body.read_body(request, limit, current_app.config["API_BODY_SECONDS"])
    except request_body.BodyRefused as exc:
        response = error(exc.status, exc.code, str(exc))
        if exc.status == 408:
            response.headers["Connection"] = "close"
        return response
    return None


@bp.before_request
def _authenticate():
    header = request.headers.get("Authorization")
    if header is not None:
        return _bearer(header)
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return error(
            401, "unauthorized", "Sign in, or send Authorization: Bearer <token>."
        )
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return None


@bp.before_request
def _take_writer_turn():
    """Only a signed-in write whose body is here and well formed waits for its turn
    to write (writer.take_writer_turn)."""
    if not _is_write():
        return None
    if request.endpoint in JSON_BODY_ENDPOINTS:
        g.api_json = request_body.parse_json_object(request.get_data(cache=True))
        if g.api_json is None:
            return error(
                400, "invalid_json", "Send a JSON object: {seq, responses, events?}."
            )
    g.api_writer_turn = writer.take_writer_turn()
    return None


@bp.teardown_request
def _end_writer_turn(exc):
    if g.pop("api_writer_turn", False):
        writer.end_writer_turn()


def _bearer(header: str):
    scheme, _, raw = header.partition(" ")
    user = tokens.authenticate(raw.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return error(
            401, "invalid_token", "The API token is missing, wrong or revoked."
        )
    g._login_user = user  # Flask-Login's current_user for this request only
    return None


@bp.errorhandler(CSRFError)
def _csrf_failed(exc: CSRFError):
    return error(400, "csrf_failed", f"{exc.description} Send the X-CSRFToken header.")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    refused = request_body.too_large(_body_limit())
    return error(refused.status, refused.code, str(refused))


def api_permission(capability: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not has_permission(current_user, capability):
                return error(403, "forbidden", "Your role does not allow this call.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _json_body() -> dict[str, Any]:
    """The JSON object the request was let in with (see _take_writer_turn)."""
    return g.api_json


def _committing_conflicts(action: Callable[[], Any]) -> Any:
    """Run a service call; when it ends in a 409, keep what it did first (an
    expiry it applied) before the error handler rolls the session back."""
    try:
        return action()
    except services.AttemptStateError:
        db.session.commit()
        raise


def _own_attempt(attempt_id: int, *, with_responses: bool = False) -> Attempt:
    attempt = services.get_attempt(attempt_id, with_responses=with_responses)
    if not policies.can_take_attempt(current_user, attempt):
        raise PermissionDeniedError("This attempt is not yours.")
    return attempt


# --------------------------------------------------------------------------
# Serialising
# --------------------------------------------------------------------------


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def timing_body(attempt: Attempt, now: datetime) -> dict[str, Any]:
    return {
        "started_at": iso(attempt.started_at),
        "deadline_at": iso(attempt.deadline_at),
        "submitted_at": iso(attempt.submitted_at),
        "server_now": iso(now),
        "remaining_ms": timing.remaining_ms(attempt.deadline_at, now)
        if attempt.is_live
        else 0,
        "grace_seconds": services.grace_seconds_of(attempt),
        "on_expiry": services.on_expiry_of(attempt),
    }


def attempt_body(attempt: Attempt, assessment: Assessment, now: datetime) -> dict:
    return {
        "id": attempt.id,
        "state": attempt.state,
        "kind": attempt.kind,
        "number": attempt.number,
        "finalized_by": attempt.finalized_by,
        "assessment": {"slug": assessment.slug, "title": assessment.title},
        **timing_body(attempt, now),
        "last_seq": attempt.last_seq,
        "links": _links(attempt),
    }


def live_body(attempt: Attempt, assessment: Assessment, now: datetime) -> dict:
    """A live attempt for its learner: what to show (never keys) and what was saved."""
    return {
        **attempt_body(attempt, assessment, now),
        "items": services.learner_items(attempt),
        "responses": services.responses_for(attempt),
    }


def _links(attempt: Attempt) -> dict[str, str]:
    return {
        "self": url_for("api.get_attempt", attempt_id=attempt.id),
        "responses": url_for("api.save_responses", attempt_id=attempt.id),
        "submit": url_for("api.submit_attempt", attempt_id=attempt.id),
        "page": links.take_url(attempt),
        "result": links.result_url(attempt),
    }


# --------------------------------------------------------------------------
# Calls
# --------------------------------------------------------------------------


@bp.get("/live")
def live():
    """200 "ok" while the process answers, touching nothing else: a liveness
    probe (restart the process when it fails), where /health says whether the
    app can take work now."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/health")
def health():
    """200 "ok" when the database can take a write; 503 busy otherwise."""
    if not database_ready():
        response = error(503, "busy", "The database cannot take a write right now.")
        response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return response
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_openapi())


@bp.post("/assessments/<slug>/attempts")
@api_permission("assessment.take")
def start_attempt(slug: str):
    assessment = services.get_published(slug)
    started = _committing_conflicts(
        lambda: services.start_attempt(current_user, assessment)
    )
    body = live_body(started.attempt, assessment, clock.now())
    db.session.commit()
    return jsonify(body), 201 if started.created else 200


@bp.put("/attempts/<int:attempt_id>/responses")
def save_responses(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    payload = _json_body()
    saved = _committing_conflicts(
        lambda: services.save_responses(
            attempt, payload.get("seq"), payload.get("responses"), payload.get("events")
        )
    )
    db.session.commit()
    return jsonify(
        {
            "saved_seq": saved.saved_seq,
            "last_seq": saved.last_seq,
            "remaining_ms": saved.remaining_ms,
            "server_now": iso(saved.server_now),
            "deadline_at": iso(saved.deadline_at),
        }
    )


@bp.post("/attempts/<int:attempt_id>/submit")
def submit_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id, with_responses=True)
    attempt = _committing_conflicts(lambda: services.submit_attempt(attempt))
    writer.commit_keeping_loaded()  # the review below only reads
    body = {
        "id": attempt.id,
        "state": attempt.state,
        "finalized_by": attempt.finalized_by,
        "submitted_at": iso(attempt.submitted_at),
        "result": review.result_for(attempt, current_user),
        "links": {"result": links.result_url(attempt)},
    }
    return jsonify(body)


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int):
    attempt = services.get_attempt(attempt_id)
    if not policies.can_view_attempt(current_user, attempt):
        raise PermissionDeniedError("You cannot see this attempt.")
    now = clock.now()
    services.expire_if_due(attempt, now)
    if attempt.is_live and policies.is_owner(current_user, attempt):
        body = live_body(attempt, attempt.assessment, now)
    else:
        body = attempt_body(attempt, attempt.assessment, now)
    body["result"] = review.result_for(attempt, current_user, now)
    if policies.is_staff_viewer(current_user, attempt):
        body["user"] = {"id": attempt.user.id, "name": attempt.user.name}
        body["flags"] = attempt.flags or []
    db.session.commit()
    return jsonify(body)
