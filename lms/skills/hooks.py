"""What the skills domain hooks into at start-up.

* The engine's and the courses' announcements: evidence flows by itself
  (lms.skills.evidence); `flask skills recompute` joins the skills commands.
* Jinja globals for the skills partials that lower layers' pages include
  (templates/skills/_moved.html on result pages, _mappings.html on quiz,
  keying test and course pages, _check_learning.html on course pages), so
  those pages' views need not know about skills.
"""

from __future__ import annotations

from flask import Flask, url_for
from werkzeug.routing import BuildError

from lms.skills import mappings, results, rules


def init_app(app: Flask) -> None:
    from lms.skills import evidence
    from lms.skills.cli import skills_cli
    from lms.skills.evidence_cli import recompute_command

    evidence.register_listeners()
    skills_cli.add_command(recompute_command)
    app.jinja_env.globals.update(
        skills_moved_by=results.skills_moved_by,
        skill_next_steps=results.next_steps,
        skill_readiness_change=results.readiness_change,
        skill_mappings_for=mappings.mappings_for,
        can_map_skills=mappings.can_map,
        check_your_learning=mappings.check_your_learning,
        skill_mappings_url=mappings_url,
        skill_subject_noun=mappings.noun_of,
        skills_url=optional_url,
    )
    app.jinja_env.filters["skill_rule"] = rules.describe


def mappings_url(subject) -> str:
    """The page where trainers manage a course's or an assessment's mappings."""
    if mappings.noun_of(subject) == "course":
        return url_for("skill_mappings.course_mappings", slug=subject.slug)
    return url_for("skill_mappings.assessment_mappings", assessment_id=subject.id)


def optional_url(endpoint: str, **values) -> str | None:
    """The page's address, or None when no page answers that endpoint."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None
