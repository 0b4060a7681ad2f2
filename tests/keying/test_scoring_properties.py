"""Properties of keying scoring that must hold for any input (hypothesis).

Identical answers score 100 %; accuracies stay in [0, 1]; net speed never
exceeds gross, nor the speed of correct work; padding a value with what its
profile ignores never raises net speed; the alignment explains both strings
exactly; and nothing of roughly the right shape makes score() raise.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from lms.keying import events as keylog
from lms.keying import scoring
from lms.keying.scoring import align, osa_ops, score

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

PROFILES = ["exact", "normalized", "identifier", "amount", "date", "bogus"]
FORMATS = [None, "%d/%m/%Y", "%Y-%m-%d", "%Q", "", "%"]

# Keying-like text: digits, separators, letters, spaces, some unicode.
keyish = st.text(
    alphabet=st.sampled_from(list("0123456789.,-/ aAbBzZéß\tＡ")) | st.characters(),
    max_size=14,
)
non_blank = keyish.filter(lambda s: s.strip() != "")
amountish = st.from_regex(r"-?[0-9]{0,3}(,[0-9]{3})?(\.[0-9]{0,2})?", fullmatch=True)
dateish = st.dates().map(lambda d: d.strftime("%d/%m/%Y"))
values = st.one_of(non_blank, amountish.filter(lambda s: s.strip()), dateish)
seconds = st.floats(min_value=0.5, max_value=3600, allow_nan=False)

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=8,
)


@st.composite
def record_entry_case(draw, typed_values=None):
    n_fields = draw(st.integers(1, 4))
    fields = [
        {
            "name": f"f{k}",
            "label": f"Field {k}",
            "profile": draw(st.sampled_from(PROFILES)),
            "critical": draw(st.booleans()),
            "format": draw(st.sampled_from(FORMATS)),
        }
        for k in range(n_fields)
    ]
    records = [
        {"id": f"r{k}", "values": {f["name"]: draw(values) for f in fields}}
        for k in range(draw(st.integers(1, 3)))
    ]
    snapshot = {"kind": "record_entry", "fields": fields, "records": records}
    if typed_values is None:
        responses = {r["id"]: dict(r["values"]) for r in records}
    else:
        responses = {
            r["id"]: {f["name"]: draw(typed_values) for f in fields} for r in records
        }
    return snapshot, responses


def assert_sane(result: dict) -> None:
    """The invariants every result keeps."""
    for name in (
        "accuracy",
        "field_accuracy",
        "record_accuracy",
        "critical_accuracy",
        "entry_accuracy",
        "char_accuracy",
        "keystroke_accuracy",
        "precision",
        "recall",
        "f1",
        "pair_accuracy",
    ):
        value = result.get(name)
        assert value is None or 0.0 <= value <= 1.0, (name, value)
    for name in ("completion_pct", "numpad_pct"):
        value = result.get(name)
        assert value is None or 0.0 <= value <= 100.0, (name, value)
    if result["gross_kph"] is not None:
        assert 0 <= result["net_kph"] <= result["gross_kph"]
        assert 0 <= result["net_wpm"] <= result["gross_wpm"]
        assert 0 <= result["K_correct"] <= result["K_final"]
    assert all(isinstance(n, int) and n >= 0 for n in result["error_counts"].values())
    assert result["validity"] in (
        "valid",
        "unverified",
        "invalid_too_short",
        "invalid_implausible",
    )
    assert result["band"] in (None, "foundation", "job_ready", "proficient")
    assert result["passed"] is (result["band"] is not None)
    assert result["band"] is None or result["validity"] == "valid"
    assert isinstance(result["band_explanation"], str) and result["band_explanation"]
    assert result["keypad_relevant"] is (result["kind"] == "ten_key")
    assert all(set(flag) == {"code", "message", "evidence"} for flag in result["flags"])
    # The engine stores the result as JSON: no NaN, no Decimal, no tuples of sets.
    json.dumps(result, allow_nan=False)


# --------------------------------------------------------------------------
# Identical input scores 100 %
# --------------------------------------------------------------------------


@SETTINGS
@given(record_entry_case(), seconds)
def test_identical_record_entry_scores_full_marks(case, elapsed):
    snapshot, responses = case
    result = score(snapshot, responses, [], elapsed)
    assert result["field_accuracy"] == 1.0
    assert result["record_accuracy"] == 1.0
    assert result["critical_accuracy"] in (1.0, None)
    assert result["char_accuracy"] == 1.0
    assert result["completion_pct"] == 100.0
    # Net speed is the expected values' comparison forms: what a profile
    # ignores (an identifier's hyphens, an amount's commas) earns nothing.
    credited = sum(
        scoring.credited_length(v.strip(), v.strip(), f["profile"]) + 1
        for r in snapshot["records"]
        for f, v in zip(snapshot["fields"], r["values"].values(), strict=True)
    )
    assert result["K_correct"] == credited
    assert result["net_kph"] == pytest.approx(credited * 3600 / elapsed)
    assert sum(result["error_counts"].values()) == 0
    assert_sane(result)


@SETTINGS
@given(
    st.lists(values, min_size=1, max_size=12),
    st.sampled_from(["string", "numeric"]),
    seconds,
)
def test_identical_ten_key_scores_full_marks(entries, compare, elapsed):
    snapshot = {
        "kind": "ten_key",
        "compare": compare,
        "entries": [{"id": f"e{k}", "value": v} for k, v in enumerate(entries)],
    }
    responses = {f"e{k}": v for k, v in enumerate(entries)}
    result = score(snapshot, responses, [], elapsed)
    assert result["entry_accuracy"] == 1.0
    assert result["char_accuracy"] == 1.0
    assert result["completion_pct"] == 100.0
    assert sum(result["error_counts"].values()) == 0
    assert_sane(result)


@SETTINGS
@given(
    st.lists(
        st.text(min_size=1, max_size=60).filter(lambda s: len(s.split()) > 0),
        min_size=1,
        max_size=3,
    ),
    seconds,
)
def test_identical_transcription_scores_full_marks(texts, elapsed):
    snapshot = {
        "kind": "transcription",
        "passages": [
            {"id": f"p{k}", "title": "", "text": t} for k, t in enumerate(texts)
        ],
    }
    responses = {f"p{k}": t for k, t in enumerate(texts)}
    result = score(snapshot, responses, [], elapsed)
    assert result["char_accuracy"] == 1.0
    assert result["word_errors"] == 0
    assert result["completion_pct"] == 100.0
    assert result["net_wpm"] == result["gross_wpm"]
    assert_sane(result)


discrepancy = st.fixed_dictionaries(
    {
        "ref": st.text(min_size=1, max_size=6),
        "type": st.sampled_from(
            ["missing_in_statement", "extra_in_statement", "field_mismatch"]
        ),
        "field": st.sampled_from([None, "amount", "date"]),
    }
)


@SETTINGS
@given(st.lists(discrepancy, max_size=6))
def test_identical_reconciliation_list_scores_full_marks(planted):
    snapshot = {
        "kind": "reconciliation",
        "mode": "list",
        "sets": [{"id": "s1", "discrepancies": planted}],
    }
    result = score(snapshot, {"s1": planted}, [], 60.0)
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert_sane(result)


@SETTINGS
@given(
    st.lists(
        st.lists(st.sampled_from(["name", "address", "pin"]), unique=True), max_size=8
    )
)
def test_identical_reconciliation_pairs_score_full_marks(differs):
    pairs = [
        {"id": f"p{k}", "left": {}, "right": {}, "differs": d}
        for k, d in enumerate(differs)
    ]
    snapshot = {
        "kind": "reconciliation",
        "mode": "pair",
        "sets": [{"id": "s1", "fields": ["name", "address", "pin"], "pairs": pairs}],
    }
    answers = {p["id"]: list(p["differs"]) for p in pairs}
    result = score(snapshot, {"s1": answers}, [], 60.0)
    assert result["f1"] == 1.0
    assert result["pair_accuracy"] == (1.0 if pairs else 0.0)
    assert result["corrected_score"] == len(pairs)
    assert_sane(result)


# --------------------------------------------------------------------------
# Bounds for any typed values
# --------------------------------------------------------------------------


@SETTINGS
@given(record_entry_case(typed_values=st.one_of(keyish, values)), seconds)
def test_record_entry_metrics_stay_in_bounds(case, elapsed):
    snapshot, responses = case
    assert_sane(score(snapshot, responses, [], elapsed))


@SETTINGS
@given(
    st.lists(values, min_size=1, max_size=10),
    st.lists(st.one_of(keyish, values), max_size=10),
    st.sampled_from(["string", "numeric"]),
    seconds,
)
def test_ten_key_metrics_stay_in_bounds(entries, typed, compare, elapsed):
    snapshot = {
        "kind": "ten_key",
        "compare": compare,
        "entries": [{"id": f"e{k}", "value": v} for k, v in enumerate(entries)],
    }
    responses = {f"e{k}": v for k, v in enumerate(typed)}
    assert_sane(score(snapshot, responses, [], elapsed))


@SETTINGS
@given(st.text(max_size=80), st.text(max_size=80), seconds)
def test_transcription_metrics_stay_in_bounds(text, typed, elapsed):
    snapshot = {"kind": "transcription", "passages": [{"id": "p1", "text": text}]}
    assert_sane(score(snapshot, {"p1": typed}, [], elapsed))


# --------------------------------------------------------------------------
# Speed counts correct work only
# --------------------------------------------------------------------------

ACCEPTED = ("exact", "normalized_match")


@SETTINGS
@given(record_entry_case(typed_values=st.one_of(keyish, values)), seconds)
def test_record_entry_net_speed_never_exceeds_correct_work(case, elapsed):
    snapshot, responses = case
    result = score(snapshot, responses, [], elapsed)
    # Correct work: the expected values of the accepted fields, each + Tab.
    correct_work = sum(
        len(field["expected"]) + 1
        for item in result["items"]
        for field in item["fields"]
        if field["status"] in ACCEPTED
    )
    assert result["K_correct"] <= correct_work
    assert result["net_kph"] <= correct_work * 3600 / elapsed + 1e-6


@SETTINGS
@given(
    st.lists(values, min_size=1, max_size=10),
    st.lists(st.one_of(keyish, values), max_size=10),
    st.sampled_from(["string", "numeric"]),
    seconds,
)
def test_ten_key_net_speed_never_exceeds_correct_work(entries, typed, compare, elapsed):
    snapshot = {
        "kind": "ten_key",
        "compare": compare,
        "entries": [{"id": f"e{k}", "value": v} for k, v in enumerate(entries)],
    }
    result = score(snapshot, {f"e{k}": v for k, v in enumerate(typed)}, [], elapsed)
    correct_work = sum(
        len(item["expected"]) + 1
        for item in result["items"]
        if item["status"] in ACCEPTED
    )
    assert result["net_kph"] <= correct_work * 3600 / elapsed + 1e-6


words = st.lists(st.from_regex(r"[A-Za-z.,]{1,9}", fullmatch=True), max_size=12)


@SETTINGS
@given(words, words, st.from_regex(r"[a-z]{20,200}", fullmatch=True), seconds)
def test_transcription_net_wpm_never_exceeds_correct_work(text, typed, junk, elapsed):
    snapshot = {
        "kind": "transcription",
        "passages": [{"id": "p1", "text": " ".join(text)}],
    }
    for answer in (" ".join(typed), junk, " ".join([*typed, junk])):
        result = score(snapshot, {"p1": answer}, [], elapsed)
        # Characters of correctly typed words (+ their spaces) / 5 per minute.
        correct_wpm = result["K_correct"] / 5 / (elapsed / 60)
        assert result["net_wpm"] <= correct_wpm + 1e-9
        assert result["net_wpm"] <= result["correct_words_wpm"] + 1e-9


# Accepted values and where each profile lets padding in.
padded_fields = st.sampled_from(["identifier", "normalized", "amount"])
identifiers = st.from_regex(r"[A-Z]{2,4}-?[0-9]{3,7}", fullmatch=True)
names = st.from_regex(r"[A-Z][a-z]{1,7}( [A-Z][a-z]{1,7}){1,2}", fullmatch=True)
amounts = st.from_regex(r"-?[1-9][0-9]{0,2}(,[0-9]{3}){0,2}\.[0-9]{2}", fullmatch=True)


@st.composite
def padded(draw, profile: str, value: str) -> str:
    """`value` with characters its profile ignores put in (at least one)."""
    chars = list(value)
    for _ in range(draw(st.integers(1, 30))):
        if profile == "identifier":
            at = draw(st.integers(1, len(chars) - 1))
            chars.insert(at, draw(st.sampled_from(["-", " "])))
        elif profile == "normalized":
            spaces = [k for k, c in enumerate(chars) if c == " "]
            chars.insert(draw(st.sampled_from(spaces)), " ")
        elif draw(st.booleans()):
            chars.insert(1 if chars[0] == "-" else 0, "0")  # a leading zero
        else:
            at = draw(st.integers(1, len(chars) - 1))
            chars.insert(at, draw(st.sampled_from([",", " "])))
    return "".join(chars)


@SETTINGS
@given(st.data(), st.lists(padded_fields, min_size=1, max_size=4), seconds)
def test_padding_never_raises_net_kph(data, profiles, elapsed):
    source = {"identifier": identifiers, "normalized": names, "amount": amounts}
    fields = [
        {"name": f"f{k}", "profile": profile, "critical": True}
        for k, profile in enumerate(profiles)
    ]
    expected = {f["name"]: data.draw(source[f["profile"]]) for f in fields}
    snapshot = {
        "kind": "record_entry",
        "fields": fields,
        "records": [{"id": "r0", "values": expected}],
    }
    pads = {
        f["name"]: data.draw(padded(f["profile"], expected[f["name"]])) for f in fields
    }
    plain = score(snapshot, {"r0": expected}, [], elapsed)
    gamed = score(snapshot, {"r0": pads}, [], elapsed)
    assume(gamed["field_accuracy"] == 1.0)  # padding is what the profile ignores
    assert gamed["net_kph"] <= plain["net_kph"]
    assert gamed["K_final"] > plain["K_final"]  # it was typed, and counts as gross


@SETTINGS
@given(st.lists(amounts, min_size=1, max_size=6), st.data(), seconds)
def test_padding_never_raises_numeric_ten_key_net_kph(entries, data, elapsed):
    snapshot = {
        "kind": "ten_key",
        "compare": "numeric",
        "entries": [{"id": f"e{k}", "value": v} for k, v in enumerate(entries)],
    }
    pads = {f"e{k}": data.draw(padded("amount", v)) for k, v in enumerate(entries)}
    plain = score(snapshot, {f"e{k}": v for k, v in enumerate(entries)}, [], elapsed)
    gamed = score(snapshot, pads, [], elapsed)
    assert gamed["entry_accuracy"] == 1.0
    assert gamed["net_kph"] <= plain["net_kph"]


# --------------------------------------------------------------------------
# Alignment explains both strings
# --------------------------------------------------------------------------


@SETTINGS
@given(keyish, keyish)
def test_alignment_reconstructs_both_strings_and_counts_osa_distance(expected, typed):
    result = align(expected, typed)
    assert "".join(s["expected"] for s in result.diff) == expected
    assert "".join(s["typed"] for s in result.diff) == typed
    assert result.distance == OSA.distance(expected, typed)
    assert sum(result.counts.values()) == result.distance
    assert {s["op"] for s in result.diff} <= {
        "equal",
        "substitute",
        "omit",
        "insert",
        "transpose",
    }


@SETTINGS
@given(
    st.text(alphabet="0123456789", max_size=12),
    st.text(alphabet="0123456789", max_size=12),
)
def test_osa_backtrace_matches_rapidfuzz(expected, typed):
    assert len(osa_ops(expected, typed)) == OSA.distance(expected, typed)


@SETTINGS
@given(st.text(max_size=30))
def test_replay_of_plain_typing_is_the_text(text):
    events = [
        {
            "t": k * 100,
            "item": "p1",
            "field": "",
            "type": "input",
            "op": "insert",
            "pos": k,
            "data": c,
        }
        for k, c in enumerate(text)
    ]
    assert keylog.replay(events).get("p1", {}).get("", "") == text
    if text:
        assert keylog.keystroke_accuracy(events, {"p1": {"": text}}) == 1.0


# --------------------------------------------------------------------------
# Never raises on anything of roughly the right shape
# --------------------------------------------------------------------------

event = st.fixed_dictionaries(
    {},
    optional={
        "t": st.one_of(st.floats(), st.integers(), st.none(), st.text(max_size=3)),
        "item": st.one_of(st.sampled_from(["r0", "e0", "p0", "", "s1"]), json_like),
        "field": st.one_of(st.sampled_from(["f0", "", "name"]), json_like),
        "type": st.sampled_from(
            ["key", "input", "paste", "drop", "blur", "focus", "x"]
        ),
        "key": st.one_of(st.text(max_size=10), json_like),
        "code": st.one_of(st.sampled_from(["Numpad1", "Digit1", "KeyA"]), json_like),
        "op": st.one_of(st.sampled_from(["insert", "delete"]), json_like),
        "pos": st.one_of(st.integers(-5, 50), json_like),
        "data": st.one_of(st.text(max_size=5), json_like),
        "len": st.one_of(st.integers(-5, 50), json_like),
        "repeat": st.one_of(st.booleans(), json_like),
        "location": st.one_of(st.sampled_from([0, 3]), json_like),
    },
)
event_lists = st.one_of(st.lists(st.one_of(event, json_like), max_size=25), json_like)
elapsed_any = st.one_of(
    st.floats(),
    st.integers(),
    st.none(),
    st.text(max_size=4),
    st.booleans(),
    st.decimals(),
)


def ids(prefix: str) -> st.SearchStrategy:
    return st.one_of(st.sampled_from([f"{prefix}0", f"{prefix}1"]), json_like)


@st.composite
def messy_snapshot(draw):
    kind = draw(st.sampled_from(scoring.KINDS))
    maybe = lambda strategy: st.one_of(strategy, json_like)  # noqa: E731
    field = st.fixed_dictionaries(
        {
            "name": maybe(st.sampled_from(["f0", "f1"])),
            "profile": maybe(st.sampled_from(PROFILES)),
            "critical": maybe(st.booleans()),
            "format": maybe(st.sampled_from(FORMATS)),
        }
    )
    snapshot = {
        "kind": kind,
        "fields": draw(maybe(st.lists(maybe(field), max_size=3))),
        "records": draw(
            maybe(
                st.lists(
                    maybe(
                        st.fixed_dictionaries(
                            {
                                "id": ids("r"),
                                "values": maybe(
                                    st.dictionaries(
                                        st.sampled_from(["f0", "f1"]), maybe(values)
                                    )
                                ),
                            }
                        )
                    ),
                    max_size=3,
                )
            )
        ),
        "entries": draw(
            maybe(
                st.lists(
                    maybe(
                        st.fixed_dictionaries({"id": ids("e"), "value": maybe(values)})
                    ),
                    max_size=4,
                )
            )
        ),
        "compare": draw(maybe(st.sampled_from(["string", "numeric"]))),
        "passages": draw(
            maybe(
                st.lists(
                    maybe(
                        st.fixed_dictionaries(
                            {"id": ids("p"), "text": maybe(st.text(max_size=40))}
                        )
                    ),
                    max_size=2,
                )
            )
        ),
        "mode": draw(maybe(st.sampled_from(["list", "pair"]))),
        "sets": draw(
            maybe(
                st.lists(
                    maybe(
                        st.fixed_dictionaries(
                            {
                                "id": ids("s"),
                                "fields": maybe(
                                    st.lists(
                                        maybe(st.sampled_from(["name", "pin"])),
                                        max_size=3,
                                    )
                                ),
                                "discrepancies": maybe(
                                    st.lists(maybe(discrepancy), max_size=3)
                                ),
                                "pairs": maybe(
                                    st.lists(
                                        maybe(
                                            st.fixed_dictionaries(
                                                {
                                                    "id": ids("p"),
                                                    "differs": maybe(
                                                        st.lists(
                                                            maybe(
                                                                st.sampled_from(
                                                                    ["name", "pin"]
                                                                )
                                                            )
                                                        )
                                                    ),
                                                }
                                            )
                                        ),
                                        max_size=3,
                                    )
                                ),
                            }
                        )
                    ),
                    max_size=2,
                )
            )
        ),
        "min_attempted_share": draw(maybe(st.floats())),
        "min_seconds": draw(maybe(st.floats())),
        "min_seconds_per_row": draw(maybe(st.floats())),
        "engine": draw(
            maybe(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "time_limit_seconds": maybe(st.floats()),
                        "extra_seconds": maybe(st.floats()),
                    },
                )
            )
        ),
        "bands": draw(
            maybe(
                st.dictionaries(
                    st.sampled_from(["foundation", "job_ready", "proficient"]),
                    maybe(
                        st.dictionaries(
                            st.sampled_from(
                                ["net_kph", "accuracy", "f1", "critical_accuracy"]
                            ),
                            maybe(st.floats()),
                        )
                    ),
                )
            )
        ),
    }
    return snapshot


@SETTINGS
@given(messy_snapshot(), json_like, event_lists, elapsed_any)
def test_score_never_raises(snapshot, responses, events, elapsed):
    result = score(snapshot, responses, events, elapsed)
    assert_sane(result)
    assert math.isfinite(result["T_s"])


@SETTINGS
@given(
    messy_snapshot(),
    st.dictionaries(st.sampled_from(["r0", "e0", "p0", "s0", "r1"]), json_like),
    event_lists,
)
def test_score_never_raises_on_answers_for_known_ids(snapshot, responses, events):
    assert_sane(score(snapshot, responses, events, 60.0))


@SETTINGS
@given(event_lists, st.floats(allow_nan=False))
def test_event_functions_never_raise(events, deadline):
    keylog.replay(events)
    keylog.reduce_events(events)
    keylog.ignore_after(events, deadline)
    keylog.keystroke_accuracy(events, {"e0": {"": "123"}}, by_word_items={"e0"})
    keylog.integrity_flags(
        {"kind": "ten_key", "entries": [{"id": "e0", "value": "1"}]}, {}, events
    )
