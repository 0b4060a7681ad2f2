"""Assigning an assessment: the course assignment form (a team, a due date today
or later, required or optional, at least one person or a team) with the people
as a list of checkboxes found by search."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectMultipleField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.courses.forms import AssignForm
from lms.forms import strip_text


class AssessmentAssignForm(AssignForm):
    people = SelectMultipleField(
        "People",
        coerce=int,
        validate_choice=False,  # resolve_assignees checks each against the scope
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class PeopleSearchForm(FlaskForm):
    """The people picker's search box (GET: no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(
        "Find people",
        validators=[Optional(), Length(max=100)],
        filters=[strip_text],
        render_kw={"placeholder": "A name, email or team", "autocomplete": "off"},
    )
