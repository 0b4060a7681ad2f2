"""Input schemas of the learner's skills and career pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from lms.forms import strip_text
from lms.skills.goals import PathRoles

NOTE_MAX = 500


class GoalForm(FlaskForm):
    """A target role (from the career paths) and the date to reach it by."""

    role = SelectField(
        "Target role",
        validators=[InputRequired(message="Choose the role you are aiming for.")],
        validate_choice=False,  # the service says when a role does not exist
    )
    target_date = DateField(
        "Target date",
        validators=[InputRequired(message="Choose a target date for your goal.")],
    )
    note = TextAreaField(
        "Why this role (optional)",
        validators=[Optional(), Length(max=NOTE_MAX)],
        filters=[strip_text],
        render_kw={"rows": 2, "maxlength": NOTE_MAX},
    )
    submit = SubmitField("Save my goal")

    def offer(self, ladder: list[PathRoles]) -> GoalForm:
        """Every role of every path, grouped by path, lowest step first."""
        self.role.choices = {
            entry.path.name: [(role.slug, role.name) for role in entry.roles]
            for entry in ladder
        }
        return self
