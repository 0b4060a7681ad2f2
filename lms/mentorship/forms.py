"""Forms of the mentoring pages. Select choices are filled in by the views."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lms.forms import strip_text
from lms.mentorship.services import MAX_CAPACITY, MAX_ITEM_TEXT, MAX_NOTES

ITEM_ROWS = 3  # empty action-item rows on the session form (no JavaScript needed)


class PairForm(FlaskForm):
    mentor_id = SelectField(
        "Mentor",
        coerce=int,
        validate_choice=False,
        validators=[DataRequired("Choose a mentor.")],
    )
    focus_skill_ids = SelectMultipleField(
        "Focus skills",
        coerce=int,
        validate_choice=False,
        render_kw={"size": 6},
    )
    starts_on = DateField(
        "Starts on", validators=[InputRequired("Choose the date it starts.")]
    )
    ends_on = DateField("Ends on (optional)", validators=[Optional()])

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end date must be on or after the start date.")


class ItemRow(Form):
    """One action item of a session; a row left empty is ignored."""

    text = StringField(
        "Action item",
        filters=[strip_text],
        validators=[Length(max=MAX_ITEM_TEXT)],
    )
    owner_id = SelectField("Owner", coerce=int, validate_choice=False)
    due_on = DateField("Due", validators=[Optional()])


class SessionForm(FlaskForm):
    held_on = DateField(
        "Held on", validators=[InputRequired("Give the date the session was held.")]
    )
    notes = TextAreaField(
        "Notes",
        filters=[strip_text],
        validators=[
            DataRequired("Write a few notes about what you discussed."),
            Length(max=MAX_NOTES),
        ],
        render_kw={"rows": 5},
    )
    items = FieldList(FormField(ItemRow), min_entries=ITEM_ROWS, max_entries=10)


class DoneForm(FlaskForm):
    """Tick an action item done ("1") or undone ("0")."""

    done = HiddenField(validators=[DataRequired()])
    next = HiddenField()

    def validate_done(self, field) -> None:
        if field.data not in ("0", "1"):
            raise ValidationError("Say whether the item is done.")


class NextForm(FlaskForm):
    """A button that POSTs and returns to the page it was on."""

    next = HiddenField()


class MentorProfileForm(FlaskForm):
    capacity = IntegerField(
        "Mentees at once",
        validators=[
            InputRequired("Say how many mentees you take at once."),
            NumberRange(0, MAX_CAPACITY, f"Choose from 0 to {MAX_CAPACITY}."),
        ],
        render_kw={"min": 0, "max": MAX_CAPACITY},
    )
    available = BooleanField("I am taking new mentees")
    note = TextAreaField(
        "What I can help with (optional)",
        filters=[strip_text],
        validators=[Length(max=1000)],
        render_kw={"rows": 3},
    )
