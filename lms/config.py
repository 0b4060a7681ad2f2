"""Default settings. instance/config.py and LMS_* environment variables override them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from lms.types import read_json

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1.
ARGON2_OWASP = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}


class Config:
    # No SECRET_KEY here: create_app() reads LMS_SECRET_KEY / instance config, or
    # generates one into instance/secret_key on first run.
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = "sqlite:///lms.sqlite"  # relative to instance/
    # A pooled PostgreSQL connection is tested before use (lms/connections.py),
    # so after the server restarts each worker reconnects by itself.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"json_deserializer": read_json}
    SQLITE_BUSY_TIMEOUT_MS = 10_000

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set LMS_SESSION_COOKIE_SECURE=true behind HTTPS
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_ENABLED = True
    # Longer than the longest timed test plus a coffee break: a learner must be able
    # to submit a 60-minute assessment with the token the page was rendered with.
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    PASSWORD_HASH_PARAMS = ARGON2_OWASP
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    RATELIMIT_ENABLED = True
    # Per worker; "redis://host:6379/0" shares the per-address limits between
    # workers and hosts (the per-account sign-in back-off is in the database).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True

    BOOTSTRAP_SERVE_LOCAL = True
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    API_MAX_BODY_BYTES = 512 * 1024  # an autosave with its keystroke events
    API_MAX_SMALL_BODY_BYTES = 16 * 1024  # every other API call
    API_BODY_SECONDS = 10  # a request body must arrive within this time

    ATTEMPT_GRACE_SECONDS = 30
    KEYSTROKE_RETENTION_DAYS = 90

    CONTENT_COURSES_DIR = str(PROJECT_ROOT / "courses")
    CONTENT_QUIZZES_DIR = str(PROJECT_ROOT / "quizzes")

    # The demo accounts' password (it passes the password policy).
    DEMO_PASSWORD = "ledger-lantern-sunrise"
    ENV_NAME = (
        "development"  # "production" makes `flask seed demo` refuse without --force
    )
    PAGE_SIZE = 25
    # The zone of every displayed and typed time for people who have not chosen one
    # (an IANA name; stored times are always UTC).
    DEFAULT_TIME_ZONE = "Asia/Kolkata"
