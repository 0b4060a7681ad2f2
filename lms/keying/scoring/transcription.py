"""Transcription (copy typing): a passage typed as free text.

Words are split on whitespace, so spacing and line breaks are not graded;
case and punctuation are. Words are aligned first (Levenshtein opcodes over
words), then characters inside each changed stretch (OSA, anchors §2.5).
Passage text after the last word typed is unreached, not wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from rapidfuzz.distance import OSA, Levenshtein

from lms.keying import events as keylog
from lms.keying.scoring.alignment import DIFF_OP_CLASS, Diff, align, push_segment
from lms.keying.scoring.metrics import (
    ERROR_CLASSES,
    KEYSTROKES_PER_WORD,
    Result,
    add_event_metrics,
    empty_result,
    set_speeds,
)
from lms.keying.scoring.profiles import add_counts
from lms.keying.scoring.reading import (
    answer_text,
    dicts,
    expected_text,
    mapping,
    name_text,
    ratio,
    seconds_of,
)
from lms.keying.scoring.validity import Work, finish


class _Passage(NamedTuple):
    k_final: int
    k_correct: int
    word_errors: int
    distance: int
    length: int
    reached_chars: int
    total_chars: int
    counts: dict[str, int]
    item: dict[str, Any]


def _word_codes(expected: list[str], typed: list[str]) -> tuple[list[int], list[int]]:
    codes: dict[str, int] = {}
    return (
        [codes.setdefault(w, len(codes)) for w in expected],
        [codes.setdefault(w, len(codes)) for w in typed],
    )


def _reached_words(expected: list[str], typed: list[str]) -> tuple[list[str], str]:
    """The expected words the learner got to, and the unreached rest as text.

    Words after the last aligned typed word are unreached; a last typed word
    that is the start of its expected word ("informa" for "information")
    counts as a correct partial word, as Monkeytype credits it.
    """
    e_codes, t_codes = _word_codes(expected, typed)
    blocks = Levenshtein.opcodes(e_codes, t_codes).as_list()
    end = len(expected)
    if blocks and blocks[-1][0] == "delete":
        end = blocks[-1][1]
        blocks = blocks[:-1]
    reached = expected[:end]
    tail = " ".join(expected[end:])
    if blocks and blocks[-1][0] == "replace":
        word, last = expected[end - 1], typed[-1]
        if len(last) < len(word) and word.startswith(last):
            reached = [*expected[: end - 1], last]
            return reached, word[len(last) :] + (" " + tail if tail else "")
    return reached, (" " + tail if tail and reached else tail)


def _passage_diff(
    expected: list[str], typed: list[str]
) -> tuple[Diff, dict[str, int], int, int]:
    """Word-first alignment, characters inside changed stretches (anchors §2.5).

    Returns the diff, character error counts, uncorrected word errors (a
    wrong word once, a missing, extra or merged word per word) and K_correct
    (characters of correctly typed words, each with its following space).
    """
    e_codes, t_codes = _word_codes(expected, typed)
    diff: Diff = []
    counts: dict[str, int] = {}
    word_errors = k_correct = 0
    e_started = t_started = False
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(e_codes, t_codes).as_list():
        e_words, t_words = expected[i1:i2], typed[j1:j2]
        e_sep = " " if e_started and e_words else ""
        t_sep = " " if t_started and t_words else ""
        e_text, t_text = " ".join(e_words), " ".join(t_words)
        e_started = e_started or bool(e_words)
        t_started = t_started or bool(t_words)
        if tag == "equal":
            k_correct += sum(len(w) + 1 for w in t_words)
            if e_sep != t_sep:
                # Only the separator differs: a word before was dropped or added.
                sep_op = "omit" if e_sep else "insert"
                push_segment(diff, sep_op, e_sep, t_sep)
                add_counts(counts, {DIFF_OP_CLASS[sep_op]: 1})
            else:
                e_text, t_text = e_sep + e_text, t_sep + t_text
            push_segment(diff, "equal", e_text, t_text)
            continue
        word_errors += max(len(e_words), len(t_words))
        alignment = align(e_sep + e_text, t_sep + t_text)
        add_counts(counts, alignment.counts)
        for segment in alignment.diff:
            if segment["op"] == "transpose":
                diff.append(segment)
            else:
                push_segment(diff, segment["op"], segment["expected"], segment["typed"])
    return diff, counts, word_errors, k_correct


def _score_passage(pid: str, title: str, text: str, typed_text: str) -> _Passage:
    expected = text.split()
    typed = typed_text.split()
    total_chars = len(" ".join(expected))
    base = {
        "id": pid,
        "title": title,
        "expected": " ".join(expected),
        "typed": " ".join(typed),
    }
    if not typed:
        item = {
            **base,
            "status": "unreached",
            "word_errors": 0,
            "distance": 0,
            "char_accuracy": None,
            "completion_pct": 0.0,
            "errors": {},
            "diff": [{"op": "unreached", "expected": base["expected"], "typed": ""}]
            if expected
            else [],
        }
        return _Passage(0, 0, 0, 0, 0, 0, total_chars, {}, item)
    reached, tail = _reached_words(expected, typed)
    diff, counts, word_errors, k_correct = _passage_diff(reached, typed)
    if tail:
        diff.append({"op": "unreached", "expected": tail, "typed": ""})
    reached_text, typed_joined = " ".join(reached), " ".join(typed)
    distance = OSA.distance(reached_text, typed_joined)
    length = max(len(reached_text), len(typed_joined))
    k_final = sum(len(w) + 1 for w in typed)
    item = {
        **base,
        "status": "correct" if word_errors == 0 else "error",
        "word_errors": word_errors,
        "distance": distance,
        "char_accuracy": 1.0 - ratio(distance, length),
        "completion_pct": 100.0 * ratio(len(reached_text), total_chars),
        "errors": counts,
        "diff": diff,
    }
    return _Passage(
        k_final,
        min(k_correct, k_final),
        word_errors,
        distance,
        length,
        len(reached_text),
        total_chars,
        counts,
        item,
    )


def score_transcription(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score copy typing: gross WPM = (chars/5)/min; net WPM = gross − word
    errors/min, never above the speed of correct words.

    Words are split on whitespace, so spacing and line breaks are not graded;
    case and punctuation are. net_kph counts correct words' keystrokes only.
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = seconds_of(elapsed_seconds)
    result = empty_result("transcription", seconds, ERROR_CLASSES)
    responses = mapping(responses)
    passages = []
    texts = {}
    for passage in dicts(snapshot.get("passages")):
        pid = name_text(passage.get("id"))
        text = expected_text(passage.get("text"))
        title = passage.get("title")
        texts[pid] = text
        passages.append(
            _score_passage(
                pid,
                title if isinstance(title, str) else "",
                text,
                answer_text(responses.get(pid)),
            )
        )
    k_final = sum(p.k_final for p in passages)
    k_correct = sum(p.k_correct for p in passages)
    word_errors = sum(p.word_errors for p in passages)
    set_speeds(result, k_final, k_correct, seconds)
    result["net_wpm"] = _net_wpm(result, word_errors, seconds)
    for passage in passages:
        add_counts(result["error_counts"], passage.counts)
    length = sum(p.length for p in passages)
    result["char_accuracy"] = (
        1.0 - ratio(sum(p.distance for p in passages), length) if length else 0.0
    )
    result["completion_pct"] = 100.0 * ratio(
        sum(p.reached_chars for p in passages), sum(p.total_chars for p in passages)
    )
    result["word_errors"] = word_errors
    result["correct_words_wpm"] = _correct_work_wpm(result)
    result["items"] = [p.item for p in passages]
    expected_values = {pid: {"": text} for pid, text in texts.items()}
    add_event_metrics(result, events, expected_values, by_word_items=texts)
    total_chars = sum(p.total_chars for p in passages)
    work = Work(
        sum(p.reached_chars for p in passages),
        total_chars,
        "passage characters",
        "reached",
        keystrokes=total_chars + len(passages),
    )
    return finish(result, snapshot, responses, events, work)


def _correct_work_wpm(result: Result) -> float:
    """Speed of correct work: characters of correctly typed words / 5 per minute."""
    return result["net_kph"] / (60 * KEYSTROKES_PER_WORD)


def _net_wpm(result: Result, word_errors: int, seconds: float) -> float:
    """Gross WPM less uncorrected word errors per minute (OPM/USPS net WPM),
    never above the speed of correct work (Monkeytype's correct-word WPM):
    a junk word costs one error but brings no correct characters."""
    minutes = seconds / 60
    if minutes <= 0:  # also a positive `seconds` too small to divide by
        return 0.0
    penalised = result["gross_wpm"] - word_errors / minutes
    return max(min(penalised, _correct_work_wpm(result)), 0.0)
