"""The page header is drawn once per role and page and filled in per person
(lms/templating.site_header): nobody sees another person's name or count, a
name is escaped, and the sign-out form's token works. The signed CSRF token is
reused within a session (lms/security.csrf_token), never across sessions."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.notifications.services import notify
from tests import factories


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def _person_menu(html: str) -> str:
    return re.search(r'data-bs-toggle="dropdown"[^>]*>\s*(.*?)\s*<span', html, re.S)[1]


def _unread(html: str) -> str:
    return re.search(r'data-unread="(\d+)"', html)[1]


def _logout_token(html: str) -> str:
    return re.search(
        r'action="/logout"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
        html,
    )[1]


def test_people_with_the_same_role_each_see_their_own_name_and_count(app, login):
    with app.app_context():
        busy = factories.user(name="Asha <b>Rao</b> & Co")
        quiet = factories.user(name="Ben Quiet")
        for number in range(3):
            notify(busy.id, "info", f"Note {number}")
        db.session.commit()
        busy_client, quiet_client = login(busy), login(quiet)

    first = busy_client.get("/").get_data(as_text=True)
    second = quiet_client.get("/").get_data(as_text=True)
    again = busy_client.get("/").get_data(as_text=True)

    assert _person_menu(first) == "Asha &lt;b&gt;Rao&lt;/b&gt; &amp; Co"
    assert _person_menu(second) == "Ben Quiet"
    assert "Asha" not in second
    assert (_unread(first), _unread(second), _unread(again)) == ("3", "0", "3")
    assert '3<span class="visually-hidden"> unread</span>' in first
    assert " unread</span>" not in second
    assert "\x00" not in first + second


def test_the_header_sign_out_token_signs_out(app, login):
    with app.app_context():
        client = login(factories.user())
        db.session.commit()
    page = client.get("/").get_data(as_text=True)

    refused = client.post("/logout")
    accepted = client.post("/logout", data={"csrf_token": _logout_token(page)})

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert client.get("/").status_code == 302  # signed out: sent to sign in


def test_a_signed_token_is_reused_in_its_session_but_never_in_another(app, login):
    with app.app_context():
        person = factories.user()
        db.session.commit()
        one, other = login(person), login(person)

    first = _logout_token(one.get("/").get_data(as_text=True))
    second = _logout_token(one.get("/").get_data(as_text=True))
    elsewhere = _logout_token(other.get("/").get_data(as_text=True))

    assert first == second
    assert elsewhere != first
    assert one.post("/logout", data={"csrf_token": elsewhere}).status_code == 400
    assert one.post("/logout", data={"csrf_token": second}).status_code == 302
