"""Skills, categories and the level method.

A skill or category from the content files is shown read-only (with the
note saying where to change it); posting a change to one answers 403.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.auth.permissions import permission_required
from lms.forms import page_number, page_size, require_button_post, service_action
from lms.origins import ORIGIN_FILE
from lms.skills import framework
from lms.skills.admin_views.blueprint import MANAGE, SETTINGS, bp, form_status
from lms.skills.forms import CategoryForm, SettingsForm, SkillFilterForm, SkillForm
from lms.skills.levels import Method
from lms.users.forms import options

STATUS_ARGS = {"active": "active", "inactive": "inactive", "all": ""}


# --- skills -------------------------------------------------------------------------


@bp.get("/")
@permission_required(MANAGE)
def skill_list():
    form = SkillFilterForm(request.args)
    form.category.choices = options(
        [("", "Any category")]
        + [(str(id_), label) for id_, label in framework.category_choices()]
    )
    form.validate()  # an unknown value only drops that filter
    category = form.category.data if not form.category.errors else ""
    status = form.status.data if form.status.data in STATUS_ARGS else "active"
    page = framework.skill_page(
        category_id=int(category) if category else None,
        status=STATUS_ARGS[status],
        page=page_number(),
        per_page=page_size(),
    )
    args = {k: v for k, v in (("category", category), ("status", status)) if v}
    return render_template(
        "skills_admin/skill_list.html", form=form, page=page, filter_args=args
    )


def _fill_categories(form: SkillForm) -> None:
    form.category_id.choices = options(framework.category_choices())


@bp.route("/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def skill_new():
    form = SkillForm()
    _fill_categories(form)
    if form.validate_on_submit():
        with service_action() as action:
            skill = framework.create_skill(
                slug=form.slug.data,
                name=form.name.data,
                description=form.description.data,
                category=framework.get_category(form.category_id.data),
                levels=form.levels(),
                by=current_user,
            )
        if action.ok:
            flash(f"Skill “{skill.name}” created.", "success")
            return redirect(url_for("skills_admin.skill_list"))
    return render_template(
        "skills_admin/skill_edit.html", form=form, skill=None
    ), form_status()


@bp.route("/<int:skill_id>", methods=["GET", "POST"])
@permission_required(MANAGE)
def skill_edit(skill_id: int):
    skill = framework.get_skill(skill_id)
    if skill.origin == ORIGIN_FILE:
        if request.method == "POST":
            framework.check_editable(skill, "skill")
        return render_template("skills_admin/skill_edit.html", form=None, skill=skill)
    form = SkillForm(obj=skill)
    del form.slug
    if request.method == "GET":
        form.fill_levels(skill.level_descriptors)
    _fill_categories(form)
    if form.validate_on_submit():
        with service_action() as action:
            framework.update_skill(
                skill,
                name=form.name.data,
                description=form.description.data,
                category=framework.get_category(form.category_id.data),
                levels=form.levels(),
                by=current_user,
            )
        if action.ok:
            flash(f"Saved the skill “{skill.name}”.", "success")
            return redirect(url_for("skills_admin.skill_edit", skill_id=skill_id))
        skill = framework.get_skill(skill_id)
    return render_template(
        "skills_admin/skill_edit.html", form=form, skill=skill
    ), form_status()


@bp.post("/<int:skill_id>/deactivate")
@permission_required(MANAGE)
def skill_deactivate(skill_id: int):
    return _set_active(skill_id, False)


@bp.post("/<int:skill_id>/reactivate")
@permission_required(MANAGE)
def skill_reactivate(skill_id: int):
    return _set_active(skill_id, True)


def _set_active(skill_id: int, active: bool):
    skill = framework.get_skill(skill_id)
    require_button_post()
    framework.check_editable(skill, "skill")
    with service_action() as action:
        framework.set_skill_active(skill, active, by=current_user)
    if action.ok:
        flash(
            f"“{skill.name}” is active again."
            if active
            else f"“{skill.name}” is deactivated: kept with its evidence and "
            "levels, hidden from new mappings, requirements and profiles.",
            "success",
        )
    return redirect(url_for("skills_admin.skill_edit", skill_id=skill_id))


# --- categories ---------------------------------------------------------------------


@bp.get("/categories")
@permission_required(MANAGE)
def category_list():
    page = framework.category_page(page=page_number(), per_page=page_size())
    counts = framework.skill_counts(c.id for c in page.items)
    return render_template("skills_admin/category_list.html", page=page, counts=counts)


@bp.route("/categories/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def category_new():
    form = CategoryForm()
    if form.validate_on_submit():
        with service_action() as action:
            category = framework.create_category(
                slug=form.slug.data,
                name=form.name.data,
                group=form.group.data,
                by=current_user,
            )
        if action.ok:
            flash(f"Category “{category.name}” created.", "success")
            return redirect(url_for("skills_admin.category_list"))
    return render_template(
        "skills_admin/category_edit.html", form=form, category=None
    ), form_status()


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@permission_required(MANAGE)
def category_edit(category_id: int):
    category = framework.get_category(category_id)
    if category.origin == ORIGIN_FILE:
        if request.method == "POST":
            framework.check_editable(category, "category")
        return render_template(
            "skills_admin/category_edit.html", form=None, category=category
        )
    form = CategoryForm(obj=category)
    del form.slug
    if form.validate_on_submit():
        with service_action() as action:
            framework.update_category(
                category, name=form.name.data, group=form.group.data, by=current_user
            )
        if action.ok:
            flash(f"Saved the category “{category.name}”.", "success")
            return redirect(url_for("skills_admin.category_list"))
        category = framework.get_category(category_id)
    return render_template(
        "skills_admin/category_edit.html", form=form, category=category
    ), form_status()


# --- the level method ---------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@permission_required(SETTINGS)
def settings():
    current = framework.framework_settings()
    method = Method.of(current)
    form = SettingsForm(
        data={
            "method": method.name,
            "recent_days": method.recent_days,
            "decay": method.decay,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        with service_action() as action:
            framework.update_settings(
                method=form.method.data,
                recent_days=form.recent_days.data,
                decay=form.decay.data,
                by=current_user,
            )
        if action.ok:
            flash("Saved the level method; everyone's levels follow it now.", "success")
            return redirect(url_for("skills_admin.settings"))
    return render_template(
        "skills_admin/settings_edit.html", form=form, method=method
    ), form_status()
