"""The journeys' accessibility check finds what it should (tests/e2e/accessibility.py).

A page served by the test itself has an image without a text alternative and
grey-on-white text: axe reports both with the page and the elements, including
on a page the browser leaves at once. The findings are then cleared, so this
test's own teardown passes.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.e2e

BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="data:," id="no-alt">
<p id="faint" style="color:#bbb">Too faint to read</p>
<a id="onward" href="next.html">Next</a></main></body></html>"""
FINE = """<!doctype html><html lang="en"><head><title>Fine</title></head>
<body><main><h1>Fine</h1><p>Readable.</p></main></body></html>"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def pages(tmp_path):
    """The two pages over http (the check runs on http pages only)."""
    (tmp_path / "broken.html").write_text(BROKEN)
    (tmp_path / "next.html").write_text(FINE)
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_violations_are_reported_with_the_page_rule_and_elements(
    browser_page, accessibility, pages
):
    page = browser_page
    broken, following = f"{pages}/broken.html", f"{pages}/next.html"

    page.goto(broken)
    page.locator("#onward").click()  # leaving at once: the check still runs first
    page.wait_for_url(following)
    accessibility.finish([page])

    found = {(v.url, v.rule): v for v in accessibility.violations}
    assert found[broken, "image-alt"].targets == ["#no-alt"]
    assert found[broken, "image-alt"].impact == "critical"
    assert found[broken, "color-contrast"].targets == ["#faint"]
    assert {url for url, _ in found} == {broken}
    assert accessibility.checked == [broken, following]
    assert accessibility.errors == []

    accessibility.violations.clear()
