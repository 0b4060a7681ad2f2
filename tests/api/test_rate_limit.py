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
    assert all(learner.get("/api/v1/live").status_code == 200 for _ in range(5))


def test_counting_requests_in_memory_starts_no_thread(world, monkeypatch):
    """memory:// counts without a timer thread per request, and still limits."""
    import threading

    learner = world.client("learner")
    started = []
    real_start = threading.Thread.start
    monkeypatch.setattr(
        threading.Thread, "start", lambda t: (started.append(t), real_start(t))[1]
    )

    codes = [learner.get("/api/v1/attempts/999").status_code for _ in range(4)]

    assert codes == [404, 404, 404, 429]
    assert started == []


def test_expired_counts_are_swept_by_a_later_count():
    from lms.extensions import InlineExpiryMemoryStorage

    storage = InlineExpiryMemoryStorage("memory://")
    storage.incr("a", expiry=60)
    storage.expirations["a"] = 0  # as if its minute had passed
    storage._swept_at -= InlineExpiryMemoryStorage.SWEEP_SECONDS

    storage.incr("b", expiry=60)

    assert "a" not in storage.storage and storage.get("b") == 1
