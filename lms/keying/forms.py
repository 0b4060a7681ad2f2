"""Forms of the keying trainer pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from lms.forms import strip_text


class AcceptResultForm(FlaskForm):
    """Accept an unverified result after reviewing its evidence. `row_version`
    is the attempt's version the page was built from: an acceptance posted
    from an older page is refused (lms.attempts.regrading), so a reviewer never
    accepts a result that changed after they looked at it."""

    row_version = IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired("This form is out of date: reload the page.")],
    )
    reason = TextAreaField(
        "What you checked",
        validators=[
            DataRequired("Say what you checked: the reason goes into the audit trail."),
            Length(max=1000),
        ],
        filters=[strip_text],
        render_kw={"rows": 3, "maxlength": 1000},
        description=(
            "For example: watched the learner key it in the test room, or the "
            "answers match the keystroke record after a browser update."
        ),
    )
