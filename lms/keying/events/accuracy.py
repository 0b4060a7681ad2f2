"""Keystroke (process) accuracy: each inserted character judged when typed.

Correct inserted characters / all inserted characters (Monkeytype `acc`,
anchors §3.0): a mistake corrected later still counts. A character is judged
against the expected text lined up with what is before the caret at that
moment (docs/keying.md §8.5): by position in a field or entry, with
separators left out for amounts, and against the aligned passage word in
transcription.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lms.keying.events.scan import Insert, scan

# Transcription: how many expected words past the aligned position a typed
# word may be matched to (a skipped line is about a dozen words), and how many
# typed words an unsettled stretch may hold before it is settled where it
# stands. Both only bound the work per word; ordinary typing never nears them.
MAX_SKIP_WORDS = 16
MAX_UNSETTLED_WORDS = 32
# Typed words in a row that must match the passage, on the best alignment,
# before the alignment up to them is taken as settled.
SETTLE_WORDS = 2

# The state after a typed word: (first typed word of the unsettled stretch,
# passage word aligned with its start, DP row over the passage words from
# there (None when settled), best position in the row, candidate positions
# for the next word in order of preference).
_State = tuple[int, int, list[int] | None, int, tuple[int, ...]]
_SETTLED_CANDIDATES = (0, 1)


# What the amount profile ignores (lms.keying.scoring.parse_amount).
_SEPARATORS = re.compile(r"[\s,]")


def _is_separator(char: str) -> bool:
    """A character the amount profile ignores: a comma or any whitespace."""
    return char == "," or char.isspace()


class _PositionalJudge:
    """Each inserted character against the expected character at its position."""

    __slots__ = ("expected",)

    def __init__(self, expected: str) -> None:
        self.expected = expected

    def count_correct(self, inserts: Iterable[Insert]) -> int:
        """Correct characters among one input's inserts, in the order typed."""
        expected = self.expected
        size = len(expected)
        correct = 0
        for _value, pos, data in inserts:
            if len(data) == 1:  # one key typed: the usual case
                correct += pos < size and expected[pos] == data
                continue
            for offset, char in enumerate(data, start=pos):
                correct += offset < size and expected[offset] == char
        return correct


class _AmountJudge:
    """An amount field: positions counted with separators left out on both sides.

    `125000.00` typed for `125,000.00` lines up digit for digit, as the amount
    profile compares them. A separator typed is right where the expected value
    has one (any separator: `125 000` for `125,000` is fine), wrong elsewhere.
    """

    __slots__ = ("digits", "separated")

    def __init__(self, expected: str) -> None:
        digits: list[str] = []
        separated = set()
        for char in expected:
            if _is_separator(char):
                separated.add(len(digits))
            else:
                digits.append(char)
        self.digits = "".join(digits)
        self.separated = frozenset(separated)

    def count_correct(self, inserts: Iterable[Insert]) -> int:
        """Correct characters among one input's inserts, in the order typed."""
        digits, size, separated = self.digits, len(self.digits), self.separated
        correct = 0
        for value, pos, data in inserts:
            index = _unseparated_length(value[:pos])
            for char in data:
                if _is_separator(char):
                    correct += index in separated
                else:
                    correct += index < size and digits[index] == char
                    index += 1
        return correct


def _unseparated_length(text: str) -> int:
    """How many characters of `text` are not separators.

    Only the space and the comma are separators that print (other whitespace
    does not), so text that prints whole needs no regular expression.
    """
    if text.isprintable() and " " not in text:
        return len(text) - text.count(",")
    return len(_SEPARATORS.sub("", text))


class _PassageJudge:
    """Inserts into one transcription passage, judged against aligned words.

    The typed words before the caret are aligned with the passage words
    (optimal alignment of the typed words with a *start* of the passage:
    substituting, skipping or adding a word costs 1, so the unreached rest of
    the passage costs nothing). A character is judged against the passage
    word the word being typed lines up with: the next word on the best
    alignment, or another word just as cheap to reach (the word after one
    skipped word, or the word an extra typed word was set against) when what
    is typed of the current word so far is its start. Inside that word the position counts, as in
    Monkeytype. A space is right when the word it ends has its passage word's
    length; whitespace after whitespace adds nothing and is not counted wrong.

    Work is incremental: a word is aligned once, when it is completed, and a
    word matching the next passage word costs one comparison. After an error
    a small dynamic-programming row (at most MAX_SKIP_WORDS +
    MAX_UNSETTLED_WORDS + 1 cells) is kept per typed word until SETTLE_WORDS
    words in a row match again. Edits before the caret's word drop the words
    they touch, which are aligned again when retyped.
    """

    __slots__ = ("words", "size", "base", "typed", "bounds", "states")

    def __init__(self, expected: str) -> None:
        self.words = expected.split()
        self.size = len(self.words)
        self.base = ""  # typed text before the current word
        self.typed: list[str] = []  # the completed typed words in `base`
        self.bounds: list[int] = []  # len(base) up to each word's first whitespace
        self.states: list[_State] = []  # the alignment after each typed word

    # -- judging ---------------------------------------------------------

    def count_correct(self, inserts: Iterable[Insert]) -> int:
        """Correct characters among one passage's inserts, in the order typed."""
        return sum(self.judge(value, pos, data) for value, pos, data in inserts)

    def judge(self, value: str, pos: int, data: str) -> int:
        prefix = value[:pos]
        self._sync(prefix)
        word = prefix[len(self.base) :]
        correct = 0
        for char in data:
            if char.isspace():
                if word:
                    correct += len(self._target(word, complete=True)) == len(word)
                    self._push(word, len(self.base) + len(word) + 1)
                    self.base += word
                    word = ""
                else:
                    correct += 1
                self.base += char
            else:
                index = len(word)
                word += char
                target = self._target(word)
                correct += index < len(target) and target[index] == char
        return correct

    def _state(self) -> _State:
        return self.states[-1] if self.states else (0, 0, None, 0, _SETTLED_CANDIDATES)

    def _target(self, word: str, *, complete: bool = False) -> str:
        """The passage word `word` (as typed so far) lines up with; "" past the end."""
        _, start, _, best, candidates = self._state()
        words, size = self.words, self.size
        if complete:
            for offset in candidates:
                index = start + offset
                if index < size and words[index] == word:
                    return word
        for offset in candidates:
            index = start + offset
            if index < size and words[index].startswith(word):
                return words[index]
        index = start + best
        return words[index] if index < size else ""

    # -- keeping the typed words in step with the text -------------------

    def _sync(self, prefix: str) -> None:
        """Make `typed` the completed words of `prefix` (the text before the caret)."""
        if not prefix.startswith(self.base):
            keep = len(self.typed)
            while keep and not prefix.startswith(self.base[: self.bounds[keep - 1]]):
                keep -= 1
            base = self.base[: self.bounds[keep - 1]] if keep else ""
            del self.typed[keep:], self.bounds[keep:], self.states[keep:]
            self.base = base
        rest = prefix[len(self.base) :]
        parts = rest.split()
        if not rest or (len(parts) == 1 and len(parts[0]) == len(rest)):
            return  # the common case: no whitespace after `base`
        if not parts:
            self.base = prefix  # only whitespace: no word started yet
            return
        offset = len(self.base)
        done = parts if rest[-1].isspace() else parts[:-1]
        cursor = 0
        for word in done:
            cursor = rest.index(word, cursor) + len(word)
            self._push(word, offset + cursor + 1)
        self.base = prefix if rest[-1].isspace() else prefix[: -len(parts[-1])]

    def _push(self, word: str, bound: int) -> None:
        """Align one more completed typed word and record the state after it."""
        first, start, row, best, _ = self._state()
        count = len(self.typed)
        words, size = self.words, self.size
        self.typed.append(word)
        self.bounds.append(bound)
        if row is None and start < size and words[start] == word:
            state: _State = (count + 1, start + 1, None, 0, _SETTLED_CANDIDATES)
        else:
            state = self._align(word, count, first, start, row, best)
        self.states.append(state)

    def _align(
        self,
        word: str,
        count: int,
        first: int,
        start: int,
        prev: list[int] | None,
        prev_best: int,
    ) -> _State:
        """One DP row for `word`, best position, and whether the stretch settles.

        Row r holds, for each number t of passage words from `start`, the
        fewest word edits aligning the stretch's first r typed words with
        those t passage words. Ties prefer a word matched on the diagonal,
        then the position one on from the previous best (a substitution over
        an added or skipped word).
        """
        words = self.words
        rows = count + 1 - first
        width = min(self.size - start, rows + MAX_SKIP_WORDS) + 1
        above = prev if prev is not None else range(width)
        known = len(above)
        row = [above[0] + 1]
        left = row[0]
        for t in range(1, width):
            cost = left + 1
            if t < known and above[t] + 1 < cost:
                cost = above[t] + 1
            if t <= known:
                diagonal = above[t - 1] + (words[start + t - 1] != word)
                if diagonal < cost:
                    cost = diagonal
            row.append(cost)
            left = cost
        best, best_key = 0, None
        for t, cost in enumerate(row):
            matched = t > 0 and t <= known and cost == above[t - 1]
            matched = matched and words[start + t - 1] == word
            key = (cost, not matched, abs(t - prev_best - 1))
            if best_key is None or key < best_key:
                best, best_key = t, key
        if rows >= MAX_UNSETTLED_WORDS or self._settles(row, best, count, first, start):
            return (count + 1, start + best, None, 0, _SETTLED_CANDIDATES)
        least = row[best]
        candidates = sorted(
            (t for t, cost in enumerate(row) if cost <= least + 1),
            key=lambda t: (row[t], abs(t - best), t),
        )
        return (first, start, row, best, tuple(candidates))

    def _settles(
        self, row: list[int], best: int, count: int, first: int, start: int
    ) -> bool:
        """True when the last SETTLE_WORDS typed words match on the best alignment."""
        back = SETTLE_WORDS
        rows = count + 1 - first
        if rows < back or best < back:
            return False
        typed, words = self.typed, self.words
        for k in range(1, back + 1):
            if typed[count + 1 - k] != words[start + best - k]:
                return False
        if rows == back:
            earlier = best - back  # row 0: t passage words skipped cost t
        else:
            earlier_row = self.states[count - back][2]
            if earlier_row is None or best - back >= len(earlier_row):
                return False
            earlier = earlier_row[best - back]
        return row[best] == earlier


def _judge_for(
    name: tuple[str, str],
    expected: Mapping[str, Mapping[str, str]],
    by_word: set[str],
    amounts: set[tuple[str, str]],
) -> Any:
    """The judge for one input's inserts, or None when it has no expected text."""
    item, field = name
    fields = expected.get(item)
    target = fields.get(field) if isinstance(fields, Mapping) else None
    if not isinstance(target, str):
        return None
    if item in by_word:
        return _PassageJudge(target)
    if name in amounts:
        return _AmountJudge(target)
    return _PositionalJudge(target)


def keystroke_accuracy(
    events: Any,
    expected: Mapping[str, Mapping[str, str]],
    *,
    by_word_items: Iterable[str] = (),
    amount_inputs: Iterable[tuple[str, str]] = (),
    numlock_off_wrong: bool = False,
) -> float | None:
    """Correct inserted characters / all inserted characters (Monkeytype `acc`).

    `expected` maps item → field → expected text; inserts into inputs that
    are not in it are ignored. Each inserted character is judged when it is
    typed, against what the text before the caret lines up with:

    * by default, the expected character at the same position;
    * `amount_inputs` ((item, field) pairs): the same with commas and spaces
      left out of both sides (see `_AmountJudge`);
    * `by_word_items` (transcription passages): the expected character in the
      passage word the current word aligns with (see `_PassageJudge`), so a
      skipped, added or misspelt word does not shift every later keystroke.

    With `numlock_off_wrong` (10-key), every keypad key that sent navigation
    instead of a digit (Num Lock off) is one more keystroke, a wrong one.

    Corrected mistakes still count against this figure: it measures the
    process, not the outcome. None when there were no keystrokes to judge.
    """
    by_word = set(by_word_items)
    amounts = set(amount_inputs)
    found = scan(events)
    correct = total = 0
    for name, inserts in found.inserts.items():
        judge = _judge_for(name, expected, by_word, amounts)
        if judge is not None:
            correct += judge.count_correct(inserts)
            total += sum(len(data) for _value, _pos, data in inserts)
    if numlock_off_wrong:
        total += sum(found.numlock_off.values())
    return correct / total if total else None
