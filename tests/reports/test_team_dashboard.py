"""The team dashboard: the skill matrix reads without colour, sorts and filters
on the server, and shows readiness, overdue work, result trends and feedback;
every name opens the person page; the landing dashboard leads to it."""

from __future__ import annotations

import re

from lms.extensions import db
from lms.reports import matrix
from lms.skills.models import SkillCategory
from lms.users.models import User


def _page(world, query: str = "") -> str:
    url = world.path("/reports/team?team={claims}" + query)
    response = world.client("manager").get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _cell(html: str, person_id: int, skill_id: int) -> str:
    row = html.split(f'data-person="{person_id}"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-skill="{skill_id}"', 1)[1].split("</td>", 1)[0]


def _people_order(html: str) -> list[int]:
    matrix_table = html.split('class="matrix mb-2"', 1)[1].split("</table>", 1)[0]
    return [int(n) for n in re.findall(r'data-person="(\d+)"', matrix_table)]


def test_each_cell_says_its_level_and_need_in_words_and_symbols(world):
    html = _page(world)
    ids = world.ids

    one_short = _cell(html, ids["learner"], ids["entry"])
    two_short = _cell(html, ids["learner"], ids["writing"])
    no_goal = _cell(html, ids["mate"], ids["entry"])

    assert "level 2 of 3 needed" in one_short and "−1" in one_short
    assert "not yet shown of 2 needed" in two_short and "−2" in two_short
    assert "level 3, not required" in no_goal
    assert 'class="cell cell-gap1"' in html and 'class="cell cell-gap2"' in html


def test_a_met_requirement_is_marked_met(world, app):
    from tests.mentorship import builders as skills

    with app.app_context():
        writing = db.session.get(matrix.Skill, world.ids["writing"])
        skills.level(db.session.get(User, world.ids["learner"]), writing, 4)
        db.session.commit()
    cell = _cell(_page(world), world.ids["learner"], world.ids["writing"])

    assert "level 4, meets the 2 needed" in cell and "✓" in cell


def test_readiness_and_the_headline(world):
    html = _page(world)

    # Nina: min(2,3) + min(0,2) of 3 + 2 = 40 %; Mateo has no goal.
    assert "40 %" in html and "No goal" in html
    assert "Senior executive" in html
    assert re.search(
        r'<div class="stat">2</div><div class="text-muted small">people', html
    )
    # One overdue course and one overdue keying test; the optional course is not.
    assert re.search(
        r'<div class="stat">2</div><div class="text-muted small">overdue', html
    )
    assert re.search(
        r'<div class="stat">1</div><div class="text-muted small">feedback', html
    )


def test_the_biggest_gaps_lead_to_sorting_and_coverage(world):
    html = _page(world)
    gaps = html.split('id="gaps-heading"', 1)[1].split("</section>", 1)[0]

    assert gaps.index("Written communication") < gaps.index("Data entry")
    assert f"/reports/coverage?skill={world.ids['writing']}&amp;level=2" in gaps


def test_sorting_is_done_on_the_server_with_aria_sort(world, app):
    ids = world.ids
    with app.app_context():
        entry = db.session.get(matrix.Skill, ids["entry"]).slug
    by_name = _page(world)
    by_name_desc = _page(world, "&sort=-name")
    by_skill = _page(world, f"&sort=skill:{entry}")
    by_readiness = _page(world, "&sort=-readiness")

    assert _people_order(by_name) == [ids["mate"], ids["learner"]]
    assert _people_order(by_name_desc) == [ids["learner"], ids["mate"]]
    assert _people_order(by_skill) == [ids["learner"], ids["mate"]]  # 2 before 3
    # People without a goal come last whichever way readiness sorts.
    assert _people_order(by_readiness) == [ids["learner"], ids["mate"]]
    assert 'aria-sort="ascending"' in by_name
    assert 'aria-sort="descending"' in by_readiness
    assert "sort=-name" in by_name  # the Person header turns the order round


def test_an_unknown_sort_falls_back_to_names(world):
    assert _people_order(_page(world, "&sort=bogus")) == [
        world.ids["mate"],
        world.ids["learner"],
    ]


def test_the_category_filter_keeps_only_its_skills(world, app):
    with app.app_context():
        entry = db.session.get(matrix.Skill, world.ids["entry"])
        category = db.session.get(SkillCategory, entry.category_id).slug
    html = _page(world, f"&category={category}")

    assert f'data-skill="{world.ids["entry"]}"' in html
    assert f'data-skill="{world.ids["writing"]}"' not in html
    assert 'aria-current="page" href="/reports/team?team=' in html


def test_names_open_the_person_page_and_the_results(world):
    html = _page(world)

    assert f'href="/people/{world.ids["learner"]}"' in html
    assert f"/reports/team/results?team={world.ids['claims']}&amp;person=" in html


def test_trends_are_small_charts_with_text_alternatives(world):
    html = _page(world)
    row = html.split('id="people-heading"', 1)[1]
    nina = row.split(f'href="/people/{world.ids["learner"]}"', 1)[1].split("</tr>", 1)[
        0
    ]

    # The two valid keying results, oldest first; the unverified one is no evidence.
    assert 'aria-label="Net KPH, last 2 results oldest first: 5,000, 6,500"' in nina
    assert "<polyline" in nina and "6,500" in nina
    assert "Quiz score, last 1 result oldest first: 100 %" in nina
    assert "1 not acknowledged" in nina
    assert "overdue: 1 courses, 1 assessments" in nina


def test_a_manager_of_several_teams_can_switch(world):
    html = _page(world)

    assert 'id="team-switch"' in html
    assert "Claims nights" in html


def test_a_manager_without_teams_sees_an_empty_state(world, app, login):
    from lms.users.models import Role
    from tests import factories

    with app.app_context():
        lonely = factories.user(Role.MANAGER)
        db.session.commit()
        client = login(lonely)
    body = client.get("/reports/team").get_data(as_text=True)

    assert "No teams yet" in body


def test_the_landing_dashboard_shows_the_headline_and_leads_to_the_team(world):
    html = world.client("manager").get("/").get_data(as_text=True)
    card = html.split(f'data-team="{world.ids["claims"]}"', 1)[1].split("</article>")[0]

    assert "Average readiness <strong>40 %</strong>" in card
    assert 'Overdue <strong class="text-danger">2</strong>' in card
    assert "Feedback not acknowledged <strong>1</strong>" in card
    assert f'href="/reports/team?team={world.ids["claims"]}"' in card


def test_team_matrix_for_exports_gives_every_person_as_plain_rows(world, app):
    with app.test_request_context():
        viewer = db.session.get(User, _manager_id(world))
        found = matrix.team_matrix(viewer, world.ids["claims"], page=None)

    assert [row.name for row in found.rows] == ["Mateo Mate", "Nina Newhire"]
    assert found.pager.total == 2
    nina = found.rows[1]
    # Framework order: Communication before Keying and accuracy.
    assert [(c.level, c.required, c.status) for c in nina.cells] == [
        (0, 2, "gap2"),
        (2, 3, "gap1"),
    ]


def _manager_id(world) -> int:
    from lms.users.models import Team

    return db.session.get(Team, world.ids["claims"]).manager_id


def test_admins_see_every_team_as_a_paged_table_of_headlines(world, app):
    html = world.client("admin").get("/").get_data(as_text=True)
    claims = html.split(f'<tr data-team="{world.ids["claims"]}">', 1)[1].split("</tr>")[
        0
    ]

    assert "Maya Manager" in claims and "40 %" in claims
    assert f'href="/reports/team?team={world.ids["claims"]}"' in claims
    assert f'data-team="{world.ids["payables"]}"' in html
    assert "<summary>People</summary>" not in html  # on each team's dashboard


def test_the_admins_team_table_costs_the_same_for_more_teams(
    world, app, login, count_queries
):
    from lms.users.models import Role
    from tests import factories

    client = world.client("admin")
    client.get("/")
    with count_queries() as few:
        client.get("/")
    with app.app_context():
        for _ in range(30):
            team = factories.team(manager=factories.user(Role.MANAGER))
            factories.user(team=team)
        db.session.commit()
    with count_queries() as many:
        html = client.get("/").get_data(as_text=True)

    assert few.count == many.count
    assert "?page=2" in html
