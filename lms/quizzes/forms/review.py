"""Forms of the trainer's review pages: changing one item's points on an
attempt, and granting a learner extra time or attempts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import HiddenInput

from lms.forms import EmailAddress, strip_text
from lms.quizzes.forms.fields import not_negative


class GradeItemForm(FlaskForm):
    """One item's points and the reason. `row_version` is the attempt's version
    the page was built from: a grade posted from an older page is refused
    (lms.attempts.regrading), so two reviewers never silently undo each other."""

    row_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    points = FloatField(
        "Points",
        validators=[
            InputRequired("Give the points."),
            not_negative("Points"),
        ],
        render_kw={"step": "any", "min": 0, "inputmode": "decimal"},
    )
    comment = TextAreaField(
        "Comment",
        validators=[
            DataRequired("A comment is required: it goes into the audit trail."),
            Length(max=1000),
        ],
        filters=[strip_text],
        render_kw={"rows": 2},
    )


class OverrideForm(FlaskForm):
    email = StringField(
        "Learner's email",
        validators=[DataRequired("Give the learner's email."), EmailAddress()],
        filters=[strip_text],
        render_kw={"autocomplete": "off", "list": "override-learners"},
    )
    extra_minutes = IntegerField(
        "Extra time (minutes)",
        default=0,
        validators=[
            InputRequired("Give the extra minutes (0 for none)."),
            NumberRange(min=0, max=24 * 60, message="Use 0 to 1440 minutes."),
        ],
        render_kw={"min": 0, "inputmode": "numeric"},
    )
    extra_attempts = IntegerField(
        "Extra attempts",
        default=0,
        validators=[
            InputRequired("Give the extra attempts (0 for none)."),
            NumberRange(min=0, max=100, message="Use 0 to 100 attempts."),
        ],
        render_kw={"min": 0, "inputmode": "numeric"},
    )
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired("Give a reason: it is kept with the override."),
            Length(max=500),
        ],
        filters=[strip_text],
        render_kw={"rows": 2},
        description="E.g. an accessibility adjustment, a power cut during the attempt.",
    )
