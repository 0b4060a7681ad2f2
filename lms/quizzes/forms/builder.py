"""The quiz builder's forms: the quiz's settings (columns and settings in one
form, read back as builder.QuizFields) and a random-draw rule.

Defaults and allowed values come from lms.quizzes.settings, their one owner.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from lms.forms import strip_text
from lms.quizzes.builder import (
    DEFAULT_GRACE_SECONDS,
    MAX_DRAW_COUNT,
    ON_EXPIRY_LABELS,
    SLUG_RE,
    QuizFields,
)
from lms.quizzes.forms.fields import optional_int, options, whole_or_float
from lms.quizzes.settings import AFTER_LAST_ATTEMPT, GRADING_METHODS, SPECS
from lms.users import time_zones

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


# When the review shows the correct answers or the feedback.
SHOWN_WHEN = [
    ("true", "Shown with the review"),
    ("after_last_attempt", "Shown after the last attempt or the close"),
    ("false", "Never shown"),
]


class QuizSettingsForm(FlaskForm):
    slug = StringField(
        "Short name",
        validators=[
            Optional(),
            Length(max=80),
            Regexp(
                SLUG_RE,
                message="Use lowercase letters, digits and single hyphens, e.g. gst-basics.",
            ),
        ],
        filters=[strip_text],
        description="Used in links. Chosen once; leave empty to derive it from the title.",
    )
    title = StringField(
        "Title", validators=[DataRequired(), Length(max=200)], filters=[strip_text]
    )
    description = TextAreaField(
        "Instructions",
        validators=[Length(max=20_000)],
        render_kw={"rows": 4},
        description="Markdown, shown before a learner starts.",
    )
    course_id = SelectField(
        "Course", coerce=optional_int, choices=[], validate_choice=False
    )
    time_limit_minutes = IntegerField(
        "Time limit (minutes)",
        validators=[
            Optional(),
            NumberRange(
                min=0, max=24 * 60, message="Use 0 to 1440 minutes (0 = untimed)."
            ),
        ],
        render_kw={"min": 0, "max": 1440, "inputmode": "numeric"},
        description="Empty or 0: untimed.",
    )
    on_expiry = SelectField(
        "When time runs out",
        choices=options(ON_EXPIRY_LABELS.items()),
        default="autosubmit",
    )
    grace_minutes = IntegerField(
        "Grace period (minutes)",
        default=DEFAULT_GRACE_SECONDS // 60,
        validators=[
            InputRequired("Give the grace period in minutes."),
            NumberRange(min=0, max=7 * 24 * 60, message="Use 0 to 10080 minutes."),
        ],
        render_kw={"min": 0, "inputmode": "numeric"},
        description="Only with the grace-period option: time left to submit.",
    )
    open_at = DateTimeLocalField(
        "Opens",
        format=DATETIME_FORMATS,
        validators=[Optional()],
        description="Empty: open as soon as it is published.",
    )
    close_at = DateTimeLocalField(
        "Closes",
        format=DATETIME_FORMATS,
        validators=[Optional()],
        description="Empty: never closes. Attempts still running at the close are ended.",
    )
    attempts_allowed = IntegerField(
        "Attempts allowed",
        default=0,
        validators=[
            InputRequired("Give the number of attempts (0 = unlimited)."),
            NumberRange(min=0, max=100, message="Use 0 (unlimited) to 100 attempts."),
        ],
        render_kw={"min": 0, "max": 100, "inputmode": "numeric"},
        description="0 means unlimited.",
    )
    delay_minutes = IntegerField(
        "Minutes between attempts",
        default=0,
        validators=[
            InputRequired("Give the wait in minutes (0 = none)."),
            NumberRange(min=0, max=60 * 24 * 30, message="Use 0 to 43200 minutes."),
        ],
        render_kw={"min": 0, "inputmode": "numeric"},
    )
    grading_method = SelectField(
        "Grade from several attempts",
        choices=options(
            [
                ("highest", "Highest attempt"),
                ("latest", "Latest attempt"),
                ("average", "Average of attempts"),
                ("first", "First attempt"),
            ]
        ),
        default="highest",
    )
    pass_percent = FloatField(
        "Pass mark (%)",
        default=SPECS["pass_percent"].default,
        validators=[
            InputRequired("Give a pass mark from 0 to 100."),
            NumberRange(
                min=0, max=100, message="The pass mark is a percentage from 0 to 100."
            ),
        ],
        render_kw={"min": 0, "max": 100, "step": "any", "inputmode": "decimal"},
    )
    shuffle_questions = BooleanField("Shuffle the order of questions")
    shuffle_choices = BooleanField("Shuffle the choices within questions", default=True)
    questions_per_page = IntegerField(
        "Questions per page",
        default=SPECS["questions_per_page"].default,
        validators=[
            InputRequired("Give the number of questions per page (0 = all)."),
            NumberRange(min=0, max=100, message="Use 0 (all on one page) to 100."),
        ],
        render_kw={"min": 0, "max": 100, "inputmode": "numeric"},
        description="0 puts every question on one page.",
    )
    review = SelectField(
        "Learners see their review",
        choices=options(
            [
                ("immediately", "Immediately after the attempt"),
                ("after_close", "After the quiz closes"),
                ("never", "Never"),
            ]
        ),
        default="immediately",
    )
    show_score = BooleanField("Score", default=True)
    show_correctness = BooleanField("Which answers were right", default=True)
    show_correct_answers = SelectField(
        "The correct answers", choices=options(SHOWN_WHEN), default="true"
    )
    show_feedback = SelectField(
        "Question feedback (it often names the answer)",
        choices=options(SHOWN_WHEN),
        default="true",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Typed and shown in the trainer's own zone; the label says which.
        self.zone_name = time_zones.viewer_zone_name()
        self.open_at.label.text = f"Opens ({self.zone_name})"
        self.close_at.label.text = f"Closes ({self.zone_name})"

    def validate_close_at(self, field) -> None:
        if field.data and self.open_at.data and field.data <= self.open_at.data:
            raise ValidationError("The quiz must close after it opens.")

    def validate_review(self, field) -> None:
        if field.data == "after_close" and not self.close_at.data:
            raise ValidationError("“After the quiz closes” needs a close time.")

    def validate_grading_method(self, field) -> None:
        if field.data not in GRADING_METHODS:
            raise ValidationError("Choose a grading method.")

    def load(self, assessment, settings: dict[str, Any]) -> None:
        self.slug.data = assessment.slug
        self.title.data = assessment.title
        self.description.data = assessment.description_md
        self.course_id.data = assessment.course_id
        limit = assessment.time_limit_seconds
        self.time_limit_minutes.data = limit // 60 if limit else 0
        self.on_expiry.data = assessment.on_expiry
        self.open_at.data = _naive(assessment.open_at)
        self.close_at.data = _naive(assessment.close_at)
        self.attempts_allowed.data = assessment.attempts_allowed
        grace = settings.get("grace_seconds")
        self.grace_minutes.data = (
            grace // 60 if isinstance(grace, int) else DEFAULT_GRACE_SECONDS // 60
        )
        for name in (
            "delay_minutes",
            "grading_method",
            "pass_percent",
            "shuffle_questions",
            "shuffle_choices",
            "questions_per_page",
            "review",
            "show_score",
            "show_correctness",
        ):
            getattr(self, name).data = settings.get(name)
        for name in ("show_correct_answers", "show_feedback"):
            getattr(self, name).data = _shown_choice(settings.get(name))

    def fields(self):
        """The form as builder.QuizFields."""
        minutes = self.time_limit_minutes.data or 0
        return QuizFields(
            title=self.title.data,
            description_md=(self.description.data or "").strip(),
            course_id=self.course_id.data,
            time_limit_seconds=minutes * 60 if minutes else None,
            on_expiry=self.on_expiry.data,
            open_at=_utc(self.open_at.data),
            close_at=_utc(self.close_at.data),
            attempts_allowed=self.attempts_allowed.data,
            settings={
                **(
                    {"grace_seconds": self.grace_minutes.data * 60}
                    if self.on_expiry.data == "grace"
                    else {}
                ),
                "delay_minutes": self.delay_minutes.data,
                "grading_method": self.grading_method.data,
                "pass_percent": whole_or_float(self.pass_percent.data),
                "shuffle_questions": bool(self.shuffle_questions.data),
                "shuffle_choices": bool(self.shuffle_choices.data),
                "questions_per_page": self.questions_per_page.data,
                "review": self.review.data,
                "show_score": bool(self.show_score.data),
                "show_correctness": bool(self.show_correctness.data),
                "show_correct_answers": _shown_setting(self.show_correct_answers.data),
                "show_feedback": _shown_setting(self.show_feedback.data),
            },
        )


def _shown_setting(value: str) -> bool | str:
    return {"true": True, "false": False}.get(value, AFTER_LAST_ATTEMPT)


def _shown_choice(value: Any) -> str:
    if value == AFTER_LAST_ATTEMPT:
        return value
    return "false" if value is False else "true"


def _naive(value: datetime | None) -> datetime | None:
    """A stored instant as the wall-clock time the trainer reads in the input."""
    if value is None:
        return None
    return time_zones.to_local(value, time_zones.viewer_zone()).replace(tzinfo=None)


def _utc(value: datetime | None) -> datetime | None:
    """datetime-local inputs have no zone: the trainer types their own wall-clock
    time, stored as the UTC instant it names."""
    return time_zones.from_local(value, time_zones.viewer_zone()) if value else None


class DrawForm(FlaskForm):
    count = IntegerField(
        "How many",
        default=1,
        validators=[
            InputRequired("Say how many questions to draw."),
            NumberRange(
                min=1,
                max=MAX_DRAW_COUNT,
                message=f"Draw between 1 and {MAX_DRAW_COUNT} questions.",
            ),
        ],
        render_kw={"min": 1, "max": MAX_DRAW_COUNT, "inputmode": "numeric"},
    )
    category = StringField(
        "From category",
        validators=[Length(max=200)],
        filters=[strip_text],
        render_kw={"list": "bank-categories", "autocomplete": "off"},
        description="Includes its subcategories. Empty: the whole bank.",
    )
    tag = StringField(
        "Tagged (optional)",
        validators=[Length(max=60)],
        filters=[strip_text],
        render_kw={"list": "bank-tags", "autocomplete": "off"},
    )
