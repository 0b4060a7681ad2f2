"""Who may open which skills framework and career-path page: every route
against every role. "F…" rows come from the content files (read-only for
everyone), "U…" rows were made in the browser."""

from __future__ import annotations

import io

import pytest

from tests.skills.admin_world import ROLES, World, make_world


@pytest.fixture
def world(app, build_once, tmp_path_factory) -> World:
    return make_world(app, build_once, tmp_path_factory)


LEVELS = {f"level_{n}": f"Level {n} words" for n in range(1, 6)}
NEW_SKILL = {"slug": "new-skill", "name": "New skill", "category_id": "{UC}", **LEVELS}
SKILL = {"name": "Renamed", "category_id": "{UC}", "description": "", **LEVELS}
CATEGORY = {"name": "Renamed", "group": "professional"}
PATH = {"name": "Renamed path", "description": "Where it goes."}
ROLE = {"name": "Renamed role", "description": "What it does."}
CSV = (
    "category,category_group,slug,name,description,level_1,level_2,level_3,"
    "level_4,level_5\nOurs,technical,csv-skill,CSV skill,,a,b,c,d,e\n"
)


def E(learner, manager, trainer, admin, anon=302):
    """Expected status per role, in the order of ROLES."""
    return dict(zip(ROLES, (anon, learner, manager, trainer, admin), strict=True))


def STAFF(status):
    """Trainers and admins get `status`; learners and managers 403."""
    return E(403, 403, status, status)


ADMIN_ONLY = E(403, 403, 403, 200)

CASES = [
    # skills
    ("skill list", "GET", "/manage/skills/", None, STAFF(200)),
    ("filtered skill list", "GET", "/manage/skills/?category={UC}&status=all", None,
     STAFF(200)),
    ("nonsense filter", "GET", "/manage/skills/?category=x&status=y", None, STAFF(200)),
    ("new skill form", "GET", "/manage/skills/new", None, STAFF(200)),
    ("create skill", "POST", "/manage/skills/new", NEW_SKILL, STAFF(302)),
    ("create skill without levels", "POST", "/manage/skills/new",
     {"slug": "x", "name": "X", "category_id": "{UC}"}, STAFF(400)),
    ("create skill with a taken slug", "POST", "/manage/skills/new",
     {**NEW_SKILL, "slug": "mine"}, STAFF(400)),
    ("edit skill", "GET", "/manage/skills/{US}", None, STAFF(200)),
    ("save skill", "POST", "/manage/skills/{US}", SKILL, STAFF(302)),
    ("save skill with a blank level", "POST", "/manage/skills/{US}",
     {**SKILL, "level_3": " "}, STAFF(400)),
    ("view file skill", "GET", "/manage/skills/{FS}", None, STAFF(200)),
    ("save file skill", "POST", "/manage/skills/{FS}", SKILL, STAFF(403)),
    ("unknown skill", "GET", "/manage/skills/999999", None, STAFF(404)),
    ("deactivate skill", "POST", "/manage/skills/{US}/deactivate", {}, STAFF(302)),
    ("deactivate file skill", "POST", "/manage/skills/{FS}/deactivate", {},
     STAFF(403)),
    ("reactivate skill", "POST", "/manage/skills/{IS}/reactivate", {}, STAFF(302)),
    # categories
    ("category list", "GET", "/manage/skills/categories", None, STAFF(200)),
    ("new category form", "GET", "/manage/skills/categories/new", None, STAFF(200)),
    ("create category", "POST", "/manage/skills/categories/new",
     {"slug": "new-cat", "name": "New", "group": "technical"}, STAFF(302)),
    ("create category with a bad slug", "POST", "/manage/skills/categories/new",
     {"slug": "New Cat", "name": "New", "group": "technical"}, STAFF(400)),
    ("edit category", "GET", "/manage/skills/categories/{UC}", None, STAFF(200)),
    ("save category", "POST", "/manage/skills/categories/{UC}", CATEGORY, STAFF(302)),
    ("view file category", "GET", "/manage/skills/categories/{FC}", None, STAFF(200)),
    ("save file category", "POST", "/manage/skills/categories/{FC}", CATEGORY,
     STAFF(403)),
    # the level method
    ("level method", "GET", "/manage/skills/settings", None, ADMIN_ONLY),
    ("save level method", "POST", "/manage/skills/settings",
     {"method": "latest", "recent_days": "200", "decay": "0.5"}, E(403, 403, 403, 302)),
    ("save a bad level method", "POST", "/manage/skills/settings",
     {"method": "highest", "recent_days": "0", "decay": "2"}, E(403, 403, 403, 400)),
    # career paths
    ("path list", "GET", "/manage/skills/paths", None, STAFF(200)),
    ("new path form", "GET", "/manage/skills/paths/new", None, STAFF(200)),
    ("create path", "POST", "/manage/skills/paths/new",
     {"slug": "new-path", "name": "New path", "is_side_path": "y"}, STAFF(302)),
    ("create path without a name", "POST", "/manage/skills/paths/new",
     {"slug": "new-path"}, STAFF(400)),
    ("edit path", "GET", "/manage/skills/paths/{UP}", None, STAFF(200)),
    ("save path", "POST", "/manage/skills/paths/{UP}", PATH, STAFF(302)),
    ("view file path", "GET", "/manage/skills/paths/{FP}", None, STAFF(200)),
    ("save file path", "POST", "/manage/skills/paths/{FP}", PATH, STAFF(403)),
    ("unknown path", "GET", "/manage/skills/paths/999999", None, STAFF(404)),
    ("new role form", "GET", "/manage/skills/paths/{UP}/roles/new", None, STAFF(200)),
    ("add role", "POST", "/manage/skills/paths/{UP}/roles/new",
     {"slug": "new-role", "name": "New role"}, STAFF(302)),
    ("add role with a taken slug", "POST", "/manage/skills/paths/{UP}/roles/new",
     {"slug": "trainee", "name": "Again"}, STAFF(400)),
    ("new role on a file path", "GET", "/manage/skills/paths/{FP}/roles/new", None,
     STAFF(403)),
    ("edit role", "GET", "/manage/skills/roles/{UR}", None, STAFF(200)),
    ("save role", "POST", "/manage/skills/roles/{UR}", ROLE, STAFF(302)),
    ("view file role", "GET", "/manage/skills/roles/{FR}", None, STAFF(200)),
    ("save file role", "POST", "/manage/skills/roles/{FR}", ROLE, STAFF(403)),
    ("required levels", "GET", "/manage/skills/roles/{UR}/requirements", None,
     STAFF(200)),
    ("save required levels", "POST", "/manage/skills/roles/{UR}/requirements",
     {"skill_{US}": "3"}, STAFF(302)),
    ("save a level outside 1-5", "POST", "/manage/skills/roles/{UR}/requirements",
     {"skill_{US}": "7"}, STAFF(400)),
    ("file role's required levels", "GET", "/manage/skills/roles/{FR}/requirements",
     None, STAFF(200)),
    ("save file role's levels", "POST", "/manage/skills/roles/{FR}/requirements",
     {"skill_{US}": "3"}, STAFF(403)),
    ("move role", "POST", "/manage/skills/roles/{UR}/move", {"direction": "later"},
     STAFF(302)),
    ("move role sideways", "POST", "/manage/skills/roles/{UR}/move",
     {"direction": "sideways"}, STAFF(400)),
    ("move file role", "POST", "/manage/skills/roles/{FR}/move",
     {"direction": "later"}, STAFF(403)),
    # CSV
    ("export", "GET", "/manage/skills/export.csv", None, STAFF(200)),
    ("import page", "GET", "/manage/skills/import", None, STAFF(200)),
    ("import preview", "POST", "/manage/skills/import", {"file": CSV}, STAFF(200)),
    ("import preview without a file", "POST", "/manage/skills/import", {},
     STAFF(400)),
    ("import a forged preview", "POST", "/manage/skills/import/confirm",
     {"payload": "forged"}, STAFF(400)),
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
    else:
        form = {world.path(k): _value(world, v) for k, v in (data or {}).items()}
        response = client.post(url, data=form)

    assert response.status_code == expected[role], response.get_data(as_text=True)[:500]
    if role == "anon":
        assert "/login" in response.headers["Location"]


def _value(world, value):
    if isinstance(value, str) and value.startswith("category,"):
        return (io.BytesIO(value.encode()), "skills.csv")
    return world.path(value)
