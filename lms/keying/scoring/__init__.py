"""Keying test scoring: pure functions from an attempt's snapshot and answers to a result.

No Flask and no database. The attempt engine calls `score(snapshot, responses,
events, elapsed_seconds)` once, at submit or expiry; the snapshot it took at
start holds the answer key. The result is a JSON-ready dict whose names follow
research/data-entry-anchors.md §3 (docs/keying.md defines every one):
speeds (gross/net KPH and WPM), outcome accuracies (field, record, critical,
entry, character), process accuracy from the keystroke log, error counts by
class, a pass band, a validity verdict and per-item detail with a character
diff for the results page.

The package, along its seams:

* `reading`: the snapshot and responses, read defensively;
* `alignment`: character alignment (OSA) and the diff;
* `profiles`: comparator profiles (when a typed value counts as expected);
* `metrics`: the result shape, speeds and event metrics every kind shares;
* `validity`: the verdict (valid, too short, implausible, unverified) and
  `finish`, which every kind ends with;
* `bands`: pass bands, the band reached and the sentence explaining it;
* one module per kind: `record_entry`, `ten_key`, `transcription`,
  `reconciliation`.

Decisions, in one place:

* Text is compared by alignment, never by position (`alignment`).
* Surrounding whitespace is never graded: an invisible trailing space is not
  what any SOP asks about. Inside a value, every profile says what it ignores.
* Field-level errors (blank, skipped_entry, extra_entry, format,
  decimal_shift, sign) count once per field and replace that field's
  character counts in `error_counts`; otherwise each character operation
  counts in its class. The diff always shows the characters.
* Unreached work at time-out is not an error: fields after the last one typed,
  entries after the last one keyed and passage text after the last word typed
  lower completion and speed, not accuracy (eSkill/Criteria, Monkeytype).
  Blanks before that point are errors.
* Accuracies are fractions in [0, 1]; a ratio over nothing is 0.0 (nothing
  earns nothing). Names ending in `_pct` are percentages (0–100).
* Net speed counts only what the comparison certifies: keystrokes of
  accepted values in their comparison form, so input a profile ignores never
  adds speed, and net speed never exceeds the speed of correct work.
* A result that is not `valid` gets no band; nothing is silently dropped: the
  reason is in `validity_reason` and the flags stay for a trainer to review.
  Evidence that is missing or disagrees (no keystroke log, key-less input, a
  replay mismatch) makes a result `unverified`, not wrong.
* Missing, unknown or malformed answers count as blank and never raise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lms.keying.scoring.alignment import (
    DIFF_OP,
    DIFF_OP_CLASS,
    OP_CLASS,
    Alignment,
    align,
    osa_ops,
)
from lms.keying.scoring.bands import (
    BAND_LABELS,
    BAND_ORDER,
    DEFAULT_BANDS,
    PRIMARY_ACCURACY,
    band_for,
    explain_band,
)
from lms.keying.scoring.metrics import (
    ERROR_CLASSES,
    KINDS,
    RECONCILIATION_ERROR_CLASSES,
    Result,
)
from lms.keying.scoring.profiles import (
    ALTERNATIVE_DATE_FORMATS,
    PROFILES,
    Amount,
    Verdict,
    compare_entry,
    compare_field,
    credited_length,
    number_classes,
    parse_amount,
    parse_date,
)
from lms.keying.scoring.profiles import error_counts_of as _error_counts
from lms.keying.scoring.reconciliation import score_reconciliation
from lms.keying.scoring.record_entry import score_record_entry
from lms.keying.scoring.ten_key import score_ten_key
from lms.keying.scoring.transcription import score_transcription
from lms.keying.scoring.validity import (
    DEFAULT_MIN_ATTEMPTED_SHARE,
    MAX_GROSS_KPH,
    MAX_GROSS_WPM,
    MIN_SECONDS_PER_ROW,
    MIN_VALID_SECONDS,
    UNVERIFIED_BECAUSE,
    accept,
    mark_unverified,
    minimums,
)

__all__ = [
    "accept",
    "ALTERNATIVE_DATE_FORMATS",
    "BAND_LABELS",
    "BAND_ORDER",
    "DEFAULT_BANDS",
    "DEFAULT_MIN_ATTEMPTED_SHARE",
    "DIFF_OP",
    "DIFF_OP_CLASS",
    "ERROR_CLASSES",
    "KINDS",
    "MAX_GROSS_KPH",
    "MAX_GROSS_WPM",
    "MIN_SECONDS_PER_ROW",
    "MIN_VALID_SECONDS",
    "OP_CLASS",
    "PRIMARY_ACCURACY",
    "PROFILES",
    "RECONCILIATION_ERROR_CLASSES",
    "SCORERS",
    "UNVERIFIED_BECAUSE",
    "Alignment",
    "Amount",
    "Result",
    "Verdict",
    "_error_counts",
    "align",
    "band_for",
    "compare_entry",
    "compare_field",
    "credited_length",
    "explain_band",
    "mark_unverified",
    "minimums",
    "number_classes",
    "osa_ops",
    "parse_amount",
    "parse_date",
    "score",
    "score_reconciliation",
    "score_record_entry",
    "score_ten_key",
    "score_transcription",
]

SCORERS: dict[str, Callable[[Mapping[str, Any], Any, Any, float], Result]] = {
    "record_entry": score_record_entry,
    "ten_key": score_ten_key,
    "transcription": score_transcription,
    "reconciliation": score_reconciliation,
}


def score(
    snapshot: dict[str, Any],
    responses: dict[str, Any],
    events: list[dict[str, Any]],
    elapsed_seconds: float,
) -> Result:
    """Score a keying attempt from its snapshot, saved responses and keystroke log.

    `elapsed_seconds` is the server-side T: min(submitted or expired, deadline)
    − started. Raises ValueError only for a snapshot whose kind is not a
    keying kind (an engine bug, not learner input).
    """
    kind = snapshot.get("kind") if isinstance(snapshot, Mapping) else None
    scorer = SCORERS.get(kind) if isinstance(kind, str) else None
    if scorer is None:
        raise ValueError(f"not a keying test kind: {kind!r}")
    return scorer(snapshot, responses, events, elapsed_seconds)
