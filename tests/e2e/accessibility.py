"""The accessibility check of the browser journeys: axe-core over every page they visit.

Every document a journey's browser context opens over http runs axe-core
(bundled by the `axe-playwright-python` package) once it has loaded, and
reports to Python through a binding, so no journey has to ask for it. A page
is never left unchecked: the context holds each navigation until the page
being left has reported (a journey can click on before a page has loaded).

At the end of the test `AccessibilityAudit.problems()` lists each serious or
critical violation with the page, the rule, its impact and the target
selectors, and each page that could not be checked; the `browser_context`
fixture fails the test with that list.

A rule is never switched off for every page. When axe is wrong about one
element, exclude that selector in `EXCLUDED_SELECTORS` with the reason.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from axe_playwright_python.base import AXE_SCRIPT

FAILING_IMPACTS = ("serious", "critical")

# selector -> why axe is wrong about it. Keep it short and specific.
EXCLUDED_SELECTORS: dict[str, str] = {}

BINDING = "__boaAccessibilityReport"
# How long a navigation waits for the check of the page it leaves: less than a
# click's own timeout, so a check that never reports cannot fail the click.
CHECK_TIMEOUT_SECONDS = 5

# Runs in every frame of every document the context opens. `preload: false`
# keeps axe from fetching the stylesheets again: it needs them only for the
# orientation-lock rule, which has nothing to find here.
RUNNER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const report = (kind, data) => window.%(binding)s(kind, location.href, data);
  report("start", null);
  window.addEventListener("load", () => {
    axe.run(
      {exclude: %(exclude)s},
      {resultTypes: ["violations"], preload: false, iframes: false}
    ).then((results) => {
      report("done", results.violations
        .filter((v) => %(impacts)s.includes(v.impact))
        .map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          targets: v.nodes.map((n) => n.target.join(" ")),
        })));
    }, (error) => report("error", String(error)));
  });
})();
"""


@dataclass
class Violation:
    url: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        targets = "; ".join(self.targets[:8])
        more = f" (+{len(self.targets) - 8} more)" if len(self.targets) > 8 else ""
        return f"{self.url}: {self.rule} [{self.impact}] {self.help} -> {targets}{more}"


@dataclass
class AccessibilityAudit:
    """Collects axe's reports for one browser context."""

    violations: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Pages the journey left before their check reported (rare: the browser
    # was held CHECK_TIMEOUT_SECONDS). Printed in the output, not a failure: a
    # check that never reports is a fault of the hold, not of the page.
    left_unchecked: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    # page -> the URL of its document whose check has not reported yet
    unchecked: dict = field(default_factory=dict)

    def attach(self, context) -> None:
        context.expose_binding(BINDING, self._receive)
        context.add_init_script(script=AXE_SCRIPT + "\n" + runner_script())
        context.route("**/*", self._hold_navigation)

    def _receive(self, source, kind: str, url: str, data) -> None:
        page = source["page"]
        if kind == "start":
            left = self.unchecked.pop(page, None)
            if left:
                self.left_unchecked.append(left)
            self.unchecked[page] = url
            return
        self.unchecked.pop(page, None)
        if kind == "error":
            self.errors.append(f"{url}: axe could not run: {data}")
            return
        self.checked.append(url)
        self.violations.extend(
            Violation(url, item["id"], item["impact"], item["help"], item["targets"])
            for item in data
        )

    def _hold_navigation(self, route, request) -> None:
        """Let a page finish its check before the browser leaves it."""
        frame = request.frame
        if request.is_navigation_request() and frame.parent_frame is None:
            self._wait_for_check(frame.page)
        route.fallback()

    def _wait_for_check(self, page) -> None:
        deadline = time.monotonic() + CHECK_TIMEOUT_SECONDS
        while page in self.unchecked and time.monotonic() < deadline:
            if page.is_closed():
                return
            page.wait_for_timeout(20)  # lets the reports come in meanwhile

    def _give_up(self, page, why: str) -> None:
        url = self.unchecked.pop(page, None)
        if url:
            self.errors.append(f"{url}: {why}")

    def finish(self, pages) -> None:
        """Wait for the check of each open page, so the last page counts too."""
        for page in pages:
            if not page.is_closed():
                self._wait_for_check(page)
            self._give_up(page, "not checked by the end of the test")

    def problems(self) -> list[str]:
        return [str(v) for v in self.violations] + self.errors


def runner_script() -> str:
    return RUNNER % {
        "binding": BINDING,
        "exclude": json.dumps([[selector] for selector in EXCLUDED_SELECTORS]),
        "impacts": json.dumps(list(FAILING_IMPACTS)),
    }
