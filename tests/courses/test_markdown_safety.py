"""Lesson Markdown is inert: in the live preview, in the saved HTML and on the page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.courses.models import Module
from lms.extensions import db
from tests.courses.conftest import active_content_problems, tags

HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "script in a paragraph": "Hello <script src=https://evil.example/x.js></script>",
    "javascript link": "[click me](javascript:alert(1))",
    "mixed-case javascript link": "[click me](JaVaScRiPt:alert(1))",
    "entity-encoded javascript link": "[click me](&#106;avascript:alert(1))",
    "javascript reference link": "[click me][x]\n\n[x]: javascript:alert(1)",
    "javascript autolink": "<javascript:alert(1)>",
    "javascript image": "![pic](javascript:alert(1))",
    "data URL link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "raw link with javascript": '<a href="javascript:alert(1)">x</a>',
    "onerror attribute": "<img src=x onerror=alert(1)>",
    "onclick attribute": '<a href="https://example.com" onclick="alert(1)">x</a>',
    "onclick on a paragraph": '<p onclick="alert(1)">hi</p>',
    "svg onload": "<svg onload=alert(1)></svg>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style tag": "<style>body{display:none}</style>",
}


@pytest.fixture
def trainer(world):
    return world.client("trainer_owner")


@pytest.mark.parametrize("markdown", HOSTILE.values(), ids=HOSTILE.keys())
def test_preview_json_is_inert(trainer, markdown):
    response = trainer.post("/manage/preview", json={"markdown": markdown})

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert active_content_problems(response.get_json()["html"]) == []


@pytest.mark.parametrize("markdown", HOSTILE.values(), ids=HOSTILE.keys())
def test_saved_body_html_and_the_lesson_page_are_inert(app, world, trainer, markdown):
    response = trainer.post(
        "/manage/courses/published/modules/new",
        data={"title": "Hostile", "body_md": f"Intro\n\n{markdown}\n"},
    )
    assert response.status_code == 302

    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.title == "Hostile"))
        body_html, module_id = module.body_html, module.id
        assert module.body_md == f"Intro\n\n{markdown}\n"  # the source is kept as typed
    assert active_content_problems(body_html) == []

    page = world.client("learner").get(f"/courses/published/modules/{module_id}")
    lesson = page.get_data(as_text=True).split('class="lesson-body"')[1]
    lesson = lesson.split("</div>")[0]
    assert active_content_problems(lesson) == []


def test_preview_shows_hostile_html_as_text_so_the_author_sees_it(trainer):
    html = trainer.post(
        "/manage/preview", json={"markdown": "<script>alert(1)</script>"}
    ).get_json()["html"]

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_safe_links_survive_with_noopener(trainer):
    html = trainer.post(
        "/manage/preview", json={"markdown": "[guide](https://example.com/guide)"}
    ).get_json()["html"]

    links = [attrs for tag, attrs in tags(html) if tag == "a"]
    assert links == [
        {"href": "https://example.com/guide", "rel": "noopener noreferrer"}
    ]


def test_preview_renders_markdown_like_saving_does(trainer):
    html = trainer.post(
        "/manage/preview",
        json={"markdown": "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~"},
    ).get_json()["html"]

    assert "<h2>Title</h2>" in html  # under the module page's h1, as saved
    assert "<table>" in html and "<td>1</td>" in html
    assert "<s>old</s>" in html


def test_preview_accepts_a_form_post_too(trainer):
    response = trainer.post("/manage/preview", data={"markdown": "*x*"})

    assert response.get_json() == {"html": "<p><em>x</em></p>\n"}


@pytest.mark.parametrize(
    "payload", [{}, {"markdown": 3}, {"markdown": None}, ["markdown"]]
)
def test_preview_rejects_a_bad_body_with_json(trainer, payload):
    response = trainer.post(
        "/manage/preview", json=payload, headers={"Accept": "application/json"}
    )

    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"


def test_preview_refuses_huge_text(trainer):
    response = trainer.post("/manage/preview", json={"markdown": "x" * 100_001})

    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


def test_learners_get_a_json_403_from_the_preview(world):
    response = world.client("learner").post(
        "/manage/preview",
        json={"markdown": "x"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JavaScript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        '<p onclick="alert(1)">x</p>',
        '<img src="data:text/html,x">',
        "<svg></svg>",
        "<iframe></iframe>",
    ],
)
def test_the_checker_itself_catches_active_content(raw):
    """Guards the guard: the assertions above would fail on unsanitised HTML."""
    assert active_content_problems(raw) != []
