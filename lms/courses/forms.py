"""Input schemas for authoring and assigning courses."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
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
from wtforms.widgets import CheckboxInput, ListWidget

from lms import clock
from lms.courses.authoring import LEVELS, SLUG_RE, parse_skill_slugs
from lms.courses.earning import FLOOR_SECONDS, SPECS, WORDS_PER_MINUTE
from lms.forms import strip_text, to_int

MAX_MARKDOWN_CHARS = 100_000


def _record_id(value) -> int:
    """A person or team id from a form; a number no id column holds is no choice."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = to_int(value)
    if number is None:
        raise ValueError("not an id")
    return number


def _optional_int(value):
    return _record_id(value) if value not in (None, "", "None") else None


class SkillSlugs:
    """Comma-separated skill short names, each matching ^[a-z0-9-]+$."""

    def __call__(self, form, field) -> None:
        _, invalid = parse_skill_slugs(field.data)
        if invalid:
            names = ", ".join(f"“{s}”" for s in invalid)
            raise ValidationError(
                f"{names}: skill short names use only lowercase letters, digits and "
                "hyphens, e.g. data-entry."
            )


class CourseForm(FlaskForm):
    """A course's details; the short name is chosen once, at creation."""

    title = StringField(
        "Title", validators=[DataRequired(), Length(max=200)], filters=[strip_text]
    )
    summary = TextAreaField(
        "Summary",
        validators=[DataRequired(), Length(max=1000)],
        filters=[strip_text],
        render_kw={"rows": 3},
    )
    level = SelectField(
        "Level",
        choices=[SelectChoice("", "Not set")]
        + [SelectChoice(v, v.capitalize()) for v in LEVELS],
        default="",
    )
    estimated_minutes = IntegerField(
        "Estimated minutes",
        validators=[Optional(), NumberRange(min=1, max=10_000)],
        render_kw={"min": 1, "max": 10_000, "inputmode": "numeric"},
    )
    skills = StringField(
        "Skills",
        validators=[Length(max=500), SkillSlugs()],
        filters=[strip_text],
        render_kw={"placeholder": "data-entry, attention-to-detail"},
    )

    min_reading_percent = IntegerField(
        "Minimum reading time (% of the estimate)",
        validators=[
            Optional(),
            NumberRange(
                min=SPECS["min_reading_percent"].minimum,
                max=SPECS["min_reading_percent"].maximum,
            ),
        ],
        description=(
            "How much of each module's estimated reading time "
            f"({WORDS_PER_MINUTE} words a minute) must pass after a learner first "
            "opens it before they can mark it complete; at least "
            f"{FLOOR_SECONDS} seconds when set. Empty or 0: no minimum."
        ),
        render_kw={"min": 0, "max": 100, "inputmode": "numeric", "placeholder": "0"},
    )
    require_reaching_end = BooleanField(
        "Learners must scroll to the end of a module before marking it complete"
    )

    @property
    def skill_slugs(self) -> list[str]:
        return parse_skill_slugs(self.skills.data)[0]

    @property
    def completion_rules(self) -> dict:
        """The completion options as lms.courses.earning stores them."""
        return {
            "min_reading_percent": self.min_reading_percent.data or 0,
            "require_reaching_end": bool(self.require_reaching_end.data),
        }


class NewCourseForm(CourseForm):
    slug = StringField(
        "Short name",
        validators=[
            Optional(),
            Length(max=80),
            Regexp(
                SLUG_RE,
                message="Use lowercase letters, digits and single hyphens, "
                "e.g. invoice-basics.",
            ),
        ],
        filters=[strip_text],
        render_kw={
            "autocomplete": "off",
            "spellcheck": "false",
            "data-slug-from": "title",  # course-authoring.js suggests it from the title
        },
    )


class ModuleForm(FlaskForm):
    title = StringField(
        "Title", validators=[DataRequired(), Length(max=200)], filters=[strip_text]
    )
    minutes = IntegerField(
        "Minutes",
        validators=[Optional(), NumberRange(min=1, max=600)],
        render_kw={"min": 1, "max": 600, "inputmode": "numeric"},
    )
    body_md = TextAreaField(
        "Lesson text (Markdown)",
        validators=[
            DataRequired(message="Write the lesson text."),
            Length(max=MAX_MARKDOWN_CHARS),
        ],
        render_kw={"rows": 18, "spellcheck": "true"},
    )
    save = SubmitField("Save module")
    preview = SubmitField("Preview")


class PeopleSearchForm(FlaskForm):
    """The people picker's search box (GET: no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(
        "Find people",
        validators=[Optional(), Length(max=100)],
        filters=[strip_text],
        render_kw={"placeholder": "A name, email or team", "autocomplete": "off"},
    )


class AssignForm(FlaskForm):
    """Assigning a course or an assessment: the people are ticked in a list found
    by search (templates/_macros/pickers.html), or a whole team is chosen."""

    people = SelectMultipleField(
        "People",
        coerce=_record_id,
        validate_choice=False,  # resolve_assignees checks each against the scope
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    team = SelectField(
        "Whole team",
        coerce=_optional_int,
        validate_choice=False,
    )
    due_on = DateField(
        "Due date",
        validators=[InputRequired(message="Choose the date it is due.")],
    )
    required = SelectField(
        "Required or optional",
        choices=[
            SelectChoice("required", "Required: overdue when not done by the due date"),
            SelectChoice("optional", "Optional: recommended, never marked overdue"),
        ],
        default="required",
    )

    @property
    def is_required(self) -> bool:
        return self.required.data != "optional"

    def validate_due_on(self, field) -> None:
        if field.data and field.data < clock.now().date():
            raise ValidationError("The due date is in the past.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.people.data and self.team.data is None:
            self.people.errors.append("Choose at least one person or a team.")
            return False
        return ok
