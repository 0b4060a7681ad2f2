"""Fixtures for the JSON API tests."""

from __future__ import annotations

import pytest

from tests.attempts.conftest import plain_world, world_of
from tests.attempts.helpers import World


@pytest.fixture
def world(app, login, build_once) -> World:
    return world_of(app, build_once(plain_world, app, login))
