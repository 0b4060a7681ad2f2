"""Transcription: retype a passage; words per minute with errors penalised."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.keying.content_file.transcription import TRANSCRIPTION_KEYS, read_transcription
from lms.keying.kinds.common import KeyingKind, _dicts, _text, _text_problem

# A passage is long, but never more than a few times its source.
MAX_PASSAGE_CHARS = 20_000


def _passage_items(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": _text(p.get("id")),
            "type": "passage",
            "title": _text(p.get("title")),
            "text": _text(p.get("text")),
        }
        for p in _dicts(snapshot.get("passages"))
    ]


class TranscriptionKind(KeyingKind):
    name = "transcription"
    label = "Transcription"
    plural_label = "Transcription tests"
    content_keys = TRANSCRIPTION_KEYS
    content_reader = read_transcription
    pool_key = "passages"
    draw_setting = "passages_per_attempt"
    draw_default = 1
    id_prefix = "p"
    item_noun = "Passage"

    def learner_items(self, snapshot):
        return _passage_items(snapshot)

    def item_checks(self, snapshot):
        checks = {}
        for passage in _dicts(snapshot.get("passages")):
            limit = max(MAX_PASSAGE_CHARS, 4 * len(_text(passage.get("text"))))
            checks[_text(passage.get("id"))] = lambda v, n=limit: _text_problem(v, n)
        return checks
