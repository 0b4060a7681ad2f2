"""The form of a browser keying test's details (lms.keying.copying.TestDetails)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.forms import strip_text
from lms.keying.copying import TestDetails

MAX_MINUTES = 600
MAX_ATTEMPTS = 100


class TestDetailsForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the test a title."), Length(max=200)],
        filters=[strip_text],
    )
    description_md = TextAreaField(
        "Description",
        validators=[Length(max=20_000)],
        render_kw={"rows": 4},
        description="What learners read before they start (Markdown).",
    )
    time_limit_minutes = IntegerField(
        "Time limit (minutes)",
        validators=[Optional(), NumberRange(min=1, max=MAX_MINUTES)],
        description="Leave empty for no time limit.",
    )
    attempts_allowed = IntegerField(
        "Attempts allowed",
        default=0,
        validators=[NumberRange(min=0, max=MAX_ATTEMPTS)],
        description="0 means as many as a learner likes.",
    )
    is_published = BooleanField("Published: learners can find and take it")

    def load(self, details: TestDetails) -> None:
        self.title.data = details.title
        self.description_md.data = details.description_md
        seconds = details.time_limit_seconds
        self.time_limit_minutes.data = round(seconds / 60) if seconds else None
        self.attempts_allowed.data = details.attempts_allowed
        self.is_published.data = details.is_published

    def details(self) -> TestDetails:
        minutes = self.time_limit_minutes.data
        return TestDetails(
            title=self.title.data or "",
            description_md=self.description_md.data or "",
            time_limit_seconds=minutes * 60 if minutes else None,
            attempts_allowed=self.attempts_allowed.data or 0,
            is_published=bool(self.is_published.data),
        )
