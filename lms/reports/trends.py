"""Each person's latest results as short series for the team dashboard's small
charts: net KPH and accuracy of their valid results at the keying tests judged
on net KPH (record entry, 10-key), and their quiz percentages, oldest first.

One query for a page of people: a window over their finished attempts (the
attempt index on learner), keeping the last few of each series per person.
Unverified and invalid keying results are no evidence and are left out of the
trend (the results list shows them with their reason).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from lms.attempts.models import Attempt
from lms.attempts.queries import finished
from lms.extensions import db
from lms.keying.kinds import KEYING_KIND_NAMES
from lms.keying.services import headline_metric
from lms.quizzes.kind import QUIZ

PER_SERIES = 6
# The keying kinds judged on net KPH (transcription is judged on net WPM,
# reconciliation on F1): their trends are comparable speeds.
KPH_KINDS = tuple(k for k in KEYING_KIND_NAMES if headline_metric(k) == "net_kph")
QUIZ_SERIES = "quiz"
KEYING_SERIES = "keying"


@dataclass(frozen=True)
class Point:
    attempt_id: int
    at: datetime | None
    value: float


@dataclass
class Trends:
    """A person's series, oldest first."""

    net_kph: list[Point] = field(default_factory=list)
    accuracy: list[Point] = field(default_factory=list)  # 0–1
    quiz_percent: list[Point] = field(default_factory=list)  # 0–100

    @property
    def empty(self) -> bool:
        return not (self.net_kph or self.quiz_percent)


def _figure(name: str) -> sa.ColumnElement:
    return Attempt.result[name].as_float()


def recent_trends(person_ids: list[int], per_series: int = PER_SERIES) -> dict:
    """{person id: Trends} for the people who have results."""
    if not person_ids:
        return {}
    series = sa.case((Attempt.kind == QUIZ, QUIZ_SERIES), else_=KEYING_SERIES)
    is_quiz = sa.and_(Attempt.kind == QUIZ, Attempt.percent.is_not(None))
    is_keying = sa.and_(Attempt.kind.in_(KPH_KINDS), Attempt.is_valid.is_(True))
    position = (
        sa.func.row_number()
        .over(
            partition_by=(Attempt.user_id, series),
            order_by=(Attempt.submitted_at.desc(), Attempt.id.desc()),
        )
        .label("position")
    )
    # The window ranks columns only; the figures are read out of the stored
    # results for the few rows kept, not for every finished attempt.
    ranked = (
        sa.select(Attempt.id, series.label("series"), position)
        .where(
            Attempt.user_id.in_(person_ids),
            finished(),
            sa.or_(is_quiz, is_keying),
        )
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Attempt.id,
            Attempt.user_id,
            Attempt.submitted_at,
            ranked.c.series,
            Attempt.percent,
            _figure("net_kph").label("net_kph"),
            _figure("accuracy").label("accuracy"),
        )
        .join(ranked, ranked.c.id == Attempt.id)
        .where(ranked.c.position <= per_series)
        .order_by(Attempt.user_id, Attempt.submitted_at, Attempt.id)
    )
    found: dict[int, Trends] = defaultdict(Trends)
    for row in rows:
        trends = found[row.user_id]
        if row.series == QUIZ_SERIES:
            trends.quiz_percent.append(Point(row.id, row.submitted_at, row.percent))
            continue
        if row.net_kph is not None:
            trends.net_kph.append(Point(row.id, row.submitted_at, row.net_kph))
        if row.accuracy is not None:
            trends.accuracy.append(Point(row.id, row.submitted_at, row.accuracy))
    return dict(found)
