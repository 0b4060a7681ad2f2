"""Shared form bases and validators."""

import re

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that POST."""


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}$")


class EmailAddress:
    """A plain shape check. Deliverability is not ours to judge, and internal
    domains (like the demo's .test) must be accepted."""

    def __init__(self, message: str = "Enter an email address like name@company.com."):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and not EMAIL_RE.match(field.data.strip()):
            raise ValidationError(self.message)


def strip_text(value):
    """WTForms filter: trim surrounding spaces from text input."""
    return value.strip() if isinstance(value, str) else value


def require_button_post() -> None:
    """Buttons that POST carry only the CSRF token; refuse the request without it."""
    from flask import abort

    if not EmptyForm().validate_on_submit():
        abort(400, "The form expired. Reload the page and try again.")


# No list has this many pages; a larger ?page= would overflow the query's OFFSET.
MAX_PAGE = 1_000_000


def page_number() -> int:
    """The `?page=` of a list page: 1 when absent or nonsense, at most MAX_PAGE
    (an empty page, as any page past the end)."""
    from flask import request

    return min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)


# The largest id a database column holds: ids are INTEGER columns, 32-bit signed
# on PostgreSQL (SQLite would hold 64 bits); a larger number is no id.
MAX_ID = 2**31 - 1
# Optional sign and at most 19 digits: longer numbers cannot be ids, and int()
# would also read spaces, underscores and other scripts' digits.
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def to_int(raw, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """`raw` as a whole number within [minimum, maximum], or None when it is
    absent, not a plain integer or out of range (so it never reaches a query
    as a number the database cannot hold)."""
    if not isinstance(raw, str) or not _INTEGER.fullmatch(raw.strip()):
        return None
    value = int(raw.strip())
    return value if minimum <= value <= maximum else None


def int_arg(
    name: str, default=None, *, minimum: int = 1, maximum: int = MAX_ID, source=None
):
    """A number from the query string (or `source`, e.g. request.form):
    `default` when absent, invalid or out of range."""
    from flask import request

    value = to_int(
        (request.args if source is None else source).get(name),
        minimum=minimum,
        maximum=maximum,
    )
    return default if value is None else value


def int_list(
    name: str, *, source=None, minimum: int = 1, maximum: int = MAX_ID
) -> list[int]:
    """Every valid number given under `name` (ticked boxes, repeated query
    arguments), skipping the ones to_int refuses."""
    from flask import request

    values = (
        to_int(raw, minimum=minimum, maximum=maximum)
        for raw in (request.args if source is None else source).getlist(name)
    )
    return [value for value in values if value is not None]


def json_object() -> dict | None:
    """A JSON request body as an object, or None when it is not JSON, not an
    object, or nested deeper than the API accepts (its size is bounded by
    MAX_CONTENT_LENGTH)."""
    from flask import request

    from lms.api.body import parse_json_object

    if not request.is_json:
        return None
    return parse_json_object(request.get_data(cache=True))


def page_size() -> int:
    from flask import current_app

    return current_app.config.get("PAGE_SIZE", 25)


class ServiceAction:
    """One user action as one transaction, for views:

        with service_action() as action:
            services.publish(quiz)
        if action.ok:
            flash("Published.", "success")

    Commits when the block finishes; on a DomainError rolls back and flashes the
    message (written for the user) instead of raising. Other errors propagate."""

    def __init__(self) -> None:
        self.ok = False
        self.error: Exception | None = None

    def __enter__(self) -> "ServiceAction":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        from flask import flash

        from lms.errors import DomainError
        from lms.extensions import db

        if exc_type is None:
            db.session.commit()
            self.ok = True
            return False
        if issubclass(exc_type, DomainError):
            db.session.rollback()
            flash(str(exc), "danger")
            self.error = exc
            return True
        return False


service_action = ServiceAction
