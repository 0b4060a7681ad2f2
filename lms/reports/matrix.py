"""The team dashboard's skill matrix: people × skills, each cell the person's
maintained level (UserSkill) against what their goal's role requires, with
each person's readiness, overdue work, feedback and latest results.

`team_matrix(viewer, team_id, category=None, sort=None, page=None)` is the one
entry point (pages, the API and exports call it). It returns plain rows, no
ORM objects:

* `category` is a skill category's slug: only its skills become columns.
* `sort` is "name", "readiness" or "skill:<slug>", with a leading "-" for
  descending ("-readiness"); anything else sorts by name. People without a
  goal come last when sorting by readiness, either way.
* `page` is a page of PER_PAGE people; None gives every person (exports).
* `with_results=False` leaves out each person's result trends (a statement
  less, for callers that do not show them).

A cell is **met** (level ≥ required), a **gap of 1**, a **gap of 2+**, or
**not required** by the person's goal. The statements run are the same
whatever the size of the team: the team list, the skills, the team's goals
with their requirements and levels, three grouped counts, the roster, then
for the page only its levels and its results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa
from markupsafe import Markup, escape

from lms import clock
from lms.extensions import db
from lms.reports import facts, scope, trends
from lms.reports.paging import Pager, pager
from lms.skills.models import Skill, UserSkill
from lms.skills.profile import active_skills
from lms.users.models import User

NAME = "name"
READINESS = "readiness"
SKILL_PREFIX = "skill:"
TOP_GAPS = 5

MET, GAP_ONE, GAP_MORE, NOT_REQUIRED = "met", "gap1", "gap2", "none"


@dataclass(frozen=True)
class SkillColumn:
    id: int
    slug: str
    name: str
    category_slug: str
    category_name: str

    @property
    def sort_key(self) -> str:
        return SKILL_PREFIX + self.slug


@dataclass(frozen=True)
class Cell:
    """One person's level in one skill against their goal's need. Built by
    `cell()`, which works out the gap, status and words once: a page draws
    thousands of cells."""

    skill_id: int
    level: int  # 0: not yet shown
    required: int | None  # None: the person's goal does not need this skill
    gap: int
    status: str
    summary: str  # the cell in words, for people who do not see its colour

    @property
    def html(self) -> Markup:
        """The cell's <td>, drawn once per distinct cell (see `cell`)."""
        return _cell_html(self)


@lru_cache(maxsize=8192)
def cell(skill_id: int, level: int, required: int | None) -> Cell:
    """A page draws thousands of cells out of a few hundred distinct ones (a
    skill × six levels × six requirements): each is worked out once per process."""
    gap = max((required or 0) - level, 0)
    held = f"level {level}" if level else "not yet shown"
    if required is None:
        status, summary = NOT_REQUIRED, f"{held}, not required"
    elif gap == 0:
        status, summary = MET, f"{held}, meets the {required} needed"
    else:
        status = GAP_ONE if gap == 1 else GAP_MORE
        summary = f"{held} of {required} needed"
    return Cell(skill_id, level, required, gap, status, summary)


@lru_cache(maxsize=8192)
def _cell_html(c: Cell) -> Markup:
    """Written here rather than in the template: rendering 1,400 cells through
    Jinja was a third of the dashboard's time, and cells repeat."""
    need = f'<span class="need">/{c.required}</span>' if c.required else ""
    if c.status == MET:
        sym = '<span class="sym">✓</span>'
    else:
        sym = f'<span class="sym">−{c.gap}</span>' if c.gap else ""
    return Markup(
        f'<td class="cell cell-{c.status}" data-skill="{c.skill_id}">'
        f'<span aria-hidden="true"><span class="lvl">{c.level or "–"}</span>'
        f'{need}{sym}</span><span class="visually-hidden">{escape(c.summary)}'
        "</span></td>"
    )


@dataclass
class PersonRow:
    id: int
    name: str
    email: str
    job_title: str | None
    goal_role: str | None
    readiness: float | None
    cells: list[Cell]
    counts: facts.Counts
    trends: trends.Trends = field(default_factory=trends.Trends)


@dataclass(frozen=True)
class Headline:
    people: int
    with_goal: int
    average_readiness: float | None
    overdue: int  # overdue courses and assessments
    people_overdue: int
    unacknowledged: int


@dataclass(frozen=True)
class TeamGap:
    """A skill the team's goals need more of: how many people fall short and
    by how many levels in all."""

    skill: SkillColumn
    people: int
    levels: int
    needed: int  # the highest level the team's goals require


@dataclass(frozen=True)
class Sort:
    key: str = NAME
    descending: bool = False

    @property
    def value(self) -> str:
        return ("-" if self.descending else "") + self.key

    def link(self, key: str) -> str:
        """The sort a column header sets: the other direction of the current
        sort, ascending for any other column."""
        if key == self.key:
            return ("" if self.descending else "-") + key
        return key

    def aria(self, key: str) -> str:
        if key != self.key:
            return "none"
        return "descending" if self.descending else "ascending"


@dataclass
class TeamMatrix:
    team_id: int
    team_name: str
    teams: list[tuple[int, str]]
    categories: list[tuple[str, str]]
    category: str | None
    skills: list[SkillColumn]
    rows: list[PersonRow]
    sort: Sort
    pager: Pager
    headline: Headline
    gaps: list[TeamGap]


def parse_sort(text: str | None, skills: list[SkillColumn]) -> Sort:
    text = (text or "").strip()
    descending = text.startswith("-")
    key = text.removeprefix("-")
    known = {NAME, READINESS} | {s.sort_key for s in skills}
    if key not in known:
        return Sort()
    return Sort(key, descending)


def skill_columns(skills: list[Skill]) -> list[SkillColumn]:
    return [
        SkillColumn(s.id, s.slug, s.name, s.category.slug, s.category.name)
        for s in skills
    ]


def _categories(columns: list[SkillColumn]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for column in columns:
        seen.setdefault(column.category_slug, column.category_name)
    return list(seen.items())


def _roster(team_id: int, sort: Sort, skill_id: int | None) -> list[tuple]:
    """Every active person of the team as (User, level in the sort skill)."""
    level = sa.literal(0)
    query = sa.select(User).where(facts.active_people(User.team_id == team_id))
    if skill_id is not None:
        level = sa.func.coalesce(UserSkill.level, 0)
        query = query.outerjoin(
            UserSkill,
            sa.and_(UserSkill.user_id == User.id, UserSkill.skill_id == skill_id),
        )
    return db.session.execute(query.add_columns(level)).all()


def _ordered(roster, sort: Sort, goals: dict[int, facts.GoalFacts]) -> list:
    def by_name(row):
        return (row[0].name.casefold(), row[0].id)

    people = sorted(roster, key=by_name)
    if sort.key == NAME:
        return people[::-1] if sort.descending else people
    if sort.key == READINESS:
        with_goal = [r for r in people if r[0].id in goals]
        without = [r for r in people if r[0].id not in goals]
        with_goal.sort(key=lambda r: goals[r[0].id].readiness, reverse=sort.descending)
        return with_goal + without
    return sorted(people, key=lambda r: r[1], reverse=sort.descending)


def _levels(person_ids: list[int]) -> dict[tuple[int, int], int]:
    if not person_ids:
        return {}
    rows = db.session.execute(
        sa.select(UserSkill.user_id, UserSkill.skill_id, UserSkill.level).where(
            UserSkill.user_id.in_(person_ids)
        )
    )
    return {(user_id, skill_id): level for user_id, skill_id, level in rows}


def _headline(people: int, goals, counts) -> Headline:
    readiness = [g.readiness for g in goals.values()]
    return Headline(
        people=people,
        with_goal=len(readiness),
        average_readiness=round(sum(readiness) / len(readiness), 1)
        if readiness
        else None,
        overdue=sum(c.overdue for c in counts.values()),
        people_overdue=sum(1 for c in counts.values() if c.overdue),
        unacknowledged=sum(c.unacknowledged for c in counts.values()),
    )


def team_gaps(goals, columns: list[SkillColumn], limit: int = TOP_GAPS):
    """The skills the team falls shortest in for its goals: most levels short
    in all, then most people short."""
    short: dict[int, list[int]] = {}
    needed: dict[int, int] = {}
    for goal in goals.values():
        for skill_id, required in goal.requirements.items():
            gap = goal.gap(skill_id)
            if gap:
                short.setdefault(skill_id, []).append(gap)
                needed[skill_id] = max(needed.get(skill_id, 0), required)
    by_id = {c.id: c for c in columns}
    found = [
        TeamGap(by_id[skill_id], len(gaps), sum(gaps), needed[skill_id])
        for skill_id, gaps in short.items()
        if skill_id in by_id
    ]
    found.sort(key=lambda g: (-g.levels, -g.people, g.skill.name.casefold()))
    return found[:limit]


def _row(user: User, shown, goals, counts, levels) -> PersonRow:
    goal = goals.get(user.id)
    required = goal.requirements if goal else {}
    return PersonRow(
        id=user.id,
        name=user.name,
        email=user.email,
        job_title=user.job_title,
        goal_role=goal.role_name if goal else None,
        readiness=goal.readiness if goal else None,
        cells=[
            cell(
                column.id,
                levels.get((user.id, column.id), 0),
                required.get(column.id),
            )
            for column in shown
        ],
        counts=counts.get(user.id, facts.Counts(team_id=user.team_id)),
    )


def team_matrix(
    viewer,
    team_id: int | None,
    category: str | None = None,
    sort: str | None = None,
    page: int | None = None,
    *,
    with_results: bool = True,
) -> TeamMatrix | None:
    """The matrix of one team the viewer reports on (the first of theirs when
    `team_id` is None); None when they have no team at all; NotFoundError for
    a team that does not exist or is not theirs (the same answer)."""
    teams = scope.teams_for(viewer)
    team = scope.chosen_team(viewer, team_id, teams)
    if team is None:
        return None
    columns = skill_columns(active_skills())
    categories = _categories(columns)
    if category not in dict(categories):
        category = None
    shown = [c for c in columns if category is None or c.category_slug == category]
    order = parse_sort(sort, columns)
    in_team = User.team_id == team.id
    goals = facts.goals(in_team)
    counts = facts.counts(in_team, clock.now().date())
    sort_skill = next((c.id for c in columns if c.sort_key == order.key), None)
    roster = _ordered(_roster(team.id, order, sort_skill), order, goals)
    found = pager(page, len(roster)) if page is not None else None
    people = roster[found.offset : found.last] if found else roster
    ids = [user.id for user, _ in people]
    levels = _levels(ids)
    recent = trends.recent_trends(ids) if with_results else {}
    rows = [_row(user, shown, goals, counts, levels) for user, _ in people]
    for row in rows:
        row.trends = recent.get(row.id, trends.Trends())
    return TeamMatrix(
        team_id=team.id,
        team_name=team.name,
        teams=[(t.id, t.name) for t in teams],
        categories=categories,
        category=category,
        skills=shown,
        rows=rows,
        sort=order,
        pager=found or pager(1, len(roster), max(len(roster), 1)),
        headline=_headline(len(roster), goals, counts),
        gaps=team_gaps(goals, columns),
    )


def team_headlines(team_ids: list[int]) -> dict[int, Headline]:
    """{team id: Headline} for several teams at once (the landing dashboard's
    cards): five grouped statements however many teams and people. Callers
    pass only teams the viewer may see."""
    if not team_ids:
        return {}
    in_teams = User.team_id.in_(team_ids)
    goals: dict[int | None, dict] = {team_id: {} for team_id in team_ids}
    for person_id, goal in facts.goals(in_teams).items():
        goals.setdefault(goal.team_id, {})[person_id] = goal
    counts: dict[int | None, dict] = {team_id: {} for team_id in team_ids}
    for person_id, found in facts.counts(in_teams, clock.now().date()).items():
        counts.setdefault(found.team_id, {})[person_id] = found
    people = facts.people_per_team(team_ids)
    return {
        team_id: _headline(people.get(team_id, 0), goals[team_id], counts[team_id])
        for team_id in team_ids
    }
