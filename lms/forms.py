"""Shared form bases and validators."""

import re

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that POST."""


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}$")


class EmailAddress:
    """A plain shape check. Deliverability is not ours to judge, and internal
    domains (like the demo's .test) must be accepted."""

    def __init__(self, message: str = "Enter an email address like name@company.com."):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and not EMAIL_RE.match(field.data.strip()):
            raise ValidationError(self.message)
