"""Input schemas of the learner's skills and career pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from lms.forms import strip_text
from lms.skills.catalog_specs import level_name
from lms.skills.goals import PathRoles
from lms.skills.levels import MAX_LEVEL, MIN_LEVEL
from lms.skills.models import Skill

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


class OwnViewForm(FlaskForm):
    """The learner's own view of one skill: kept beside the level, never counted."""

    level = RadioField(
        "Where do you think you are?",
        validators=[InputRequired(message="Choose the level you think you are at.")],
        coerce=int,
    )
    submit = SubmitField("Save my view")

    def offer(self, skill: Skill) -> OwnViewForm:
        """Each level with its name and what it means for this skill."""
        descriptors = list(skill.level_descriptors or [])
        self.level.choices = [
            (
                n,
                f"{n} · {level_name(n)}"
                + (f" — {descriptors[n - 1]}" if n <= len(descriptors) else ""),
            )
            for n in range(MIN_LEVEL, MAX_LEVEL + 1)
        ]
        return self
