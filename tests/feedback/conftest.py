"""The feedback tests use the academy of tests/assignments/conftest.py."""

from tests.assignments.conftest import world  # noqa: F401
