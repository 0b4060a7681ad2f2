"""Mentoring pages (blueprint "mentorship", /mentoring).

* Everyone signed in: the mentoring overview, "My mentees" (what a mentor sees
  of each mentee), "My mentor" (sessions to acknowledge, action items to tick),
  their mentor profile, and the pages of pairings they are in.
* Managers (capability "mentoring.manage") and admins: the people of their
  teams with their mentors, "Pair a mentor" with the ranked suggestions, and
  ending a pairing.

Who may do what is decided in lms.mentorship.policies; changes go through
lms.mentorship.services and commit once per request.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms import clock
from lms.auth.permissions import permission_required
from lms.errors import NotFoundError
from lms.forms import int_list, page_number, page_size, service_action
from lms.mentorship import policies, progress, queries, services, suggestions
from lms.mentorship.forms import (
    DoneForm,
    MentorProfileForm,
    NextForm,
    PairForm,
    SessionForm,
)
from lms.mentorship.models import DEFAULT_CAPACITY, MentorProfile
from lms.users.forms import options

bp = Blueprint("mentorship", __name__, url_prefix="/mentoring")

SAFE_RETURNS = ("/mentoring", "/people/")


def _back(default: str) -> str:
    """Where a button's form asks to return, when it is one of our pages."""
    target = request.form.get("next") or ""
    if target.startswith(SAFE_RETURNS) and not target.startswith("//"):
        return target
    return default


# --- overview and a person's own mentoring ------------------------------------------


@bp.get("")
@login_required
def index():
    mentors = queries.my_mentors(current_user)
    return render_template(
        "mentorship/mentoring_index.html",
        mentors=mentors,
        mentee_count=queries.mentee_counts([current_user.id]).get(current_user.id, 0),
        to_acknowledge=len(queries.sessions_to_acknowledge(current_user)),
        open_items=len(queries.open_items_for(current_user)),
        manages=policies.MANAGE_CAPABILITY,
    )


@bp.get("/mentees")
@login_required
def my_mentees():
    page = queries.my_mentees(current_user, page_number(), page_size())
    seen = progress.progress_of([p.mentee for p in page.items])
    results = [r for person in seen.values() for r in person.results]
    return render_template(
        "mentorship/mentee_list.html",
        page=page,
        progress=seen,
        links=progress.result_links(current_user, results),
    )


@bp.get("/mine")
@login_required
def my_mentor():
    return render_template(
        "mentorship/mentor_mine.html",
        mentors=queries.my_mentors(current_user),
        sessions=queries.sessions_to_acknowledge(current_user),
        open_items=queries.open_items_for(current_user),
        done_items=queries.action_items_for(current_user, done=True, limit=10),
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    current = MentorProfile(capacity=DEFAULT_CAPACITY, available=True)
    current = queries.profiles_of([current_user.id]).get(current_user.id, current)
    form = MentorProfileForm(obj=current)
    if form.validate_on_submit():
        with service_action() as action:
            services.set_mentor_profile(
                current_user,
                capacity=form.capacity.data,
                available=form.available.data,
                note=form.note.data,
            )
        if action.ok:
            flash("Your mentor profile is saved.", "success")
            return redirect(url_for("mentorship.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("mentorship/profile_edit.html", form=form), status


# --- managers: the people of their teams and pairing ---------------------------------


@bp.get("/people")
@permission_required(policies.MANAGE_CAPABILITY)
def people():
    page, rows = queries.people_to_pair(current_user, page_number(), page_size())
    return render_template("mentorship/people_list.html", page=page, rows=rows)


def _mentee_to_pair(mentee_id: int):
    try:
        mentee = queries.get_person(mentee_id)
    except NotFoundError:
        abort(404)
    if not policies.can_manage_pairings(current_user, mentee):
        abort(403)
    return mentee


def _render_pair(mentee, form: PairForm, status: int = 200):
    chosen = int_list("focus")
    found = suggestions.suggest_mentors(mentee, chosen)
    q = request.args.get("q", "").strip()[:120]
    others = queries.find_people(q, leave_out=mentee.id)
    suggested = {m.user.id for m in found.mentors}
    others = [u for u in others if u.id not in suggested]
    posted = _posted_mentor(form, suggested | {u.id for u in others})
    form.mentor_id.choices = options(
        [(0, "Choose a mentor")]
        + [(m.user.id, m.user.name) for m in found.mentors]
        + [(u.id, f"{u.name} ({u.email})") for u in [*others, *posted]]
    )
    skills = queries.active_skills()
    form.focus_skill_ids.choices = options((s.id, s.name) for s in skills)
    if not form.is_submitted():
        form.focus_skill_ids.data = [f.skill.id for f in found.focus]
        form.starts_on.data = clock.now().date()
    return render_template(
        "mentorship/pairing_create.html",
        mentee=mentee,
        found=found,
        others=others,
        q=q,
        chosen=chosen,
        skills=skills,
        form=form,
        current_mentors=queries.active_mentors_of([mentee.id]).get(mentee.id, []),
    ), status


def _posted_mentor(form: PairForm, listed: set[int]) -> list:
    """The mentor a refused form named, kept in the list when nothing else lists
    them (a search the page no longer repeats)."""
    if not form.is_submitted() or not form.mentor_id.data:
        return []
    if form.mentor_id.data in listed:
        return []
    try:
        return [queries.get_person(form.mentor_id.data)]
    except NotFoundError:
        return []


@bp.get("/pair/<int:mentee_id>")
@login_required
def pair(mentee_id: int):
    return _render_pair(_mentee_to_pair(mentee_id), PairForm(formdata=None))


@bp.post("/pair/<int:mentee_id>")
@login_required
def pair_create(mentee_id: int):
    mentee = _mentee_to_pair(mentee_id)
    form = PairForm()
    if form.validate_on_submit():
        try:
            mentor = queries.get_person(form.mentor_id.data)
        except NotFoundError:
            form.mentor_id.errors.append("Choose a mentor from the list.")
        else:
            with service_action() as action:
                pairing = services.create_pairing(
                    current_user,
                    mentor=mentor,
                    mentee=mentee,
                    focus_skill_ids=form.focus_skill_ids.data or [],
                    starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data,
                )
            if action.ok:
                flash(f"{mentor.name} now mentors {mentee.name}.", "success")
                return redirect(url_for("mentorship.pairing", pairing_id=pairing.id))
    return _render_pair(mentee, form, status=400)


# --- a pairing, its sessions and items --------------------------------------------


def _visible_pairing(pairing_id: int):
    try:
        detail = queries.pairing_detail(pairing_id)
    except NotFoundError:
        abort(404)
    if not policies.can_view_pairing(current_user, detail.pairing):
        abort(403)
    return detail


def _session_form(pairing, formdata=None) -> SessionForm:
    form = SessionForm(formdata=formdata)
    owners = options(
        [
            (pairing.mentee_id, f"{pairing.mentee.name} (mentee)"),
            (pairing.mentor_id, f"{pairing.mentor.name} (mentor)"),
        ]
    )
    for number, row in enumerate(form.items, start=1):
        row.form.text.label.text = f"Action item {number}"
        row.form.owner_id.choices = owners
    if formdata is None:
        form.held_on.data = clock.now().date()
    return form


def _render_pairing(detail, session_form: SessionForm | None, status: int = 200):
    pairing = detail.pairing
    user = current_user
    return render_template(
        "mentorship/pairing_detail.html",
        detail=detail,
        pairing=pairing,
        session_form=session_form,
        can_manage=policies.can_manage_pairings(user, pairing.mentee),
        is_mentee=user.id == pairing.mentee_id,
        is_mentor=user.id == pairing.mentor_id,
    ), status


@bp.get("/pairings/<int:pairing_id>")
@login_required
def pairing(pairing_id: int):
    detail = _visible_pairing(pairing_id)
    form = None
    if policies.can_log_session(current_user, detail.pairing):
        form = _session_form(detail.pairing)
    return _render_pairing(detail, form)


@bp.post("/pairings/<int:pairing_id>/sessions")
@login_required
def session_create(pairing_id: int):
    detail = _visible_pairing(pairing_id)
    pairing = detail.pairing
    if not policies.can_log_session(current_user, pairing):
        abort(403)
    form = _session_form(pairing, request.form)
    if form.validate_on_submit():
        items = [
            services.ItemInput(row.text.data or "", row.owner_id.data, row.due_on.data)
            for row in (entry.form for entry in form.items)
        ]
        with service_action() as action:
            services.log_session(
                current_user,
                pairing,
                held_on=form.held_on.data,
                notes=form.notes.data,
                items=items,
            )
        if action.ok:
            flash("Session logged. Your mentee can now acknowledge it.", "success")
            return redirect(url_for("mentorship.pairing", pairing_id=pairing_id))
        detail = _visible_pairing(pairing_id)
    return _render_pairing(detail, form, status=400)


@bp.post("/pairings/<int:pairing_id>/end")
@login_required
def pairing_end(pairing_id: int):
    pairing = _visible_pairing(pairing_id).pairing
    if not policies.can_manage_pairings(current_user, pairing.mentee):
        abort(403)
    if not NextForm().validate_on_submit():
        abort(400)
    with service_action() as action:
        services.end_pairing(current_user, pairing)
    if action.ok:
        flash(f"The pairing with {pairing.mentor.name} has ended.", "success")
    return redirect(url_for("mentorship.pairing", pairing_id=pairing_id))


@bp.post("/sessions/<int:session_id>/acknowledge")
@login_required
def session_acknowledge(session_id: int):
    try:
        session = queries.get_session(session_id)
    except NotFoundError:
        abort(404)
    if not policies.can_acknowledge(current_user, session):
        abort(403)
    if not NextForm().validate_on_submit():
        abort(400)
    with service_action() as action:
        services.acknowledge_session(current_user, session)
    if action.ok:
        flash("Session acknowledged.", "success")
    return redirect(_back(url_for("mentorship.my_mentor")))


@bp.post("/items/<int:item_id>/done")
@login_required
def item_done(item_id: int):
    try:
        item = queries.get_item(item_id)
    except NotFoundError:
        abort(404)
    if not policies.can_tick(current_user, item):
        abort(403)
    form = DoneForm()
    if not form.validate_on_submit():
        abort(400)
    done = form.done.data == "1"
    with service_action() as action:
        services.set_item_done(current_user, item, done)
    if action.ok:
        flash(f"“{item.text}” is {'done' if done else 'open again'}.", "success")
    return redirect(_back(url_for("mentorship.my_mentor")))
