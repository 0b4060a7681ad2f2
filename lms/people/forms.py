"""Forms of the person page. Select choices are filled in by the view."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.forms import strip_text
from lms.skills.levels import MAX_LEVEL
from lms.users.forms import options

LEVEL_CHOICES = options((n, f"Level {n}") for n in range(1, MAX_LEVEL + 1))


class RatingForm(FlaskForm):
    """A manager's or mentor's rating of one skill, with the reason."""

    skill_id = SelectField(
        "Skill",
        coerce=int,
        validate_choice=False,
        validators=[DataRequired("Choose the skill you rate.")],
    )
    level = SelectField(
        "Level",
        coerce=int,
        choices=LEVEL_CHOICES,
        validators=[DataRequired("Choose a level.")],
    )
    justification = TextAreaField(
        "Justification",
        filters=[strip_text],
        validators=[
            DataRequired("Say why: the person and their manager read it."),
            Length(max=2000),
        ],
        render_kw={"rows": 3},
    )
