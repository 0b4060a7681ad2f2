"""The team's results (filters, figures, flags, links; a live attempt shows only
that it is in progress), the coverage question, and the API's skill matrix."""

from __future__ import annotations

import re

from lms.extensions import db
from lms.skills.models import Skill


def _results(world, query: str = "", role: str = "manager"):
    url = world.path("/reports/team/results?team={claims}" + query)
    return world.client(role).get(url)


def _row(html: str, attempt_id: int) -> str:
    return html.split(f'data-attempt="{attempt_id}"', 1)[1].split("</tr>", 1)[0]


def _listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-attempt="(\d+)"', html)]


def test_results_list_every_attempt_of_the_team_newest_first(world):
    html = _results(world).get_data(as_text=True)
    ids = world.ids

    assert _listed(html) == [
        ids["live"],
        ids["flagged"],
        ids["second"],
        ids["first"],
        ids["quiz_attempt"],
    ]


def test_a_live_attempt_shows_only_that_it_is_in_progress(world):
    row = _row(_results(world).get_data(as_text=True), world.ids["live"])

    assert "In progress" in row
    assert "/result" not in row and "/review" not in row
    assert "KPH" not in row


def test_keying_rows_show_figures_band_validity_flags_and_links(world):
    html = _results(world).get_data(as_text=True)
    ids = world.ids
    valid = _row(html, ids["second"])
    flagged = _row(html, ids["flagged"])
    quiz = _row(html, ids["quiz_attempt"])

    assert "6,500 net KPH" in valid and "99.0 %" in valid and "Foundation" in valid
    assert f'href="/keying/attempts/{ids["second"]}/result"' in valid
    assert f'href="/keying/attempts/{ids["second"]}/review"' in valid
    assert "Unverified" in flagged and "Paste attempt" in flagged
    assert "100 %" in quiz and "Passed" in quiz
    assert f'href="/attempts/{ids["quiz_attempt"]}/result"' in quiz


def test_results_filter_by_kind_assessment_person_and_days(world):
    ids = world.ids

    quizzes = _results(world, "&kind=quiz").get_data(as_text=True)
    by_test = _results(world, f"&assessment={ids['test']}").get_data(as_text=True)
    early = _results(world, "&since=2026-02-01&until=2026-02-13").get_data(as_text=True)
    nobody = _results(world, f"&person={ids['mate']}").get_data(as_text=True)

    assert _listed(quizzes) == [ids["quiz_attempt"]]
    assert ids["quiz_attempt"] not in _listed(by_test) and ids["first"] in _listed(
        by_test
    )
    assert _listed(early) == [ids["first"], ids["quiz_attempt"]]
    assert _listed(nobody) == [] and "No attempts match" in nobody


def test_a_refused_filter_keeps_what_was_typed(world):
    response = _results(world, "&since=2026-02-20&until=2026-02-01")
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "The last day comes on or after the first." in html
    assert 'value="2026-02-20"' in html


def test_coverage_lists_people_at_the_level_or_above_highest_first(world):
    ids = world.ids
    url = world.path("/reports/coverage?skill={entry}&level=2")
    html = world.client("manager").get(url).get_data(as_text=True)
    people = [int(n) for n in re.findall(r'data-person="(\d+)"', html)]

    # Nora 5 (Claims nights), Mateo 3, Nina 2; Otto (Payables) is not the manager's.
    assert people == [ids["night"], ids["mate"], ids["learner"]]
    assert "Claims nights" in html and "Otto" not in html
    assert "10 Feb 2026" in html  # Mateo's latest evidence, not the older one


def test_coverage_for_admins_spans_everyone(world):
    url = world.path("/reports/coverage?skill={entry}&level=4")
    html = world.client("admin").get(url).get_data(as_text=True)
    people = [int(n) for n in re.findall(r'data-person="(\d+)"', html)]

    assert people == [world.ids["night"], world.ids["outsider"]]


def test_coverage_form_groups_skills_by_category_and_refuses_nonsense(world):
    client = world.client("manager")
    form = client.get("/reports/coverage").get_data(as_text=True)
    bad = client.get("/reports/coverage?skill=999999&level=9")

    assert '<optgroup label="Keying and accuracy">' in form
    assert bad.status_code == 400
    assert "Not a valid choice" in bad.get_data(as_text=True)


def test_coverage_of_an_inactive_skill_is_refused(world, app):
    with app.app_context():
        db.session.get(Skill, world.ids["writing"]).is_active = False
        db.session.commit()
    response = world.client("manager").get(
        world.path("/reports/coverage?skill={writing}&level=1")
    )

    assert response.status_code == 400


def test_the_api_matrix_has_each_level_against_the_need(world):
    body = (
        world.client("manager")
        .get(world.path("/api/v1/teams/{claims}/skill-matrix?sort=-readiness"))
        .get_json()
    )
    nina = next(p for p in body["people"] if p["id"] == world.ids["learner"])

    assert body["team"] == {"id": world.ids["claims"], "name": "Claims"}
    assert body["sort"] == "-readiness"
    assert [p["name"] for p in body["people"]] == ["Nina Newhire", "Mateo Mate"]
    assert nina["goal"] == {"role": "Senior executive", "readiness": 40.0}
    assert {c["status"] for c in nina["levels"]} == {"gap1", "gap2"}
    assert nina["overdue"] == {"courses": 1, "assessments": 1}
    assert nina["feedback"] == {"given": 2, "unacknowledged": 1}
    assert nina["links"]["person"] == f"/people/{world.ids['learner']}"
    assert body["headline"]["average_readiness"] == 40.0
    assert body["page"] == {"number": 1, "per_page": 50, "total": 2, "pages": 1}
    assert body["gaps"][0]["levels"] == 2
