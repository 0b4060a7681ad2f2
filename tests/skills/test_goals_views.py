"""'My career': the ladder with the current role and the goal marked, a goal's
gaps, readiness and next steps, previewing a role, and setting, refusing and
dropping goals through the form."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.skills import goals
from lms.users.models import User
from tests import factories
from tests.conftest import Clients
from tests.skills import profile_builders as build
from tests.skills.test_profile_views import World, text_of


@pytest.fixture
def world(app, clock, build_once) -> World:
    built = build_once(build.road_world, app)
    return World(built["ids"], Clients(app, built["sessions"]))


def _steps(html: str) -> list[str]:
    section = html.split('id="steps-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="fw-semibold">([^<]+)</a>', section)


def test_the_goal_shows_readiness_gaps_largest_first_and_next_steps(world):
    page = world.client("learner").get("/me/career")
    html, text = page.get_data(as_text=True), text_of(page)

    assert page.status_code == 200
    assert "Your goal: Senior executive" in text
    assert "by 01 Dec 2026 (274 days left)" in text
    assert "Readiness 22 %" in text  # (3 + 1) of 18 required levels
    assert 'aria-valuenow="22"' in html
    gaps = re.findall(r"(Skill \d\d) (—|\d) 3 (Met|\d to go)", text)
    # Technical skills (odd) come before professional ones among equal gaps.
    assert [g[0] for g in gaps] == [
        "Skill 03", "Skill 05", "Skill 04", "Skill 06", "Skill 02", "Skill 01"
    ]  # fmt: skip
    assert _steps(html) == [
        "Ledger vs bank keying",  # Skill 03: the largest gap
        "Reconciling accounts",  # Skill 02: the course, then its check quiz
        "Reconciliation check",
    ]
    assert "Unpublished draft" not in html


def test_each_step_says_what_it_would_move_and_links_to_its_start(world):
    page = world.client("learner").get("/me/career")
    html, text = page.get_data(as_text=True), text_of(page)

    assert (
        "A job-ready band gives Skill 03 level 3; you have no level yet, "
        "the Senior executive role needs 3." in text
    )
    assert (
        "A score of at least 95 % gives Skill 02 level 3; you are at 1, "
        "the Senior executive role needs 3." in text
    )
    assert "Completing the course gives Skill 02 level 2" in text
    assert f'href="/courses/{world.ids["course"]}"' in html
    assert f'href="/assessments/{world.ids["check"]}"' in html
    assert f'href="/assessments/{world.ids["keying"]}"' in html


def test_the_ladder_marks_where_i_am_and_where_i_aim(world):
    html = world.client("learner").get("/me/career").get_data(as_text=True)

    here = html.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert "Executive" in here and "You are here" in here
    goal = html.split("is-goal", 1)[1].split("</li>", 1)[0]
    assert "Senior executive" in goal and "Your goal" in goal
    assert html.index("Operations") < html.index("Quality analyst")
    assert "Side path" in html


def test_a_role_can_be_previewed_before_choosing_it(world):
    analyst = world.ids["roles"]["analyst"]
    page = world.client("learner").get(f"/me/career?role={analyst}")
    text = text_of(page)

    assert "What Quality analyst needs" in text
    assert "You would be 75 % ready" in text  # level 3 of the 4 needed
    assert re.search(r'<option selected value="quality-analyst">', page.get_data(True))


def test_an_unknown_role_in_the_address_is_explained(world):
    text = text_of(world.client("learner").get("/me/career?role=astronaut"))

    assert "There is no such role in the career paths." in text


def test_without_a_goal_the_page_says_what_to_do(world):
    text = text_of(world.client("trainer").get("/me/career"))

    assert "No goal yet — pick a role to see what it needs" in text
    assert "Recommended next steps" not in text
    assert "You are here" not in text  # no job title


def _goal_of(app, user_id: int):
    with app.app_context():
        goal = goals.active_goal(db.session.get(User, user_id))
        return None if goal is None else (goal.role.slug, goal.target_date.isoformat())


def test_choosing_a_goal_saves_it_and_says_so(app, world):
    client = world.client("learner")
    form = {"role": "executive", "target_date": "2026-09-30", "note": "Next step up"}

    response = client.post("/me/career/goal", data=form)
    page = client.get(response.headers["Location"])

    assert response.status_code == 302
    assert "Your goal is Executive by 30 Sep 2026." in text_of(page)
    assert "Next step up" in text_of(page)
    assert _goal_of(app, world.ids["learner"]) == ("executive", "2026-09-30")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"role": "executive", "target_date": "2026-03-02"},
            "Choose a target date after today (02 Mar 2026)",
        ),
        ({"role": "executive", "target_date": ""}, "Choose a target date for your goal."),
        ({"role": "executive", "target_date": "soon"}, "Not a valid date value."),
        ({"role": "astronaut", "target_date": "2026-09-30"}, "Choose a role from the career paths."),
        ({"role": "", "target_date": "2026-09-30"}, "Choose the role you are aiming for."),
    ],
)  # fmt: skip
def test_a_refused_goal_keeps_the_typed_values_and_the_old_goal(
    app, world, form, message
):
    response = world.client("learner").post(
        "/me/career/goal", data={**form, "note": "My words"}
    )
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert message in text_of(response)
    assert "Please correct the highlighted fields." in html
    assert "My words</textarea>" in html
    if form["target_date"]:
        assert f'value="{form["target_date"]}"' in html
    assert _goal_of(app, world.ids["learner"]) == ("senior-executive", "2026-12-01")


def test_dropping_the_goal_brings_back_the_empty_state(app, world):
    client = world.client("learner")

    response = client.post("/me/career/goal/drop")
    text = text_of(client.get("/me/career"))

    assert response.status_code == 302
    assert "Goal dropped." in text
    assert "No goal yet — pick a role to see what it needs" in text
    assert _goal_of(app, world.ids["learner"]) is None


def test_dropping_without_a_goal_says_there_is_none(world):
    client = world.client("admin")

    client.post("/me/career/goal/drop")

    assert "You have no career goal to drop." in text_of(client.get("/me/career"))


def test_a_goal_that_is_met_says_so(app, login, clock):
    with app.app_context():
        fw = build.framework(2, requirement=1)
        learner = factories.user()
        for skill in fw.skills:
            build.level(learner, skill, 2)
        goals.set_goal(learner, fw.roles["senior"], build.date(2026, 12, 1))
        db.session.commit()
        client = login(learner)

    text = text_of(client.get("/me/career"))

    assert "Readiness 100 %" in text
    assert "You meet every requirement of Senior executive." in text


def test_no_paths_yet(app, login, clock):
    with app.app_context():
        learner = factories.user()
        db.session.commit()
        client = login(learner)

    assert "No career paths yet" in text_of(client.get("/me/career"))
