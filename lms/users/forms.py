"""Forms for administering people and teams. Select choices are filled in by the view."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.auth.passwords import MIN_PASSWORD_LENGTH
from lms.forms import EmailAddress
from lms.users import time_zones
from lms.users.models import Role

NO_CHOICE = 0  # "No team" / "No manager" in integer selects


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


ROLE_CHOICES = options((role.value, role.label) for role in Role)


class UserFilterForm(FlaskForm):
    """The search and filter bar of the people list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Optional(), Length(max=120)])
    role = SelectField(
        "Role",
        choices=[SelectChoice("", "Any role"), *ROLE_CHOICES],
        validators=[Optional()],
    )
    team = SelectField(
        "Team", choices=options([("", "Any team")]), validators=[Optional()]
    )
    status = SelectField(
        "Status",
        choices=options(
            [("", "Any status"), ("active", "Active"), ("inactive", "Deactivated")]
        ),
        validators=[Optional()],
    )


def time_zone_field(
    description: str = "Every date and time you read or type is in this zone.",
) -> SelectField:
    """A select of every IANA zone, and "" for the organisation's default."""
    return SelectField(
        "Time zone",
        choices=_zone_choices,
        validate_choice=False,
        validators=[Optional(), _known_zone],
        description=description,
    )


def _zone_choices() -> list[SelectChoice]:
    default = time_zones.default_zone_name()  # the app's, so named when rendered
    return [
        SelectChoice("", f"Organisation default ({default})"),
        *(SelectChoice(name, name) for name in time_zones.zone_names()),
    ]


def _known_zone(form, field) -> None:
    if field.data and not time_zones.is_known_zone(field.data):
        raise ValidationError("Choose a time zone from the list, e.g. Asia/Kolkata.")


class UserEditForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(), EmailAddress(), Length(max=254)]
    )
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.LEARNER.value)
    team_id = SelectField("Team", coerce=int, default=NO_CHOICE)
    job_title = StringField("Job title", validators=[Optional(), Length(max=120)])
    time_zone = time_zone_field("The zone of every date and time they read and type.")


class AccountForm(FlaskForm):
    """What a person sets for themselves on their account page."""

    time_zone = time_zone_field()


class UserCreateForm(UserEditForm):
    time_zone = None  # set later by the person, or on the edit page
    password = PasswordField(
        "Initial password",
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message="Use at least %(min)d characters, or leave it blank.",
            ),
        ],
    )


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=120)])
    manager_id = SelectField("Manager", coerce=int, default=NO_CHOICE)


class TeamMembersForm(FlaskForm):
    # The offered people are a capped, searchable list; the service checks the ids.
    user_ids = SelectMultipleField(
        "People to add",
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message="Choose at least one person to add.")],
    )  # drawn as a list of checkboxes (templates/users/team_detail.html)


class ImportUploadForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file to upload."),
            FileAllowed(["csv", "txt"], "Upload a .csv file."),
        ],
    )
    create_missing_teams = BooleanField("Create missing teams")


class ImportConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
