"""GET /api/v1/me/skills and /api/v1/me/career: the caller's own levels with their
evidence, their goal with gaps, readiness and next steps; by token or session,
for every role; queries that do not grow with the framework."""

from __future__ import annotations

import pytest

from lms.auth import tokens
from lms.extensions import db
from lms.skills import goals
from lms.users.models import User
from tests import factories
from tests.conftest import Clients
from tests.skills import profile_builders as build

API = "/api/v1"
ROLES = build.WORLD_ROLES


@pytest.fixture
def world(app, clock, build_once) -> dict:
    built = build_once(build.road_world, app)
    return {"ids": built["ids"], "clients": Clients(app, built["sessions"])}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", ["/me/skills", "/me/career"])
def test_role_matrix(world, role, call):
    response = world["clients"][role].get(API + call)

    assert response.status_code == (401 if role == "anon" else 200)
    assert response.is_json
    if role == "anon":
        assert response.get_json()["error"] == "unauthorized"


def test_my_skills_lists_every_skill_with_its_evidence(world):
    body = world["clients"]["learner"].get(f"{API}/me/skills").get_json()
    skills = {row["name"]: row for row in body["skills"]}

    assert [row["name"] for row in body["skills"]] == [
        "Skill 01", "Skill 03", "Skill 05", "Skill 02", "Skill 04", "Skill 06"
    ]  # fmt: skip
    assert skills["Skill 01"] | {"links": None} == {
        "slug": world["ids"]["skills"][0],
        "name": "Skill 01",
        "category": skills["Skill 01"]["category"],
        "level": 3,
        "descriptor": "Skill 01 at level 3",
        "since": "2026-03-02T09:00:00Z",
        "evidence_count": 1,
        "last_evidence_at": "2026-03-02T09:00:00Z",
        "self_level": 4,
        "target_level": 3,
        "gap": 0,
        "links": None,
    }
    assert skills["Skill 01"]["category"]["name"] == "Keying and records"
    assert skills["Skill 01"]["links"]["evidence"].endswith(
        f"/me/skills/{world['ids']['skills'][0]}"
    )
    assert (skills["Skill 03"]["level"], skills["Skill 03"]["self_level"]) == (0, 2)
    assert skills["Skill 03"]["last_evidence_at"] is None  # a self view never counts
    assert (skills["Skill 03"]["target_level"], skills["Skill 03"]["gap"]) == (3, 3)
    assert body["goal"]["role"]["name"] == "Senior executive"
    assert body["goal"]["readiness"] == 22.2


def test_my_career_gives_goal_gaps_readiness_and_next_steps(world):
    body = world["clients"]["learner"].get(f"{API}/me/career").get_json()

    assert body["goal"]["role"] == {
        "slug": "senior-executive",
        "name": "Senior executive",
        "path": {"slug": body["goal"]["role"]["path"]["slug"], "name": "Operations"},
    }
    assert body["goal"]["target_date"] == "2026-12-01"
    assert body["goal"]["status"] == "active"
    assert body["readiness"] == 22.2
    assert [(g["skill"]["name"], g["gap"]) for g in body["gaps"]][:2] == [
        ("Skill 03", 3),
        ("Skill 05", 3),
    ]
    assert body["gaps"][-1] == {
        "skill": {"slug": world["ids"]["skills"][0], "name": "Skill 01"},
        "required": 3,
        "current": 3,
        "gap": 0,
        "met": True,
    }
    steps = body["recommendations"]
    assert [(s["type"], s["kind"], s["title"]) for s in steps] == [
        ("assessment", "record_entry", "Ledger vs bank keying"),
        ("course", "course", "Reconciling accounts"),
        ("assessment", "quiz", "Reconciliation check"),
    ]
    assert steps[0]["url"] == f"/assessments/{world['ids']['keying']}"
    assert steps[0]["moves"] == [
        {
            "skill": {"slug": world["ids"]["skills"][2], "name": "Skill 03"},
            "level": 3,
            "condition": "a job-ready band",
            "current": 0,
            "required": 3,
            "reaches_target": True,
            "text": "a job-ready band gives Skill 03 level 3; you have no level yet, "
            "the Senior executive role needs 3",
        }
    ]


def test_without_a_goal_the_career_is_empty_and_skills_have_no_target(world):
    client = world["clients"]["manager"]

    career = client.get(f"{API}/me/career").get_json()
    skills = client.get(f"{API}/me/skills").get_json()

    assert career == {
        "goal": None,
        "readiness": None,
        "gaps": [],
        "recommendations": [],
    }
    assert skills["goal"] is None
    assert {(s["level"], s["target_level"], s["gap"]) for s in skills["skills"]} == {
        (0, None, 0)
    }


def test_a_token_reads_its_owners_skills_only(app, world, client):
    with app.app_context():
        _, raw = tokens.create_token(db.session.get(User, world["ids"]["other"]), "cli")
        db.session.commit()

    body = client.get(
        f"{API}/me/skills", headers={"Authorization": f"Bearer {raw}"}
    ).get_json()
    career = client.get(
        f"{API}/me/career", headers={"Authorization": f"Bearer {raw}"}
    ).get_json()

    levels = {row["name"]: row["level"] for row in body["skills"]}
    assert levels["Skill 01"] == 5 and levels["Skill 02"] == 0
    assert career["goal"]["role"]["name"] == "Quality analyst"
    assert career["readiness"] == 100.0
    assert career["recommendations"] == []


def test_a_wrong_token_is_401(client, world):
    response = client.get(f"{API}/me/career", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"


def _client_for(app, login, n_skills: int):
    with app.app_context():
        fw = build.framework(n_skills)
        learner = factories.user()
        for i, skill in enumerate(fw.skills):
            build.level(learner, skill, i % 3)
            build.evidence(learner, skill, 1, source="rating")
            course = factories.course(modules=1, title=f"Course {i}")
            build.mapping(skill, course=course)
            build.mapping(skill, assessment=factories.quiz(1, course=course))
        goals.set_goal(learner, fw.roles["senior"], build.date(2026, 12, 1))
        db.session.commit()
        return login(learner)


@pytest.mark.parametrize("call", ["/me/skills", "/me/career"])
def test_calls_take_the_same_queries_for_5_or_25_skills(
    app, login, clock, count_queries, call
):
    counts = []
    for n_skills in (5, 25):
        client = _client_for(app, login, n_skills)
        with count_queries() as counted:
            response = client.get(API + call)
        assert response.status_code == 200
        counts.append(counted.count)
        build.empty_tables(app)

    assert counts[0] == counts[1]
