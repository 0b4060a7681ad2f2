"""Trainers map courses, quizzes and keying tests to skills (blueprint
`skill_mappings`).

One page per course or assessment lists its mappings with their rules and
adds new ones; each browser mapping has its own page to change the rule or
remove it. Mappings from the content files are shown read-only with where to
change them. Who may map what is lms.skills.mappings.can_map (403 otherwise).

Decision: a subject's mappings are not paginated: there is at most one per
skill, and the framework holds tens of skills, not thousands.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.attempts.models import Assessment
from lms.courses.models import Course
from lms.extensions import db
from lms.forms import EmptyForm, require_button_post, service_action
from lms.origins import ORIGIN_FILE
from lms.skills import mappings, rules
from lms.skills.mapping_forms import MappingRuleForm, NewMappingForm
from lms.skills.models import Skill, SkillMapping

bp = Blueprint("skill_mappings", __name__)


@bp.route(
    "/manage/skills/mappings/assessments/<int:assessment_id>", methods=["GET", "POST"]
)
@login_required
def assessment_mappings(assessment_id: int):
    return _mappings_page(_mappable(db.get_or_404(Assessment, assessment_id)))


@bp.route("/manage/skills/mappings/courses/<slug>", methods=["GET", "POST"])
@login_required
def course_mappings(slug: str):
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        abort(404)
    return _mappings_page(_mappable(course))


@bp.route("/manage/skills/mappings/<int:mapping_id>/edit", methods=["GET", "POST"])
@login_required
def edit_mapping(mapping_id: int):
    mapping = _editable(mapping_id)
    subject = mappings.subject_of(mapping)
    rule_type = rules.rule_type_for(mappings.source_of(subject))
    form = MappingRuleForm()
    if form.validate_on_submit() and _rule_is_usable(form, rule_type):
        with service_action() as action:
            mappings.update_mapping(current_user, mapping, form.rule(rule_type))
        if action.ok:
            flash(f"{mapping.skill.name}: rule saved.", "success")
            return redirect(_page_of(subject))
    elif not form.is_submitted():
        form.load(mapping.rule)
    return render_template(
        "skills/mapping_edit.html",
        mapping=mapping,
        subject=subject,
        noun=mappings.noun_of(subject),
        form=form,
        fields=form.fields_for(rule_type),
        remove_form=EmptyForm(),
        back_url=_page_of(subject),
    ), 400 if form.is_submitted() else 200


@bp.post("/manage/skills/mappings/<int:mapping_id>/remove")
@login_required
def remove_mapping(mapping_id: int):
    mapping = _editable(mapping_id)
    require_button_post()
    subject = mappings.subject_of(mapping)
    name = mapping.skill.name
    with service_action() as action:
        mappings.remove_mapping(current_user, mapping)
    if action.ok:
        flash(f"{name} is no longer mapped here.", "success")
    return redirect(_page_of(subject))


# --------------------------------------------------------------------------


def _mappable(subject: Assessment | Course) -> Assessment | Course:
    if not mappings.can_map(current_user, subject):
        abort(403)
    return subject


def _editable(mapping_id: int) -> SkillMapping:
    mapping = mappings.get_mapping(mapping_id)
    if mapping is None:
        abort(404)
    if not mappings.can_map(current_user, mappings.subject_of(mapping)):
        abort(403)
    if mapping.origin == ORIGIN_FILE:
        abort(403, mappings.FILE_MAPPING_MESSAGE)
    return mapping


def _mappings_page(subject: Assessment | Course):
    rule_type = rules.rule_type_for(mappings.source_of(subject))
    mapped = mappings.mappings_for(subject)
    form = NewMappingForm().offer(mappings.skill_choices(subject, mapped))
    if form.validate_on_submit() and _rule_is_usable(form, rule_type):
        skill = db.session.get(Skill, form.skill_id.data)
        with service_action() as action:
            mappings.add_mapping(current_user, subject, skill, form.rule(rule_type))
        if action.ok:
            flash(f"Mapped to {skill.name}.", "success")
            return redirect(_page_of(subject))
    elif not form.is_submitted():
        form.load(rules.default_rule(mappings.source_of(subject)))
    return render_template(
        "skills/mapping_list.html",
        subject=subject,
        noun=mappings.noun_of(subject),
        mappings=mapped,
        form=form,
        fields=form.fields_for(rule_type),
        remove_form=EmptyForm(),
        back_url=_back_url(subject),
        page_url=_page_of(subject),
    ), 400 if form.is_submitted() else 200


def _rule_is_usable(form: MappingRuleForm, rule_type: str) -> bool:
    problems = rules.problems(form.rule(rule_type))
    form.form_errors.extend(problems)
    return not problems


def _page_of(subject: Assessment | Course) -> str:
    if isinstance(subject, Course):
        return url_for("skill_mappings.course_mappings", slug=subject.slug)
    return url_for("skill_mappings.assessment_mappings", assessment_id=subject.id)


def _back_url(subject: Assessment | Course) -> str:
    if isinstance(subject, Course):
        return url_for("courses.course_detail", slug=subject.slug)
    if subject.kind == rules.QUIZ:
        return url_for("quizzes.quiz_detail", quiz_id=subject.id)
    return url_for("attempts.intro", slug=subject.slug)
