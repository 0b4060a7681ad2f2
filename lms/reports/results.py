"""A team's attempts and results for its manager (admins: any team): newest
first, filtered by person, assessment, kind and the days they were started
(typed in the viewer's own zone), a page at a time.

Each row carries what a list may show: a quiz's percentage and pass, a keying
test's headline (net speed, accuracy, band, or why there is none), validity and
the integrity flags. A live attempt shows only that it is in progress: no
figures, no items, no link. The attempts are found through the people of the
team (the attempt index on learner), and the figures are read out of the
stored results in the same statement: two statements per page (count, rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, load_only

from lms.attempts import kinds
from lms.attempts.models import IN_PROGRESS, Assessment, Attempt
from lms.extensions import db
from lms.keying.kinds import KEYING_KIND_NAMES
from lms.keying.services import headline, headline_metric
from lms.reports.paging import Pager, pager
from lms.users import time_zones
from lms.users.models import User

FIGURES = (
    "net_kph",
    "net_wpm",
    "f1",
    "accuracy",
)
TEXTS = ("validity", "validity_reason", "band_explanation")


@dataclass(frozen=True)
class Filters:
    person_id: int | None = None
    assessment_id: int | None = None
    kind: str | None = None
    since: date | None = None  # the viewer's local days, both included
    until: date | None = None

    def as_args(self) -> dict[str, Any]:
        """The filters as the page's query arguments (for paging links)."""
        args = {
            "person": self.person_id,
            "assessment": self.assessment_id,
            "kind": self.kind,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class ResultRow:
    attempt_id: int
    kind: str
    kind_label: str
    number: int
    state: str
    person_id: int
    person_name: str
    assessment_title: str
    started_at: datetime
    submitted_at: datetime | None
    percent: float | None
    passed: bool | None
    is_valid: bool
    flags: list[str]
    keying: dict[str, Any] | None  # lms.keying.services.headline

    @property
    def live(self) -> bool:
        return self.state == IN_PROGRESS

    @property
    def is_keying(self) -> bool:
        return self.kind in KEYING_KIND_NAMES


@dataclass
class TeamResults:
    rows: list[ResultRow]
    pager: Pager
    filters: Filters


def _local_start(day: date, zone) -> datetime:
    return time_zones.from_local(datetime.combine(day, time.min), zone)


def _conditions(team_id: int, filters: Filters, zone) -> list:
    conditions = [User.team_id == team_id]
    if filters.person_id:
        conditions.append(Attempt.user_id == filters.person_id)
    if filters.assessment_id:
        conditions.append(Attempt.assessment_id == filters.assessment_id)
    if filters.kind:
        conditions.append(Attempt.kind == filters.kind)
    if filters.since:
        conditions.append(Attempt.started_at >= _local_start(filters.since, zone))
    if filters.until:
        end = _local_start(filters.until + timedelta(days=1), zone)
        conditions.append(Attempt.started_at < end)
    return conditions


def results_query(team_id: int, filters: Filters, zone) -> sa.Select:
    """Attempts of the team's people matching `filters`, with their figures,
    newest first."""
    figures = [Attempt.result[name].as_float().label(name) for name in FIGURES]
    texts = [Attempt.result[name].as_string().label(name) for name in TEXTS]
    accepted = Attempt.result[("accepted", "reason")].as_string().label("accepted")
    return (
        sa.select(Attempt, *figures, *texts, accepted)
        .join(User, User.id == Attempt.user_id)
        .join(Assessment, Assessment.id == Attempt.assessment_id)
        .where(*_conditions(team_id, filters, zone))
        .options(
            load_only(
                Attempt.id,
                Attempt.user_id,
                Attempt.assessment_id,
                Attempt.kind,
                Attempt.number,
                Attempt.state,
                Attempt.started_at,
                Attempt.submitted_at,
                Attempt.percent,
                Attempt.passed,
                Attempt.band,
                Attempt.flags,
                Attempt.is_valid,
            ),
            contains_eager(Attempt.user).load_only(User.id, User.name),
            contains_eager(Attempt.assessment).load_only(
                Assessment.id, Assessment.title, Assessment.kind
            ),
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )


def _keying_headline(attempt: Attempt, row) -> dict[str, Any] | None:
    if attempt.kind not in KEYING_KIND_NAMES or attempt.is_live:
        return None
    if row.validity is None and getattr(row, headline_metric(attempt.kind)) is None:
        return None  # not scored (abandoned without a result)
    return headline(
        attempt.kind,
        {
            "speed": getattr(row, headline_metric(attempt.kind)),
            "accuracy": row.accuracy,
            "validity": row.validity,
            "validity_reason": row.validity_reason,
            "band": attempt.band,
            "band_explanation": row.band_explanation,
            "accepted": row.accepted,
        },
    )


def _kind_label(kind: str) -> str:
    return kinds.get(kind).label if kinds.is_registered(kind) else kind


def _row(row) -> ResultRow:
    attempt: Attempt = row[0]
    live = attempt.is_live
    return ResultRow(
        attempt_id=attempt.id,
        kind=attempt.kind,
        kind_label=_kind_label(attempt.kind),
        number=attempt.number,
        state=attempt.state,
        person_id=attempt.user.id,
        person_name=attempt.user.name,
        assessment_title=attempt.assessment.title,
        started_at=attempt.started_at,
        submitted_at=attempt.submitted_at,
        percent=None if live else attempt.percent,
        passed=None if live else attempt.passed,
        is_valid=attempt.is_valid,
        flags=[] if live else _flag_codes(attempt.flags),
        keying=_keying_headline(attempt, row),
    )


def _flag_codes(flags) -> list[str]:
    codes: list[str] = []
    for flag in flags or ():
        code = flag.get("code") if isinstance(flag, dict) else None
        if code and code not in codes:
            codes.append(code)
    return codes


def team_results(
    team_id: int, filters: Filters, zone=None, page: int | None = 1
) -> TeamResults:
    """A page of the team's results (page None: every row). Callers check the
    viewer may see the team (lms.reports.scope.visible_team)."""
    zone = zone or time_zones.viewer_zone()
    query = results_query(team_id, filters, zone)
    if page is None:
        rows = db.session.execute(query).all()
        return TeamResults([_row(r) for r in rows], pager(1, len(rows)), filters)
    total = db.session.scalar(
        sa.select(sa.func.count(Attempt.id))
        .join(User, User.id == Attempt.user_id)
        .where(*_conditions(team_id, filters, zone))
    )
    found = pager(page, total or 0)
    rows = db.session.execute(query.limit(found.per_page).offset(found.offset)).all()
    return TeamResults([_row(r) for r in rows], found, filters)


def assessment_choices() -> list[tuple[int, str]]:
    """Every assessment by title, for the filter."""
    rows = db.session.execute(
        sa.select(Assessment.id, Assessment.title, Assessment.kind).order_by(
            Assessment.title, Assessment.id
        )
    )
    return [(aid, f"{title} ({_kind_label(kind)})") for aid, title, kind in rows]


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in kinds.all_kinds()]
