"""Input schemas for the question editor, imports, the quiz builder and reviews.

The question editor has one form for every type; the template shows the
fields of the question's type. Field checks here are about input shape (a
number is a number); whether the question makes sense is decided by
grading.validate_question, whose "field: message" errors `QuestionForm`
puts back beside the right field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
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

from lms.forms import EmailAddress, strip_text
from lms.quizzes.models import normalize_category, normalize_tags
from lms.quizzes.services import (
    DEFAULT_GRACE_SECONDS,
    GRADING_METHODS,
    MAX_DRAW_COUNT,
    ON_EXPIRY_LABELS,
    SLUG_RE,
    QuizFields,
)
from lms.quizzes.settings import AFTER_LAST_ATTEMPT, SPECS

MIN_CHOICE_ROWS = 6
MIN_ITEM_ROWS = 6
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def _options(pairs) -> list[SelectChoice]:
    """WTForms 3.3 deprecates (value, label) tuples as choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _not_negative(label: str) -> NumberRange:
    return NumberRange(min=0, message=f"{label} cannot be negative.")


# --------------------------------------------------------------------------
# Question editor
# --------------------------------------------------------------------------


class ChoiceRow(Form):
    """One row of the choices table (no CSRF of its own: it is part of QuestionForm)."""

    text = StringField("Choice text", filters=[strip_text])
    correct = BooleanField("Correct")
    feedback = StringField("Feedback for this choice", filters=[strip_text])


class QuestionForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[Optional(), Length(max=200)],
        filters=[strip_text],
        description="Optional short name shown in lists and statistics.",
    )
    prompt = TextAreaField(
        "Question text",
        validators=[Length(max=20_000)],
        render_kw={"rows": 5},
        description="Markdown: **bold**, `code`, lists and tables work.",
    )
    category = StringField(
        "Category",
        validators=[Length(max=200)],
        filters=[strip_text],
        description="Use / for subcategories, e.g. Spreadsheets/Lookups.",
        render_kw={"list": "bank-categories", "autocomplete": "off"},
    )
    tags = StringField(
        "Tags",
        validators=[Length(max=500)],
        filters=[strip_text],
        description="Comma-separated, e.g. invoices, gstin.",
    )
    points = FloatField(
        "Points",
        default=1,
        validators=[InputRequired("Give the question's points.")],
        render_kw={"step": "any", "min": 0, "inputmode": "decimal"},
    )
    feedback = TextAreaField(
        "General feedback",
        validators=[Length(max=5000)],
        render_kw={"rows": 2},
        description="Shown after the attempt, whatever the answer.",
    )
    correct_feedback = TextAreaField(
        "Feedback when right", validators=[Length(max=5000)], render_kw={"rows": 2}
    )
    incorrect_feedback = TextAreaField(
        "Feedback when wrong or partly right",
        validators=[Length(max=5000)],
        render_kw={"rows": 2},
    )
    # single / multiple
    choices = FieldList(FormField(ChoiceRow), min_entries=0, max_entries=50)
    penalty = FloatField(
        "Penalty per wrong pick",
        validators=[Optional()],
        render_kw={"step": "any", "min": 0, "max": 1, "inputmode": "decimal"},
        description=(
            "A fraction of the question's points lost for each wrong choice picked "
            "(0.25 = a quarter). Leave empty or 0 and each wrong pick cancels one "
            "right pick's share, so ticking every box never earns full marks."
        ),
    )
    # truefalse
    tf_answer = RadioField(
        "The statement is",
        choices=_options([("true", "True"), ("false", "False")]),
        validate_choice=False,
    )
    # short
    answers = TextAreaField(
        "Accepted answers",
        render_kw={"rows": 4},
        description=(
            "One per line. Spaces at the ends and runs of spaces never matter; "
            "letter case does not either, unless you tick the box below."
        ),
    )
    case_sensitive = BooleanField("Letter case must match (case-sensitive)")
    # numeric
    numeric_answer = StringField(
        "Answer", filters=[strip_text], render_kw={"inputmode": "decimal"}
    )
    tolerance = FloatField(
        "Tolerance (±)",
        validators=[Optional()],
        render_kw={"step": "any", "min": 0, "inputmode": "decimal"},
        description="Answers within this distance of the answer count as right.",
    )
    units = StringField(
        "Units",
        validators=[Length(max=40)],
        filters=[strip_text],
        description="Shown beside the answer box, e.g. INR or kg. Not graded.",
    )
    # ordering
    items = FieldList(
        StringField("Item", filters=[strip_text]), min_entries=0, max_entries=50
    )

    def __init__(self, *args, qtype: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.qtype = qtype
        self.list_errors: dict[str, list[str]] = {}
        self.general_errors: list[str] = []

    # -- GET: fill from a question -----------------------------------------

    def load(self, content: dict[str, Any]) -> None:
        self.title.data = content.get("title", "")
        self.prompt.data = content.get("prompt", "")
        self.category.data = content.get("category", "")
        self.tags.data = ", ".join(content.get("tags") or [])
        self.points.data = content.get("points", 1)
        for key in ("feedback", "correct_feedback", "incorrect_feedback"):
            getattr(self, key).data = content.get(key, "")
        for choice in content.get("choices") or []:
            self.choices.append_entry(
                {
                    "text": choice.get("text", ""),
                    "correct": bool(choice.get("correct")),
                    "feedback": choice.get("feedback", ""),
                }
            )
        self.penalty.data = content.get("penalty")
        if isinstance(content.get("answer"), bool):
            self.tf_answer.data = "true" if content["answer"] else "false"
        self.answers.data = "\n".join(content.get("answers") or [])
        self.case_sensitive.data = bool(content.get("case_sensitive"))
        if self.qtype == "numeric" and content.get("answer") is not None:
            self.numeric_answer.data = _plain(content["answer"])
        self.tolerance.data = content.get("tolerance")
        self.units.data = content.get("units", "")
        for item in content.get("items") or []:
            self.items.append_entry(
                item.get("text") if isinstance(item, dict) else item
            )

    def pad_rows(self) -> None:
        """Blank rows to type into without JavaScript (at least 6, and 2 spare)."""
        if self.qtype in ("single", "multiple"):
            while len(self.choices) < max(MIN_CHOICE_ROWS, _filled(self.choices) + 2):
                self.choices.append_entry()
        if self.qtype == "ordering":
            while len(self.items) < max(MIN_ITEM_ROWS, _filled(self.items) + 2):
                self.items.append_entry()

    # -- POST: build the question dict ---------------------------------------

    def to_content(self) -> dict[str, Any]:
        q: dict[str, Any] = {
            "type": self.qtype,
            "prompt": (self.prompt.data or "").strip(),
        }
        if self.title.data:
            q["title"] = self.title.data
        q["points"] = _number(self.points.data)
        for key in ("feedback", "correct_feedback", "incorrect_feedback"):
            value = (getattr(self, key).data or "").strip()
            if value:
                q[key] = value
        q["category"] = normalize_category(self.category.data or "")
        q["tags"] = normalize_tags(self.tags.data or "")
        if self.qtype in ("single", "multiple"):
            choices = []
            for row in self.choices:
                text, fb = row.form.text.data or "", row.form.feedback.data or ""
                if not text and not fb and not row.form.correct.data:
                    continue
                choice = {"text": text, "correct": bool(row.form.correct.data)}
                if fb:
                    choice["feedback"] = fb
                choices.append(choice)
            q["choices"] = choices
        if self.qtype == "multiple" and self.penalty.data is not None:
            q["penalty"] = _number(self.penalty.data)
        if self.qtype == "truefalse" and self.tf_answer.data in ("true", "false"):
            q["answer"] = self.tf_answer.data == "true"
        if self.qtype == "short":
            q["answers"] = [
                line.strip()
                for line in (self.answers.data or "").splitlines()
                if line.strip()
            ]
            q["case_sensitive"] = bool(self.case_sensitive.data)
        if self.qtype == "numeric":
            answer = _parse_decimal(self.numeric_answer.data)
            if answer is not None:
                q["answer"] = answer
            elif self.numeric_answer.data:
                q["answer"] = self.numeric_answer.data  # reported as "not a number"
            if self.tolerance.data is not None:
                q["tolerance"] = _number(self.tolerance.data)
            if self.units.data:
                q["units"] = self.units.data
        if self.qtype == "ordering":
            q["items"] = [entry.data for entry in self.items if entry.data]
        return q

    def add_content_errors(self, errors: list[str]) -> None:
        """Put grading.validate_question's "field: message" errors beside the fields."""
        by_key = {
            "prompt": self.prompt,
            "points": self.points,
            "feedback": self.feedback,
            "correct_feedback": self.correct_feedback,
            "incorrect_feedback": self.incorrect_feedback,
            "penalty": self.penalty,
            "answers": self.answers,
            "case_sensitive": self.case_sensitive,
            "tolerance": self.tolerance,
            "units": self.units,
            "answer": self.tf_answer
            if self.qtype == "truefalse"
            else self.numeric_answer,
        }
        for message in errors:
            key, _, detail = message.partition(": ")
            detail = detail[:1].upper() + detail[1:] if detail else message
            if key in ("choices", "items"):
                self.list_errors.setdefault(key, []).append(detail)
            elif key in by_key:
                target = by_key[key]
                target.errors = [*target.errors, detail]
            else:
                self.general_errors.append(detail)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.list_errors or self.general_errors)


def _filled(entries) -> int:
    count = 0
    for entry in entries:
        data = entry.data
        if isinstance(data, dict):
            if data.get("text") or data.get("feedback"):
                count += 1
        elif data:
            count += 1
    return count


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_decimal(text: str | None) -> int | float | None:
    """A plain number as typed by a trainer: "1250.5", "1,250.50", "-3"."""
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------


class ImportForm(FlaskForm):
    upload = FileField("Upload a file (.gift, .txt)")
    text = TextAreaField(
        "…or paste the questions",
        render_kw={"rows": 12, "spellcheck": "false", "class": "font-monospace"},
    )
    format = SelectField(
        "Format",
        choices=_options([("auto", "Detect"), ("gift", "GIFT"), ("aiken", "Aiken")]),
        default="auto",
    )
    category = StringField(
        "Category for questions without one",
        validators=[Length(max=200)],
        filters=[strip_text],
        render_kw={"list": "bank-categories", "autocomplete": "off"},
        description="GIFT $CATEGORY lines take precedence.",
    )
    tags = StringField(
        "Tags to add to every question",
        validators=[Length(max=500)],
        filters=[strip_text],
    )


# --------------------------------------------------------------------------
# Quiz settings and builder
# --------------------------------------------------------------------------


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
        "Course", coerce=_optional_int, choices=[], validate_choice=False
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
        choices=_options(ON_EXPIRY_LABELS.items()),
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
        "Opens (UTC)",
        format=DATETIME_FORMATS,
        validators=[Optional()],
        description="Empty: open as soon as it is published.",
    )
    close_at = DateTimeLocalField(
        "Closes (UTC)",
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
        choices=_options(
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
        choices=_options(
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
        "The correct answers",
        choices=_options(
            [
                ("true", "Shown with the review"),
                ("after_last_attempt", "Shown after the last attempt or the close"),
                ("false", "Never shown"),
            ]
        ),
        default="true",
    )
    show_feedback = BooleanField("Feedback", default=True)

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
            "show_feedback",
        ):
            getattr(self, name).data = settings.get(name)
        self.show_correct_answers.data = _correct_answers_choice(
            settings.get("show_correct_answers")
        )

    def fields(self):
        """The form as services.QuizFields."""
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
                "pass_percent": _number(self.pass_percent.data),
                "shuffle_questions": bool(self.shuffle_questions.data),
                "shuffle_choices": bool(self.shuffle_choices.data),
                "questions_per_page": self.questions_per_page.data,
                "review": self.review.data,
                "show_score": bool(self.show_score.data),
                "show_correctness": bool(self.show_correctness.data),
                "show_correct_answers": _correct_answers_setting(
                    self.show_correct_answers.data
                ),
                "show_feedback": bool(self.show_feedback.data),
            },
        )


def _correct_answers_setting(value: str) -> bool | str:
    return {"true": True, "false": False}.get(value, AFTER_LAST_ATTEMPT)


def _correct_answers_choice(value: Any) -> str:
    if value == AFTER_LAST_ATTEMPT:
        return value
    return "false" if value is False else "true"


def _naive(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC).replace(tzinfo=None) if value else None


def _utc(value: datetime | None) -> datetime | None:
    """datetime-local inputs have no zone; this app reads and shows them as UTC."""
    return value.replace(tzinfo=UTC) if value else None


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


class GradeItemForm(FlaskForm):
    points = FloatField(
        "Points",
        validators=[
            InputRequired("Give the points."),
            _not_negative("Points"),
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
