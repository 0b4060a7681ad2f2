"""The question editor's form: one form for every question type; the template
shows the fields of the question's type.

Field checks here are about input shape (a number is a number); whether the
question makes sense is decided by grading.validate_question, whose "field:
message" errors `QuestionForm` puts back beside the right field.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from lms.forms import strip_text
from lms.quizzes.forms.fields import options, whole_or_float
from lms.quizzes.models import normalize_category, normalize_tags

MIN_CHOICE_ROWS = 6
MIN_ITEM_ROWS = 6


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
        choices=options([("true", "True"), ("false", "False")]),
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
        q["points"] = whole_or_float(self.points.data)
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
            q["penalty"] = whole_or_float(self.penalty.data)
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
                q["tolerance"] = whole_or_float(self.tolerance.data)
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
