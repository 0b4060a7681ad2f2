"""Sign in, sign out and change password."""

from __future__ import annotations

import math
from datetime import datetime

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from lms import clock
from lms.api.views import PUBLIC_ENDPOINTS
from lms.auth import services, throttle
from lms.auth import tokens as api_tokens
from lms.auth.forms import LoginForm, PasswordChangeForm
from lms.auth.password_policy import MIN_PASSWORD_LENGTH
from lms.errors import DomainError
from lms.extensions import db, limiter
from lms.forms import EmptyForm

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        # The attempt is counted and committed before the password is checked:
        # the count must stand whatever the check says, and the slow hash is
        # better run without holding the database's write lock.
        wait_until = throttle.claim_attempt(form.email.data, clock.now())
        db.session.commit()
        if wait_until is not None:
            return _must_wait(form, wait_until)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(
                "That email and password do not match an active account."
            )
        else:
            throttle.forget(form.email.data)
            login_user(user)
            db.session.commit()
            target = form.next.data
            return redirect(
                target if services.is_safe_next(target) else url_for("dashboard.index")
            )
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


def _must_wait(form: LoginForm, until: datetime):
    seconds = max(1, math.ceil((until - clock.now()).total_seconds()))
    minutes = math.ceil(seconds / 60)
    form.password.errors.append(
        "Too many failed sign-ins for this account. Try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''}, or ask an administrator "
        "to reset your password."
    )
    response = current_app.make_response(
        (render_template("auth/login.html", form=form), 429)
    )
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        # Signing out ends every session of this account, not only this browser's.
        services.revoke_sessions(current_user)
        db.session.commit()
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except services.PasswordRejected as exc:
            form.new_password.errors.append(str(exc))
        except DomainError as exc:
            form.current_password.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(
                current_user
            )  # re-issue this browser's cookie with the new version
            flash(
                "Your password is changed. Other sessions were signed out.", "success"
            )
            return redirect(url_for("dashboard.index"))
    status = 400 if form.errors else 200
    return render_template(
        "auth/password_change.html",
        form=form,
        min_length=MIN_PASSWORD_LENGTH,
        must_change=current_user.must_change_password,
    ), status


# Where someone whose password must change may still go: what anyone may
# reach without signing in, and the pages that change the password or sign out.
OPEN_BEFORE_PASSWORD_CHANGE = frozenset(
    {
        "static",
        "bootstrap.static",
        "auth.change_password",
        "auth.logout",
        *PUBLIC_ENDPOINTS,
    }
)


@bp.before_app_request
def _password_change_first():
    """A password someone else chose (a reset, a new account) is changed before
    anything else: pages lead to the change form, API calls answer 403."""
    if request.endpoint in OPEN_BEFORE_PASSWORD_CHANGE:
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    message = "Choose your own password before you go on."
    if request.path.startswith("/api/"):
        response = jsonify({"error": "password_change_required", "message": message})
        response.status_code = 403
        return response
    flash(message, "warning")
    return redirect(url_for("auth.change_password"))


# --- personal API tokens ---------------------------------------------------------


def _tokens_page(form, new_token: str | None = None, status: int = 200):
    response = current_app.make_response(
        (
            render_template(
                "auth/tokens.html",
                tokens=api_tokens.tokens_for(current_user),
                form=form,
                revoke_form=EmptyForm(),
                new_token=new_token,
            ),
            status,
        )
    )
    response.headers["Cache-Control"] = "no-store"  # a new token is shown once
    return response


@bp.get("/account/tokens")
@login_required
def tokens():
    return _tokens_page(api_tokens.TokenForm(formdata=None))


@bp.post("/account/tokens")
@login_required
def create_token():
    form = api_tokens.TokenForm()
    if form.validate_on_submit():
        try:
            _token, raw = api_tokens.create_token(current_user, form.name.data)
        except DomainError as exc:
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            return _tokens_page(api_tokens.TokenForm(formdata=None), new_token=raw)
    return _tokens_page(form, status=400)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        token = api_tokens.revoke_token(current_user, token_id)
        db.session.commit()
        flash(
            f"Token “{token.name}” is revoked; scripts using it stop working.",
            "success",
        )
    return redirect(url_for("auth.tokens"))
