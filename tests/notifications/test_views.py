"""The notifications page and the count in the navigation: every route against
every role, opening and marking read, and a fixed number of queries."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.notifications import services
from lms.notifications.models import Notification
from lms.users.models import User
from tests.assignments.conftest import ALL, ROLES


def text(response) -> str:
    return response.get_data(as_text=True)


def _notify(
    app, user_id: int, message: str = "New feedback", link: str = "/feedback/mine"
) -> int:
    with app.app_context():
        services.notify(user_id, "feedback", message, link)
        db.session.commit()
        return db.session.scalar(sa.select(sa.func.max(Notification.id)))


def _user_id(app, world, role: str) -> int | None:
    if role == "anon":
        return None
    with app.app_context():
        name = {
            "learner": "Lena Learner",
            "mate": "Mateo Mate",
            "mentor": "Esha Expert",
            "trainer": "Tara Trainer",
            "trainer_other": "Theo Othertrainer",
            "manager": "Maya Manager",
            "manager_other": "Omar Othermanager",
            "admin": "Ada Admin",
        }[role]
        return db.session.scalar(sa.select(User.id).where(User.name == name))


CASES = [
    ("list", "GET", "/notifications", ALL(200)),
    ("second page", "GET", "/notifications?page=2", ALL(200)),
    ("open own", "POST", "/notifications/{own}/open", ALL(302)),
    ("mark own read", "POST", "/notifications/{own}/read", ALL(302)),
    ("mark all read", "POST", "/notifications/read-all", ALL(302)),
    ("open someone else's", "POST", "/notifications/{theirs}/open", ALL(404)),
    ("mark someone else's read", "POST", "/notifications/{theirs}/read", ALL(404)),
    ("unknown", "POST", "/notifications/99999/read", ALL(404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_role_matrix(app, world, role, method, path, expected):
    own_id = _user_id(app, world, role) or world.ids["learner"]
    own = _notify(app, own_id)
    theirs = _notify(app, world.ids["outsider"] if role != "anon" else own_id)
    client = world.client(role)
    url = path.format(own=own, theirs=theirs)

    response = client.get(url) if method == "GET" else client.post(url)

    assert response.status_code == expected[role]
    if role == "anon":
        assert "/login" in response.headers["Location"]


def test_the_navigation_counts_unread_with_a_readable_label(app, world):
    client = world.client("learner")
    before = text(client.get("/learning"))
    assert 'data-unread="0"' in before and "Notifications" in before

    first = _notify(app, world.ids["learner"], "New feedback from Maya Manager")
    _notify(app, world.ids["learner"], "New assignment")
    html = text(client.get("/learning"))
    assert 'data-unread="2"' in html
    assert re.search(r'2<span class="visually-hidden"> unread</span>', html)

    client.post(f"/notifications/{first}/read")
    assert 'data-unread="1"' in text(client.get("/learning"))


def test_opening_marks_read_and_goes_to_the_page(app, world):
    own = _notify(app, world.ids["learner"], "New feedback", "/feedback/mine")
    client = world.client("learner")

    response = client.post(f"/notifications/{own}/open")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/feedback/mine")
    with app.app_context():
        assert db.session.get(Notification, own).read_at is not None


def test_the_list_shows_newest_first_and_marks_all_read(app, world, clock):
    _notify(app, world.ids["learner"], "The older one")
    clock.advance(minutes=1)
    _notify(app, world.ids["learner"], "The newer one")
    client = world.client("learner")

    html = text(client.get("/notifications"))
    assert html.index("The newer one") < html.index("The older one")
    assert html.count(">New</span>") == 2
    assert "Mark all read" in html

    client.post("/notifications/read-all")
    html = text(client.get("/notifications"))
    assert ">New</span>" not in html and "Mark all read" not in html


def test_nobody_sees_anothers_notifications(app, world):
    _notify(app, world.ids["outsider"], "Otto's private note")
    assert "Otto's private note" not in text(
        world.client("manager").get("/notifications")
    )


def test_the_page_reads_in_a_fixed_number_of_queries(app, world, count_queries, clock):
    client = world.client("learner")
    counts = []
    for n in (2, 40):
        with app.app_context():
            for i in range(n):
                services.notify(world.ids["learner"], "note", f"Note {i}", "/learning")
            db.session.commit()
        with count_queries() as q:
            assert client.get("/notifications").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts
