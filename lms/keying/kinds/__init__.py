"""The keying kinds of the attempt engine, one class per kind."""

from lms.keying.kinds.common import KeyingKind
from lms.keying.kinds.reconciliation import ReconciliationKind
from lms.keying.kinds.record_entry import RecordEntryKind
from lms.keying.kinds.ten_key import TenKeyKind
from lms.keying.kinds.transcription import TranscriptionKind

KEYING_KINDS: tuple[type[KeyingKind], ...] = (
    RecordEntryKind,
    TenKeyKind,
    TranscriptionKind,
    ReconciliationKind,
)

# Every keying kind's name, for SQL filters over assessments and attempts.
KEYING_KIND_NAMES: tuple[str, ...] = tuple(kind.name for kind in KEYING_KINDS)
KIND_LABELS: dict[str, str] = {kind.name: kind.label for kind in KEYING_KINDS}

__all__ = [
    "KEYING_KIND_NAMES",
    "KIND_LABELS",
    "KEYING_KINDS",
    "KeyingKind",
    "ReconciliationKind",
    "RecordEntryKind",
    "TenKeyKind",
    "TranscriptionKind",
]
