"""lms.keying.engine: snapshots drawn per attempt, answer shapes, scoring on the
shared engine (deadline cut-off, flags) and registration with the engine."""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from lms.attempts import services as attempt_services
from lms.keying import scoring
from lms.keying.kinds import KeyingKind
from tests import factories
from tests.factories import bundled_keying_spec, typing_events
from tests.keying import kind_calls as engine

ROOT = Path(__file__).resolve().parents[2]

BUNDLED = [
    "customer-record-entry",
    "invoice-entry",
    "ten-key-amounts",
    "ten-key-account-numbers",
    "email-transcription",
    "ledger-vs-bank-reconciliation",
    "address-pair-check",
]
POOLS = {
    "record_entry": ("records", "records_per_attempt"),
    "ten_key": ("entries", "entries_per_attempt"),
    "transcription": ("passages", "passages_per_attempt"),
    "reconciliation": ("sets", "sets_per_attempt"),
}


def spec_row(slug: str) -> SimpleNamespace:
    """What build_snapshot reads of an Assessment row, from the bundled file."""
    spec = bundled_keying_spec(slug)
    return SimpleNamespace(kind=spec.kind, settings=spec.settings, content=spec.content)


def drawn_ids(snapshot: dict) -> list[str]:
    key = POOLS[snapshot["kind"]][0]
    ids = [item["id"] for item in snapshot[key]]
    if snapshot.get("mode") == "pair":
        ids += [p["id"] for s in snapshot["sets"] for p in s["pairs"]]
    return ids


@pytest.mark.parametrize("slug", BUNDLED)
def test_a_seed_always_draws_the_same_snapshot(slug):
    row = spec_row(slug)
    first = engine.build_snapshot(row, random.Random(11))
    again = engine.build_snapshot(row, random.Random(11))
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


@pytest.mark.parametrize("slug", BUNDLED)
def test_two_seeds_draw_different_items_or_orders(slug):
    row = spec_row(slug)
    one = drawn_ids(engine.build_snapshot(row, random.Random(1)))
    two = drawn_ids(engine.build_snapshot(row, random.Random(2)))
    assert one != two


@pytest.mark.parametrize("slug", BUNDLED)
def test_snapshot_draws_the_configured_number_from_the_pool(slug):
    row = spec_row(slug)
    snapshot = engine.build_snapshot(row, random.Random(5))
    key, setting = POOLS[row.kind]
    pool = {item["id"]: item for item in row.content[key]}
    assert len(snapshot[key]) == row.settings[setting]
    assert len({i["id"] for i in snapshot[key]}) == len(snapshot[key])
    for item in snapshot[key]:
        if row.kind == "reconciliation" and snapshot["mode"] == "pair":
            assert sorted(item["pairs"], key=lambda p: p["id"]) == sorted(
                pool[item["id"]]["pairs"], key=lambda p: p["id"]
            )
        else:
            assert item == pool[item["id"]]  # the key travels with the item


@pytest.mark.parametrize("slug", BUNDLED)
def test_snapshot_freezes_bands_and_is_scorable(slug):
    row = spec_row(slug)
    snapshot = engine.build_snapshot(row, random.Random(3))
    assert snapshot["kind"] == row.kind
    assert snapshot["bands"] == row.settings.get(
        "bands", scoring.DEFAULT_BANDS[row.kind]
    )
    result = engine.score(snapshot, {}, [], 60.0)
    assert result["kind"] == row.kind
    json.dumps(result)  # stored as JSON


def test_record_entry_snapshot_keeps_profiles_critical_flags_and_formats():
    snapshot = engine.build_snapshot(spec_row("invoice-entry"), random.Random(4))
    fields = {f["name"]: f for f in snapshot["fields"]}
    assert fields["gstin"] == {
        "name": "gstin",
        "label": "Vendor GSTIN",
        "profile": "identifier",
        "critical": True,
    }
    assert fields["invoice_date"]["format"] == "%d/%m/%Y"
    assert snapshot["correction_policy"] == "allowed"


def test_draw_is_capped_at_the_pool_and_ids_are_filled_in():
    row = SimpleNamespace(
        kind="ten_key",
        settings={"entries_per_attempt": 10},
        content={"entries": [{"value": "12.50"}, {"value": "7"}]},
    )
    snapshot = engine.build_snapshot(row, random.Random(1))
    assert sorted(e["id"] for e in snapshot["entries"]) == ["e001", "e002"]
    assert snapshot["compare"] == "string"
    assert snapshot["entry_label"] == "Entry"


# --------------------------------------------------------------------------
# learner_items (the leak tests scan them more widely)
# --------------------------------------------------------------------------


def test_record_items_show_the_source_and_field_names_with_a_date_hint():
    snapshot = engine.build_snapshot(spec_row("invoice-entry"), random.Random(4))
    items = engine.learner_items(snapshot)
    record = snapshot["records"][0]
    assert [i["id"] for i in items] == [r["id"] for r in snapshot["records"]]
    source = {s["name"]: s["value"] for s in items[0]["source"]}
    assert source == record["values"] | {}
    date = next(f for f in items[0]["fields"] if f["name"] == "invoice_date")
    assert date == {
        "name": "invoice_date",
        "label": "Invoice date",
        "hint": "DD/MM/YYYY",
    }


def test_list_items_offer_every_non_key_column_as_a_flag():
    snapshot = engine.build_snapshot(
        spec_row("ledger-vs-bank-reconciliation"), random.Random(4)
    )
    (item,) = engine.learner_items(snapshot)
    assert item["key"] == "ref"
    assert [f["name"] for f in item["flag_fields"]] == ["date", "description", "amount"]
    assert len(item["ledger"]) == len(snapshot["sets"][0]["ledger"])


def test_humanize_and_date_hint():
    assert engine.humanize("pin_code") == "PIN code"
    assert engine.humanize("po_number") == "PO number"
    assert engine.date_hint("%Y-%m-%d") == "YYYY-MM-DD"
    assert engine.date_hint("%j") == ""


# --------------------------------------------------------------------------
# Scoring through the engine
# --------------------------------------------------------------------------


def one_record_snapshot() -> dict:
    return {
        "kind": "record_entry",
        "fields": [
            {
                "name": "acct",
                "label": "Account",
                "profile": "identifier",
                "critical": True,
            }
        ],
        "records": [{"id": "r1", "values": {"acct": "4820193"}}],
        "bands": scoring.DEFAULT_BANDS["record_entry"],
    }


def test_events_after_the_deadline_are_ignored():
    snapshot = one_record_snapshot()
    on_time = typing_events("r1", "acct", "4820193", start_ms=1000, step_ms=200)
    late = typing_events("r1", "acct", "99", start_ms=61_000, pos=7)
    result = engine.score(snapshot, {"r1": {"acct": "4820193"}}, on_time + late, 60.0)
    assert result["events_ignored"] == len(late)
    assert result["K_raw"] == 7  # the two late keys are not counted
    assert not [f for f in result["flags"] if f["code"] == "replay_mismatch"]
    # Without the cut-off the late keys would make the replay disagree.
    unfiltered = scoring.score(
        snapshot, {"r1": {"acct": "4820193"}}, on_time + late, 60.0
    )
    assert "replay_mismatch" in [f["code"] for f in unfiltered["flags"]]


def test_paste_focus_and_replay_flags_reach_the_result():
    snapshot = one_record_snapshot()
    events = typing_events("r1", "acct", "4820", start_ms=1000)
    events += [
        {"t": 3000, "item": "r1", "field": "acct", "type": "paste", "via": "paste"},
        {"t": 3500, "item": "", "field": "", "type": "blur"},
        {"t": 9000, "item": "", "field": "", "type": "focus"},
    ]
    result = engine.score(snapshot, {"r1": {"acct": "4820193"}}, events, 60.0)
    codes = {f["code"]: f for f in result["flags"]}
    assert codes["paste_attempt"]["evidence"]["t"] == [3000]
    assert codes["focus_loss"]["evidence"]["count"] == 1
    mismatch = codes["replay_mismatch"]["evidence"]["inputs"][0]
    assert (mismatch["replayed"], mismatch["submitted"]) == ("4820", "4820193")


def test_typed_answers_without_any_keystrokes_are_flagged():
    result = engine.score(one_record_snapshot(), {"r1": {"acct": "4820193"}}, [], 60.0)
    assert [f["code"] for f in result["flags"]] == ["no_keystroke_log"]
    empty = engine.score(one_record_snapshot(), {}, [], 60.0)
    assert empty["flags"] == []


def test_reconciliation_needs_no_keystroke_log():
    snapshot = engine.build_snapshot(spec_row("address-pair-check"), random.Random(2))
    s = snapshot["sets"][0]
    answers = {p["id"]: p["differs"] for p in s["pairs"]}
    result = engine.score(snapshot, {s["id"]: answers}, [], 120.0)
    assert result["f1"] == 1.0
    assert result["flags"] == []


# --------------------------------------------------------------------------
# Answer shapes
# --------------------------------------------------------------------------


def test_validate_responses_accepts_each_kinds_shape():
    record = engine.build_snapshot(spec_row("customer-record-entry"), random.Random(1))
    rid = record["records"][0]["id"]
    assert engine.validate_responses(record, {rid: {"city": "Pune"}, "x": None}) == [
        "x: there is no such item in this attempt"
    ]
    assert engine.validate_responses(record, {rid: {"nope": "1"}}) == [
        f"{rid}: there is no field 'nope' in this record"
    ]
    assert engine.validate_responses(record, {rid: "text"})

    ten = engine.build_snapshot(spec_row("ten-key-amounts"), random.Random(1))
    eid = ten["entries"][0]["id"]
    assert engine.validate_responses(ten, {eid: "12.50"}) == []
    assert engine.validate_responses(ten, {eid: 12.5}) == [f"{eid}: send text"]
    assert engine.validate_responses(ten, {eid: "1" * 501})

    lst = engine.build_snapshot(
        spec_row("ledger-vs-bank-reconciliation"), random.Random(1)
    )
    sid = lst["sets"][0]["id"]
    good = [{"ref": "X-1", "type": "field_mismatch", "field": "amount"}]
    assert engine.validate_responses(lst, {sid: good}) == []
    assert engine.validate_responses(lst, {sid: [{"ref": "X-1", "type": "guess"}]})
    assert engine.validate_responses(lst, {sid: "all of them"})

    pair = engine.build_snapshot(spec_row("address-pair-check"), random.Random(1))
    s = pair["sets"][0]
    pid = s["pairs"][0]["id"]
    assert engine.validate_responses(pair, {s["id"]: {pid: ["phone"]}}) == []
    assert engine.validate_responses(pair, {s["id"]: {pid: []}}) == []
    assert engine.validate_responses(pair, {s["id"]: {pid: ["colour"]}})
    assert engine.validate_responses(pair, {s["id"]: {"p999": []}})


def test_review_hides_reconciliation_keys_unless_answers_may_be_shown():
    snapshot = engine.build_snapshot(
        spec_row("ledger-vs-bank-reconciliation"), random.Random(1)
    )
    result = engine.score(snapshot, {}, [], 100.0)
    shown = engine.review(
        snapshot, result, {}, show_correct_answers=True, show_feedback=True
    )
    hidden = engine.review(
        snapshot, result, {}, show_correct_answers=False, show_feedback=True
    )
    assert shown[0]["expected"]
    assert "expected" not in hidden[0]
    assert "expected" in result["items"][0]  # the stored result is untouched


# --------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", scoring.KINDS)
def test_every_keying_kind_is_registered_with_the_engine(kind):
    registered = attempt_services.get_kind(kind)
    assert isinstance(registered, KeyingKind)
    assert registered.name == kind
    assert registered.uses_events
    assert registered.take_endpoint == "keying.take"


def test_start_through_the_engine_uses_the_keying_snapshot(app_ctx, clock):
    learner = factories.user()
    test = factories.bundled_keying_test("ten-key-amounts")
    started = attempt_services.start_attempt(learner, test)
    attempt = started.attempt
    assert len(attempt.snapshot["entries"]) == 40
    assert attempt.snapshot["engine"]["time_limit_seconds"] == 300
    rebuilt = engine.build_snapshot(test, random.Random(attempt.seed))
    assert rebuilt["entries"] == attempt.snapshot["entries"]


# --------------------------------------------------------------------------
# Events ahead of the server's clock
# --------------------------------------------------------------------------


def test_a_log_claiming_more_time_than_the_server_saw_is_refused(app_ctx, clock):
    """A whole fabricated log uploaded at second 1 cannot stand for minutes of
    typing: events stamped past the server's elapsed time (+ allowance) are not
    stored, and the attempt carries the evidence."""
    test = factories.bundled_keying_test("ten-key-amounts")
    attempt = attempt_services.start_attempt(factories.user(), test).attempt
    clock.advance(seconds=1)
    honest = [{"t": 500, "type": "key", "key": "1"}]
    forged = [{"t": 60_000 + i, "type": "key", "key": "1"} for i in range(30)]

    attempt_services.save_responses(attempt, 1, {}, honest + forged)
    attempt_services.save_responses(attempt, 2, {}, forged)

    stored = attempt_services.events_for(attempt)
    assert [e["t"] for e in stored] == [500]
    (flag,) = [f for f in attempt.flags if f["code"] == "events_ahead_of_clock"]
    assert flag["count"] == 2
    assert flag["evidence"]["ignored"] == 30
    assert flag["evidence"]["server_elapsed_ms"] == 1000


def test_events_within_the_allowance_are_kept(app_ctx, clock):
    test = factories.bundled_keying_test("ten-key-amounts")
    attempt = attempt_services.start_attempt(factories.user(), test).attempt
    clock.advance(seconds=10)
    events = [{"t": 12_500, "type": "key", "key": "1"}]

    attempt_services.save_responses(attempt, 1, {}, events)

    assert len(attempt_services.events_for(attempt)) == 1
    assert not attempt.flags


def test_a_tests_own_minimums_reach_the_snapshot_and_the_scorer(app_ctx, clock):
    """A trainer can lower the share of items a band needs for a long test."""
    short_share = factories.bundled_keying_test(
        "ten-key-amounts", settings={"min_attempted_share": 0.1, "min_seconds": 5}
    )
    snapshot = engine.build_snapshot(short_share, random.Random(1))
    assert (snapshot["min_attempted_share"], snapshot["min_seconds"]) == (0.1, 5)

    entries = snapshot["entries"][:5]
    responses = {e["id"]: e["value"] for e in entries}
    events = []
    t = 1000
    for e in entries:
        events += typing_events(e["id"], None, e["value"], start_ms=t, numpad=True)
        t += 2500
    lenient = engine.score(snapshot, responses, events, 20.0)
    strict = engine.score(
        {**snapshot, "min_attempted_share": 0.5}, responses, events, 20.0
    )
    assert lenient["validity"] == "valid"
    assert strict["validity"].startswith("invalid")


def test_a_file_may_set_the_minimums_and_they_are_checked(tmp_path):
    from lms.content import loader

    source = ROOT / "quizzes" / "ten-key-amounts.toml"
    text = source.read_text().replace(
        'correction_policy = "allowed"',
        'correction_policy = "allowed"\nmin_attempted_share = 0.25\nmin_seconds = 30',
    )
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    (quizzes / "ten-key-amounts.toml").write_text(text)
    (quizzes / "ten-key-amounts.csv").write_text(
        (ROOT / "quizzes" / "ten-key-amounts.csv").read_text()
    )
    specs, errors = loader.load_assessments(quizzes)
    assert errors == []
    assert specs[0].settings["min_attempted_share"] == 0.25

    (quizzes / "ten-key-amounts.toml").write_text(
        text.replace("min_attempted_share = 0.25", "min_attempted_share = 3")
    )
    _, errors = loader.load_assessments(quizzes)
    assert [e.field for e in errors] == ["min_attempted_share"]
