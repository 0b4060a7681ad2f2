"""Fixtures for the JSON API tests."""

from __future__ import annotations

import pytest

from tests.attempts.helpers import World, build_world


@pytest.fixture
def world(app, login) -> World:
    return build_world(app, login)
