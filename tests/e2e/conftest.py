"""Shared fixtures for browser journeys (tests/e2e): a live server and Chromium.

* `live_server` serves a fresh app from a werkzeug server in a thread on
  127.0.0.1 and a free port, against its own file SQLite database (created
  empty; the test seeds it inside `live_server.app.app_context()` and
  commits). CSRF is ON, as in production. Override `live_server_config` in a
  test module to change settings.
* `browser_page` is a Playwright page in a fresh Chromium context (system
  Chromium at /usr/bin/chromium). Without Chromium the tests are skipped,
  unless LMS_REQUIRE_BROWSER=1, which turns that into a failure (CI).
* Every page the browser context opens is checked by axe-core
  (tests/e2e/accessibility.py); a serious or critical violation, or a page
  left before its check ended, fails the test at teardown with the page URL,
  the rule, its impact and the target selectors. `accessibility` is the
  context's audit, should a journey want to look at what was checked.
* `sign_in(page, email, password)` signs in through the real login form.
* `server_clock.advance(seconds)` moves the live server's clock on (it runs in
  this process), so a journey need not wait for time to pass.

Mark browser tests with @pytest.mark.e2e.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from werkzeug.serving import make_server

from lms import clock, create_app
from lms.extensions import db
from tests.conftest import make_config
from tests.e2e.accessibility import AccessibilityAudit

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# The browser cancels a static file's download when a journey moves on (the
# accessibility check intercepts requests, which turns the browser's cache off,
# so every page fetches them). The test server then drops the connection and
# leaves that file to the garbage collector, which Python reports as an unclosed
# file. Only files under static/, only in browser journeys.
CANCELLED_STATIC_DOWNLOADS = (
    r"ignore:unclosed file <_io\.\w+ name='[^']*/static/:ResourceWarning",
    r"ignore:Exception ignored in. <_io\.\w+ name='[^']*/static/"
    ":pytest.PytestUnraisableExceptionWarning",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("e2e"):
            for rule in CANCELLED_STATIC_DOWNLOADS:
                item.add_marker(pytest.mark.filterwarnings(rule))


@dataclass
class LiveServer:
    app: Flask
    url: str

    def __call__(self, path: str = "/") -> str:
        """live_server("/assessments") -> the absolute URL."""
        return self.url + path


@pytest.fixture
def live_server_config() -> dict:
    """Override in a test module to change the live app's settings."""
    return {}


@pytest.fixture
def live_server(tmp_path, live_server_config) -> Iterator[LiveServer]:
    config = make_config(
        f"sqlite:///{tmp_path / 'live.sqlite'}",
        tmp_path,
        WTF_CSRF_ENABLED=True,
        SERVER_NAME=None,
        **live_server_config,
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (LMS_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def accessibility() -> AccessibilityAudit:
    return AccessibilityAudit()


@pytest.fixture
def browser_context(chromium, accessibility):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    accessibility.attach(context)
    try:
        yield context
        accessibility.finish(context.pages)
    finally:
        context.close()
    for url in accessibility.left_unchecked:
        print(f"accessibility: left before its check reported: {url}")
    problems = accessibility.problems()
    if problems:
        pytest.fail(
            f"{len(problems)} accessibility problem(s) (axe-core, serious or "
            "critical):\n" + "\n".join(problems),
            pytrace=False,
        )


@pytest.fixture
def browser_page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def sign_in(live_server):
    def _sign_in(page, email: str, password: str) -> None:
        page.goto(live_server("/login"))
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/login" not in url)

    return _sign_in


@pytest.fixture
def server_clock(monkeypatch):
    """Move the live server's clock on (it runs in this process) with .advance(s)."""
    real_now = clock.now
    offset = {"seconds": 0.0}

    def now():
        return real_now() + timedelta(seconds=offset["seconds"])

    monkeypatch.setattr(clock, "now", now)

    class _Clock:
        @staticmethod
        def advance(seconds: float) -> None:
            offset["seconds"] += seconds

    return _Clock()
