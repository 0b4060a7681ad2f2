"""The skill mapping pages: every route against every role, forms that keep
what was typed, file mappings read-only, and statement counts that do not
grow with the number of mappings."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.skills.models import SkillMapping
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of
from tests.skills import evidence_builders as build

ROLES = ("anon", "learner", "trainer_owner", "trainer_other", "manager", "admin")


def E(learner, owner, other, manager, admin, anon=302):
    return dict(zip(ROLES, (anon, learner, owner, other, manager, admin), strict=True))


def _build(app) -> dict:
    with app.app_context():
        people = {
            "learner": factories.user(),
            "trainer_owner": factories.user(Role.TRAINER),
            "trainer_other": factories.user(Role.TRAINER),
            "manager": factories.user(Role.MANAGER),
            "admin": factories.user(Role.ADMIN),
        }
        owner = people["trainer_owner"]
        data_entry = build.skill("Data entry")
        accuracy = build.skill("Attention to detail")
        quiz = factories.quiz(2, owner=owner, title="Owner's quiz")
        keying = factories.record_entry_test(origin=ORIGIN_FILE, title="File test")
        course = factories.course(owner=owner, title="Owner's course")
        file_course = factories.course(origin=ORIGIN_FILE, title="File course")
        browser = build.mapping(data_entry, assessment=quiz)
        from_file = build.mapping(data_entry, assessment=keying, origin=ORIGIN_FILE)
        db.session.commit()
        return {
            "ids": {
                "Q": quiz.id,
                "K": keying.id,
                "C": course.slug,
                "F": file_course.slug,
                "m_ui": browser.id,
                "m_file": from_file.id,
                "skill": accuracy.id,
                "mapped_skill": data_entry.id,
            },
            "sessions": {
                "anon": None,
                **{role: session_of(user) for role, user in people.items()},
            },
        }


@pytest.fixture
def world(app, clock, build_once):
    built = build_once(_build, app)
    return built["ids"], Clients(app, built["sessions"])


BASE = "/manage/skills/mappings"
ADD = {"skill_id": "{skill}", "from_2": "80", "from_3": "95"}
RULE = {"from_1": "50"}

CASES = [
    ("own quiz page", "GET", BASE + "/assessments/{Q}", None, E(403, 200, 403, 403, 200)),
    ("file test page", "GET", BASE + "/assessments/{K}", None, E(403, 200, 200, 403, 200)),
    ("unknown assessment", "GET", BASE + "/assessments/999999", None,
     E(404, 404, 404, 404, 404)),
    ("own course page", "GET", BASE + "/courses/{C}", None, E(403, 200, 403, 403, 200)),
    ("file course page", "GET", BASE + "/courses/{F}", None, E(403, 200, 200, 403, 200)),
    ("unknown course", "GET", BASE + "/courses/nope", None, E(404, 404, 404, 404, 404)),
    ("map a skill to the quiz", "POST", BASE + "/assessments/{Q}", ADD,
     E(403, 302, 403, 403, 302)),
    ("map a skill to the file test", "POST", BASE + "/assessments/{K}",
     {"skill_id": "{skill}", "job_ready": "3"}, E(403, 302, 302, 403, 302)),
    ("map a skill to the course", "POST", BASE + "/courses/{C}",
     {"skill_id": "{skill}", "completion_level": "2"}, E(403, 302, 403, 403, 302)),
    ("edit page", "GET", BASE + "/{m_ui}/edit", None, E(403, 200, 403, 403, 200)),
    ("change a rule", "POST", BASE + "/{m_ui}/edit", RULE, E(403, 302, 403, 403, 302)),
    ("edit a file mapping", "GET", BASE + "/{m_file}/edit", None,
     E(403, 403, 403, 403, 403)),
    ("change a file mapping", "POST", BASE + "/{m_file}/edit", RULE,
     E(403, 403, 403, 403, 403)),
    ("remove", "POST", BASE + "/{m_ui}/remove", {}, E(403, 302, 403, 403, 302)),
    ("remove a file mapping", "POST", BASE + "/{m_file}/remove", {},
     E(403, 403, 403, 403, 403)),
    ("unknown mapping", "GET", BASE + "/999999/edit", None, E(404, 404, 404, 404, 404)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "data", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_role_matrix(world, role, method, path, data, expected):
    ids, clients = world
    url = path.format(**ids)
    if method == "GET":
        response = clients[role].get(url)
    else:
        form = {k: v.format(**ids) for k, v in (data or {}).items()}
        response = clients[role].post(url, data=form)

    assert response.status_code == expected[role], response.get_data(as_text=True)
    if role == "anon":
        assert "/login" in response.headers["Location"]


def test_mapping_a_skill_stores_the_rule_typed(world, app):
    ids, clients = world
    response = clients["trainer_owner"].post(
        f"{BASE}/assessments/{ids['Q']}",
        data={"skill_id": ids["skill"], "from_2": "80", "from_4": "97.5"},
    )
    assert response.status_code == 302
    with app.app_context():
        mapping = db.session.scalar(
            sa.select(SkillMapping).where(SkillMapping.skill_id == ids["skill"])
        )
        assert mapping.rule == {"type": "percent", "levels": [[80, 2], [97.5, 4]]}
        assert mapping.origin == "ui"


def test_a_bad_rule_re_renders_with_the_reason_and_the_typed_values(world):
    ids, clients = world
    response = clients["trainer_owner"].post(
        f"{BASE}/assessments/{ids['Q']}",
        data={"skill_id": ids["skill"], "from_2": "90", "from_3": "70"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "A higher threshold must give a higher level." in page
    assert 'value="90"' in page and 'value="70"' in page


def test_a_rule_with_no_level_is_refused(world):
    ids, clients = world
    response = clients["trainer_owner"].post(
        f"{BASE}/assessments/{ids['Q']}", data={"skill_id": ids["skill"]}
    )
    assert response.status_code == 400
    assert "at least one percent threshold" in response.get_data(as_text=True)


def test_a_percent_out_of_range_is_refused_by_the_field(world):
    ids, clients = world
    response = clients["trainer_owner"].post(
        f"{BASE}/assessments/{ids['Q']}",
        data={"skill_id": ids["skill"], "from_1": "150"},
    )
    assert response.status_code == 400
    assert "Give a percent from 0.1 to 100." in response.get_data(as_text=True)


def test_the_page_shows_file_mappings_read_only_and_offers_the_default_rule(world):
    ids, clients = world
    page = clients["admin"].get(f"{BASE}/assessments/{ids['K']}").get_data(as_text=True)
    assert "Content files" in page and "Read-only" in page
    assert f"/manage/skills/mappings/{ids['m_file']}/edit" not in page
    # A keying test maps by band; the form starts from the default levels.
    assert "Job-ready band gives" in page
    assert "Level 1 from (%)" not in page


def test_the_edit_page_shows_the_stored_rule(world):
    ids, clients = world
    page = clients["trainer_owner"].get(f"{BASE}/{ids['m_ui']}/edit")
    text = page.get_data(as_text=True)
    assert "≥ 60 % → level 1, ≥ 80 % → level 2, ≥ 95 % → level 3" in text
    assert 'name="from_2"' in text and 'value="80"' in text


def test_the_mappings_page_reads_in_a_fixed_number_of_queries(
    world, app, count_queries
):
    ids, clients = world
    client = clients["admin"]

    def measure() -> int:
        with count_queries() as counter:
            response = client.get(f"{BASE}/assessments/{ids['Q']}")
        assert response.status_code == 200
        return counter.count

    few = measure()
    with app.app_context():
        from lms.attempts.models import Assessment

        quiz = db.session.get(Assessment, ids["Q"])
        for _ in range(6):
            build.mapping(build.skill(), assessment=quiz)
        db.session.commit()

    assert measure() == few
