"""Trainers' pages: the course list, creating and editing courses and modules."""

from __future__ import annotations

import sqlalchemy as sa

from lms.courses import authoring, progress
from lms.courses.models import Course, Module, ModuleProgress
from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.users.models import Role, User
from tests import factories
from tests.courses.conftest import active_content_problems, tags


def _course(app, slug: str) -> Course:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
        db.session.expunge_all()
        return course


def _module_titles(app, slug: str) -> list[str]:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
        return [m.title for m in progress.active_modules(course)]


def _field_value(html: str, name: str) -> str | None:
    for tag, attrs in tags(html):
        if tag == "input" and attrs.get("name") == name:
            return attrs.get("value")
    return None


# --- the list ----------------------------------------------------------------------


def test_trainer_sees_own_and_file_courses_with_counts(world):
    html = world.client("trainer_owner").get("/manage/courses").get_data(as_text=True)

    assert "Published course" in html and "Draft course" in html
    assert "File course" in html
    assert html.count("From files") >= 1
    published_row = html.split('data-course="published"')[1].split("</tr>")[0]
    assert (
        ">3</td>" in published_row
    )  # three active modules; the retired one not counted
    assert "Published" in published_row
    draft_row = html.split('data-course="draft"')[1].split("</tr>")[0]
    assert "Draft" in draft_row
    file_row = html.split('data-course="from-files"')[1].split("</tr>")[0]
    assert "/manage/courses/from-files/edit" not in file_row  # read-only
    assert "/manage/courses/from-files/assign" in file_row  # but assignable


def test_trainer_does_not_see_other_trainers_courses(app, world):
    with app.app_context():
        factories.course(title="Nobody's", slug="ownerless", owner=None)
        db.session.commit()
    html = world.client("trainer_other").get("/manage/courses").get_data(as_text=True)

    assert "File course" in html
    assert "Published course" not in html
    assert "ownerless" not in html


def test_admin_sees_every_course_and_its_owner(world):
    html = world.client("admin").get("/manage/courses").get_data(as_text=True)

    for title in ("Published course", "Draft course", "File course"):
        assert title in html
    assert "Tara Trainer" in html  # owner column


def test_enrolled_count_is_shown(app, world):
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "published"))
        for _ in range(4):
            factories.enrolment(factories.user(), course)
        db.session.commit()

    html = world.client("trainer_owner").get("/manage/courses").get_data(as_text=True)

    row = html.split('data-course="published"')[1].split("</tr>")[0]
    assert ">4</td>" in row


def test_empty_list_invites_a_first_course(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        db.session.commit()
        client = login(trainer)

    html = client.get("/manage/courses").get_data(as_text=True)

    assert "No courses yet" in html
    assert "Create your first course" in html
    assert "/manage/courses/new" in html


def test_the_list_paginates(app, login):
    app.config["PAGE_SIZE"] = 2
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        for n in range(5):
            factories.course(title=f"Course {n}", owner=trainer)
        db.session.commit()
        client = login(trainer)

    first = client.get("/manage/courses").get_data(as_text=True)
    third = client.get("/manage/courses?page=3").get_data(as_text=True)

    assert "Course 0" in first and "Course 1" in first and "Course 2" not in first
    assert "Course 4" in third and "Course 0" not in third
    assert "page=2" in first


def test_nav_shows_courses_to_trainers_only(world):
    trainer = world.client("trainer_owner").get("/learning").get_data(as_text=True)
    learner = world.client("learner").get("/learning").get_data(as_text=True)

    assert 'href="/manage/courses"' in trainer
    assert 'href="/manage/courses"' not in learner


# --- creating a course --------------------------------------------------------------


def test_creating_a_course_makes_a_draft_owned_by_the_trainer(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/new",
        data={
            "title": "Cash handling",
            "slug": "",
            "summary": "Count and record cash.",
            "level": "foundation",
            "estimated_minutes": "30",
            "skills": " cash-handling, attention-to-detail ,cash-handling",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/courses/cash-handling/edit")
    course = _course(app, "cash-handling")
    assert course.owner_id == world.ids["owner"]
    assert not course.is_published
    assert course.origin == "ui"
    assert course.skills == ["cash-handling", "attention-to-detail"]
    assert (course.level, course.estimated_minutes) == ("foundation", 30)


def test_invalid_skills_re_render_the_form_with_what_was_typed(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/new",
        data={
            "title": "Cash handling",
            "slug": "cash",
            "summary": "Count and record cash.",
            "skills": "cash, Cash Handling",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“Cash Handling”" in html
    assert _field_value(html, "title") == "Cash handling"
    assert _field_value(html, "slug") == "cash"
    assert _field_value(html, "skills") == "cash, Cash Handling"
    assert "Count and record cash." in html
    assert _course(app, "cash") is None


def test_a_taken_short_name_is_a_flash_and_the_form_keeps_the_input(world):
    response = world.client("trainer_owner").post(
        "/manage/courses/new",
        data={"title": "Another", "slug": "published", "summary": "Mine."},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already exists" in html
    assert _field_value(html, "title") == "Another"
    assert _field_value(html, "slug") == "published"


def test_a_bad_short_name_is_explained(world):
    response = world.client("trainer_owner").post(
        "/manage/courses/new",
        data={"title": "X", "slug": "Bad Name", "summary": "s"},
    )

    assert response.status_code == 400
    assert "lowercase letters" in response.get_data(as_text=True)


# --- editing a course ----------------------------------------------------------------


def test_edit_page_shows_modules_retired_modules_and_details(world):
    html = (
        world.client("trainer_owner")
        .get("/manage/courses/published/edit")
        .get_data(as_text=True)
    )

    assert html.index("Module 1") < html.index("Module 2") < html.index("Module 3")
    assert "Retired modules" in html and "Old module" in html
    assert _field_value(html, "title") == "Published course"
    assert "Unpublish" in html
    assert active_content_problems(html, page=True) == []


def test_saving_details_keeps_the_slug(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/edit",
        data={
            "title": "Better title",
            "summary": "Better summary.",
            "level": "advanced",
            "estimated_minutes": "90",
            "skills": "reconciliation",
            "slug": "sneaky-new-slug",
        },
    )

    assert response.status_code == 302
    course = _course(app, "published")
    assert (course.title, course.summary, course.level) == (
        "Better title",
        "Better summary.",
        "advanced",
    )
    assert course.skills == ["reconciliation"]
    assert _course(app, "sneaky-new-slug") is None


def test_invalid_details_re_render_with_the_typed_values(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/edit",
        data={"title": "", "summary": "Typed summary.", "estimated_minutes": "lots"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Typed summary." in html
    assert _field_value(html, "estimated_minutes") == "lots"
    assert _course(app, "published").title == "Published course"


def test_file_courses_cannot_be_changed_in_the_browser(app, world):
    client = world.client("admin")
    before = _module_titles(app, "from-files")

    for path in (
        "/manage/courses/from-files/edit",
        "/manage/courses/from-files/modules/new",
    ):
        response = client.post(
            path, data={"title": "Hacked", "summary": "x", "body_md": "x"}
        )
        assert response.status_code == 403
        assert "change it there" in response.get_data(as_text=True)

    assert _course(app, "from-files").title == "File course"
    assert _module_titles(app, "from-files") == before


def test_course_page_offers_edit_and_assign_to_the_owner_only(world):
    owner = world.client("trainer_owner").get("/courses/published").get_data(True)
    learner = world.client("learner").get("/courses/published").get_data(True)
    admin_on_file = world.client("admin").get("/courses/from-files").get_data(True)

    assert "/manage/courses/published/edit" in owner
    assert "/manage/courses/published/assign" in owner
    assert "/manage/courses/published/edit" not in learner
    assert "/manage/courses/published/assign" not in learner
    assert "/manage/courses/from-files/edit" not in admin_on_file
    assert "From files" in admin_on_file


# --- publishing ----------------------------------------------------------------------


def test_publish_and_unpublish(app, world):
    client = world.client("trainer_owner")

    client.post("/manage/courses/draft/publish")
    assert _course(app, "draft").is_published
    client.post("/manage/courses/draft/unpublish")
    assert not _course(app, "draft").is_published


def test_publishing_an_empty_course_is_refused_with_a_message(app, world):
    with app.app_context():
        owner = db.session.get(User, world.ids["owner"])
        authoring.create_course(owner, title="Empty", summary="Nothing yet.")
        db.session.commit()
    client = world.client("trainer_owner")

    response = client.post("/manage/courses/empty/publish", follow_redirects=True)

    assert "Add at least one module" in response.get_data(as_text=True)
    assert not _course(app, "empty").is_published


# --- modules -------------------------------------------------------------------------


def test_adding_a_module_renders_it_and_appends_it(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/modules/new",
        data={"title": "Totals", "minutes": "5", "body_md": "Add it **up**."},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/manage/courses/published/edit#modules"
    )
    assert _module_titles(app, "published")[-1] == "Totals"
    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.title == "Totals"))
        assert module.body_html == "<p>Add it <strong>up</strong>.</p>\n"
        assert module.minutes == 5


def test_editing_a_module_keeps_its_place(app, world):
    response = world.client("trainer_owner").post(
        world.path("/manage/courses/published/modules/{p2}/edit"),
        data={"title": "Renamed", "minutes": "", "body_md": "New *text*."},
    )

    assert response.status_code == 302
    assert _module_titles(app, "published") == ["Module 1", "Renamed", "Module 3"]


def test_module_errors_re_render_with_the_typed_text(app, world):
    response = world.client("trainer_owner").post(
        "/manage/courses/published/modules/new",
        data={"title": "", "minutes": "9999", "body_md": "Typed **lesson**."},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Typed **lesson**." in html
    assert _field_value(html, "minutes") == "9999"
    assert "<strong>lesson</strong>" in html  # the preview pane shows the typed text
    assert len(_module_titles(app, "published")) == 3


def test_preview_button_renders_without_saving(app, world):
    response = world.client("trainer_owner").post(
        world.path("/manage/courses/published/modules/{p1}/edit"),
        data={"title": "", "body_md": "# Draft heading", "preview": "Preview"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>Draft heading</h2>" in html  # below the page title, as saved
    assert "is-invalid" not in html  # previewing is not saving: no complaints yet
    assert _module_titles(app, "published") == ["Module 1", "Module 2", "Module 3"]


def test_module_editor_has_no_inline_script_and_loads_the_preview_script(world):
    html = (
        world.client("trainer_owner")
        .get("/manage/courses/published/modules/new")
        .get_data(as_text=True)
    )

    assert active_content_problems(html, page=True) == []
    assert "/static/js/markdown-preview.js" in html
    assert 'data-preview-url="/manage/preview"' in html
    assert '<label class="form-label" for="body_md">' in html


def test_move_buttons_reorder_modules(app, world):
    client = world.client("trainer_owner")

    client.post(
        world.path("/manage/courses/published/modules/{p1}/move"),
        data={"direction": "down"},
    )
    assert _module_titles(app, "published") == ["Module 2", "Module 1", "Module 3"]
    client.post(
        world.path("/manage/courses/published/modules/{p3}/move"),
        data={"direction": "up"},
    )
    assert _module_titles(app, "published") == ["Module 2", "Module 3", "Module 1"]


def test_retiring_hides_the_module_from_learners_and_keeps_progress(app, world):
    with app.app_context():
        module = db.session.get(Module, world.ids["p1"])
        factories.completed(db.session.get(User, world.ids["learner"]), module)
        db.session.commit()

    response = world.client("trainer_owner").post(
        world.path("/manage/courses/published/modules/{p1}/retire")
    )

    assert response.status_code == 302
    assert _module_titles(app, "published") == ["Module 2", "Module 3"]
    learner = world.client("learner")
    assert learner.get(world.path("/courses/published/modules/{p1}")).status_code == 404
    assert "Module 1" not in learner.get("/courses/published").get_data(True)
    with app.app_context():
        assert db.session.get(Module, world.ids["p1"]) is not None
        assert db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))) == 1


def test_restoring_puts_the_module_back_at_the_end(app, world):
    world.client("trainer_owner").post(
        world.path("/manage/courses/published/modules/{pr}/restore")
    )

    assert _module_titles(app, "published")[-1] == "Old module"


def test_retiring_the_only_module_of_a_published_course_is_refused(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        course = factories.course(slug="solo", owner=trainer, modules=1)
        module_id = progress.active_modules(course)[0].id
        db.session.commit()
        client = login(trainer)

    response = client.post(
        f"/manage/courses/solo/modules/{module_id}/retire", follow_redirects=True
    )

    assert "Unpublish the course first" in response.get_data(as_text=True)
    assert _module_titles(app, "solo") == ["Module 1"]


def test_file_course_origin_is_respected_for_admins_too(app, login):
    with app.app_context():
        admin = factories.user(Role.ADMIN)
        factories.course(slug="imported", origin=ORIGIN_FILE, owner=admin)
        db.session.commit()
        client = login(admin)

    assert client.get("/manage/courses/imported/edit").status_code == 403
