"""Fixtures for the sign-in tests: Redis on a loopback port (tests.auth.live_servers)."""

from tests.auth.live_servers import redis_url  # noqa: F401
