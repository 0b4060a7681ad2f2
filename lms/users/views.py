"""Administration of people and teams (capability "user.admin": admins only).

CSV import runs in two steps without keeping anything on the server: the upload is
checked and shown as a preview; when it has no problems, the preview page carries the
file's text in a hidden field signed with the app's SECRET_KEY (itsdangerous, one hour).
"Import N people" sends it back; the signature proves it is the previewed file, and
the file is checked again against the database before anything is written. The field
is signed, not encrypted: it holds only what the admin uploaded, and those pages are
sent with Cache-Control: no-store. Generated passwords are shown once, on the page
that answers the import (a redirect would need somewhere to keep them).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from lms.auth.permissions import permission_required
from lms.extensions import db
from lms.forms import EmptyForm, page_number, service_action
from lms.users import csv_import, services
from lms.users.forms import (
    NO_CHOICE,
    ImportConfirmForm,
    ImportUploadForm,
    TeamForm,
    TeamMembersForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    options,
)
from lms.users.models import Role, Team, User

bp = Blueprint("users", __name__, url_prefix="/admin")

IMPORT_SALT = "users.import"
IMPORT_MAX_AGE = 3600  # seconds between the preview and "Import N people"


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def _team_or_none(team_id: int) -> Team | None:
    return db.get_or_404(Team, team_id) if team_id != NO_CHOICE else None


def _user_or_none(user_id: int) -> User | None:
    return db.get_or_404(User, user_id) if user_id != NO_CHOICE else None


def _fill_user_choices(form: UserEditForm) -> None:
    form.team_id.choices = options([(NO_CHOICE, "No team"), *services.team_choices()])


def _fill_manager_choices(form: TeamForm, current: User | None = None) -> None:
    choices = services.manager_choices()
    if current is not None and all(value != current.id for value, _ in choices):
        # Keep a deactivated manager selectable so saving the name does not drop them.
        choices.append((current.id, f"{current.name} ({current.email}) · deactivated"))
    form.manager_id.choices = options([(NO_CHOICE, "No manager"), *choices])


# --- People ---------------------------------------------------------------------------


@bp.get("/users")
@permission_required("user.admin")
def admin_list():
    form = UserFilterForm(request.args)
    form.team.choices = options(
        [
            ("", "Any team"),
            (services.NO_TEAM, "No team"),
            *((str(team_id), name) for team_id, name in services.team_choices()),
        ]
    )
    form.validate()  # an unknown value only drops that filter
    team = form.team.data if not form.team.errors else ""
    filters = services.UserFilters(
        q=(form.q.data or "") if not form.q.errors else "",
        role=Role(form.role.data) if form.role.data and not form.role.errors else None,
        team=None if not team else (team if team == services.NO_TEAM else int(team)),
        active={"active": True, "inactive": False}.get(form.status.data or ""),
    )
    page = services.list_users(filters, page=page_number(), per_page=_per_page())
    args = {
        key: value
        for key, value in (
            ("q", filters.q),
            ("role", form.role.data if filters.role else ""),
            ("team", team),
            ("status", form.status.data if filters.active is not None else ""),
        )
        if value
    }
    return render_template(
        "users/user_list.html", form=form, page=page, filter_args=args
    )


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required("user.admin")
def user_create():
    form = UserCreateForm()
    _fill_user_choices(form)
    if form.validate_on_submit():
        password = form.password.data or services.generate_password()
        with service_action() as action:
            user = services.create_user(
                email=form.email.data,
                name=form.name.data,
                password=password,
                role=form.role.data,
                team=_team_or_none(form.team_id.data),
                job_title=(form.job_title.data or "").strip() or None,
                must_change_password=True,  # the person chooses their own
            )
        if action.ok:
            if form.password.data:
                flash(
                    f"Account created for {user.name}. They choose their own "
                    "password when they first sign in.",
                    "success",
                )
            else:
                flash(
                    f"Account created for {user.name}. Their password is {password} "
                    "— it is shown only this once; give it to them now. They "
                    "choose their own when they first sign in.",
                    "success",
                )
            return redirect(url_for("users.admin_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("users/user_create.html", form=form), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required("user.admin")
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if request.method == "GET":
        form.role.data = user.role.value
        form.team_id.data = user.team_id or NO_CHOICE
        form.time_zone.data = user.time_zone or ""
    _fill_user_choices(form)
    if form.validate_on_submit():
        with service_action() as action:
            services.update_user(
                user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                team=_team_or_none(form.team_id.data),
                job_title=form.job_title.data,
                by=current_user,
            )
            services.set_time_zone(user, form.time_zone.data)
        if action.ok:
            flash(f"Saved the changes to {user.name}.", "success")
            return redirect(url_for("users.admin_list"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "users/user_edit.html", form=form, user=user, action_form=EmptyForm()
    ), status


@bp.post("/users/<int:user_id>/deactivate")
@permission_required("user.admin")
def user_deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with service_action() as action:
        services.deactivate(user, by=current_user)
    if action.ok:
        flash(
            f"{user.name} is deactivated and signed out everywhere. "
            "Their records are kept.",
            "success",
        )
    return redirect(url_for("users.user_edit", user_id=user_id))


@bp.post("/users/<int:user_id>/reset-password")
@permission_required("user.admin")
def user_reset_password(user_id: int):
    """Shown, not redirected: the one-time password is on this page only."""
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        abort(400, "Change your own password on your account page.")
    one_time = services.reset_password(user, by=current_user)
    db.session.commit()
    html = render_template(
        "users/password_reset_done.html", user=user, one_time=one_time
    )
    return _no_store(make_response(html))


@bp.post("/users/<int:user_id>/reactivate")
@permission_required("user.admin")
def user_reactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.reactivate(user, by=current_user)
    db.session.commit()
    flash(f"{user.name} can sign in again.", "success")
    return redirect(url_for("users.user_edit", user_id=user_id))


# --- CSV import -----------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=IMPORT_SALT)


def _no_store(response: Response) -> Response:
    """Pages that carry uploaded or generated passwords stay out of caches and history."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_import(upload: ImportUploadForm, result=None, confirm=None, status=200):
    html = render_template(
        "users/user_import.html",
        form=upload,
        result=result,
        confirm=confirm,
        max_rows=csv_import.MAX_ROWS,
    )
    return _no_store(make_response(html, status))


@bp.get("/users/import")
@permission_required("user.admin")
def user_import():
    return _render_import(ImportUploadForm())


@bp.post("/users/import")
@permission_required("user.admin")
def user_import_preview():
    upload = ImportUploadForm()
    if not upload.validate_on_submit():
        return _render_import(upload, status=400)
    data = upload.file.data.read()
    create_teams = bool(upload.create_missing_teams.data)
    result = services.preview_import(data, create_missing_teams=create_teams)
    if not result.ok:
        return _render_import(upload, result=result, status=400)
    confirm = ImportConfirmForm(
        formdata=None,
        payload=_serializer().dumps(
            {"csv": data.decode("utf-8-sig"), "create_missing_teams": create_teams}
        ),
    )
    return _render_import(upload, result=result, confirm=confirm)


@bp.post("/users/import/confirm")
@permission_required("user.admin")
def user_import_confirm():
    confirm = ImportConfirmForm()
    upload = ImportUploadForm(formdata=None)
    if not confirm.validate_on_submit():
        abort(400)
    try:
        payload = _serializer().loads(confirm.payload.data, max_age=IMPORT_MAX_AGE)
    except BadSignature:  # also covers SignatureExpired
        flash(
            "That preview has expired or was altered; upload the file again.", "danger"
        )
        return _render_import(upload, status=400)
    upload.create_missing_teams.data = payload["create_missing_teams"]
    try:
        outcome = services.import_users(
            payload["csv"], create_missing_teams=payload["create_missing_teams"]
        )
    except services.ImportRejectedError as exc:
        db.session.rollback()
        flash(f"{exc} Something changed since the preview.", "danger")
        return _render_import(upload, result=exc.validation, status=400)
    db.session.commit()
    # Rendered, not redirected: generated passwords are shown once and stored nowhere.
    html = render_template("users/user_import_done.html", outcome=outcome)
    return _no_store(make_response(html))


@bp.get("/users/import/sample.csv")
@permission_required("user.admin")
def import_sample():
    return Response(
        csv_import.SAMPLE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=people-sample.csv"},
    )


# --- Teams ----------------------------------------------------------------------------


@bp.get("/teams")
@permission_required("user.admin")
def team_list():
    page = services.list_teams(page=page_number(), per_page=_per_page())
    return render_template("users/team_list.html", page=page)


@bp.route("/teams/new", methods=["GET", "POST"])
@permission_required("user.admin")
def team_create():
    form = TeamForm()
    _fill_manager_choices(form)
    if form.validate_on_submit():
        with service_action() as action:
            team = services.create_team(
                form.name.data, _user_or_none(form.manager_id.data)
            )
        if action.ok:
            flash(f"Team “{team.name}” created. Now add its members.", "success")
            return redirect(url_for("users.team_detail", team_id=team.id))
    status = 400 if request.method == "POST" else 200
    return render_template("users/team_create.html", form=form), status


def _team(team_id: int) -> Team:
    return db.get_or_404(Team, team_id, options=[joinedload(Team.manager)])


def _render_team(team: Team, form: TeamForm, members_form: TeamMembersForm, status=200):
    q = request.args.get("q", "").strip()[:120]
    members_form.user_ids.choices = options(services.member_candidates(team, q))
    return render_template(
        "users/team_detail.html",
        team=team,
        form=form,
        members_form=members_form,
        members=services.team_member_page(
            team, page=page_number(), per_page=_per_page()
        ),
        q=q,
        candidate_limit=services.MEMBER_CANDIDATE_LIMIT,
        action_form=EmptyForm(),
    ), status


@bp.get("/teams/<int:team_id>")
@permission_required("user.admin")
def team_detail(team_id: int):
    team = _team(team_id)
    form = TeamForm(obj=team)
    form.manager_id.data = team.manager_id or NO_CHOICE
    _fill_manager_choices(form, team.manager)
    return _render_team(team, form, TeamMembersForm(formdata=None))


@bp.post("/teams/<int:team_id>")
@permission_required("user.admin")
def team_update(team_id: int):
    team = _team(team_id)
    form = TeamForm()
    _fill_manager_choices(form, team.manager)
    if form.validate_on_submit():
        with service_action() as action:
            services.update_team(
                team, name=form.name.data, manager=_user_or_none(form.manager_id.data)
            )
        if action.ok:
            flash(f"Saved team “{team.name}”.", "success")
            return redirect(url_for("users.team_detail", team_id=team.id))
        else:
            team = _team(team_id)
    return _render_team(team, form, TeamMembersForm(formdata=None), status=400)


@bp.post("/teams/<int:team_id>/members")
@permission_required("user.admin")
def team_add_members(team_id: int):
    team = _team(team_id)
    members_form = TeamMembersForm()
    if members_form.validate_on_submit():
        with service_action() as action:
            added = services.add_members(team, members_form.user_ids.data)
        if action.ok:
            flash(
                f"Added {len(added)} {'person' if len(added) == 1 else 'people'} "
                f"to {team.name}.",
                "success",
            )
            return redirect(url_for("users.team_detail", team_id=team.id))
        else:
            team = _team(team_id)
    form = TeamForm(formdata=None, obj=team)
    form.manager_id.data = team.manager_id or NO_CHOICE
    _fill_manager_choices(form, team.manager)
    return _render_team(team, form, members_form, status=400)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@permission_required("user.admin")
def team_remove_member(team_id: int, user_id: int):
    team = _team(team_id)
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with service_action() as action:
        services.remove_member(team, user)
    if action.ok:
        flash(f"{user.name} is no longer in {team.name}.", "success")
    return redirect(url_for("users.team_detail", team_id=team.id))
