"""Sign-in limits that hold across gunicorn's worker processes: the per-address
limit through Redis, the per-account back-off through the database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from lms import create_app
from lms.extensions import db
from tests import factories
from tests.auth.live_servers import gunicorn, post_login
from tests.conftest import make_config

TRIES = 40


@pytest.fixture
def live_database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = create_app(make_config(url, tmp_path))
    with app.app_context():
        db.create_all()
        for n in range(TRIES):
            factories.user(email=f"person{n}@example.test")
        db.session.commit()
        db.engine.dispose()
    return url


def _tries(port: int, pairs) -> list[int]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda pair: post_login(port, *pair), pairs))


def test_two_workers_together_let_through_only_the_address_limit(
    live_database, tmp_path, redis_url
):
    # A different account each time: only the per-address limit applies.
    pairs = [(f"person{n}@example.test", "wrong password here") for n in range(TRIES)]
    with gunicorn(
        live_database,
        tmp_path,
        RATELIMIT_STORAGE_URI=redis_url,
        LOGIN_RATE_LIMIT="10 per minute",
    ) as port:
        codes = _tries(port, pairs)

    assert codes.count(400) == 10, codes  # checked, and wrong
    assert codes.count(429) == TRIES - 10


def test_two_workers_together_check_one_account_only_five_times(
    live_database, tmp_path
):
    pairs = [("person0@example.test", "wrong password here")] * TRIES
    with gunicorn(live_database, tmp_path, LOGIN_RATE_LIMIT="1000 per minute") as port:
        codes = _tries(port, pairs)

    assert codes.count(400) == 5, codes
    assert codes.count(429) == TRIES - 5


def test_sign_in_still_works_when_redis_is_unreachable(live_database, tmp_path):
    from tests.auth.live_servers import free_port

    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    with gunicorn(live_database, tmp_path, RATELIMIT_STORAGE_URI=nowhere) as port:
        wrong = post_login(port, "person1@example.test", "wrong password here")
        right = post_login(port, "person2@example.test", factories.PASSWORD)

    assert (wrong, right) == (400, 302)
