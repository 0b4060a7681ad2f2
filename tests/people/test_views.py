"""The person page: what each viewer sees, rating a skill, and links to results."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.skills.models import SkillEvidence, UserSkill
from lms.users.models import User


def text(response) -> str:
    return response.get_data(as_text=True)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def result_row(html: str, attempt_id: int) -> str:
    row = html[html.index(f'data-attempt="{attempt_id}"') :]
    return row[: row.index("</tr>")]


def test_the_manager_sees_everything_about_their_team_member(world):
    html = text(world.client("manager").get(world.path("/people/{mentee}")))
    page = squash(html)

    assert "Nina Newhire" in page and "Claims, managed by Maya Manager" in page
    assert "Excel lookups" in page and "Level 1" in page
    assert "Senior executive" in page and "readiness 20 %" in page
    assert "Mentored by Esha Expert" in page
    assert "Lookups check" in page and "85 % · passed" in page
    # A manager may open the result page and the pairing, and rate.
    assert "<a " in result_row(html, world.ids["attempt"])
    assert world.path('href="/mentoring/pairings/{pairing}"') in html
    assert "Rate this skill" in page
    assert world.path('href="/mentoring/pair/{mentee}"') in html


def test_the_person_sees_themselves_without_rating_themselves(world):
    page = squash(text(world.client("mentee").get(world.path("/people/{mentee}"))))
    assert "(you)" in page
    assert "Rate this skill" not in page
    assert "Pair a mentor" not in page


def test_a_learner_mentor_sees_figures_but_no_result_link(world):
    html = text(world.client("mentor").get(world.path("/people/{mentee}")))
    assert "85 % · passed" in squash(html)
    assert "<a " not in result_row(html, world.ids["attempt"])
    assert "Rate this skill" in html


def test_a_rating_needs_a_justification_and_keeps_what_was_typed(world):
    response = world.client("mentor").post(
        world.path("/people/{mentee}/ratings"),
        data={"skill_id": world.ids["excel"], "level": "3", "justification": " "},
    )

    assert response.status_code == 400
    html = text(response)
    assert "Say why" in html
    assert f'<option selected value="{world.ids["excel"]}">' in html
    assert '<option selected value="3">' in html


def test_a_rating_counts_and_is_audited(world, app):
    response = world.client("manager").post(
        world.path("/people/{mentee}/ratings"),
        data={
            "skill_id": world.ids["excel"],
            "level": "3",
            "justification": "Built the month-end lookup sheet alone.",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(world.path("/people/{mentee}#skills"))
    with app.app_context():
        level = db.session.scalar(
            sa.select(UserSkill.level).where(
                UserSkill.user_id == world.ids["mentee"],
                UserSkill.skill_id == world.ids["excel"],
            )
        )
        rating = db.session.scalar(sa.select(SkillEvidence))
        assert level == 3
        assert rating.rated_by_id == world.ids["manager"]
        assert db.session.scalar(sa.select(AuditEvent.action)) == "skill.rate"


def test_an_unknown_skill_is_refused(world):
    response = world.client("admin").post(
        world.path("/people/{mentee}/ratings"),
        data={"skill_id": "99999", "level": "3", "justification": "Because."},
    )
    assert response.status_code == 400
    assert "Choose a skill from the list" in text(response)


def test_empty_sections_say_so(world):
    page = squash(text(world.client("manager").get(world.path("/people/{mate}"))))
    assert "not chosen a career goal yet" in page
    assert "No mentoring yet" in page
    assert "No finished quizzes or keying tests yet" in page
    assert "has shown no skill level yet" in page


def test_the_dashboard_team_list_and_the_team_page_link_to_people(world, app):
    dashboard = text(world.client("manager").get("/"))
    assert world.path('href="/people/{mentee}"') in dashboard
    assert world.path('href="/people/{mate}"') in dashboard

    with app.app_context():
        team_id = db.session.get(User, world.ids["mentee"]).team_id
    team_page = text(world.client("admin").get(f"/admin/teams/{team_id}"))
    assert world.path('href="/people/{mentee}"') in team_page
