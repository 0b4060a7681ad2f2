"""From a result to a skill level, for one mapping rule (pure).

A `SkillMapping` carries one rule, stored as JSON:

* ``{"type": "percent", "levels": [[60, 1], [80, 2], [95, 3]]}``: a quiz's
  percent against thresholds; the level of the highest threshold met. Below
  the lowest threshold is no evidence (a low score says "not yet", not
  "level 0"); a quiz still waiting for a trainer's grade is no evidence yet.
* ``{"type": "band", "levels": {"foundation": 2, "job_ready": 3, "proficient": 4}}``:
  a keying test's band. A band certifies work only when the result is
  `valid`: an unverified or invalid attempt, or one below every band, is no
  evidence, and the reason says why. A band above the mapped ones earns the
  highest mapped band below it (proficient work is job-ready work too).
* ``{"type": "completion", "level": 1}``: a completed course.

`default_rule(source)` is the one place for the rule a mapping gets when
nobody chose one (content files name skills, not rules): quizzes percent,
keying tests band, courses completion. `outcome(rule, result)` answers
(level or None, why); `sentence(...)` turns that into the line result pages
show: "Moved Reconciliation to level 3 (Job-ready band)." or "No change to
Data entry: this attempt is unverified, so it is not evidence."
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from lms.keying.kinds import KEYING_KIND_NAMES
from lms.keying.scoring.bands import BAND_LABELS, BAND_ORDER

PERCENT = "percent"
BAND = "band"
COMPLETION = "completion"
RULE_TYPES = (PERCENT, BAND, COMPLETION)

COURSE = "course"  # the source name of a course; assessments use their kind
QUIZ = "quiz"

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    PERCENT: {"type": PERCENT, "levels": [[60, 1], [80, 2], [95, 3]]},
    BAND: {"type": BAND, "levels": {"foundation": 2, "job_ready": 3, "proficient": 4}},
    COMPLETION: {"type": COMPLETION, "level": 1},
}
BANDS_LOW_TO_HIGH = tuple(reversed(BAND_ORDER))

# Why a keying result that is not `valid` is no evidence.
NOT_VALID_BECAUSE = {
    "unverified": "this attempt is unverified, so it is not evidence",
    "invalid_too_short": "this attempt was too short to count, so it is not evidence",
    "invalid_implausible": (
        "this attempt's speed is beyond what a person can type, so it is not evidence"
    ),
}


class RuleOutcome(NamedTuple):
    """What one rule makes of one result: a level 1–5, or None and why not."""

    level: int | None
    reason: str

    @property
    def is_evidence(self) -> bool:
        return self.level is not None


# --- which rule ------------------------------------------------------------------


def rule_type_for(source: str) -> str:
    """The rule type a source takes: "course", "quiz" or a keying kind's name."""
    if source == COURSE:
        return COMPLETION
    if source in KEYING_KIND_NAMES:
        return BAND
    return PERCENT


def default_rule(source: str) -> dict[str, Any]:
    rule = DEFAULT_RULES[rule_type_for(source)]
    return {key: _copy(value) for key, value in rule.items()}


def problems(rule: Mapping[str, Any], source: str | None = None) -> list[str]:
    """Everything wrong with a rule, as sentences; [] when it can be used."""
    kind = rule.get("type") if isinstance(rule, Mapping) else None
    if kind not in RULE_TYPES:
        return ["Choose how a result becomes a level."]
    if source is not None and kind != rule_type_for(source):
        needed = _type_words(rule_type_for(source))
        return [f"A {_source_words(source)} maps to skills by {needed}."]
    if kind == PERCENT:
        return _percent_problems(rule.get("levels"))
    if kind == BAND:
        return _band_problems(rule.get("levels"))
    return [] if _is_level(rule.get("level")) else ["Choose a level from 1 to 5."]


def _percent_problems(levels: Any) -> list[str]:
    if not isinstance(levels, list) or not levels:
        return ["Give at least one percent threshold and its level."]
    found = []
    pairs = []
    for pair in levels:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not _is_number(pair[0])
            or not 0 < pair[0] <= 100
            or not _is_level(pair[1])
        ):
            found.append(
                "Each threshold is a percent above 0 and up to 100 with a level 1–5."
            )
            continue
        pairs.append((float(pair[0]), int(pair[1])))
    pairs.sort()
    thresholds = [t for t, _ in pairs]
    if len(set(thresholds)) != len(thresholds):
        found.append("Each percent threshold may appear only once.")
    if any(b[1] <= a[1] for a, b in zip(pairs, pairs[1:], strict=False)):
        found.append("A higher threshold must give a higher level.")
    return found


def _band_problems(levels: Any) -> list[str]:
    if not isinstance(levels, Mapping) or not levels:
        return ["Give a level for at least one band."]
    found = []
    for band, level in levels.items():
        if band not in BAND_ORDER:
            found.append(f"There is no band called {band!r}.")
        elif not _is_level(level):
            found.append(f"The {BAND_LABELS[band]} band needs a level from 1 to 5.")
    mapped = [levels[b] for b in BANDS_LOW_TO_HIGH if b in levels]
    if not found and any(b < a for a, b in zip(mapped, mapped[1:], strict=False)):
        found.append("A higher band may not give a lower level.")
    return found


# --- from a result to a level -------------------------------------------------------


def outcome(rule: Mapping[str, Any], result: Mapping[str, Any] | None) -> RuleOutcome:
    """The level `result` (an attempt's stored result; None for a course) earns."""
    kind = rule.get("type")
    if kind == COMPLETION:
        return RuleOutcome(int(rule["level"]), "course completed")
    if result is None:
        return RuleOutcome(
            None,
            "this attempt has no result (it was not submitted), so it is not evidence",
        )
    validity = result.get("validity", "valid")
    if validity != "valid":
        return RuleOutcome(None, not_valid_reason(validity))
    if kind == PERCENT:
        return _percent_outcome(rule["levels"], result)
    if kind == BAND:
        return _band_outcome(rule["levels"], result.get("band"))
    return RuleOutcome(None, "this mapping has no rule, so nothing is recorded")


def not_valid_reason(validity: str) -> str:
    if validity in NOT_VALID_BECAUSE:
        return NOT_VALID_BECAUSE[validity]
    return "this attempt is invalid, so it is not evidence"


def _percent_outcome(levels: list, result: Mapping[str, Any]) -> RuleOutcome:
    if result.get("needs_manual_grading"):
        return RuleOutcome(
            None,
            "some answers are waiting for a trainer's grade, so it is not evidence yet",
        )
    percent = result.get("percent")
    if not _is_number(percent):
        return RuleOutcome(None, "this attempt has no score, so it is not evidence")
    met = [(float(t), int(level)) for t, level in levels if percent >= float(t)]
    if not met:
        lowest = min(float(t) for t, _ in levels)
        return RuleOutcome(
            None, f"{_pct(percent)} is below the {_pct(lowest)} the first level needs"
        )
    threshold, level = max(met)
    return RuleOutcome(level, f"{_pct(percent)}, at least {_pct(threshold)}")


def _band_outcome(levels: Mapping[str, int], band: str | None) -> RuleOutcome:
    if band not in BAND_ORDER:
        return RuleOutcome(None, "no band was reached, so it is not evidence")
    reached = BANDS_LOW_TO_HIGH.index(band)
    earned = [
        int(levels[b])
        for b in BANDS_LOW_TO_HIGH[: reached + 1]
        if b in levels and _is_level(levels[b])
    ]
    label = BAND_LABELS[band]
    if not earned:
        return RuleOutcome(None, f"the {label} band earns no level for this skill")
    return RuleOutcome(max(earned), f"{label} band")


# --- words -----------------------------------------------------------------------------


def describe(rule: Mapping[str, Any]) -> str:
    """The rule as people read it: "≥ 80 % → level 2, ≥ 95 % → level 3"."""
    kind = rule.get("type")
    if kind == PERCENT:
        pairs = sorted((float(t), int(level)) for t, level in rule.get("levels", []))
        return ", ".join(f"≥ {_pct(t)} → level {level}" for t, level in pairs)
    if kind == BAND:
        levels = rule.get("levels", {})
        return ", ".join(
            f"{BAND_LABELS[b]} → level {levels[b]}"
            for b in BANDS_LOW_TO_HIGH
            if b in levels
        )
    if kind == COMPLETION:
        return f"completed → level {rule.get('level')}"
    return "no rule"


def outcomes(rule: Mapping[str, Any]) -> list[tuple[str, int]]:
    """Every level a rule can give with its condition, lowest level first:
    [("a score of at least 80 %", 2), ...], [("a job-ready band", 3), ...],
    [("completing the course", 1)]. Recommendations say what a step would move."""
    kind = rule.get("type")
    if kind == PERCENT:
        pairs = sorted((float(t), int(level)) for t, level in rule.get("levels", []))
        return [(f"a score of at least {_pct(t)}", level) for t, level in pairs]
    if kind == BAND:
        levels = rule.get("levels", {})
        return [
            (f"a {BAND_LABELS[b].lower()} band", int(levels[b]))
            for b in BANDS_LOW_TO_HIGH
            if b in levels
        ]
    if kind == COMPLETION:
        return [("completing the course", int(rule.get("level", 1)))]
    return []


def sentence(skill_name: str, found: RuleOutcome, before: int, after: int) -> str:
    """What a result did to one skill, for result pages."""
    if not found.is_evidence:
        return f"No change to {skill_name}: {found.reason}."
    if after != before:
        verb = "Moved" if after > before else "Lowered"
        return f"{verb} {skill_name} to level {after} ({found.reason})."
    return (
        f"No change to {skill_name}: level {found.level} evidence ({found.reason}); "
        f"the level stays at {after}."
    )


def _source_words(source: str) -> str:
    if source == COURSE:
        return "course"
    return "quiz" if source == QUIZ else "keying test"


def _type_words(kind: str) -> str:
    return {PERCENT: "percent thresholds", BAND: "band", COMPLETION: "completion"}[kind]


def _pct(value: float) -> str:
    return f"{round(float(value), 1):g} %"


def _is_level(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return [list(v) if isinstance(v, list) else v for v in value]
    return value
