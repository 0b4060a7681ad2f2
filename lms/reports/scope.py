"""Which teams and people a viewer may report on.

Admins see every team; a manager sees the teams they manage (the rule is
lms.attempts.policies.manages_learner / teams_managed_by); nobody else sees
any. A team the viewer may not see is answered exactly like a team that does
not exist, so neither a page nor an error message reveals another team's name.
"""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts.policies import teams_managed_by
from lms.auth.permissions import is_admin
from lms.errors import NotFoundError
from lms.extensions import db
from lms.users.models import Team, User

NO_SUCH_TEAM = "There is no such team, or it is not one of yours."


def team_condition(viewer) -> sa.ColumnElement[bool] | None:
    """The teams `viewer` reports on, as a condition over Team (None: all)."""
    if is_admin(viewer):
        return None
    return Team.id.in_(teams_managed_by(viewer))


def people_condition(viewer) -> sa.ColumnElement[bool] | None:
    """The people of those teams, as a condition over User (None: everyone)."""
    if is_admin(viewer):
        return None
    return User.team_id.in_(teams_managed_by(viewer))


def teams_for(viewer) -> list[Team]:
    """The teams `viewer` reports on, by name (for pickers and switchers)."""
    query = sa.select(Team).order_by(Team.name, Team.id)
    condition = team_condition(viewer)
    if condition is not None:
        query = query.where(condition)
    return list(db.session.scalars(query))


def visible_team(viewer, team_id: int | None) -> Team:
    """The team `viewer` asked for; NotFoundError (one message for "no such
    team" and "not yours") otherwise."""
    if team_id is None:
        raise NotFoundError(NO_SUCH_TEAM)
    query = sa.select(Team).where(Team.id == team_id)
    condition = team_condition(viewer)
    if condition is not None:
        query = query.where(condition)
    team = db.session.scalar(query)
    if team is None:
        raise NotFoundError(NO_SUCH_TEAM)
    return team


def chosen_team(viewer, team_id: int | None, teams: list[Team]) -> Team | None:
    """The asked-for team, or the first of `teams` when none was asked for;
    None when the viewer has no team at all."""
    if team_id is None:
        return teams[0] if teams else None
    for team in teams:
        if team.id == team_id:
            return team
    raise NotFoundError(NO_SUCH_TEAM)
