"""The feedback tests use the academy of tests/assignments/conftest.py, and the
browser journey the live server and Chromium of tests/e2e/conftest.py."""

from tests.assignments.conftest import world  # noqa: F401
from tests.e2e.conftest import (  # noqa: F401
    browser_context,
    browser_page,
    chromium,
    live_server,
    live_server_config,
    sign_in,
)
