"""Every team report route against every role: a manager reaches their own
teams' pages, results and evidence, never another team's (in pages or the API,
and not through an error message either); learners and trainers get 403;
admins reach every team."""

from __future__ import annotations

import pytest

from tests.reports.conftest import ROLES

ANON_PAGE = 302  # to the sign-in page
ANON_API = 401

# route -> expected status per role (anon, learner, trainer, manager, other_manager, admin)
MATRIX = {
    "/reports/team": (ANON_PAGE, 403, 403, 200, 200, 200),
    "/reports/team?team={claims}": (ANON_PAGE, 403, 403, 200, 404, 200),
    "/reports/team?team={nights}&sort=-readiness": (ANON_PAGE, 403, 403, 200, 404, 200),
    "/reports/team?team={payables}": (ANON_PAGE, 403, 403, 404, 200, 200),
    "/reports/team?team=999999": (ANON_PAGE, 403, 403, 404, 404, 404),
    "/reports/team/results": (ANON_PAGE, 403, 403, 200, 200, 200),
    "/reports/team/results?team={claims}": (ANON_PAGE, 403, 403, 200, 404, 200),
    "/reports/team/results?team={payables}": (ANON_PAGE, 403, 403, 404, 200, 200),
    "/reports/team/results?team=999999": (ANON_PAGE, 403, 403, 404, 404, 404),
    "/reports/coverage": (ANON_PAGE, 403, 403, 200, 200, 200),
    "/reports/coverage?skill={entry}&level=3": (ANON_PAGE, 403, 403, 200, 200, 200),
    # The results and evidence of a Claims attempt; a live one shows no evidence.
    # (The trainer reviews neither test: browser-made and owned by nobody.)
    "/keying/attempts/{first}/result": (ANON_PAGE, 200, 403, 200, 403, 200),
    "/keying/attempts/{flagged}/review": (ANON_PAGE, 403, 403, 200, 403, 200),
    "/keying/attempts/{live}/review": (ANON_PAGE, 403, 403, 403, 403, 200),
    "/keying/attempts/{theirs}/review": (ANON_PAGE, 403, 403, 403, 200, 200),
    "/attempts/{quiz_attempt}/result": (ANON_PAGE, 200, 403, 200, 403, 200),
    "/api/v1/teams/{claims}/skill-matrix": (ANON_API, 403, 403, 200, 404, 200),
    "/api/v1/teams/{payables}/skill-matrix": (ANON_API, 403, 403, 404, 200, 200),
    "/api/v1/teams/999999/skill-matrix": (ANON_API, 403, 403, 404, 404, 404),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_role_route_matrix(world, role):
    client = world.client(role)
    wrong = []
    for template, statuses in MATRIX.items():
        expected = statuses[ROLES.index(role)]
        response = client.get(world.path(template))
        if response.status_code != expected:
            wrong.append((template, response.status_code, expected))
        elif expected == ANON_PAGE:
            assert "/login" in response.headers["Location"]
    assert wrong == []


def test_another_teams_404_says_no_more_than_a_missing_team(world):
    client = world.client("manager")
    theirs = client.get(world.path("/reports/team?team={payables}"))
    missing = client.get("/reports/team?team=999999")
    api_theirs = client.get(world.path("/api/v1/teams/{payables}/skill-matrix"))
    api_missing = client.get("/api/v1/teams/999999/skill-matrix")

    assert theirs.get_data() == missing.get_data()
    assert api_theirs.get_json() == api_missing.get_json()
    assert api_theirs.get_json()["error"] == "not_found"
    for response in (theirs, api_theirs):
        body = response.get_data(as_text=True)
        assert "Payables" not in body and "Otto" not in body


def test_a_managers_pages_never_name_another_teams_people(world):
    client = world.client("manager")
    pages = [
        "/reports/team?team={claims}",
        "/reports/team?team={nights}",
        "/reports/team/results?team={claims}",
        "/reports/coverage?skill={entry}&level=1",
        "/api/v1/teams/{claims}/skill-matrix",
    ]
    for template in pages:
        body = client.get(world.path(template)).get_data(as_text=True)
        assert "Otto Outsider" not in body, template
        assert "Payables" not in body, template


def test_the_results_filter_cannot_reach_another_teams_person(world):
    client = world.client("manager")
    url = world.path("/reports/team/results?team={claims}&person={outsider}")
    body = client.get(url).get_data(as_text=True)

    assert "Otto" not in body
    assert f'data-attempt="{world.ids["theirs"]}"' not in body


def test_the_manager_cannot_accept_an_unverified_result(world):
    client = world.client("manager")
    page = client.get(world.path("/keying/attempts/{flagged}/review"))
    posted = client.post(
        world.path("/keying/attempts/{flagged}/accept"),
        data={"reason": "Looks fine.", "row_version": 1},
    )

    assert page.status_code == 200
    assert "Accept this result" not in page.get_data(as_text=True)
    assert posted.status_code == 403


def test_team_in_the_navigation_for_managers_and_admins_only(world):
    for role, shown in (
        ("learner", False),
        ("trainer", False),
        ("manager", True),
        ("admin", True),
    ):
        body = world.client(role).get("/").get_data(as_text=True)
        assert ('href="/reports/team"' in body) is shown, role
