"""Who may assign an assessment, and to whom.

Trainers and admins run the training programme and assign to anyone; managers
assign to the active people of the teams they manage (the course assignment's
rule: lms.courses.policies.assigns_to_anyone, lms.courses.assignments.assign_scope).
Only published assessments are assigned. The same scope says whose assignments
an assigner sees in the lists.
"""

from __future__ import annotations

from lms.auth.permissions import has_permission
from lms.courses.assignments import AssignScope, assign_scope
from lms.courses.policies import assigns_to_anyone

ASSIGN_CAPABILITY = "assessment.assign"


def may_assign(user) -> bool:
    return has_permission(user, ASSIGN_CAPABILITY)


def can_assign_assessment(user, assessment) -> bool:
    return may_assign(user) and bool(assessment.is_published)


def scope_for(user) -> AssignScope:
    """Everyone for trainers and admins; their teams' members for managers."""
    return assign_scope(user, unrestricted=assigns_to_anyone(user))
