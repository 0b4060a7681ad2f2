"""Who may open which course page: every course route against every role.

anon is signed out; trainer_owner owns the published and the draft course;
manager manages the learner's team, manager_other another team. "F" is a course
imported from the course files, which nobody edits in the browser.
"""

from __future__ import annotations

import pytest

from tests.courses.conftest import ROLES


def E(learner, owner, other, manager_other, manager, admin, anon=302):
    """Expected status per role, in the order of ROLES."""
    return dict(
        zip(
            ROLES,
            (anon, learner, owner, other, manager_other, manager, admin),
            strict=True,
        )
    )


def ALL(status):
    return E(*([status] * 6))


DETAILS = {
    "title": "Renamed",
    "summary": "A summary.",
    "level": "",
    "estimated_minutes": "",
    "skills": "",
}
MODULE = {"title": "Totals", "body_md": "Add it **up**.", "save": "Save module"}
ASSIGN = {"people": "{learner}", "due_on": "2026-03-20"}

CASES = [
    # learner pages
    ("my learning", "GET", "/learning", None, ALL(200)),
    ("published course", "GET", "/courses/{P}", None, ALL(200)),
    ("draft course", "GET", "/courses/{D}", None, E(404, 200, 404, 404, 404, 200)),
    ("file course", "GET", "/courses/{F}", None, ALL(200)),
    ("unknown course", "GET", "/courses/nope", None, ALL(404)),
    ("module", "GET", "/courses/{P}/modules/{p1}", None, ALL(200)),
    ("draft module", "GET", "/courses/{D}/modules/{d1}", None,
     E(404, 200, 404, 404, 404, 200)),
    ("retired module", "GET", "/courses/{P}/modules/{pr}", None, ALL(404)),
    ("module of another course", "GET", "/courses/{P}/modules/{f1}", None, ALL(404)),
    ("enrol", "POST", "/courses/{P}/enrol", {}, ALL(302)),
    ("enrol in draft", "POST", "/courses/{D}/enrol", {},
     E(404, 302, 404, 404, 404, 302)),
    ("complete module", "POST", "/courses/{P}/modules/{p1}/complete", {}, ALL(302)),
    ("complete draft module", "POST", "/courses/{D}/modules/{d1}/complete", {},
     E(404, 409, 404, 404, 404, 409)),
    ("end reached", "POST", "/courses/{P}/modules/{p1}/end-reached", {}, ALL(302)),
    ("end reached in draft", "POST", "/courses/{D}/modules/{d1}/end-reached", {},
     E(404, 409, 404, 404, 404, 409)),
    ("end reached of retired module", "POST", "/courses/{P}/modules/{pr}/end-reached",
     {}, ALL(404)),
    ("end reached via another course", "POST",
     "/courses/{P}/modules/{f1}/end-reached", {}, ALL(404)),
    # trainers' pages
    ("course list", "GET", "/manage/courses", None, E(403, 200, 200, 403, 403, 200)),
    ("new course form", "GET", "/manage/courses/new", None,
     E(403, 200, 200, 403, 403, 200)),
    ("create course", "POST", "/manage/courses/new",
     {"title": "Brand new", "summary": "New."}, E(403, 302, 302, 403, 403, 302)),
    ("edit course", "GET", "/manage/courses/{P}/edit", None,
     E(403, 200, 403, 403, 403, 200)),
    ("edit draft", "GET", "/manage/courses/{D}/edit", None,
     E(403, 200, 404, 403, 403, 200)),
    ("edit file course", "GET", "/manage/courses/{F}/edit", None, ALL(403)),
    ("edit unknown course", "GET", "/manage/courses/nope/edit", None,
     E(403, 404, 404, 403, 403, 404)),
    ("save details", "POST", "/manage/courses/{P}/edit", DETAILS,
     E(403, 302, 403, 403, 403, 302)),
    ("save file course details", "POST", "/manage/courses/{F}/edit", DETAILS, ALL(403)),
    ("publish", "POST", "/manage/courses/{D}/publish", {},
     E(403, 302, 404, 403, 403, 302)),
    ("unpublish", "POST", "/manage/courses/{P}/unpublish", {},
     E(403, 302, 403, 403, 403, 302)),
    ("unpublish file course", "POST", "/manage/courses/{F}/unpublish", {}, ALL(403)),
    ("new module form", "GET", "/manage/courses/{P}/modules/new", None,
     E(403, 200, 403, 403, 403, 200)),
    ("add module", "POST", "/manage/courses/{P}/modules/new", MODULE,
     E(403, 302, 403, 403, 403, 302)),
    ("add module to file course", "POST", "/manage/courses/{F}/modules/new", MODULE,
     ALL(403)),
    ("edit module", "GET", "/manage/courses/{P}/modules/{p1}/edit", None,
     E(403, 200, 403, 403, 403, 200)),
    ("save module", "POST", "/manage/courses/{P}/modules/{p1}/edit", MODULE,
     E(403, 302, 403, 403, 403, 302)),
    ("edit file module", "GET", "/manage/courses/{F}/modules/{f1}/edit", None,
     ALL(403)),
    ("edit retired module", "GET", "/manage/courses/{P}/modules/{pr}/edit", None,
     E(403, 404, 403, 403, 403, 404)),
    ("edit module via another course", "GET", "/manage/courses/{P}/modules/{d1}/edit",
     None, E(403, 404, 403, 403, 403, 404)),
    ("move module", "POST", "/manage/courses/{P}/modules/{p1}/move",
     {"direction": "down"}, E(403, 302, 403, 403, 403, 302)),
    ("retire module", "POST", "/manage/courses/{P}/modules/{p1}/retire", {},
     E(403, 302, 403, 403, 403, 302)),
    ("restore module", "POST", "/manage/courses/{P}/modules/{pr}/restore", {},
     E(403, 302, 403, 403, 403, 302)),
    ("preview", "POST", "/manage/preview", {"json": {"markdown": "*hi*"}},
     E(403, 200, 200, 403, 403, 200)),
    # assigning
    ("assign page", "GET", "/manage/courses/{P}/assign", None,
     E(403, 200, 200, 200, 200, 200)),
    ("assign file course", "GET", "/manage/courses/{F}/assign", None,
     E(403, 200, 200, 200, 200, 200)),
    ("assign draft", "GET", "/manage/courses/{D}/assign", None,
     E(403, 302, 404, 404, 404, 302)),
    ("assign the learner", "POST", "/manage/courses/{P}/assign", ASSIGN,
     E(403, 302, 302, 400, 302, 302)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "data", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_role_matrix(world, role, method, path, data, expected):
    client = world.client(role)
    url = world.path(path)

    if method == "GET":
        response = client.get(url)
    elif data and "json" in data:
        response = client.post(url, json=data["json"])
    else:
        form = {k: world.path(v) for k, v in (data or {}).items()}
        response = client.post(url, data=form)

    assert response.status_code == expected[role]
    if role == "anon":
        assert "/login" in response.headers["Location"]


def test_file_course_refusal_says_where_to_change_it(world):
    response = world.client("admin").get(world.path("/manage/courses/{F}/edit"))

    assert response.status_code == 403
    assert "This course comes from the course files; change it there." in (
        response.get_data(as_text=True)
    )
