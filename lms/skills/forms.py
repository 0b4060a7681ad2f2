"""Forms of the skills framework and career-path pages (lms.skills.admin_views).
Select choices that come from the database are filled in by the view; the
services (lms.skills.framework, lms.skills.paths) own the rules, the forms
only catch what can be told from the input alone."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
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
    ValidationError,
)

from lms.forms import strip_text
from lms.skills.catalog import MAX_RECENT_DAYS, NAME_MAX
from lms.skills.catalog_specs import GROUPS, LEVEL_NAMES
from lms.skills.levels import METHOD_LABELS, METHODS
from lms.skills.paths import MOVES
from lms.users.forms import options

LEVEL_FIELDS = tuple(f"level_{n}" for n in range(1, len(LEVEL_NAMES) + 1))
NOT_REQUIRED = 0


def _slug_field() -> StringField:
    return StringField(
        "Slug",
        filters=[strip_text],
        validators=[DataRequired(), Length(max=80)],
    )


def _name_field(label: str) -> StringField:
    return StringField(
        label, filters=[strip_text], validators=[DataRequired(), Length(max=NAME_MAX)]
    )


class CategoryForm(FlaskForm):
    slug = _slug_field()
    name = _name_field("Name")
    group = SelectField(
        "Group", choices=options((g, g.capitalize()) for g in GROUPS), default=GROUPS[0]
    )


class SkillForm(FlaskForm):
    slug = _slug_field()
    name = _name_field("Name")
    category_id = SelectField("Category", coerce=int)
    description = TextAreaField(
        "Description", filters=[strip_text], render_kw={"rows": 2}
    )
    level_1 = TextAreaField(f"1 {LEVEL_NAMES[0]}", validators=[DataRequired()])
    level_2 = TextAreaField(f"2 {LEVEL_NAMES[1]}", validators=[DataRequired()])
    level_3 = TextAreaField(f"3 {LEVEL_NAMES[2]}", validators=[DataRequired()])
    level_4 = TextAreaField(f"4 {LEVEL_NAMES[3]}", validators=[DataRequired()])
    level_5 = TextAreaField(f"5 {LEVEL_NAMES[4]}", validators=[DataRequired()])

    def levels(self) -> list[str]:
        return [getattr(self, name).data or "" for name in LEVEL_FIELDS]

    def fill_levels(self, descriptors: list[str]) -> None:
        for name, text in zip(LEVEL_FIELDS, descriptors, strict=False):
            getattr(self, name).data = text


class SkillFilterForm(FlaskForm):
    """The filter bar of the skill list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    category = SelectField("Category", choices=[], validators=[Optional()])
    status = SelectField(
        "Status",
        choices=options(
            [("active", "Active"), ("inactive", "Deactivated"), ("all", "Any status")]
        ),
        default="active",
        validators=[Optional()],
    )


class SettingsForm(FlaskForm):
    method = SelectField(
        "Method", choices=options((m, METHOD_LABELS[m]) for m in METHODS)
    )
    recent_days = IntegerField(
        "Recent window (days)",
        validators=[InputRequired(), NumberRange(min=1, max=MAX_RECENT_DAYS)],
    )
    decay = FloatField(
        "Decay (weight of the newest evidence)",
        validators=[InputRequired(), NumberRange(min=0.01, max=0.99)],
    )


class PathForm(FlaskForm):
    slug = _slug_field()
    name = _name_field("Name")
    description = TextAreaField(
        "Description", filters=[strip_text], render_kw={"rows": 3}
    )
    is_side_path = BooleanField("Side path (taken from a role of the main ladder)")


class RoleForm(FlaskForm):
    slug = _slug_field()
    name = _name_field("Name")
    description = TextAreaField(
        "What the role does", filters=[strip_text], render_kw={"rows": 3}
    )


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])

    def validate_direction(self, field) -> None:
        if field.data not in MOVES:
            raise ValidationError("Move a role earlier or later.")


LEVEL_CHOICES = options(
    [(NOT_REQUIRED, "Not required")]
    + [(n, f"{n} {name}") for n, name in enumerate(LEVEL_NAMES, 1)]
)


def requirements_form(skills, current: dict[int, int], *, submitted: bool) -> FlaskForm:
    """A form with one level select per skill, named `skill_<id>`: the posted
    values when `submitted`, else the role's current requirements."""

    class RequirementsForm(FlaskForm):
        def levels(self) -> dict[int, int]:
            return {
                skill.id: self[f"skill_{skill.id}"].data or NOT_REQUIRED
                for skill in skills
            }

    for skill in skills:
        setattr(
            RequirementsForm,
            f"skill_{skill.id}",
            SelectField(
                skill.name,
                coerce=int,
                choices=LEVEL_CHOICES,
                default=current.get(skill.id, NOT_REQUIRED),
            ),
        )
    return RequirementsForm() if submitted else RequirementsForm(formdata=None)


class ImportUploadForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file to upload."),
            FileAllowed(["csv", "txt"], "Upload a .csv file."),
        ],
    )


class ImportConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
