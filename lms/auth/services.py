"""Authentication use cases: check credentials, change passwords, revoke sessions."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from lms import clock
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


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and sign out every other session. Raises ValidationError."""
    if not verify_password(user.password_hash, current):
        raise ValidationError("Your current password is not right.")
    if current == new:
        raise ValidationError("Choose a password different from the current one.")
    set_password(user, new)
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
