"""Read a transcription test file: the [[passages]] a learner retypes.

Passages are `p001`, `p002`, ... in file order; their text is stripped of
leading and trailing whitespace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lms.content.files import File
from lms.content.tables import Table
from lms.keying.content_file.common import (
    KEYING_COMMON_KEYS,
    draw,
    read_common_settings,
)

TRANSCRIPTION_KEYS = (*KEYING_COMMON_KEYS, "passages_per_attempt", "passages")
BAND_METRICS = ("net_wpm", "accuracy")
PASSAGES_PER_ATTEMPT = 1
PASSAGE_KEYS = ("title", "text")


def read_transcription(
    top: Table, doc: File, data_files: list[Path]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, {"passages": [...]}) of a transcription file (no data files)."""
    settings = read_common_settings(top, doc, "transcription", BAND_METRICS)
    raw = top.data.get("passages")
    if not isinstance(raw, list) or not raw:
        top.error(
            "passages", "a transcription test needs at least one [[passages]] entry"
        )
        raw = []
    passages = []
    for index, entry in enumerate(raw):
        passage = _read_passage(doc, index, entry)
        if passage is not None:
            passages.append(passage)
    settings["passages_per_attempt"] = draw(
        top, "passages_per_attempt", len(raw), "passages", default=PASSAGES_PER_ATTEMPT
    )
    return settings, {"passages": passages}


def _read_passage(doc: File, index: int, entry: Any) -> dict[str, str] | None:
    def line_of(key: str) -> int:
        return doc.loc.key(key, "passages", index)

    label = f"passages[{index + 1}]"
    if not isinstance(entry, dict):
        doc.error(
            label,
            "a passage must be a table",
            line=doc.loc.array_line("passages", index),
        )
        return None
    table = Table(entry, doc, label, line_of)
    table.check_keys(PASSAGE_KEYS)
    title = table.text("title", required=True, max_len=200)
    text = table.text("text", required=True)
    if title is None or text is None:
        return None
    return {"id": f"p{index + 1:03d}", "title": title, "text": text.strip()}
