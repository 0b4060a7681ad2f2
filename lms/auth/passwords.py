"""Password hashing with argon2id (parameters from config; OWASP minimum in production)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from lms.auth.password_policy import MIN_PASSWORD_LENGTH  # noqa: F401 (re-exported)


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config["PASSWORD_HASH_PARAMS"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Spent on unknown e-mail addresses so a login's timing does not reveal who has an account.
_DUMMY: dict[str, str] = {}


def burn_time(password: str) -> None:
    key = str(current_app.config["PASSWORD_HASH_PARAMS"])
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("not-a-real-password")
    verify_password(_DUMMY[key], password)
