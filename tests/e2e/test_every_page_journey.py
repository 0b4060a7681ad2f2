"""Every page each demo person reaches by links works, at 1366 px and at 390 px.

On the demo data (the bundled content and `seed_demo()`), each demo account
signs in and the crawl (tests/e2e/crawl.py) follows every link it is shown,
one example of each route pattern: every page opens, logs no console error,
has one h1, skips no heading level and never scrolls sideways on a phone, and
every download answers. The journeys' axe-core check runs on each of those
pages as it loads. One test per person; the demo data is seeded once for the
module and copied into each test's live database.

LMS_CRAWL_SHOTS=<folder> saves a screenshot of every page at both widths, and
LMS_CRAWL_EXAMPLES=<n> visits up to n examples of each pattern (one by
default, which keeps each person's crawl to a minute or two).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from lms import create_app
from lms.content.importer import import_content
from lms.extensions import db
from lms.seed.demo import seed_demo
from tests.conftest import make_config
from tests.e2e.crawl import Crawler, RouteIndex

pytestmark = pytest.mark.e2e

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PEOPLE = ("admin", "trainer", "manager", "manager2", "learner", "newhire")
PASSWORD = "every-page-journey"
SHOTS = os.environ.get("LMS_CRAWL_SHOTS")
EXAMPLES = int(os.environ.get("LMS_CRAWL_EXAMPLES", "1"))
MAX_PATTERNS = 150
# Fewer than this many pages means the crawl lost its way (signed out, a
# navigation gone), not that the person has little to see.
FEWEST_PAGES = 10


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Path:
    """The demo data, seeded once: a SQLite file each test copies."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite"
    app = create_app(make_config(f"sqlite:///{path}", folder, DEMO_PASSWORD=PASSWORD))
    with app.app_context():
        db.create_all()
        import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
        seed_demo()
        db.session.commit()
        db.engine.dispose()
    return path


@pytest.fixture
def live_server_config() -> dict:
    return {"DEMO_PASSWORD": PASSWORD}


@pytest.fixture
def demo(live_server, demo_database) -> str:
    with live_server.app.app_context():
        db.engine.dispose()
        live_path = db.engine.url.database
    with (
        closing(sqlite3.connect(demo_database)) as source,
        closing(sqlite3.connect(live_path)) as live,
    ):
        source.backup(live)
    return PASSWORD


@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_a_demo_person_reaches_opens_cleanly_at_both_widths(
    person, browser_page, live_server, sign_in, demo
):
    sign_in(browser_page, f"{person}@demo.test", demo)
    crawler = Crawler(
        browser_page,
        RouteIndex(live_server.app.url_map, live_server.url),
        max_patterns=MAX_PATTERNS,
        examples=EXAMPLES,
        shots_dir=Path(SHOTS) if SHOTS else None,
    )
    report = crawler.crawl(person, live_server("/"))

    print(report.summary())
    for pattern in report.patterns:
        print("   ", pattern)
    problems = report.problems()
    assert problems == [], f"{len(problems)} problem(s):\n" + "\n".join(problems)
    assert len(report.pages) >= FEWEST_PAGES, report.summary()
