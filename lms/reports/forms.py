"""The report pages' filter forms. They are GET forms (a filter is a link that
can be shared and bookmarked), so they carry no CSRF token; a refused filter
re-renders the page with its errors and what was typed (400)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from lms.reports.coverage import LEVELS
from lms.users.forms import options


def _optional_int(value) -> int | None:
    """A select's value as an id; "" (any) and nonsense are None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CoverageForm(FlaskForm):
    """Who can do a skill at a level or above."""

    class Meta:
        csrf = False

    skill = SelectField(
        "Skill",
        coerce=int,
        validators=[InputRequired(message="Choose a skill.")],
    )
    level = SelectField(
        "At level or above",
        coerce=int,
        choices=options((n, str(n)) for n in LEVELS),
        default=3,
        validators=[InputRequired(message="Choose a level from 1 to 5.")],
    )

    def set_skills(self, columns) -> None:
        """The active skills grouped by category, in framework order."""
        grouped: dict[str, list] = {}
        for column in columns:
            grouped.setdefault(column.category_name, []).append(
                (column.id, column.name)
            )
        self.skill.choices = {
            category: options(pairs) for category, pairs in grouped.items()
        }


class ResultsFilterForm(FlaskForm):
    """The filter bar of a team's results."""

    class Meta:
        csrf = False

    assessment = SelectField(
        "Assessment", coerce=_optional_int, validators=[Optional()]
    )
    kind = SelectField("Kind", validators=[Optional()])
    since = DateField("Started from", validators=[Optional()])
    until = DateField("Started until", validators=[Optional()])

    def set_choices(self, assessments, kinds) -> None:
        self.assessment.choices = options([("", "Any assessment"), *assessments])
        self.kind.choices = options([("", "Any kind"), *kinds])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The last day comes on or after the first.")
