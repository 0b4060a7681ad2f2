"""Every form and JSON endpoint fed nonsense: generated from the URL map (each
rule that takes POST or PUT), posted by a signed-in user of a role the route
table allows, with the asker's own objects in the URL.

Bodies are the form's own field names (read from its page where it has one) and
stray ones, with values no form expects: huge and negative numbers, NaN,
impossible dates, unicode and control characters, long text, markup, repeated
fields; API calls get JSON of any shape (wrong types, deep nesting, missing
keys). The app may accept, refuse or re-render, but never answers 5xx, and a
4xx answer stores nothing: the row count of every table is the same after it.
Bounded in examples per endpoint and replayed the same way on every run.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.route_table import ROUTES
from tests.security.route_world import ROLES, build
from tests.security.test_route_matrix import METHODS, Matrix, stored_rows

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
EXAMPLES_PER_ENDPOINT = 8
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")
# Tables a refused request may legitimately write: a failed sign-in counts
# against the account (the throttle) and refusals are written to the audit log.
BOOKKEEPING = {"login_throttle", "audit_event"}
ODD = [
    "",
    "0",
    "-1",
    str(2**63),
    str(-(2**64)),
    "1e309",
    "NaN",
    "inf",
    "2026-02-30",
    "9999-12-31",
    "y",
    "on",
    "null",
    "{}",
    "[]",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\x00",
    "\u202e\ufeff",
    "🧾" * 40,
    "x" * 20_000,
]
VALUES = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats().map(str),
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
API_KEYS = ["seq", "responses", "events", "markdown", "name", "id"]


def _fuzzed_endpoints() -> list[str]:
    """Endpoints that take a write; one missing from the table fails the matrix."""
    return [e for e, methods in METHODS.items() if methods & WRITES and e in ROUTES]


def _role_for(endpoint: str) -> str:
    entry = ROUTES[endpoint]
    if entry.public:
        return "anonymous"
    return next(role for role in ROLES if role in entry.allowed)


def _form_bodies(names: list[str]):
    known = st.fixed_dictionaries(
        {}, optional={name: st.lists(VALUES, min_size=1, max_size=3) for name in names}
    )
    stray = st.dictionaries(st.text(max_size=12), VALUES, max_size=3)
    return st.tuples(known, stray).map(lambda pair: ("form", pair[1] | pair[0]))


def _json_bodies():
    shaped = st.fixed_dictionaries({}, optional={key: JSON for key in API_KEYS})
    return st.one_of(shaped, JSON).map(lambda body: ("json", body))


def _field_names(m: Matrix, role: str, rule, url: str) -> list[str]:
    if "GET" not in rule.methods:
        return []
    page = m.ask(role, "GET", url, {})
    return sorted(set(FIELD.findall(page.get_data(as_text=True))))


@pytest.fixture
def matrix(app, clock, build_once) -> Matrix:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer to judge
    return Matrix(app, build_once(build, app))


def _send(m: Matrix, role: str, method: str, url: str, body):
    kind, payload = body
    client = m.clients[role]
    if kind == "json":
        return client.open(url, method=method, json=payload)
    return client.open(url, method=method, data=payload)


def _fuzz(m: Matrix, rule, method: str, role: str, url: str, bodies) -> None:
    @settings(
        max_examples=EXAMPLES_PER_ENDPOINT,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # report the first, unshrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(body=bodies)
    def posts(body):
        with m.app.app_context():
            before = stored_rows()
        response = _send(m, role, method, url, body)
        status = response.status_code
        assert status < 500, f"{method} {url} as {role}: {status} for {body!r:.300}"
        if 400 <= status < 500:
            with m.app.app_context():
                after = stored_rows()
            changed = {
                t: (before[t], after[t])
                for t in before
                if before[t] != after[t] and t not in BOOKKEEPING
            }
            assert not changed, f"{method} {url}: {status} yet stored {changed}"

    posts()


@pytest.mark.parametrize("endpoint", _fuzzed_endpoints())
def test_nonsense_is_refused_without_a_500_or_a_stored_row(app, matrix, endpoint):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    writes = [(r, m) for r in rules for m in sorted(r.methods & WRITES)]
    entry, role = ROUTES[endpoint], _role_for(endpoint)
    for rule, method in writes:
        url = matrix.url(rule, entry.own_for.get(role, entry.own), entry.query, role)
        if rule.rule.startswith("/api/"):
            bodies = _json_bodies()
        else:
            names = _field_names(matrix, role, rule, url)
            bodies = st.one_of(_form_bodies(names), _json_bodies())
        _fuzz(matrix, rule, method, role, url, bodies)
