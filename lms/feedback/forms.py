"""Feedback forms: giving feedback (a strength and one thing to improve, both
required, and an optional skill) and the person's one reply."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.feedback.services import TEXT_LIMIT
from lms.forms import strip_text
from lms.users.forms import options


class FeedbackForm(FlaskForm):
    strength = TextAreaField(
        "A strength",
        filters=[strip_text],
        validators=[
            DataRequired("Write a strength: something they did well."),
            Length(max=TEXT_LIMIT),
        ],
        render_kw={"rows": 3},
    )
    improve = TextAreaField(
        "One thing to improve",
        filters=[strip_text],
        validators=[
            DataRequired("Write one thing to improve, and how."),
            Length(max=TEXT_LIMIT),
        ],
        render_kw={"rows": 3},
    )
    skill_id = SelectField("Skill (optional)", coerce=int, default=0)

    def set_skills(self, skills: list[tuple[int, str]]) -> None:
        self.skill_id.choices = options([(0, "No particular skill")] + skills)


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        "Your reply",
        filters=[strip_text],
        validators=[
            DataRequired("Write your reply, or acknowledge the feedback without one."),
            Length(max=TEXT_LIMIT),
        ],
        render_kw={"rows": 3},
    )
