"""Who may open which mentoring and person page: every route against every role
and relationship (see conftest: the mentor mentors the mentee; the mate is in
the mentee's team without a mentor; other_manager manages another team)."""

from __future__ import annotations

import pytest

from tests.mentorship.conftest import ROLES


def E(mentee, mate, mentor, manager, other_manager, admin, anon=302):
    """Expected status per role, in the order of ROLES."""
    return dict(
        zip(
            ROLES,
            (anon, mentee, mate, mentor, manager, other_manager, admin),
            strict=True,
        )
    )


def ALL(status):
    return E(*([status] * 6))


PAIR = {
    "mentor_id": "{outsider}",
    "starts_on": "2026-03-02",
    "focus_skill_ids": "{excel}",
}
SESSION = {"held_on": "2026-03-01", "notes": "Talked it through."}
RATING = {"skill_id": "{excel}", "level": "2", "justification": "Saw it done twice."}

CASES = [
    # everyone's own mentoring
    ("overview", "GET", "/mentoring", None, ALL(200)),
    ("my mentees", "GET", "/mentoring/mentees", None, ALL(200)),
    ("my mentor", "GET", "/mentoring/mine", None, ALL(200)),
    ("mentor profile", "GET", "/mentoring/profile", None, ALL(200)),
    ("save mentor profile", "POST", "/mentoring/profile",
     {"capacity": "2", "available": "y"}, ALL(302)),
    # managers
    ("people to pair", "GET", "/mentoring/people", None,
     E(403, 403, 403, 200, 200, 200)),
    ("pair page", "GET", "/mentoring/pair/{mate}", None,
     E(403, 403, 403, 200, 403, 200)),
    ("pair page of an unknown person", "GET", "/mentoring/pair/99999", None,
     E(404, 404, 404, 404, 404, 404)),
    ("pair", "POST", "/mentoring/pair/{mate}", PAIR, E(403, 403, 403, 302, 403, 302)),
    # a pairing
    ("pairing", "GET", "/mentoring/pairings/{pairing}", None,
     E(200, 403, 200, 200, 403, 200)),
    ("unknown pairing", "GET", "/mentoring/pairings/99999", None, ALL(404)),
    ("log session", "POST", "/mentoring/pairings/{pairing}/sessions", SESSION,
     E(403, 403, 302, 403, 403, 403)),
    ("end pairing", "POST", "/mentoring/pairings/{pairing}/end", {},
     E(403, 403, 403, 302, 403, 302)),
    ("acknowledge", "POST", "/mentoring/sessions/{session}/acknowledge", {},
     E(302, 403, 403, 403, 403, 403)),
    ("acknowledge unknown", "POST", "/mentoring/sessions/99999/acknowledge", {},
     ALL(404)),
    ("tick the mentee's item", "POST", "/mentoring/items/{mentee_item}/done",
     {"done": "1"}, E(302, 403, 302, 403, 403, 403)),
    ("tick the mentor's item", "POST", "/mentoring/items/{mentor_item}/done",
     {"done": "1"}, E(403, 403, 302, 403, 403, 403)),
    ("tick unknown", "POST", "/mentoring/items/99999/done", {"done": "1"}, ALL(404)),
    # the person page
    ("person: the mentee", "GET", "/people/{mentee}", None,
     E(200, 403, 200, 200, 403, 200)),
    ("person: the mate", "GET", "/people/{mate}", None,
     E(403, 200, 403, 200, 403, 200)),
    ("person: the mentor", "GET", "/people/{mentor}", None,
     E(403, 403, 200, 403, 200, 200)),
    ("person: the manager", "GET", "/people/{manager}", None,
     E(403, 403, 403, 200, 403, 200)),
    ("person: unknown", "GET", "/people/99999", None, ALL(404)),
    ("rate the mentee", "POST", "/people/{mentee}/ratings", RATING,
     E(403, 403, 302, 302, 403, 302)),
    ("rate the mate", "POST", "/people/{mate}/ratings", RATING,
     E(403, 403, 403, 302, 403, 302)),
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
        response = client.post(url, data={k: world.path(v) for k, v in data.items()})

    assert response.status_code == expected[role], response.get_data(as_text=True)[:400]
    if role == "anon":
        assert "/login" in response.headers["Location"]
