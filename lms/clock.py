"""The only source of the current time. Tests move time by patching lms.clock.now."""

from datetime import UTC, datetime


def now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)
