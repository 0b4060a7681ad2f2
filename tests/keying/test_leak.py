"""No answer key reaches a learner's browser while a keying attempt is live:
not in learner_items, not in the API's JSON, not in the take page's HTML.

The source document a learner copies (record values, amounts, passage text,
ledger and statement rows, record pairs) is not key material; comparison
profiles, critical flags, date formats, planted discrepancies, `differs`
lists, bands and comparison modes are.
"""

from __future__ import annotations

import json
import random
import re
from types import SimpleNamespace

import pytest

from lms.extensions import db
from tests import factories
from tests.keying import kind_calls as engine
from tests.keying.test_views import as_user, start, world  # noqa: F401

BUNDLED = [
    "customer-record-entry",
    "invoice-entry",
    "ten-key-amounts",
    "ten-key-account-numbers",
    "email-transcription",
    "ledger-vs-bank-reconciliation",
    "address-pair-check",
]
# Keys of the snapshot that hold (part of) the key or the rules.
KEY_NAMES = {
    "profile",
    "critical",
    "format",
    "discrepancies",
    "differs",
    "bands",
    "compare",
    "values",
    "expected",
    "correction_policy",
    "engine",
}
# Words that only the rules use; none may appear in the test's form.
RULE_WORDS = re.compile(
    r"profile|critical|discrepanc|\"differs\"|identifier|normalized|"
    r"strptime|%d/%m|job_ready|proficient|foundation",
    re.I,
)
ALLOWED_DATA_ATTRIBUTES = {
    "data-item",
    "data-field",
    "data-index",
    "data-ref",
    "data-side",
    "data-pair",
    "data-pair-field",
    "data-pair-none",
    "data-set-kind",
    "data-keying-set",
    "data-lpignore",
    "data-1p-ignore",
    "data-form-type",
    "data-bs-dismiss",
    "data-bs-toggle",
    "data-bs-target",
    "data-attempt-id",
    "data-kind",
    "data-mode",
    "data-save-url",
    "data-submit-url",
    "data-result-url",
    "data-remaining-ms",
    "data-elapsed-ms",
    "data-last-seq",
}


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        keys = set(value)
        for v in value.values():
            keys |= all_keys(v)
        return keys
    if isinstance(value, list):
        return set().union(*(all_keys(v) for v in value)) if value else set()
    return set()


def snapshot_of(slug: str, seed: int) -> dict:
    spec = factories.bundled_keying_spec(slug)
    row = SimpleNamespace(kind=spec.kind, settings=spec.settings, content=spec.content)
    return engine.build_snapshot(row, random.Random(seed))


def planted(snapshot: dict) -> list[tuple[str, str]]:
    """(set id, what the key says) pairs that must never show."""
    out = []
    for s in snapshot.get("sets", []):
        for d in s.get("discrepancies", []):
            out.append((s["id"], json.dumps(d, sort_keys=True)))
        for p in s.get("pairs", []):
            out.append((s["id"], json.dumps({"differs": p["differs"]})))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("slug", BUNDLED)
def test_learner_items_carry_no_key(slug, seed):
    snapshot = snapshot_of(slug, seed)
    items = engine.learner_items(snapshot)
    assert items
    assert all_keys(items) & KEY_NAMES == set()
    text = json.dumps(items)
    for _set_id, secret in planted(snapshot):
        assert secret not in text
    for field in snapshot.get("fields", []):
        if field.get("format"):
            assert field["format"] not in text


@pytest.mark.parametrize("slug", BUNDLED)
def test_learner_items_still_show_the_source_document(slug):
    snapshot = snapshot_of(slug, 9)
    text = json.dumps(engine.learner_items(snapshot))
    if snapshot["kind"] == "record_entry":
        for record in snapshot["records"]:
            for value in record["values"].values():
                assert json.dumps(value) in text
    elif snapshot["kind"] == "ten_key":
        assert all(json.dumps(e["value"]) in text for e in snapshot["entries"])
    elif snapshot["kind"] == "transcription":
        assert all(json.dumps(p["text"]) in text for p in snapshot["passages"])
    elif snapshot["mode"] == "list":
        rows = snapshot["sets"][0]["ledger"] + snapshot["sets"][0]["statement"]
        assert all(json.dumps(r["ref"]) in text for r in rows)
    else:
        pair = snapshot["sets"][0]["pairs"][0]
        assert all(json.dumps(v) in text for v in pair["right"].values())


def form_html(html: str) -> str:
    """The test's own markup: the root element's tag and the form of inputs
    (the author's instructions above it may name rules on purpose)."""
    root = re.search(r'<div id="keying-test"[^>]*>', html).group(0)
    form = re.search(r"<form class=\"keying-form\".*?</form>", html, re.S).group(0)
    return root + form


@pytest.mark.parametrize("slug", BUNDLED)
def test_api_and_take_page_show_no_key(app, world, as_user, clock, slug):  # noqa: F811
    with app.app_context():
        factories.bundled_keying_test(slug)
        db.session.commit()
    client = as_user(world.learner)
    body = start(client, slug)
    assert all_keys(body["items"]) & KEY_NAMES == set()
    again = client.get(f"/api/v1/attempts/{body['id']}").get_json()
    assert all_keys(again["items"]) & KEY_NAMES == set()
    assert again["result"] is None and "flags" not in again

    html = client.get(f"/keying/attempts/{body['id']}").get_data(as_text=True)
    # No inline scripts and no JSON blobs: data reaches the script only as
    # data-* attributes, and only these.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag and "application/json" not in tag
    markup = form_html(html)
    assert not RULE_WORDS.search(markup), RULE_WORDS.search(markup)
    attributes = {
        name
        for name, value in re.findall(r"\s(data-[a-z0-9-]+)(=\"[^\"]*\")?", markup)
        # Valueless data-keying-* attributes are hooks for the script.
        if not (name.startswith("data-keying-") and not value)
    }
    assert attributes <= ALLOWED_DATA_ATTRIBUTES, attributes - ALLOWED_DATA_ATTRIBUTES
    # Nothing is preselected: no flag or box singles out a row or pair.
    assert not re.search(r"<option[^>]*\sselected", markup)
    assert not re.search(r"<input[^>]*\schecked", markup)

    with app.app_context():
        from lms.attempts.models import Attempt

        snapshot = db.session.get(Attempt, body["id"]).snapshot
    for _set_id, secret in planted(snapshot):
        assert secret not in html
    if snapshot["kind"] == "reconciliation" and snapshot["mode"] == "list":
        # Every ledger row offers the same flags, so the options give nothing away.
        rows = len(snapshot["sets"][0]["ledger"])
        assert markup.count('value="missing_in_statement"') == rows
        assert markup.count('value="field_mismatch:amount"') == rows


def test_finished_attempt_shows_the_key_on_the_result_only(
    app,
    world,  # noqa: F811
    as_user,  # noqa: F811
    clock,
):
    """Once final (and review is allowed) the result may show expected values."""
    client = as_user(world.learner)
    body = start(client, world.file_test)
    clock.advance(seconds=30)
    client.post(f"/api/v1/attempts/{body['id']}/submit")
    result = client.get(f"/api/v1/attempts/{body['id']}").get_json()["result"]
    assert result["kind"] == "record_entry" and "items" in result
