"""Mentoring pages as their users meet them: the manager pairs from the
suggestions, the mentor logs a session, the mentee acknowledges and ticks."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.mentorship.models import ActionItem, MentorPairing, MentorSession
from tests.mentorship import builders


def text(response) -> str:
    return response.get_data(as_text=True)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_nav_offers_mentoring_to_everyone(world):
    html = text(world.client("mate").get("/"))
    assert 'href="/mentoring"' in html


def test_the_manager_sees_their_people_with_their_mentors(world):
    html = text(world.client("manager").get("/mentoring/people"))

    assert "Nina Newhire" in html and "Mateo Mate" in html
    assert "Otto Outsider" not in html  # another team
    row = html[html.index(f'data-person="{world.ids["mentee"]}"') :]
    assert "Esha Expert" in row[: row.index("</tr>")]
    assert f"/mentoring/pair/{world.ids['mate']}" in html
    assert f"/people/{world.ids['mentee']}" in html


def test_pair_page_ranks_suggestions_for_the_goal_gaps_and_says_why(world, app):
    with app.app_context():
        builders.level(
            db.session.get(builders.User, world.ids["mate"]), builders.skill(), 1
        )
    html = text(world.client("manager").get(world.path("/mentoring/pair/{mentee}")))

    # Esha already mentors Nina: Otto holds Excel at the goal's 3.
    page = squash(html)
    assert "Goal: Senior executive" in page
    assert "Excel lookups: Nina 1, mentor 3+" in page
    suggested = re.findall(r'data-suggested="(\d+)"', html)
    assert suggested == [str(world.ids["outsider"])]
    assert "1 of 2 covered" in page


def test_chosen_focus_ranks_by_margin(world):
    html = text(
        world.client("manager").get(world.path("/mentoring/pair/{mate}?focus={excel}"))
    )

    suggested = [int(i) for i in re.findall(r'data-suggested="(\d+)"', html)]
    # Esha 4 (margin 3), Otto 3 (margin 2), Nina 1 (at target 1).
    assert suggested == [
        world.ids["mentor"],
        world.ids["outsider"],
        world.ids["mentee"],
    ]
    assert "3 levels above target" in squash(html)


def test_pairing_from_the_form_is_audited_and_opens_the_pairing(world, app):
    response = world.client("manager").post(
        world.path("/mentoring/pair/{mate}"),
        data={
            "mentor_id": world.ids["outsider"],
            "focus_skill_ids": [world.ids["excel"]],
            "starts_on": "2026-03-02",
            "ends_on": "2026-06-30",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        pairing = db.session.scalar(
            sa.select(MentorPairing).where(MentorPairing.mentee_id == world.ids["mate"])
        )
        assert pairing.mentor_id == world.ids["outsider"]
        assert pairing.focus_skill_ids == [world.ids["excel"]]
        assert (
            db.session.scalar(
                sa.select(AuditEvent.action).where(AuditEvent.target_id == pairing.id)
            )
            == "mentorship.pairing_created"
        )
    assert response.headers["Location"].endswith(f"/mentoring/pairings/{pairing.id}")


def test_a_refused_pairing_says_why_and_keeps_the_form(world, app):
    with app.app_context():
        builders.profile(
            db.session.get(builders.User, world.ids["outsider"]), capacity=0
        )
        db.session.commit()

    response = world.client("manager").post(
        world.path("/mentoring/pair/{mate}?q=otto"),
        data={
            "mentor_id": world.ids["outsider"],
            "starts_on": "2026-03-02",
            "ends_on": "2026-05-31",
        },
    )

    assert response.status_code == 400
    html = text(response)
    assert "their limit of 0" in html
    assert 'value="2026-05-31"' in html
    assert f'<option selected value="{world.ids["outsider"]}">' in html


def test_the_pair_form_checks_its_dates(world):
    response = world.client("admin").post(
        world.path("/mentoring/pair/{mate}"),
        data={
            "mentor_id": world.ids["outsider"],
            "starts_on": "2026-03-10",
            "ends_on": "2026-03-01",
        },
    )
    assert response.status_code == 400
    assert "on or after the start date" in text(response)


def test_the_mentor_sees_mentees_skills_goal_and_results_without_answers(world):
    html = text(world.client("mentor").get("/mentoring/mentees"))
    page = squash(html)

    assert "Nina Newhire" in page
    assert "Excel lookups 1" in page
    assert "Senior executive" in page and "Readiness: 20 %" in page
    assert "Lookups check" in page and "85 % · passed" in page
    # A learner mentor reads the figures but cannot open the result page.
    assert f"/attempts/{world.ids['attempt']}" not in html


def test_the_session_form_has_three_empty_item_rows_for_the_mentor_only(world):
    mentor_html = text(
        world.client("mentor").get(world.path("/mentoring/pairings/{pairing}"))
    )
    assert mentor_html.count('name="items-') == 9  # text, owner, due × 3
    assert "Action item 3" in mentor_html
    mentee_html = text(
        world.client("mentee").get(world.path("/mentoring/pairings/{pairing}"))
    )
    assert 'name="items-0-text"' not in mentee_html
    assert "Acknowledge" in mentee_html


def test_logging_a_session_with_items(world, app):
    response = world.client("mentor").post(
        world.path("/mentoring/pairings/{pairing}/sessions"),
        data={
            "held_on": "2026-03-02",
            "notes": "Pivot tables.\n\nNext: lookups.",
            "items-0-text": "Build a pivot",
            "items-0-owner_id": world.ids["mentee"],
            "items-0-due_on": "2026-03-09",
            "items-1-text": "",
            "items-1-owner_id": world.ids["mentee"],
            "items-2-text": "Find a sample file",
            "items-2-owner_id": world.ids["mentor"],
        },
    )

    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(
            sa.select(MentorSession).order_by(MentorSession.id.desc())
        )
        items = db.session.scalars(
            sa.select(ActionItem).where(ActionItem.session_id == session.id)
        ).all()
        assert [(i.text, i.owner_id) for i in items] == [
            ("Build a pivot", world.ids["mentee"]),
            ("Find a sample file", world.ids["mentor"]),
        ]
    page = text(world.client("mentor").get(response.headers["Location"]))
    assert "Pivot tables." in page and "Build a pivot" in page


def test_a_session_in_the_future_is_refused_with_the_notes_kept(world):
    response = world.client("mentor").post(
        world.path("/mentoring/pairings/{pairing}/sessions"),
        data={"held_on": "2026-03-05", "notes": "Planned ahead"},
    )

    assert response.status_code == 400
    html = text(response)
    assert "in the future" in html
    assert "Planned ahead" in html


def test_the_mentee_acknowledges_and_ticks_from_my_mentor(world):
    client = world.client("mentee")
    html = text(client.get("/mentoring/mine"))
    assert "Esha Expert" in html and "VLOOKUP" in html and "Practise lookups" in html
    assert "Send a sheet" not in html  # the mentor's own item

    response = client.post(
        world.path("/mentoring/sessions/{session}/acknowledge"),
        data={"next": "/mentoring/mine"},
    )
    assert response.headers["Location"].endswith("/mentoring/mine")
    response = client.post(
        world.path("/mentoring/items/{mentee_item}/done"),
        data={"done": "1", "next": "https://evil.example/"},
    )
    assert response.headers["Location"].endswith("/mentoring/mine")

    html = squash(text(client.get("/mentoring/mine")))
    assert "Nothing to acknowledge" in html
    assert "No open action items" in html
    assert "Recently done" in html and "Practise lookups" in html


def test_empty_states(world):
    client = world.client("mate")
    assert "You mentor nobody yet" in text(client.get("/mentoring/mentees"))
    mine = text(client.get("/mentoring/mine"))
    assert "Nobody mentors you at the moment" in mine
    assert "No open action items" in mine


def test_the_manager_ends_a_pairing(world, app):
    client = world.client("manager")
    response = client.post(world.path("/mentoring/pairings/{pairing}/end"))
    assert response.status_code == 302
    html = text(client.get(world.path("/mentoring/pairings/{pairing}")))
    assert "Ended" in html and "End pairing" not in html
    mentor_html = text(
        world.client("mentor").get(world.path("/mentoring/pairings/{pairing}"))
    )
    assert "no more sessions are logged" in mentor_html


def test_the_mentor_profile_form_rejects_out_of_range(world):
    response = world.client("mate").post(
        "/mentoring/profile", data={"capacity": "11", "available": "y"}
    )
    assert response.status_code == 400
    assert "Choose from 0 to 10" in text(response)
