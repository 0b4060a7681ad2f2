"""Assigning an assessment: the course assignment form (a team, a due date today
or later, required or optional, at least one person or a team, the people as a
list of checkboxes found by search)."""

from __future__ import annotations

from lms.courses.forms import AssignForm, PeopleSearchForm

__all__ = ["AssessmentAssignForm", "PeopleSearchForm"]


class AssessmentAssignForm(AssignForm):
    """The same form as for a course: one rule for both."""
