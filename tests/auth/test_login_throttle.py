"""Per-account sign-in throttling, kept in the database: after five failed sign-ins
in a row an account waits a minute, then twice as long after each further failure
(at most 15 minutes); a success starts the count again. Every worker, a restarted
server and another host share it, and an unknown email is treated the same."""

from __future__ import annotations

import pytest

from lms import create_app
from lms.extensions import db
from tests import factories
from tests.conftest import make_config

EMAIL = "asha@example.test"
WRONG = "not the password at all"


@pytest.fixture
def account(app):
    with app.app_context():
        factories.user(email=EMAIL)
        db.session.commit()


def _sign_in(client, password, email=EMAIL):
    return client.post("/login", data={"email": email, "password": password})


def _signed_in(response) -> bool:
    return response.status_code == 302


def test_five_failures_then_the_account_waits_a_minute(app, account, client, clock):
    codes = [_sign_in(client, WRONG).status_code for _ in range(5)]

    refused = _sign_in(client, factories.PASSWORD)
    clock.advance(seconds=61)
    accepted = _sign_in(client, factories.PASSWORD)

    assert codes == [400] * 5
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert _signed_in(accepted)


def test_each_further_failure_doubles_the_wait(app, account, client, clock):
    for _ in range(5):
        _sign_in(client, WRONG)
    clock.advance(seconds=61)
    assert _sign_in(client, WRONG).status_code == 400  # one try after the wait
    clock.advance(seconds=61)
    still_waiting = _sign_in(client, factories.PASSWORD)
    clock.advance(seconds=60)
    after_two_minutes = _sign_in(client, factories.PASSWORD)

    assert still_waiting.status_code == 429
    assert _signed_in(after_two_minutes)


def test_the_wait_is_at_most_fifteen_minutes(app, account, client, clock):
    for _ in range(5):
        _sign_in(client, WRONG)
    for _ in range(8):
        clock.advance(minutes=16)
        assert _sign_in(client, WRONG).status_code == 400
    clock.advance(minutes=15, seconds=1)

    assert _signed_in(_sign_in(client, factories.PASSWORD))


def test_a_success_starts_the_count_again(app, account, client, clock):
    for _ in range(4):
        _sign_in(client, WRONG)
    assert _signed_in(_sign_in(client, factories.PASSWORD))
    client.post("/logout")
    fresh = app.test_client()

    codes = [_sign_in(fresh, WRONG).status_code for _ in range(4)]

    assert codes == [400] * 4
    assert _signed_in(_sign_in(fresh, factories.PASSWORD))


def test_an_unknown_email_is_throttled_the_same(app, client, clock):
    unknown = "nobody@example.test"
    codes = [_sign_in(client, WRONG, unknown).status_code for _ in range(6)]

    assert codes == [400] * 5 + [429]


def test_the_wait_holds_in_another_server_on_the_same_database(
    app, account, client, clock, database_url, tmp_path
):
    for _ in range(5):
        _sign_in(client, WRONG)
    other = create_app(make_config(database_url, tmp_path))

    refused = _sign_in(other.test_client(), factories.PASSWORD)

    assert refused.status_code == 429
    with other.app_context():
        db.engine.dispose()


def test_an_account_under_attack_does_not_slow_another(app, account, client, clock):
    with app.app_context():
        factories.user(email="bina@example.test")
        db.session.commit()
    for _ in range(6):
        _sign_in(client, WRONG)

    other = _sign_in(app.test_client(), factories.PASSWORD, "bina@example.test")

    assert _signed_in(other)
