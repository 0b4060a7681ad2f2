"""Every route of the app against every role, with the asker's own object and
with somebody else's: generated from the URL map, judged by route_table.py.

For each endpoint in `app.url_map` and each of its methods:

* anonymous visitors are sent to the sign-in page (pages) or get 401 JSON (the
  API), unless the route is public;
* a signed-in role the table does not allow gets 403 or 404, and so does an
  allowed role asking for a foreign object (another trainer's course, another
  learner's attempt, another team...): never 200, never 500, the foreign
  object's name nowhere in the answer, and a refused write stores no row;
* an allowed role opening its own object with GET gets 2xx or 3xx.

An endpoint missing from the table fails here with its name and rule.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from lms import create_app
from lms.extensions import db
from tests.conftest import Clients, make_config
from tests.security.route_table import ROUTES, Route
from tests.security.route_world import ROLES, SECRET, build

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
REFUSED = (403, 404)
TABLE = "tests/security/route_table.py"


def _methods_by_endpoint() -> dict[str, set[str]]:
    """The endpoints of a freshly built app (no database is touched), each with
    the methods its rules take."""
    app = create_app(make_config("sqlite://", _NoFolder()))
    methods: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods.setdefault(rule.endpoint, set()).update(rule.methods)
    return methods


class _NoFolder:
    """Stands in for tmp_path at collection time: the app never writes there."""

    def __truediv__(self, name: str) -> str:
        return f"/nonexistent/{name}"


METHODS = _methods_by_endpoint()
ENDPOINTS = sorted(METHODS)


class Matrix:
    def __init__(self, app, built: dict) -> None:
        self.app = app
        self.ids = built["ids"]
        self.clients = Clients(app, built["sessions"])
        self.failures: list[str] = []

    def value(self, key: str, role: str) -> str | int:
        if key.startswith("="):
            return key[1:]
        return self.ids[key.format(role="learner" if role == "anonymous" else role)]

    def url(self, rule, args: dict[str, str], query: str, role: str) -> str:
        values = {name: self.value(key, role) for name, key in args.items()}
        path = rule.build(values, append_unknown=False)[1]
        if query:
            path += "?" + query.format(**self.ids)
        return path

    def ask(self, role: str, method: str, url: str, body: dict):
        client: FlaskClient = self.clients[role]
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.open(url, method=method, json=body)
        else:
            response = client.open(url, method=method, data={})
        response.get_data()
        response.close()  # file answers (static files) hold their file open
        return response

    def fail(self, role: str, method: str, url: str, why: str) -> None:
        self.failures.append(f"{role:9} {method:4} {url}: {why}")


def stored_rows() -> dict[str, int]:
    """Row counts of every table, in one statement."""
    tables = list(db.metadata.sorted_tables)
    counts = sa.union_all(
        *(
            sa.select(
                sa.literal(t.name).label("t"), sa.func.count().label("n")
            ).select_from(t)
            for t in tables
        )
    )
    return {name: n for name, n in db.session.execute(counts)}


@pytest.fixture
def matrix(app, clock, build_once) -> Matrix:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer to judge
    return Matrix(app, build_once(build, app))


def _rules(app, endpoint: str):
    return [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]


def _check_anonymous(m: Matrix, rule, method: str, url: str) -> None:
    response = m.ask("anonymous", method, url, {})
    if rule.rule.startswith("/api/"):
        body = response.get_json(silent=True) or {}
        if response.status_code != 401 or "error" not in body:
            m.fail("anonymous", method, url, f"{response.status_code}, not 401 JSON")
    elif response.status_code != 302 or "/login" not in response.headers.get(
        "Location", ""
    ):
        m.fail("anonymous", method, url, f"{response.status_code}, not sent to sign in")


def _check_refused(m: Matrix, role: str, method: str, url: str, body: dict) -> None:
    if method != "GET":
        with m.app.app_context():
            before = stored_rows()
    response = m.ask(role, method, url, body)
    if response.status_code not in REFUSED:
        m.fail(role, method, url, f"{response.status_code}, not refused")
    if SECRET in response.get_data(as_text=True):
        m.fail(role, method, url, "the answer names a foreign object")
    if method == "GET":
        return
    with m.app.app_context():
        after = stored_rows()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    if changed:
        m.fail(role, method, url, f"stored rows on a refusal: {changed}")


def _check_allowed(m: Matrix, role: str, url: str) -> None:
    response = m.ask(role, "GET", url, {})
    if not 200 <= response.status_code < 400:
        m.fail(role, "GET", url, f"{response.status_code}, not reached")


def _walk(m: Matrix, rule, entry: Route) -> None:
    foreign_args = entry.own if entry.foreign is None else entry.foreign
    for method in sorted(rule.methods - SKIPPED_METHODS):
        for role in ROLES:
            own = entry.own_for.get(role, entry.own)
            own_url = m.url(rule, own, entry.query, role)
            if role == "anonymous":
                if not entry.public:
                    _check_anonymous(m, rule, method, own_url)
                continue
            if role not in entry.allowed:
                _check_refused(m, role, method, own_url, entry.body)
                continue
            if role in entry.refused_foreign():
                url = m.url(rule, foreign_args, entry.foreign_query, role)
                _check_refused(m, role, method, url, entry.body)
            if method == "GET":
                _check_allowed(m, role, own_url)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_route(app, endpoint, request):
    rules = _rules(app, endpoint)
    entry = ROUTES.get(endpoint)
    if entry is None:
        pytest.fail(
            f"{endpoint} ({', '.join(r.rule for r in rules)}) has no entry in "
            f"{TABLE}: say who may reach it and with which objects"
        )
    m = request.getfixturevalue("matrix")
    for rule in rules:
        _walk(m, rule, entry)
    assert not m.failures, f"{endpoint}:\n" + "\n".join(m.failures)


def test_the_table_names_only_routes_that_exist(app):
    gone = sorted(set(ROUTES) - {r.endpoint for r in app.url_map.iter_rules()})
    assert not gone, f"{TABLE} names endpoints the app no longer has: {gone}"
