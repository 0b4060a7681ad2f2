"""Input schemas of the skill mapping pages: a skill and its rule.

The rule's shape follows the subject (lms.skills.rules.rule_type_for): a quiz
gives levels from percent thresholds (one optional "from %" per level), a
keying test a level per band, a course a level for completing it. The form
builds the rule; lms.skills.rules says what is wrong with it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectChoice, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from lms.keying.scoring.bands import BAND_LABELS
from lms.skills import rules
from lms.skills.levels import MAX_LEVEL, MIN_LEVEL

LEVELS = range(MIN_LEVEL, MAX_LEVEL + 1)
LEVEL_CHOICES = [SelectChoice(n, f"Level {n}") for n in LEVELS]
BAND_CHOICES = [SelectChoice(0, "No evidence"), *LEVEL_CHOICES]
PERCENT_FIELDS = {n: f"from_{n}" for n in LEVELS}


def _percent_field(level: int) -> DecimalField:
    return DecimalField(
        f"Level {level} from (%)",
        places=None,
        validators=[
            Optional(),
            NumberRange(min=0.1, max=100, message="Give a percent from 0.1 to 100."),
        ],
        render_kw={"inputmode": "decimal", "step": "any"},
    )


def _band_field(band: str) -> SelectField:
    return SelectField(
        f"{BAND_LABELS[band]} band gives", coerce=int, choices=BAND_CHOICES, default=0
    )


class MappingRuleForm(FlaskForm):
    """The rule of one mapping; only the fields of its rule type are shown."""

    from_1 = _percent_field(1)
    from_2 = _percent_field(2)
    from_3 = _percent_field(3)
    from_4 = _percent_field(4)
    from_5 = _percent_field(5)
    foundation = _band_field("foundation")
    job_ready = _band_field("job_ready")
    proficient = _band_field("proficient")
    completion_level = SelectField(
        "Completing the course gives", coerce=int, choices=LEVEL_CHOICES, default=1
    )
    submit = SubmitField("Save mapping")

    def fields_for(self, rule_type: str) -> list:
        if rule_type == rules.PERCENT:
            return [getattr(self, name) for name in PERCENT_FIELDS.values()]
        if rule_type == rules.BAND:
            return [self.foundation, self.job_ready, self.proficient]
        return [self.completion_level]

    def load(self, rule: dict[str, Any]) -> None:
        """Show a stored rule in the fields (GET requests)."""
        kind = rule.get("type")
        if kind == rules.PERCENT:
            for threshold, level in rule.get("levels", []):
                if level in PERCENT_FIELDS:
                    getattr(self, PERCENT_FIELDS[level]).data = Decimal(str(threshold))
        elif kind == rules.BAND:
            for band, level in rule.get("levels", {}).items():
                if band in BAND_LABELS:
                    getattr(self, band).data = level
        elif kind == rules.COMPLETION:
            self.completion_level.data = rule.get("level", 1)

    def rule(self, rule_type: str) -> dict[str, Any]:
        """The rule the posted fields describe (checked by rules.problems)."""
        if rule_type == rules.PERCENT:
            levels = [
                [_number(getattr(self, name).data), level]
                for level, name in PERCENT_FIELDS.items()
                if getattr(self, name).data is not None
            ]
            return {"type": rules.PERCENT, "levels": sorted(levels)}
        if rule_type == rules.BAND:
            levels = {
                band: getattr(self, band).data
                for band in ("foundation", "job_ready", "proficient")
                if getattr(self, band).data
            }
            return {"type": rules.BAND, "levels": levels}
        return {"type": rules.COMPLETION, "level": self.completion_level.data}


class NewMappingForm(MappingRuleForm):
    skill_id = SelectField(
        "Skill",
        coerce=int,
        validators=[InputRequired(message="Choose a skill.")],
    )
    submit = SubmitField("Map this skill")

    def offer(self, skills) -> NewMappingForm:
        self.skill_id.choices = [
            SelectChoice(skill.id, f"{skill.name} ({skill.category.name})")
            for skill in skills
        ]
        return self


def _number(value: Decimal) -> int | float:
    """80 stays 80 in the stored rule; 87.5 stays 87.5."""
    return int(value) if value == value.to_integral_value() else float(value)
