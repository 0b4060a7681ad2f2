"""The audit log's filter bar (GET, so no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectChoice, SelectField
from wtforms.validators import Length, Optional, ValidationError

from lms.audit.queries import ACTION_LABELS


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(
        "Action",
        choices=[
            SelectChoice("", "Any action"),
            *(SelectChoice(key, label) for key, label in ACTION_LABELS.items()),
        ],
        validators=[Optional()],
    )
    actor = SearchField(
        "Who acted",
        validators=[Optional(), Length(max=120)],
        description="Part of a name or email.",
    )
    person = SearchField(
        "About whom",
        validators=[Optional(), Length(max=120)],
        description="Their account, attempts or mentoring.",
    )
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date comes before the start date.")
