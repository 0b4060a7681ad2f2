"""No log line holds a password, an API token or a session cookie.

A person signs in, fails to sign in, creates an API token, calls the API with
it, changes their password and fails to change it. Everything logged meanwhile
is captured at DEBUG from every logger (SQL statements and their parameters
included), with the line gunicorn's access log would write for each request
(its default format, `make run`'s `--access-logfile -`) and the audit log's
rows. None may contain a password typed, the token, or a session cookie's value.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import request_finished
from gunicorn.config import Config
from gunicorn.glogging import Logger

from lms.audit.models import AuditEvent
from lms.auth.tokens import TOKEN_PREFIX
from lms.extensions import db
from tests import factories

EMAIL = "priya@example.test"
WRONG = "not my password at all"
NEW_PASSWORD = "a brand new passphrase 42"


class AccessLog:
    """The lines gunicorn's access log would write, in its default format."""

    def __init__(self) -> None:
        self.config = Config()
        self.logger = Logger(self.config)
        self.lines: list[str] = []

    def record(self, sender, response, **extra) -> None:
        from flask import request

        environ = dict(request.environ)
        query = environ.get("QUERY_STRING")
        environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
        environ.setdefault("SERVER_PROTOCOL", "HTTP/1.1")
        served = SimpleNamespace(
            status=response.status,
            headers=list(response.headers.items()),
            sent=response.content_length,
        )
        asked = SimpleNamespace(headers=list(request.headers.items()))
        atoms = self.logger.atoms(served, asked, environ, timedelta(milliseconds=3))
        line = self.config.access_log_format % self.logger.atoms_wrapper_class(atoms)
        self.lines.append(line)


@pytest.fixture
def person(app):
    with app.app_context():
        user = factories.user("trainer", email=EMAIL, name="Priya Patel")
        db.session.commit()
        return user.id


def _cookie(app, client) -> str:
    name = app.config["SESSION_COOKIE_NAME"]
    for domain in (app.config.get("SERVER_NAME") or "localhost", "localhost"):
        cookie = client.get_cookie(name, domain=domain)
        if cookie is not None:
            return cookie.value
    raise AssertionError("no session cookie was set")


def _journey(app, client) -> dict[str, str]:
    """Sign-in, failures, a token and a password change; the secrets they used."""
    secrets = {"password": factories.PASSWORD, "wrong": WRONG, "new": NEW_PASSWORD}
    failed = client.post("/login", data={"email": EMAIL, "password": WRONG})
    assert failed.status_code == 400
    signed_in = client.post(
        "/login", data={"email": EMAIL, "password": factories.PASSWORD}
    )
    assert signed_in.status_code == 302
    secrets["cookie"] = _cookie(app, client)
    page = client.post("/account/tokens", data={"name": "nightly export"})
    assert page.status_code == 200
    secrets["token"] = token = _token_in(page)
    api = app.test_client().get(
        "/api/v1/me/skills", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 200
    refused = client.post(
        "/account/password",
        data={
            "current_password": WRONG,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert refused.status_code == 400
    changed = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    secrets["cookie after the change"] = _cookie(app, client)
    return secrets


def _token_in(page) -> str:
    found = re.search(
        rf"{TOKEN_PREFIX}[A-Za-z0-9_\-]{{20,}}", page.get_data(as_text=True)
    )
    assert found, "the new token is shown once on the tokens page"
    return found.group(0)


def test_no_log_line_holds_a_password_token_or_session_cookie(app, person, caplog):
    access = AccessLog()
    request_finished.connect(access.record, app)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")  # it sets WARN
    try:
        secrets = _journey(app, app.test_client())
    finally:
        request_finished.disconnect(access.record, app)
    with app.app_context():
        audit = [
            json.dumps({"action": e.action, "details": e.details}, ensure_ascii=False)
            for e in db.session.scalars(db.select(AuditEvent))
        ]

    logged = [record.getMessage() for record in caplog.records]
    logged += [str(record.args) for record in caplog.records if record.args]
    logged += access.lines + audit
    assert len(access.lines) == 6  # every request of the journey has its line
    # SQL is logged with its parameters: what the database is sent is checked too.
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)
    leaks = [
        (what, line[:200])
        for what, secret in secrets.items()
        for line in logged
        if secret and secret in line
    ]
    assert not leaks
