"""'My skills' and the evidence trail: who may open them (every role × route of
the learner's skills and career pages), what they show, and queries that do
not grow with the framework."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from lms.extensions import db
from lms.skills import goals
from lms.users.models import User
from tests import factories
from tests.conftest import Clients
from tests.skills import profile_builders as build

ROLES = build.WORLD_ROLES


@dataclass
class World:
    ids: dict
    clients: Clients

    def client(self, role: str):
        return self.clients[role]


@pytest.fixture
def world(app, clock, build_once) -> World:
    built = build_once(build.road_world, app)
    return World(built["ids"], Clients(app, built["sessions"]))


def E(anon=302, learner=200, trainer=200, manager=200, admin=200):
    return dict(zip(ROLES, (anon, learner, trainer, manager, admin), strict=True))


GOAL = {"role": "{executive}", "target_date": "2026-10-01", "note": ""}
PAST = {"role": "{executive}", "target_date": "2026-01-01", "note": ""}
UNKNOWN = {"role": "astronaut", "target_date": "2026-10-01", "note": ""}

CASES = [
    ("my skills", "GET", "/me/skills", None, E()),
    ("evidence trail", "GET", "/me/skills/{skill0}", None, E()),
    ("evidence trail, page 2", "GET", "/me/skills/{skill0}?page=2", None, E()),
    ("unknown skill", "GET", "/me/skills/nope", None, E(302, 404, 404, 404, 404)),
    ("own view", "POST", "/me/skills/{skill0}/own-view", {"level": "2"},
     E(302, 302, 302, 302, 302)),
    ("own view out of range", "POST", "/me/skills/{skill0}/own-view", {"level": "9"},
     E(302, 400, 400, 400, 400)),
    ("own view of no skill", "POST", "/me/skills/nope/own-view", {"level": "2"},
     E(302, 404, 404, 404, 404)),
    ("my career", "GET", "/me/career", None, E()),
    ("a role's needs", "GET", "/me/career?role={senior}", None, E()),
    ("an unknown role's needs", "GET", "/me/career?role=nope", None, E()),
    ("set a goal", "POST", "/me/career/goal", GOAL, E(302, 302, 302, 302, 302)),
    ("a past date", "POST", "/me/career/goal", PAST, E(302, 400, 400, 400, 400)),
    ("an unknown role", "POST", "/me/career/goal", UNKNOWN, E(302, 400, 400, 400, 400)),
    ("drop the goal", "POST", "/me/career/goal/drop", {}, E(302, 302, 302, 302, 302)),
    ("drop by GET", "GET", "/me/career/goal/drop", None, E(405, 405, 405, 405, 405)),
]  # fmt: skip


def fill(world: World, text: str) -> str:
    ids = world.ids
    return text.format(
        skill0=ids["skills"][0],
        executive=ids["roles"]["executive"],
        senior=ids["roles"]["senior"],
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "data", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_role_matrix(world, role, method, path, data, expected):
    client = world.client(role)
    url = fill(world, path)

    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={k: fill(world, v) for k, v in data.items()})

    assert response.status_code == expected[role]
    if role == "anon" and response.status_code == 302:
        assert "/login" in response.headers["Location"]


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_my_skills_shows_levels_own_view_target_and_gap(world):
    page = world.client("learner").get("/me/skills")
    text = text_of(page)

    assert page.status_code == 200
    assert "Senior executive by 01 Dec 2026" in text
    assert "Skill 01 Level 3" in text  # the level, linked to its trail
    assert "Skill 03 Not yet shown" in text
    assert "Skill 02 Level 1 1 piece of evidence" in text
    assert "2 to go" in text and "Met" in text
    assert f'href="/me/skills/{world.ids["skills"][0]}"' in page.get_data(True)


def test_the_chart_is_inline_svg_without_scripts_and_reads_without_colour(world):
    html = world.client("learner").get("/me/skills").get_data(as_text=True)
    svgs = [
        svg
        for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S)
        if "skill-bars" in svg
    ]

    assert len(svgs) == 2  # one per category
    assert "<script" not in html.split("<footer")[0].split("</nav>", 1)[1]
    assert all('aria-hidden="true"' in svg for svg in svgs)
    assert all("now 3" in svg or "now 1" in svg for svg in svgs)
    assert any("target 3" in svg for svg in svgs)
    assert all("<pattern" in svg for svg in svgs)  # hatched target bars


def test_every_role_sees_only_their_own_skills(world):
    text = text_of(world.client("manager").get("/me/skills"))

    assert "Level 3" not in text and "Level 5" not in text
    assert "No goal yet — pick a role to see what it needs" in text
    assert "No levels yet" in text


def test_a_profile_without_a_framework_says_so(app, login, clock):
    with app.app_context():
        learner = factories.user()
        db.session.commit()
        client = login(learner)

    text = text_of(client.get("/me/skills"))

    assert "No skills framework yet" in text
    assert "No goal yet — pick a role to see what it needs" in text


def test_the_trail_lists_each_piece_of_evidence_with_its_source(world):
    skill0, skill1, skill2 = world.ids["skills"][:3]
    client = world.client("learner")

    rating = text_of(client.get(f"/me/skills/{skill0}"))
    attempt = client.get(f"/me/skills/{skill1}").get_data(as_text=True)
    own_view = text_of(client.get(f"/me/skills/{skill2}"))

    assert "Rated by Maya Manager" in rating
    assert "Reconciled the March ledger alone." in rating
    assert "Skill 01 at level 3" in rating  # the level's descriptor
    assert "Reconciliation check, attempt 1" in attempt
    assert f"/attempts/{world.ids['attempt']}" in attempt  # links to the result
    assert "Your own view" in own_view and "Not counted" in own_view


def test_the_trail_page_has_a_plain_title_and_one_own_view_form(world):
    page = world.client("learner").get(f"/me/skills/{world.ids['skills'][0]}")
    html = page.get_data(as_text=True)

    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "My skills" in title
    assert html.count('id="own-view"') == 1


def test_the_trail_of_another_persons_skill_shows_only_mine(world):
    text = text_of(world.client("admin").get(f"/me/skills/{world.ids['skills'][0]}"))

    assert "No evidence yet" in text
    assert "Maya Manager" not in text


def test_the_trail_pages(app, world):
    app.config["PAGE_SIZE"] = 2
    with app.app_context():
        learner = db.session.get(User, world.ids["learner"])
        skill = db.session.scalars(
            db.select(build.Skill).where(build.Skill.slug == world.ids["skills"][3])
        ).one()
        for n in range(5):
            build.evidence(learner, skill, 1 + n % 3, source="rating", note=f"Note {n}")
        db.session.commit()
    client = world.client("learner")

    first = text_of(client.get(f"/me/skills/{world.ids['skills'][3]}"))
    third = text_of(client.get(f"/me/skills/{world.ids['skills'][3]}?page=3"))

    assert "Note 4" in first and "Note 3" in first and "Note 2" not in first
    assert "Note 0" in third


def _framework_of(app, n_skills: int, login):
    with app.app_context():
        fw = build.framework(n_skills)
        learner = factories.user()
        for i, skill in enumerate(fw.skills):
            build.level(learner, skill, 1 + i % 3)
            build.evidence(learner, skill, 1, source="rating")
            course = factories.course(modules=1, title=f"Course {i}")
            build.mapping(skill, course=course)
            build.mapping(skill, assessment=factories.quiz(1, course=course))
        goals.set_goal(learner, fw.roles["senior"], build.date(2026, 12, 1))
        db.session.commit()
        return login(learner), fw.skills[0].slug


@pytest.mark.parametrize(
    "path", ["/me/skills", "/me/career", "/me/career?role=executive", "/me/skills/{s}"]
)
def test_pages_take_the_same_queries_for_5_or_25_skills(
    app, login, clock, count_queries, path
):
    counts = []
    for n_skills in (5, 25):
        client, slug = _framework_of(app, n_skills, login)
        with count_queries() as counted:
            assert client.get(path.format(s=slug)).status_code == 200
        counts.append(counted.count)
        build.empty_tables(app)

    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ROLES[1:])
def test_nav_and_dashboard_lead_to_my_skills_and_career(world, role):
    client = world.client(role)

    dashboard = client.get("/").get_data(as_text=True)
    career = client.get("/me/career").get_data(as_text=True)

    assert 'href="/me/skills">My skills</a>' in dashboard  # the nav
    assert 'href="/me/career">My career</a>' in dashboard or role != "learner"
    nav = career.split("</header>", 1)[0]
    assert 'active" aria-current="page" href="/me/skills">My skills' in nav


def _user_skill(app, user_id: int, slug: str):
    with app.app_context():
        return db.session.execute(
            db.select(build.UserSkill.level, build.UserSkill.self_level)
            .join(build.Skill, build.Skill.id == build.UserSkill.skill_id)
            .where(build.UserSkill.user_id == user_id, build.Skill.slug == slug)
        ).one_or_none()


def test_my_own_view_is_kept_beside_the_level_and_never_changes_it(app, world):
    slug = world.ids["skills"][1]  # level 1, no own view yet
    client = world.client("learner")

    response = client.post(f"/me/skills/{slug}/own-view", data={"level": "5"})
    page = client.get(response.headers["Location"])

    assert response.status_code == 302
    assert _user_skill(app, world.ids["learner"], slug) == (1, 5)
    text = text_of(page)
    assert "Saved: you see yourself at level 5 in Skill 02." in text
    assert "Self-assessment" in text and "your own view, shown beside" in text
    assert re.search(r'<input checked[^>]*value="5"', page.get_data(as_text=True))


def test_the_own_view_form_lists_what_each_level_means(world):
    html = world.client("learner").get(f"/me/skills/{world.ids['skills'][0]}")
    text = text_of(html)

    assert "3 · Proficient — Skill 01 at level 3" in text
    assert "Where do you think you are?" in text


def test_a_missing_own_view_is_refused_with_the_reason(app, world):
    slug = world.ids["skills"][0]

    response = world.client("learner").post(f"/me/skills/{slug}/own-view", data={})

    assert response.status_code == 400
    assert "Choose the level you think you are at." in text_of(response)
    assert _user_skill(app, world.ids["learner"], slug) == (3, 4)
