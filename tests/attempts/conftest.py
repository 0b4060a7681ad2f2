"""Fixtures for the attempt engine's HTTP tests."""

from __future__ import annotations

import pytest

from tests.attempts.helpers import World, build_world
from tests.conftest import Clients


@pytest.fixture
def world(app, login, build_once) -> World:
    return world_of(app, build_once(plain_world, app, login))


def world_of(app, plain: dict) -> World:
    """The World of build_world(), its clients signed in afresh for this test."""
    return World(
        slug=plain["slug"],
        file_slug=plain["file_slug"],
        ids=plain["ids"],
        clients=Clients(app, plain["sessions"]),
    )


def plain_world(app, login) -> dict:
    world = build_world(app, login)
    return {
        "slug": world.slug,
        "file_slug": world.file_slug,
        "ids": world.ids,
        "sessions": {role: _session_id(c) for role, c in world.clients.items()},
    }


def _session_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")
