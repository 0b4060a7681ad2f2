"""The skills framework and career-path pages do what they say: saved rows,
kept input on errors, read-only file rows, the CSV preview and import."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.skills.models import (
    CareerRole,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillFramework,
)
from tests.skills.admin_world import World, make_world


@pytest.fixture
def world(app, build_once, tmp_path_factory) -> World:
    return make_world(app, build_once, tmp_path_factory)


LEVELS = {f"level_{n}": f"Level {n} words" for n in range(1, 6)}


def text(response) -> str:
    return response.get_data(as_text=True)


def skill(app, slug: str) -> Skill:
    with app.app_context():
        row = db.session.scalars(sa.select(Skill).where(Skill.slug == slug)).one()
        db.session.expunge(row)
        return row


def test_a_trainer_creates_a_skill_with_its_five_descriptors(app, world):
    response = world.client("trainer").post(
        "/manage/skills/new",
        data={
            "slug": "call-notes",
            "name": "Call notes",
            "category_id": world.ids["UC"],
            "description": "Short notes.",
            **LEVELS,
        },
    )

    assert response.status_code == 302
    created = skill(app, "call-notes")
    assert (created.origin, created.is_active, created.category_id) == (
        "ui",
        True,
        world.ids["UC"],
    )
    assert created.level_descriptors == [f"Level {n} words" for n in range(1, 6)]
    with app.app_context():
        assert db.session.scalar(
            sa.select(AuditEvent.action).where(AuditEvent.target_id == created.id)
        ) == ("skills.skill.create")


def test_a_taken_slug_re_renders_the_form_with_the_typed_values(world):
    response = world.client("admin").post(
        "/manage/skills/new",
        data={
            "slug": "mine",
            "name": "Typed name",
            "category_id": world.ids["UC"],
            **LEVELS,
        },
    )

    assert response.status_code == 400
    page = text(response)
    assert "Another skill already has the slug “mine”." in page
    assert 'value="Typed name"' in page
    assert "Level 4 words" in page


def test_a_file_skill_is_shown_read_only_with_where_to_change_it(world):
    client = world.client("trainer")

    page = text(client.get(world.path("/manage/skills/{FS}")))
    refused = client.post(world.path("/manage/skills/{FS}"), data={"name": "X"})

    assert "courses/_catalog/skills.toml" in page
    assert '<form method="post" novalidate' not in page
    assert "Keys well" in page and "3 Proficient" in page
    assert refused.status_code == 403
    assert "This skill comes from the skills file" in text(refused)


def test_deactivating_keeps_the_skill_and_hides_it_from_the_active_list(
    app,
    world,
):
    client = world.client("trainer")

    client.post(world.path("/manage/skills/{US}/deactivate"))

    assert skill(app, "mine").is_active is False
    active = text(client.get("/manage/skills/"))
    everything = text(client.get("/manage/skills/?status=all"))
    assert "<code>mine</code>" in everything
    assert "<code>mine</code>" not in active


def test_the_list_filters_by_category_and_paginates(app, world):
    app.config["PAGE_SIZE"] = 2
    client = world.client("trainer")

    ours = text(client.get(world.path("/manage/skills/?category={UC}&status=all")))
    first = text(client.get("/manage/skills/"))
    second = text(client.get("/manage/skills/?page=2"))

    assert "<code>mine</code>" in ours and "<code>retired</code>" in ours
    assert "<code>data-entry</code>" not in ours
    assert "page 1 of 3" in first
    assert "<code>data-entry</code>" in first and "<code>teamwork</code>" in second


def test_an_admin_changes_the_level_method(app, world):
    response = world.client("admin").post(
        "/manage/skills/settings",
        data={"method": "latest", "recent_days": "200", "decay": "0.5"},
    )

    assert response.status_code == 302
    with app.app_context():
        settings = db.session.scalars(sa.select(SkillFramework)).one()
        assert (settings.method, settings.recent_days, settings.decay) == (
            "latest",
            200,
            0.5,
        )
    page = text(world.client("admin").get("/manage/skills/settings"))
    assert "Most recent evidence" in page


def test_only_admins_see_the_level_method_tab(world):
    assert "Level method" in text(world.client("admin").get("/manage/skills/"))
    assert "Level method" not in text(world.client("trainer").get("/manage/skills/"))


def test_the_skills_menu_is_for_trainers_and_admins(world):
    link = 'href="/manage/skills/"'
    assert link in text(world.client("trainer").get("/"))
    assert link not in text(world.client("learner").get("/"))
    assert link not in text(world.client("manager").get("/"))


def test_required_levels_are_saved_from_the_table(app, world):
    client = world.client("trainer")
    data_entry = skill(app, "data-entry")
    form = text(client.get(world.path("/manage/skills/roles/{UR}/requirements")))

    assert re.search(
        rf'<select[^>]*name="skill_{world.ids["US"]}"[^>]*>.*?<option selected value="2">',
        form,
        re.S,
    )
    response = client.post(
        world.path("/manage/skills/roles/{UR}/requirements"),
        data={f"skill_{world.ids['US']}": "0", f"skill_{data_entry.id}": "3"},
    )

    assert response.status_code == 302
    with app.app_context():
        found = dict(
            db.session.execute(
                sa.select(RoleRequirement.skill_id, RoleRequirement.level).where(
                    RoleRequirement.role_id == world.ids["UR"]
                )
            ).all()
        )
    assert found == {data_entry.id: 3}


def test_a_file_roles_levels_are_listed_read_only(world):
    page = text(
        world.client("trainer").get(
            world.path("/manage/skills/roles/{FR}/requirements")
        )
    )

    assert "courses/_catalog/career_paths.toml" in page
    assert "<select" not in page
    assert "2 Working" in page and "1 Awareness" in page


def test_roles_move_along_their_path(app, world):
    client = world.client("trainer")

    client.post(
        world.path("/manage/skills/roles/{UR}/move"), data={"direction": "later"}
    )
    again = client.post(
        world.path("/manage/skills/roles/{UR}/move"), data={"direction": "later"}
    )

    with app.app_context():
        order = db.session.scalars(
            sa.select(CareerRole.slug)
            .where(CareerRole.path_id == world.ids["UP"])
            .order_by(CareerRole.position)
        ).all()
    assert order == ["our-second", "our-first"]
    assert again.status_code == 302
    page = text(client.get(world.path("/manage/skills/paths/{UP}")))
    assert "is already at that end of the path" in page


def test_a_new_role_goes_to_the_top_of_its_path(app, world):
    response = world.client("admin").post(
        world.path("/manage/skills/paths/{UP}/roles/new"),
        data={"slug": "our-third", "name": "Third"},
    )

    with app.app_context():
        role = db.session.scalars(
            sa.select(CareerRole).where(CareerRole.slug == "our-third")
        ).one()
        assert (role.path_id, role.position, role.origin) == (world.ids["UP"], 3, "ui")
    assert response.headers["Location"].endswith(
        f"/manage/skills/roles/{role.id}/requirements"
    )


def test_the_category_list_counts_active_and_deactivated_skills(world):
    page = text(world.client("trainer").get("/manage/skills/categories"))

    assert "1 active, 1 deactivated" in page
    assert "2 active" in page  # the file categories


def test_export_downloads_the_active_skills_as_csv(world):
    response = world.client("trainer").get("/manage/skills/export.csv")

    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = text(response).splitlines()
    assert rows[0].startswith("category,category_group,slug,name")
    assert len(rows) == 1 + 5  # four file skills and "mine"


def test_csv_import_previews_then_imports_with_one_more_click(app, world):
    client = world.client("trainer")
    csv = (
        "category,category_group,slug,name,description,level_1,level_2,level_3,"
        "level_4,level_5\nOurs,technical,csv-skill,CSV skill,,a,b,c,d,e\n"
    )

    preview = client.post(
        "/manage/skills/import", data={"file": (io.BytesIO(csv.encode()), "s.csv")}
    )
    page = text(preview)
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', page)

    assert preview.status_code == 200
    assert "Ready to import:" in page and "1 new" in page
    with app.app_context():
        assert (
            db.session.scalars(sa.select(Skill).where(Skill.slug == "csv-skill")).all()
            == []
        )
    done = client.post("/manage/skills/import/confirm", data={"payload": payload[1]})

    assert done.status_code == 302
    created = skill(app, "csv-skill")
    assert created.category_id == world.ids["UC"]


def test_csv_import_lists_every_problem_and_offers_no_import(world):
    csv = (
        "category,category_group,slug,name,description,level_1,level_2,level_3,"
        "level_4,level_5\nOurs,technical,Bad Slug,X,,a,b,c,d,e\n"
        "Keying,technical,data-entry,Changed,,a,b,c,d,e\n"
    )

    response = world.client("trainer").post(
        "/manage/skills/import", data={"file": (io.BytesIO(csv.encode()), "s.csv")}
    )

    page = text(response)
    assert response.status_code == 400
    assert "2 problems found; nothing will be imported." in page
    assert "<td>2</td><td>slug</td>" in page and "<td>3</td><td>slug</td>" in page
    assert 'name="payload"' not in page


def test_a_category_is_created_and_edited(app, world):
    client = world.client("trainer")

    client.post(
        "/manage/skills/categories/new",
        data={"slug": "desk-skills", "name": "Desk skills", "group": "professional"},
    )
    with app.app_context():
        category = db.session.scalars(
            sa.select(SkillCategory).where(SkillCategory.slug == "desk-skills")
        ).one()
        category_id = category.id
    client.post(
        f"/manage/skills/categories/{category_id}",
        data={"name": "Desk work", "group": "technical"},
    )

    with app.app_context():
        category = db.session.get(SkillCategory, category_id)
        assert (category.name, category.group, category.origin) == (
            "Desk work",
            "technical",
            "ui",
        )
