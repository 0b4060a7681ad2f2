"""The first-hour crawl: every page a signed-in person reaches by following links.

`Crawler` starts on the dashboard and follows every same-origin link (GET only;
sign-out is a form, so it is never followed), breadth first, up to a bound of
distinct route patterns per person. A route pattern is the Flask endpoint and
the names of the query parameters: ids and slugs collapse, so one course stands
for every course. `examples` raises how many examples of a pattern are visited.

Each page is opened at 1366×768 and then narrowed to 390×844, and is checked for:

* an answer below 400 (every link a person is shown should open);
* no console error and no uncaught script error (CSP refusals included);
* exactly one h1, and headings that never skip a level on the way down;
* no horizontal page scroll at 390 px — a wide table scrolls in its own
  wrapper; the elements that stick out are named, to help fix it.

The axe-core check runs on every navigation through the journeys' browser
context (tests/e2e/accessibility.py), so it is not repeated here. Downloads
(CSV, XLSX, JSON) are fetched through the context's request client and must
answer 200. With `shots_dir`, a full-page screenshot of each page at both
widths is saved there, named after the person and the pattern.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".json", ".pdf", ".zip", ".txt")
ASSET_PREFIXES = ("/static/", "/bootstrap/static/")
NEVER_FOLLOWED = ("/logout",)

LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .map((a) => ({href: a.href, download: a.hasAttribute('download')}))"""

# The elements that reach past the right edge, innermost first: the ones to fix.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const clippedBy = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/(auto|scroll|hidden|clip)/.test(style.overflowX)) return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '');
  const wide = Array.from(document.body.querySelectorAll('*')).filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !clippedBy(el);
  });
  const innermost = wide.filter((el) => !wide.some((o) => o !== el && el.contains(o)));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    offenders: innermost.slice(0, 5).map((el) =>
      name(el) + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ')'),
  };
}"""


# Each heading that goes more than one level deeper than the one before it.
SKIPPED_HEADINGS_JS = """() => {
  const shown = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .filter((h) => h.checkVisibility());
  const text = (h) => h.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
  const skips = [];
  shown.forEach((h, i) => {
    const level = Number(h.tagName[1]);
    const before = i ? Number(shown[i - 1].tagName[1]) : 0;
    if (level > before + 1) {
      skips.push((i ? shown[i - 1].tagName.toLowerCase() + ' "' + text(shown[i - 1])
        + '"' : 'the page start') + ' to ' + h.tagName.toLowerCase() + ' "' + text(h) + '"');
    }
  });
  return skips;
}"""


@dataclass
class PageCheck:
    url: str
    pattern: str
    status: int | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class CrawlReport:
    """What one person's crawl visited and found."""

    person: str
    pages: list[PageCheck] = field(default_factory=list)
    downloads: list[PageCheck] = field(default_factory=list)
    left_over: int = 0  # patterns found but not visited because of the bound
    seconds: float = 0.0

    @property
    def patterns(self) -> list[str]:
        return sorted({check.pattern for check in self.pages + self.downloads})

    def problems(self) -> list[str]:
        return [
            f"{self.person} {check.url}: {problem}"
            for check in self.pages + self.downloads
            for problem in check.problems
        ]

    def summary(self) -> str:
        return (
            f"{self.person}: {len(self.pages)} pages, {len(self.downloads)} "
            f"downloads, {len(self.patterns)} route patterns in {self.seconds:.0f} s"
            + (f", {self.left_over} left over by the bound" if self.left_over else "")
        )


class RouteIndex:
    """Names a URL by its route pattern, from the app's own URL map."""

    def __init__(self, url_map: Map, base_url: str):
        self.base = urlsplit(base_url)
        self.adapter = url_map.bind(self.base.netloc, url_scheme=self.base.scheme)

    def is_same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) == (self.base.scheme, self.base.netloc)

    def pattern(self, url: str) -> str:
        """'courses.course_detail' or 'reports.team?category,sort'; a problem
        (no route, POST only) reads as '! <why>'."""
        parts = urlsplit(url)
        try:
            endpoint, _ = self.adapter.match(parts.path, method="GET")
        except RequestRedirect as redirect:
            return self.pattern(redirect.new_url)
        except HTTPException as error:
            return f"! {error.code} {error.name} for GET {parts.path}"
        keys = sorted({key for key, _ in parse_qsl(parts.query, True)})
        return endpoint + ("?" + ",".join(keys) if keys else "")


class Crawler:
    """Crawls as whoever is signed in on `page`; `crawl()` returns the report."""

    def __init__(
        self,
        page,
        routes: RouteIndex,
        *,
        max_patterns: int = 150,
        examples: int = 1,
        shots_dir: Path | None = None,
    ):
        self.page = page
        self.routes = routes
        self.max_patterns = max_patterns
        self.examples = examples
        self.shots_dir = shots_dir
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"script: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console.append(f"console: {message.text}")

    def crawl(self, person: str, start: str) -> CrawlReport:
        report = CrawlReport(person)
        started = time.monotonic()
        queue: deque[str] = deque([start])
        seen_urls = {start}
        visits: dict[str, int] = {}
        while queue:
            url = queue.popleft()
            pattern = self.routes.pattern(url)
            if visits.get(pattern, 0) >= self.examples:
                continue
            if pattern not in visits and len(visits) >= self.max_patterns:
                report.left_over += 1
                continue
            visits[pattern] = visits.get(pattern, 0) + 1
            if pattern.startswith("!"):
                report.pages.append(PageCheck(url, pattern, None, [pattern[2:]]))
            elif is_download(url):
                report.downloads.append(self.fetch(url, pattern))
            else:
                example = f"{person}-{pattern}-{visits[pattern]}"
                check, links = self.visit(url, pattern, example)
                report.pages.append(check)
                for link in links:
                    if link not in seen_urls:
                        seen_urls.add(link)
                        queue.append(link)
        report.seconds = time.monotonic() - started
        return report

    def fetch(self, url: str, pattern: str) -> PageCheck:
        response = self.page.request.get(url, max_redirects=0)
        check = PageCheck(url, pattern, response.status)
        if response.status != 200:
            check.problems.append(f"download answered {response.status}")
        return check

    def visit(
        self, url: str, pattern: str, example: str
    ) -> tuple[PageCheck, list[str]]:
        self.page.set_viewport_size(DESKTOP)
        self.console.clear()
        response = self.page.goto(url, wait_until="load")
        check = PageCheck(url, pattern, response.status if response else None)
        if check.status is None or check.status >= 400:
            check.problems.append(f"answered {check.status}")
        if urlsplit(self.page.url).path == "/login":
            check.problems.append("sent to the sign-in page")
        headings = self.page.locator("h1").count()
        if headings != 1:
            check.problems.append(f"{headings} h1 headings instead of one")
        for skip in self.page.evaluate(SKIPPED_HEADINGS_JS):
            check.problems.append(f"headings skip a level: {skip}")
        links = self.links()
        self.screenshot(f"{example}-desktop")
        self.page.set_viewport_size(PHONE)
        overflow = self.page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > overflow["innerWidth"]:
            check.problems.append(
                f"scrolls sideways at {PHONE['width']} px "
                f"(page {overflow['scrollWidth']} px wide): "
                + "; ".join(overflow["offenders"])
            )
        self.screenshot(f"{example}-phone")
        check.problems.extend(dict.fromkeys(self.console))
        return check, links

    def links(self) -> list[str]:
        found = []
        for link in self.page.evaluate(LINKS_JS):
            url = urldefrag(link["href"]).url
            path = urlsplit(url).path
            if not self.routes.is_same_origin(url) or path.startswith(ASSET_PREFIXES):
                continue
            if path in NEVER_FOLLOWED:
                continue
            found.append(url)
        return found

    def screenshot(self, name: str) -> None:
        if self.shots_dir is None:
            return
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        self.page.screenshot(path=str(self.shots_dir / f"{name}.png"), full_page=True)


def is_download(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith(DOWNLOAD_SUFFIXES) or path.startswith("/api/")
