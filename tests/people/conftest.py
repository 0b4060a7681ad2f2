"""The person page tests use the mentoring world (tests/mentorship/conftest.py)."""

from tests.mentorship.conftest import world  # noqa: F401
