"""Personal API tokens: create, list, revoke, and authenticate a Bearer request.

A token is "boa_" + 43 URL-safe characters (256 random bits). Only its
SHA-256 is stored, so a database leak does not hand out working tokens, and a
lookup is one indexed query. The plain token is shown once, on creation.
A token acts as its owner with the owner's role. A password change, a password
reset and deactivation revoke all of the owner's tokens, for good: reactivating
the account does not bring them back. Services flush; the view commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from lms import clock
from lms.auth.models import ApiToken
from lms.errors import NotFoundError, ValidationError
from lms.extensions import db
from lms.users.models import User

TOKEN_PREFIX = "boa_"
MAX_ACTIVE_TOKENS = 20
# last_used_at is a hint for the owner, not an audit log: write it at most once a
# minute so a busy script does not turn every API call into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[
            DataRequired(message="Name the token after the script that will use it."),
            Length(max=80),
        ],
    )


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def tokens_for(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Return the new row and the plain token (shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("Name the token after the script that will use it.")
    active = db.session.scalar(
        sa.select(sa.func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one first."
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name[:80], token_hash=hash_token(raw), prefix=raw[:10]
    )
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        raise NotFoundError("There is no such token.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        db.session.flush()
    return token


@cache
def _active_token_statement() -> sa.Select:
    """Built once: every API call runs it, and building it cost a third of that."""
    return (
        sa.select(ApiToken)
        .where(
            ApiToken.token_hash == sa.bindparam("hash"), ApiToken.revoked_at.is_(None)
        )
        .options(joinedload(ApiToken.user))
    )


def revoke_all(user: User) -> int:
    """Revoke every active token of the user; how many were revoked."""
    result = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def authenticate(raw: str) -> User | None:
    """The active owner of an active token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(_active_token_statement(), {"hash": hash_token(raw)})
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token.user
