"""What a setting may hold: the one rule for declaring a setting's type, range,
choices and default, and for saying in words why a value is not allowed.

Quiz settings (lms/quizzes/settings.py) and a course's completion rules
(lms/courses/earning.py) declare their settings with `Spec`; a file reader or
a form reports `problems` in its own words while the rule stays here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Spec:
    """What one setting may hold. `type` is number | integer | boolean | choice."""

    type: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()
    optional: bool = False  # None is allowed and means "not set"

    def problem(self, value: Any) -> str | None:
        """Why `value` is not allowed, in words an author reads; None when it is."""
        if value is None:
            return None if self.optional else "give a value"
        if self.type == "boolean":
            return None if isinstance(value, bool) else "use true or false"
        if self.type == "choice":
            if value in self.choices and type(value) in {type(c) for c in self.choices}:
                return None
            return "use one of " + ", ".join(_shown_choice(c) for c in self.choices)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "use a number"
        if self.type == "integer" and not float(value).is_integer():
            return "use a whole number"
        if self.minimum is not None and value < self.minimum:
            return f"use {_number(self.minimum)} or more"
        if self.maximum is not None and value > self.maximum:
            return f"use {_number(self.maximum)} or less"
        return None

    def stored(self, value: Any) -> Any:
        """An allowed value as it is kept: an integer setting given 3.0 keeps 3."""
        return int(value) if self.type == "integer" and value is not None else value


def allowed_values(
    specs: Mapping[str, Spec], stored: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The values of `stored` that are allowed, each as it is kept; missing and
    disallowed ones are left out (the dataclass default applies)."""
    values = {}
    for name, spec in specs.items():
        value = (stored or {}).get(name)
        if value is not None and spec.problem(value) is None:
            values[name] = spec.stored(value)
    return values


def problems(
    specs: Mapping[str, Spec], given: Mapping[str, Any], unknown: str
) -> dict[str, str]:
    """Every setting in `given` whose value is not allowed, with the reason;
    `unknown` is said of a name no spec declares."""
    found = {}
    for name, value in given.items():
        spec = specs.get(name)
        if spec is None:
            found[name] = unknown
        elif (problem := spec.problem(value)) is not None:
            found[name] = problem
    return found


def _shown_choice(choice: Any) -> str:
    if isinstance(choice, bool):
        return "true" if choice else "false"
    return f'"{choice}"'


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
