"""The API is rate-limited per user (or token); health checks are not."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config_overrides():
    return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}


def test_the_api_is_rate_limited_per_user_but_health_is_not(world):
    learner, other = world.client("learner"), world.client("outsider")

    codes = [learner.get("/api/v1/attempts/999").status_code for _ in range(4)]

    assert codes == [404, 404, 404, 429]
    assert (
        learner.get("/api/v1/attempts/999").get_json()["error"] == "too_many_requests"
    )
    assert other.get("/api/v1/attempts/999").status_code == 404
    assert all(learner.get("/api/v1/health").status_code == 200 for _ in range(5))
