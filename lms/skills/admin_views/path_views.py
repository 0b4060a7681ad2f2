"""Career paths, their roles in ladder order, and each role's required levels.

Paths and roles from the content files are shown read-only (with their
requirements); posting a change to one answers 403 with where to change it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.auth.permissions import permission_required
from lms.forms import EmptyForm, page_number, page_size, service_action
from lms.origins import ORIGIN_FILE
from lms.skills import paths
from lms.skills.admin_views.blueprint import MANAGE, bp, form_status
from lms.skills.forms import MoveForm, PathForm, RoleForm, requirements_form
from lms.skills.profile import active_skills


@bp.get("/paths")
@permission_required(MANAGE)
def path_list():
    page = paths.path_page(page=page_number(), per_page=page_size())
    roles = paths.roles_by_path(p.id for p in page.items)
    return render_template("skills_admin/path_list.html", page=page, roles=roles)


@bp.route("/paths/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def path_new():
    form = PathForm()
    if form.validate_on_submit():
        with service_action() as action:
            path = paths.create_path(
                slug=form.slug.data,
                name=form.name.data,
                description=form.description.data,
                is_side_path=form.is_side_path.data,
                by=current_user,
            )
        if action.ok:
            flash(f"Career path “{path.name}” created. Now add its roles.", "success")
            return redirect(url_for("skills_admin.path_edit", path_id=path.id))
    return render_template(
        "skills_admin/path_edit.html", form=form, path=None, roles=[]
    ), form_status()


@bp.route("/paths/<int:path_id>", methods=["GET", "POST"])
@permission_required(MANAGE)
def path_edit(path_id: int):
    path = paths.get_path(path_id)
    if path.origin == ORIGIN_FILE:
        if request.method == "POST":
            paths.check_editable(path, "career path")
        form = None
    else:
        form = PathForm(obj=path)
        del form.slug
        if form.validate_on_submit():
            with service_action() as action:
                paths.update_path(
                    path,
                    name=form.name.data,
                    description=form.description.data,
                    is_side_path=form.is_side_path.data,
                    by=current_user,
                )
            if action.ok:
                flash(f"Saved the career path “{path.name}”.", "success")
                return redirect(url_for("skills_admin.path_edit", path_id=path_id))
            path = paths.get_path(path_id)
    return render_template(
        "skills_admin/path_edit.html",
        form=form,
        path=path,
        roles=paths.path_roles(path),
        action_form=EmptyForm(),
    ), form_status()


@bp.route("/paths/<int:path_id>/roles/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def role_new(path_id: int):
    path = paths.get_path(path_id)
    paths.check_editable(path, "career path")
    form = RoleForm()
    if form.validate_on_submit():
        with service_action() as action:
            role = paths.create_role(
                path,
                slug=form.slug.data,
                name=form.name.data,
                description=form.description.data,
                by=current_user,
            )
        if action.ok:
            flash(f"Role “{role.name}” added. Now set its required levels.", "success")
            return redirect(url_for("skills_admin.role_requirements", role_id=role.id))
        path = paths.get_path(path_id)
    return render_template(
        "skills_admin/role_edit.html", form=form, path=path, role=None
    ), form_status()


@bp.route("/roles/<int:role_id>", methods=["GET", "POST"])
@permission_required(MANAGE)
def role_edit(role_id: int):
    role = paths.get_role(role_id)
    if role.origin == ORIGIN_FILE:
        if request.method == "POST":
            paths.check_editable(role, "role")
        form = None
    else:
        form = RoleForm(obj=role)
        del form.slug
        if form.validate_on_submit():
            with service_action() as action:
                paths.update_role(
                    role,
                    name=form.name.data,
                    description=form.description.data,
                    by=current_user,
                )
            if action.ok:
                flash(f"Saved the role “{role.name}”.", "success")
                return redirect(url_for("skills_admin.path_edit", path_id=role.path_id))
            role = paths.get_role(role_id)
    return render_template(
        "skills_admin/role_edit.html",
        form=form,
        path=role.path,
        role=role,
        requirements=paths.requirement_rows(role),
    ), form_status()


@bp.route("/roles/<int:role_id>/requirements", methods=["GET", "POST"])
@permission_required(MANAGE)
def role_requirements(role_id: int):
    role = paths.get_role(role_id)
    if role.origin == ORIGIN_FILE:
        if request.method == "POST":
            paths.check_editable(role, "role")
        return render_template(
            "skills_admin/requirements_edit.html",
            role=role,
            form=None,
            rows=[],
            requirements=paths.requirement_rows(role),
        )
    skills = active_skills()
    current = paths.requirements_of([role.id])[role.id]
    form = requirements_form(skills, current, submitted=request.method == "POST")
    if form.validate_on_submit():
        with service_action() as action:
            changed = paths.set_requirements(role, form.levels(), by=current_user)
        if action.ok:
            flash(
                f"Saved the required levels of “{role.name}” "
                f"({changed} change{'s' if changed != 1 else ''}).",
                "success",
            )
            return redirect(url_for("skills_admin.role_requirements", role_id=role_id))
        role = paths.get_role(role_id)
    return render_template(
        "skills_admin/requirements_edit.html",
        role=role,
        form=form,
        rows=[(skill, form[f"skill_{skill.id}"]) for skill in skills],
        requirements=[],
    ), form_status()


@bp.post("/roles/<int:role_id>/move")
@permission_required(MANAGE)
def role_move(role_id: int):
    role = paths.get_role(role_id)
    form = MoveForm()
    paths.check_editable(role, "role")
    if not form.validate_on_submit():
        abort(400, "Move a role earlier or later on its path.")
    with service_action():
        moved = paths.move_role(role, form.direction.data, by=current_user)
    if not moved:
        flash(f"“{role.name}” is already at that end of the path.", "info")
    return redirect(url_for("skills_admin.path_edit", path_id=role.path_id))
