"""Every page each demo person reaches by links works, at 1366 px and at 390 px.

On the demo data (the bundled content and `seed_demo()`), each demo account
signs in and the crawl (tests/e2e/crawl.py) follows every link it is shown,
one example of each route pattern: every page opens, logs no console error,
has one h1 and never scrolls sideways on a phone, and every download answers.
The journeys' axe-core check runs on each of those pages as it loads.

LMS_CRAWL_SHOTS=<folder> saves a screenshot of every page at both widths, and
LMS_CRAWL_EXAMPLES=<n> visits up to n examples of each pattern (one by
default, which keeps the journey to a few minutes), and LMS_CRAWL_PEOPLE
names the accounts to crawl ("learner newhire"; all six by default).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lms.content.importer import import_content
from lms.extensions import db
from lms.seed.demo import demo_password, seed_demo
from tests.e2e.crawl import Crawler, RouteIndex

pytestmark = pytest.mark.e2e

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PEOPLE = os.environ.get(
    "LMS_CRAWL_PEOPLE", "admin trainer manager manager2 learner newhire"
).split()
SHOTS = os.environ.get("LMS_CRAWL_SHOTS")
EXAMPLES = int(os.environ.get("LMS_CRAWL_EXAMPLES", "1"))
MAX_PATTERNS = 150
# Fewer than this many pages means the crawl lost its way (signed out, a
# navigation gone), not that the person has little to see.
FEWEST_PAGES = 10


@pytest.fixture
def live_server_config() -> dict:
    return {"DEMO_PASSWORD": "every-page-journey"}


@pytest.fixture
def demo(live_server) -> str:
    with live_server.app.app_context():
        import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
        seed_demo()
        db.session.commit()
        return demo_password()


def test_every_page_each_demo_person_reaches_opens_cleanly_at_both_widths(
    browser_page, live_server, sign_in, demo
):
    page = browser_page
    crawler = Crawler(
        page,
        RouteIndex(live_server.app.url_map, live_server.url),
        max_patterns=MAX_PATTERNS,
        examples=EXAMPLES,
        shots_dir=Path(SHOTS) if SHOTS else None,
    )
    reports = []
    for person in PEOPLE:
        page.context.clear_cookies()
        sign_in(page, f"{person}@demo.test", demo)
        reports.append(crawler.crawl(person, live_server("/")))

    for report in reports:
        print(report.summary())
        for pattern in report.patterns:
            print("   ", pattern)
    problems = [problem for report in reports for problem in report.problems()]
    assert problems == [], f"{len(problems)} problem(s):\n" + "\n".join(problems)
    thin = [r.summary() for r in reports if len(r.pages) < FEWEST_PAGES]
    assert thin == []
