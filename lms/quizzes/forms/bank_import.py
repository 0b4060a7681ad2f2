"""The GIFT/Aiken import form of the question bank."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length

from lms.forms import strip_text
from lms.quizzes.forms.fields import options


class ImportForm(FlaskForm):
    upload = FileField("Upload a file (.gift, .txt)")
    text = TextAreaField(
        "…or paste the questions",
        render_kw={"rows": 12, "spellcheck": "false", "class": "font-monospace"},
    )
    format = SelectField(
        "Format",
        choices=options([("auto", "Detect"), ("gift", "GIFT"), ("aiken", "Aiken")]),
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
