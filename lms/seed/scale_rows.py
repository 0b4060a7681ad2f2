"""The rows of the scale data set, made without the database: people, results
shaped as the engine writes them, skill levels and their evidence, goals,
feedback and assignments. lms.seed.scale inserts them.

**Results.** A quiz result has every headline key the quiz kind writes
(kind, elapsed_seconds, score, max_score, percent, passed,
needs_manual_grading, items); a keying result is the keying scorers' own
`empty_result` with speeds set by their own `set_speeds` and the band chosen by
their own `band_for` against the kind's default bands. Per-item details
(`items`) are left empty: a million of them would be gigabytes, and no page
that reads many results opens them.

**People.** Each has a typist profile by job title (speed and care) with
spread, so speeds, accuracies, bands and levels vary the way a real floor's
do, and 2 % of keying results are unverified with the flag that says why.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from lms.attempts import results
from lms.keying.scoring.bands import DEFAULT_BANDS, band_for
from lms.keying.scoring.metrics import (
    ERROR_CLASSES,
    RECONCILIATION_ERROR_CLASSES,
    empty_result,
    set_speeds,
)

JOB_TITLES = ("Trainee executive", "Back-office executive", "Senior executive")
# (keystrokes per hour, accuracy, quiz percent, typical skill level) per title.
PROFILES = {
    "Trainee executive": (7000, 0.965, 62, 2),
    "Back-office executive": (9500, 0.982, 74, 3),
    "Senior executive": (12000, 0.992, 85, 4),
}
UNVERIFIED_SHARE = 0.02
FIRST_NAMES = [
    "Aarav",
    "Aditi",
    "Akash",
    "Amit",
    "Ananya",
    "Anil",
    "Anjali",
    "Arjun",
    "Asha",
    "Deepa",
    "Dev",
    "Divya",
    "Farhan",
    "Gita",
    "Harish",
    "Imran",
    "Isha",
    "Jaya",
    "Karan",
    "Kavya",
    "Kiran",
    "Lakshmi",
    "Manoj",
    "Meera",
    "Mohan",
    "Nandini",
    "Neha",
    "Nikhil",
    "Pooja",
    "Pradeep",
    "Priya",
    "Rahul",
    "Rajesh",
    "Ravi",
    "Rekha",
    "Rohit",
    "Sachin",
    "Sanjay",
    "Sara",
    "Shreya",
    "Sneha",
    "Suresh",
    "Tanvi",
    "Uma",
    "Varun",
    "Vijay",
    "Vikram",
    "Yash",
    "Zara",
]
LAST_NAMES = [
    "Agarwal",
    "Bhat",
    "Chopra",
    "Das",
    "Desai",
    "Fernandes",
    "Ghosh",
    "Gupta",
    "Iyer",
    "Jain",
    "Joshi",
    "Kapoor",
    "Khan",
    "Kulkarni",
    "Kumar",
    "Mehta",
    "Menon",
    "Mishra",
    "Nair",
    "Patel",
    "Pillai",
    "Rao",
    "Reddy",
    "Shah",
    "Sharma",
    "Singh",
    "Sinha",
    "Srinivasan",
    "Thomas",
    "Verma",
]


@dataclass(frozen=True)
class Assessable:
    """What a result needs to know of an assessment."""

    id: int
    kind: str
    questions: int = 10
    pass_percent: float = 70.0


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def job_title(rng: random.Random) -> str:
    return rng.choices(JOB_TITLES, weights=(3, 5, 2))[0]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def quiz_result(
    rng: random.Random, assessment: Assessable, title: str, seconds: float
) -> dict[str, Any]:
    percent_target = PROFILES[title][2] + rng.gauss(0, 12)
    questions = assessment.questions
    right = round(_clamp(percent_target, 0, 100) / 100 * questions)
    percent = 100.0 * right / questions if questions else 0.0
    return {
        "kind": "quiz",
        "elapsed_seconds": round(seconds, 3),
        "score": float(right),
        "max_score": float(questions),
        "percent": percent,
        "passed": percent >= assessment.pass_percent,
        "needs_manual_grading": False,
        "items": {},
    }


def keying_result(
    rng: random.Random, assessment: Assessable, title: str, seconds: float
) -> dict[str, Any]:
    kind = assessment.kind
    speed, care, _, _ = PROFILES[title]
    classes = (
        RECONCILIATION_ERROR_CLASSES if kind == "reconciliation" else ERROR_CLASSES
    )
    result = empty_result(kind, seconds, classes)
    kph = max(
        1000.0, rng.gauss(speed * (1.3 if kind == "ten_key" else 1.0), speed * 0.15)
    )
    accuracy = _clamp(rng.gauss(care, 0.012), 0.8, 1.0)
    keystrokes = int(kph * seconds / 3600)
    set_speeds(result, keystrokes, int(keystrokes * accuracy), seconds)
    result["accuracy"] = accuracy
    primary = {
        "record_entry": "field_accuracy",
        "ten_key": "entry_accuracy",
        "transcription": "char_accuracy",
    }.get(kind)
    if primary:
        result[primary] = accuracy
    if kind == "reconciliation":
        result["precision"] = result["recall"] = result["f1"] = accuracy
    result["completion_pct"] = 100.0
    if rng.random() < UNVERIFIED_SHARE:
        result["validity"] = "unverified"
        result["validity_reason"] = "The answers arrived without their keystrokes."
        result["flags"] = [
            {
                "code": "no_keystrokes",
                "message": "Answers were saved without the keystrokes that typed them.",
            }
        ]
    result["band"] = band_for(result, DEFAULT_BANDS.get(kind, {}))
    result["passed"] = result["band"] is not None
    return result


def attempt_row(
    rng: random.Random,
    *,
    attempt_id: int,
    user_id: int,
    title: str,
    assessment: Assessable,
    number: int,
    finished: datetime,
) -> dict[str, Any]:
    """One submitted attempt with its result and headline columns."""
    seconds = rng.uniform(240, 900)
    if assessment.kind == "quiz":
        result = quiz_result(rng, assessment, title, seconds)
    else:
        result = keying_result(rng, assessment, title, seconds)
    started = finished - timedelta(seconds=seconds)
    return {
        "id": attempt_id,
        "assessment_id": assessment.id,
        "user_id": user_id,
        "kind": assessment.kind,
        "number": number,
        "assessment_version": 1,
        "state": "submitted",
        "seed": rng.getrandbits(48),
        "snapshot": {"kind": assessment.kind, "generated": "scale"},
        "started_at": started,
        "deadline_at": started + timedelta(minutes=15),
        "submitted_at": finished,
        "finalized_by": "learner",
        "last_seq": 3,
        "result": result,
        **results.headline_columns(result),
        "flags": list(result.get("flags") or []),
        "row_version": 2,
    }


def skill_level(rng: random.Random, title: str) -> int:
    typical = PROFILES[title][3]
    return int(_clamp(round(rng.gauss(typical, 1.0)), 0, 5))


def user_skill_row(user_id: int, skill_id: int, level: int, when: datetime) -> dict:
    return {
        "user_id": user_id,
        "skill_id": skill_id,
        "level": level,
        "since": when if level else None,
        "method": "highest_recent",
        "evidence_count": 1 if level else 0,
        "self_level": None,
        "updated_at": when,
    }


def evidence_row(
    user_id: int,
    skill_id: int,
    level: int,
    when: datetime,
    *,
    attempt_id: int | None,
    rated_by: int | None,
) -> dict:
    return {
        "user_id": user_id,
        "skill_id": skill_id,
        "level": level,
        "source": "attempt" if attempt_id else "rating",
        "counted": True,
        "attempt_id": attempt_id,
        "course_id": None,
        "rated_by_id": None if attempt_id else rated_by,
        "note": "" if attempt_id else "Seen on the floor over the last quarter.",
        "observed_at": when,
        "superseded": False,
    }


def goal_row(user_id: int, role_id: int, today: date, when: datetime) -> dict:
    return {
        "user_id": user_id,
        "role_id": role_id,
        "target_date": today + timedelta(days=180),
        "status": "active",
        "note": "",
        "created_at": when,
        "updated_at": when,
    }


def feedback_row(
    rng: random.Random, author_id: int, user_id: int, attempt_id: int | None, when
) -> dict:
    acknowledged = rng.random() < 0.6
    return {
        "author_id": author_id,
        "subject_id": user_id,
        "attempt_id": attempt_id,
        "skill_id": None,
        "strength": "Steady pace and clean entries on the amounts.",
        "improve": "Check the GSTIN against the master before saving.",
        "created_at": when,
        "reply": "Thanks, will do." if acknowledged else None,
        "replied_at": when + timedelta(hours=3) if acknowledged else None,
        "acknowledged_at": when + timedelta(hours=3) if acknowledged else None,
    }


def assignment_row(
    assessment_id: int, user_id: int, manager_id: int, due: date, when: datetime
) -> dict:
    return {
        "assessment_id": assessment_id,
        "user_id": user_id,
        "due_on": due,
        "required": True,
        "assigned_by_id": manager_id,
        "assigned_at": when,
    }
