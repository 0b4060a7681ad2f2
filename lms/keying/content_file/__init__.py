"""Readers of keying test files (quizzes/<slug>.toml with a keying kind), one module
per kind, each giving its accepted keys (`<KIND>_KEYS`) and its reader
`read_<kind>(top, doc, data_files) -> (settings, content)`; common.py holds what
every keying file shares (correction policy, bands, draw size, data files).

`KEYS` and `read` look them up by kind name for the keying kinds of the attempt
engine (lms.keying.kinds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lms.content.files import File
from lms.content.tables import Table
from lms.keying.content_file.reconciliation import (
    RECONCILIATION_KEYS,
    read_reconciliation,
)
from lms.keying.content_file.record_entry import RECORD_ENTRY_KEYS, read_record_entry
from lms.keying.content_file.ten_key import TEN_KEY_KEYS, read_ten_key
from lms.keying.content_file.transcription import (
    TRANSCRIPTION_KEYS,
    read_transcription,
)

KEYS: dict[str, tuple[str, ...]] = {
    "record_entry": RECORD_ENTRY_KEYS,
    "ten_key": TEN_KEY_KEYS,
    "transcription": TRANSCRIPTION_KEYS,
    "reconciliation": RECONCILIATION_KEYS,
}
_READERS = {
    "record_entry": read_record_entry,
    "ten_key": read_ten_key,
    "transcription": read_transcription,
    "reconciliation": read_reconciliation,
}


def read(
    kind: str, top: Table, doc: File, data_files: list[Path]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, content) of a `kind` keying test file."""
    return _READERS[kind](top, doc, data_files)
