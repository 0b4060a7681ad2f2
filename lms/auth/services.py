"""Authentication use cases: check credentials, change and reset passwords, revoke
sessions and API tokens."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from lms import clock
from lms.auth import tokens
from lms.auth.password_policy import password_problems
from lms.auth.passwords import burn_time, hash_password, verify_password
from lms.errors import ValidationError
from lms.extensions import db
from lms.users.models import User


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = db.session.scalar(
        sa.select(User).where(User.email == normalise_email(email))
    )
    if user is None:
        burn_time(password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = clock.now()
    return user


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class PasswordRejected(ValidationError):
    """A new password the policy (lms.auth.password_policy) refuses."""


def check_new_password(password: str, *, email: str, name: str) -> None:
    """Raise PasswordRejected, saying why, unless the policy accepts the password."""
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise PasswordRejected(" ".join(problems))


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password to one the person chose, sign out every other session
    and revoke every API token. Raises ValidationError (PasswordRejected for the
    new password itself)."""
    if not verify_password(user.password_hash, current):
        raise ValidationError("Your current password is not right.")
    if current == new:
        raise PasswordRejected("Choose a password different from the current one.")
    check_new_password(new, email=user.email, name=user.name)
    set_password(user, new)
    user.must_change_password = False
    revoke_access(user)


def reset_password(user: User, one_time: str) -> None:
    """An administrator's reset: the one-time password works once, for choosing
    a new one at the next sign-in; sessions and API tokens end now."""
    set_password(user, one_time)
    user.must_change_password = True
    revoke_access(user)


def revoke_access(user: User) -> None:
    """End every session and revoke every API token of the user."""
    tokens.revoke_all(user)
    revoke_sessions(user)


def revoke_sessions(user: User) -> None:
    """Invalidate every session cookie issued to the user so far."""
    user.session_version += 1
    db.session.flush()


def is_safe_next(target: str | None) -> bool:
    """Only local absolute paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
